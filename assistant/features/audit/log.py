"""The audit log: who did what, when, in which scope — append-only, in its own SQLite file.

Rows live in ``AVG_DATA_DIR/audit.sqlite3`` (mode 0600). Two triggers make the table
append-only for every connection, ours included:

* ``UPDATE`` always aborts.
* ``DELETE`` aborts unless the SQL function ``avg_audit_purge_allowed(event, at)`` says yes.
  Every connection this module opens registers that function as "no"; only
  :meth:`AuditLog.purge_before` opens a connection whose function allows exactly the rows of
  the asked event types older than the cutoff. A connection from elsewhere (another module,
  the ``sqlite3`` shell) does not know the function, so its ``DELETE`` fails.

Nothing here stops someone with write access to the file from dropping the triggers; the
log guards against mistakes and ordinary code, not against the machine's administrator.
Opening the log puts missing triggers back and logs that as ``beveiliging_hersteld``.

A question is logged with its scopes and the citation labels and document ids of its
sources, never the answer text, and the question text only when the log is made with
``store_question_text=True``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
from collections.abc import Callable, Collection
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from ingestion.errors import AvgError
from knowledge.database import create_store, scrub_store, short_transaction
from knowledge.migrations import Migrations, run_script, script
from knowledge.scopes import CLIENT_PREFIX

AUDIT_FILE = "audit.sqlite3"
SYSTEM_ACTOR = "systeem"
ERASED_CLIENT = "[verwijderde klant]"
_EVENT_NAME = re.compile(r"^[a-z][a-z_]{0,39}$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    event TEXT NOT NULL,
    scope TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS audit_events_by_at ON audit_events (at);
CREATE INDEX IF NOT EXISTS audit_events_by_user ON audit_events (user, at);
CREATE INDEX IF NOT EXISTS audit_events_by_event ON audit_events (event, at);
"""
TRIGGERS_SQL = """
CREATE TRIGGER IF NOT EXISTS audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'Het auditlog kan alleen worden aangevuld: een regel wijzigen kan niet.');
END;
CREATE TRIGGER IF NOT EXISTS audit_events_no_delete BEFORE DELETE ON audit_events
WHEN NOT avg_audit_purge_allowed(OLD.event, OLD.at)
BEGIN
    SELECT RAISE(ABORT, 'Het auditlog kan alleen worden aangevuld: regels vervallen na de bewaartermijn.');
END;
"""
PURGE_FUNCTION = "avg_audit_purge_allowed"
TRIGGERS = frozenset({"audit_events_no_update", "audit_events_no_delete"})
MIGRATIONS = Migrations("audit", [script("base_schema", SCHEMA + TRIGGERS_SQL)])


class AuditError(AvgError):
    """The audit log cannot do what was asked (Dutch message)."""


class EventType(StrEnum):
    """The kinds of event; other modules may log their own ``snake_case`` kinds too."""

    LOGIN_SUCCEEDED = "inloggen_gelukt"
    LOGIN_FAILED = "inloggen_mislukt"
    ACCOUNT_LOCKED = "account_geblokkeerd"
    ACCESS_DENIED = "toegang_geweigerd"
    QUESTION = "vraag"
    DRAFT = "concept"
    APPROVAL = "goedkeuring"
    COMPLIANCY_CHECK = "compliancy_check"
    REGISTER_CHANGED = "register_gewijzigd"
    DOCUMENT_CHANGED = "document_gewijzigd"
    EXPORT = "export"
    USER_CHANGED = "gebruiker_gewijzigd"
    CLIENT_CHANGED = "klant_gewijzigd"
    PURGED = "opgeschoond"
    PROTECTION_RESTORED = "beveiliging_hersteld"  # the append-only triggers were missing and are back


