"""The semantic route of the check: the client's own words matched to the checklist by meaning.

Key terms and requirement terms are lexical: they find "autorisatie" but not "alleen de teamleider kan
erbij", and they overfit to the wording of the dossiers they were written on. Next to them (a lexical hit
stays a hit), the check compares the client's text with the checklist's own texts in the vector space of
the embedder the knowledge base ships (multilingual e5):

* **Evidence relevance** — a passage of the client is about question Q when Q is its best-matching
  question among *all* checklist questions (question text plus the description of good evidence) and
  beats the runner-up by ``margin``. The decision is relative (zero-shot classification over the
  checklist), so no absolute threshold has to be calibrated per question; a passage that sits between
  two questions counts for neither.
* **Requirements** (off unless ``requirement_floor`` is set) — a requirement of Q counts as shown when a
  sentence of Q's evidence passages is closer to that requirement's description (``omschrijving``, else
  its name) than to any other requirement of Q, and its similarity reaches ``requirement_floor``. e5
  similarities are compressed (unrelated Dutch sentences score about 0.8), and no floor helped on the
  development dossiers (see :class:`SemanticConfig`).

Passage vectors come through the knowledge base's embedding cache (the vectors made at ingest are reused);
sentences and checklist texts go through the same cache, in batches, so a second run embeds nothing. The
checklist's vectors are kept per checklist version.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.features.check.checklist import Checklist, ChecklistQuestion, Requirement

Embed = Callable[[list[str]], list[list[float]]]


@dataclass(frozen=True)
class SemanticConfig:
    """Thresholds of the semantic route (chosen on the seven development dossiers, see the README)."""

    #: A passage is about its best question only when that question beats the runner-up by this much.
    margin: float = 0.01
    #: A sentence shows a requirement only from this cosine similarity to its description upwards; None: off.
    #: Measured on the seven development dossiers with the requirement names as descriptions: 0.84 and
    #: 0.88 cost recall (72% and 80% against 83%) for little precision, 0.92 changes nothing; so it is off.
    requirement_floor: float | None = None
    #: Passages shorter than this (characters) are not classified: a heading alone says too little.
    min_chars: int = 60
    #: The classification is relative to the checklist: with only a few questions every passage lands on
    #: one of them, so a checklist with fewer questions than this gets no semantic evidence.
    min_questions: int = 20


def requirement_text(requirement: Requirement) -> str:
    """The text a requirement is matched by: its description, else its name."""
    return requirement.description or requirement.name


def question_text(question: ChecklistQuestion) -> str:
    """The text a question is matched by: the question and its description of good evidence."""
    return f"{question.question} {question.good_evidence}".strip()


@dataclass(frozen=True)
class _ChecklistVectors:
    ids: list[str]
    questions: np.ndarray
    requirements: dict[str, np.ndarray]


class SemanticMatcher:
    """Matches client text to checklist questions and requirements by meaning (see the module docstring)."""

    def __init__(self, embed: Embed, config: SemanticConfig | None = None) -> None:
        self._embed = embed
        self.config = config or SemanticConfig()
        self._vectors: dict[str, np.ndarray] = {}
        self._checklists: dict[int, tuple[str, _ChecklistVectors]] = {}

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of ``texts`` (each distinct text embedded once, missing ones in one batch)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for text, vector in zip(missing, self._embed(missing), strict=True):
                array = np.asarray(vector, dtype=np.float32)
                norm = float(np.linalg.norm(array))
                self._vectors[text] = array / norm if norm else array
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])

    def _prepared(self, checklist: Checklist) -> _ChecklistVectors:
        """The checklist's vectors, computed once per checklist version (and its content)."""
        digest = repr(
            [
                (q.id, question_text(q), [requirement_text(r) for r in q.requirements])
                for q in checklist.questions
            ]
        )
        cached = self._checklists.get(checklist.version)
        if cached is not None and cached[0] == digest:
            return cached[1]
        questions = checklist.questions
        vectors = _ChecklistVectors(
            [q.id for q in questions],
            self.vectors([question_text(q) for q in questions]),
            {
                q.id: self.vectors([requirement_text(r) for r in q.requirements])
                for q in questions
                if q.requirements
            },
        )
        self._checklists[checklist.version] = (digest, vectors)
        return vectors

    def topics(self, checklist: Checklist, passages: dict[str, str]) -> dict[str, set[str]]:
        """Question id → ids of the passages (``{passage id: text}``) whose best question it is."""
        prepared = self._prepared(checklist)
        ids = [pid for pid, text in passages.items() if len(text.strip()) >= self.config.min_chars]
        found: dict[str, set[str]] = {}
        if not ids or len(prepared.ids) < max(2, self.config.min_questions):
            return found
        similarity = self.vectors([passages[pid] for pid in ids]) @ prepared.questions.T
        order = np.argsort(-similarity, axis=1)
        for row, pid in enumerate(ids):
            best, second = order[row, 0], order[row, 1]
            question = checklist.questions[best]
            if (
                question.requirements
                and similarity[row, best] - similarity[row, second] >= self.config.margin
            ):
                found.setdefault(question.id, set()).add(pid)
        return found

    def shown(self, checklist: Checklist, question: ChecklistQuestion, sentences: list[str]) -> set[str]:
        """Names of ``question``'s requirements that a sentence shows by meaning."""
        prepared = self._prepared(checklist)
        requirements = prepared.requirements.get(question.id)
        floor = self.config.requirement_floor
        if floor is None or requirements is None or not sentences:
            return set()
        similarity = self.vectors(sentences) @ requirements.T
        best = np.argmax(similarity, axis=1)
        shown = set()
        for row, column in enumerate(best):
            if similarity[row, column] >= floor:
                shown.add(question.requirements[int(column)].name)
        return shown
