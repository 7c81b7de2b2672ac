"""Numbered schema migrations per store, recorded in the store's own SQLite file.

The pattern of simonw/llm's ``migrations.py``, in our own code: a store declares its schema
history as an ordered list of functions ``(conn) -> None``; the first is the schema of release
0.1, each later one a change. The position in the list is the migration's number (1, 2, …), so a
migration is only ever appended, never edited, reordered or removed once released.

Every file holds a table ``_migrations (store, number, name, applied_at)``. Several stores can
share one file (``compliancy.sqlite3`` holds the check runs, the checklist versions and the review
log), so numbers count per store. :func:`apply` runs each migration the file has not recorded, in
order, each in its own transaction together with its record: a failing migration leaves the file
as it was before that migration, and the next start tries it again.

A file written before migrations existed has no ``_migrations`` table. Migration 1 of every store
is that release's schema in ``CREATE … IF NOT EXISTS`` form, so on such a file it changes nothing;
a later migration that adds a column checks ``PRAGMA table_info`` first, because release 0.1 added
some columns itself when they were missing.

A file whose ``_migrations`` records a number this code does not know was written by a newer
release; it is refused (:class:`SchemaVersionError`) rather than used with a schema this code
does not understand.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ingestion.errors import SchemaVersionError

Migration = Callable[[sqlite3.Connection], None]

TABLE = "_migrations"
_CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    store TEXT NOT NULL,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (store, number)
)
"""


@dataclass(frozen=True)
class Migrations:
    """The schema history of one store: its name and its migrations, number 1 first."""

    store: str
    steps: tuple[Migration, ...]

    def __init__(self, store: str, steps: Sequence[Migration]) -> None:
        if not steps:
            raise ValueError("a store needs at least its first migration")
        object.__setattr__(self, "store", store)
        object.__setattr__(self, "steps", tuple(steps))

    @property
    def latest(self) -> int:
        """The number of the last migration."""
        return len(self.steps)

    def names(self) -> list[tuple[int, str]]:
        """(number, name) of every migration, in order."""
        return [(number, step.__name__) for number, step in enumerate(self.steps, start=1)]


def statements(sql: str) -> list[str]:
    """The complete SQL statements of a script (a trigger body's ``;`` does not end its statement)."""
    result: list[str] = []
    current = ""
    for part in sql.split(";"):
        current += part + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \n\t;"):
                result.append(current.strip())
            current = ""
    if current.strip(" \n\t;"):
        result.append(current.strip())
    return result


def run_script(conn: sqlite3.Connection, sql: str) -> None:
    """Execute a script statement by statement, inside the caller's transaction.

    ``executescript`` would commit first, which would break a migration's transaction.
    """
    for statement in statements(sql):
        conn.execute(statement)


def script(name: str, sql: str) -> Migration:
    """A migration that runs ``sql``; ``name`` is what ``_migrations`` records."""

    def migration(conn: sqlite3.Connection) -> None:
        run_script(conn, sql)

    migration.__name__ = name
    migration.__qualname__ = name
    return migration


def columns(conn: sqlite3.Connection, table: str) -> set[str]:
    """The column names of ``table`` (empty when it does not exist)."""
    return {str(row[1]) for row in conn.execute(f"PRAGMA table_info({table})")}


def add_columns(conn: sqlite3.Connection, table: str, definitions: dict[str, str]) -> None:
    """Add each column that ``table`` lacks (an older file may already have some of them)."""
    present = columns(conn, table)
    for name, definition in definitions.items():
        if name not in present:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {definition}")


def applied(conn: sqlite3.Connection, store: str) -> dict[int, str]:
    """The migrations recorded for ``store`` in this file: number → name."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)).fetchone():
        return {}
    rows = conn.execute(f"SELECT number, name FROM {TABLE} WHERE store = ?", (store,)).fetchall()
    return {int(row[0]): str(row[1]) for row in rows}


def apply(conn: sqlite3.Connection, migrations: Migrations) -> list[int]:
    """Run the migrations the file lacks, each in its own transaction; returns the numbers applied.

    ``conn`` must be in autocommit mode (``isolation_level=None``) and outside a transaction.
    Raises :class:`SchemaVersionError` when the file was written by a newer release.
    """
    if conn.in_transaction:
        raise RuntimeError("apply() needs a connection outside a transaction")
    conn.execute(_CREATE_TABLE)
    _refuse_newer(conn, migrations)
    done: list[int] = []
    for number, step in enumerate(migrations.steps, start=1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            recorded = conn.execute(
                f"SELECT 1 FROM {TABLE} WHERE store = ? AND number = ?", (migrations.store, number)
            ).fetchone()
            if recorded is None:  # another process may have applied it since we looked
                step(conn)
                conn.execute(
                    f"INSERT INTO {TABLE} (store, number, name, applied_at) VALUES (?, ?, ?, ?)",
                    (migrations.store, number, step.__name__, _now()),
                )
                done.append(number)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return done


def _refuse_newer(conn: sqlite3.Connection, migrations: Migrations) -> None:
    unknown = sorted(n for n in applied(conn, migrations.store) if n > migrations.latest)
    if unknown:
        raise SchemaVersionError(
            f"Het bestand {_file_name(conn)} is bijgewerkt door een nieuwere versie van AVG-assistent "
            f"(onderdeel '{migrations.store}', migratie {unknown[-1]}; deze versie kent er "
            f"{migrations.latest}). Installeer die nieuwere versie weer, of zet de back-up van vóór "
            "de update terug. Het bestand is niet gewijzigd."
        )


def _file_name(conn: sqlite3.Connection) -> str:
    row = conn.execute("PRAGMA database_list").fetchone()
    path = str(row[2]) if row is not None and row[2] else ""
    return f"'{path.rsplit('/', 1)[-1]}'" if path else "(in het geheugen)"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
