"""A client's register data through the lifecycle: erased with the client, renamed with it, and
quotes of an erased document replaced (see :mod:`assistant.features.lifecycle`).

Everything of a client in ``register.sqlite3`` carries its canonical name in a ``client`` (or, in
``clients``, ``name``) column, except draft versions and comments, which hang on a draft id.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from assistant.features.lifecycle import ERASED_DOCUMENT
from knowledge.database import Database, scrub_store

_CLIENT_TABLES = ("activities", "suggestions", "drafts", "audit")


def erase_client(db: Database, client: str) -> int:
    """Delete the client's register, suggestions, drafts (versions, comments) and register audit trail."""
    with db.transaction() as conn:
        drafts = [int(r["id"]) for r in conn.execute("SELECT id FROM drafts WHERE client = ?", (client,))]
        for table in ("draft_versions", "comments"):
            conn.executemany(f"DELETE FROM {table} WHERE draft_id = ?", [(d,) for d in drafts])  # noqa: S608
        removed = conn.execute("DELETE FROM clients WHERE name = ?", (client,)).rowcount
        for table in _CLIENT_TABLES:
            removed += conn.execute(f"DELETE FROM {table} WHERE client = ?", (client,)).rowcount  # noqa: S608
    scrub_store(db.path)
    return removed


def rename_client(db: Database, old: str, new: str) -> None:
    """Everything of client ``old`` belongs to ``new``."""
    with db.transaction() as conn:
        conn.execute("UPDATE clients SET name = ? WHERE name = ?", (new, old))
        for table in _CLIENT_TABLES:
            conn.execute(f"UPDATE {table} SET client = ? WHERE client = ?", (new, old))  # noqa: S608


def forget_document(db: Database, doc_id: str) -> int:
    """Quotes from the document in suggestions' evidence and in register entries' sources are replaced."""
    changed = 0
    with db.transaction() as conn:
        for row in conn.execute("SELECT id, evidence FROM suggestions").fetchall():
            evidence = json.loads(row["evidence"])
            if _forget(evidence, doc_id):
                conn.execute(
                    "UPDATE suggestions SET evidence = ? WHERE id = ?", (json.dumps(evidence), row["id"])
                )
                changed += 1
        changed += _forget_in_activities(conn, doc_id)
    if changed:
        scrub_store(db.path)
    return changed


def _forget_in_activities(conn: sqlite3.Connection, doc_id: str) -> int:
    changed = 0
    for row in conn.execute("SELECT client, name, data FROM activities").fetchall():
        data = json.loads(row["data"])
        hits = [_forget(source, doc_id) for source in data.get("bronnen", []) if isinstance(source, dict)]
        if any(hits):
            conn.execute(
                "UPDATE activities SET data = ? WHERE client = ? AND name = ?",
                (json.dumps(data, ensure_ascii=False), row["client"], row["name"]),
            )
            changed += 1
    return changed


def _forget(source: dict[str, Any], doc_id: str) -> bool:
    """Replace the quote and heading of a source from the document; True when it was one."""
    if source.get("document_id") != doc_id:
        return False
    source.update(document=ERASED_DOCUMENT, citaat=ERASED_DOCUMENT, kop="")
    return True
