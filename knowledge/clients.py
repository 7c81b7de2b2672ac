"""Clients: one row per client scope ``klant:<naam>``, with its status.

A client is registered when it is created explicitly or when a document is first indexed
into its scope. An archived client is read-only: its documents can still be searched when
asked for explicitly, but nothing can be added, replaced or retired, and selectors hide it.
Client scopes that hold documents but have no row (databases from older releases) are
adopted on the first listing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ingestion.errors import StoreError
from knowledge.database import Database
from knowledge.scopes import CLIENT_PREFIX, client_scope

CLIENT_ACTIVE = "actief"
CLIENT_ARCHIVED = "gearchiveerd"


@dataclass(frozen=True)
class ClientRecord:
    """One client."""

    id: int
    name: str
    status: str
    created_at: str
    archived_at: str

    @property
    def scope(self) -> str:
        """The client's scope, ``klant:<naam>``."""
        return CLIENT_PREFIX + self.name

    @property
    def archived(self) -> bool:
        """Whether the client is archived (read-only)."""
        return self.status == CLIENT_ARCHIVED


def client_name(scope: str) -> str | None:
    """The client name of a client scope, None for ``algemeen``."""
    return scope[len(CLIENT_PREFIX) :] if scope.startswith(CLIENT_PREFIX) else None


class ClientRegistry:
    """Read and write client rows."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, name: str) -> ClientRecord | None:
        """The client with this (canonical) name, if registered."""
        rows = self._db.query("SELECT * FROM clients WHERE name = ?", (name,))
        return _client(rows[0]) if rows else None

    def list(self, include_archived: bool = True) -> list[ClientRecord]:
        """All clients by name, adopting client scopes that only exist in the document registry."""
        orphans = self._db.query(
            "SELECT DISTINCT scope FROM documents WHERE substr(scope, 1, ?) = ? "
            "AND substr(scope, ?) NOT IN (SELECT name FROM clients)",
            (len(CLIENT_PREFIX), CLIENT_PREFIX, len(CLIENT_PREFIX) + 1),
        )
        if orphans:
            with self._db.transaction() as conn:
                for row in orphans:
                    self.register(conn, row["scope"])
        sql = "SELECT * FROM clients"
        if not include_archived:
            sql += f" WHERE status = '{CLIENT_ACTIVE}'"
        return [_client(r) for r in self._db.query(sql + " ORDER BY name")]

    def register(self, conn: sqlite3.Connection, scope: str) -> None:
        """Register the client of a client scope when new (no-op for ``algemeen``), inside ``conn``."""
        name = client_name(scope)
        if name is not None:
            conn.execute("INSERT OR IGNORE INTO clients (name) VALUES (?)", (name,))

    def check_writable(self, scope: str) -> None:
        """Raise a Dutch StoreError when ``scope`` belongs to an archived client."""
        name = client_name(scope)
        record = self.get(name) if name is not None else None
        if record is not None and record.archived:
            raise StoreError(
                f"Klant '{name}' is gearchiveerd en daarom alleen-lezen. Zet de klant eerst terug met "
                f"'avg-assistent clients activate \"{name}\"'."
            )

    def set_status(self, conn: sqlite3.Connection, name: str, status: str) -> None:
        """Archive or reactivate a client, inside ``conn``."""
        archived_at = "datetime('now')" if status == CLIENT_ARCHIVED else "''"
        conn.execute(
            f"UPDATE clients SET status = ?, archived_at = {archived_at} WHERE name = ?", (status, name)
        )

    def rename(self, conn: sqlite3.Connection, old: str, new: str) -> None:
        """Give a client a new name, inside ``conn``."""
        conn.execute("UPDATE clients SET name = ? WHERE name = ?", (new, old))

    def delete(self, conn: sqlite3.Connection, name: str) -> None:
        """Remove a client's row, inside ``conn``."""
        conn.execute("DELETE FROM clients WHERE name = ?", (name,))


def canonical_client(name: str) -> str:
    """A client name in canonical form (validated like its scope); a ``klant:`` prefix is allowed."""
    name = name.strip()
    if name.startswith(CLIENT_PREFIX):
        name = name[len(CLIENT_PREFIX) :]
    return client_scope(name)[len(CLIENT_PREFIX) :]


def _client(row: sqlite3.Row) -> ClientRecord:
    return ClientRecord(
        id=row["id"],
        name=row["name"],
        status=row["status"],
        created_at=row["created_at"],
        archived_at=row["archived_at"],
    )
