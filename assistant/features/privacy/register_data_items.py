"""Photos of people, device and internet data, recorded calls and access codes the documents record for
an activity whose register entry does not list them.

"Bij de kleurbepaling maakt de medewerker foto's van de tanden en het gezicht" next to a register whose
"Kleurbepaling aan de balie" lists name, tooth colour and the dentist; "Per apparaat ziet u het MAC-adres
… en de tien meest bezochte domeinen" next to a "Wifi voor gasten" that lists e-mail address and login
times; "de code van het sleutelkluisje" on a delivery round. Such items are what people least expect an
organisation to hold and what a register most often forgets: its categories of data (art. 30 lid 1 sub c
AVG) are incomplete.

A sentence counts when it names such an item: a photo or film *of a person* (their face, teeth or body, a
client, child or guest; a passport photo), not of a product, a room or damage; a MAC or IP address,
websites or domains visited, data use or a device id; a call that is recorded; the code of a key safe,
alarm or door. A photo must be made, stored or posted, and not by parents or visitors who may take one;
device data and codes count wherever a document names them, unless it denies them ("wij zien niet welke
websites u bezoekt"). Not from a breach procedure, a processor's agreement or the privacy statement (which
speaks of every activity at once), and not when the activity's data items already name that kind. Bound
as location data are (:mod:`.register_tracking`): the system the sentence names, else by meaning
(:mod:`.register_semantic`), else heading and words agreeing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.features.privacy.document_titles import is_privacy_statement
from assistant.features.privacy.model import Register
from assistant.features.privacy.other_sources import Passage, SentenceBinder, place, short_quote
from assistant.features.privacy.register_binding import bind_fact, passage_sentences
from assistant.features.privacy.register_special import Sighting, about_other_things, add_sighting
from knowledge.text_analysis import fold

_PERSON = (
    r"(?:gezicht\w*|tanden|gebit\w*|huid|lichaam\w*|klant\w*|kind\w*|client\w*|deelnemer\w*|leerling\w*"
    r"|gast\w*|patient\w*|bewoner\w*|leden|lid|medewerker\w*|cursist\w*|sporter\w*|baby\w*|bezoeker\w*"
    r"|zwemmer\w*|jongeren|spelers?|overledene\w*)"
)
#: (what the warning says, the item in a client's own words (folded), what the register's data items call it)
_KINDS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    (
        "foto's van personen",
        re.compile(
            r"\b(?:pasfoto\w*|portretfoto\w*|profielfoto\w*|(?:foto'?s?|video'?s?|filmpjes?|beelden) "
            r"(?:\w+ ){0,3}van (?:de |het |een |hun |zijn |haar |uw |je |alle )?(?:\w+ ){0,2}"
            + _PERSON
            + r")\b"
            r"|\b(?:met|zetten we|zet je|gaan) (?:\w+ ){0,5}op de foto\b"
        ),
        re.compile(r"foto|beeld|video|film|opname|portret"),
    ),
    (
        "apparaat- en internetgegevens",
        re.compile(
            r"\b(?:mac-adres\w*|ip-adres\w*|dataverbruik|apparaat-id\w*|device-id\w*|apparaatgegevens"
            r"|apparaatna(?:am|men))\b"
        ),
        re.compile(r"mac|\bip\b|ip-|apparaat|device|verbruik|technisch"),
    ),
    (
        # what people look up is more than which device they use: a register with the MAC address still
        # lacks the DNS log ("het filter bewaart per apparaat welke domeinen er zijn opgevraagd")
        "bezochte websites of domeinen",
        re.compile(
            r"\b(?:bezochte (?:websites|sites|domeinen|pagina'?s)|surfgedrag|browsegedrag"
            r"|dns-(?:log\w*|verzoek\w*)"
            r"|welke (?:websites|sites|domeinen|pagina'?s) (?:\w+ ){0,3}(?:opgevraagd|bezocht|bekeken))\b"
        ),
        re.compile(r"domein|dns|surf|brows|bezocht|website|sites|internetgebruik|verkeer"),
    ),
    (
        "opnames van gesprekken",
        re.compile(
            r"\b(?:gesprekk?e?n? (?:\w+ ){0,4}(?:opgenomen|opnemen|neemt (?:\w+ ){0,2}op"
            r"|nemen (?:\w+ ){0,2}op)"
            r"|neemt (?:\w+ ){0,3}gesprekk?e?n? op|nemen (?:\w+ ){0,3}gesprekk?e?n? op|opgenomen gesprek\w*"
            r"|geluidsopname\w*|gespreksopname\w*|spraakopname\w*|belopname\w*)\b"
        ),
        re.compile(r"opname|opgenomen|gesprek"),
    ),
    (
        "toegangscodes",
        re.compile(
            r"\b(?:codes? van (?:het |de |een )?(?:sleutelkluis\w*|sleutelkastje\w*|alarm\w*|voordeur|deur)"
            r"|sleutelkluis(?:je)?code\w*|kluiscode\w*|alarmcode\w*|toegangscode\w*|deurcode\w*)\b"
        ),
        re.compile(r"code|sleutel|toegang|alarm"),
    ),
)
#: A photo made, stored or posted.
_MADE = re.compile(
    r"\b(?:maakt|maken|gemaakt|maak|sla(?:at|an)|opgeslagen|bewaar\w*|bewaard|zet|zetten|gezet|plaats\w*"
    r"|geplaatst|upload\w*|post\w*|gepost|deel\w*|gedeeld|stuur\w*|gestuurd|vast)\b"
)
_DENIED = re.compile(r"\b(?:geen|niet|nooit|zonder)\b")
#: Photos others take ("ouders mogen tijdens het diplomazwemmen foto's maken van hun eigen kind"): not the
#: organisation's processing.
_OTHERS_PHOTOGRAPH = re.compile(
    r"\b(?:ouders|bezoekers|gasten|deelnemers|leden|klanten|toeschouwers|familie)\b[^.;]{0,40}"
    r"\b(?:mogen|mag|kunnen)\b"
)


@dataclass(frozen=True)
class DataItem(Sighting):
    """Photos of people, device data, recorded calls or access codes a client document records for an
    activity that does not list them."""

    def message(self) -> str:
        """The Dutch register warning."""
        return (
            f"categorieën persoonsgegevens onvolledig: de documenten tonen {self.what} "
            f"({place(self.document, self.page)}: „{short_quote(self.quote)}”), maar het register noemt die "
            "niet bij deze verwerking (art. 30 lid 1 sub c AVG). Leg ze vast in 'gegevens'."
        )


def unrecorded_data_items(
    passages: Iterable[Passage], register: Register, binder: SentenceBinder | None = None
) -> list[DataItem]:
    """One finding per activity whose data items lack a kind the documents record (its first sentence,
    with every kind its sentences name), in document order."""
    found: dict[str, DataItem] = {}
    for passage, sentence in passage_sentences(passages):
        folded = fold(sentence)
        kinds = [(what, listed) for what, said, listed in _KINDS if said.search(folded)]
        if (
            not kinds
            or _DENIED.search(folded)
            or about_other_things(passage)
            or is_privacy_statement(passage.document)
        ):
            continue
        made = _MADE.search(folded) and not _OTHERS_PHOTOGRAPH.search(folded)
        kinds = [(what, listed) for what, listed in kinds if not what.startswith("foto") or made]
        if not kinds:
            continue
        activity = bind_fact(passage, sentence, register, binder)
        if activity is None:
            continue
        recorded = fold(" ".join(activity.data_categories))
        missing = [what for what, listed in kinds if not listed.search(recorded)]
        if missing:
            add_sighting(found, DataItem, activity.name, missing, passage, sentence)
    return list(found.values())
