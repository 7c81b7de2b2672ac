"""The queue "Vragen zonder goed antwoord": thumbs-down answers and refused questions.

Decision: the queue is a small table in ``conversations.sqlite3`` that holds only a pointer
to the answer message (its reason, status and who handled it), never a copy of the question
or the comment. The question, the answer given and the comment are read from the
conversation when the queue is shown. Because the row references the message with
``ON DELETE CASCADE``, an item leaves the queue with its conversation: when the user deletes
it, when the retention purge (``avg-assistent purge``) removes it, and when a client is erased
(:meth:`ConversationStore.erase_client` deletes and scrubs the same file). No second copy of
personal data exists that a lifecycle could miss.

A question asked in a client's scope (the answer message's own scope, also in a conversation that
went on in another scope) is only listed for a user who may search that client
(:func:`~assistant.features.accounts.access.allowed_scopes`); the queue itself needs the
permission ``antwoordkaarten_beheren`` (kennisbeheerder, beheerder).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from assistant.features.accounts.access import Permission, allowed_scopes, require
from assistant.features.accounts.users import User
from assistant.features.audit.log import AuditLog
from ingestion.errors import AvgError
from knowledge.database import create_store, short_transaction
from knowledge.migrations import Migrations, script

Reason = Literal["duim omlaag", "geweigerd"]
THUMBS_DOWN: Reason = "duim omlaag"
REFUSED: Reason = "geweigerd"
OPEN = "open"
HANDLED = "afgehandeld"
QUEUE_EVENT = "vraag_zonder_antwoord"

SCHEMA = """
CREATE TABLE IF NOT EXISTS unanswered (
    message_id INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    reason TEXT NOT NULL CHECK (reason IN ('duim omlaag', 'geweigerd')),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'afgehandeld')),
    created_at TEXT NOT NULL,
    handled_by TEXT NOT NULL DEFAULT '',
    handled_at TEXT NOT NULL DEFAULT '',
    card_id INTEGER
);
"""

_SELECT = """
SELECT u.message_id, u.reason, u.status, u.created_at, u.handled_by, u.handled_at, u.card_id,
       a.content AS answer, a.conversation_id, a.scope,
       (SELECT q.id FROM messages q WHERE q.conversation_id = a.conversation_id AND q.id < a.id
          AND q.role = 'user' ORDER BY q.id DESC LIMIT 1) AS question_id,
       (SELECT q.content FROM messages q WHERE q.conversation_id = a.conversation_id AND q.id < a.id
          AND q.role = 'user' ORDER BY q.id DESC LIMIT 1) AS question,
       (SELECT f.comment FROM feedback f WHERE f.message_id = a.id AND f.rating = 'down'
          ORDER BY f.created_at DESC LIMIT 1) AS comment
