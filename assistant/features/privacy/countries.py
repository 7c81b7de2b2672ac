"""Dutch country names: the EEA (where no transfer safeguards are needed) and common third countries.

Used to warn about recipients outside the EEA without a recorded transfer, and to spot a
country a language model added to a text that did not name it.
"""

from __future__ import annotations

import re

from knowledge.text_analysis import fold

EEA_COUNTRIES: frozenset[str] = frozenset(
    {
        *("nederland", "belgie", "bulgarije", "cyprus", "denemarken", "duitsland", "estland", "finland"),
        *("frankrijk", "griekenland", "hongarije", "ierland", "italie", "kroatie", "letland", "litouwen"),
        *("luxemburg", "malta", "oostenrijk", "polen", "portugal", "roemenie", "slovenie", "slowakije"),
        *("spanje", "tsjechie", "zweden", "ijsland", "liechtenstein", "noorwegen"),
        *("eer", "eu", "europese unie", "europese economische ruimte"),
    }
)

THIRD_COUNTRIES: frozenset[str] = frozenset(
    {
        *("verenigde staten", "vs", "usa", "verenigd koninkrijk", "engeland", "zwitserland", "canada"),
        *("india", "china", "japan", "australie", "israel", "brazilie", "zuid-korea", "singapore"),
        *("filipijnen", "oekraine", "turkije", "rusland", "zuid-afrika", "nieuw-zeeland", "argentinie"),
        *("mexico", "indonesie", "vietnam", "marokko", "verenigde arabische emiraten", "hongkong"),
        *("taiwan", "maleisie", "thailand", "pakistan", "bangladesh", "egypte", "nigeria", "kenia"),
        *("servie", "albanie", "noord-macedonie", "bosnie", "moldavie", "georgie", "uruguay", "chili"),
        *("colombia", "peru", "andorra", "faeroer", "guernsey", "jersey", "isle of man", "suriname"),
    }
)

ALL_COUNTRIES: frozenset[str] = EEA_COUNTRIES | THIRD_COUNTRIES
_NAMES = sorted((c for c in ALL_COUNTRIES if c not in {"eer", "eu", "vs"}), key=len, reverse=True)
_COUNTRY = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in _NAMES) + r")(?![\w-])")


def in_eea(country: str) -> bool:
    """True when ``country`` is empty (meaning: in the EEA) or an EEA country."""
    name = " ".join(fold(country).split())
    return not name or name in EEA_COUNTRIES


def countries_in(text: str) -> set[str]:
    """Folded names of the countries mentioned in ``text``."""
    return set(_COUNTRY.findall(" ".join(fold(text).split())))


_WITH_DE = {"verenigde staten", "filipijnen", "verenigde arabische emiraten", "faeroer"}
_WITH_HET = {"verenigd koninkrijk"}


def country_phrase(country: str) -> str:
    """The country as it follows "in": "de Verenigde Staten", "het Verenigd Koninkrijk", "Canada"."""
    name = " ".join(fold(country).split())
    if name in _WITH_DE:
        return f"de {country}"
    if name in _WITH_HET:
        return f"het {country}"
    return country
