"""The document registry: which documents each scope holds, their metadata, content hash and status.

Statuses: ``ready`` once vectors and lexical entries are complete (the only status search
uses), ``retired`` for a document taken out of retrieval whose history is kept (a file that
left a synchronised folder). A write in progress has no record yet (see the protocol in
:mod:`knowledge.knowledge_base`). ``indexing`` is kept for databases written by older versions.

The tables and columns are made by the numbered migrations of ``knowledge.sqlite3``
(:data:`knowledge.database.KNOWLEDGE_MIGRATIONS`): metadata columns on ``documents`` and the
tables for versions, clients, official sources and erasures still to be finished are migration 2.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import sqlite3
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from knowledge.database import Database

_Record = TypeVar("_Record")

STATUS_INDEXING = "indexing"
STATUS_READY = "ready"
STATUS_RETIRED = "retired"

#: Kinds of document a knowledge manager can choose ("wet" is set by the law parsers).
KINDS: tuple[str, ...] = ("wet", "richtlijn", "checklist", "procesdocument", "sjabloon", "document")


@dataclass(frozen=True)
class DocumentMeta:
    """What a knowledge manager records about a document besides its content."""

    effective_date: str = ""
    owner: str = ""
    pii: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DocumentRecord:
    """One registered document (its current version)."""

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
    effective_date: str = ""
    owner: str = ""
    pii: dict[str, int] = field(default_factory=dict)
    version: int = 1
    created_at: str = ""

    @property
    def pii_total(self) -> int:
        """All personal data masked in the current version."""
        return sum(self.pii.values())


def document_id(scope: str, source_key: str) -> str:
    """Stable id of the document that ``source_key`` holds in ``scope`` when first indexed."""
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

    def by_id(self, doc_id: str) -> DocumentRecord | None:
        """The record with this id, if any."""
        rows = self._db.query("SELECT * FROM documents WHERE id = ?", (doc_id,))
        return _record(rows[0]) if rows else None

    def resolve_id(self, prefix: str) -> list[str]:
        """Ids that start with ``prefix`` (a full id matches only itself)."""
        prefix = prefix.strip().lower()
        if not prefix:
            return []
        rows = self._db.query(
            "SELECT id FROM documents WHERE substr(id, 1, ?) = ? ORDER BY id", (len(prefix), prefix)
        )
        return [r["id"] for r in rows]

    def list(
        self,
        scope: str | None = None,
        status: str | None = None,
        kind: str | None = None,
        text: str | None = None,
    ) -> list[DocumentRecord]:
        """All records, optionally filtered by scope, status, kind and a text in title, file or owner."""
        sql = "SELECT * FROM documents WHERE 1=1"
        params: list[object] = []
        for column, value in (("scope", scope), ("status", status), ("kind", kind)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        if text:
            sql += " AND (instr(lower(title), ?) OR instr(lower(source_name), ?) OR instr(lower(owner), ?))"
            params += [text.lower()] * 3
        return [_record(r) for r in self._db.query(sql + " ORDER BY title, source_name", tuple(params))]

    def ready_ids(self, scopes: builtins.list[str]) -> set[str]:
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
            " status, chunk_count, effective_date, owner, pii, version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET scope = excluded.scope, source_key = excluded.source_key,"
            " source_name = excluded.source_name, title = excluded.title,"
            " kind = excluded.kind, law = excluded.law, content_hash = excluded.content_hash,"
            " status = excluded.status, chunk_count = excluded.chunk_count,"
            " effective_date = excluded.effective_date, owner = excluded.owner, pii = excluded.pii,"
            " version = excluded.version, updated_at = datetime('now')",
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
                record.effective_date,
                record.owner,
                json.dumps(record.pii, sort_keys=True),
                record.version,
            ),
        )

    def set_status(self, conn: sqlite3.Connection, doc_id: str, status: str) -> None:
        """Change a record's status inside the caller's transaction."""
        conn.execute(
            "UPDATE documents SET status = ?, updated_at = datetime('now') WHERE id = ?", (status, doc_id)
        )

    def set_metadata(self, conn: sqlite3.Connection, doc_id: str, owner: str, effective_date: str) -> None:
        """Change owner and effective date (no new version) inside the caller's transaction."""
        conn.execute(
            "UPDATE documents SET owner = ?, effective_date = ?, updated_at = datetime('now') WHERE id = ?",
            (owner, effective_date, doc_id),
        )

    def delete(self, conn: sqlite3.Connection, doc_id: str) -> None:
        """Remove a record inside the caller's transaction."""
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def decode_pii(raw: Any) -> dict[str, int]:
    """PII counts stored as JSON (tolerates empty or malformed values)."""
    try:
        value = json.loads(raw or "{}")
    except (TypeError, ValueError):
        return {}
    return {str(k): int(v) for k, v in value.items()} if isinstance(value, dict) else {}


def record_from_row(cls: type[_Record], row: sqlite3.Row) -> _Record:
    """A record dataclass from a row: every field from the column of the same name, ``pii`` decoded."""
    columns = set(row.keys())
    values = {
        f.name: decode_pii(row[f.name]) if f.name == "pii" else row[f.name]
        for f in fields(cls)  # type: ignore[arg-type]
        if f.name in columns
    }
    return cls(**values)


def _record(row: sqlite3.Row) -> DocumentRecord:
    return record_from_row(DocumentRecord, row)
