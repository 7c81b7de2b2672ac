"""The relational side of the knowledge base: one SQLite file for registry and lexical index.

Keeping the document registry and the FTS5 lexical tables in one database lets a
document's lexical entries and its "ready" status be committed in a single
transaction, so a crash never leaves a half-indexed document visible.

:func:`create_store` and :func:`short_transaction` serve the small feature stores
(accounts, audit log, conversations, Compliancy Check) that open a short-lived
connection per call, so web worker threads can share one store.

Every file's schema comes from its numbered migrations (:mod:`knowledge.migrations`),
applied when the file is opened.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from knowledge.migrations import TABLE as MIGRATIONS_TABLE
from knowledge.migrations import Migrations, add_columns, apply, run_script, script

Prepare = Callable[[sqlite3.Connection], None]

SCHEMA = """
CREATE TABLE IF NOT EXISTS scopes (
    name TEXT PRIMARY KEY,
    ident TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    scope TEXT NOT NULL,
    source_key TEXT NOT NULL,
    source_name TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    law TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    chunk_count INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    updated_at TEXT NOT NULL DEFAULT (datetime('now')),
    UNIQUE (scope, source_key)
);
CREATE TABLE IF NOT EXISTS pending_vectors (
    doc_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    PRIMARY KEY (doc_id, content_hash)
);
CREATE TABLE IF NOT EXISTS embedding_cache (
    embedder_id TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (embedder_id, text_hash)
);
CREATE TABLE IF NOT EXISTS pending_rebuilds (
    scope TEXT PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

_DOCUMENT_COLUMNS = {
    "effective_date": "TEXT NOT NULL DEFAULT ''",
    "owner": "TEXT NOT NULL DEFAULT ''",
    "pii": "TEXT NOT NULL DEFAULT '{}'",
    "version": "INTEGER NOT NULL DEFAULT 1",
}

DOCUMENT_MANAGEMENT = """
CREATE TABLE IF NOT EXISTS document_versions (
    doc_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    scope TEXT NOT NULL,
    source_key TEXT NOT NULL,
    source_name TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    law TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    effective_date TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    pii TEXT NOT NULL DEFAULT '{}',
    chunk_count INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    ended_at TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (doc_id, version)
);
CREATE TABLE IF NOT EXISTS version_chunks (
    doc_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    chunk_id TEXT NOT NULL,
    text TEXT NOT NULL,
    metadata TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    PRIMARY KEY (doc_id, version, position)
);
CREATE INDEX IF NOT EXISTS version_chunks_text_hash ON version_chunks (text_hash);
CREATE INDEX IF NOT EXISTS version_chunks_chunk_id ON version_chunks (chunk_id);
CREATE TABLE IF NOT EXISTS clients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'actief',
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    archived_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS sources (
    name TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    version_label TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending_erasures (
    doc_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    PRIMARY KEY (doc_id, scope)
);
"""


def document_management(conn: sqlite3.Connection) -> None:
    """Metadata columns on ``documents`` (release 0.1 added them itself when missing) and their tables."""
    add_columns(conn, "documents", _DOCUMENT_COLUMNS)
    run_script(conn, DOCUMENT_MANAGEMENT)


#: The schema history of ``knowledge.sqlite3`` (the per-scope lexical tables are made on demand
#: by :mod:`knowledge.lexical_index`, because their names come from the data).
KNOWLEDGE_MIGRATIONS = Migrations("knowledge", [script("base_schema", SCHEMA), document_management])


class Database:
    """A thread-safe SQLite connection; subclasses set ``migrations`` for their own database file."""

    migrations: Migrations = KNOWLEDGE_MIGRATIONS

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        try:
            apply(self._conn, self.migrations)
        except BaseException:
            self._conn.close()
            raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run statements atomically; rolls back on any exception."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        """Run a read query and return all rows."""
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def installation_id(self) -> str:
        """A random id made once per data directory (names this installation's Chroma database)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('installation_id', ?)", (uuid.uuid4().hex,)
            )
        return str(self.query("SELECT value FROM meta WHERE key = 'installation_id'")[0]["value"])

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()


def create_store(
    path: Path,
    migrations: Migrations,
    *,
    wal: bool = True,
    private: bool = False,
    prepare: Prepare | None = None,
) -> set[str]:
    """Create or upgrade a store's file by its ``migrations``; returns the object names it had before.

    Runs outside any explicit transaction: each migration takes its own, and the journal
    mode cannot change inside one. A new file gets mode 0600 when ``private``. ``prepare``
    is called first (to register SQL functions the schema uses). Raises
    :class:`~ingestion.errors.SchemaVersionError` for a file written by a newer release.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        if prepare is not None:
            prepare(conn)
        if wal:
            conn.execute("PRAGMA journal_mode=WAL")
        names = {str(row[0]) for row in conn.execute("SELECT name FROM sqlite_master")}
        names -= {MIGRATIONS_TABLE, f"sqlite_autoindex_{MIGRATIONS_TABLE}_1"}  # bookkeeping, not schema
        apply(conn, migrations)
    finally:
        conn.close()
    if new and private:
        with suppress(OSError):
            os.chmod(path, 0o600)
    return names


@contextmanager
def short_transaction(
    path: Path, *, immediate: bool = False, foreign_keys: bool = True, prepare: Prepare | None = None
) -> Iterator[sqlite3.Connection]:
    """A short-lived connection in one transaction: committed on success, rolled back on any exception.

    ``immediate`` takes the write lock at the start (for a read followed by a write);
    ``prepare`` is called on the connection before the transaction begins.
    """
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        if foreign_keys:
            conn.execute("PRAGMA foreign_keys=ON")
        if prepare is not None:
            prepare(conn)
        conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:  # SQLite may already have rolled back (e.g. a full disk)
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.close()


def scrub_store(path: Path) -> None:
    """Rewrite a small store's file without free pages and empty its WAL, so deleted text leaves the disk.

    Call after rows were deleted or overwritten for erasure: SQLite keeps their old content in free
    pages and in the write-ahead log until the file is vacuumed and the log checkpointed.
    """
    if not path.exists():
        return
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
