"""Judge found evidence the way a consultant reads it: which required elements are there, which are not.

Without a language model the check used to propose *onbekend* for every question with evidence. A
consultant reading the same passages asks four things, in this order:

1. **Weakness named** — does a passage contain a wording the checklist lists as a known weakness
   (``tekortkomingen``, e.g. "standaard aangevinkt", "zonder voorafgaande toestemming")? → *voldoet deels*.
2. **Limitation** — does the client write that part of the subject is not done, not known or not yet
   there ("… weten wij niet", "… hebben wij niet nagegaan", "nog niet ondertekend", "geven wij niet"),
   in a sentence about the question's subject? Not an admission that the whole measure is absent
   (:mod:`assistant.features.check.polarity`), but a gap in it → *voldoet deels*.
3. **Periodic activity** (``periodiek``) — a question about an evaluation, a restore test, a training or
   an actual clean-up needs the activity shown: a frequency or a dated record. Only a promise
   ("wij zullen …", "is gepland"), no frequency or date at all, or a last record of three or more years
   ago → *voldoet deels*.
4. **Requirements** (``vereisten``) — at least two thirds of the required elements of good evidence found
   in the client's passages → *voldoet* (the rest named as points of attention); fewer → *voldoet deels*
   naming what is missing; none → *voldoet deels* (the subject is mentioned, none of what good evidence
   needs is shown). An element marked ``aanvullend`` (optional) does not count towards the share; when it
   is missing it is named "(aanvullend)" — the consultant accepts the core measure without it. An element
   marked ``kern`` (essential: what the question itself asks for, e.g. "binnen 72 uur") must be there for
   *voldoet*; without it the proposal is *voldoet deels* whatever the share. The rows of a retention
   schedule count only for requirements about retention.

A question without requirements keeps *onbekend*. Every proposal names what was found and what is
missing and stays a proposal for the consultant's review.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from assistant.features.check.checklist import (
    ChecklistQuestion,
    Requirement,
    first_match,
    key_terms_match,
    matched_terms,
    unnegated_match,
)
from assistant.features.check.model import STATUS_COMPLIES, STATUS_PARTIAL, STATUS_UNKNOWN, clip
from assistant.features.check.polarity import (
    BOTH_CASES,
    SUBJECT_MAY_BE_ABSENT,
    admits_other_subject,
    denies_existence,
    denies_processing,
    folded_words,
    in_own_sense,
    only_not_carried_out,
    reasoned_outcome,
)
from knowledge.text_analysis import fold

#: A record older than this many years does not show that a periodic activity still happens.
STALE_YEARS = 3
#: Share of the requirements the passages must show for *voldoet*: a consultant accepts evidence that shows
#: the large majority of the elements (and names the rest), and calls it *voldoet deels* below that.
REQUIRED_SHARE = 2 / 3
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
_LIMITATION = re.compile(
    r"\b(?:weten|kennen)\s+(?:wij|we)\s+(?:\w+\s+){0,2}niet\b"
    r"|\bis\s+(?:ons\s+)?(?:nog\s+)?(?:niet|onbekend)\s+(?:bekend|duidelijk)\b"
    r"|\bniet\s+(?:nagegaan|gecontroleerd|beoordeeld|getest|nagevraagd|opgevraagd|bekeken|uitgezocht)\b"
    r"|\bnog\s+(?:steeds\s+)?(?:niet|nooit)\s+(?:\w+\s+){0,1}(?:ondertekend|getekend|uitgevoerd|afgerond|verwijderd|mogelijk|"
    r"gedaan|ingevoerd|ingericht|vastgesteld|opgesteld|geregeld|getest|bijgewerkt|opgeschoond|vernietigd|"
    r"ingevuld|uitgewerkt|goedgekeurd|gebeurd|teruggezet|plaatsgevonden)\b"
    r"|\bniet\s+meer\s+(?:uitgevoerd|gedaan|getest|gecontroleerd)\b"
    r"|\b(?:is|zijn|werd|werden)\b(?:\s+\S+){0,6}\s+niet\s+uitgevoerd\b|\bovergeslagen\b"
    r"|\b(?:kan|kunnen|kon|konden)\s+(?:ik|we|wij)\s+(?:\S+\s+){0,3}niet\s+(?:vinden|terugvinden)\b"
    r"|\b(?:geven|doen|houden|maken|vragen|hebben|controleren|testen|registreren|noteren|documenteren)\s+"
    r"(?:wij|we)\s+(?:nog\s+)?niet\b"
    r"|\bgeen\s+(?:\w+\s+){0,4}(?:opgevraagd|gemaakt|getest|ontvangen|gecontroleerd|uitgevoerd|gedaan)\b"
    r"|\b(?:wij|we)\s+vragen\s+(?:nog\s+)?geen\s+(?:\w+\s+)?toestemming\b"
    r"|\b(?:staat|staan|zegt|regelt)\s+niets\s+over\b"
    r"|\b(?:staat|staan)\s+(?:nog\s+)?(?:uit|uitgeschakeld)\b|\b(?:is|zijn)\s+uitgeschakeld\b"
    # "sinds de migratie staat de automatische opschoning van afgesloten dossiers uit" (not "standaard uit":
    # a setting off by default is what privacy by default asks)
    r"|\b(?:staat|staan)\s+(?:de|het|die|deze)\s+(?:\w+\s+){1,6}(?<!standaard\s)uit\b"
    r"(?!\s+(?:de|het|een|te|naar|van|op|in|en)\b)"
    # "de automatische verwijdering van opnames staat in TutorStream uit"
    r"|\b(?:staat|staan)\s+(?:in|op|bij)\s+(?:\w+\s+){1,3}uit\b(?!\s+(?:de|het|een|te|naar|van|op|in|en)\b)"
    # "een hersteltest stond gepland voor oktober 2023, maar is uitgesteld"
    r"|\b(?:is|zijn|werd|werden)\s+(?:\w+\s+){0,4}uitgesteld\b"
    # "de automatische opschoonregel staat sinds de migratie in 2024 uit"
    r"|\b(?:staat|staan)\s+sinds\s+(?:\S+\s+){1,8}uit\b(?!\s+(?:de|het|een|te|naar|van|op|in|en)\b)"
    # "is nog steeds een concept", "staat nog steeds als concept", "is niet ingevuld", "staat nog niet aan"
    r"|\b(?:is|zijn|staat|staan)\s+(?:nog\s+)?(?:steeds\s+)?(?:een\s+|als\s+)?concept\b"
    r"|\b(?:is|zijn)\s+niet\s+(?:ingevuld|vastgesteld|afgerond|uitgewerkt|goedgekeurd)\b"
    # "een einddatum is daar niet voor afgesproken", "een termijn is er nooit bepaald"
    r"|\b(?:(?:is|zijn)\s+(?:daar|er|hier)|(?:daar|er|hier)\s+(?:is|zijn))\s+(?:nog\s+)?(?:niet|nooit)\s+(?:\w+\s+){0,3}(?:afgesproken|bepaald"
    r"|vastgesteld)\b"
    # "Incidenten die we niet bij de AP melden, worden niet apart vastgelegd."
    r"|\b(?:wordt|worden|werd|werden)\s+(?:\w+\s+){0,2}niet\s+(?:apart\s+|afzonderlijk\s+|ergens\s+)?"
    r"(?:vastgelegd|geregistreerd|bijgehouden|gedocumenteerd|genoteerd|gelogd)\b"
    r"|\b(?:staat|staan)\s+(?:nog\s+)?niet\s+aan\b|\bnog\s+niet\s+(?:aangezet|ingeschakeld|geactiveerd)\b"
    # "ze zouden er een sturen, maar we hebben nog niets ontvangen", "met Bennie hebben we niks op papier"
    r"|\bnog\s+niets\s+(?:\w+\s+){0,2}(?:ontvangen|gekregen|getekend|geregeld)\b"
    r"|\b(?:niks|niets|niet|nooit\s+iets)\s+(?:\w+\s+){0,3}op\s+papier\b"
    # "een geheimhoudingsverklaring laten we vrijwilligers niet tekenen"
    r"|\b(?:laten|laat)\s+(?:we|wij|ik)\s+(?:\w+\s+){0,3}niet\s+(?:tekenen|ondertekenen|invullen)\b"
    # "staat nog op de planning", "moet nog worden ingesteld", "daar zijn we nog niet aan toegekomen",
    # "er hangt nog geen bord", "tot die tijd kan … nog …", "ontbreekt op dit moment"
    r"|\bstaat\s+(?:\w+\s+){0,2}op\s+de\s+(?:planning|agenda|actielijst|takenlijst)\b"
    r"|\bmoet(?:en)?\s+(?:\w+\s+){0,2}nog\s+(?:\w+\s+){0,2}(?:worden|gebeuren|komen|geregeld|ingesteld|gemaakt)\b"
    r"|\bniet\s+(?:\w+\s+){0,1}aan\s+toegekomen\b"
    r"|\bnog\s+geen\b"
    # "een risicoanalyse waarin we per onderdeel … hebben bekeken, is er niet" (a long subject)
    r"|\b(?:is|zijn)\s+er\s+(?:nog\s+)?niet\b(?!\s+bij\b)"
    # "het terugzetten hebben we nooit geprobeerd", "daar hebben we nooit echt over nagedacht"
    r"|\bnooit\s+(?:\w+\s+){0,2}(?:geprobeerd|uitgeprobeerd|getest|geoefend|gecontroleerd|nagedacht|"
    r"nagegaan|bekeken|gedaan|teruggezet|teruggeplaatst|hersteld|gebeurd|"
    # "afgemelde aanmelders zijn er sinds 2019 nooit uit gehaald", "nooit opgeschoond"
    r"gehaald|verwijderd|opgeschoond|vernietigd|gewist|"
    # "een opschoonfunctie zit wel in het pakket, maar die is nooit aangezet"
    r"aangezet|ingeschakeld|geactiveerd|ingesteld|uitgevoerd)\b"
    # "sinds 2020 is er geen enkel gesloten dossier verwijderd"
    r"|\bgeen\s+enkel\w*\s+(?:\w+\s+){0,3}(?:verwijderd|vernietigd|opgeschoond|gewist|gecontroleerd|getest)\b"
    # "de tweestapsverificatie hebben we in maart weer uitgezet" (a measure switched off again)
    r"|\b(?:weer|inmiddels|tijdelijk|toch)\s+uit(?:gezet|geschakeld)\b"
    # "ik heb het niet in het datalekregister gezet, volgens mij is dat alleen voor hacks"
    r"|\b(?:niet|nooit)\s+in\s+(?:het|de|ons|onze)\s+\w*(?:register|logboek|overzicht|lijst)\w*\s+"
    r"(?:gezet|opgenomen|vastgelegd|genoteerd|ingevuld)\b"
    # "mailtjes naar de verkeerde cliënt zetten we niet in het register"
    r"|\bzetten\s+(?:wij|we)\s+niet\b"
    # "sinds 2021 tekenen nieuwe vrijwilligers geen geheimhoudingsverklaring meer"
    r"|\b(?:tekenen|tekent|ondertekenen)\b(?:\s+\w+){0,3}\s+geen\s+(?:\w+\s+){0,2}meer\b"
    # "een verwerkersovereenkomst sluiten wij met freelancers niet"
    r"|\b(?:sluiten|tekenen|ondertekenen)\s+(?:wij|we)\s+(?:\w+\s+){0,3}niet\b"
    r"|\btot\s+die\s+tijd\s+(?:\w+\s+){0,8}nog\b"
    r"|\bontbreekt\b|\bontbreken\b"
    # "welke van de twee verantwoordelijk is, is nooit vastgelegd", "dat hebben we nooit afgesproken"
    r"|\b(?:is|zijn|werd|werden)\s+(?:\w+\s+){0,3}nooit\s+(?:\w+\s+)?(?:vastgelegd|geregeld|afgesproken|"
    r"beschreven|opgesteld|uitgewerkt|vastgesteld)\b"
    r"|\b(?:hebben|heb)\s+(?:wij|we|ik)\s+(?:\w+\s+){0,3}nooit\s+(?:\w+\s+)?(?:vastgelegd|geregeld|afgesproken|"
    r"beschreven|opgesteld|uitgewerkt|vastgesteld)\b"
    # a way of working put off until it is needed: "als het komt, zoek ik dan wel uit hoe het moet", "dat
    # zien we dan wel"
    r"|\b(?:zoek|zoeken|kijk|kijken|bedenk|bedenken|regel|regelen|zie|zien)\s+(?:ik|we|wij)\s+(?:\w+\s+){0,2}"
    r"dan\s+wel\b"
    # a measure that is not (yet) switched on everywhere: "zijn niet versleuteld", "tweestapsverificatie is
    # daar nog niet ingesteld", "vier laptops zonder versleuteling"
    r"|\bniet\s+(?:\w+\s+){0,1}(?:versleuteld|ingesteld|ingeschakeld|aangezet|beveiligd|opgeschoond)\b"
    r"|\bzonder\s+(?:versleuteling|encryptie|bitlocker|filevault|tweestaps\w*|tweefactor\w*|meerfactor\w*|mfa"
    r"|2fa|wachtwoord|tweede\s+factor|authenticator\w*)\b"
    # content missing from a document: "een vaste termijn in uren staat daar niet in", "een lijst van
    # subverwerkers zit niet bij de overeenkomst"
    r"|\b(?:staat|zit)\s+(?:er\s+|daar\s+|hier\s+)?(?:nog\s+)?niet\s+(?:in|bij)"
    r"(?:\s+(?:de|het)\s+(?:\w*overeenkomst\w*|contract\w*|voorwaarden)"
    r"(?:\s+(?:met|van)\s+\S+(?:\s+\S+)?)?)?$"
    # no time for it, nothing cleaned up, a setting off: "handmatig is er in de drukte nooit tijd voor",
    # "is er niets opgeschoond", "staat de automatische verwijdering van bronbestanden uit" (not "standaard
    # uit")
    r"|\b(?:nooit|geen)\s+(?:\w+\s+){0,1}tijd\s+voor\b"
    r"|\ber\s+(?:\w+\s+){0,4}?niets\s+(?:meer\s+)?(?:opgeschoond|verwijderd|vernietigd|gewist|opgeruimd)\b"
    r"|\b(?:staat|staan|stond|stonden)\s+(?:de|het)\s+(?:\w+\s+){0,2}(?:verwijdering|opschoning|functie|optie|"
    r"module|instelling|beveiliging|versleuteling|tweestaps\w*|logging|back-?up\w*|controle)\b(?:\s+\w+){0,4}?"
    r"\s+uit$"
    # information not handed over: "wordt bij de intake niet uitgereikt of genoemd"
    r"|(?<!\bhoeft )(?<!\bhoeven )\bniet\s+(?:\w+\s+){0,2}(?:uitgereikt|overhandigd)\b"
)
#: What should be done, heard or thought: "dat kraamzorgorganisaties een DPIA zouden moeten doen" (not "wat
#: hij bij een datalek zou moeten doen", what a procedure teaches).
_SHOULD = re.compile(
    r"\bzou(?:den)?\s+(?:\w+\s+){0,8}moeten\s+(?:doen|hebben|maken|uitvoeren|aanstellen|opstellen|regelen|"
    r"sluiten|tekenen|vastleggen|laten|worden)\b"
)
_HOW_TO = re.compile(r"\b(?:wat|hoe|welke|wanneer)\b(?:\s+\w+){0,8}\s+zou(?:den)?\b")
#: A clause that only says who or what is left out: "de receptiecomputers niet", "de rest niet".
#: (No subject, verb or time of its own: "usb-sticks gebruiken wij niet" is a rule of its own, "de lijst
#: bestond toen nog niet" a statement about the past.)
_ELLIPTIC_NOT = re.compile(
    r"^(?!.*\b(?:wij|we|ik|zij|ze|hij|u|je|is|zijn|wordt|worden|heeft|hebben|kan|kunnen|mag|mogen|"
    r"nog|toen|ook|meer)\b)"
    r"(?:[a-z0-9'-]+ ){1,10}niet$"
)
#: A clause with a pronoun for what the clause before named ("deze is niet ingeschakeld", "voor
#: leerkrachten staat het nog op de planning", "een einddatum is daar niet voor afgesproken").
_ANAPHOR = re.compile(r"\b(?:deze|die|dit|dat|hij|zij|ze|het|daar)\b")
#: Negations that are rules, not gaps: "geen gegevens langer dan nodig", "geen toegang … niet nodig".
_RULE_NEGATION = re.compile(r"\b(?:niet|geen)\b.*\b(?:langer dan|meer dan|nodig|noodzakelijk|zonder)\b")
#: Somebody's opinion that a measure is not needed, with the measure as the subject ("een DPIA is volgens
#: de directeur niet nodig", "een verwerkersovereenkomst vindt hij overbodig"): a misconception the client
#: writes down, not a rule ("geen toegang als dat niet nodig is").
_DEEMED_UNNEEDED = re.compile(
    r"^(?:een|de|het)\s+(?:\S+\s+){1,3}(?:is|was|zijn|waren)\s+volgens\s+(?:\S+\s+){1,4}"
    r"(?:niet\s+(?:nodig|verplicht|noodzakelijk)|overbodig)\b"
    r"|^(?:een|de|het)\s+(?:\S+\s+){1,3}(?:vindt|vinden|vond|vonden|acht|achten)\s+(?:\S+\s+){1,4}"
    r"(?:niet\s+(?:nodig|verplicht|noodzakelijk)|overbodig)\b"
)
_PROMISE = re.compile(
    r"\b(?:zullen|zal|gaan\s+wij|gaan\s+we|willen|van\s+plan|gepland|voornemen|streven|binnenkort|"
    r"in\s+de\s+toekomst)\b"
)
_FREQUENCY = re.compile(
    r"\b(?:jaarlijks\w*|halfjaarlijks\w*|maandelijks\w*|wekelijks\w*|dagelijks\w*|driemaandelijks\w*|"
    r"(?:elk|ieder|elke|iedere|eens\s+per|een\s+keer\s+per|per|twee\s+keer\s+per|keer\s+per)\s+"
    r"(?:jaar|halfjaar|half\s+jaar|kwartaal|maand|week|dag|nacht))\b"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_RECORD = re.compile(
    r"\b(?:laatst\w*|verslag\w*|rapport\w*|logboek\w*|presentielijst\w*|noteert|genoteerd|vastgelegd|"
    r"uitgevoerd\s+op|gehouden\s+op)\b"
)


@dataclass(frozen=True)
class Judgement:
    """A proposed status from the passages, with what was found and what is missing."""

    status: str
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    #: The client's own sentences that say part of the measure is not done or not known.
    shortfalls: list[str] = field(default_factory=list)
    #: The client's own sentences with a wording the checklist knows as a weakness.
    weaknesses: list[str] = field(default_factory=list)

    def explanation(self) -> str:
        """Dutch sentences for the rationale."""
        parts = []
        if self.found:
            parts.append(f"Gevonden: {'; '.join(self.found)}.")
        if self.missing:
            parts.append(f"Niet gevonden: {'; '.join(self.missing)}.")
        parts += self.reasons
        return " ".join(parts)


def sentences(text: str) -> list[str]:
    """The sentences of a passage (wrapped lines joined)."""
    return [" ".join(s.split()) for s in _SENTENCE.split(text) if s.strip()]


_RETENTION_WORDS = re.compile(r"bewaar|bewaren|hoe lang|bewaartermijn")


def _about_retention(requirement: Requirement) -> bool:
    """Whether a requirement is about how long data are kept (its name or terms say so)."""
    return bool(_RETENTION_WORDS.search(fold(requirement.name + " " + " ".join(requirement.terms))))


def _without_retention_rows(passage: str) -> str:
    """The passage without the rows of a retention schedule (table rows, cells split by "|", in a passage
    about keeping data): "Verzoeken om inzage | 1 maand" says how long something is kept, not that a
    request is answered within a month. Other requirements than retention ones do not read them."""
    lines = passage.split("\n")
    rows = [line for line in lines if line.count("|") >= 2]
    schedule = any(_RETENTION_WORDS.search(fold(row)) for row in rows) or (
        len(rows) >= 2 and _RETENTION_WORDS.search(fold(passage)) is not None
    )
    return "\n".join(line for line in lines if line.count("|") < 2) if schedule else passage


def covered(requirement: Requirement, text: str) -> bool:
    """True when ``text`` has every term entry of ``requirement``."""
    return key_terms_match(text, requirement.terms)


#: Where a sentence turns to what is not done: "…, maar het terugzetten hebben we nooit getest".
_CLAUSE_TURN = re.compile(r";\s*|,\s*(?=(?:maar|alleen|behalve|echter|terwijl)\b)|\s+(?=maar\b)")


def _without_limiting_clauses(passages: list[str], limits: list[str]) -> list[str]:
    """The passages with the clauses that limit the measure left out of the sentences in ``limits``: what
    the client says is not done is no found requirement (the limitation itself is named as a reason)."""
    if not limits:
        return passages
    limiting = set(limits)
    kept = []
    for passage in passages:
        parts = []
        for sentence in sentences(passage):
            if sentence in limiting:
                clauses = _CLAUSE_TURN.split(sentence)
                sentence = " ".join(c for c in clauses if not _LIMITATION.search(folded_words(c)))
            parts.append(sentence)
        kept.append("\n".join(parts))
    return kept


_AVOIDING = re.compile(r"\b(?:zonder|niet|geen)\s+((?:[a-z-]+\s+){0,6})")
#: What one does with a thing one can avoid ("een kopie maken wij niet"; not "weten wij niet": not knowing).
_AVOIDING_VERB = (
    r"(?:maken|vragen|bewaren|houden|gebruiken|tonen|verzamelen|delen|sturen|scannen|opslaan|vastleggen"
    r"|noteren|kopieren)"
)
_GENERAL_WORDS = frozenset({"gegevens", "persoonsgegevens", "worden", "wordt", "hebben", "meer", "dan"})


def _avoided_by_neighbour(sentence: str, folded: str, neighbours: Sequence[ChecklistQuestion]) -> bool:
    """Whether the sentence says it avoids what another question whose whole subject it names asks to
    avoid ("… de identiteit is gecontroleerd …, er wordt geen kopie gemaakt"): that question's measure."""
    for other in neighbours:
        avoided = _avoided(other)
        if avoided is not None and avoided.search(folded) and key_terms_match(sentence, other.key_terms):
            return True
    return False


