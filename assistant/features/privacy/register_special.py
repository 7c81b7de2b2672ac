"""Special data (art. 9 AVG) the client's documents show for an activity whose register entry records none.

The register of a hair salon lists no special data for "Klantgegevens en afspraken" while its work
instruction for the customer card asks "- allergieën (PPD, nikkel, parfum, latex)", "- zwanger ja/nee";
a football club's "Ledenadministratie" records none while "Ouders kunnen op het formulier medische
bijzonderheden invullen, zoals astma, diabetes, epilepsie of allergieën". Health data need an exception
of art. 9(2) AVG and usually more care; a consultant wants the register to say so.

A sentence counts when it names health data (allergies, medication, a diagnosis, a pregnancy, "medische
bijzonderheden", a health questionnaire …) as something that is asked, filled in, recorded or kept — or as
an item of a list ("- allergieën (PPD, …)") — and not when it says they are *not* asked or kept ("Vraag
niet naar gezondheid", "geen diagnoses", "het vrije tekstveld is weggehaald"). Not from a breach procedure
(which names health data as an example of a serious leak) or a processor's agreement (whose system
serves several activities), and not about animals, cars or a DPIA.

The sentence is bound to an activity by its document heading (:func:`.register_binding.bind_heading`,
"Werkwijze Reiger Wellness" → "Wellness en massages"; not the privacy statement's headings, which are about
topics) and by its own words (:func:`.register_binding.bind_activity`). When the two point at different
activities, or either at one that already records special data, nothing is said: a wrong warning would
send the consultant to the wrong activity.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import ClassVar, TypeVar

from assistant.features.privacy.document_titles import is_processing_agreement
from assistant.features.privacy.model import Activity, Register, is_health
from assistant.features.privacy.other_sources import (
    Passage,
    SentenceBinder,
    bind_by_meaning,
    place,
    short_quote,
)
from assistant.features.privacy.register_binding import bind_passage_sentence, passage_sentences
from knowledge.text_analysis import fold

#: Health data in a client's own words (folded).
_HEALTH = re.compile(
    r"\b(?:allergie\w*|allergisch\w*|medicijn\w*|medicatie|medicatielijst\w*|medicatiegebruik|diagnose\w*"
    r"|adhd|autisme|autistisch|dyslexie\w*|dyscalculie|epilepsie|diabetes|astma|zwanger\w*|hartklacht\w*"
    r"|hartaandoening\w*|hartslag\w*|bloeddruk|blessure\w*|gezondheidsvragenlijst\w*|gezondheidsgegevens"
    r"|medische (?:bijzonderheden|gegevens|informatie|achtergrond|voorgeschiedenis|reden(?:en)?|klachten"
    r"|beperking\w*|stukken|verklaring\w*|urgentie\w*|keuring\w*)"
    r"|doktersverklaring\w*|artsenverklaring\w*|artsverklaring\w*"
    r"|gegevens over (?:je|uw) gezondheid|psychische klachten|hoofdhuidaandoening\w*|eczeem|psoriasis"
    r"|chronische aandoening\w*|ziekenhuisopname\w*|dementie|slechtziend\w*|slechthorend\w*|letsel\w*"
    r"|verwonding\w*"
    # a diet for a condition: "G voor glutenvrij bij coeliakie", "lactose-intolerantie"
    r"|coeliakie|glutenintoleran\w*|lactose-?intoleran\w*|voedselallergie\w*"
    # what an optician or audiologist measures: "oogdruk", "netvliesfoto's", "gehoorverlies", "audiogram"
    r"|oogdruk\w*|netvlies\w*|gehoorverlies|audiogram\w*|gehoortest\w*"
    # what a GP's referral says is health data by definition: "de verwijsreden van de huisarts"
    r"|verwijsreden\w*|verwijsbrie\w*|reden van (?:de )?verwijzing)\b"
)
#: The data are asked, filled in, recorded, kept or received.
_COLLECTED = re.compile(
    r"\b(?:vra(?:ag|gen|agt)\w*|gevraagd|vul(?:t|len|de)?|ingevuld|invullen|formulier\w*|vragenlijst\w*"
    r"|intake\w*|vast ?(?:leggen|gelegd|legt)|leggen\b[^.]*\bvast|noter\w*|note(?:er|ert|erde|erden)"
    r"|genoteerd|registr\w*"
    r"|sta(?:an|at) (?:ook |er )?(?:in|op)|bijzonderheden|krijg(?:t|en|je)?|ontvang\w*|doorgestuurd"
    r"|opgeslagen"
    r"|bewaren|verwerken|kaart|bevat|bevatten|beschrijf|beschrijft|beschrijven|beschreven"
    # "in dossiers over gezag en omgang zitten vaak medische gegevens"
    r"|zit|zitten|zat|zaten"
    # "de medische stukken die de aanvrager meestuurt, zetten wij in het klantdossier", "die slaan we op"
    r"|zet|zetten|meestuur\w*|meegestuurd|slaan|slaat|mailen|mailt|gemaild"
    # measured or shown: "de actuele hartslag van iedere deelnemer staat groot op het scherm"
    r"|gemeten|meet|meten|getoond|toont|tonen|scherm"
    # on a list: "Op de uitgiftelijst staat per klant een pakketcode: … D voor diabetes"
    r"|\w+lijst|\w+lijsten)\b"
)
#: A choice between yes and no is no denial: "rolstoel (wel/niet overstappen)".
_EITHER = re.compile(r"\bwel\s*(?:/|of)\s*niet\b|\bja\s*/\s*nee\b")
_LIST_ITEM = re.compile(r"^\s*[-*•]")
#: An aside in brackets.
_ASIDE = re.compile(r"\([^)]*\)")
#: Not asked or not kept: "Vraag niet naar gezondheid", "geen diagnoses", "het tekstveld is weggehaald".
_DENIED = re.compile(r"\b(?:geen|niet|nooit|zonder|weggehaald|verwijderd)\b")
#: A "niet" of what the person cannot do is part of the health data, no denial: "een ziekte waardoor de
#: eigenaar zelf niet kan lopen".
_UNABLE = re.compile(r"\bniet\s+(?:meer\s+|goed\s+)?(?:kan|kunnen|kon|konden)\b")
#: Health data named for another reason: a breach's seriousness, an animal, a car's diagnosis, a DPIA.
_OTHER_TALK = re.compile(
    r"\b(?:datalek\w*|risico\w*|dier\w*|huisdier\w*|auto|voertuig\w*|dpia|webinar|functionaris"
    # products, not persons: "op de productlijst staan ook halal en glutenvrije producten"
    r"|product\w*|assortiment\w*)\b"
    # "medicijnen of dieet van de hond" (not "breng de hond tot in de kamer" beside the owner's operation)
    r"|\b(?:van|voor)\s+(?:de\s+|het\s+|uw\s+|je\s+|jouw\s+)?(?:hond|honden|kat|katten|paard|paarden|pup|pups"
    r"|konijn\w*)\b"
)
#: A breach procedure (not a report of incidents involving people: "Werkinstructie incidentrapportage").
_BREACH_DOCUMENT = re.compile(r"datalek|beveiligingsincident|incidentprocedure|incidentenprocedure|inbreuk")


@dataclass(frozen=True)
class Sighting:
    """Something a client document shows for an activity of the register that the register lacks: what
    it is (the words of its first sentence and the ones after), where, and the first sentence."""

    activity: str
    what: str
    document: str
    page: int
    quote: str


@dataclass(frozen=True)
class SpecialData(Sighting):
    """Health data a client document shows for an activity that records no special data."""

    #: The kind of special data, as the warning names it.
    kind: ClassVar[str] = "gezondheidsgegevens"
    #: Whether the activity's categories of personal data name them (as ordinary data) after all.
    in_categories: bool = True

    def message(self) -> str:
        """The Dutch register warning."""
        categories = "" if self.in_categories else ", ook niet bij de categorieën persoonsgegevens,"
        return (
            f"bijzondere persoonsgegevens ontbreken: de documenten tonen {self.kind} ({self.what}; "
            f"{place(self.document, self.page)}: „{short_quote(self.quote)}”), maar het register "
            f"vermeldt bij deze verwerking geen {self.kind}{categories} en geen uitzondering van art. 9 "
            "lid 2 AVG daarvoor. Leg ze vast ('bijzondere_gegevens', 'uitzondering_art9') of licht toe "
            f"waarom het geen {self.kind} zijn."
        )


@dataclass(frozen=True)
class ListedHealthData:
    """Health data the register itself lists among an activity's ordinary data items."""

    activity: str
    what: str

    def message(self) -> str:
        """The Dutch register warning."""
        return (
            f"bijzondere persoonsgegevens ontbreken: de gegevens van deze verwerking noemen "
            f"gezondheidsgegevens ({self.what}), maar het register vermeldt geen bijzondere persoonsgegevens "
            "en geen uitzondering van art. 9 lid 2 AVG. Leg ze vast ('bijzondere_gegevens', "
            "'uitzondering_art9') of licht toe waarom het geen gezondheidsgegevens zijn."
        )


