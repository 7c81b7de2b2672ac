"""Split a question with several asks into its parts, conservatively.

"Wat is een DPIA en wanneer moet ik die doen?" asks two things; answering only the first
leaves the second unanswered. A question is split

* after a question mark when the next sentence is a question that opens like an ask of its own
  ("Moeten we het melden? En binnen welke termijn?"); a statement, or a question that only
  elaborates ("De AVG zegt toch …?"), stays with the ask before it, and
* at "en" (or ", en") when the words after it open a new ask: a question word ("wanneer",
  "hoe lang", "binnen welke", …) or an inverted verb with its subject ("moeten we", "mag ik").

It is not split when a part would be no ask of its own: fewer than ``MIN_PART_WORDS`` words
("Hoe en wanneer meld ik een datalek?"), or a first part that only names two things to compare
("het verschil tussen … en wat …"). At most ``MAX_PARTS`` parts; the rest stays in the last.
"""

from __future__ import annotations

import re

from assistant.features.chat.followup import content_words
from knowledge.text_analysis import tokenize

MAX_PARTS = 3
MIN_PART_WORDS = 3
_QUESTION_WORDS = (
    r"wat|wie|waar|wanneer|waarom|waarvoor|hoe|hoeveel|hoelang|welke|welk|"
    r"(?:binnen|voor|tot|na|vanaf|in|onder|op) (?:welke|welk|wanneer|hoeveel)"
)
_VERBS = (
    r"moet|moeten|mag|mogen|kan|kunnen|hoef|hoeven|is|zijn|geldt|gelden|heb|hebben|heeft|"
    r"wordt|worden|valt|vallen|zal|zullen|dien|dienen"
)
_SUBJECTS = r"we|wij|ik|je|jij|u|jullie|ze|zij|hij|het|er|dat|dit|die|de|een|deze|onze|mijn"
_NEW_ASK = re.compile(
    rf",?\s+en\s+(?=(?:(?:dan|ook|daarna|verder)\s+)?(?:(?:{_QUESTION_WORDS})\b|(?:{_VERBS})\s+(?:{_SUBJECTS})\b))",
    re.IGNORECASE,
)
_OPENS_ASK = re.compile(
    rf"(?:en\s+)?(?:(?:dan|ook)\s+)?(?:(?:{_QUESTION_WORDS})\b|(?:{_VERBS})\s+(?:{_SUBJECTS})\b)",
    re.IGNORECASE,
)
_ASK_END = re.compile(r"(?<=\?)\s+(?=\S)")
_COMPARISON = re.compile(r"\b(tussen|zowel|verschil)\b", re.IGNORECASE)


def split_question(question: str) -> list[str]:
    """The asks of ``question`` in order; a one-element list when it asks one thing."""
    text = " ".join(question.split())
    sentences: list[str] = []
    for sentence in _ASK_END.split(text):
        if sentences and not (sentence.endswith("?") and _OPENS_ASK.match(sentence)):
            sentences[-1] = f"{sentences[-1]} {sentence}"  # an explanation or aside of the ask before it
        else:
            sentences.append(sentence)
    parts: list[str] = []
    for sentence in sentences:
        parts += _split_coordinated(sentence)
    parts = _merge_short(parts)
    if len(parts) > MAX_PARTS:
        parts = [*parts[: MAX_PARTS - 1], " ".join(parts[MAX_PARTS - 1 :])]
    return parts


def _split_coordinated(sentence: str) -> list[str]:
    """One sentence split at "en" before a new ask, unless a piece would be meaningless."""
    pieces = _NEW_ASK.split(sentence)
    if len(pieces) == 1 or _COMPARISON.search(pieces[0]):
        return [sentence]
    if any(len(tokenize(p)) < MIN_PART_WORDS and not content_words(p) for p in pieces):
        return [sentence]
    if any(len(tokenize(p)) < 2 for p in pieces):
        return [sentence]
    asked = [_as_question(p) for p in pieces]
    return asked


def _as_question(piece: str) -> str:
    """A piece as a question of its own: capitalised, ending in a question mark."""
    piece = piece.strip().rstrip(",;")
    if not piece.endswith("?"):
        piece += "?"
    return piece[:1].upper() + piece[1:]


def _merge_short(parts: list[str]) -> list[str]:
    """Join a part that is no ask of its own ("Ok?", "Klopt dat?") to the part before it."""
    merged: list[str] = []
    for part in parts:
        if merged and len(tokenize(part)) < 2:
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged
