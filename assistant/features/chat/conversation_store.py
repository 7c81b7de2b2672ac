"""Conversations, their messages and user feedback, in their own SQLite file.

The store lives in ``AVG_DATA_DIR/conversations.sqlite3``, apart from the knowledge
base: chat history is user data with its own life cycle (listing, deleting, later
retention) and must never be mixed up with indexed documents. Every call opens a
short-lived connection, so gradio's worker threads can share one store. Deleting a
conversation deletes its messages and their feedback (foreign keys with cascade).

Access is always per user: a conversation of another user is "not found".

Every message carries the scope it was asked or answered in (migration 2, ``message_scope``;
older messages take their conversation's scope), because a conversation can switch between
algemeen and a client: what a reader may see is decided per message, and erasing a client
removes its messages from every conversation, also from one that went on in another scope.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from assistant.features.lifecycle import ERASED_DOCUMENT
from knowledge.database import create_store, scrub_store, short_transaction
from knowledge.migrations import Migrations, add_columns, script
from knowledge.scopes import CLIENT_PREFIX

STORE_FILE = "conversations.sqlite3"
TITLE_CHARS = 80

Rating = Literal["up", "down"]
Role = Literal["user", "assistant"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user TEXT NOT NULL,
    title TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_by_user ON conversations (user, updated_at);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content TEXT NOT NULL,
    citations_json TEXT NOT NULL DEFAULT '[]',
    notices_json TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages (conversation_id, id);
CREATE TABLE IF NOT EXISTS feedback (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    PRIMARY KEY (message_id, user)
);
"""


def message_scope(conn: sqlite3.Connection) -> None:
    """Each message records its own scope; existing messages take their conversation's scope."""
    add_columns(conn, "messages", {"scope": "TEXT NOT NULL DEFAULT ''"})
    conn.execute(
        "UPDATE messages SET scope ="
        " (SELECT c.scope FROM conversations c WHERE c.id = messages.conversation_id) WHERE scope = ''"
    )
    conn.execute("CREATE INDEX IF NOT EXISTS messages_by_scope ON messages (scope)")


MIGRATIONS = Migrations("conversations", [script("base_schema", SCHEMA), message_scope])

#: A conversation with the scope of its first message (where its title comes from).
_SELECT_CONVERSATION = (
    "SELECT c.*, COALESCE((SELECT m.scope FROM messages m WHERE m.conversation_id = c.id"
    " ORDER BY m.id LIMIT 1), c.scope) AS title_scope FROM conversations c"
)


@dataclass(frozen=True)
class Conversation:
    """One conversation of one user."""

    id: int
    user: str
    title: str
    scope: str
    created_at: str
    updated_at: str
    title_scope: str = ""  # the scope of the first question, which the title is made of


@dataclass(frozen=True)
class StoredMessage:
    """One question or answer; an answer carries its cited passages and notices."""

    id: int
    conversation_id: int
    role: Role
    content: str
    citations: list[dict[str, Any]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    created_at: str = ""
    scope: str = ""  # the scope the question was asked in (algemeen or klant:…)


@dataclass(frozen=True)
class Feedback:
    """A user's rating of an answer, with an optional comment."""

    message_id: int
    user: str
    rating: Rating
    comment: str
    created_at: str


ERASED_ANSWER = (
    f"{ERASED_DOCUMENT} Dit antwoord citeerde een document dat inmiddels is gewist; "
    "stel de vraag opnieuw voor een antwoord uit de huidige bronnen."
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _quotes(citation: dict[str, Any], doc_id: str, title: str) -> bool:
    """Whether a stored citation quotes the document (by id; rows without an id by title)."""
    stored = str(citation.get("doc_id", ""))
    return stored == doc_id if stored else citation.get("document") == title


def make_title(question: str) -> str:
    """A conversation title from its first question."""
    text = " ".join(question.split())
    if len(text) <= TITLE_CHARS:
        return text
    return text[: TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"


class ConversationStore:
    """Conversations, messages and feedback in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        create_store(path, MIGRATIONS)

    def purge_before(self, cutoff: datetime) -> int:
        """Delete conversations last active before ``cutoff`` (messages and feedback cascade); how many."""
        with short_transaction(self.path, immediate=True) as conn:
            cursor = conn.execute(
                "DELETE FROM conversations WHERE updated_at < ?",
                (cutoff.astimezone(UTC).isoformat(timespec="microseconds"),),
            )
            return cursor.rowcount

    def erase_client(self, client: str) -> int:
        """Delete the client's conversations and its messages in any other conversation; how many
        conversations were deleted. A conversation whose title came from a deleted question is
        named after its first remaining question; one left empty is deleted."""
        scope = CLIENT_PREFIX + client
        with short_transaction(self.path, immediate=True) as conn:
            retitle = [
                int(row["id"])
                for row in conn.execute(
                    _SELECT_CONVERSATION + " WHERE c.scope != ? AND title_scope = ?", (scope, scope)
                )
            ]
            conn.execute("DELETE FROM messages WHERE scope = ?", (scope,))
            removed = conn.execute(
                "DELETE FROM conversations WHERE scope = ?"
                " OR NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = conversations.id)",
                (scope,),
            ).rowcount
            for conversation_id in retitle:
                first = conn.execute(
                    "SELECT content FROM messages WHERE conversation_id = ? AND role = 'user'"
                    " ORDER BY id LIMIT 1",
                    (conversation_id,),
                ).fetchone()
                if first is not None:
                    conn.execute(
                        "UPDATE conversations SET title = ? WHERE id = ?",
                        (make_title(first["content"]), conversation_id),
                    )
        scrub_store(self.path)
        return removed

    def rename_client(self, old: str, new: str) -> None:
        """Move the client's conversations and messages to its new scope."""
        with short_transaction(self.path, immediate=True) as conn:
            for table in ("conversations", "messages"):
                conn.execute(
                    f"UPDATE {table} SET scope = ? WHERE scope = ?",
                    (CLIENT_PREFIX + new, CLIENT_PREFIX + old),
                )

    def forget_document(self, doc_id: str, title: str) -> int:
        """Answers that quoted the document lose their text and its quotes (older rows: matched by title)."""
        changed = 0
        with short_transaction(self.path, immediate=True) as conn:
            rows = conn.execute(  # candidates only; _quotes decides
                "SELECT id, citations_json FROM messages WHERE role = 'assistant' "
                "AND (instr(citations_json, ?) > 0 OR instr(citations_json, ?) > 0)",
                (doc_id, json.dumps(title, ensure_ascii=False)),
            ).fetchall()
            for row in rows:
                citations = json.loads(row["citations_json"])
                hits = [c for c in citations if _quotes(c, doc_id, title)]
                if not hits:
                    continue
                for c in hits:
                    c.update(quote=ERASED_DOCUMENT, before="", marked="", after="")
                conn.execute(
                    "UPDATE messages SET content = ?, citations_json = ? WHERE id = ?",
                    (ERASED_ANSWER, json.dumps(citations, ensure_ascii=False), row["id"]),
                )
                changed += 1
        if changed:
            scrub_store(self.path)
        return changed

    def create_conversation(self, user: str, title: str, scope: str) -> Conversation:
        """Start a new, empty conversation."""
        now = _now()
        with short_transaction(self.path, immediate=True) as conn:
            cursor = conn.execute(
                "INSERT INTO conversations (user, title, scope, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (user, make_title(title), scope, now, now),
            )
            conversation_id = int(cursor.lastrowid or 0)
        return Conversation(conversation_id, user, make_title(title), scope, now, now, scope)

    def list_conversations(self, user: str, limit: int = 50) -> list[Conversation]:
        """The user's conversations, most recently active first."""
        with short_transaction(self.path) as conn:
            rows = conn.execute(
                _SELECT_CONVERSATION + " WHERE c.user = ? ORDER BY c.updated_at DESC, c.id DESC LIMIT ?",
                (user, limit),
            ).fetchall()
        return [_conversation(row) for row in rows]

    def get_conversation(self, conversation_id: int, user: str) -> Conversation | None:
        """The conversation when it exists and belongs to ``user``."""
        with short_transaction(self.path) as conn:
            row = conn.execute(
                _SELECT_CONVERSATION + " WHERE c.id = ? AND c.user = ?", (conversation_id, user)
            ).fetchone()
        return _conversation(row) if row else None

    def set_scope(self, conversation_id: int, scope: str) -> None:
        """Record the scope the conversation now searches."""
        with short_transaction(self.path, immediate=True) as conn:
            conn.execute("UPDATE conversations SET scope = ? WHERE id = ?", (scope, conversation_id))

    def delete_conversation(self, conversation_id: int, user: str) -> bool:
        """Delete the user's conversation with its messages and feedback; False when not found."""
        with short_transaction(self.path, immediate=True) as conn:
            cursor = conn.execute(
                "DELETE FROM conversations WHERE id = ? AND user = ?", (conversation_id, user)
            )
            return cursor.rowcount > 0

    def add_message(
        self,
        conversation_id: int,
        role: Role,
        content: str,
        citations: list[dict[str, Any]] | None = None,
        notices: list[str] | None = None,
        scope: str | None = None,
    ) -> StoredMessage:
        """Append a message in ``scope`` (None: the conversation's); the conversation is active now."""
        now = _now()
        citations, notices = citations or [], notices or []
        with short_transaction(self.path, immediate=True) as conn:
            if scope is None:
                head = conn.execute(
                    "SELECT scope FROM conversations WHERE id = ?", (conversation_id,)
                ).fetchone()
                scope = str(head["scope"]) if head else ""
            cursor = conn.execute(
                "INSERT INTO messages"
                " (conversation_id, role, content, citations_json, notices_json, created_at, scope)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    conversation_id,
                    role,
                    content,
                    json.dumps(citations, ensure_ascii=False),
                    json.dumps(notices, ensure_ascii=False),
                    now,
                    scope,
                ),
            )
            conn.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))
            message_id = int(cursor.lastrowid or 0)
        return StoredMessage(message_id, conversation_id, role, content, citations, notices, now, scope)

    def messages(self, conversation_id: int) -> list[StoredMessage]:
        """The messages of a conversation in order."""
        with short_transaction(self.path) as conn:
            rows = conn.execute(
                "SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,)
            ).fetchall()
        return [_message(row) for row in rows]

    def message_owner(self, message_id: int) -> str | None:
        """The user whose conversation holds the message, or None."""
        with short_transaction(self.path) as conn:
            row = conn.execute(
                "SELECT c.user FROM messages m JOIN conversations c ON c.id = m.conversation_id"
                " WHERE m.id = ?",
                (message_id,),
            ).fetchone()
        return str(row["user"]) if row else None

    def message(self, message_id: int) -> tuple[Conversation, StoredMessage] | None:
        """A message with its conversation, or None."""
        with short_transaction(self.path) as conn:
            row = conn.execute("SELECT * FROM messages WHERE id = ?", (message_id,)).fetchone()
            head = (
                conn.execute(_SELECT_CONVERSATION + " WHERE c.id = ?", (row["conversation_id"],)).fetchone()
                if row
                else None
            )
        return (_conversation(head), _message(row)) if row and head else None

    def set_feedback(
        self, message_id: int, user: str, rating: Rating, comment: str | None = None
    ) -> Feedback:
        """Store the user's rating of a message; a comment of None keeps the earlier comment."""
        now = _now()
        with short_transaction(self.path, immediate=True) as conn:
            conn.execute(
                "INSERT INTO feedback (message_id, user, rating, comment, created_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (message_id, user) DO UPDATE SET rating = excluded.rating,"
                " comment = CASE WHEN ? IS NULL THEN feedback.comment ELSE excluded.comment END,"
                " created_at = excluded.created_at",
                (message_id, user, rating, comment or "", now, comment),
            )
            row = conn.execute(
                "SELECT * FROM feedback WHERE message_id = ? AND user = ?", (message_id, user)
            ).fetchone()
        return _feedback(row)

    def set_comment(self, message_id: int, user: str, comment: str) -> bool:
        """Attach a comment to an existing rating; False when the message was not rated."""
        with short_transaction(self.path, immediate=True) as conn:
            cursor = conn.execute(
                "UPDATE feedback SET comment = ? WHERE message_id = ? AND user = ?",
                (comment, message_id, user),
            )
            return cursor.rowcount > 0

    def clear_feedback(self, message_id: int, user: str) -> None:
        """Remove the user's rating of a message."""
        with short_transaction(self.path, immediate=True) as conn:
            conn.execute("DELETE FROM feedback WHERE message_id = ? AND user = ?", (message_id, user))

    def feedback(self, message_ids: list[int] | None = None) -> list[Feedback]:
        """Feedback on the given messages (all feedback when None), oldest first."""
        sql = "SELECT * FROM feedback"
        params: tuple[int, ...] = ()
        if message_ids is not None:
            if not message_ids:
                return []
            sql += f" WHERE message_id IN ({','.join('?' for _ in message_ids)})"
            params = tuple(message_ids)
        with short_transaction(self.path) as conn:
            rows = conn.execute(sql + " ORDER BY created_at, message_id", params).fetchall()
        return [_feedback(row) for row in rows]


def _conversation(row: sqlite3.Row) -> Conversation:
    return Conversation(
        int(row["id"]),
        row["user"],
        row["title"],
        row["scope"],
        row["created_at"],
        row["updated_at"],
        row["title_scope"],
    )


def _message(row: sqlite3.Row) -> StoredMessage:
    return StoredMessage(
        id=int(row["id"]),
        conversation_id=int(row["conversation_id"]),
        role=row["role"],
        content=row["content"],
        citations=json.loads(row["citations_json"]),
        notices=json.loads(row["notices_json"]),
        created_at=row["created_at"],
        scope=row["scope"],
    )


def _feedback(row: sqlite3.Row) -> Feedback:
    return Feedback(int(row["message_id"]), row["user"], row["rating"], row["comment"], row["created_at"])
