"""A small, generic review log: who accepted, edited, rejected or commented on which item, and when.

Nothing here knows about the Compliancy Check: a *subject* is any reviewable whole
("check-run:12"), an *item* one part of it ("LEK-01"). Events are only ever appended, so
the full history stays available (who, what, when). :func:`fold_reviews` turns an
item's events into its current state:

* ``bewerken`` merges its changes into the item (later edits win per field);
* ``accepteren`` accepts the item as it stands (the proposal plus any edits);
* ``afwijzen`` rejects it and drops earlier edits;
* ``opmerking`` only adds a comment.

Each call opens a short-lived SQLite connection, so web worker threads can share a log.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ingestion.errors import AvgError
from knowledge.database import create_store, short_transaction
from knowledge.migrations import Migrations, script

ACTION_ACCEPT = "accepteren"
ACTION_EDIT = "bewerken"
ACTION_REJECT = "afwijzen"
ACTION_COMMENT = "opmerking"
ACTIONS: tuple[str, ...] = (ACTION_ACCEPT, ACTION_EDIT, ACTION_REJECT, ACTION_COMMENT)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS review_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL,
    item TEXT NOT NULL,
    action TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,
    changes_json TEXT NOT NULL DEFAULT '{}',
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS review_events_by_subject ON review_events (subject, item, id);
"""
MIGRATIONS = Migrations("review_log", [script("base_schema", _SCHEMA)])


class ReviewError(AvgError):
    """A review action that is not valid (Dutch message)."""


@dataclass(frozen=True)
class ReviewEvent:
    """One review action."""

    id: int
    subject: str
    item: str
    action: str
    reviewer: str
    at: str
    changes: dict[str, str] = field(default_factory=dict)
    comment: str = ""


@dataclass(frozen=True)
class ReviewState:
    """An item's state after its events: last decision, merged edits, comments."""

    decision: str = ""
    reviewer: str = ""
    at: str = ""
    changes: dict[str, str] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)


class ReviewLog:
    """Append-only review events in a SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        create_store(path, MIGRATIONS, wal=False)

    def record(
        self,
        subject: str,
        item: str,
        action: str,
        reviewer: str,
        changes: dict[str, str] | None = None,
        comment: str = "",
    ) -> ReviewEvent:
        """Append one event; raise :class:`ReviewError` for an invalid one."""
        reviewer = " ".join(reviewer.split())
        comment = comment.strip()
        changes = {k: v for k, v in (changes or {}).items() if v is not None}
        if action not in ACTIONS:
            raise ReviewError(f"Onbekende beoordeling '{action}'. Kies uit: {', '.join(ACTIONS)}.")
        if not reviewer:
            raise ReviewError("Vul de naam van de beoordelaar in.")
        if action == ACTION_EDIT and not changes:
            raise ReviewError("Een bewerking moet iets wijzigen.")
        if action == ACTION_COMMENT and not comment:
            raise ReviewError("Een opmerking mag niet leeg zijn.")
        at = datetime.now(UTC).isoformat(timespec="seconds")
        with short_transaction(self.path, immediate=True) as conn:
            cursor = conn.execute(
                "INSERT INTO review_events (subject, item, action, reviewer, at, changes_json, comment) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (subject, item, action, reviewer, at, json.dumps(changes, ensure_ascii=False), comment),
            )
            event_id = int(cursor.lastrowid or 0)
        return ReviewEvent(event_id, subject, item, action, reviewer, at, changes, comment)

    def history(self, subject: str, item: str | None = None) -> list[ReviewEvent]:
        """The events of a subject (or one item of it), oldest first."""
        sql = "SELECT * FROM review_events WHERE subject = ?"
        params: tuple[str, ...] = (subject,)
        if item is not None:
            sql += " AND item = ?"
            params = (subject, item)
        with short_transaction(self.path) as conn:
            rows = conn.execute(sql + " ORDER BY id", params).fetchall()
        return [_event(row) for row in rows]

    def states(self, subject: str) -> dict[str, ReviewState]:
        """Item → current state, for every item of the subject that has events."""
        grouped: dict[str, list[ReviewEvent]] = {}
        for event in self.history(subject):
            grouped.setdefault(event.item, []).append(event)
        return {item: fold_reviews(events) for item, events in grouped.items()}


def fold_reviews(events: list[ReviewEvent]) -> ReviewState:
    """The state after applying ``events`` in order (see the module docstring)."""
    decision, reviewer, at = "", "", ""
    changes: dict[str, str] = {}
    comments: list[str] = []
    for event in events:
        if event.comment:
            comments.append(f"{event.reviewer} ({event.at}): {event.comment}")
        if event.action == ACTION_COMMENT:
            continue
        if event.action == ACTION_EDIT:
            changes.update(event.changes)
        elif event.action == ACTION_REJECT:
            changes = {}
        decision, reviewer, at = event.action, event.reviewer, event.at
    return ReviewState(decision, reviewer, at, changes, comments)


def _event(row: sqlite3.Row) -> ReviewEvent:
    return ReviewEvent(
        id=int(row["id"]),
        subject=row["subject"],
        item=row["item"],
        action=row["action"],
        reviewer=row["reviewer"],
        at=row["at"],
        changes=json.loads(row["changes_json"] or "{}"),
        comment=row["comment"],
    )
