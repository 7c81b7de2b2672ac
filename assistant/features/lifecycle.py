"""One lifecycle for everything that keeps data of a client or of a document.

Every store that keeps something of a client (its register, check runs, conversations,
account assignments, audit trail) implements :class:`ClientData`; every store that keeps text
quoted from a document (conversations, check runs, register suggestions) implements
:class:`DocumentData`. The composition root hands all of them to
:class:`~assistant.features.clients.service.ClientService` and
:class:`~assistant.features.documents.service.DocumentService`, so deleting or renaming a client
and erasing a document reach every store by construction: a new store that keeps client data is
added to the list in ``assistant/app.py`` and nowhere else.

Erasure means the bytes are gone: each store deletes or overwrites the rows and then rewrites
its file (:func:`knowledge.database.scrub_store`).
"""

from __future__ import annotations

from typing import Protocol

#: What replaces text quoted from an erased document in stored answers and check evidence.
ERASED_DOCUMENT = "[verwijderd document]"


class ClientData(Protocol):
    """A store that keeps data of clients, by the client's canonical name."""

    def erase_client(self, client: str) -> int:
        """Erase everything of ``client`` down to the bytes on disk; returns how many records went."""
        ...

    def rename_client(self, old: str, new: str) -> None:
        """Let everything of client ``old`` belong to ``new``."""
        ...


class DocumentData(Protocol):
    """A store that keeps text quoted from documents."""

    def forget_document(self, doc_id: str, title: str) -> int:
        """Replace text quoted from the document by :data:`ERASED_DOCUMENT`; returns the records changed."""
        ...