@functools.lru_cache(maxsize=128)
def _avoided_pattern(question_text: str) -> re.Pattern[str] | None:
    words = {
        w
        for m in _AVOIDING.finditer(folded_words(question_text) + " ")
        for w in m.group(1).split()
        if len(w) >= 5 and w not in _GENERAL_WORDS
    }
    if not words:
        return None
    named = "|".join(map(re.escape, sorted(words)))
    # "geen kopie", or the thing first: "een kopie maken wij niet", "een kopie van een identiteitsbewijs
    # vragen wij niet"
    return re.compile(
        rf"\bgeen\s+(?:[\w'-]+\s+){{0,2}}?(?:{named})"
        rf"|\b(?:{named})\w*\s+(?:[\w'-]+\s+){{0,6}}?{_AVOIDING_VERB}\s+(?:wij|we)\s+(?:ook\s+)?niet\b"
    )


def _avoided(question: ChecklistQuestion) -> re.Pattern[str] | None:
    """What the question itself asks to avoid ("zonder onnodig een kopie van het identiteitsbewijs te
    vragen"): the client's "geen kopie" then shows the measure, it limits nothing."""
    return _avoided_pattern(question.question)


def limitations(
    question: ChecklistQuestion, passages: list[str], neighbours: Sequence[ChecklistQuestion] = ()
) -> list[str]:
    """Sentences in which the client writes that part of the subject is not done, known or there yet.

    A sentence that admits the absence of another question's subject ("een functionaris
    gegevensbescherming hebben wij niet aangesteld", read for a question about roles) is that question's.
    """
    # The sentence must be about the question's subject (one of its key terms), not only share a word with
    # a requirement: "voor de app is nog niet bekeken hoe gegevens worden verwijderd" limits no camera policy.
    # Table text (cells joined by "|", a retention schedule) is no sentence of the client's about the subject.
    # "De laptops zijn versleuteld; de receptiecomputers niet.": a short clause that ends in "niet" leaves
    # out the verb of the clause before it, and is read together with it. A clause's reason can follow
    # after its semicolon ("… hebben wij niet; zie de notitie … voor de afweging").
    # The core of the question is its subject too: "Een terugzettest hebben wij nog nooit gedaan" limits the
    # back-ups (BEV-04's core is the restore test) without naming them.
    terms = question.key_terms
    core = [r for r in question.requirements if r.essential]
    avoided = _avoided(question)
    found = []
    for passage in passages:
        parts = sentences(passage)
        for before, part, after in zip(["", *parts[:-1]], parts, [*parts[1:], ""], strict=True):
            folded_part = folded_words(part)
            elliptic = bool(before) and bool(_ELLIPTIC_NOT.match(folded_part))
            # "De app ondersteunt tweestapsverificatie; deze is niet ingeschakeld.": the pronoun's subject
            # is in the clause before the semicolon
            elliptic = elliptic or (
                before.endswith(";")
                and bool(_ANAPHOR.search(folded_part))
                and bool(_LIMITATION.search(folded_part))
                and not any(matched_terms(part, [entry]) for entry in terms)
            )
            sentence = f"{before.rstrip(';,')}; {part}" if elliptic else part
            if sentence.count("|") >= 2:
                continue
            folded = BOTH_CASES.sub(" ", folded_words(sentence))
            opinion = _DEEMED_UNNEEDED.search(folded) is not None
            should = _SHOULD.search(folded) is not None and _HOW_TO.search(folded) is None
            if not (elliptic or opinion or should or _LIMITATION.search(folded)) or (
                _RULE_NEGATION.search(folded) and not opinion
            ):
                continue
            if avoided and avoided.search(folded):
                continue  # "er wordt geen kopie gemaakt" is what REC-03 asks ("zonder … een kopie")
            if _avoided_by_neighbour(sentence, folded, neighbours):
                continue  # the same sentence in the procedure for requests (REC-01) limits nothing either
            if reasoned_outcome(sentence, question) or (
                part.endswith(";") and reasoned_outcome(f"{part} {after}", question)
            ):
                continue  # "geen aparte DPIA uitgevoerd, omdat …" is the assessment DPIA-01 asks for
            if only_not_carried_out(sentence, question):
                continue  # "voor de Leesmonitor is nog geen DPIA uitgevoerd" is DPIA-03's, not DPIA-01's
            if question.id in SUBJECT_MAY_BE_ABSENT and (
                denies_existence(sentence, question, anywhere=True) or denies_processing(sentence, question)
            ):
                continue  # "Buitencamera's hebben wij niet": there is less of the subject, no measure lacks
            on_subject = bool(terms) and bool(matched_terms(sentence, terms[:1]))
            on_core = any(covered(r, sentence) for r in core)
            about = on_subject or on_core or any(matched_terms(sentence, [entry]) for entry in terms[1:])
            if (
                question.periodic
                and about
                and not (on_subject or on_core)
                and _names_other_subject(sentence, question, neighbours)
            ):
                # "De jaarlijkse opschoning … is niet uitgevoerd" shares only its frequency ("jaarlijks") with
                # the evaluation (GOV-03, a periodic question): it is about the clean-up (BWT-02)
                continue
            if about and (
                _measure_of_kind(sentence, question)
                or (
                    not admits_other_subject(sentence, question, neighbours)
                    and not _named_more_closely(sentence, question, neighbours)
                )
            ):
                found.append(sentence)
    return list(dict.fromkeys(found))