def listed_health_data(
    passages: Iterable[Passage], register: Register, binder: SentenceBinder | None = None
) -> list[ListedHealthData]:
    """Activities whose own data items name health data ("oogdruk", "netvliesfoto's", "allergieën") while
    they record no special data: the register against itself (``passages`` and ``binder`` are not read;
    the signature is that of the other register detectors)."""
    found = []
    for activity in register.own_processing().activities:
        if activity.special_categories or is_health(activity):
            continue
        named = [item for item in activity.data_categories if _HEALTH.search(fold(item))]
        if named:
            found.append(ListedHealthData(activity.name, ", ".join(named)))
    return found


@dataclass(frozen=True)
class BeliefData(SpecialData):
    """Religious or philosophical beliefs a client document shows for an activity that records none."""

    kind: ClassVar[str] = "gegevens over godsdienst of levensovertuiging"


S = TypeVar("S", bound=Sighting)


def about_other_things(passage: Passage) -> bool:
    """A breach procedure (names data as an example of a serious leak) or a processor's agreement (its
    system serves several activities): no document that shows what one activity holds."""
    return bool(_BREACH_DOCUMENT.search(fold(passage.document))) or is_processing_agreement(passage.document)


def add_sighting(
    found: dict[str, S], kind: type[S], activity: str, words: list[str], passage: Passage, sentence: str
) -> None:
    """Record ``words`` for ``activity``: its first sentence is kept, later sentences add their words."""
    earlier = found.get(activity)
    if earlier is None:
        quote = " ".join(sentence.split())
        what = ", ".join(dict.fromkeys(words))
        found[activity] = kind(activity, what, passage.document, passage.page, quote)
        return
    more = [w for w in dict.fromkeys(words) if w not in earlier.what.split(", ")]
    if more:
        found[activity] = replace(earlier, what=", ".join([earlier.what, *more]))


