"""Use case: calibrate the embedder-dependent thresholds on the dev sets (``avg-assistent calibrate``).

What is measured and how each value is chosen:

* **Refusal** (``refusal_min_similarity``, ``refusal_strong_similarity``): every question runs
  through retrieval with the configured embedder; its best dense similarity and whether it has
  lexical or glossary support are kept. Every pair of thresholds halfway between two observed
  similarities is scored by the refusal policy's own rule: in-scope questions answered plus
  out-of-scope questions (empty ``articles``, ``refuse``) refused. Of the best pairs, the one
  whose ratio min/strong is closest to the reference profile's (0.80/0.85 for e5) wins, then the
  one whose centre is closest to the midpoint between the mean similarity of in-scope and of
  out-of-scope questions. As ``eval`` does, the domain gate is left out: the policy has to
  refuse on its own too (client scopes, questions with privacy words about something else).
* **Answer cards** (``card_min_similarity``): for every phrasing of every card (question and
  variants), leaving it out, its best similarity to its own card and to any other card. The
  threshold halfway between two observed values that separates them best wins; ties go to the
  highest (showing a wrong card is worse than showing none).
* **Scaled** (card margin, completeness similarity and margin, the client's-own-passage margin):
  too few examples to measure, so they move with the embedder's scale: a linear map that takes the
  reference profile's refusal minimum and card threshold (0.80 and 0.90 for e5) to the new ones.
* **Unchanged**: lexical coverage and the fused evidence score do not depend on the embedder
  (the fused score is normalised per query).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.app import App
from assistant.ops.answer_evaluation import load_answer_key
from assistant.ops.evaluation import load_questions
from assistant.tuning import Tuning, reference_tuning
from ingestion.errors import ConfigError
from knowledge.scopes import GENERAL_SCOPE

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CalibrationQuestion:
    """A question and whether it must be answered (in scope) or refused."""

    query: str
    in_scope: bool


@dataclass(frozen=True)
class Sample:
    """What the refusal policy sees of one question."""

    in_scope: bool
    similarity: float
    supported: bool  # glossary wording or enough lexical coverage
    retrieved: bool  # anything retrieved at all (nothing retrieved is always refused)


@dataclass
class Calibration:
    """The outcome: the values before and after, and what they were chosen on."""

    embedder_id: str
    before: Tuning
    after: Tuning
    samples: list[Sample]
    correct_before: int
    correct_after: int
    card_pairs: tuple[int, int] = (0, 0)  # (own, other) similarities the card threshold was chosen on
    notes: list[str] = field(default_factory=list)


def load_calibration_questions(
    queries: Path, recitals: Path | None = None, answers: Path | None = None
) -> list[CalibrationQuestion]:
    """The questions of the dev files (``eval`` formats); Dutch errors for bad files."""
    found = [CalibrationQuestion(q.query, bool(q.articles)) for q in load_questions(queries)]
    if recitals is not None:
        found += [CalibrationQuestion(q.query, bool(q.articles)) for q in load_questions(recitals)]
    if answers is not None:
        found += [CalibrationQuestion(q.query, not q.refuse) for q in load_answer_key(answers)]
    return found


def calibrate(
    app: App,
    questions: Sequence[CalibrationQuestion],
    scopes: Sequence[str] = (GENERAL_SCOPE,),
    progress: Progress | None = None,
) -> Calibration:
    """Measure the app's embedder on ``questions`` and its answer cards; choose new thresholds."""
    if not any(q.in_scope for q in questions) or all(q.in_scope for q in questions):
        raise ConfigError(
            "Kalibreren vraagt vragen binnen én buiten de scope (buiten: een lege lijst 'articles' "
            "of 'refuse': true)."
        )
    if app.kb.vectors.count(GENERAL_SCOPE) == 0:
        raise ConfigError(
            "De kennisbank is leeg: voeg eerst de wettekst toe ('avg-assistent ingest …') en kalibreer dan."
        )
    before = app.tuning.tuning
    reference = reference_tuning()
    samples = collect_samples(app, questions, list(scopes), before.refusal_min_coverage, progress)
    low, high = choose_refusal(samples, reference)
    own, other = app.card_matcher.phrasing_similarities()
    card = choose_card_threshold(own, other)
    notes: list[str] = []
    if card is None:
        notes.append("geen antwoordkaarten met varianten: kaartdrempel meegeschaald")
    values = before.model_dump()
    values.update(refusal_min_similarity=low, refusal_strong_similarity=high)
    values.update(_scaled(reference, low, high, card))
    after = Tuning.model_validate(values)
    return Calibration(
        app.embedder.embedder_id,
        before,
        after,
        samples,
        correct_before=count_correct(
            samples, before.refusal_min_similarity, before.refusal_strong_similarity
        ),
        correct_after=count_correct(samples, low, high),
        card_pairs=(len(own), len(other)),
        notes=notes,
    )