def _names_other_subject(
    sentence: str, question: ChecklistQuestion, neighbours: Sequence[ChecklistQuestion]
) -> bool:
    """Whether ``sentence`` names the subject (first key term) of another question with another subject, in
    words that are none of this question's key terms ("verzoek" is REC-02's subject and one of REC-01's
    terms: a sentence about a request is both questions')."""
    own = set(matched_terms(sentence, question.key_terms))
    return any(
        (other_words := set(matched_terms(sentence, other.key_terms[:1]))) and not other_words & own
        for other in neighbours
        if other.key_terms and question.key_terms and other.key_terms[0] != question.key_terms[0]
    )


def _measure_of_kind(sentence: str, question: ChecklistQuestion) -> bool:
    """Whether ``sentence`` names one of the question's own measures for the kind of processing it is
    about (cameras, children, automated decisions, special data): "Een belangenafweging voor de camera's
    hebben we niet op papier" limits the camera surveillance, whatever other question a balancing test
    has."""
    return (
        question.id in SUBJECT_MAY_BE_ABSENT
        and key_terms_match(sentence, question.key_terms)
        and any(covered(r, sentence) for r in question.requirements)
    )


def _named_more_closely(
    sentence: str, question: ChecklistQuestion, neighbours: Sequence[ChecklistQuestion]
) -> bool:
    """Whether the sentence is another question's: one whose whole subject it names (every key-term entry)
    and whose subject word comes first, or at the same place when the sentence does not name this
    question's whole subject or names the other's longer. "Het verwijderen van dossiers waarvan de
    bewaartermijn is verstreken, is nog niet ingericht" limits the clean-up (BWT-02), not the retention
    terms (BWT-01, "bewaartermijn" comes later) nor the procedure for requests (REC-01, whose "verzoek" is
    not named); "Een doorgiftetoets hebben we niet gedaan" limits the safeguards (DGF-02), not knowing the
    transfers (DGF-01). Questions that share the subject (DPIA-01/02/03) are no rivals."""
    own = first_match(sentence, question.key_terms)
    if own is None or not question.key_terms:
        return False
    own_whole = key_terms_match(sentence, question.key_terms)
    for other in neighbours:
        if not other.key_terms or other.key_terms[0] == question.key_terms[0]:
            continue
        if not key_terms_match(sentence, other.key_terms):
            continue
        subject = first_match(sentence, other.key_terms[:1])
        if subject is None:
            continue
        if subject[0] < own[0] or (subject[0] == own[0] and (not own_whole or subject[1] > own[1])):
            return True
    return False


