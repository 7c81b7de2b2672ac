"""Dutch country names: the EEA (where no transfer safeguards are needed) and common third countries.

Used to warn about recipients outside the EEA without a recorded transfer, and to spot a
country a language model added to a text that did not name it.
"""

from __future__ import annotations

import re

from knowledge.text_analysis import fold

#: The EEA and the EU named as one area (not a country).
_EEA_AREAS = ("eer", "eu", "europese unie", "europese economische ruimte")

EEA_COUNTRIES: frozenset[str] = frozenset(
    {
        *("nederland", "belgie", "bulgarije", "cyprus", "denemarken", "duitsland", "estland", "finland"),
        *("frankrijk", "griekenland", "hongarije", "ierland", "italie", "kroatie", "letland", "litouwen"),
        *("luxemburg", "malta", "oostenrijk", "polen", "portugal", "roemenie", "slovenie", "slowakije"),
        *("spanje", "tsjechie", "zweden", "ijsland", "liechtenstein", "noorwegen"),
        *_EEA_AREAS,
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

#: Cities outside the EEA where work is commonly outsourced or hosted (folded Dutch and English spelling →
#: country): "het typewerk gebeurt in Kaapstad" places the data in Zuid-Afrika without naming it.
THIRD_COUNTRY_CITIES: dict[str, str] = {
    **dict.fromkeys(("kaapstad", "cape town", "johannesburg", "pretoria", "durban"), "zuid-afrika"),
    **dict.fromkeys(
        ("new york", "san francisco", "seattle", "chicago", "boston", "atlanta"), "verenigde staten"
    ),
    **dict.fromkeys(("los angeles", "dallas", "austin", "miami", "denver"), "verenigde staten"),
    **dict.fromkeys(("mumbai", "bombay", "bangalore", "bengaluru", "new delhi", "hyderabad"), "india"),
    **dict.fromkeys(("chennai", "pune", "kolkata"), "india"),
    **dict.fromkeys(("manilla", "manila", "cebu"), "filipijnen"),
    **dict.fromkeys(("kiev", "kyiv", "lviv", "kharkiv", "odessa"), "oekraine"),
    **dict.fromkeys(("istanbul", "ankara", "izmir"), "turkije"),
    **dict.fromkeys(("belgrado", "novi sad"), "servie"),
    **dict.fromkeys(("casablanca", "rabat", "marrakech"), "marokko"),
    **dict.fromkeys(("peking", "beijing", "shanghai", "shenzhen"), "china"),
    **dict.fromkeys(("tokio", "tokyo", "osaka"), "japan"),
    **dict.fromkeys(("sydney", "melbourne"), "australie"),
    **dict.fromkeys(("toronto", "vancouver", "montreal"), "canada"),
    **dict.fromkeys(("dubai", "abu dhabi"), "verenigde arabische emiraten"),
    **dict.fromkeys(("paramaribo",), "suriname"),
    **dict.fromkeys(("sao paulo", "rio de janeiro"), "brazilie"),
    **dict.fromkeys(("hanoi", "ho chi minhstad", "ho chi minh"), "vietnam"),
    **dict.fromkeys(("cairo", "kairo"), "egypte"),
    **dict.fromkeys(("nairobi",), "kenia"),
    **dict.fromkeys(("tel aviv",), "israel"),
    **dict.fromkeys(("karachi", "lahore"), "pakistan"),
    **dict.fromkeys(("jakarta",), "indonesie"),
}

ALL_COUNTRIES: frozenset[str] = EEA_COUNTRIES | THIRD_COUNTRIES
_NAMES = sorted((c for c in ALL_COUNTRIES if c not in {"eer", "eu", "vs"}), key=len, reverse=True)
_COUNTRY = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in _NAMES) + r")(?![\w-])")


_EU_WORDS = re.compile(r"(?<![\w-])(?:" + "|".join((*_EEA_AREAS, "europa")) + r")(?![\w])")
_UNKNOWN = re.compile(r"^(?:nog )?(?:onbekend|niet bekend|unknown|\?+)$")


def in_eea(country: str) -> bool:
    """True when ``country`` is empty (meaning: in the EEA), an EEA country, or a place the register writes
    with only EEA countries or the EU in it ("Nederland / EU", "Duitsland (EU-regio Frankfurt)")."""
    name = " ".join(fold(country).split())
    if not name or name in EEA_COUNTRIES:
        return True
    named = places_in(name)
    if named:
        return named <= EEA_COUNTRIES
    return _EU_WORDS.search(name) is not None


def unknown_place(country: str) -> bool:
    """Whether the register says it does not know the country ("onbekend")."""
    return _UNKNOWN.match(" ".join(fold(country).split())) is not None


def countries_in(text: str) -> set[str]:
    """Folded names of the countries mentioned in ``text``."""
    return set(_COUNTRY.findall(" ".join(fold(text).split())))


_CITY = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(n) for n in sorted(THIRD_COUNTRY_CITIES, key=len, reverse=True))
    + r")(?![\w-])"
)


def places_in(text: str) -> set[str]:
    """Folded names of the countries ``text`` mentions or places something in by one of its cities
    ("in Kaapstad" → "zuid-afrika")."""
    folded = " ".join(fold(text).split())
    return countries_in(text) | {THIRD_COUNTRY_CITIES[city] for city in _CITY.findall(folded)}


_COUNTRY_ALIASES = {"vs": "verenigde staten", "usa": "verenigde staten", "amerika": "verenigde staten"}


def country_key(place: str) -> str:
    """One folded name per country ("VS", "USA", "Verenigde Staten van Amerika" → "verenigde staten")."""
    name = " ".join(fold(place).split()).removesuffix(" van amerika")
    return _COUNTRY_ALIASES.get(name, name)


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
