"""The Compliancy Check report as data: scores per theme, gaps, action plan with cost, comparison.

Scoring: per question *voldoet* = 1, *voldoet deels* = ½, *voldoet niet* and *onbekend* = 0
(what is not assessed is not demonstrated); *niet van toepassing* is left out of the score and the
plan. A theme's score is the mean over its applicable questions, as a percentage. Until every answer
is reviewed the report is a concept (:attr:`CheckReport.final`): the exports mark it CONCEPT and
show no total score.

Action plan: every gap (*voldoet niet* or *voldoet deels*) gets the checklist's measure, naming the
client's own processors, activities or documents the answer is about; a partial gap (work partly
done: a register with gaps, a drafted statement) costs half the measure's effort, rounded up to half
days. Cost = days × day rate. Actions are ranked by risk (hoog, midden, laag: the question's
``risico`` or the default per theme below), then *voldoet niet* before *voldoet deels*.

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
    STATUS_NOT_APPLICABLE,
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
OUTCOME_NOT_APPLICABLE = "niet meer van toepassing"

RISK_HIGH, RISK_MEDIUM, RISK_LOW = "hoog", "midden", "laag"
_RISK_ORDER = {RISK_HIGH: 0, RISK_MEDIUM: 1, RISK_LOW: 2}
#: Default risk per question-id prefix when the checklist gives none (an exact id wins).
DEFAULT_RISK = {
    "LEK": RISK_HIGH,
    "DPIA": RISK_HIGH,
    "GRS-04": RISK_HIGH,
    "DGF": RISK_HIGH,
    "BEV": RISK_HIGH,
    "VWK-01": RISK_HIGH,
    "FG-01": RISK_MEDIUM,
    "REG": RISK_MEDIUM,
    "GRS": RISK_MEDIUM,
    "TRA": RISK_MEDIUM,
    "REC": RISK_MEDIUM,
    "VWK": RISK_MEDIUM,
    "BWT": RISK_MEDIUM,
    "FG": RISK_MEDIUM,
}
TOP_RISKS = 5


def risk_of(question: ChecklistQuestion) -> str:
    """The question's risk level: its own ``risico``, else the default for its id or theme prefix."""
    if question.risk:
        return question.risk
    prefix = question.id.rsplit("-", 1)[0]
    return DEFAULT_RISK.get(question.id) or DEFAULT_RISK.get(prefix) or RISK_LOW


@dataclass(frozen=True)
class ExaminedDocument:
    """A document of the client that the check searched."""

    title: str
    version: int
    date: str


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
    not_applicable: int = 0


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
    risk: str = RISK_LOW
    articles: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    question: str = ""


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
    documents: list[ExaminedDocument] = field(default_factory=list)
    not_applicable: list[ReportItem] = field(default_factory=list)

    @property
    def final(self) -> bool:
        """True when every answer is reviewed: only then is the report more than a concept."""
        return self.unreviewed == 0

    def top_risks(self, limit: int = TOP_RISKS) -> list[Action]:
        """The first actions of the (risk-ranked) plan."""
        return self.actions[:limit]

    def count(self, outcome: str) -> int:
        """How many questions have this comparison outcome."""
        return sum(1 for c in self.changes if c.outcome == outcome)


def build_report(
    run: CheckRun,
    checklist: Checklist,
    answers: list[ReviewedAnswer],
    day_rate: float = DEFAULT_DAY_RATE,
    previous: tuple[CheckRun, list[ReviewedAnswer]] | None = None,
    documents: list[ExaminedDocument] | None = None,
) -> CheckReport:
    """The report of ``run`` (answers reviewed), compared with ``previous`` when given."""
    by_id = {a.question_id: a for a in answers}
    items = [ReportItem(q, by_id[q.id]) for q in checklist.questions if q.id in by_id]
    themes = [_theme_score(t, [i for i in items if i.question.theme == t]) for t in checklist.themes()]
    themes = [t for t in themes if t.total + t.not_applicable]
    gaps = [i for i in items if i.answer.status in (STATUS_FAILS, STATUS_PARTIAL)]
    gaps.sort(key=lambda i: (_RISK_ORDER.get(risk_of(i.question), 2), STATUS_RANK[i.answer.status]))
    actions = [_action(i, day_rate) for i in gaps]
    total_days = sum(a.effort_days for a in actions)
    return CheckReport(
        run=run,
        checklist_version=checklist.version,
        day_rate=day_rate,
        items=items,
        themes=themes,
        overall=_score([i.answer.status for i in items if i.answer.status != STATUS_NOT_APPLICABLE]),
        gaps=gaps,
        open_items=[i for i in items if i.answer.status == STATUS_UNKNOWN],
        actions=actions,
        total_days=total_days,
        total_cost=total_days * day_rate,
        unreviewed=sum(1 for i in items if i.answer.review_state == REVIEW_NONE),
        previous=previous[0] if previous else None,
        changes=compare(previous[1], items) if previous else [],
        documents=documents or [],
        not_applicable=[i for i in items if i.answer.status == STATUS_NOT_APPLICABLE],
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
        elif now == STATUS_NOT_APPLICABLE and was != now:
            outcome = OUTCOME_NOT_APPLICABLE
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
    subjects = item.answer.proposal.subjects
    measure = item.question.measure
    if subjects:
        measure = f"{measure} Betreft: {', '.join(subjects)}."
    return Action(
        question_id=item.question.id,
        theme=item.question.theme,
        status=item.answer.status,
        measure=measure,
        effort_days=days,
        cost=days * day_rate,
        risk=risk_of(item.question),
        articles=list(item.question.articles),
        subjects=list(subjects),
        question=item.question.question,
    )


def _theme_score(theme: str, items: list[ReportItem]) -> ThemeScore:
    everything = [i.answer.status for i in items]
    statuses = [s for s in everything if s != STATUS_NOT_APPLICABLE]
    return ThemeScore(
        theme=theme,
        score=_score(statuses),
        total=len(statuses),
        complies=statuses.count(STATUS_COMPLIES),
        partial=statuses.count(STATUS_PARTIAL),
        fails=statuses.count(STATUS_FAILS),
        unknown=statuses.count(STATUS_UNKNOWN),
        not_applicable=everything.count(STATUS_NOT_APPLICABLE),
    )


def _score(statuses: list[str]) -> float:
    if not statuses:
        return 0.0
    return round(100.0 * sum(STATUS_POINTS[s] for s in statuses) / len(statuses), 1)
