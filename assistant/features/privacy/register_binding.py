"""Which activity of the register a sentence of a client document is about, if one clearly is.

A process description rarely uses the register's names: "de aannemer die de reparatie uitvoert" is about
"Reparatieverzoeken en planmatig onderhoud", "de voortgangsverslagen" about "Voortgangsrapportage", "alle
uren, contracten en facturen" about "Facturatie en urenregistratie" (whose data items include "uren"). A
sentence is bound to the activity whose own words (of its name, counted twice, and of its specific data
items) it names most, counting a word as named when it shares its beginning with one in the sentence
(Dutch compounds: "reparatie" / "reparatieverzoeken"). Words every activity has ("naam", "adres",
"gegevens") and the people it is about ("ouders", "huurders") do not count, and a tie binds nothing: a
wrong binding would put a fact on the wrong activity.
"""

from __future__ import annotations

import re

from assistant.features.privacy.model import Activity, Register
from assistant.features.privacy.suggestions import related_words
from knowledge.text_analysis import fold

#: Words that say nothing about which activity is meant (data every activity has, filler words).
_GENERAL = frozenset(
    """naam namen adres adressen postcode woonplaats telefoonnummer telefoon mobiel email mailadres
    emailadres geboortedatum gegevens persoonsgegevens contactgegevens klantnummer handtekening
    nummer datum overige andere algemene eigen onze verwerking verwerkingen beheer administratie
    registratie via voor naar door over tussen zoals klant klanten medewerker medewerkers ouder ouders
    kind kinderen leerling leerlingen huurder huurders gast gasten patient patienten client clienten lid
    leden kandidaat kandidaten sollicitant sollicitanten deelnemer deelnemers bezoeker bezoekers""".split()
)
_WORD = re.compile(r"[a-z][a-z0-9]+")


def words(text: str) -> set[str]:
    """The folded words of ``text`` that can tell activities apart (four letters or more, not general)."""
    return {w for w in _WORD.findall(fold(text)) if len(w) >= 4 and w not in _GENERAL}


def _score(activity: Activity, said: set[str]) -> int:
    """How many of the activity's words ``said`` names (a word of its name counts twice)."""
    named = words(activity.name)
    items = words(" ".join(activity.data_categories)) - named
    return sum(2 if w in named else 1 for w in named | items if any(related_words(w, s) for s in said))


def bind_activity(sentence: str, register: Register) -> Activity | None:
    """The one activity ``sentence`` names most of its words (None when none does, or two tie)."""
    said = words(sentence)
    scores = [(_score(activity, said), activity) for activity in register.activities]
    scores.sort(key=lambda item: item[0], reverse=True)
    if not scores or scores[0][0] == 0 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return scores[0][1]