FROM unanswered u
JOIN messages a ON a.id = u.message_id
JOIN conversations c ON c.id = a.conversation_id
"""

MIGRATIONS = Migrations("unanswered", [script("base_schema", SCHEMA)])


@dataclass(frozen=True)
class QueueItem:
    """One question without a good answer, as the kennisbeheerder sees it."""

    id: int  # the id of the answer message
    reason: str
    status: str
    created_at: str
    question: str
    answer: str
    comment: str
    scope: str
    conversation_id: int
    question_id: int
    handled_by: str = ""
    handled_at: str = ""
    card_id: int | None = None

    @property
    def link(self) -> str:
        """Where the item comes from: conversation and message."""
        return f"gesprek {self.conversation_id}, bericht {self.id}"


class UnansweredQueue:
    """The queue table next to the conversations (same SQLite file)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        create_store(path, MIGRATIONS)

    def add(self, message_id: int, reason: Reason) -> None:
        """Put an answer in the queue (once; a handled item is opened again by a new thumbs-down)."""
        with short_transaction(self.path, immediate=True) as conn:
            conn.execute(
                "INSERT INTO unanswered (message_id, reason, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT (message_id) DO UPDATE SET status = 'open', handled_by = '', handled_at = ''"
                " WHERE excluded.reason = 'duim omlaag' AND unanswered.reason = 'duim omlaag'",
                (message_id, reason, _now()),
            )

    def withdraw(self, message_id: int) -> None:
        """Take an open thumbs-down item out again (the user changed the rating)."""
        with short_transaction(self.path, immediate=True) as conn:
            conn.execute(
                "DELETE FROM unanswered WHERE message_id = ? AND reason = 'duim omlaag' AND status = 'open'",
                (message_id,),
            )

    def items(self, scopes: list[str], include_handled: bool = False) -> list[QueueItem]:
        """Items of conversations in ``scopes``, newest first."""
        if not scopes:
            return []
        marks = ",".join("?" for _ in scopes)
        sql = _SELECT + f" WHERE a.scope IN ({marks})"
        if not include_handled:
            sql += " AND u.status = 'open'"
        with short_transaction(self.path) as conn:
            rows = conn.execute(sql + " ORDER BY u.created_at DESC, u.message_id DESC", scopes).fetchall()
        return [_item(r) for r in rows]

    def get(self, message_id: int) -> QueueItem | None:
        """One item, whatever its scope (callers check access)."""
        with short_transaction(self.path) as conn:
            row = conn.execute(_SELECT + " WHERE u.message_id = ?", (message_id,)).fetchone()
        return _item(row) if row else None

    def close(self, message_id: int, user: str, card_id: int | None = None) -> bool:
        """Mark an item handled (optionally by the card written for it); False when unknown."""
        with short_transaction(self.path, immediate=True) as conn:
            return (
                conn.execute(
                    "UPDATE unanswered SET status = 'afgehandeld', handled_by = ?, handled_at = ?,"
                    " card_id = coalesce(?, card_id) WHERE message_id = ?",
                    (user, _now(), card_id, message_id),
                ).rowcount
                > 0
            )


class UnansweredService:
    """What the Kennisbank tab does with the queue: list, open, dismiss — with the rights checked."""

    def __init__(self, queue: UnansweredQueue, audit: AuditLog) -> None:
        self.queue = queue
        self.audit = audit

    def items(self, user: User, include_handled: bool = False) -> list[QueueItem]:
        """The queue as this user may see it (client questions only of the user's clients)."""
        require(user, Permission.MANAGE_CARDS)
        return self.queue.items(allowed_scopes(user), include_handled)

    def item(self, user: User, item_id: int) -> QueueItem:
        """One item; "not found" for an item in a scope the user may not see."""
        require(user, Permission.MANAGE_CARDS)
        item = self.queue.get(int(item_id))
        if item is None or item.scope not in allowed_scopes(user):
            raise AvgError("Deze vraag staat niet (meer) in de wachtrij.")
        return item

    def dismiss(self, user: User, item_id: int, card_id: int | None = None) -> QueueItem:
        """Mark an item "afgehandeld" (with the card written for it, when there is one)."""
        item = self.item(user, item_id)
        self.queue.close(item.id, user.username, card_id)
        self.audit.record(
            user.username, QUEUE_EVENT, scope=item.scope, action=HANDLED, message=item.id, card=card_id
        )
        handled = self.queue.get(item.id)
        if handled is None:  # deleted in between (purge, erasure)
            raise AvgError("Deze vraag staat niet (meer) in de wachtrij.")
        return handled


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _item(row: sqlite3.Row) -> QueueItem:
    return QueueItem(
        id=int(row["message_id"]),
        reason=row["reason"],
        status=row["status"],
        created_at=row["created_at"],
        question=row["question"] or "",
        answer=row["answer"] or "",
        comment=row["comment"] or "",
        scope=row["scope"],
        conversation_id=int(row["conversation_id"]),
        question_id=int(row["question_id"] or 0),
        handled_by=row["handled_by"],
        handled_at=row["handled_at"],
        card_id=int(row["card_id"]) if row["card_id"] is not None else None,
    )