def red_flags(question: ChecklistQuestion, passages: list[str]) -> list[str]:
    """Sentences with a wording the checklist lists as a known weakness of this question, not negated
    ("het vakje staat niet standaard aangevinkt" names the weakness only to say it is avoided)."""
    if not question.red_flags:
        return []
    found = []
    for passage in passages:
        parts = sentences(passage)
        for part, after in zip(parts, [*parts[1:], ""], strict=True):
            if unnegated_match(part, question.red_flags):
                found.append(part)
            elif part.endswith(";") and after and not unnegated_match(after, question.red_flags):
                # one sentence in two clauses: "het restrisico schatten wij als hoog in; wij zien geen reden
                # om de AP te raadplegen"
                joined = f"{part} {after}"
                if unnegated_match(joined, question.red_flags):
                    found.append(joined)
    return list(dict.fromkeys(found))


def periodic_gap(passages: list[str], today: date | None = None) -> str:
    """Why the passages do not show a periodic activity happening ("" when they do)."""
    year_now = (today or date.today()).year
    folded = [folded_words(s) for p in passages for s in sentences(p)]
    if not folded:
        return ""
    last = [int(y) for f in folded if re.search(r"\blaatst", f) for y in _YEAR.findall(f)]
    if last and year_now - max(last) >= STALE_YEARS:
        return f"De laatste vastgelegde uitvoering is van {max(last)}; dat toont niet dat het nog gebeurt."
    shown = [f for f in folded if _FREQUENCY.search(f) or (_RECORD.search(f) and _YEAR.search(f))]
    if not shown:
        return (
            "Er staat geen frequentie of vastgelegde uitvoering (datum, verslag) bij; alleen een voornemen "
            "is niet genoeg."
        )
    if all(_PROMISE.search(f) for f in shown):
        return "Er staat alleen een voornemen ('zullen', 'gepland'), geen vastgelegde uitvoering."
    return ""


