"""Dates of the portfolio: stored as ISO (``2026-12-04``), shown in Dutch ("4 december 2026").

"Today" is the calendar day in Europe/Amsterdam, whatever the machine's time zone; the zone and the
month names come from :mod:`ingestion.dutch_dates`, which the web UI uses too.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime

from ingestion.dutch_dates import AMSTERDAM, day_text
from ingestion.errors import AvgError


class DateError(AvgError):
    """A date that cannot be read (Dutch message)."""


def today() -> date:
    """The calendar day now in Europe/Amsterdam."""
    return datetime.now(AMSTERDAM).date()


def parse_date(text: str) -> date:
    """An ISO date (``2026-12-04``) or a Dutch one (``4-12-2026``); Dutch error otherwise."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    parts = text.replace("/", "-").split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        try:
            return date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            pass
    raise DateError(f"Datum '{text}' is ongeldig. Schrijf de datum als 2026-12-04 of 4-12-2026.")


def day_of(moment: str) -> date:
    """The Amsterdam calendar day of a stored timestamp or date (``2026-12-04T10:00:00+00:00``)."""
    if len(moment) <= 10:
        return date.fromisoformat(moment)
    stamp = datetime.fromisoformat(moment)
    if stamp.tzinfo is None:
        return stamp.date()
    return stamp.astimezone(AMSTERDAM).date()


def dutch(day: date | str | None, empty: str = "onbekend") -> str:
    """A date as "4 december 2026"; ``empty`` when there is none."""
    if not day:
        return empty
    if isinstance(day, str):
        day = day_of(day)
    return day_text(day)


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months (the 31st becomes the month's last day where needed)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