def unrecorded_special_data(
    passages: Iterable[Passage], register: Register, binder: SentenceBinder | None = None
) -> list[SpecialData]:
    """One finding per activity and kind of special data its register entry does not record but the
    documents show (its first sentence, with every word of that kind its sentences name), in document
    order: health data, and religious or philosophical beliefs ("Bij de intake vragen we naar
    levensovertuiging" in a hospice whose register records only health data). Other special data an
    activity records do not cover these: a church's "religieuze overtuiging" for pastoral care does not
    cover health, a hospice's health data not the residents' beliefs."""
    passages = list(passages)
    health = _unrecorded(passages, register, _HEALTH, is_health, SpecialData, binder)
    beliefs = _unrecorded(passages, register, _BELIEF, records_beliefs, BeliefData, binder)
    return [replace(s, in_categories=_in_categories(s, register)) for s in [*health, *beliefs]]


#: Religious or philosophical beliefs in a client's own words (folded); not "geloof ik" (I think).
_BELIEF = re.compile(
    r"\b(?:levensovertuiging\w*|geloofsovertuiging\w*|levensbeschouwing\w*|godsdienst\w*|religie\w*"
    r"|religieuze|kerkelijke gezindte|(?<!\bik )geloof(?! ik\b)|geloofsreden\w*|halal|koosjer|kosjer)\b"
)
_BELIEF_RECORDED = re.compile(r"godsdienst|levensovertuiging|levensbeschouw|religi|geloof|kerk")


def records_beliefs(activity: Activity) -> bool:
    """Whether an activity records religious or philosophical beliefs among its special data."""
    return bool(_BELIEF_RECORDED.search(fold(" ".join(activity.special_categories))))


def _unrecorded(
    passages: list[Passage],
    register: Register,
    words: re.Pattern[str],
    recorded: Callable[[Activity], bool],
    kind: type[S],
    binder: SentenceBinder | None = None,
) -> list[S]:
    found: dict[str, S] = {}
    for passage, sentence in passage_sentences(passages):
        folded = fold(sentence)
        named = _in_own_words(words.findall(folded), sentence)
        # an aside's "geen" is not the sentence's: "H voor halal (geen varkensvlees, om geloofsredenen)"; a
        # negated aside names nothing: "(niet de reden, dus niet of iemand halal eet om geloofsredenen)"
        if any(_DENIED.search(aside) for aside in _ASIDE.findall(folded)):
            folded = _ASIDE.sub(" ", folded)
            named = _in_own_words(words.findall(folded), sentence)
        denied = _DENIED.search(_UNABLE.sub(" ", _EITHER.sub(" ", folded)))
        if not named or _OTHER_TALK.search(folded) or denied:
            continue
        if not (_COLLECTED.search(folded) or _LIST_ITEM.match(sentence)) or about_other_things(passage):
            continue
        activity = bind_by_meaning(binder, passage, sentence) or bind_passage_sentence(
            passage, sentence, register
        )
        if activity is not None and not recorded(activity):
            add_sighting(found, kind, activity.name, named, passage, sentence)
    return list(found.values())


def _in_categories(sighting: Sighting, register: Register) -> bool:
    """Whether the activity's categories of personal data name one of the sighting's words ("allergieën"
    listed as ordinary data) or health in general."""
    activity = register.activity(sighting.activity)
    listed = fold(" ".join(activity.data_categories)) if activity is not None else ""
    words = [w for w in (fold(w) for w in sighting.what.split(", ")) if w]
    return any(w in listed for w in words) or bool(re.search(r"gezondheid|medisch", listed))


def _in_own_words(folded_words: list[str], sentence: str) -> list[str]:
    """The sentence's own spelling of folded words ("allergieen" → "allergieën")."""
    own = {
        fold(token): token if token.isupper() else token.lower() for token in re.findall(r"[\w-]+", sentence)
    }
    return [own.get(word, word) for word in folded_words]