#: What :func:`judge` found when the documents only say the subject is not there.
NONE_RECORDED = "vastgelegd dat die er niet zijn"
#: No decision by a computer alone: "Wij nemen geen besluiten over jou die alleen door een computer worden
#: genomen", "geen beslissingen die uitsluitend geautomatiseerd tot stand komen".
_NO_AUTOMATED_DECISION = re.compile(
    r"\bgeen\s+(?:\w+\s+){0,2}(?:besluit|beslissing)\w*\b.{0,80}?\b(?:alleen|uitsluitend|volledig)\s+"
    r"(?:door\s+(?:een\s+)?computer|geautomatiseerd|automatisch)"
)


#: A denial with a condition, an exception or a "but": "geen besluiten zonder controle door een medewerker",
#: "…, maar de software rangschikt sollicitanten wel automatisch".
_QUALIFIED = re.compile(r"\b(?:zonder|tenzij|behalve|maar|wel|voordat|alleen als|pas als)\b")
#: Something done automatically (for ADM-01): "het systeem wijst aanvragen met een lage score automatisch af".
_AUTOMATIC = re.compile(r"\bautomatisch\w*\b")


def _only_denied(question: ChecklistQuestion, passages: list[str]) -> bool:
    """Whether the passages say that a subject an organisation may simply not have is not there (for
    example automated decisions or children), plainly (no condition, exception or "but"; not only in some
    rooms), and name it nowhere else."""
    if question.id not in SUBJECT_MAY_BE_ABSENT:
        return False
    parts = [s for p in passages for s in sentences(p)]
    denied = [
        s
        for s in parts
        if not _QUALIFIED.search(folded_words(s))
        and (
            denies_existence(s, question)
            or (question.id == "ADM-01" and _NO_AUTOMATED_DECISION.search(folded_words(s)))
        )
    ]
    described = [
        s
        for s in parts
        if s not in denied
        and (
            matched_terms(s, question.key_terms[:1])
            or in_own_sense(s, question)
            or (question.id == "ADM-01" and _AUTOMATIC.search(folded_words(s)))
        )
    ]
    return bool(denied) and not described