def collect_samples(
    app: App,
    questions: Sequence[CalibrationQuestion],
    scopes: list[str],
    min_coverage: float,
    progress: Progress | None = None,
) -> list[Sample]:
    """Retrieve every question once and keep what the refusal policy decides on."""
    samples: list[Sample] = []
    for done, question in enumerate(questions, start=1):
        result = app.retriever.retrieve(question.query, scopes, k=app.settings.top_k)
        supported = bool(result.expansions) or result.lexical_coverage >= min_coverage
        samples.append(Sample(question.in_scope, result.top_dense_similarity, supported, bool(result.chunks)))
        if progress is not None:
            progress(done, len(questions))
    return samples


def count_correct(samples: Sequence[Sample], low: float, high: float) -> int:
    """How many questions the refusal rule with these thresholds decides right."""
    correct = 0
    for s in samples:
        answered = s.retrieved and (s.similarity >= high or (s.similarity >= low and s.supported))
        correct += int(answered == s.in_scope)
    return correct


def choose_refusal(samples: Sequence[Sample], reference: Tuning) -> tuple[float, float]:
    """The (min, strong) pair with the most right decisions; ties as described in the module docstring."""
    thresholds = _midpoints([s.similarity for s in samples])
    sims = np.asarray([s.similarity for s in samples])
    usable = np.asarray([s.retrieved for s in samples])
    supported = np.asarray([s.supported for s in samples]) & usable
    in_scope = np.asarray([s.in_scope for s in samples])
    cut = np.asarray(thresholds)[:, None]
    strong = (sims[None, :] >= cut) & usable  # [high index, sample]
    weak = (sims[None, :] >= cut) & supported  # [low index, sample]
    answered = strong[None, :, :] | weak[:, None, :]  # [low, high, sample]
    correct = np.where(in_scope, answered, ~answered).sum(axis=2)
    ratio = reference.refusal_min_similarity / reference.refusal_strong_similarity
    inside = [s.similarity for s in samples if s.in_scope]
    outside = [s.similarity for s in samples if not s.in_scope]
    middle = (statistics.fmean(inside) + statistics.fmean(outside)) / 2
    best = int(correct.max())
    candidates = []
    for i, j in zip(*np.nonzero(correct == best), strict=True):
        low, high = thresholds[int(i)], thresholds[int(j)]
        if low > high:
            continue
        off_ratio = abs(low / high - ratio) if high > 0 else float("inf")
        candidates.append((round(off_ratio, 3), abs((low + high) / 2 - middle), -high, low, high))
    if not candidates:  # the best pair always has a twin with low <= high (answered only depends on both)
        raise ConfigError("Geen geldige drempels gevonden voor deze vragen.")
    _, _, _, low, high = min(candidates)
    return low, high


def choose_card_threshold(own: Sequence[float], other: Sequence[float]) -> float | None:
    """The threshold that best separates own-card from other-card similarities (None without data)."""
    if not own or not other:
        return None
    own_values, other_values = np.asarray(own), np.asarray(other)
    scored = [
        (int((own_values >= t).sum() + (other_values < t).sum()), t) for t in _midpoints([*own, *other])
    ]
    return max(scored)[1]  # most right; of equals the highest


