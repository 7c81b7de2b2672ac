"""Use case: manage clients — create, list, rename, archive, reactivate and delete.

A client's documents live in its own scope ``klant:<naam>``: its own Chroma collection and
lexical table, which a search in another scope never reads. Renaming moves the scope (see
:func:`knowledge.maintenance.move_scope`); deleting erases everything of the client. What other
stores keep of the client (register, check runs, conversations, assignments, audit trail) follows
through the :class:`~assistant.features.lifecycle.ClientData` stores the composition root hands in.
Every change is written to the audit log here (``klant_gewijzigd``), under the ``actor`` each
changing method takes.
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.features.audit.log import AuditLog, EventType
from assistant.features.lifecycle import ClientData
from ingestion.errors import StoreError
from knowledge.clients import CLIENT_ACTIVE, CLIENT_ARCHIVED, ClientRecord, canonical_client
from knowledge.knowledge_base import KnowledgeBase
from knowledge.maintenance import drop_scope, move_scope
from knowledge.registry import STATUS_READY
from knowledge.scopes import CLIENT_PREFIX, GENERAL_SCOPE

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClientInfo:
    """A client with the number of its searchable and retired documents."""

    name: str
    scope: str
    status: str
    documents: int
    retired: int
    created_at: str

    @property
    def archived(self) -> bool:
        """Whether the client is archived (read-only)."""
        return self.status == CLIENT_ARCHIVED


@dataclass(frozen=True)
class ClientDeletion:
    """What deleting a client erased."""

    name: str
    documents: int
    compacted: bool


class ClientService:
    """Create, rename, archive and delete clients."""

    def __init__(self, kb: KnowledgeBase, stores: Sequence[ClientData] = (), *, audit: AuditLog) -> None:
        self.kb = kb
        self.stores = list(stores)
        self.audit = audit

    def _record_change(
        self, actor: str, info: ClientInfo | ClientDeletion, action: str, **details: object
    ) -> None:
        self.audit.record(
            actor,
            EventType.CLIENT_CHANGED,
            scope=CLIENT_PREFIX + info.name,
            action=action,
            client=info.name,
            **details,
        )

    def add(self, name: str, *, actor: str) -> ClientInfo:
        """Create a client (its scope's stores are made right away)."""
        name = canonical_client(name)
        self.kb.clients.list()  # adopt client scopes from older releases
        if self.kb.clients.get(name) is not None:
            raise StoreError(f"Klant '{name}' bestaat al.")
        self.kb.recover()
        scope = CLIENT_PREFIX + name
        if not self.kb.registry.list(scope=scope):
            self.kb.vectors.drop_scope(scope)  # a collection left by an earlier, interrupted delete
        self.kb.ensure_scope(scope)
        with self.kb.db.transaction() as conn:
            self.kb.clients.register(conn, scope)
        info = self.get(name)
        self._record_change(actor, info, "aangemaakt")
        return info

    def list(self, include_archived: bool = False) -> list[ClientInfo]:
        """Clients by name; archived ones only when asked for."""
        counts: dict[tuple[str, str], int] = {
            (r["scope"], r["status"]): int(r["n"])
            for r in self.kb.db.query(
                "SELECT scope, status, count(*) AS n FROM documents GROUP BY scope, status"
            )
        }
        return [_info(c, counts) for c in self.kb.clients.list(include_archived)]

    def get(self, name: str) -> ClientInfo:
        """One client by name; Dutch error when unknown."""
        return self._info(self._record(name))

    def selectable_scopes(self) -> builtins.list[str]:
        """``algemeen`` plus the scope of every active client (for scope selectors)."""
        return [GENERAL_SCOPE, *(c.scope for c in self.list())]

    def rename(self, old: str, new: str, *, actor: str) -> ClientInfo:
        """Give a client a new name; its documents, versions and stored files follow."""
        record = self._record(old)
        new = canonical_client(new)
        if new == record.name:
            return self._info(record)
        if record.archived:
            raise StoreError(f"Klant '{record.name}' is gearchiveerd; zet de klant eerst terug.")
        # The other stores first: each step can be repeated, so a failed rename is simply tried again.
        self._each_store(lambda store: store.rename_client(record.name, new), "hernoemd")
        move_scope(self.kb, record.scope, CLIENT_PREFIX + new)
        info = self.get(new)
        self._record_change(actor, info, "hernoemd", previous=record.name)
        return info

    def archive(self, name: str, *, actor: str) -> ClientInfo:
        """Make a client read-only and hide it from selectors."""
        info = self._set_status(name, CLIENT_ARCHIVED)
        self._record_change(actor, info, "gearchiveerd")
        return info

    def activate(self, name: str, *, actor: str) -> ClientInfo:
        """Undo archiving."""
        info = self._set_status(name, CLIENT_ACTIVE)
        self._record_change(actor, info, "geactiveerd")
        return info

    def delete(self, name: str, *, actor: str) -> ClientDeletion:
        """Erase a client with all its documents, versions, vectors, lexical entries and stored files."""
        record = self._record(name)
        # The other stores first: while the client exists, a failed delete can be tried again.
        self._each_store(lambda store: store.erase_client(record.name), "gewist")
        documents, compacted = drop_scope(self.kb, record.scope)
        deleted = ClientDeletion(record.name, documents, compacted)
        self._record_change(actor, deleted, "gewist", documents=documents)
        return deleted

    def _each_store(self, change: Callable[[ClientData], object], done: str) -> None:
        """Apply ``change`` to every store; one that fails does not stop the others (Dutch error after)."""
        failed = []
        for store in self.stores:
            try:
                change(store)
            except Exception:
                logger.exception("Klantgegevens in %s niet %s", type(store).__name__, done)
                failed.append(type(store).__name__)
        if failed:
            raise StoreError(
                f"De klantgegevens zijn niet overal {done} (niet in: {', '.join(failed)}). "
                "Probeer het opnieuw; zie het logboek voor details."
            )

    def _set_status(self, name: str, status: str) -> ClientInfo:
        record = self._record(name)
        with self.kb.db.transaction() as conn:
            self.kb.clients.set_status(conn, record.name, status)
        return self.get(record.name)

    def _record(self, name: str) -> ClientRecord:
        canonical = canonical_client(name)
        self.kb.clients.list()  # adopt client scopes from older releases
        record = self.kb.clients.get(canonical)
        if record is None:
            raise StoreError(f"Klant '{canonical}' bestaat niet. Zie 'avg-assistent clients list --alle'.")
        return record

    def _info(self, record: ClientRecord) -> ClientInfo:
        counts = {
            (record.scope, r["status"]): int(r["n"])
            for r in self.kb.db.query(
                "SELECT status, count(*) AS n FROM documents WHERE scope = ? GROUP BY status", (record.scope,)
            )
        }
        return _info(record, counts)


def _info(record: ClientRecord, counts: dict[tuple[str, str], int]) -> ClientInfo:
    ready = counts.get((record.scope, STATUS_READY), 0)
    total = sum(n for (scope, _), n in counts.items() if scope == record.scope)
    return ClientInfo(record.name, record.scope, record.status, ready, total - ready, record.created_at)
