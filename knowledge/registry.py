"""The document registry: which documents each scope holds, their content hash and status.

Statuses: ``indexing`` while chunks are being written (never visible to search),
``ready`` once vectors and lexical entries are complete. A document left in
``indexing`` by a crash is cleaned up and retried by the next ingest.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass

from knowledge.database import Database

STATUS_INDEXING = "indexing"
STATUS_READY = "ready"


@dataclass(frozen=True)
class DocumentRecord:
    """One registered document."""

    id: str
    scope: str
    source_key: str
    source_name: str
    title: str
    kind: str
    law: str
    content_hash: str
    status: str
    chunk_count: int
    updated_at: str


def document_id(scope: str, source_key: str) -> str:
    """Stable id of the document that ``source_key`` holds in ``scope``."""
    return hashlib.sha1(f"{scope}\x00{source_key}".encode()).hexdigest()[:20]


class Registry:
    """Read and write document records."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, scope: str, source_key: str) -> DocumentRecord | None:
        """The record for a source in a scope, if any."""
        rows = self._db.query(
            "SELECT * FROM documents WHERE scope = ? AND source_key = ?", (scope, source_key)
        )
        return _record(rows[0]) if rows else None

    def list(self, scope: str | None = None, status: str | None = None) -> list[DocumentRecord]:
        """All records, optionally filtered by scope and status, ordered by title."""
        sql = "SELECT * FROM documents WHERE 1=1"
        params: list[object] = []
        if scope is not None:
            sql += " AND scope = ?"
            params.append(scope)
        if status is not None:
            sql += " AND status = ?"
            params.append(status)
        return [_record(r) for r in self._db.query(sql + " ORDER BY title, source_name", tuple(params))]

    def ready_ids(self, scopes: list[str]) -> set[str]:
        """Ids of the searchable documents in the given scopes."""
        placeholders = ",".join("?" for _ in scopes)
        rows = self._db.query(
            f"SELECT id FROM documents WHERE status = ? AND scope IN ({placeholders})",
            (STATUS_READY, *scopes),
        )
        return {r["id"] for r in rows}

    def upsert(self, conn: sqlite3.Connection, record: DocumentRecord) -> None:
        """Insert or replace a record inside the caller's transaction."""
        conn.execute(
            "INSERT INTO documents (id, scope, source_key, source_name, title, kind, law, content_hash,"
            " status, chunk_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET source_name = excluded.source_name, title = excluded.title,"
            " kind = excluded.kind, law = excluded.law, content_hash = excluded.content_hash,"
            " status = excluded.status, chunk_count = excluded.chunk_count, updated_at = datetime('now')",
            (
                record.id,
                record.scope,
                record.source_key,
                record.source_name,
                record.title,
                record.kind,
                record.law,
                record.content_hash,
                record.status,
                record.chunk_count,
            ),
        )

    def delete(self, conn: sqlite3.Connection, doc_id: str) -> None:
        """Remove a record inside the caller's transaction."""
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def _record(row: sqlite3.Row) -> DocumentRecord:
    return DocumentRecord(
        id=row["id"],
        scope=row["scope"],
        source_key=row["source_key"],
        source_name=row["source_name"],
        title=row["title"],
        kind=row["kind"],
        law=row["law"],
        content_hash=row["content_hash"],
        status=row["status"],
        chunk_count=row["chunk_count"],
        updated_at=row["updated_at"],
    )
