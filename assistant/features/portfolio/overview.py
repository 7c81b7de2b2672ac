"""The portfolio overview: one row per client with dates and counts (never client content).

A beheerder who is not assigned to a client sees exactly these rows; the content behind them
(measures, notes, passage diffs) stays with the assigned consultant. Also the CSV export and the
daily summary a consultant can mail.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from assistant.features.portfolio.dates import day_of, dutch
from assistant.features.portfolio.model import Subscription, TrackedAction

DUE_SOON_DAYS = 30
DUE_OVERDUE = "te laat"
DUE_SOON = "binnenkort"
DUE_PLANNED = "gepland"
DUE_NONE = "geen abonnement"


@dataclass(frozen=True)
class ClientStatus:
    """What needs attention for one client (names, dates and counts only)."""

    client: str
    consultant: str
    subscription: str
    last_check: str
    next_due: str
    due_state: str
    open_actions: int
    overdue_actions: int
    stale_drafts: int
    open_alerts: int

    @property
    def needs_attention(self) -> bool:
        """Whether anything is due, overdue, stale or alerted."""
        return bool(
            self.due_state in (DUE_OVERDUE, DUE_SOON)
            or self.overdue_actions
            or self.stale_drafts
            or self.open_alerts
        )

    def to_json(self) -> dict[str, Any]:
        """Plain data (ISO dates) for ``--json``."""
        return {**asdict(self), "needs_attention": self.needs_attention}


def overdue(action: TrackedAction, on: date) -> bool:
    """Whether an open action is past its due date."""
    return action.active and bool(action.due_date) and date.fromisoformat(action.due_date) < on


def client_status(
    sub: Subscription,
    last_check: str,
    next_due: date | None,
    actions: list[TrackedAction],
    stale_drafts: int,
    open_alerts: int,
    on: date,
) -> ClientStatus:
    """The row of one client on day ``on``."""
    if next_due is None:
        state = DUE_NONE
    elif next_due < on:
        state = DUE_OVERDUE
    elif next_due <= on + timedelta(days=DUE_SOON_DAYS):
        state = DUE_SOON
    else:
        state = DUE_PLANNED
    return ClientStatus(
        client=sub.client,
        consultant=sub.consultant,
        subscription=sub.label,
        last_check=day_of(last_check).isoformat() if last_check else "",
        next_due=next_due.isoformat() if next_due else "",
        due_state=state,
        open_actions=sum(1 for a in actions if a.active),
        overdue_actions=sum(1 for a in actions if overdue(a, on)),
        stale_drafts=stale_drafts,
        open_alerts=open_alerts,
    )


CSV_HEADER = (
    "Klant",
    "Consultant",
    "Abonnement",
    "Laatste check",
    "Volgende check",
    "Status check",
    "Open acties",
    "Acties te laat",
    "Verouderde verklaringen",
    "Open meldingen",
)


def to_csv(rows: list[ClientStatus]) -> str:
    """The overview as CSV (semicolons, as Dutch spreadsheet programs expect; ISO dates)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow(
            [
                _cell(r.client),
                _cell(r.consultant),
                r.subscription,
                r.last_check,
                r.next_due,
                r.due_state,
                r.open_actions,
                r.overdue_actions,
                r.stale_drafts,
                r.open_alerts,
            ]
        )
    return out.getvalue()


def summary_text(rows: list[ClientStatus], on: date, who: str = "") -> str:
    """The daily summary as plain Dutch text (for mail)."""
    title = f"Portefeuille{' van ' + who if who else ''} — {dutch(on)}"
    lines = [title, "=" * len(title), ""]
    attention = [r for r in rows if r.needs_attention]
    if not attention:
        lines.append(f"Geen aandachtspunten bij {len(rows)} klant(en).")
        return "\n".join(lines) + "\n"
    lines.append(f"{len(attention)} van {len(rows)} klant(en) vragen aandacht:")
    for r in attention:
        lines += ["", f"* {r.client}"]
        if r.due_state == DUE_OVERDUE:
            lines.append(f"  - herhalingscheck te laat: was gepland op {dutch(r.next_due)}")
        elif r.due_state == DUE_SOON:
            lines.append(f"  - herhalingscheck gepland op {dutch(r.next_due)}")
        if r.overdue_actions:
            lines.append(f"  - {r.overdue_actions} actie(s) over de termijn (van {r.open_actions} open)")
        if r.stale_drafts:
            lines.append(f"  - {r.stale_drafts} goedgekeurde privacyverklaring(en) verouderd")
        if r.open_alerts:
            lines.append(f"  - {r.open_alerts} wijzigingsmelding(en) te beoordelen")
    return "\n".join(lines) + "\n"


def _cell(value: str) -> str:
    """A text cell that a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(("=", "+", "-", "@")) else value
