"""The portfolio's own SQLite file ``AVG_DATA_DIR/portfolio.sqlite3``: subscriptions, actions, alerts.

Each call opens a short-lived connection (:func:`knowledge.database.short_transaction`). Erasing a
client deletes its rows and rewrites the file (:func:`knowledge.database.scrub_store`), so the
alerts' passage diffs leave the disk with it.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.features.lifecycle import ERASED_DOCUMENT
from assistant.features.portfolio.model import (
    ALERT_OPEN,
    ALERT_SEEN,
    Alert,
    NewAlert,
    PortfolioError,
    Subscription,
    TrackedAction,
)
from knowledge.database import create_store, scrub_store, short_transaction
from knowledge.migrations import Migrations, script
from knowledge.registry import record_from_row

STORE_FILE = "portfolio.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS subscriptions (
    client TEXT PRIMARY KEY,
    interval TEXT NOT NULL,
    months INTEGER NOT NULL,
    consultant TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client TEXT NOT NULL,
    run_id INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    theme TEXT NOT NULL,
    measure TEXT NOT NULL,
    gap_status TEXT NOT NULL,
    effort_days REAL NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    due_date TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    evidence_doc_id TEXT NOT NULL DEFAULT '',
    evidence_version INTEGER NOT NULL DEFAULT 0,
    evidence_title TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT NOT NULL DEFAULT '',
    closed_by TEXT NOT NULL DEFAULT '',
    UNIQUE (run_id, question_id)
);
CREATE INDEX IF NOT EXISTS actions_by_client ON actions (client, id);
CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client TEXT NOT NULL,
    source_kind TEXT NOT NULL,
    source_title TEXT NOT NULL,
    source_ref TEXT NOT NULL,
    old_version INTEGER NOT NULL,
    new_version INTEGER NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_ref TEXT NOT NULL,
    subject_label TEXT NOT NULL,
    cited TEXT NOT NULL,
    diff TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    handled_by TEXT NOT NULL DEFAULT '',
    handled_at TEXT NOT NULL DEFAULT '',
    UNIQUE (client, subject_ref, source_ref, new_version)
);
CREATE INDEX IF NOT EXISTS alerts_by_client ON alerts (client, id);
"""
MIGRATIONS = Migrations("portfolio", [script("base_schema", _SCHEMA)])


