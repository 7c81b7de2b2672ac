"""Decide whether the knowledge base supports an answer at all.

Two independent signals must both be weak before we refuse, so a real question
phrased in unusual words is still answered:

* dense: the best cosine similarity between the question and any passage. For e5,
  unrelated Dutch text still scores around 0.75-0.78, related passages 0.82+;
* lexical: the share of the question's content words (stems) that occur in the
  knowledge base at all. "Hoe maak ik pannenkoeken?" has none; AVG questions
  nearly always hit words like "persoonsgegevens", "verwerking", "toestemming".
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.retrieval import RetrievalResult


@dataclass(frozen=True)
class RefusalPolicy:
    """Thresholds for refusing; refuse when the evidence is weak on both signals."""

    min_similarity: float = 0.815
    strong_similarity: float = 0.85
    min_coverage: float = 0.5

    def should_refuse(self, result: RetrievalResult) -> bool:
        """True when nothing retrieved plausibly answers the question."""
        if not result.chunks:
            return True
        if result.top_dense_similarity >= self.strong_similarity:
            return False
        if result.expansions:
            return False
        return result.top_dense_similarity < self.min_similarity or result.lexical_coverage < self.min_coverage
