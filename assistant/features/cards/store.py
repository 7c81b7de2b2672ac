"""Answer cards in ``AVG_DATA_DIR/cards.sqlite3``, with the shipped starter cards seeded once.

A shipped card is keyed ``starter:<hash of its question>``; seeding adds new shipped cards and
updates shipped cards nobody edited, but never overwrites a card a kennisbeheerder changed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from assistant.features.cards.model import RETIRED, AnswerCard, CardError
from knowledge.database import create_store, short_transaction
from knowledge.migrations import Migrations, script
from knowledge.starter_pack import STARTER_DIR

STORE_FILE = "cards.sqlite3"
STARTER_FILE = STARTER_DIR / "antwoordkaarten.yaml"
STARTER_AUTHOR = "meegeleverd"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_key TEXT UNIQUE,
    data TEXT NOT NULL,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
"""
MIGRATIONS = Migrations("cards", [script("base_schema", _SCHEMA)])


def load_starter_cards(path: Path = STARTER_FILE) -> list[tuple[str, AnswerCard]]:
    """The shipped cards with their source keys; none when the file is missing."""
    if not path.exists():
        return []
    items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    cards = []
    for item in items:
        card = AnswerCard.from_json(item)
        key = "starter:" + hashlib.sha256(card.question.encode("utf-8")).hexdigest()[:16]
        cards.append((key, card))
    return cards


class CardStore:
    """Answer cards: list, get, save, retire; shipped ones seeded."""

    def __init__(self, path: Path) -> None:
        self.path = path
        create_store(path, MIGRATIONS)
        self.version = 0  # bumped on every change in this process (matchers re-embed then)

    def seed(self, cards: list[tuple[str, AnswerCard]]) -> int:
        """Add or refresh shipped cards that nobody edited; returns how many changed."""
        changed = 0
        with short_transaction(self.path, immediate=True) as conn:
            for key, card in cards:
                row = conn.execute(
                    "SELECT data, updated_by FROM cards WHERE source_key = ?", (key,)
                ).fetchone()
                data = json.dumps(card.to_json(), ensure_ascii=False)
                if row is None:
                    conn.execute(
                        "INSERT INTO cards (source_key, data, status, updated_at, updated_by) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (key, data, card.status, _now(), STARTER_AUTHOR),
                    )
                    changed += 1
                elif row["updated_by"] == STARTER_AUTHOR and row["data"] != data:
                    conn.execute(
                        "UPDATE cards SET data = ?, status = ?, updated_at = ? WHERE source_key = ?",
                        (data, card.status, _now(), key),
                    )
                    changed += 1
        if changed:
            self.version += 1
        return changed

    def list(self, include_retired: bool = False) -> list[AnswerCard]:  # noqa: A003
        """Cards by id; retired ones only when asked for."""
        with short_transaction(self.path) as conn:
            rows = conn.execute("SELECT * FROM cards ORDER BY id").fetchall()
        cards = [_card(r) for r in rows]
        return [c for c in cards if include_retired or c.status != RETIRED]

    def get(self, card_id: int) -> AnswerCard:
        """One card; Dutch error when unknown."""
        with short_transaction(self.path) as conn:
            row = conn.execute("SELECT * FROM cards WHERE id = ?", (card_id,)).fetchone()
        if row is None:
            raise CardError(f"Antwoordkaart {card_id} bestaat niet.")
        return _card(row)

    def save(self, card: AnswerCard, actor: str) -> AnswerCard:
        """Store a new card (id 0) or a changed one; returns it with its id."""
        card.validate()
        data = json.dumps(card.to_json(), ensure_ascii=False)
        with short_transaction(self.path, immediate=True) as conn:
            if card.id:
                updated = conn.execute(
                    "UPDATE cards SET data = ?, status = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                    (data, card.status, _now(), actor, card.id),
                ).rowcount
                if not updated:
                    raise CardError(f"Antwoordkaart {card.id} bestaat niet.")
                card_id = card.id
            else:
                cursor = conn.execute(
                    "INSERT INTO cards (source_key, data, status, updated_at, updated_by) "
                    "VALUES (NULL, ?, ?, ?, ?)",
                    (data, card.status, _now(), actor),
                )
                card_id = int(cursor.lastrowid or 0)
        self.version += 1
        return self.get(card_id)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _card(row: Any) -> AnswerCard:
    return AnswerCard.from_json(
        json.loads(row["data"]), id=int(row["id"]), source_key=row["source_key"] or ""
    )
