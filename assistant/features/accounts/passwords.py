"""Password rules: length, and not easy to guess (zxcvbn's estimate, with Dutch messages).

zxcvbn (a maintained port of Dropbox's estimator) scores a password 0-4 against lists of
common passwords, names and words, keyboard patterns, repetitions, sequences and dates. A
password needs at least :data:`MIN_SCORE`; the user name and the product's own words count as
known words, so ``avg-assistent2024`` does not pass. zxcvbn's lists are English, so a short
Dutch list of words that common passwords are built from (:data:`DUTCH_BASE_WORDS`: welkom,
zomer, wachtwoord, months, football clubs ...) is checked too: a password whose letters are
only such words (``Welkom01!2024``, ``zomer2024zomer``) is refused whatever its score.
"""

from __future__ import annotations

import re
from typing import Any

from zxcvbn import zxcvbn

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024
MIN_SCORE = 3
SCORED_CHARS = 100  # zxcvbn's time grows with the length; 100 characters decide the score
KNOWN_WORDS = ("avg", "assistent", "avg-assistent", "wachtwoord", "welkom", "privacy", "geheim", "admin")

DUTCH_BASE_WORDS = (
    "welkom", "wachtwoord", "paswoord", "geheim", "zomer", "winter", "lente", "herfst", "voorjaar", "najaar",
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
    "november", "december", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
    "liefde", "schat", "lieverd", "voetbal", "ajax", "feyenoord", "psv", "oranje", "nederland", "holland",
    "amsterdam", "rotterdam", "utrecht", "admin", "beheer", "beheerder", "test", "qwerty", "azerty",
    "avg", "assistent", "privacy", "kantoor", "inloggen", "gebruiker",
)  # fmt: skip
TOO_SHORT = f"Een wachtwoord heeft minstens {MIN_PASSWORD_CHARS} tekens."
TOO_LONG = f"Een wachtwoord heeft hoogstens {MAX_PASSWORD_CHARS} tekens."
ONLY_SPACES = "Een wachtwoord bestaat niet alleen uit spaties."
TOO_WEAK = (
    "Dit wachtwoord is te makkelijk te raden ({why}). Kies bijvoorbeeld een zin van vier of meer "
    "losse woorden die niet bij elkaar horen."
)
PATTERN_REASONS = {
    "repeat": "een herhaling van tekens",
    "sequence": "een reeks zoals abcd of 1234",
    "spatial": "een toetsenbordpatroon",
    "date": "een datum",
    "dictionary": "een veelgebruikt wachtwoord of woord",
    "regex": "een jaartal of eenvoudig patroon",
    "bruteforce": "te weinig variatie",
}


def password_problem(password: str, username: str = "") -> str:
    """The Dutch reason why ``password`` is not allowed, or "" when it is."""
    if len(password) < MIN_PASSWORD_CHARS:
        return TOO_SHORT
    if len(password) > MAX_PASSWORD_CHARS:
        return TOO_LONG
    if not password.strip():
        return ONLY_SPACES
    letters = re.sub(r"[^a-z]", "", password.lower())
    words = [*DUTCH_BASE_WORDS, *([re.sub(r"[^a-z]", "", username.lower())] if username else [])]
    if letters and re.fullmatch("(?:" + "|".join(re.escape(w) for w in words if w) + ")+", letters):
        return TOO_WEAK.format(why="een veelgebruikt woord met cijfers of tekens")
    result: dict[str, Any] = zxcvbn(password[:SCORED_CHARS], user_inputs=[*KNOWN_WORDS, username])
    if int(result["score"]) >= MIN_SCORE:
        return ""
    patterns = [str(m.get("pattern", "")) for m in result.get("sequence", [])]
    reasons = [PATTERN_REASONS[p] for p in dict.fromkeys(patterns) if p in PATTERN_REASONS]
    return TOO_WEAK.format(why=", ".join(reasons) or "te voorspelbaar")
