"""Document versions: every indexed version of a document, with a snapshot of its chunks.

A new version is written in the same SQLite transaction that makes it the searchable one
(see :mod:`knowledge.knowledge_base`), so the history never disagrees with the registry.
Old versions leave retrieval but keep their chunk texts and metadata here, so a citation
given earlier can still be shown as it was. Re-indexing rebuilds vectors and lexical
entries from the current version's snapshot. Only erasure deletes versions.

Version statuses: ``actueel`` (the searchable one), ``vervangen`` (replaced by a newer
version) and ``ingetrokken`` (taken out of retrieval without a successor).
"""

from __future__ import annotations

import builtins
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from knowledge.database import Database
from knowledge.embedding_cache import text_hash
from knowledge.registry import DocumentRecord, record_from_row

VERSION_CURRENT = "actueel"
VERSION_REPLACED = "vervangen"
VERSION_RETIRED = "ingetrokken"


@dataclass(frozen=True)
class StoredChunk:
    """One chunk of a version as it was indexed."""

    chunk_id: str
    position: int
    text: str
    metadata: dict[str, Any]


@dataclass(frozen=True)
class VersionRecord:
    """One version of a document."""

    doc_id: str
    version: int
    scope: str
    source_key: str
    source_name: str
    title: str
    kind: str
    law: str
    content_hash: str
    effective_date: str
    owner: str
    pii: dict[str, int]
    chunk_count: int
    status: str
    created_at: str
    ended_at: str


class VersionStore:
    """Read and write versions and their chunk snapshots."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
        self,
        conn: sqlite3.Connection,
        record: DocumentRecord,
        chunks: list[tuple[str, str, dict[str, Any]]],
    ) -> None:
        """Store ``record`` as the current version, ending the previous one, inside ``conn``."""
        conn.execute(
            "UPDATE document_versions SET status = ?, ended_at = datetime('now') "
            "WHERE doc_id = ? AND status = ?",
            (VERSION_REPLACED, record.id, VERSION_CURRENT),
        )
        conn.execute(
            "DELETE FROM version_chunks WHERE doc_id = ? AND version = ?", (record.id, record.version)
        )
        conn.execute(
            "INSERT OR REPLACE INTO document_versions (doc_id, version, scope, source_key, source_name,"
            " title, kind, law, content_hash, effective_date, owner, pii, chunk_count, status)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.id,
                record.version,
                record.scope,
                record.source_key,
                record.source_name,
                record.title,
                record.kind,
                record.law,
                record.content_hash,
                record.effective_date,
                record.owner,
                json.dumps(record.pii, sort_keys=True),
                record.chunk_count,
                VERSION_CURRENT,
            ),
        )
        conn.executemany(
            "INSERT INTO version_chunks (doc_id, version, position, chunk_id, text, metadata, text_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    record.id,
                    record.version,
                    i,
                    cid,
                    text,
                    json.dumps(meta, ensure_ascii=False),
                    text_hash(text),
                )
                for i, (cid, text, meta) in enumerate(chunks)
            ],
        )

    def retire_current(self, conn: sqlite3.Connection, doc_id: str) -> None:
        """Mark the current version as taken out of retrieval, inside ``conn``."""
        conn.execute(
            "UPDATE document_versions SET status = ?, ended_at = datetime('now') "
            "WHERE doc_id = ? AND status = ?",
            (VERSION_RETIRED, doc_id, VERSION_CURRENT),
        )

    def set_metadata(self, conn: sqlite3.Connection, doc_id: str, owner: str, effective_date: str) -> None:
        """Carry a metadata edit over to the current version, inside ``conn``."""
        conn.execute(
            "UPDATE document_versions SET owner = ?, effective_date = ? WHERE doc_id = ? AND status = ?",
            (owner, effective_date, doc_id, VERSION_CURRENT),
        )

    def next_version(self, doc_id: str) -> int:
        """The number the next version of ``doc_id`` gets."""
        rows = self._db.query("SELECT max(version) AS v FROM document_versions WHERE doc_id = ?", (doc_id,))
        return int(rows[0]["v"] or 0) + 1

    def list(self, doc_id: str) -> list[VersionRecord]:
        """All versions of a document, newest first."""
        rows = self._db.query(
            "SELECT * FROM document_versions WHERE doc_id = ? ORDER BY version DESC", (doc_id,)
        )
        return [_version(r) for r in rows]

    def get(self, doc_id: str, version: int) -> VersionRecord | None:
        """One version of a document, if it exists."""
        rows = self._db.query(
            "SELECT * FROM document_versions WHERE doc_id = ? AND version = ?", (doc_id, version)
        )
        return _version(rows[0]) if rows else None

    def chunks(self, doc_id: str, version: int) -> builtins.list[StoredChunk]:
        """The chunks of one version in document order."""
        rows = self._db.query(
            "SELECT chunk_id, position, text, metadata FROM version_chunks "
            "WHERE doc_id = ? AND version = ? ORDER BY position",
            (doc_id, version),
        )
        return [_chunk(r) for r in rows]

    def find_chunk(self, chunk_id: str) -> tuple[VersionRecord, StoredChunk] | None:
        """The newest version holding a chunk id, with the chunk as it was (for old citations)."""
        rows = self._db.query(
            "SELECT doc_id, version, chunk_id, position, text, metadata FROM version_chunks "
            "WHERE chunk_id = ? ORDER BY version DESC LIMIT 1",
            (chunk_id,),
        )
        if not rows:
            return None
        version = self.get(rows[0]["doc_id"], rows[0]["version"])
        return (version, _chunk(rows[0])) if version else None

    def has_snapshot(self, doc_id: str, version: int) -> bool:
        """Whether the chunks of this version are stored (documents from older releases may lack them)."""
        rows = self._db.query(
            "SELECT 1 FROM version_chunks WHERE doc_id = ? AND version = ? LIMIT 1", (doc_id, version)
        )
        return bool(rows)

    def delete_document(self, conn: sqlite3.Connection, doc_id: str) -> None:
        """Erase every version of a document, inside ``conn``."""
        conn.execute("DELETE FROM version_chunks WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM document_versions WHERE doc_id = ?", (doc_id,))


def _chunk(row: sqlite3.Row) -> StoredChunk:
    return StoredChunk(
        chunk_id=row["chunk_id"],
        position=row["position"],
        text=row["text"],
        metadata=json.loads(row["metadata"]),
    )


def _version(row: sqlite3.Row) -> VersionRecord:
    return record_from_row(VersionRecord, row)
