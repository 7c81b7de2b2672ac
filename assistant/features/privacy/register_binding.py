"""Which activity of the register a sentence of a client document is about, if one clearly is.

A process description rarely uses the register's names: "de aannemer die de reparatie uitvoert" is about
"Reparatieverzoeken en planmatig onderhoud", "de voortgangsverslagen" about "Voortgangsrapportage", "alle
uren, contracten en facturen" about "Facturatie en urenregistratie" (whose data items include "uren"). A
sentence is bound to the activity whose own words (of its name, counted twice, and of its specific data
items) it names most, counting a word as named when it shares its beginning with one in the sentence
(Dutch compounds: "reparatie" / "reparatieverzoeken"). Words every activity has ("naam", "adres",
"gegevens") and the people it is about ("ouders", "huurders") do not count, and a tie binds nothing: a
wrong binding would put a fact on the wrong activity.

A document's heading ("Werkwijze Reiger Wellness > Intake", "Werkinstructie kassa + klantkaart
(SalonPlanner)") names an activity, or the system it runs in, more reliably than one of its sentences
("- zwanger ja/nee"): :func:`bind_heading` binds a heading to the activity whose name words or recipients'
names it names, a word counting when it is the same, one of five letters or more begins the other or
both share their first eight letters ("vrijwilligershandboek" / "vrijwilligersbeheer", not "personal" /
"personeel").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from assistant.features.privacy.document_titles import is_privacy_statement
from assistant.features.privacy.model import Activity, Register
from assistant.features.privacy.other_sources import Passage, SentenceBinder, bind_by_meaning
from assistant.features.privacy.reflow import reflow
from assistant.features.privacy.suggestions import related_words
from ingestion.document_chunker import HEADING_SEPARATOR
from knowledge.text_analysis import fold

#: Words that say nothing about which activity is meant (data every activity has, filler words).
_GENERAL = frozenset(
    """naam namen adres adressen postcode woonplaats telefoonnummer telefoon mobiel email mailadres
    emailadres geboortedatum gegevens persoonsgegevens contactgegevens klantnummer handtekening
    nummer datum overige andere algemene eigen onze verwerking verwerkingen beheer administratie
    registratie via voor naar door over tussen zoals klant klanten medewerker medewerkers ouder ouders
    kind kinderen leerling leerlingen huurder huurders gast gasten patient patienten client clienten lid
    leden kandidaat kandidaten sollicitant sollicitanten deelnemer deelnemers bezoeker bezoekers bsn avg
    iban""".split()
)
_WORD = re.compile(r"[a-z][a-z0-9]+")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")


def is_general(word: str) -> bool:
    """Whether a folded word says nothing about which activity or party is meant ("naam", "medewerkers")."""
    return word in _GENERAL


_ABBREVIATION = re.compile(r"\b[A-Z]{3}\b")


def words(text: str) -> set[str]:
    """The folded words of ``text`` that can tell activities apart (four letters or more, not general;
    an abbreviation of three capitals too: "ROM" in "ROM-metingen" and "ROM-scores")."""
    found = {w for w in _WORD.findall(fold(text)) if len(w) >= 4 and w not in _GENERAL}
    return found | {a.lower() for a in _ABBREVIATION.findall(text) if a.lower() not in _GENERAL}


def _score(activity: Activity, said: set[str]) -> int:
    """How many of the activity's words ``said`` names (a word of its name counts twice; a compound of
    the name counts by its head: "Verkeersboetes doorbelasten" is named by "de boete")."""
    named = words(activity.name)
    items = words(" ".join(activity.data_categories)) - named
    return sum(
        2 if w in named else 1
        for w in named | items
        if any(related_words(w, s) or (w in named and compound_head(w, s)) for s in said)
    )


_PLURAL = re.compile(r"(?:en|s)$")


def compound_head(compound: str, word: str) -> bool:
    """Whether ``word`` (five letters or more) is the head of the Dutch compound ``compound``, singular or
    plural: "boete" of "verkeersboetes", "herinnering" of "vaccinatieherinneringen"."""
    head = _PLURAL.sub("", word)
    head = head if len(head) >= 5 else word
    whole = _PLURAL.sub("", compound)
    return len(head) >= 5 and head not in _SHORT_HEADS and len(whole) > len(head) + 2 and whole.endswith(head)


#: Heads too common to name an activity by ("de brief aan de huisarts" is no newsletter).
_SHORT_HEADS = frozenset({"brief", "lijst", "kaart", "check", "datum", "formulier", "bestand"})


def bind_activity(sentence: str, register: Register) -> Activity | None:
    """The one activity ``sentence`` names most of its words (None when none does, or two tie)."""
    said = words(sentence)
    return _clear_best([(_score(activity, said), activity) for activity in register.activities])


def bind_heading(heading: str, register: Register) -> Activity | None:
    """The one activity the innermost part of a heading path that binds clearly is about: the section
    decides before the document title ("Memo toegangssystemen en camera's in garages > 2. Toegangstags" is
    about the tags, not the cameras), the whole path when no inner part binds (:func:`_bind_heading_words`).
    """
    parts = heading.split(HEADING_SEPARATOR)
    for start in range(len(parts) - 1, -1, -1):
        bound = _bind_heading_words(HEADING_SEPARATOR.join(parts[start:]), register)
        if bound is not None:
            return bound
    return None


def _bind_heading_words(heading: str, register: Register) -> Activity | None:
    """The one activity whose name (counted twice) or recipients a heading names most (None when none does,
    or two tie). The organisation's own name binds nothing ("Welkom bij Gastouderbureau De Knuffelboom" is
    not about "Registratie en screening gastouders")."""
    said = words(heading) - words(f"{register.controller.name} {register.client}")
    scores = []
    for activity in register.activities:
        named = words(activity.name)
        systems = words(" ".join(r.name for r in activity.recipients)) - named
        score = sum(2 if w in named else 1 for w in named | systems if any(_same_word(w, s) for s in said))
        scores.append((score, activity))
    return _clear_best(scores)


def _clear_best(scores: list[tuple[int, Activity]]) -> Activity | None:
    """The activity with the highest score, unless no score is above zero or the two best tie."""
    ranked = sorted(scores, key=lambda item: item[0], reverse=True)
    if not ranked or ranked[0][0] == 0 or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
        return None
    return ranked[0][1]


def bind_passage_sentence(
    passage: Passage, sentence: str, register: Register, words_from: str | None = None
) -> Activity | None:
    """The activity a sentence of a passage is about by its heading (:func:`bind_heading`; not the privacy
    statement's, whose headings are topics) and by its words (:func:`bind_activity`, of ``words_from``
    when given: the clause that names the fact), only when both that bind agree; None otherwise."""
    statement = is_privacy_statement(passage.document)
    by_heading = None if statement else bind_heading(heading(passage), register)
    text = sentence if words_from is None else words_from
    by_words = bind_activity(text, register)
    bound = {a.name: a for a in (by_heading, by_words) if a is not None}
    if len(bound) == 2 and by_heading is not None and _names(by_heading, words(text)):
        # the section and the sentence both name the activity ("B. Wachtlijst" and "het aanmeldformulier
        # vraagt naar … diagnoses"): the data items the sentence lists that another activity records do
        # not take it away
        return by_heading
    return next(iter(bound.values())) if len(bound) == 1 else None


def _names(activity: Activity, said: set[str]) -> bool:
    """Whether ``said`` names a word of the activity's name (or a compound with it as head)."""
    return any(related_words(w, s) or compound_head(w, s) for w in words(activity.name) for s in said)