@dataclass(frozen=True)
class AuditEvent:
    """One row of the audit log."""

    id: int
    at: str
    user: str
    event: str
    scope: str = ""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditFilter:
    """Which events to list or export; empty fields do not filter. ``until`` is exclusive."""

    user: str = ""
    events: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    scope: str = ""

    def where(self) -> tuple[str, list[object]]:
        """The SQL condition and its parameters."""
        clauses: list[str] = []
        params: list[object] = []
        if self.user:
            clauses.append("user = ?")
            params.append(self.user)
        if self.events:
            clauses.append(f"event IN ({','.join('?' for _ in self.events)})")
            params.extend(self.events)
        if self.since is not None:
            clauses.append("at >= ?")
            params.append(iso(self.since))
        if self.until is not None:
            clauses.append("at < ?")
            params.append(iso(self.until))
        if self.scope:
            clauses.append("scope = ?")
            params.append(self.scope)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def iso(moment: datetime) -> str:
    """A timestamp as stored: ISO 8601 in UTC with microseconds (sorts as text)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _deny_purge(event: str, at: str) -> int:
    return 0


def _purge_function(allowed: Callable[[str, str], int]) -> Callable[[sqlite3.Connection], None]:
    """Registers ``allowed`` as the purge function the delete trigger asks."""

    def prepare(conn: sqlite3.Connection) -> None:
        conn.create_function(PURGE_FUNCTION, 2, allowed, deterministic=True)

    return prepare


def question_sources(answer: Any) -> list[dict[str, str]]:
    """The citation label, document id and scope of every cited passage of an answer (no quotes)."""
    sources = {s.chunk_id: s.metadata for s in getattr(answer, "sources", [])}
    return [
        {
            "citation": c.citation,
            "doc_id": str(sources.get(c.chunk_id, {}).get("doc_id", "")),
            "scope": str(sources.get(c.chunk_id, {}).get("scope", "")),
        }
        for c in getattr(answer, "citations", [])
    ]


class AuditLog:
    """Append events, list and export them, and let them expire after the retention period."""

    def __init__(
        self, path: Path, clock: Callable[[], datetime] = _utcnow, store_question_text: bool = False
    ) -> None:
        self.path = path
        self.clock = clock
        self.store_question_text = store_question_text
        names = create_store(path, MIGRATIONS, private=True, prepare=_purge_function(_deny_purge))
        if "audit_events" in names and not names >= TRIGGERS:  # a new file has no names
            with self._connect() as conn:  # dropped outside the app: not a schema change but tampering
                run_script(conn, TRIGGERS_SQL)
            self.record(SYSTEM_ACTOR, EventType.PROTECTION_RESTORED, missing=sorted(TRIGGERS - names))

    def _connect(
        self, purge_allowed: Callable[[str, str], int] = _deny_purge, *, write: bool = True
    ) -> AbstractContextManager[sqlite3.Connection]:
        """A connection in one transaction whose purge function is ``purge_allowed``."""
        return short_transaction(
            self.path, immediate=write, foreign_keys=False, prepare=_purge_function(purge_allowed)
        )

    def record(self, user: str, event: str, scope: str = "", **details: Any) -> AuditEvent:
        """Append one event; ``details`` must be JSON-serialisable (anything else becomes text)."""
        event = str(event)
        if not _EVENT_NAME.match(event):
            raise AuditError(f"Ongeldig soort gebeurtenis '{event}'.")
        at = iso(self.clock())
        payload = json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO audit_events (at, user, event, scope, details) VALUES (?, ?, ?, ?, ?)",
                (at, user, event, scope, payload),
            )
            event_id = int(cursor.lastrowid or 0)
        return AuditEvent(event_id, at, user, event, scope, json.loads(payload))

    def log_question(
        self, user: str, scopes: list[str], answer: Any, question: str = "", **details: Any
    ) -> AuditEvent:
        """Log a question: its scopes and cited sources; the question text only when configured."""
        if self.store_question_text and question:
            details["question"] = question
        return self.record(
            user,
            EventType.QUESTION,
            scope=scopes[0] if scopes else "",
            scopes=list(scopes),
            refused=bool(getattr(answer, "refused", False)),
            sources=question_sources(answer),
            **details,
        )

    def events(
        self,
        where: AuditFilter | None = None,
        limit: int | None = None,
        visible_to: frozenset[str] | None = None,
    ) -> list[AuditEvent]:
        """The events that match, oldest first (the newest ``limit`` when a limit is given).

        ``visible_to``: the clients of the viewer; labels of other clients' documents are hidden
        (:mod:`assistant.features.audit.visibility`). None: everything (the application itself).
        """
        condition, params = (where or AuditFilter()).where()
        sql = f"SELECT * FROM audit_events{condition} ORDER BY id"
        if limit is not None:
            sql = f"SELECT * FROM ({sql} DESC LIMIT ?) ORDER BY id"
            params.append(int(limit))
        with self._connect(write=False) as conn:
            rows = conn.execute(sql, params).fetchall()
        events = [_event(row) for row in rows]
        if visible_to is None:
            return events
        from assistant.features.audit.visibility import visible_events

        return visible_events(events, visible_to)

    def export_csv(
        self,
        target: Path | TextIO,
        where: AuditFilter | None = None,
        visible_to: frozenset[str] | None = None,
    ) -> int:
        """Write the matching events as CSV (UTF-8 with BOM for a file); returns how many.

        ``visible_to`` as for :meth:`events`.
        """
        events = self.events(where, visible_to=visible_to)
        if isinstance(target, Path):
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("w", encoding="utf-8-sig", newline="") as handle:
                _write_csv(handle, events)
            with suppress(OSError):
                os.chmod(target, 0o600)
        else:
            _write_csv(target, events)
        return len(events)

    def export_csv_text(self, where: AuditFilter | None = None) -> str:
        """The matching events as CSV text (for a download in the UI)."""
        buffer = io.StringIO()
        self.export_csv(buffer, where)
        return buffer.getvalue()

    def purge_before(self, cutoff: datetime, events: Collection[str] | None = None) -> int:
        """Delete events older than ``cutoff`` (only of the given kinds when given); returns how many.

        The only path by which rows leave the log; it logs itself as an ``opgeschoond`` event.
        """
        limit = iso(cutoff)
        kinds = None if events is None else {str(e) for e in events}

        def allowed(event: str, at: str) -> int:
            return int(at < limit and (kinds is None or event in kinds))

        condition, params = AuditFilter(events=tuple(sorted(kinds or ())), until=cutoff).where()
        with self._connect(allowed) as conn:
            deleted = conn.execute(f"DELETE FROM audit_events{condition}", params).rowcount
        if deleted:
            self.record(
                SYSTEM_ACTOR,
                EventType.PURGED,
                removed=deleted,
                before=limit,
                events=sorted(kinds or ["alle"]),
            )
        return deleted

    def erase_client(self, client: str) -> int:
        """Redact every event of a deleted client: who did what and when stays, the content goes.

        An event belongs to the client when its scope is the client's or its details name the
        client or its scope. Such rows are deleted (the only other path besides the retention
        purge) and written again with the same time, user and kind, the scope
        ``[verwijderde klant]`` and no details, so no heading, title or question of the client
        remains in the log or its file. The client's own events (created, renamed, deleted: names
        and actions only) stay as they are, so the log still says who deleted which client.
        """
        scope = CLIENT_PREFIX + client
        needles = (json.dumps(scope, ensure_ascii=False), json.dumps(client, ensure_ascii=False))
        with self._connect(write=False) as conn:
            rows = conn.execute(  # the client's own trail (klant_gewijzigd: names and actions only) stays
                "SELECT * FROM audit_events WHERE event != ? "
                "AND (scope = ? OR instr(details, ?) > 0 OR instr(details, ?) > 0) ORDER BY id",
                (str(EventType.CLIENT_CHANGED), scope, *needles),
            ).fetchall()
        if not rows:
            return 0
        keys = {(r["event"], r["at"]) for r in rows}

        def allowed(event: str, at: str) -> int:
            return int((event, at) in keys)

        with self._connect(allowed) as conn:
            conn.executemany("DELETE FROM audit_events WHERE id = ?", [(r["id"],) for r in rows])
            conn.executemany(
                "INSERT INTO audit_events (at, user, event, scope, details) VALUES (?, ?, ?, ?, ?)",
                [(r["at"], r["user"], r["event"], ERASED_CLIENT, "{}") for r in rows],
            )
        scrub_store(self.path)
        return len(rows)

    def rename_client(self, old: str, new: str) -> None:
        """Nothing to do: the log records what happened under the name the client had then."""

    def purger(self, events: Collection[str] | None = None) -> AuditPurger:
        """An object with ``purge_before(cutoff)`` for ``retention.purge_expired``."""
        return AuditPurger(self, tuple(events) if events is not None else None)


@dataclass(frozen=True)
class AuditPurger:
    """Purges events of some kinds from an audit log (the retention protocol)."""

    log: AuditLog
    events: tuple[str, ...] | None

    def purge_before(self, cutoff: datetime) -> int:
        """Delete this purger's kinds of events older than ``cutoff``."""
        return self.log.purge_before(cutoff, self.events)


CSV_HEADER = ["id", "tijdstip", "gebruiker", "gebeurtenis", "scope", "details"]


def _write_csv(handle: TextIO, events: list[AuditEvent]) -> None:
    writer = csv.writer(handle)
    writer.writerow(CSV_HEADER)
    for e in events:
        details = json.dumps(e.details, ensure_ascii=False, sort_keys=True)
        writer.writerow([e.id, e.at, *(_cell(v) for v in (e.user, e.event, e.scope, details))])


def _cell(value: str) -> str:
    """Defuse spreadsheet formulas: a cell starting with = + - @ gets a leading quote."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _event(row: sqlite3.Row) -> AuditEvent:
    return AuditEvent(
        int(row["id"]), row["at"], row["user"], row["event"], row["scope"], json.loads(row["details"])
    )
