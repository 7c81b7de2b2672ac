"""Location data and access logs the documents record for an activity whose register entry does not list
them.

"Bij het in- en uitklokken slaat de app de GPS-locatie van de telefoon op" next to a register whose
"Urenregistratie" lists name, hours and project; "AccessPoint legt bij elk gebruik van een tag vast welke
tag het is, bij welke deur en op welk tijdstip" next to a "Sleutel- en tagbeheer" that lists the tag
number and the owner. Where someone is, or when they went through which door, is often the most intrusive
data an activity holds: the register's categories of data (art. 30 lid 1 sub c AVG) are incomplete, and
following people's location or movements can be systematic monitoring (a DPIA criterion).

A sentence counts when it names location data (GPS, "locatie", a geofence, a tracker, a trip log) or a
log of a tag, pass or badge with a door or a time, as something recorded, stored, logged or kept; not when
it denies it ("de app slaat geen locatie op"), not from a breach procedure or a processor's agreement, and
not when the activity's data items already name a location or log. It is bound to the one activity whose
recipients include the system its heading or sentence names ("Werkinstructie KlokIn voor planning" →
"Urenregistratie" with processor "TijdPunt Software B.V. (KlokIn)", not "Planning en roosters"), else
as the health data of :mod:`.register_special` are (heading and words agreeing).
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

#: Location data in a client's own words (folded); "locatie" alone is often a site ("op onze locatie in
#: Zwolle"): only where the location of a person, phone or vehicle is meant.
_LOCATION = re.compile(
    r"\b(?:gps|gps-\w+|locatiegegevens|locatiebepaling|locatievolging|locatiedata|geolocatie|geofenc\w*"
    r"|plaatsbepaling|volgsysteem|\w*tracker\w*|ritregistratie\w*|rittenregistratie\w*"
    r"|(?:de|je|uw|zijn|haar|hun) (?:actuele |huidige )?locatie (?:op|vast|bij|tijdens|wordt|worden)"
    # "het kastje stuurt elke 30 seconden de locatie en de snelheid door"
    r"|(?:de|je|uw|zijn|haar|hun) (?:actuele |huidige )?locatie (?:en (?:de |het )?\w+ )?door"
    r"|locatie en (?:de )?snelheid"
    # "registreert van elke bus om de twee minuten de locatie, de snelheid en wie er rijdt"
    r"|locatie, (?:de )?(?:snelheid|rijstijl|route)"
    r"|locatie van (?:de |het |je |uw )?(?:telefoon|mobiel|medewerker|werknemer|chauffeur|bezorger|fiets"
    r"|e-bike|voertuig|auto|bus|bestuurder|gebruiker|klant|deelnemer|kind)\w*)\b"
)
#: A log of a tag, pass or badge: which door, what time.
_PASS = re.compile(r"\b(?:tag|tags|pas|pasje|passen|badge\w*|toegangspas\w*|druppel\w*|sleutelhanger\w*)\b")
_LOGGED_MOMENT = re.compile(r"\b(?:tijdstip\w*|welke deur|deur|datum en tijd|in- en uitgang\w*)\b")
#: Recorded, stored, logged, kept or checked.
_RECORDED = re.compile(
    r"\b(?:sla(?:at|an)\b[^.;]*\bop|opgeslagen|opslaan|vast ?(?:leggen|gelegd|legt)"
    r"|le(?:gt|ggen)\b[^.;]*\bvast|registr\w*|gelogd|logt|loggen|logging|bijgehouden|houdt\b[^.;]*\bbij"
    r"|bewaar\w*|bewaard|volgt|volgen|gevolgd|verstuurt|stuurt|doorgegeven|doorgeeft"
    # "de app controleert bij het inklokken via de locatie van je telefoon of je er echt bent"
    r"|controleert|controleren|gecontroleerd|checkt|gecheckt)\b"
)
_DENIED = re.compile(r"\b(?:geen|niet|nooit|zonder|uitgeschakeld)\b")
#: What a register's data items call location data already ...
_LOCATION_ALREADY = re.compile(r"locatie|gps|geo|plaatsbepaling|route|\brit|tracker")
#: ... and a log ("toegangsrechten per deur" is no log; "in- en uitkloktijden" are no location).
_LOG_ALREADY = re.compile(r"\blog|tijdstip|tijden|momenten|in- en uit")


#: How a finding names location data (:attr:`TrackingData.what`).
LOCATION_DATA = "locatiegegevens"


@dataclass(frozen=True)
class TrackingData(Sighting):
    """Location data or an access log a client document records for an activity that does not list it."""

    @property
    def location(self) -> bool:
        """Whether the finding is about location data (not only an access log)."""
        return LOCATION_DATA in self.what.split(", ")

    def message(self) -> str:
        """The Dutch register warning."""
        return (
            f"categorieën persoonsgegevens onvolledig: de documenten leggen {self.what} vast "
            f"({place(self.document, self.page)}: „{short_quote(self.quote)}”), maar het register noemt die "
            "niet bij deze verwerking (art. 30 lid 1 sub c AVG). Leg ze vast in 'gegevens'; volgen waar "
            "iemand is of wanneer hij welke deur gebruikt, kan stelselmatige monitoring zijn: ga na of een "
            "DPIA nodig is."
        )


def unrecorded_tracking(
    passages: Iterable[Passage], register: Register, binder: SentenceBinder | None = None
) -> list[TrackingData]:
    """One finding per activity whose data items name no location or log while the documents record one
    (its first sentence, with every kind its sentences name), in document order."""
    found: dict[str, TrackingData] = {}
    for passage, sentence in passage_sentences(passages):
        folded = fold(sentence)
        kinds = _kinds(folded)
        if not kinds or _DENIED.search(folded) or not _RECORDED.search(folded) or about_other_things(passage):
            continue
        activity = bind_fact(passage, sentence, register, binder)
        if activity is None:
            continue
        recorded = fold(" ".join(activity.data_categories))
        kinds = [
            kind
            for kind in kinds
            if not (_LOCATION_ALREADY if kind == LOCATION_DATA else _LOG_ALREADY).search(recorded)
        ]
        if kinds:
            add_sighting(found, TrackingData, activity.name, kinds, passage, sentence)
    return list(found.values())


def names_location(text: str) -> bool:
    """Whether ``text`` (a register's data items, a sentence) names location data of people."""
    return bool(_LOCATION.search(fold(text)))


def _kinds(folded: str) -> list[str]:
    """What kind of tracking a folded sentence names, as the warning says it."""
    kinds = []
    if _LOCATION.search(folded):
        kinds.append(LOCATION_DATA)
    if _PASS.search(folded) and _LOGGED_MOMENT.search(folded):
        kinds.append("een log van het gebruik van tags of passen")
    return kinds