#: A system's or supplier's name in a text: a capitalised word with a capital inside or of five letters or
#: more ("KlokIn", "AccessPoint", "Vastgoed365").
_NAME = re.compile(r"\b[A-Z][\w-]*[A-Z0-9][\w-]*\b|\b[A-Z][a-z]{4,}\w*\b")


def bind_system(passage: Passage, sentence: str, register: Register) -> Activity | None:
    """The one activity whose recipients' names include a system the sentence or the passage's heading
    names ("KlokIn" → the activity with processor "TijdPunt Software B.V. (KlokIn)"); None when no
    activity's or several activities' recipients do."""
    named = {fold(n) for n in _NAME.findall(f"{heading(passage)} {sentence}")} - _GENERAL
    bound = [activity for activity in register.activities if named & _recipient_words(activity)]
    return bound[0] if len(bound) == 1 else None


def bind_fact(
    passage: Passage, sentence: str, register: Register, binder: SentenceBinder | None = None
) -> Activity | None:
    """The activity a sentence that records a fact (a data item, a location) is about: the one whose
    system it names (:func:`bind_system`), else the one its meaning points at (``binder``), else the one its
    heading and words agree on (:func:`bind_passage_sentence`)."""
    return (
        bind_system(passage, sentence, register)
        or bind_by_meaning(binder, passage, sentence)
        or bind_passage_sentence(passage, sentence, register)
    )


def _recipient_words(activity: Activity) -> set[str]:
    """The folded words of five letters or more of an activity's recipients' names."""
    return {fold(w) for r in activity.recipients for w in re.findall(r"[\w-]+", r.name) if len(w) >= 5}


def _same_word(a: str, b: str) -> bool:
    """One word in a heading's sense: equal, one begins the other, or eight shared first letters."""
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return (len(shorter) >= 5 and longer.startswith(shorter)) or (len(shorter) >= 8 and a[:8] == b[:8])


def heading(passage: Passage) -> str:
    """The passage's heading path: its first line ("Werkwijze Reiger Wellness > Intake")."""
    return passage.text.lstrip().split("\n", 1)[0]


def passage_sentences(passages: Iterable[Passage]) -> Iterator[tuple[Passage, str]]:
    """Each sentence of the passages' reflowed lines, with its passage. The heading path ("Werkwijze
    klachten en incidenten > Niet meer welkom") is a line of its own: reflowed, a long one would run into
    the first sentence (and lend it its "niet")."""
    for passage in passages:
        head, _, body = passage.text.lstrip().partition("\n")
        lines = [head, *reflow(body)] if HEADING_SEPARATOR in head else reflow(passage.text)
        for line in lines:
            for sentence in _SENTENCE.split(line):
                yield passage, sentence
