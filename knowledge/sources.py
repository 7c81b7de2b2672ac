"""Official sources: which law texts were fetched from where, when, and which version they hold."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from knowledge.database import Database


@dataclass(frozen=True)
class SourceRecord:
    """One official source (e.g. the AVG from EUR-Lex)."""

    name: str
    url: str
    doc_id: str
    content_hash: str
    version_label: str
    fetched_at: str
    changed_at: str


class SourceRegistry:
    """Read and write source rows (the table is made by migration 2 of ``knowledge.sqlite3``)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, name: str) -> SourceRecord | None:
        """The source with this name, if recorded."""
        rows = self._db.query("SELECT * FROM sources WHERE name = ?", (name,))
        return _source(rows[0]) if rows else None

    def list(self) -> list[SourceRecord]:
        """All recorded sources by name."""
        return [_source(r) for r in self._db.query("SELECT * FROM sources ORDER BY name")]

    def record(
        self, name: str, url: str, doc_id: str, content_hash: str, version_label: str, changed: bool
    ) -> None:
        """Note a fetch; ``changed`` also moves the date the text last changed."""
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO sources (name, url, doc_id, content_hash, version_label, fetched_at, changed_at)"
                " VALUES (?, ?, ?, ?, ?, datetime('now'), datetime('now')) "
                "ON CONFLICT(name) DO UPDATE SET url = excluded.url, doc_id = excluded.doc_id,"
                " content_hash = excluded.content_hash, version_label = excluded.version_label,"
                " fetched_at = excluded.fetched_at,"
                " changed_at = CASE WHEN ? THEN excluded.changed_at ELSE sources.changed_at END",
                (name, url, doc_id, content_hash, version_label, int(changed)),
            )


def _source(row: sqlite3.Row) -> SourceRecord:
    return SourceRecord(
        name=row["name"],
        url=row["url"],
        doc_id=row["doc_id"],
        content_hash=row["content_hash"],
        version_label=row["version_label"],
        fetched_at=row["fetched_at"],
        changed_at=row["changed_at"],
    )
