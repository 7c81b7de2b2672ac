"""Sort titles as a person reads them: "Hoofdstuk 2" before "Hoofdstuk 10", "IV" before "IX".

Numbers in a title compare as numbers, Roman numerals (a whole word in capitals such as
``IV`` or ``XII``) as their value, the rest case-insensitively.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\d+|[A-Za-zÀ-ÿ]+|\S")
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(word: str) -> int | None:
    """The value of a Roman numeral in capitals ("IX" → 9), else None."""
    if not word or not _ROMAN.match(word):
        return None
    total = 0
    for char, following in zip(word, [*word[1:], ""], strict=True):
        value = _VALUES[char]
        total += -value if following and _VALUES[following] > value else value
    return total


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key: numbers and Roman numerals by value (before words), words case-folded."""
    key: list[tuple[int, int | str]] = []
    for token in _TOKEN.findall(text):
        if token.isdigit():
            key.append((0, int(token)))
            continue
        roman = roman_value(token)
        key.append((0, roman) if roman is not None else (1, token.casefold()))
    return tuple(key)
