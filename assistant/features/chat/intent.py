"""What a question asks for, by its wording: a term, a permission or duty, a list, steps.

The quote of a provision is chosen by what the question asks, not only by shared words: a
term question needs the sentence with the time expression, "mag/moet ik" the sentence with the
permission, duty or condition, "wat moet erin" the whole list. These are the question types
staff questions fall into; a question can have several.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Intent(StrEnum):
    """A kind of thing a question asks for."""

    TERM = "termijn"
    PERMISSION = "mag_moet"
    LIST = "lijst"
    STEPS = "stappen"
    DEFINITION = "definitie"
    AMOUNT = "bedrag"


_PATTERNS: dict[Intent, re.Pattern[str]] = {
    Intent.TERM: re.compile(
        r"\b(termijn|hoe snel|hoe lang|binnen hoeveel|hoeveel (tijd|dagen|weken|uur)|wanneer moet|"
        r"deadline)\b"
    ),
    Intent.PERMISSION: re.compile(
        r"\b(mag|mogen|moet|moeten|verplicht|toegestaan|verboden|kan ik|kunnen we|is het (wel )?(toegestaan|"
        r"nodig|verplicht)|nodig)\b"
    ),
    Intent.LIST: re.compile(
        r"\b(wat moet er (allemaal |minimaal |precies )?in|"
        r"welke (gegevens|informatie|onderdelen|elementen|punten)|"
        r"wat (moet|moeten) (er )?(in|erin)|inhoud van|wat staat er in|waaraan moet)\b|\b(in|erin) staan\b"
    ),
    Intent.STEPS: re.compile(
        r"\b(wat (moeten|moet) (we|ik|wij) (nu )?doen|wat nu|hoe (pakken|gaan) (we|wij) .* aan|welke stappen|"
        r"wat te doen|hoe moeten (we|wij) (handelen|reageren))\b"
    ),
    Intent.DEFINITION: re.compile(r"^\s*(wat (is|zijn|betekent|verstaat)|wat wordt (er )?verstaan)\b"),
    Intent.AMOUNT: re.compile(
        r"\b(hoe hoog|hoe groot|welk bedrag|hoeveel (bedraagt|is|kost|mag|kan)|"
        r"maximale? (boete|bedrag|straf)|boetes? (van )?maximaal|tot hoeveel)\b"
    ),
}

#: Sentences that carry what each intent asks for.
CARRIERS: dict[Intent, re.Pattern[str]] = {
    Intent.TERM: re.compile(
        r"\b(\d+|een|één|twee|drie|vier|zes|acht|tien)\s+(uur|dagen|dag|weken|week|maand|maanden|jaar|jaren)\b|"
        r"\bonverwijld\b|zonder onredelijke vertraging|\buiterlijk\b",
        re.IGNORECASE,
    ),
    Intent.PERMISSION: re.compile(
        r"\b(mag|mogen|moet|moeten|is verboden|zijn verboden|verbod|verplicht|uitsluitend|alleen indien|"
        r"indien|tenzij|toegestaan|rechtmatig|niet van toepassing)\b",
        re.IGNORECASE,
    ),
    Intent.AMOUNT: re.compile(
        r"\b\d[\d .]*\s*(eur|euro)\b|€\s*\d|\b\d+\s*(%|procent)|\bmiljoen\b", re.IGNORECASE
    ),
}

#: Carriers that state the answer itself: a number of hours/days/…, an amount, a percentage.
_EXACT: dict[Intent, re.Pattern[str]] = {
    Intent.TERM: re.compile(r"\b\d+\s+(uur|dagen|dag|weken|week|maand|maanden|jaar|jaren)\b", re.IGNORECASE),
    Intent.AMOUNT: CARRIERS[Intent.AMOUNT],
}


def intents(question: str) -> set[Intent]:
    """The kinds of things ``question`` asks for (empty: just a topic)."""
    text = " ".join(question.lower().split())
    return {intent for intent, pattern in _PATTERNS.items() if pattern.search(text)}


def carries(sentence: str, wanted: set[Intent]) -> bool:
    """Whether the sentence holds what one of the wanted intents asks for."""
    return any(CARRIERS[i].search(sentence) for i in wanted if i in CARRIERS)


def answer_strength(text: str, wanted: set[Intent]) -> int:
    """How directly ``text`` answers a term or amount question: 2 states the number, 1 a vaguer
    carrier ("zonder onredelijke vertraging"), 0 neither (or no such question)."""
    asked = [i for i in wanted if i in _EXACT]
    if any(_EXACT[i].search(text) for i in asked):
        return 2
    return 1 if any(CARRIERS[i].search(text) for i in asked) else 0
