"""The knowledge base: writes documents consistently into registry, versions, lexical index and Chroma.

Write protocol for one document (new or changed), designed so a crash at any point
leaves no half document visible and no duplicates after a retry:

1. note ``(doc_id, hash)`` in ``pending_vectors``;
2. embed and add the new chunks to Chroma under ids that contain the content hash;
3. in one SQLite transaction: replace the lexical entries, mark the document ``ready``
   with the new hash and version number, store the version with a snapshot of its chunks
   (ending the previous version), clear the pending note;
4. delete the document's vectors with another hash (the previous version).

Dense hits are only used when their ``(doc_id, content_hash)`` matches a ``ready``
registry record, so vectors of an interrupted write are never seen;
:meth:`KnowledgeBase.recover` deletes them.

Retiring takes a document out of retrieval and keeps its history: one transaction marks it
``retired`` (invisible from then on), deletes its lexical entries and notes its vectors as
pending; the vectors are deleted afterwards.

Erasing (:meth:`KnowledgeBase.remove_document`) deletes everything of a document: one
transaction deletes its record, versions, lexical entries and embedding-cache entries no
other document uses, and notes the erasure in ``pending_erasures``; then its vectors and
stored files are deleted and the stores are compacted (:mod:`knowledge.erasure`). A crash
in between is finished by :meth:`KnowledgeBase.recover`.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingestion.model import ParsedDocument
from knowledge.clients import ClientRegistry
from knowledge.database import Database
from knowledge.embedding_cache import EmbeddingCache, text_hash
from knowledge.embeddings import IdentifiedEmbeddings
from knowledge.erasure import (
    compact_chroma,
    compact_database,
    embedded_chroma_dir,
    forget_embeddings,
    use_secure_delete,
)
from knowledge.lexical_index import LexicalEntry, LexicalIndex
from knowledge.registry import (
    STATUS_READY,
    STATUS_RETIRED,
    DocumentMeta,
    DocumentRecord,
    Registry,
    document_id,
)
from knowledge.scopes import normalize_scope, scope_ident
from knowledge.vector_store import VectorStore
from knowledge.versions import VersionStore

ProgressCallback = Callable[[int], None]

logger = logging.getLogger(__name__)

#: ``pending_erasures`` doc id meaning "the whole scope's collection".
WHOLE_SCOPE = "*"
_PAGE = 1000
_PAGE_IDS = 500  # ids per "IN (...)" query, well under SQLite's variable limit


@dataclass(frozen=True)
class IndexOutcome:
    """What indexing one document did: ``added``, ``updated`` or ``unchanged``, and its version."""

    action: str
    doc_id: str
    chunk_count: int
    version: int = 1


@dataclass(frozen=True)
class DocumentChange:
    """A document got a new version: what :attr:`KnowledgeBase.change_listeners` are told."""

    doc_id: str
    scope: str
    title: str
    kind: str
    old_version: int
    new_version: int


ChangeListener = Callable[[DocumentChange], None]


class KnowledgeBase:
    """Registry + versions + lexical index + vector store of all scopes."""

    def __init__(self, db: Database, vectors: VectorStore, embedder: IdentifiedEmbeddings) -> None:
        self.db = db
        self.registry = Registry(db)
        self.versions = VersionStore(db)
        self.clients = ClientRegistry(db)
        self.lexical = LexicalIndex(db)
        self.vectors = vectors
        self.embedder = embedder
        self.embedding_cache = EmbeddingCache(db, embedder.embedder_id)
        self.uploads_dir = db.path.parent / "uploads"
        self.write_lock = threading.RLock()  # one document write at a time in this process
        #: Called after a document's new version is stored (upload, folder sync, sources update);
        #: the composition root adds the listeners. A failing listener is logged, never raised.
        self.change_listeners: list[ChangeListener] = []
        use_secure_delete(db)

    def ensure_scope(self, scope: str) -> str:
        """Create the scope's stores if needed; return the canonical scope."""
        scope = normalize_scope(scope)
        self.lexical.ensure_scope(scope)
        self.vectors.collection(scope)
        return scope

    def lexical_table(self, scope: str) -> str:
        """Name of the scope's FTS5 table (as :class:`LexicalIndex` names it)."""
        return f"lex_{scope_ident(scope)}"

    def is_current(self, scope: str, source_key: str, content_hash: str) -> bool:
        """True when the source is indexed with exactly this content."""
        record = self.registry.get(normalize_scope(scope), source_key)
        return record is not None and record.status == STATUS_READY and record.content_hash == content_hash

    def upload_dir(self, doc_id: str) -> Path:
        """Where stored copies of a document's uploaded files live."""
        return self.uploads_dir / doc_id

    def index_document(
        self,
        scope: str,
        source_key: str,
        parsed: ParsedDocument,
        content_hash: str,
        on_embedded: ProgressCallback | None = None,
        meta: DocumentMeta | None = None,
    ) -> IndexOutcome:
        """Add a parsed document or replace it by a new version; a no-op when its content is unchanged.

        ``meta`` gives owner, effective date and PII counts; without it a new version keeps the
        owner and effective date of the previous one. Writes in one process are serialised (the
        web UI handles several requests at once).
        """
        with self.write_lock:
            existing = self.registry.get(normalize_scope(scope), source_key)
            outcome = self._index_document(scope, source_key, parsed, content_hash, on_embedded, meta)
        if outcome.action == "updated" and existing is not None:
            change = DocumentChange(
                outcome.doc_id, existing.scope, parsed.title, parsed.kind, existing.version, outcome.version
            )
            for listener in self.change_listeners:
                try:
                    listener(change)
                except Exception:  # noqa: BLE001 - the document is stored; a listener must not undo that
                    logger.exception("Wijziging van document %s niet doorgegeven", outcome.doc_id)
        return outcome

    def _index_document(
        self,
        scope: str,
        source_key: str,
        parsed: ParsedDocument,
        content_hash: str,
        on_embedded: ProgressCallback | None,
        meta: DocumentMeta | None,
    ) -> IndexOutcome:
        scope = self.ensure_scope(scope)
        existing = self.registry.get(scope, source_key)
        if existing and existing.status == STATUS_READY and existing.content_hash == content_hash:
            return IndexOutcome("unchanged", existing.id, existing.chunk_count, existing.version)
        self.clients.check_writable(scope)
        doc_id = existing.id if existing else document_id(scope, source_key)
        self._finish_pending_erasure(doc_id)
        if meta is None:
            meta = DocumentMeta(existing.effective_date, existing.owner) if existing else DocumentMeta()
        version = max(self.versions.next_version(doc_id), existing.version + 1 if existing else 1)
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO pending_vectors (doc_id, scope, content_hash) VALUES (?, ?, ?)",
                (doc_id, scope, content_hash),
            )
        try:
            ids, texts, metadatas = self._chunk_rows(scope, doc_id, parsed, content_hash)
            vectors = self._embed(texts, on_embedded)
            self.vectors.add(scope, ids, vectors, texts, metadatas)
            record = DocumentRecord(
                id=doc_id,
                scope=scope,
                source_key=source_key,
                source_name=parsed.source,
                title=parsed.title,
                kind=parsed.kind,
                law=parsed.law,
                content_hash=content_hash,
                status=STATUS_READY,
                chunk_count=len(ids),
                updated_at="",
                effective_date=meta.effective_date,
                owner=meta.owner,
                pii=dict(meta.pii),
                version=version,
            )
            entries = [
                lexical_entry(cid, doc_id, text, chunk_meta)
                for cid, text, chunk_meta in zip(ids, texts, metadatas, strict=True)
            ]
            with self.db.transaction() as conn:
                self.lexical.delete_document(conn, scope, doc_id)
                self.lexical.add(conn, scope, entries)
                self.registry.upsert(conn, record)
                self.versions.add(conn, record, list(zip(ids, texts, metadatas, strict=True)))
                self.clients.register(conn, scope)
                conn.execute("DELETE FROM pending_vectors WHERE doc_id = ?", (doc_id,))
        except BaseException:
            if not self.vectors.write_failed:  # else Chroma may hang: recover() deletes them later
                self._discard_vectors(scope, doc_id, content_hash)
            raise
        self.vectors.delete_where(
            scope, {"$and": [{"doc_id": doc_id}, {"content_hash": {"$ne": content_hash}}]}
        )
        return IndexOutcome("updated" if existing else "added", doc_id, len(ids), version)

    def retire_document(self, doc_id: str) -> bool:
        """Take a ready document out of retrieval, keeping its versions; False when not ready."""
        with self.write_lock:
            record = self.registry.by_id(doc_id)
            if record is None or record.status != STATUS_READY:
                return False
            self.clients.check_writable(record.scope)
            with self.db.transaction() as conn:
                self.lexical.delete_document(conn, record.scope, doc_id)
                self.registry.set_status(conn, doc_id, STATUS_RETIRED)
                self.versions.retire_current(conn, doc_id)
                conn.execute(
                    "INSERT OR IGNORE INTO pending_vectors (doc_id, scope, content_hash) VALUES (?, ?, ?)",
                    (doc_id, record.scope, record.content_hash),
                )
            self._discard_vectors(record.scope, doc_id, record.content_hash)
            return True

    def set_metadata(self, doc_id: str, owner: str, effective_date: str) -> bool:
        """Change owner and effective date of a document without a new version; False when unknown."""
        record = self.registry.by_id(doc_id)
        if record is None:
            return False
        self.clients.check_writable(record.scope)
        with self.db.transaction() as conn:
            self.registry.set_metadata(conn, doc_id, owner, effective_date)
            self.versions.set_metadata(conn, doc_id, owner, effective_date)
        return True

    def remove_document(self, doc_id: str, compact: bool = True) -> bool:
        """Erase a document (see :meth:`erase_document`); False when it is unknown."""
        return self.erase_document(doc_id, compact)[0]

    def erase_document(self, doc_id: str, compact: bool = True) -> tuple[bool, bool]:
        """Erase a document: chunks, lexical entries, versions, stored files, unique cached embeddings.

        Returns (found, compacted). ``compact`` (default) also rewrites the stores so the text
        leaves the files on disk; callers erasing many documents compact once at the end.
        """
        with self.write_lock:
            record = self.registry.by_id(doc_id)
            if record is None:
                return False, False
            vector_hashes = {text_hash(t) for t in self._vector_texts(record.scope, {"doc_id": doc_id})}
            with self.db.transaction() as conn:
                forget_embeddings(conn, [doc_id], vector_hashes)
                self.lexical.delete_document(conn, record.scope, doc_id)
                self.versions.delete_document(conn, doc_id)
                self.registry.delete(conn, doc_id)
                conn.execute("DELETE FROM sources WHERE doc_id = ?", (doc_id,))
                conn.execute("DELETE FROM pending_vectors WHERE doc_id = ?", (doc_id,))
                conn.execute("INSERT OR IGNORE INTO pending_erasures VALUES (?, ?)", (doc_id, record.scope))
            return True, self.finish_erasures(compact)

    def finish_erasures(self, compact: bool = True) -> bool:
        """Delete vectors and files of erasures noted in ``pending_erasures``; optionally compact.

        Returns False when compaction of the embedded store did not succeed.
        """
        rows = self.db.query("SELECT doc_id, scope FROM pending_erasures")
        dropped = {r["scope"] for r in rows if r["doc_id"] == WHOLE_SCOPE}
        for scope in sorted(dropped):
            self.vectors.drop_scope(scope)
        for row in rows:
            if row["doc_id"] == WHOLE_SCOPE:
                continue
            if row["scope"] not in dropped:
                self.vectors.delete_document(row["scope"], row["doc_id"])
            shutil.rmtree(self.upload_dir(row["doc_id"]), ignore_errors=True)
        compacted = True
        if compact and rows:
            compacted = self.compact(
                [r["doc_id"] for r in rows if r["doc_id"] != WHOLE_SCOPE], {r["scope"] for r in rows}
            )
        with self.db.transaction() as conn:
            conn.executemany(
                "DELETE FROM pending_erasures WHERE doc_id = ? AND scope = ?",
                [(r["doc_id"], r["scope"]) for r in rows],
            )
        return compacted

    def compact(self, doc_ids: list[str], scopes: set[str]) -> bool:
        """Rewrite lexical tables and stores so erased text leaves the files; False if Chroma could not."""
        compact_database(self.db, [self.lexical_table(s) for s in sorted(scopes)])
        folder = embedded_chroma_dir(self.vectors._client)  # VectorStore has no public accessor yet
        return compact_chroma(folder, doc_ids) if folder is not None else True

    def recover(self) -> int:
        """Finish interrupted writes and erasures; return how many were cleaned up."""
        rows = self.db.query("SELECT doc_id, scope, content_hash FROM pending_vectors")
        for row in rows:
            self._discard_vectors(row["scope"], row["doc_id"], row["content_hash"])
        erasures = len(self.db.query("SELECT 1 FROM pending_erasures"))
        if erasures:
            self.finish_erasures()
        rebuilds = 0
        if self.db.query("SELECT 1 FROM pending_rebuilds LIMIT 1"):
            from knowledge.maintenance import finish_rebuilds  # maintenance builds on this module

            rebuilds = len(finish_rebuilds(self))
        return len(rows) + erasures + rebuilds

    def current_hashes(self, scopes: list[str], doc_ids: Iterable[str] | None = None) -> dict[str, str]:
        """doc_id → content hash of the searchable documents in ``scopes`` (only ``doc_ids`` if given).

        Retrieval passes the documents of its candidates, so the cost does not grow with the
        number of documents in the knowledge base.
        """
        placeholders = ",".join("?" for _ in scopes)
        sql = f"SELECT id, content_hash FROM documents WHERE status = ? AND scope IN ({placeholders})"
        if doc_ids is None:
            rows = self.db.query(sql, (STATUS_READY, *scopes))
            return {r["id"]: r["content_hash"] for r in rows}
        wanted = sorted(set(doc_ids))
        hashes: dict[str, str] = {}
        for start in range(0, len(wanted), _PAGE_IDS):
            batch = wanted[start : start + _PAGE_IDS]
            rows = self.db.query(
                f"{sql} AND id IN ({','.join('?' for _ in batch)})", (STATUS_READY, *scopes, *batch)
            )
            hashes.update({r["id"]: r["content_hash"] for r in rows})
        return hashes

    def embed_chunks(
        self, texts: list[str], on_embedded: ProgressCallback | None = None
    ) -> list[list[float]]:
        """Vectors for chunk texts, through the embedding cache."""
        return self._embed(texts, on_embedded)

    def _finish_pending_erasure(self, doc_id: str) -> None:
        if self.db.query("SELECT 1 FROM pending_erasures WHERE doc_id = ?", (doc_id,)):
            self.finish_erasures()

    def _vector_texts(self, scope: str, where: dict[str, Any]) -> list[str]:
        """Texts of the vectors matching ``where`` in a scope's collection (paged)."""
        texts: list[str] = []
        offset = 0
        while True:
            page = self.vectors.page(scope, ["documents"], _PAGE, offset, where=where)
            texts += [t for t in page.get("documents") or [] if t]
            if len(page["ids"]) < _PAGE:
                return texts
            offset += _PAGE

    def _discard_vectors(self, scope: str, doc_id: str, content_hash: str) -> None:
        """Delete a write's vectors unless they are the searchable version; clear the pending note."""
        rows = self.db.query("SELECT content_hash, status FROM documents WHERE id = ?", (doc_id,))
        if not rows or rows[0]["content_hash"] != content_hash or rows[0]["status"] != STATUS_READY:
            self.vectors.delete_where(scope, {"$and": [{"doc_id": doc_id}, {"content_hash": content_hash}]})
        with self.db.transaction() as conn:
            conn.execute(
                "DELETE FROM pending_vectors WHERE doc_id = ? AND content_hash = ?", (doc_id, content_hash)
            )

    def _chunk_rows(
        self, scope: str, doc_id: str, parsed: ParsedDocument, content_hash: str
    ) -> tuple[list[str], list[str], list[dict[str, Any]]]:
        ids: list[str] = []
        texts: list[str] = []
        metadatas: list[dict[str, Any]] = []
        for index, chunk in enumerate(parsed.chunks):
            ids.append(f"{doc_id}:{content_hash[:12]}:{index}")
            texts.append(chunk.page_content)
            metadatas.append(
                {**chunk.metadata, "doc_id": doc_id, "content_hash": content_hash, "scope": scope}
            )
        return ids, texts, metadatas

    def _embed(self, texts: list[str], on_embedded: ProgressCallback | None) -> list[list[float]]:
        return self.embedding_cache.embed(texts, self.embedder.embed_documents, on_embedded)


def lexical_entry(chunk_id: str, doc_id: str, text: str, metadata: dict[str, Any]) -> LexicalEntry:
    """Split chunk text into its heading line (when it has one) and body for the lexical index."""
    if not (metadata.get("heading") or metadata.get("article") or metadata.get("recital")):
        return LexicalEntry(chunk_id=chunk_id, doc_id=doc_id, head="", body=text)
    head, _, body = text.partition("\n")
    return LexicalEntry(chunk_id=chunk_id, doc_id=doc_id, head=head, body=body or head)
