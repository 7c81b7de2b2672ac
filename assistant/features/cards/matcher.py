"""Find the answer card whose question is the user's question, by dense similarity of questions.

Every phrasing of every card (question and variants) is embedded once in the query role and
kept in the knowledge base's embedding cache (keyed with a ``vraag:`` prefix, so it never mixes
with passage vectors). A user's question matches a card when its cosine similarity with one of
the card's phrasings reaches ``min_similarity`` (calibrated per embedder, see assistant/tuning.py) and the
runner-up card is not just as close. The index is rebuilt when the cards change, also when
another process changed them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

from assistant.features.cards.model import RETIRED, AnswerCard, CardMatch
from assistant.features.cards.store import CardStore
from knowledge.database import short_transaction
from knowledge.embedding_cache import EmbeddingCache
from knowledge.embeddings import IdentifiedEmbeddings

_PREFIX = "vraag: "


class CardMatcher:
    """Match questions to answer cards."""

    def __init__(
        self,
        store: CardStore,
        embedder: IdentifiedEmbeddings,
        cache: EmbeddingCache | None = None,
        min_similarity: float = 0.9,
        min_margin: float = 0.005,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.cache = cache
        self.min_similarity = min_similarity
        self.min_margin = min_margin
        self._lock = threading.Lock()
        self._stamp: tuple[object, ...] | None = None
        self._cards: list[AnswerCard] = []
        self._phrasings: list[str] = []
        self._owners: list[int] = []
        self._matrix = np.zeros((0, 0), dtype=np.float32)

    def warm(self) -> int:
        """Embed every card's phrasings now (first start: a few seconds), not at the first question."""
        self._refresh()
        return len(self._cards)

    def phrasings(self) -> list[str]:
        """Every phrasing of every usable card (question and variants)."""
        self._refresh()
        return self._phrasings

    def match(self, question: str, vector: list[float] | None = None) -> CardMatch | None:
        """The card for ``question``, or None when no card is close enough."""
        ranked = self.ranked(question, vector)
        if not ranked:
            return None
        best = ranked[0]
        runner_up = ranked[1].similarity if len(ranked) > 1 else 0.0
        if best.similarity < self.min_similarity or best.similarity - runner_up < self.min_margin:
            return None
        return best

    def ranked(self, question: str, vector: list[float] | None = None) -> list[CardMatch]:
        """Every usable card with its best phrasing's similarity, most similar first."""
        self._refresh()
        if not self._cards:
            return []
        query = _unit(np.asarray(vector if vector is not None else self.embedder.embed_query(question)))
        similarities = self._matrix @ query
        best: dict[int, tuple[float, int]] = {}
        for row, card_index in enumerate(self._owners):
            value = float(similarities[row])
            if card_index not in best or value > best[card_index][0]:
                best[card_index] = (value, row)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
        return [CardMatch(self._cards[i], round(sim, 4), self._phrasings[row]) for i, (sim, row) in ranked]

    def phrasing_similarities(self) -> tuple[list[float], list[float]]:
        """Per phrasing, leaving it out: its best similarity to its own card and to any other card.

        What ``min_similarity`` has to separate; ``avg-assistent calibrate`` reads it. Phrasings of
        cards with a single phrasing have no own card to match and give only the second value.
        """
        self._refresh()
        if not self._cards:
            return [], []
        similarities = self._matrix @ self._matrix.T
        owners = np.asarray(self._owners)
        own: list[float] = []
        other: list[float] = []
        for row, card_index in enumerate(self._owners):
            same = owners == card_index
            same[row] = False
            if same.any():
                own.append(float(similarities[row][same].max()))
            others = owners != card_index
            if others.any():
                other.append(float(similarities[row][others].max()))
        return own, other

    def _refresh(self) -> None:
        stamp = self._store_stamp()
        if stamp == self._stamp:
            return
        with self._lock:
            if stamp == self._stamp:
                return
            cards = [c for c in self.store.list() if c.status != RETIRED]
            texts = [p for c in cards for p in c.phrasings]
            owners = [i for i, c in enumerate(cards) for _ in c.phrasings]
            vectors = self._embed(texts)
            matrix = (
                np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1) if texts else np.zeros((0, 0))
            )
            norms = np.linalg.norm(matrix, axis=1, keepdims=True) if texts else np.ones((0, 1))
            self._cards, self._phrasings, self._owners = cards, texts, owners
            self._matrix = (matrix / np.maximum(norms, 1e-9)).astype(np.float32)
            self._stamp = stamp

    def _embed(self, texts: list[str]) -> list[list[float]]:
        embed_one: Callable[[str], list[float]] = self.embedder.embed_query
        if self.cache is None:
            return [embed_one(t) for t in texts]
        return self.cache.embed(
            [_PREFIX + t for t in texts], lambda batch: [embed_one(t[len(_PREFIX) :]) for t in batch]
        )

    def _store_stamp(self) -> tuple[object, ...]:
        with short_transaction(self.store.path) as conn:
            row = conn.execute("SELECT count(*), max(updated_at), max(id) FROM cards").fetchone()
        return (self.store.version, *tuple(row))


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return (vector / norm).astype(np.float32) if norm else vector.astype(np.float32)
