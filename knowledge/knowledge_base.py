"""The knowledge base: writes documents consistently into registry, lexical index and Chroma.

Write protocol for one document (new or changed), designed so a crash at any point
leaves no half document visible and no duplicates after a retry:

1. note ``(doc_id, hash)`` in ``pending_vectors``;
2. embed and add the new chunks to Chroma under ids that contain the content hash;
3. in one SQLite transaction: replace the lexical entries, mark the document ``ready``
   with the new hash, clear the pending note;
4. delete the document's vectors with another hash (the previous version).

Dense hits are only used when their ``(doc_id, content_hash)`` matches the registry,
so vectors of an interrupted write are never seen; :meth:`KnowledgeBase.recover`
deletes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ingestion.model import ParsedDocument
from knowledge.database import Database
from knowledge.embedding_cache import EmbeddingCache
from knowledge.embeddings import IdentifiedEmbeddings
from knowledge.lexical_index import LexicalEntry, LexicalIndex
from knowledge.registry import STATUS_READY, DocumentRecord, Registry, document_id
from knowledge.scopes import normalize_scope
from knowledge.vector_store import VectorStore

ProgressCallback = Callable[[int], None]


@dataclass(frozen=True)
class IndexOutcome:
    """What indexing one document did: ``added``, ``updated`` or ``unchanged``."""

    action: str
    doc_id: str
    chunk_count: int


class KnowledgeBase:
    """Registry + lexical index + vector store of all scopes."""

    def __init__(self, db: Database, vectors: VectorStore, embedder: IdentifiedEmbeddings) -> None:
        self.db = db
        self.registry = Registry(db)
        self.lexical = LexicalIndex(db)
        self.vectors = vectors
        self.embedder = embedder
        self.embedding_cache = EmbeddingCache(db, embedder.embedder_id)

    def ensure_scope(self, scope: str) -> str:
        """Create the scope's stores if needed; return the canonical scope."""
        scope = normalize_scope(scope)
        self.lexical.ensure_scope(scope)
        self.vectors.collection(scope)
        return scope

    def is_current(self, scope: str, source_key: str, content_hash: str) -> bool:
        """True when the source is indexed with exactly this content."""
        record = self.registry.get(normalize_scope(scope), source_key)
        return record is not None and record.status == STATUS_READY and record.content_hash == content_hash

    def index_document(
        self,
        scope: str,
        source_key: str,
        parsed: ParsedDocument,
        content_hash: str,
        on_embedded: ProgressCallback | None = None,
    ) -> IndexOutcome:
        """Add or replace a parsed document; a no-op when its content is unchanged."""
        scope = self.ensure_scope(scope)
        existing = self.registry.get(scope, source_key)
        doc_id = document_id(scope, source_key)
        if existing and existing.status == STATUS_READY and existing.content_hash == content_hash:
            return IndexOutcome("unchanged", doc_id, existing.chunk_count)
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
            )
            entries = [
                _lexical_entry(cid, doc_id, text, meta)
                for cid, text, meta in zip(ids, texts, metadatas, strict=True)
            ]
            with self.db.transaction() as conn:
                self.lexical.delete_document(conn, scope, doc_id)
                self.lexical.add(conn, scope, entries)
                self.registry.upsert(conn, record)
                conn.execute("DELETE FROM pending_vectors WHERE doc_id = ?", (doc_id,))
        except BaseException:
            self._discard_vectors(scope, doc_id, content_hash)
            raise
        self.vectors.collection(scope).delete(
            where={"$and": [{"doc_id": doc_id}, {"content_hash": {"$ne": content_hash}}]}
        )
        return IndexOutcome("updated" if existing else "added", doc_id, len(ids))

    def remove_document(self, doc_id: str) -> bool:
        """Remove a document's chunks, lexical entries and record; False when unknown."""
        rows = self.db.query("SELECT scope FROM documents WHERE id = ?", (doc_id,))
        if not rows:
            return False
        scope = rows[0]["scope"]
        with self.db.transaction() as conn:
            self.lexical.delete_document(conn, scope, doc_id)
            self.registry.delete(conn, doc_id)
        self.vectors.delete_document(scope, doc_id)
        return True

    def recover(self) -> int:
        """Delete vectors left by interrupted writes; return how many writes were cleaned up."""
        rows = self.db.query("SELECT doc_id, scope, content_hash FROM pending_vectors")
        for row in rows:
            self._discard_vectors(row["scope"], row["doc_id"], row["content_hash"])
        return len(rows)

    def current_hashes(self, scopes: list[str]) -> dict[str, str]:
        """doc_id → content hash of the searchable documents in ``scopes``."""
        placeholders = ",".join("?" for _ in scopes)
        rows = self.db.query(
            f"SELECT id, content_hash FROM documents WHERE status = ? AND scope IN ({placeholders})",
            (STATUS_READY, *scopes),
        )
        return {r["id"]: r["content_hash"] for r in rows}

    def _discard_vectors(self, scope: str, doc_id: str, content_hash: str) -> None:
        rows = self.db.query("SELECT content_hash FROM documents WHERE id = ?", (doc_id,))
        if not rows or rows[0]["content_hash"] != content_hash:
            self.vectors.collection(scope).delete(
                where={"$and": [{"doc_id": doc_id}, {"content_hash": content_hash}]}
            )
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


def _lexical_entry(chunk_id: str, doc_id: str, text: str, metadata: dict[str, Any]) -> LexicalEntry:
    """Split chunk text into its heading line (when it has one) and body for the lexical index."""
    if not (metadata.get("heading") or metadata.get("article") or metadata.get("recital")):
        return LexicalEntry(chunk_id=chunk_id, doc_id=doc_id, head="", body=text)
    head, _, body = text.partition("\n")
    return LexicalEntry(chunk_id=chunk_id, doc_id=doc_id, head=head, body=body or head)
