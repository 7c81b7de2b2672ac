"""Dutch dates in Dutch time: "4 december 2026" and "4 december 2026, 21:16", in Europe/Amsterdam.

One home for the time zone, the month names and the formatting, so the portfolio, the web UI and
the personal-data check (month names in written dates) share them. It sits in the lowest layer so
every layer may import it. Stored timestamps are ISO 8601 in UTC (or with an offset); a naive
timestamp is taken as UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def day_text(day: date) -> str:
    """A calendar day as "4 december 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def in_amsterdam(value: str | datetime) -> datetime | None:
    """A stored moment (naive: UTC) as Amsterdam time; None when the text is no timestamp."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(AMSTERDAM)


def dutch_day(value: str | date) -> str:
    """A day as "4 december 2026" (a timestamp: its day in Amsterdam); unreadable text unchanged."""
    if isinstance(value, datetime):
        moment = in_amsterdam(value)
        day = moment.date() if moment else value.date()
    elif isinstance(value, date):
        day = value
    elif len(value.strip()) > 10:
        moment = in_amsterdam(value)
        if moment is None:
            return value
        day = moment.date()
    else:
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            return value
    return day_text(day)


def dutch_moment(value: str | datetime) -> str:
    """A moment as "4 december 2026, 21:16" in Europe/Amsterdam; "" for none, unreadable text unchanged."""
    if isinstance(value, str) and not value.strip():
        return ""
    moment = in_amsterdam(value)
    if moment is None:
        return str(value)
    return f"{day_text(moment.date())}, {moment:%H:%M}"
