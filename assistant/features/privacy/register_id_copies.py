"""Copies of identity documents and certificates of conduct the documents keep for an activity whose
register entry does not list them.

"De kopie van je VOG en van je paspoort stoppen we in de vrijwilligersmap op kantoor", "Van alle
vrijwilligers die met jeugd werken bewaren we een scan van de VOG" next to a register whose "Vrijwilligers"
lists name, address and availability: the register's categories of data (art. 30 lid 1 sub c AVG) are
incomplete, and a copy of an identity document is data a consultant asks about (is it needed, how long is
it kept). A sentence counts when it makes or keeps a copy or scan of a passport, identity card, driving
licence, residence permit or VOG; not when it says no copy is made ("er wordt geen kopie gemaakt"), not
from a breach procedure or a processor's agreement. It is bound as the health data of
:mod:`.register_special` are (heading and words agreeing), the words taken from the clause that names the
copy ("map 'Vrijwilligers' (lijsten, VOG-scans), map 'Sponsoring'" binds nothing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.features.privacy.model import Register
from assistant.features.privacy.other_sources import (
    Passage,
    SentenceBinder,
    bind_by_meaning,
    place,
    short_quote,
)
from assistant.features.privacy.register_binding import bind_passage_sentence, passage_sentences
from assistant.features.privacy.register_special import Sighting, about_other_things, add_sighting
from knowledge.text_analysis import fold

_DOCUMENT = (
    r"(?:paspoort|id-kaart|idkaart|identiteitsbewijs|identiteitskaart|legitimatiebewijs|rijbewijs|vog"
    r"|verklaring omtrent het gedrag|verblijfsvergunning|verblijfsdocument)"
)
#: A copy or scan of one (either order): "een kopie van je VOG", "scannen we het paspoort", "VOG-scans".
_COPY = re.compile(
    r"\b(?:kopie|kopieen|scan|scans|scannen|gescand|fotokopie)\b[^.;]{0,60}\b" + _DOCUMENT + r"\b"
    r"|\b" + _DOCUMENT + r"\b[^.;]{0,60}?\b(?:kopie|kopieen|scan|scans|gescand)\b"
    r"|\b" + _DOCUMENT + r"-(?:kopie|kopieen|scan|scans)\b"
)
_DOCUMENT_WORD = re.compile(r"\b" + _DOCUMENT + r"\b")
#: The copy is made or kept.
_KEPT = re.compile(
    r"\b(?:bewaar\w*|bewaard|opgeslagen|opslaan|stoppen|archiv\w*|map|dossier|scannen|gescand|maken|"
    r"gemaakt|scans)\b"
)
_DENIED = re.compile(r"\b(?:geen|niet|nooit|zonder)\b")
#: What a register's data items call such a copy already.
_RECORDED = re.compile(
    r"paspoort|id-?kaart|identiteit|legitimatie|rijbewijs|\bvog\b|verklaring omtrent|\bid\b|kopie|verblijfs"
)
#: The clause of a sentence that names the copy (for binding: a list names several activities' things).
_CLAUSES = re.compile(r"[,;()]")


@dataclass(frozen=True)
class IdentityCopy(Sighting):
    """A copy of an identity document or VOG a client document keeps for an activity that does not list
    it."""

    def message(self) -> str:
        """The Dutch register warning."""
        what = " en ".join(self.what.split(", "))
        return (
            f"categorieën persoonsgegevens onvolledig: de documenten bewaren een kopie van {what} "
            f"({place(self.document, self.page)}: „{short_quote(self.quote)}”), maar het register noemt die "
            "niet bij deze verwerking (art. 30 lid 1 sub c AVG). Leg hem vast in 'gegevens' en ga na of de "
            "kopie nodig is en hoe lang hij wordt bewaard."
        )


def unrecorded_identity_copies(
    passages: Iterable[Passage], register: Register, binder: SentenceBinder | None = None
) -> list[IdentityCopy]:
    """One finding per activity whose data items name no such copy while the documents keep one (its
    first sentence, with every kind of document its sentences name), in document order."""
    found: dict[str, IdentityCopy] = {}
    for passage, sentence in passage_sentences(passages):
        folded = fold(sentence)
        match = _COPY.search(folded)
        if match is None or _DENIED.search(folded) or not _KEPT.search(folded) or about_other_things(passage):
            continue
        clause = _clause(sentence, folded, match.start(), match.end())
        activity = bind_by_meaning(binder, passage, sentence) or bind_passage_sentence(
            passage, sentence, register, words_from=clause
        )
        if activity is None or _RECORDED.search(fold(" ".join(activity.data_categories))):
            continue
        copied = " ".join(m.group(0) for m in _COPY.finditer(folded))
        kinds = [_name(d) for d in _DOCUMENT_WORD.findall(copied)]
        add_sighting(found, IdentityCopy, activity.name, kinds, passage, sentence)
    return list(found.values())


def _clause(sentence: str, folded: str, start: int, end: int) -> str:
    """The part of the sentence between the separators (comma, semicolon, brackets) around the copy."""
    cuts = [0, *(m.end() for m in _CLAUSES.finditer(folded)), len(folded)]
    left = max(c for c in cuts if c <= start)
    right = min((c for c in cuts if c >= end), default=len(folded))
    return sentence[left:right]


_NAMES = {
    "vog": "de VOG",
    "verklaring omtrent het gedrag": "de VOG",
    "id-kaart": "de ID-kaart",
    "idkaart": "de ID-kaart",
    "identiteitskaart": "de identiteitskaart",
    "verblijfsvergunning": "de verblijfsvergunning",
}


def _name(folded_document: str) -> str:
    """The document as the warning names it ("de VOG", "het paspoort")."""
    return _NAMES.get(folded_document, f"het {folded_document}")
