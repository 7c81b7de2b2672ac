"""Dense vectors in Chroma: one collection per scope, embeddings always computed by us.

Collections are created without a Chroma embedding function, so Chroma never loads
(or downloads) its own default model. The embedder id is stored in the collection
metadata; opening a collection with another embedder raises
:class:`EmbedderMismatchError` instead of silently mixing vector spaces.

After a write that failed on the disk (full, read-only, I/O error), the embedded Chroma can hang
for ever on the next write in the same process: a connection of its SQLite pool keeps its lock
while another one waits for it. So a storage failure of a write is remembered, and every later
write in this process is refused at once with :class:`VectorStoreUnavailable`; the vectors an
interrupted write left behind are noted in ``pending_vectors`` and deleted by the next process
(see :meth:`knowledge.knowledge_base.KnowledgeBase.recover`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Include, PyEmbedding
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError

from ingestion.errors import EmbedderMismatchError, StoreError
from knowledge.embeddings import vector_space
from knowledge.scopes import scope_ident

_ADD_BATCH = 1000
_T = TypeVar("_T")
#: How SQLite (inside Chroma) words a write that failed on the disk.
_STORAGE_WORDS = (
    "disk i/o error",
    "database or disk is full",
    "file too large",
    "no space left on device",
    "readonly database",
    "read-only file system",
)


class VectorStoreUnavailable(StoreError):
    """A write is refused because an earlier write of this process failed on the disk."""


def _is_storage_failure(exc: BaseException) -> bool:
    return isinstance(exc, OSError) or any(words in str(exc).lower() for words in _STORAGE_WORDS)


def make_chroma_client(
    persist_dir: Path | None = None, url: str | None = None, database: str = ""
) -> ClientAPI:
    """An embedded persistent client, or an HTTP client for a ``chroma run`` server.

    On a server every installation (data directory) gets its own Chroma database, so two
    installations, or two test runs, sharing one server never see each other's collections.
    """
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if url:
        return _http_client(url, database or "default_database", settings)
    if persist_dir is None:
        raise StoreError("Geen map voor de vectoropslag opgegeven.")
    persist_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(persist_dir), settings=settings)


def _http_client(url: str, database: str, settings: ChromaSettings) -> ClientAPI:
    parsed = urlparse(url)
    host, port, ssl = parsed.hostname or "127.0.0.1", parsed.port or 8000, parsed.scheme == "https"
    try:
        admin = chromadb.AdminClient(
            ChromaSettings(
                anonymized_telemetry=False,
                chroma_api_impl="chromadb.api.fastapi.FastAPI",
                chroma_server_host=host,
                chroma_server_http_port=port,
                chroma_server_ssl_enabled=ssl,
            )
        )
        try:
            admin.get_database(database)
        except NotFoundError:
            admin.create_database(database)
        return chromadb.HttpClient(host=host, port=port, ssl=ssl, database=database, settings=settings)
    except NotFoundError as exc:
        raise StoreError(f"De Chroma-server op {url} kon database '{database}' niet aanmaken: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - connection errors differ per chromadb version
        raise StoreError(
            f"De Chroma-server op {url} is niet bereikbaar ({type(exc).__name__}). Start hem met "
            "'chroma run --path <map> --host 127.0.0.1 --port 8000' of maak AVG_CHROMA_URL leeg "
            "voor de ingebedde opslag."
        ) from exc


class VectorStore:
    """Scope-aware wrapper around a Chroma client.

    Collection handles are cached per scope. On a shared Chroma server another process may
    drop and re-create a scope's collection (a client renamed or erased there); a cached
    handle then names a collection that no longer exists, so every operation looks the
    collection up again once when Chroma answers "not found".
    """

    def __init__(self, client: ClientAPI, embedder_id: str) -> None:
        self._client = client
        self._embedder_id = embedder_id
        self._collections: dict[str, Collection] = {}
        self._write_failure: BaseException | None = None

    @property
    def write_failed(self) -> bool:
        """True once a write failed on the disk; later writes in this process are refused."""
        return self._write_failure is not None

    def _write(self, scope: str, operation: Callable[[Collection], object]) -> None:
        """Run a writing ``operation``, unless an earlier write failed on the disk (see module doc)."""
        if self._write_failure is not None:
            raise VectorStoreUnavailable(
                "De vectoropslag kan in dit proces niet meer schrijven: een eerdere schrijfactie "
                "mislukte (schijf vol of schijffout). Maak ruimte vrij en start de toepassing opnieuw."
            ) from self._write_failure
        try:
            self._on_collection(scope, operation)
        except Exception as exc:
            if _is_storage_failure(exc):
                self._write_failure = exc
            raise

    def collection(self, scope: str) -> Collection:
        """The scope's collection, created on first use, checked against our embedder."""
        if scope in self._collections:
            return self._collections[scope]
        collection = self._client.get_or_create_collection(
            name=scope_ident(scope),
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": self._embedder_id, "scope": scope},
        )
        stored = (collection.metadata or {}).get("embedder")
        if vector_space(str(stored)) != vector_space(self._embedder_id):
            raise EmbedderMismatchError(
                f"De kennisbank voor '{scope}' is gebouwd met embedder '{stored}', maar nu is "
                f"'{self._embedder_id}' ingesteld. Kies weer de oorspronkelijke embedder, of bouw de "
                "kennisbank opnieuw op in een lege datamap (AVG_DATA_DIR)."
            )
        self._collections[scope] = collection
        return collection

    def _on_collection(self, scope: str, operation: Callable[[Collection], _T]) -> _T:
        """Run ``operation`` on the scope's collection, refreshing a handle gone stale."""
        try:
            return operation(self.collection(scope))
        except NotFoundError:
            self._collections.pop(scope, None)
            return operation(self.collection(scope))

    def add(
        self,
        scope: str,
        ids: Sequence[str],
        vectors: Sequence[Sequence[float]],
        texts: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        """Add chunks with their precomputed vectors."""
        for start in range(0, len(ids), _ADD_BATCH):
            batch = slice(start, start + _ADD_BATCH)
            self._upsert(scope, ids[batch], vectors[batch], texts[batch], metadatas[batch])

    def _upsert(
        self,
        scope: str,
        ids: Sequence[str],
        vectors: Sequence[Sequence[float]],
        texts: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        embeddings: list[PyEmbedding] = [list(v) for v in vectors]
        self._write(
            scope,
            lambda c: c.upsert(
                ids=list(ids),
                embeddings=embeddings,
                documents=list(texts),
                metadatas=[dict(m) for m in metadatas],
            ),
        )

    def delete_document(self, scope: str, doc_id: str) -> None:
        """Delete every chunk of a document."""
        self.delete_where(scope, {"doc_id": doc_id})

    def delete_where(self, scope: str, where: dict[str, Any]) -> None:
        """Delete the chunks whose metadata match ``where``."""
        self._write(scope, lambda c: c.delete(where=where))

    def delete_ids(self, scope: str, ids: Sequence[str]) -> None:
        """Delete chunks by id."""
        if ids:
            self._write(scope, lambda c: c.delete(ids=list(ids)))

    def page(
        self,
        scope: str,
        include: Include,
        limit: int | None = None,
        offset: int | None = None,
        where: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """One page (all, without ``limit``) of the chunks matching ``where``, as Chroma's ``get``."""
        return dict(
            self._on_collection(
                scope,
                lambda c: c.get(where=where, include=list(include), limit=limit, offset=offset),
            )
        )

    def search(self, scope: str, vector: Sequence[float], limit: int) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) of the nearest chunks."""
        queries: list[PyEmbedding] = [list(vector)]
        result = self._on_collection(
            scope, lambda c: c.query(query_embeddings=queries, n_results=limit, include=["distances"])
        )  # Chroma returns fewer (or no) hits when the collection is smaller than ``limit``
        ids = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        return [(chunk_id, 1.0 - float(d)) for chunk_id, d in zip(ids, distances, strict=True)]

    def get(self, scope: str, ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """Text and metadata of chunks by id."""
        if not ids:
            return {}
        result = self._on_collection(
            scope, lambda c: c.get(ids=list(ids), include=["documents", "metadatas"])
        )
        texts = result.get("documents") or []
        metas = result.get("metadatas") or []
        return {cid: (texts[i], dict(metas[i])) for i, cid in enumerate(result["ids"])}

    def count(self, scope: str) -> int:
        """Number of chunks in the scope's collection."""
        return self._on_collection(scope, lambda c: c.count())

    def drop_scope(self, scope: str) -> None:
        """Delete the scope's collection."""
        self._collections.pop(scope, None)
        with contextlib.suppress(Exception):  # an absent collection: nothing to delete
            self._client.delete_collection(scope_ident(scope))