def judge(
    question: ChecklistQuestion,
    passages: list[str],
    today: date | None = None,
    neighbours: Sequence[ChecklistQuestion] = (),
    in_statement: bool = False,
) -> Judgement:
    """The proposal for a question from the client's passages that support it (see the module docstring).

    ``neighbours`` are the other questions of the checklist (see :func:`limitations`). ``in_statement``: one
    of the passages is the client's privacy statement, which shows a requirement marked
    ``privacyverklaring_toont`` by being there ("Van het CBR krijgen we de uitslag van je examen" informs).
    """
    limits = limitations(question, passages, neighbours)
    # "… maar het terugzetten hebben we nooit getest" shows no restore test: a limiting clause finds nothing
    shown_passages = _without_limiting_clauses(passages, limits)
    text = "\n".join(shown_passages)
    # "Camerabeelden | 4 weken" in a retention schedule is no answer term for requests (REC-02)
    without_schedules = "\n".join(_without_retention_rows(p) for p in shown_passages)
    in_text = [covered(r, text if _about_retention(r) else without_schedules) for r in question.requirements]
    shown = [
        (r, seen or (in_statement and r.shown_by_statement))
        for r, seen in zip(question.requirements, in_text, strict=True)
    ]
    required = [(r, ok) for r, ok in shown if not r.optional]
    found = [
        r.name if seen else f"{r.name} (in de privacyverklaring)"
        for (r, ok), seen in zip(shown, in_text, strict=True)
        if ok
    ]
    missing = [r.name for r, ok in required if not ok]
    missing += [f"{r.name} (aanvullend)" for r, ok in shown if r.optional and not ok]
    found_required = sum(ok for _, ok in required)
    essential_missing = [r.name for r, ok in required if r.essential and not ok]
    reasons: list[str] = []
    flags = red_flags(question, passages)
    if flags:
        reasons.append("Zwakte in de tekst: " + "; ".join(f"„{clip(s)}”" for s in flags[:2]) + ".")
    if limits:
        reasons.append(
            "De klant schrijft dat een deel niet gebeurt of niet bekend is: "
            + "; ".join(f"„{clip(s)}”" for s in limits[:2])
            + "."
        )
    if question.periodic:
        gap = periodic_gap(passages, today)
        if gap:
            reasons.append(gap)
    if essential_missing:
        reasons.append(f"De kern van de vraag ontbreekt: {'; '.join(essential_missing)}.")
    if not reasons and _only_denied(question, passages):
        # "Wij nemen geen besluiten die alleen door een computer worden genomen en maken geen profielen": the
        # recorded conclusion that there are none is what the question asks for when there are none
        return Judgement(STATUS_COMPLIES, [NONE_RECORDED], [], [])
    if reasons or (required and found_required < REQUIRED_SHARE * len(required)):
        return Judgement(STATUS_PARTIAL, found, missing, reasons, limits, flags)
    if question.requirements:
        return Judgement(STATUS_COMPLIES, found, missing, [])
    return Judgement(STATUS_UNKNOWN)
