"""Durations in the client's words ("2 jaar na uitdiensttreding", "vier weken", "28 dagen"), in days.

Shared by the register's own checks (:mod:`assistant.features.privacy.model`: a term shorter than the law
sets) and the comparison of the register with the documents
(:mod:`assistant.features.privacy.register_conflicts`).
"""

from __future__ import annotations

import re

from knowledge.text_analysis import fold

_NUMBERS = {
    "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9,
    "tien": 10, "elf": 11, "twaalf": 12, "vijftien": 15, "twintig": 20, "dertig": 30, "veertig": 40,
    "zestig": 60, "negentig": 90,
}  # fmt: skip
_DAYS = {"dag": 1, "dagen": 1, "week": 7, "weken": 7, "maand": 30, "maanden": 30, "jaar": 365, "jaren": 365}
_DURATION = re.compile(
    r"\b(?P<n>\d+(?:[.,]\d+)?|"
    + "|".join(_NUMBERS)
    + r")\s+(?P<unit>dagen|dag|weken|week|maanden|maand|jaren|jaar)\b"
)


def durations(text: str) -> list[float]:
    """The durations ``text`` names, in days ("2 jaar na uitdiensttreding, loonadministratie 7 jaar")."""
    found = []
    for match in _DURATION.finditer(fold(text)):
        raw = match["n"].replace(",", ".")
        number = float(raw) if raw[0].isdigit() else float(_NUMBERS[raw])
        found.append(number * _DAYS[match["unit"]])
    return found
