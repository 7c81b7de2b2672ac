"""The one place that reads the Compliancy Check's action plan (:class:`CheckReport.actions`).

The check report's shape may change (risk ranking, client-specific measures, *n.v.t.*); only
:func:`plan_items` needs to follow, the rest of the portfolio works on :class:`PlanItem`.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.features.check.report import CheckReport


@dataclass(frozen=True)
class PlanItem:
    """One measure of a reviewed check's action plan, as the portfolio tracks it."""

    question_id: str
    theme: str
    gap_status: str
    measure: str
    effort_days: float


def plan_items(report: CheckReport) -> list[PlanItem]:
    """The measures of the report's action plan, in the report's order."""
    return [PlanItem(a.question_id, a.theme, a.status, a.measure, a.effort_days) for a in report.actions]


def unreviewed(report: CheckReport) -> int:
    """How many answers of the report are not yet reviewed."""
    return report.unreviewed
