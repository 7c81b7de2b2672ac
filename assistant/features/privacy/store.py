"""SQLite storage (``register.sqlite3`` in the data dir): registers, suggestions and the audit trail.

Its own file, apart from the knowledge base: a register is a client's record, not indexed text,
and it can be opened without loading the embedder. An activity is stored as its Dutch-keyed
JSON (the same shape as the YAML export), so the schema does not change when a field is added.
Every change writes an audit entry in the same transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.features.privacy.errors import RegisterError
from assistant.features.privacy.model import Controller, Problem, Register, check_valid
from knowledge.database import Database
from knowledge.migrations import Migrations, script
from knowledge.records import stamp, unstamp
from knowledge.scopes import client_scope

REGISTER_FILE = "register.sqlite3"
#: Version of the JSON in ``clients.controller`` and ``activities.data``. 1: release 0.1 (no
#: "schema" key); 2: adds ``fg_beoordeling`` and, per activity, ``belangenafweging``, ``dpia``,
#: ``grootschalig`` and ``doorgifte_buiten_eer`` (absent in a version-1 record: read as "not recorded").
RECORD_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS clients (
    name TEXT PRIMARY KEY,
    controller TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS activities (
    client TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (client, name)
);
CREATE TABLE IF NOT EXISTS suggestions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client TEXT NOT NULL,
    kind TEXT NOT NULL,
    activity TEXT NOT NULL,
    value TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL,
    origin TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    created_at TEXT NOT NULL,
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at TEXT NOT NULL DEFAULT '',
    UNIQUE (client, kind, activity, value)
);
CREATE TABLE IF NOT EXISTS drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    approved_version INTEGER NOT NULL DEFAULT 0,
    stale_reasons TEXT NOT NULL DEFAULT '[]',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS draft_versions (
    draft_id INTEGER NOT NULL,
    number INTEGER NOT NULL,
    content TEXT NOT NULL,
    facts_hash TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (draft_id, number)
);
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    draft_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    section TEXT NOT NULL,
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    client TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL
);
"""
MIGRATIONS = Migrations("register", [script("base_schema", SCHEMA)])


def now() -> str:
    """The current UTC time as ISO text (seconds)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class AuditEntry:
    """Who did what, when."""

    at: str
    actor: str
    client: str
    action: str
    subject: str
    detail: str


TrailListener = Callable[[list[AuditEntry]], None]


class PrivacyDatabase(Database):
    """The register database: the knowledge layer's SQLite wrapper with the register schema.

    Every change writes its trail entry in the same transaction (:class:`RegisterTrail`). The
    entries a committed transaction wrote are handed to the ``listeners`` afterwards, so the
    central audit log gets every register and privacyverklaring action, whatever the entry point,
    and never one that was rolled back.
    """

    migrations = MIGRATIONS

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.listeners: list[TrailListener] = []

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> PrivacyDatabase:
        """The database file in ``data_dir``."""
        return cls(Path(data_dir) / REGISTER_FILE)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A transaction whose new trail entries reach the listeners once it has committed."""
        with super().transaction() as conn:
            start = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit").fetchone()[0])
            yield conn
            rows = conn.execute(
                "SELECT at, actor, client, action, subject, detail FROM audit WHERE id > ? ORDER BY id",
                (start,),
            ).fetchall()
        entries = [AuditEntry(*tuple(row)) for row in rows]
        for listener in self.listeners if entries else []:
            listener(entries)


class RegisterTrail:
    """The audit trail: append-only rows in the register database."""

    def __init__(self, db: PrivacyDatabase) -> None:
        self.db = db

    @staticmethod
    def record(
        conn: sqlite3.Connection, actor: str, client: str, action: str, subject: str, detail: str = ""
    ) -> None:
        """Append an entry inside the caller's transaction."""
        conn.execute(
            "INSERT INTO audit (at, actor, client, action, subject, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (now(), actor or "onbekend", client, action, subject, detail),
        )

    def entries(self, client: str | None = None, subject: str | None = None) -> list[AuditEntry]:
        """Entries, oldest first, optionally for one client and/or subject (e.g. "concept 3")."""
        sql = "SELECT at, actor, client, action, subject, detail FROM audit WHERE 1 = 1"
        params: list[object] = []
        if client is not None:
            sql += " AND client = ?"
            params.append(client)
        if subject is not None:
            sql += " AND subject = ?"
            params.append(subject)
        rows = self.db.query(sql + " ORDER BY id", tuple(params))
        return [AuditEntry(*tuple(row)) for row in rows]


class RegisterStore:
    """Registers per client, validated on save."""

    def __init__(self, db: PrivacyDatabase) -> None:
        self.db = db
        self.audit = RegisterTrail(db)

    def clients(self) -> list[str]:
        """Names of the clients that have a register."""
        return [r["name"] for r in self.db.query("SELECT name FROM clients ORDER BY name COLLATE NOCASE")]

    def exists(self, client: str) -> bool:
        """True when ``client`` has a register."""
        return bool(self.db.query("SELECT 1 FROM clients WHERE name = ?", (_client(client),)))

    def load(self, client: str) -> Register:
        """The register of ``client``; raises :class:`RegisterError` when there is none."""
        name = _client(client)
        rows = self.db.query("SELECT controller FROM clients WHERE name = ?", (name,))
        if not rows:
            raise RegisterError(
                f"Er is nog geen verwerkingsregister voor klant '{name}'. Importeer er een of leg het aan."
            )
        controller = Controller.from_dict(_read(rows[0]["controller"], "organisatie in het register"))
        activity_rows = self.db.query(
            "SELECT data FROM activities WHERE client = ? ORDER BY position", (name,)
        )
        data = {
            "klant": name,
            "organisatie": controller.to_dict(),
            "verwerkingen": [_read(r["data"], "verwerking in het register") for r in activity_rows],
        }
        return Register.from_dict(data)

    def save(self, register: Register, actor: str, action: str = "register opgeslagen") -> list[Problem]:
        """Validate and store ``register`` whole (replacing the old one); return the warnings."""
        register.client = _client(register.client)
        warnings = check_valid(register)
        with self.db.transaction() as conn:
            _write(conn, register)
            detail = f"{len(register.activities)} verwerkingen"
            RegisterTrail.record(conn, actor, register.client, action, f"register {register.client}", detail)
        return warnings


def _read(text: str, what: str) -> dict[str, Any]:
    """A stored controller or activity record (any known version) as its Dutch-keyed dictionary."""
    return unstamp(json.loads(text), RECORD_VERSION, what)


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(stamp(data, RECORD_VERSION), ensure_ascii=False)


def _write(conn: sqlite3.Connection, register: Register) -> None:
    at = now()
    conn.execute(
        "INSERT INTO clients (name, controller, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET controller = excluded.controller, updated_at = excluded.updated_at",
        (register.client, _dump(register.controller.to_dict()), at),
    )
    conn.execute("DELETE FROM activities WHERE client = ?", (register.client,))
    for position, activity in enumerate(register.activities):
        conn.execute(
            "INSERT INTO activities (client, position, name, data) VALUES (?, ?, ?, ?)",
            (register.client, position, activity.name, _dump(activity.to_dict())),
        )


def _client(name: str) -> str:
    """The canonical client name (as in its scope ``klant:<naam>``)."""
    return client_scope(name).partition(":")[2]
