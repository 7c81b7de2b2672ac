"""Identifiers and data the law singles out that the documents collect for an activity whose register entry
does not list them.

"Voor de aanvraag heb je nodig: het BSN van de klant, het IBAN … en de DigiD-inlog van de klant" next to a
register whose "Subsidieaanvragen namens klanten" lists name, address and invoices; "de kandidaat vult een
integriteitsverklaring in over strafrechtelijke veroordelingen" next to a screening that lists identity and
diplomas. These are the data a consultant looks for first:

- the **BSN** may only be used where a law allows it (art. 87 AVG, art. 46 UAVG);
- **DigiD login details** are another person's means to act in their name (and the terms of DigiD forbid
  sharing them): holding them is a risk in itself;
- **criminal data** may only be processed under official authority or where a law allows it (art. 10 AVG,
  art. 31–33 UAVG).

The register's categories of data (art. 30 lid 1 sub c AVG) are then incomplete. A sentence counts when it
names one of them as something needed, asked, received, recorded, kept or sent on ("sturen wij de gemeente
een lijst met … het BSN"); not when it denies it ("wij vragen geen BSN"), not from a breach procedure or a
processor's agreement, and not when the activity's data items already name it. It is bound as the location
data of :mod:`.register_tracking` are: by the system a recipient of the activity is, else by meaning, else
by heading and words agreeing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.features.privacy.model import Register
from assistant.features.privacy.other_sources import Passage, SentenceBinder, place, short_quote
from assistant.features.privacy.register_binding import bind_fact, passage_sentences
from assistant.features.privacy.register_special import Sighting, about_other_things, add_sighting
from knowledge.text_analysis import fold

#: Per kind (as the warning names it): how a sentence names it, and how a register's data items already do.
_KINDS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    (
        "het BSN",
        re.compile(r"\b(?:bsn|bsn-\w+|burgerservicenummer\w*|sofinummer\w*)\b"),
        re.compile(r"bsn|burgerservice|sofinummer"),
    ),
    (
        "DigiD-inloggegevens",
        re.compile(
            r"\bdigid\b[^.;]{0,30}\b(?:inlog\w*|wachtwoord\w*|gebruikersnaam\w*|code\w*)|\bdigid-inlog\w*"
        ),
        re.compile(r"digid"),
    ),
    (
        "strafrechtelijke gegevens",
        re.compile(
            r"\b(?:strafrechtelijk\w*|justitiel\w*|strafblad\w*|veroordeling\w*|antecedent\w*"
            r"|integriteitsverklaring\w*)\b"
        ),
        re.compile(r"strafrecht|justiti|strafblad|veroordel|antecedent|integriteit"),
    ),
)
#: Needed, asked, received, recorded or kept.
_COLLECTED = re.compile(
    r"\b(?:nodig|vraag\w*|gevraagd|vul\w*|ingevuld|ontvang\w*|krijg\w*|levert|leveren|aangeleverd"
    r"|noteer\w*|genoteerd|vast ?(?:leggen|gelegd|legt)|le(?:gt|ggen)\b[^.;]*\bvast|registr\w*|bewaar\w*"
    r"|bewaard|sla(?:at|an)\b[^.;]*\bop|opgeslagen|opslaan|staa?t\w*\b[^.;]*\bin|controle\w*|controleert"
    r"|gecontroleerd|check\w*|toets\w*|getoetst"
    # sent on: "elk kwartaal sturen wij de gemeente een lijst met per cliënt de naam en het BSN"
    r"|stuur\w*|sturen|verstuur\w*|versturen|gestuurd|verstuurd|mailen|mailt|gemaild|delen|deelt|gedeeld"
    r"|doorgegeven|doorgeven"
    r"|exporte\w*|geexporteerd)\b"
)
_DENIED = re.compile(r"\b(?:geen|niet|nooit|zonder)\b")


@dataclass(frozen=True)
class LegalIdentifier(Sighting):
    """The BSN, DigiD login details or criminal data a client document collects for an activity that does
    not list them."""

    def message(self) -> str:
        """The Dutch register warning."""
        return (
            f"categorieën persoonsgegevens onvolledig: de documenten verwerken {self.what} "
            f"({place(self.document, self.page)}: „{short_quote(self.quote)}”), maar het register noemt die "
            "niet bij deze verwerking (art. 30 lid 1 sub c AVG). Leg ze vast in 'gegevens' en ga na of het "
            "mag: het BSN alleen waar een wet het toestaat (art. 46 UAVG), strafrechtelijke gegevens alleen "
            "met een grond uit art. 10 AVG en de UAVG, DigiD-inloggegevens van een ander horen niet bewaard "
            "te worden."
        )


def unrecorded_identifiers(
    passages: Iterable[Passage], register: Register, binder: SentenceBinder | None = None
) -> list[LegalIdentifier]:
    """One finding per activity whose data items lack an identifier or data the documents collect for it (its
    first sentence, with every kind its sentences name), in document order."""
    found: dict[str, LegalIdentifier] = {}
    for passage, sentence in passage_sentences(passages):
        folded = fold(sentence)
        named = [(kind, already) for kind, pattern, already in _KINDS if pattern.search(folded)]
        if (
            not named
            or _DENIED.search(folded)
            or not _COLLECTED.search(folded)
            or about_other_things(passage)
        ):
            continue
        activity = bind_fact(passage, sentence, register, binder)
        if activity is None:
            continue
        listed = fold(" ".join(activity.data_categories))
        missing = [kind for kind, already in named if not already.search(listed)]
        if missing:
            add_sighting(found, LegalIdentifier, activity.name, missing, passage, sentence)
    return list(found.values())
