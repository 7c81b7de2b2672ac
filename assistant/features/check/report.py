"""The Compliancy Check report as data: scores per theme, gaps, action plan with cost, comparison.

Scoring: per question *voldoet* = 1, *voldoet deels* = ½, *voldoet niet* and *onbekend* = 0
(what is not assessed is not demonstrated); a theme's score is the mean over its questions,
as a percentage. The report says how many answers are still unreviewed or *onbekend*.

Action plan: every gap (*voldoet niet* or *voldoet deels*) gets the checklist's measure; a
partial gap costs half the measure's effort, rounded up to half days. Cost = days × day rate.

Comparison with the client's previous check, per question id, on the ranking
*voldoet niet* < *onbekend* < *voldoet deels* < *voldoet*: *onbekend* means evidence was
found but not yet judged, which is better than an established gap and worse than any
judged compliance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from assistant.features.check.checklist import Checklist, ChecklistQuestion
from assistant.features.check.model import (
    REVIEW_NONE,
    STATUS_COMPLIES,
    STATUS_FAILS,
    STATUS_PARTIAL,
    STATUS_POINTS,
    STATUS_RANK,
    STATUS_UNKNOWN,
    CheckRun,
    ReviewedAnswer,
)

DEFAULT_DAY_RATE = 600.0

OUTCOME_IMPROVED = "verbeterd"
OUTCOME_REGRESSED = "verslechterd"
OUTCOME_SAME = "gelijk"
OUTCOME_NEW = "nieuw"
OUTCOME_REMOVED = "vervallen"


@dataclass(frozen=True)
class ThemeScore:
    """How one theme scores."""

    theme: str
    score: float
    total: int
    complies: int
    partial: int
    fails: int
    unknown: int


@dataclass(frozen=True)
class ReportItem:
    """A question with its reviewed answer."""

    question: ChecklistQuestion
    answer: ReviewedAnswer


@dataclass(frozen=True)
class Action:
    """One measure of the action plan."""

    question_id: str
    theme: str
    status: str
    measure: str
    effort_days: float
    cost: float


@dataclass(frozen=True)
class Change:
    """How one question's status changed since the previous check."""

    question_id: str
    question: str
    previous: str
    current: str
    outcome: str


@dataclass(frozen=True)
class CheckReport:
    """Everything the exported report shows."""

    run: CheckRun
    checklist_version: int
    day_rate: float
    items: list[ReportItem]
    themes: list[ThemeScore]
    overall: float
    gaps: list[ReportItem]
    open_items: list[ReportItem]
    actions: list[Action]
    total_days: float
    total_cost: float
    unreviewed: int
    previous: CheckRun | None = None
    changes: list[Change] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        """How many questions have this comparison outcome."""
        return sum(1 for c in self.changes if c.outcome == outcome)


def build_report(
    run: CheckRun,
    checklist: Checklist,
    answers: list[ReviewedAnswer],
    day_rate: float = DEFAULT_DAY_RATE,
    previous: tuple[CheckRun, list[ReviewedAnswer]] | None = None,
) -> CheckReport:
    """The report of ``run`` (answers reviewed), compared with ``previous`` when given."""
    by_id = {a.question_id: a for a in answers}
    items = [ReportItem(q, by_id[q.id]) for q in checklist.questions if q.id in by_id]
    themes = [_theme_score(t, [i for i in items if i.question.theme == t]) for t in checklist.themes()]
    themes = [t for t in themes if t.total]
    gaps = [i for i in items if i.answer.status in (STATUS_FAILS, STATUS_PARTIAL)]
    gaps.sort(key=lambda i: STATUS_RANK[i.answer.status])
    actions = [_action(i, day_rate) for i in gaps]
    total_days = sum(a.effort_days for a in actions)
    return CheckReport(
        run=run,
        checklist_version=checklist.version,
        day_rate=day_rate,
        items=items,
        themes=themes,
        overall=_score([i.answer.status for i in items]),
        gaps=gaps,
        open_items=[i for i in items if i.answer.status == STATUS_UNKNOWN],
        actions=actions,
        total_days=total_days,
        total_cost=total_days * day_rate,
        unreviewed=sum(1 for i in items if i.answer.review_state == REVIEW_NONE),
        previous=previous[0] if previous else None,
        changes=compare(previous[1], items) if previous else [],
    )


def compare(previous: list[ReviewedAnswer], items: list[ReportItem]) -> list[Change]:
    """Per question: improved, regressed, same, new (not in the previous check) or removed."""
    before = {a.question_id: a.status for a in previous}
    changes = []
    for item in items:
        now = item.answer.status
        was = before.pop(item.question.id, None)
        if was is None:
            outcome = OUTCOME_NEW
        elif STATUS_RANK[now] > STATUS_RANK[was]:
            outcome = OUTCOME_IMPROVED
        elif STATUS_RANK[now] < STATUS_RANK[was]:
            outcome = OUTCOME_REGRESSED
        else:
            outcome = OUTCOME_SAME
        changes.append(Change(item.question.id, item.question.question, was or "", now, outcome))
    for question_id, was in before.items():
        changes.append(Change(question_id, "", was, "", OUTCOME_REMOVED))
    return changes


def effort_for(status: str, effort_days: float) -> float:
    """Days of a measure for a gap: the full effort, or half rounded up to half days for a partial gap."""
    if status == STATUS_PARTIAL:
        return max(0.5, math.ceil(effort_days) / 2)
    return effort_days


def _action(item: ReportItem, day_rate: float) -> Action:
    days = effort_for(item.answer.status, item.question.effort_days)
    return Action(
        question_id=item.question.id,
        theme=item.question.theme,
        status=item.answer.status,
        measure=item.question.measure,
        effort_days=days,
        cost=days * day_rate,
    )


def _theme_score(theme: str, items: list[ReportItem]) -> ThemeScore:
    statuses = [i.answer.status for i in items]
    return ThemeScore(
        theme=theme,
        score=_score(statuses),
        total=len(statuses),
        complies=statuses.count(STATUS_COMPLIES),
        partial=statuses.count(STATUS_PARTIAL),
        fails=statuses.count(STATUS_FAILS),
        unknown=statuses.count(STATUS_UNKNOWN),
    )


def _score(statuses: list[str]) -> float:
    if not statuses:
        return 0.0
    return round(100.0 * sum(STATUS_POINTS[s] for s in statuses) / len(statuses), 1)
