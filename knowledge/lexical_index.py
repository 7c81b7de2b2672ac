"""Lexical search with Dutch stemming: one SQLite FTS5 table per scope over pre-stemmed text.

Text is analysed in Python (:mod:`knowledge.text_analysis`) and stored as
space-separated stems, so FTS5 only has to split on spaces and rank with BM25. Each
row has a ``head`` column (article title or heading path) and a ``body`` column;
the head is weighted higher because titles name what an article is about.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from knowledge.database import Database
from knowledge.scopes import scope_ident
from knowledge.text_analysis import analyzed_text

HEAD_WEIGHT = 2.0
BODY_WEIGHT = 1.0


@dataclass(frozen=True)
class LexicalEntry:
    """What the lexical index stores for one chunk."""

    chunk_id: str
    doc_id: str
    head: str
    body: str


class LexicalIndex:
    """BM25 search over stemmed chunks, one FTS5 table per scope."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._ensured: set[str] = set()

    def _table(self, scope: str) -> str:
        return f"lex_{scope_ident(scope)}"

    def ensure_scope(self, scope: str) -> None:
        """Create the scope's tables if they do not exist (once per scope and process)."""
        table = self._table(scope)
        if table in self._ensured:
            return
        with self._db.transaction() as conn:
            conn.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5("
                "chunk_id UNINDEXED, doc_id UNINDEXED, head, body, "
                "tokenize = 'unicode61 remove_diacritics 0')"
            )
            conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {table}_vocab USING fts5vocab({table}, 'row')")
        self._ensured.add(table)

    def add(self, conn: sqlite3.Connection, scope: str, entries: Iterable[LexicalEntry]) -> None:
        """Insert entries inside the caller's transaction ``conn``."""
        table = self._table(scope)
        rows = [(e.chunk_id, e.doc_id, analyzed_text(e.head), analyzed_text(e.body)) for e in entries]
        conn.executemany(f"INSERT INTO {table} (chunk_id, doc_id, head, body) VALUES (?, ?, ?, ?)", rows)

    def delete_document(self, conn: sqlite3.Connection, scope: str, doc_id: str) -> None:
        """Remove all entries of a document inside the caller's transaction ``conn``."""
        conn.execute(f"DELETE FROM {self._table(scope)} WHERE doc_id = ?", (doc_id,))

    def search(self, scope: str, stems: Sequence[str], limit: int) -> list[tuple[str, str, float]]:
        """(chunk_id, doc_id, score) for chunks matching any stem; higher score is better."""
        terms = sorted({s for s in stems if s})
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        table = self._table(scope)
        rows = self._db.query(
            f"SELECT chunk_id, doc_id, bm25({table}, 0, 0, ?, ?) AS rank FROM {table} "
            f"WHERE {table} MATCH ? ORDER BY rank LIMIT ?",
            (HEAD_WEIGHT, BODY_WEIGHT, match, limit),
        )
        return [(r["chunk_id"], r["doc_id"], -float(r["rank"])) for r in rows]

    def document_frequencies(self, scope: str, stems: Iterable[str]) -> dict[str, int]:
        """How many chunks of the scope contain each stem (0 when absent)."""
        wanted = sorted(set(stems))
        if not wanted:
            return {}
        placeholders = ",".join("?" for _ in wanted)
        rows = self._db.query(
            f"SELECT term, doc FROM {self._table(scope)}_vocab WHERE term IN ({placeholders})", tuple(wanted)
        )
        found = {r["term"]: int(r["doc"]) for r in rows}
        return {s: found.get(s, 0) for s in wanted}

    def chunk_count(self, scope: str) -> int:
        """Number of chunks indexed in the scope."""
        return int(self._db.query(f"SELECT count(*) AS n FROM {self._table(scope)}")[0]["n"])

    def drop_scope(self, scope: str) -> None:
        """Remove the scope's tables entirely."""
        table = self._table(scope)
        self._ensured.discard(table)
        with self._db.transaction() as conn:
            conn.execute(f"DROP TABLE IF EXISTS {table}_vocab")
            conn.execute(f"DROP TABLE IF EXISTS {table}")
