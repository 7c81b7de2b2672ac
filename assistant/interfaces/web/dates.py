"""Dates and times as the UI shows them: "4 december 2026, 21:16", in Europe/Amsterdam.

Stored timestamps are ISO 8601 in UTC (or with an offset); a naive timestamp is taken as
UTC. This is the one place the web UI formats a moment or a day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from assistant.features.portfolio.dates import AMSTERDAM, MONTHS


def _moment(value: str | datetime) -> datetime | None:
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
        moment = _moment(value)
        day = moment.date() if moment else value.date()
    elif isinstance(value, date):
        day = value
    elif len(value.strip()) > 10:
        moment = _moment(value)
        if moment is None:
            return value
        day = moment.date()
    else:
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            return value
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def dutch_moment(value: str | datetime) -> str:
    """A moment as "4 december 2026, 21:16" in Europe/Amsterdam; "" for none, unreadable text unchanged."""
    if isinstance(value, str) and not value.strip():
        return ""
    moment = _moment(value)
    if moment is None:
        return str(value)
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M}"
