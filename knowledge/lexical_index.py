"""Lexical search with Dutch stemming: one SQLite FTS5 table per scope over pre-stemmed text.

Text is analysed in Python (:mod:`knowledge.text_analysis`) and stored as
space-separated stems, so FTS5 only has to split on spaces and rank with BM25. Each
row has a ``head`` column (article title or heading path) and a ``body`` column;
the head is weighted higher because titles name what an article is about.

FTS5 cannot index its ``doc_id`` column, so deleting a document's rows by ``doc_id`` would
scan the whole table (quadratic ingest at 100,000 chunks). A plain table ``<table>_rows``
maps each FTS row id to its document, indexed by document.
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
        self._schema_version = -1

    def _table(self, scope: str) -> str:
        return f"lex_{scope_ident(scope)}"

    def ensure_scope(self, scope: str) -> None:
        """Create the scope's tables if they do not exist.

        Which tables exist is cached until SQLite's schema version changes: then another process
        (in server mode) may have dropped a scope, and the cache starts over.
        """
        table = self._table(scope)
        version = int(self._db.query("PRAGMA schema_version")[0][0])
        if version != self._schema_version:
            self._ensured.clear()
            self._schema_version = version
        if table in self._ensured:
            return
        with self._db.transaction() as conn:
            conn.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5("
                "chunk_id UNINDEXED, doc_id UNINDEXED, head, body, "
                "tokenize = 'unicode61 remove_diacritics 0')"
            )
            conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {table}_vocab USING fts5vocab({table}, 'row')")
            has_map = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (f"{table}_rows",)
            ).fetchone()
            if not has_map:  # new scope, or an index from before the row map: build it once
                self._create_row_map(conn, table)
            self._schema_version = int(conn.execute("PRAGMA schema_version").fetchone()[0])
        self._ensured.add(table)

    @staticmethod
    def _create_row_map(conn: sqlite3.Connection, table: str) -> None:
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {table}_rows (row INTEGER PRIMARY KEY, doc_id TEXT NOT NULL)"
        )
        conn.execute(f"CREATE INDEX IF NOT EXISTS {table}_rows_doc ON {table}_rows (doc_id)")
        conn.execute(f"DELETE FROM {table}_rows")
        conn.execute(f"INSERT INTO {table}_rows (row, doc_id) SELECT rowid, doc_id FROM {table}")

    def add(self, conn: sqlite3.Connection, scope: str, entries: Iterable[LexicalEntry]) -> None:
        """Insert entries inside the caller's transaction ``conn``."""
        table = self._table(scope)
        last = conn.execute(f"SELECT coalesce(max(row), 0) FROM {table}_rows").fetchone()[0]
        rows = [
            (last + n, e.chunk_id, e.doc_id, analyzed_text(e.head), analyzed_text(e.body))
            for n, e in enumerate(entries, start=1)
        ]
        conn.executemany(
            f"INSERT INTO {table} (rowid, chunk_id, doc_id, head, body) VALUES (?, ?, ?, ?, ?)", rows
        )
        conn.executemany(
            f"INSERT INTO {table}_rows (row, doc_id) VALUES (?, ?)", [(r[0], r[2]) for r in rows]
        )

    def delete_document(self, conn: sqlite3.Connection, scope: str, doc_id: str) -> None:
        """Remove all entries of a document inside the caller's transaction ``conn``."""
        table = self._table(scope)
        conn.execute(
            f"DELETE FROM {table} WHERE rowid IN (SELECT row FROM {table}_rows WHERE doc_id = ?)", (doc_id,)
        )
        conn.execute(f"DELETE FROM {table}_rows WHERE doc_id = ?", (doc_id,))

    def keep_only(self, conn: sqlite3.Connection, scope: str, doc_ids: Sequence[str]) -> None:
        """Remove every entry not of ``doc_ids`` (a full scan: for repairs), and rebuild the row map."""
        table = self._table(scope)
        marks = ",".join("?" for _ in doc_ids) or "''"
        conn.execute(f"DELETE FROM {table} WHERE doc_id NOT IN ({marks})", tuple(doc_ids))
        self._create_row_map(conn, table)

    def optimize(self, conn: sqlite3.Connection, scope: str) -> None:
        """Merge the scope's FTS5 segments inside the caller's transaction ``conn``."""
        table = self._table(scope)
        conn.execute(f"INSERT INTO {table}({table}) VALUES('optimize')")

    def copy_scope(self, conn: sqlite3.Connection, source: str, target: str) -> None:
        """Add every entry of scope ``source`` to the (ensured) scope ``target``, inside ``conn``."""
        old, new = self._table(source), self._table(target)
        last = conn.execute(f"SELECT coalesce(max(row), 0) FROM {new}_rows").fetchone()[0]
        conn.execute(
            f"INSERT INTO {new} (rowid, chunk_id, doc_id, head, body) "
            f"SELECT rowid + ?, chunk_id, doc_id, head, body FROM {old}",
            (last,),
        )
        conn.execute(f"INSERT INTO {new}_rows (row, doc_id) SELECT rowid + ?, doc_id FROM {old}", (last,))

    def drop_tables(self, conn: sqlite3.Connection, scope: str) -> None:
        """Drop the scope's tables inside the caller's transaction ``conn`` (see :meth:`forget`)."""
        table = self._table(scope)
        conn.execute(f"DROP TABLE IF EXISTS {table}_vocab")
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(f"DROP TABLE IF EXISTS {table}_rows")

    def forget(self, scope: str) -> None:
        """Forget that the scope's tables were ensured (after :meth:`drop_tables` committed)."""
        self._ensured.discard(self._table(scope))

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

    def vocabulary(self, scope: str) -> dict[str, int]:
        """Every stem of the scope with the number of chunks containing it (one scan of the vocabulary)."""
        rows = self._db.query(f"SELECT term, doc FROM {self._table(scope)}_vocab")
        return {r["term"]: int(r["doc"]) for r in rows}

    def stamp(self, scope: str) -> tuple[int, int]:
        """(highest row, row count) of the scope: changes whenever chunks are added or removed."""
        row = self._db.query(
            f"SELECT coalesce(max(row), 0) AS top, count(*) AS n FROM {self._table(scope)}_rows"
        )[0]
        return int(row["top"]), int(row["n"])

    def chunk_count(self, scope: str) -> int:
        """Number of chunks indexed in the scope."""
        return int(self._db.query(f"SELECT count(*) AS n FROM {self._table(scope)}")[0]["n"])

    def drop_scope(self, scope: str) -> None:
        """Remove the scope's tables entirely."""
        with self._db.transaction() as conn:
            self.drop_tables(conn, scope)
        self.forget(scope)