def format_calibration(calibration: Calibration, written: Path | None) -> list[str]:
    """Dutch lines for the terminal."""
    samples = calibration.samples
    inside = sorted(s.similarity for s in samples if s.in_scope)
    outside = sorted(s.similarity for s in samples if not s.in_scope)
    before, after = calibration.before, calibration.after
    own, other = calibration.card_pairs
    lines = [
        f"Kalibratie voor {calibration.embedder_id} op {len(samples)} vragen "
        f"({len(inside)} binnen, {len(outside)} buiten de scope).",
        f"Hoogste gelijkenis per vraag: binnen de scope mediaan {statistics.median(inside):.3f} "
        f"(laagste {inside[0]:.3f}); buiten de scope mediaan {statistics.median(outside):.3f} "
        f"(hoogste {outside[-1]:.3f}).",
        f"Weigeren onder {after.refusal_min_similarity:.4f} (was {before.refusal_min_similarity:.4f}); "
        f"beantwoorden vanaf {after.refusal_strong_similarity:.4f} "
        f"(was {before.refusal_strong_similarity:.4f}); daartussen beslist de woorddekking.",
        f"Juiste beslissingen: {calibration.correct_after} van {len(samples)} "
        f"(met de vorige drempels: {calibration.correct_before}).",
    ]
    if own:
        lines.append(
            f"Antwoordkaarten: drempel {after.card_min_similarity:.4f} "
            f"(was {before.card_min_similarity:.4f}), gekozen op {own} vergelijkingen met de eigen kaart "
            f"en {other} met andere kaarten."
        )
    lines.append(
        "Meegeschaald naar de schaal van deze embedder: "
        + ", ".join(
            f"{name} {getattr(after, name):.4f} (was {getattr(before, name):.4f})"
            for name in _SCALED
            if name != "card_min_similarity" or not own
        )
        + "."
    )
    lines.append(
        f"Ongewijzigd (hangen niet af van de embedder): refusal_min_coverage {after.refusal_min_coverage}, "
        f"evidence_min_score {after.evidence_min_score}."
    )
    lines += [f"Let op: {note}." for note in calibration.notes]
    if written is None:
        lines.append("Proefrun: niets geschreven.")
    else:
        lines.append(f"Geschreven naar {written}; 'avg-assistent doctor' en de app gebruiken het vanaf nu.")
    return lines


_SCALED = (
    "card_min_similarity",
    "card_min_margin",
    "completeness_min_similarity",
    "completeness_margin",
    "own_document_margin",
)


def _scaled(reference: Tuning, low: float, high: float, card: float | None) -> dict[str, float]:
    """Values too rare to measure, moved linearly from the reference's scale to the new one.

    The map takes the reference's refusal minimum to ``low`` and its card threshold to ``card``
    (or, without cards, its strong similarity to ``high``); margins scale by the same factor.
    """
    old_low = reference.refusal_min_similarity
    old_top, new_top = (
        (reference.card_min_similarity, card)
        if card is not None
        else (reference.refusal_strong_similarity, high)
    )
    factor = (new_top - low) / (old_top - old_low) if new_top > low else 0.0
    if factor <= 0:  # no usable scale: keep the reference's absolute values
        factor, low, old_low = 1.0, old_low, old_low

    def place(value: float) -> float:
        return round(low + (value - old_low) * factor, 4)

    return {
        "card_min_similarity": round(card, 4) if card is not None else place(reference.card_min_similarity),
        "card_min_margin": round(reference.card_min_margin * factor, 4),
        "completeness_min_similarity": place(reference.completeness_min_similarity),
        "completeness_margin": round(reference.completeness_margin * factor, 4),
        "own_document_margin": round(reference.own_document_margin * factor, 4),
    }


def _midpoints(values: Sequence[float]) -> list[float]:
    """Candidate thresholds: halfway between neighbouring distinct values, and just outside both ends."""
    distinct = sorted(set(values))
    inner = [round((a + b) / 2, 4) for a, b in zip(distinct, distinct[1:], strict=False)]
    return [round(distinct[0] - 0.01, 4), *inner, round(distinct[-1] + 0.01, 4)]
