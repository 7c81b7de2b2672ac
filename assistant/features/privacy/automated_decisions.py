"""Automatic decisions about people that the client's documents describe (art. 22 AVG).

"Bij een rode rijstijlscore wordt het account automatisch geblokkeerd", "kandidaten onder de 60 punten
krijgen automatisch een afwijzingsmail": a decision the organisation leaves to a system. The Compliancy
Check asks the register about it (ADM-01), and a privacy statement that says "wij nemen geen
geautomatiseerde besluiten" beside such a document tells the reader something that is not true.

A sentence counts when it says something happens automatically and is a decision about a person (refused,
rejected, blocked, handed over, assigned …), not the automation of a technical or retention step
("accounts worden bij uitdiensttreding automatisch geblokkeerd", "dossiers van afgewezen kandidaten worden
automatisch verwijderd"), not a denial ("Er is niemand automatisch afgewezen") and not where a person can
ask for a human review. The privacy statement itself is no description of practice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

from assistant.features.privacy.document_titles import is_privacy_statement
from assistant.features.privacy.other_sources import Passage
from assistant.features.privacy.reflow import reflow
from knowledge.text_analysis import fold

P = TypeVar("P", bound=Passage)

#: An automatic decision about a person: "weigert Kampeerpro de boeking automatisch", "krijgen automatisch
#: een afwijzingsmail", "zet … de vordering automatisch door naar het incassobureau" (folded) …
_AUTOMATIC = re.compile(r"\bautomatisch\b")
_DECIDES = re.compile(
    r"\b(?:weiger\w*|geweigerd|afgewezen|afwijz\w*|afgekeurd|keur\w* [^.]{0,40}\baf\b|geblokkeerd|blokkeer\w*"
    r"|uitgesloten|overgedragen|draag\w* [^.]{0,60}\bover\b|zet\w* [^.]{0,60}\bdoor\b|doorgezet|opgezegd"
    r"|stopgezet|ingedeeld|toegewezen|toegekend|krijg\w* geen|niet uitbetaald"
    # a restricting status set automatically: "zet klanten met drie retouren automatisch op 'alleen vooraf
    # betalen'"
    r"|zet\w* (?:\S+ ){0,14}automatisch op ['‘\"]?(?:alleen|geen|niet|zwart\w*|blokk\w*))\b"
)
#: … not the automation of a technical or retention step, not a denial, not with a human review.
_NOT_A_DECISION = re.compile(
    r"\b(?:inlog\w*|wachtwoord\w*|poging\w*|sessie\w*|scherm\w*|laptop\w*|apparaat|apparaten|back-?up\w*"
    r"|virus\w*|spam\w*|updates?|recorder|beelden|camera\w*|cookie\w*|nieuwsbrief\w*|uitdienst\w*"
    r"|identiteitsbeheer|verwijder\w*|gewist|vernietigd|nooit|menselijke beoordeling)\b"
    # "niemand wordt automatisch afgewezen", not "niemand van ons kijkt daar nog naar" (no human review)
    r"|\bniemand\b(?! (?:van \w+ )?(?:kijkt|beoordeelt|controleert))"
    r"|\b(?:niet|geen)\b[^.]{0,20}\bautomatisch"
)


def described_automated_decisions(passages: Iterable[P]) -> list[tuple[P, str]]:
    """The sentences of the client's documents (not its privacy statement) that describe an automatic
    decision about a person, with their passages, in document order."""
    found: list[tuple[P, str]] = []
    for passage in passages:
        if is_privacy_statement(passage.document):
            continue
        for line in reflow(passage.text):
            # Not register_binding.passage_sentences: that one also splits on ";", which would cut "…
            # automatisch geblokkeerd; de gebruiker kan een menselijke beoordeling vragen" from its safeguard.
            for sentence in re.split(r"(?<=[.!?])\s+", line):
                folded = fold(sentence)
                decision = _AUTOMATIC.search(folded) and _DECIDES.search(folded)
                if decision and not _NOT_A_DECISION.search(folded):
                    found.append((passage, " ".join(sentence.split())))
    return found
