"""The portfolio's data: subscriptions, tracked actions and change alerts.

A subscription sets how often a client is checked again (none, yearly, half-yearly or every N
months) and which consultant is responsible. The last check is read from the Compliancy Check's
runs (never stored twice); the next check is due one interval after it, or at once when there is
a subscription but no check yet.

A tracked action is a measure of a reviewed check's action plan that someone works through:
owner, due date, status (*open*, *bezig*, *gereed*, *vervallen*), a note and evidence — a
document version of the client that shows it is done.

An alert says that something a client's approved draft, reviewed check answer or open action
cites has changed: a client document, a kennisnotitie or the AVG text (passage diff), or a
checklist question.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ingestion.errors import AvgError

INTERVAL_NONE = "geen"
INTERVAL_YEARLY = "jaarlijks"
INTERVAL_HALF_YEARLY = "halfjaarlijks"
INTERVAL_CUSTOM = "anders"
INTERVALS: tuple[str, ...] = (INTERVAL_NONE, INTERVAL_YEARLY, INTERVAL_HALF_YEARLY, INTERVAL_CUSTOM)
INTERVAL_MONTHS = {INTERVAL_YEARLY: 12, INTERVAL_HALF_YEARLY: 6}

ACTION_OPEN = "open"
ACTION_BUSY = "bezig"
ACTION_DONE = "gereed"
ACTION_DROPPED = "vervallen"
ACTION_STATUSES: tuple[str, ...] = (ACTION_OPEN, ACTION_BUSY, ACTION_DONE, ACTION_DROPPED)
#: Statuses of an action someone still has to work on.
ACTION_ACTIVE = frozenset({ACTION_OPEN, ACTION_BUSY})

ALERT_OPEN = "open"
ALERT_SEEN = "afgehandeld"

# What changed.
SOURCE_CLIENT_DOCUMENT = "klantdocument"
SOURCE_GUIDANCE = "kennisnotitie"
SOURCE_LAW = "AVG-tekst"
SOURCE_CHECKLIST = "checklistvraag"
SOURCE_DOCUMENT = "document"

# What cites it.
SUBJECT_DRAFT = "privacyverklaring"
SUBJECT_ANSWER = "check-antwoord"
SUBJECT_ACTION = "actie"


class PortfolioError(AvgError):
    """The portfolio cannot do what was asked (Dutch message)."""


def record_json(record: TrackedAction | NewAlert) -> dict[str, Any]:
    """A tracked action or an (unstored or stored) alert as plain data for ``--json`` output."""
    return asdict(record)


@dataclass(frozen=True)
class Subscription:
    """How often a client is checked again, and who is responsible."""

    client: str
    interval: str
    months: int
    consultant: str
    contact: str
    updated_at: str
    updated_by: str

    @property
    def active(self) -> bool:
        """Whether the client has re-checks at all."""
        return self.interval != INTERVAL_NONE and self.months > 0

    @property
    def label(self) -> str:
        """Dutch label: "jaarlijks", "elke 3 maanden", "geen"."""
        if self.interval == INTERVAL_CUSTOM:
            return f"elke {self.months} maanden"
        return self.interval


@dataclass(frozen=True)
class TrackedAction:
    """One measure of a reviewed check's action plan, as it is worked through."""

    id: int
    client: str
    run_id: int
    question_id: str
    theme: str
    measure: str
    gap_status: str
    effort_days: float
    owner: str
    due_date: str
    status: str
    note: str
    evidence_doc_id: str
    evidence_version: int
    evidence_title: str
    created_at: str
    updated_at: str
    closed_at: str
    closed_by: str

    @property
    def active(self) -> bool:
        """Whether someone still has to work on it."""
        return self.status in ACTION_ACTIVE

    @property
    def evidence_label(self) -> str:
        """The evidence as shown: "Bewaarbeleid (versie 2)", or "geen bewijs"."""
        if not self.evidence_doc_id:
            return "geen bewijs"
        return f"{self.evidence_title} (versie {self.evidence_version})"


@dataclass(frozen=True)
class NewAlert:
    """An alert before it is stored."""

    client: str
    source_kind: str
    source_title: str
    source_ref: str
    old_version: int
    new_version: int
    subject_kind: str
    subject_ref: str
    subject_label: str
    cited: str
    diff: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Alert(NewAlert):
    """Something a client's record cites has changed: a :class:`NewAlert` as stored."""

    id: int
    status: str
    created_at: str
    handled_by: str = ""
    handled_at: str = ""

    @property
    def open(self) -> bool:
        """Whether nobody has handled it yet."""
        return self.status == ALERT_OPEN

    @property
    def summary(self) -> str:
        """One Dutch line: what changed and what cites it."""
        versions = f" (versie {self.old_version} → {self.new_version})" if self.new_version else ""
        return (
            f"{self.source_kind} '{self.source_title}'{versions} gewijzigd; geciteerd in {self.subject_label}"
        )


@dataclass(frozen=True)
class NextCheck:
    """What the next check of a client starts with: open actions, and what was closed with what."""

    client: str
    open: list[TrackedAction]
    closed: list[TrackedAction]