def now() -> str:
    """A stored timestamp: ISO 8601 in UTC, seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class PortfolioStore:
    """Rows of the portfolio file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        create_store(path, MIGRATIONS, wal=False, private=True)

    # --- subscriptions ---------------------------------------------------------------------------

    def save_subscription(self, sub: Subscription) -> None:
        """Insert or replace the client's subscription."""
        with short_transaction(self.path, immediate=True) as conn:
            conn.execute(
                "INSERT OR REPLACE INTO subscriptions (client, interval, months, consultant, contact,"
                " updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    sub.client,
                    sub.interval,
                    sub.months,
                    sub.consultant,
                    sub.contact,
                    sub.updated_at,
                    sub.updated_by,
                ),
            )

    def subscription(self, client: str) -> Subscription | None:
        """The client's subscription, None when it has none."""
        rows = self._query("SELECT * FROM subscriptions WHERE client = ?", (client,))
        return record_from_row(Subscription, rows[0]) if rows else None

    def subscriptions(self) -> list[Subscription]:
        """Every subscription by client name."""
        return [
            record_from_row(Subscription, r)
            for r in self._query("SELECT * FROM subscriptions ORDER BY client")
        ]

    # --- actions ---------------------------------------------------------------------------------

    def add_action(self, values: dict[str, Any]) -> int | None:
        """Store a new action; None when the run already has one for that question."""
        stamp = now()
        row = {**values, "created_at": stamp, "updated_at": stamp}
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with short_transaction(self.path, immediate=True) as conn:
            cursor = conn.execute(
                f"INSERT OR IGNORE INTO actions ({names}) VALUES ({marks})", tuple(row.values())
            )
            return int(cursor.lastrowid or 0) if cursor.rowcount else None

    def update_action(self, action_id: int, changes: dict[str, Any]) -> None:
        """Change fields of an action (its ``updated_at`` too)."""
        changes = {**changes, "updated_at": now()}
        assignments = ", ".join(f"{name} = ?" for name in changes)
        with short_transaction(self.path, immediate=True) as conn:
            conn.execute(f"UPDATE actions SET {assignments} WHERE id = ?", (*changes.values(), action_id))

    def action(self, action_id: int) -> TrackedAction:
        """One action; Dutch error when unknown."""
        rows = self._query("SELECT * FROM actions WHERE id = ?", (action_id,))
        if not rows:
            raise PortfolioError(f"Actie {action_id} bestaat niet.")
        return _action(rows[0])

    def actions(self, client: str | None = None) -> list[TrackedAction]:
        """Actions (of one client), oldest first."""
        if client is None:
            return [_action(r) for r in self._query("SELECT * FROM actions ORDER BY client, id")]
        return [
            _action(r) for r in self._query("SELECT * FROM actions WHERE client = ? ORDER BY id", (client,))
        ]

    # --- alerts ----------------------------------------------------------------------------------

    def add_alerts(self, alerts: list[NewAlert]) -> int:
        """Store new alerts (one per subject and source version); returns how many were new."""
        added = 0
        with short_transaction(self.path, immediate=True) as conn:
            for a in alerts:
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO alerts (client, source_kind, source_title, source_ref,"
                    " old_version, new_version, subject_kind, subject_ref, subject_label, cited, diff,"
                    " status, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        a.client,
                        a.source_kind,
                        a.source_title,
                        a.source_ref,
                        a.old_version,
                        a.new_version,
                        a.subject_kind,
                        a.subject_ref,
                        a.subject_label,
                        a.cited,
                        json.dumps(a.diff, ensure_ascii=False),
                        ALERT_OPEN,
                        now(),
                    ),
                )
                added += cursor.rowcount
        return added

    def alert(self, alert_id: int) -> Alert:
        """One alert; Dutch error when unknown."""
        rows = self._query("SELECT * FROM alerts WHERE id = ?", (alert_id,))
        if not rows:
            raise PortfolioError(f"Melding {alert_id} bestaat niet.")
        return _alert(rows[0])

    def alerts(self, client: str | None = None, open_only: bool = False) -> list[Alert]:
        """Alerts (of one client; only open ones), newest first."""
        clauses, params = [], []
        if client is not None:
            clauses.append("client = ?")
            params.append(client)
        if open_only:
            clauses.append("status = ?")
            params.append(ALERT_OPEN)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        return [
            _alert(r) for r in self._query(f"SELECT * FROM alerts{where} ORDER BY id DESC", tuple(params))
        ]

    def handle_alert(self, alert_id: int, actor: str) -> None:
        """Mark an alert as handled by ``actor``."""
        with short_transaction(self.path, immediate=True) as conn:
            conn.execute(
                "UPDATE alerts SET status = ?, handled_by = ?, handled_at = ? WHERE id = ?",
                (ALERT_SEEN, actor, now(), alert_id),
            )

    # --- lifecycle -------------------------------------------------------------------------------

    def erase_client(self, client: str) -> int:
        """Delete every row of the client and rewrite the file."""
        with short_transaction(self.path, immediate=True) as conn:
            gone = sum(
                conn.execute(f"DELETE FROM {table} WHERE client = ?", (client,)).rowcount
                for table in ("subscriptions", "actions", "alerts")
            )
        scrub_store(self.path)
        return gone

    def rename_client(self, old: str, new: str) -> None:
        """Every row of ``old`` belongs to ``new``."""
        with short_transaction(self.path, immediate=True) as conn:
            for table in ("subscriptions", "actions", "alerts"):
                conn.execute(f"UPDATE {table} SET client = ? WHERE client = ?", (new, old))

    def forget_document(self, doc_id: str, title: str) -> int:
        """Evidence and alert diffs of an erased document are replaced by ``[verwijderd document]``."""
        with short_transaction(self.path, immediate=True) as conn:
            changed = conn.execute(
                "UPDATE actions SET evidence_title = ? WHERE evidence_doc_id = ?", (ERASED_DOCUMENT, doc_id)
            ).rowcount
            changed += conn.execute(
                "UPDATE alerts SET source_title = ?, diff = ? WHERE source_ref = ?",
                (ERASED_DOCUMENT, json.dumps([ERASED_DOCUMENT]), doc_id),
            ).rowcount
        if changed:
            scrub_store(self.path)
        return changed

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with short_transaction(self.path) as conn:
            return conn.execute(sql, params).fetchall()


def _action(row: sqlite3.Row) -> TrackedAction:
    return record_from_row(TrackedAction, row)


def _alert(row: sqlite3.Row) -> Alert:
    data = dict(zip(row.keys(), tuple(row), strict=True))
    data["diff"] = json.loads(data["diff"])
    return Alert(**data)
