"""Polarity of evidence: does a passage show a measure, or does the client write that it is absent?

"Een DPIA is niet uitgevoerd" mentions the DPIA, so it passes the key-term test of
:mod:`assistant.features.check.evidence`; read as evidence it would hide the gap. A sentence is an
*admission* when a negation is about the question's **subject** (the alternatives of its first key
term, e.g. "dpia|effectbeoordeling"), in one of these shapes (on folded text, one sentence):

* an existence verb with "geen" right before the subject: "er is geen belangenafweging",
  "wij hebben (nog) geen verwerkersovereenkomst", "geen DPIA uitgevoerd";
* the subject, then a negation of doing or keeping: "een DPIA is niet uitgevoerd",
  "een overzicht van eerdere incidenten houden wij niet bij", "… is nog niet opgesteld";
* the subject with "ontbreekt/ontbreken".

Negation scope matters: "wij bewaren geen gegevens langer dan nodig" (the subject of a retention
question is retention, not "gegevens"), "wij maken geen kopie van het identiteitsbewijs" and "wie zich
afmeldt, ontvangt geen aanbiedingen meer" are no admissions: "geen" is not directly about the subject,
or the verb is not one of existence. What is not recognised stays ordinary evidence for review.

The subject must be what the sentence is about:

* In a Dutch compound the last part is the head: "datalekregister" is a register, not a data-breach
  procedure. A subject found inside a longer word counts when it ends the word (with an inflection:
  "datalekken", "verwerkersovereenkomsten") or when the rest of the word is something the question
  itself asks about ("datalekprocedure" for a question whose text names a procedure).
* A subject named as an example ("zoals de nieuwsbrief", "bijvoorbeeld camerabeelden") is not the
  topic of the negation.
* "niet … bij" is an admission only with "houden" ("houden wij niet bij"); "de FG is er niet bij
  betrokken" says nothing about whether there is an FG.
* "wel of niet", "… of niet", "al dan niet" name both cases, not an absence: "ieder datalek, gemeld of
  niet, wordt vastgelegd" says every breach is recorded.
* In "een overzicht van datalekken" the noun before "van"/"voor" is what the sentence is about, as the
  last part of a compound is: it is about the subject only when that noun is an action on it ("het
  opstellen van", "de uitvoering van") or a thing the question itself names.
* "… hebben geen toegang tot die beelden" restricts access (the measure itself); "een FG is niet
  verplicht" is the conclusion of an assessment.
* A sentence belongs to the question with the most specific subject: "een aparte
  verwerkersovereenkomst is niet getekend" admits a missing processing agreement (the subject
  "verwerkersovereenkomst"), not a gap in what agreements with a "verwerker" contain.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from assistant.features.check.checklist import ChecklistQuestion, alternatives
from knowledge.text_analysis import fold

_EXISTENCE = (
    r"(?:is|zijn|was|waren|bestaat|bestaan|heeft|hebben|hadden|houden|houdt|beschikt|beschikken|kent|kennen)"
)
_DONE = (
    r"(?:uitgevoerd|gedaan|opgesteld|gesloten|getekend|ondertekend|vastgelegd|bijgehouden|gemaakt|"
    r"aanwezig|beschikbaar|geregeld|ingericht|aangesteld|benoemd|uitgewerkt|gedocumenteerd|geevalueerd|"
    r"getest|afgesloten|opgenomen|gepubliceerd|gevraagd|gegeven|gevolgd|georganiseerd|vastgesteld)"
)
#: Doing the measure, in the present tense: "Vrijwilligers tekenen bij ons geen geheimhoudingsverklaring",
#: "wij voeren geen DPIA uit", "we maken geen back-ups". Not "vragen", "krijgen" or "gebruiken": "wij vragen
#: geen kopie", "stagiairs krijgen geen toegang" describe the measure itself.
_DOING = (
    r"(?:tekenen|tekent|ondertekenen|ondertekent|sluiten|sluit|voeren|voert|volgen|volgt|"
    r"hanteren|hanteert|maken|maakt)"
)
#: What keeps such a sentence from being an admission: a reason or an exception after it ("sluiten we geen
#: verwerkersovereenkomst, omdat die zelf verantwoordelijk is", "volgen geen training vóór hun eerste dienst,
#: maar binnen de eerste maand"), or a scope after the subject ("maken geen back-ups op usb-sticks").
_DOING_LIMITED = (
    r"(?!\S*\s+(?:op|voor|via|met|naar|in)\b)(?![^.;]*\b(?:omdat|want|aangezien|maar|behalve|pas)\b)"
)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


def subject_pattern(question: ChecklistQuestion) -> str:
    """A regex (folded text) for the question's subject: the alternatives of its first key term."""
    if not question.key_terms:
        return r"(?!x)x"
    alts = sorted(alternatives(question.key_terms[0]), key=len, reverse=True)
    parts = [
        rf"\w*{re.escape(a)}\w*" if len(a) >= 5 else rf"(?<![a-z0-9]){re.escape(a)}(?![a-z0-9])" for a in alts
    ]
    return "(?P<subject>" + "|".join(parts) + ")"


def admission_patterns(question: ChecklistQuestion) -> list[re.Pattern[str]]:
    """The compiled shapes of an admission for this question (see the module docstring)."""
    return list(_compiled_patterns(subject_pattern(question)))


@functools.lru_cache(maxsize=256)
def _compiled_patterns(s: str) -> tuple[re.Pattern[str], ...]:
    word = r"[\w'-]+"
    return (
        # not a classification: "dit is geen formeel verzoek", "dat is geen datalek"
        re.compile(
            rf"(?<!\bdit )(?<!\bdat )(?<!\bdeze )(?<!\bdie )"
            rf"\b{_EXISTENCE}\b(?:\s+{word}){{0,2}}?\s+(?:nog\s+)?geen\s+(?:{word}\s+)?{s}"
        ),
        re.compile(rf"(?:^|[\s,])(?:nog\s+)?geen\s+(?:{word}\s+)?{s}(?:\s+{word}){{0,3}}?\s+{_DONE}\b"),
        re.compile(
            rf"\b{_DOING}\b(?:\s+{word}){{0,3}}?\s+(?:nog\s+)?geen\s+(?:{word}\s+)?{s}{_DOING_LIMITED}"
        ),
        re.compile(rf"{s}(?:\s+{word}){{0,6}}?\s+(?:nog\s+)?(?:niet|nooit)(?:\s+{word}){{0,2}}?\s+{_DONE}\b"),
        re.compile(
            rf"{s}(?:\s+{word}){{0,4}}?\s+(?:hebben|heeft|hebt)\s+(?:wij|we|zij|ze)\s+(?:nog\s+)?niet\b"
        ),
        re.compile(
            rf"{s}(?:\s+{word}){{0,4}}?\s+(?:houden|houdt|hou|houd)\s+(?:wij\s+|we\s+|zij\s+|ze\s+)?"
            rf"(?:nog\s+)?(?:niet|nooit)\s+bij\b"
        ),
        re.compile(rf"{s}(?:\s+{word}){{0,6}}?\s+(?:ontbreekt|ontbreken|ontbrak)\b"),
        # "een risicoanalyse voor informatiebeveiliging is er niet" (not "de FG is er niet bij")
        re.compile(rf"{s}(?:\s+{word}){{0,6}}?\s+(?:is|zijn)\s+er\s+(?:nog\s+)?(?:niet|nooit)\b(?!\s+bij\b)"),
        re.compile(rf"\b(?:ontbreekt|ontbreken)\s+(?:{word}\s+){{0,3}}?{s}"),
    )


#: A negation inside a condition ("ook als het niet bij de AP wordt gemeld, …") is no admission.
_CONDITIONAL_CLAUSE = re.compile(
    r"\b(?:ook als|zelfs als|als|wanneer|indien|tenzij|ook wanneer)\b[^,]*"
    # a condition by inversion: "Heeft de patiënt geen verwijzing (directe toegang), dan …"
    r"|^(?:heeft|hebben|is|zijn|wil|wilt|willen|krijgt|komt|kan|kunnen)\b[^,]*(?=,\s*dan\b)"
)
#: A double negation is a rule, not an admission ("geen toegang tot dossiers die zij niet nodig hebben").
_DOUBLE_NEGATION = re.compile(r"\bgeen\b.*\b(?:die|dat|waar)\b.*\bniet\b")
#: A recorded conclusion that a measure is not required ("een FG is niet verplicht en niet aangesteld")
#: is the outcome of an assessment, not an admission; whether the conclusion holds is the question's own
#: test (the register's facts, the consultant).
_NOT_REQUIRED = re.compile(
    r"\b(?:niet|geen)\s+(?:wettelijk\s+)?(?:verplicht|vereist|verplichting|plicht)\b"
    # "daar speelt hoogstens één criterium en is geen DPIA nodig": the outcome of going through the criteria
    # (not "een back-up hebben wij niet, dat is niet nodig": no assessment is named)
    r"|\b(?:criteri\w*|afweging|beoordeeld|nagelopen|getoetst|voortoets\w*)\b.*\b(?:geen\s+(?:[\w'-]+\s+){1,2}nodig"
    r"|(?:is|zijn|was|waren)\s+(?:\w+\s+){0,2}niet\s+nodig)\b"
)
#: A check that found no problem ("er zijn geen gedeelde accounts aangetroffen") is a result, no admission.
#: So is a count of no late or lost cases ("in 2025 is geen enkel verzoek te laat afgehandeld").
_NONE_FOUND = re.compile(
    r"\bgeen\b[^,;]{0,60}\b(?:aangetroffen|geconstateerd|te laat|buiten de termijn|na de termijn"
    r"|overschreden)\b"
)
#: Both cases named ("gemeld of niet", "wel of niet", "al dan niet"): no negation of anything.
BOTH_CASES = re.compile(r"\b(?:wel\s+)?of\s+niet\b|\bal\s+dan\s+niet\b")


#: Questions about a kind of data or processing an organisation may simply not have (special data, cameras,
#: children, automated decisions). Their first key term names that kind, not a measure: "er hangen geen
#: camera's" says the question does not apply, where "er is geen DPIA" admits a gap.
SUBJECT_MAY_BE_ABSENT = frozenset({"GRS-04", "CAM-01", "KIN-01", "ADM-01"})
_EXISTS = r"(?:er\s+(?:is|zijn|hangen|hangt|staan|staat)|(?:wij|we)\s+(?:hebben|gebruiken|nemen|maken))"
#: The verbs of having or being there, in any word order ("hangen geen camera's", "camera's hebben wij niet").
_THERE = r"(?:hangen|hangt|staan|staat|zijn|is|hebben|heeft|gebruiken|gebruikt)"


#: A question that asks whether something was assessed ("Is voor alle verwerkingen beoordeeld of een DPIA
#: verplicht is?"): a negation given with its reason ("geen aparte DPIA uitgevoerd, omdat RetinaCheck onder
#: de bestaande DPIA valt", "hoeft geen FG aan te stellen, want …") is the outcome of that assessment, not
#: an admission that it was not made. Whether the outcome holds is another question's (DPIA-03, FG-03).
_ASKS_ASSESSMENT = re.compile(r"\bbeoordeeld\b(?:\s+\w+){0,3}\s+of\b")
_REASON = re.compile(
    r"\b(?:omdat|want|aangezien|vanwege|valt\s+onder|vallen\s+onder)\b"
    # the conclusion of a reasoning in the sentences before: "Wij hebben daarom geen FG aangesteld."
    r"|\b(?:daarom|derhalve|om\s+die\s+reden)\b"
    # the "no" points to where the assessment is written down: "zie de notitie … voor de afweging"
    r"|\bzie\b(?:\s+[\w'-]+){0,10}\s+(?:afweging|onderbouwing|beoordeling|analyse)\b"
)
#: A reason that is an excuse, not an assessment: "omdat we er nog niet aan toe zijn gekomen".
_EXCUSE = re.compile(
    r"\b(?:tijd|drukte|capaciteit|toegekomen|toe\s+(?:zijn\s+)?gekomen|vergeten|prioriteit)\b"
)


#: That the measure itself was not carried out for one processing ("Voor de Leesmonitor is nog geen DPIA
#: uitgevoerd"): for a question that asks whether an assessment was made, that is the carrying out another
#: question asks for (DPIA-03), not a missing assessment — unless the sentence also says the assessment
#: was not made ("niet beoordeeld of een DPIA nodig is, en geen DPIA uitgevoerd") or excuses it ("omdat we
#: er nog niet aan toe zijn gekomen").
_NOT_CARRIED_OUT = re.compile(
    r"\b(?:geen|niet)\b(?:\s+[\w'-]+){0,4}\s+(?:uitgevoerd|gedaan|afgerond|opgesteld|gemaakt)\b"
)
_NOT_ASSESSED = re.compile(
    r"\bniet\s+(?:\w+\s+){0,2}(?:beoordeeld|getoetst|nagegaan|bekeken|onderzocht)\b"
    r"|\bgeen\s+(?:\w+\s+){0,2}(?:voortoets|quickscan|quick\s+scan|toets|beoordeling|pre-dpia)\b"
)


def only_not_carried_out(sentence: str, question: ChecklistQuestion) -> bool:
    """Whether ``sentence`` says only that the measure was not carried out, for a question that asks
    whether an assessment was made (see ``_NOT_CARRIED_OUT``): no admission or limitation of that
    question."""
    if not _asks_assessment(question.question):
        return False
    words = folded_words(sentence)
    if _NOT_ASSESSED.search(words) or _EXCUSE.search(words):
        return False  # "… omdat we er nog niet aan toe zijn gekomen": nothing was looked at
    return bool(_NOT_CARRIED_OUT.search(words))


def reasoned_outcome(sentence: str, question: ChecklistQuestion) -> bool:
    """Whether ``sentence`` gives a reasoned "not needed / not done" for a question that asks whether an
    assessment was made (see ``_ASKS_ASSESSMENT``): evidence of the assessment, no admission or limitation."""
    if not _asks_assessment(question.question):
        return False
    words = folded_words(sentence)
    return bool(_REASON.search(words)) and not _EXCUSE.search(words)


@functools.lru_cache(maxsize=256)
def _asks_assessment(question_text: str) -> bool:
    """Whether a question's text asks whether something was assessed (read once per question, not per
    sentence of every passage)."""
    return _ASKS_ASSESSMENT.search(folded_words(question_text)) is not None


def folded_words(sentence: str) -> str:
    """The sentence folded to lower-case words (apostrophes and hyphens kept), as the judge reads it."""
    return " ".join(re.sub(r"[^a-z0-9'-]+", " ", fold(sentence)).split())


#: Rooms where an organisation says it has no cameras while it may have them elsewhere ("in de spreekkamers
#: hangen geen camera's"): a denial there is no denial that the subject exists.
_ROOMS = re.compile(
    r"\b(?:spreekkamer|behandelkamer|kleedkamer|toilet|badkamer|slaapkamer|werkruimte|douche|"
    r"behandelruimte|spreekruimte|pauzeruimte|kantine)\w*"
)


def denies_existence(text: str, question: ChecklistQuestion, anywhere: bool = False) -> bool:
    """Whether ``text`` says the question's subject is not there ("er hangen geen camera's", "wij hebben
    geen camera's", "wij nemen geen geautomatiseerde besluiten"): an existence denied, not a rule about it
    ("geen medische informatie in de groep") or a denial of processing ("bijzondere gegevens verwerken wij
    niet", often what the register repeats). Not there in some rooms ("in de spreekkamers hangen geen
    camera's") is no denial that it exists, unless ``anywhere`` (then it is still no admission of a gap)."""
    subject = subject_pattern(question)
    return any(
        _denies(folded_words(sentence), subject, anywhere)
        for sentence in _SENTENCE.split(text)
        if sentence.strip()
    )


def _denies(words: str, subject: str, anywhere: bool) -> bool:
    """Whether one sentence (folded words) denies that ``subject`` exists (see :func:`denies_existence`)."""
    if not anywhere and _ROOMS.search(words):
        return False
    return any(
        not _COMPLEMENT.search(words[: match.start()])
        for pattern in (
            rf"\b{_EXISTS}\s+(?:\S+\s+)?geen\s+(?:\S+\s+){{0,2}}{subject}",
            # "op kantoor hangen geen camera's", "Glansploeg heeft in het magazijn geen camera's"
            rf"\b{_THERE}\s+(?:\S+\s+){{0,8}}?geen\s+(?:\S+\s+){{0,1}}{subject}",
            # "op geen van onze scholen hangen camera's"
            rf"\bgeen\s+van\s+(?:\S+\s+){{1,4}}{_THERE}\s+(?:er\s+)?{subject}",
            # "camera's hebben wij in geen van de drie praktijken", "cameratoezicht is er niet"
            rf"{subject}\S*\s+{_THERE}\s+(?:wij|we|er)\s+(?:(?!wel\b)\S+\s+){{0,5}}?(?:geen|niet|nergens)\b",
            # "… omdat wij geen camera's hebben"
            rf"\b(?:wij|we|er)\s+geen\s+(?:\S+\s+){{0,1}}{subject}\S*\s+{_THERE}\b",
            # "…, maken geen profielen en …" (not "maakt geen medische gegevens over", "neemt geen besluiten
            # zonder controle", "maken geen camerabeelden met hun telefoon")
            rf"\b(?:maken|maakt|nemen|neemt)\s+geen\s+(?:\S+\s+){{0,1}}{subject}\S*"
            r"(?!\s+(?:over|bekend|openbaar|zonder|tenzij|met|op|behalve)\b)(?:\s+van\s+\S+)?(?:\s+(?:en|of)\b|\s*$)",
        )
        for match in re.finditer(pattern, words)
    )


#: The subject as the complement of another noun: "een belangenafweging voor de camera's hebben we niet op
#: papier" denies the balancing test, not the cameras.
_COMPLEMENT = re.compile(r"\b[a-z]{4,}\s+(?:voor|van)\s+(?:de|het|onze|ons|alle)?\s*$")


def denies_processing(text: str, question: ChecklistQuestion) -> bool:
    """Whether ``text`` says the organisation does not record the question's subject at all ("Kinderen die
    een keer meekomen met een lid registreren we niet"): no measure about it is limited by that."""
    subject = subject_pattern(question)
    return any(
        re.search(
            rf"{subject}\S*(?:\s+\S+){{0,8}}?\s+(?:registreren|verwerken|bewaren|noteren|vragen)\s+(?:wij|we)\s+"
            r"(?:ook\s+)?niet\b",
            folded_words(sentence),
        )
        for sentence in _SENTENCE.split(text)
        if sentence.strip()
    )


#: Sentences that name a question's subject word in another sense: a camera to take photos, film a lesson,
#: stream a service or call with, or someone else's camera ("die zijn van de klant") is no camera
#: surveillance by the organisation.
_OTHER_SENSE = {
    "CAM-01": re.compile(
        r"\b(?:foto\S*|video'?s?|videobellen|livestream\w*|stream\w*|beeldbel\w*|webcam\w*|camera-app|"
        r"tablet\w*|smartphone\w*|fotogra\w*|filmen|gefilmd|film|opnamen?\s+van\s+de\s+les\w*)\b"
        r"|\bvan\s+(?:de\s+|het\s+|onze\s+)?(?:klant|klanten|eigenaar|eigenaren|huurder|huurders|verhuurder|"
        r"opdrachtgever|opdrachtgevers|bewoner|bewoners)\b"
    ),
}


def in_own_sense(sentence: str, question: ChecklistQuestion) -> bool:
    """Whether ``sentence`` names the question's subject in the sense the question means (see
    :data:`_OTHER_SENSE`; every mention counts for a question without another sense)."""
    words = folded_words(sentence)
    if re.search(subject_pattern(question), words) is None:
        return False
    other = _OTHER_SENSE.get(question.id)
    return other is None or other.search(words) is None


def names_subject(text: str, question: ChecklistQuestion) -> bool:
    """Whether one sentence of ``text`` names the question's subject in its own sense (a passage about a
    photo camera or a livestream is no evidence on camera surveillance)."""
    if question.id not in _OTHER_SENSE:
        return True
    return any(in_own_sense(s, question) for s in _SENTENCE.split(text))


def mentions_beside_denial(text: str, question: ChecklistQuestion) -> list[str]:
    """The sentences of ``text`` that name the question's subject (in its own sense) without denying it
    exists ("buiten hangt één camera bij de ingang" beside "binnen hangen geen camera's")."""
    return [
        sentence
        for sentence in (" ".join(s.split()) for s in _SENTENCE.split(text))
        if in_own_sense(sentence, question) and not denies_existence(sentence, question)
    ]


def admissions(
    text: str, question: ChecklistQuestion, neighbours: Sequence[ChecklistQuestion] = ()
) -> list[str]:
    """The sentences of ``text`` (original wording) in which the client states the subject is absent.

    Negations inside a conditional clause and double negations (a rule) do not count. A sentence that is
    an admission about a more specific subject of one of the ``neighbours`` (the other questions of the
    checklist) belongs to that question: "een aparte verwerkersovereenkomst is niet getekend" admits a
    missing processing agreement, not a gap in the agreements' content.
    """
    found = []
    previous = ""
    parts = [" ".join(s.split()) for s in _SENTENCE.split(text)]
    for sentence, following in zip(parts, [*parts[1:], ""], strict=True):
        folded = _admission_text(sentence)
        if previous and _BARE_NOT_DONE.fullmatch(folded):
            # "DPIA: Kim heeft gekeken wat een DPIA is. Niet gedaan." — the subject is in the sentence before
            sentence = f"{previous} {sentence}"
            folded = _admission_text(f"{_subject_only(previous, question)} {folded}")
        assessed = reasoned_outcome(sentence, question) or only_not_carried_out(sentence, question)
        # "Een FG hebben wij niet; zie de notitie … voor de afweging": the reason follows the semicolon;
        # "Leveranciers tekenen geen geheimhoudingsverklaring; dat regelt de verwerkersovereenkomst": another
        # arrangement does
        assessed = assessed or (
            sentence.endswith(";")
            and (
                reasoned_outcome(f"{sentence} {following}", question)
                or _OTHER_ARRANGEMENT.match(folded_words(following)) is not None
            )
        )
        # "… maken geen profielen en gebruiken de logs niet voor besluiten": for a subject an organisation
        # may simply not have, its absence is no gap
        assessed = assessed or (
            question.id in SUBJECT_MAY_BE_ABSENT and denies_existence(sentence, question, anywhere=True)
        )
        own = 0 if assessed else _admitted_subject(folded, question)
        if own and not any(_admitted_subject(folded, other) > own for other in _rivals(question, neighbours)):
            found.append(sentence)
        previous = sentence
    return found


#: A clause that names the arrangement that takes the measure's place: "dat regelt de
#: verwerkersovereenkomst", "alles gaat naar de versleutelde cloud", "die staat in de cloud van de
#: leverancier".
_OTHER_ARRANGEMENT = re.compile(
    r"(?:dat|die|dit|alles|het)\s+(?:regelt|regelen|gaat|gaan|loopt|lopen)\b"
    # "die staat in de cloud van de leverancier" (not "dat staat op de planning": that is still to do)
    r"|(?:dat|die|dit|alles|het)\s+(?:staat|staan|zit|zitten)\s+(?:al\s+)?(?:in|bij)\b"
)
#: A sentence that is only a negated participle ("Niet gedaan.", "Nog niet uitgevoerd.", "Nooit getest.").
_BARE_NOT_DONE = re.compile(rf"(?:nog )?(?:niet|nooit) {_DONE}")


def _subject_only(sentence: str, question: ChecklistQuestion) -> str:
    """The question's subject as the previous sentence names it ("een dpia"), or "" when it does not."""
    match = re.search(subject_pattern(question), folded_words(sentence))
    return f"een {match.group('subject')} is" if match else ""


def admits_other_subject(
    sentence: str, question: ChecklistQuestion, neighbours: Sequence[ChecklistQuestion]
) -> bool:
    """Whether ``sentence`` admits the absence of the subject of another question than ``question``
    ("een functionaris gegevensbescherming hebben wij niet aangesteld" is about the FG questions)."""
    folded = _admission_text(sentence)
    return bool(folded) and any(_admitted_subject(folded, other) for other in _rivals(question, neighbours))


def _rivals(question: ChecklistQuestion, neighbours: Sequence[ChecklistQuestion]) -> list[ChecklistQuestion]:
    """The neighbours with a subject of their own (questions that share the subject are not rivals)."""
    if not question.key_terms:
        return []
    return [q for q in neighbours if q.key_terms and q.key_terms[0] != question.key_terms[0]]


def _admission_text(sentence: str) -> str:
    """The sentence as the admission shapes read it (folded, conditions and "wel of niet" removed); empty
    when it cannot be an admission at all (a double negation, a conclusion that nothing is required)."""
    folded = " ".join(re.sub(r"[^a-z0-9'-,]+", " ", fold(sentence)).split())
    if not folded or _DOUBLE_NEGATION.search(folded) or _NOT_REQUIRED.search(folded):
        return ""
    if _NONE_FOUND.search(folded):
        return ""
    folded = BOTH_CASES.sub(" ", _CONDITIONAL_CLAUSE.sub(" ", folded)).replace(",", " ")
    return " ".join(folded.split())


def _admitted_subject(folded: str, question: ChecklistQuestion) -> int:
    """How specific the subject is that the sentence (as :func:`_admission_text`) admits absent: the
    length of the longest alternative of the question's subject in a matched admission; 0: none."""
    if not folded or not question.key_terms:
        return 0
    alts = alternatives(question.key_terms[0])
    best = 0
    for pattern in admission_patterns(question):
        for match in pattern.finditer(folded):
            if _about_subject(match, folded, question):
                word = match.group("subject")
                best = max(best, *(len(a) for a in alts if a in word), 1)
    return best


#: Words that introduce an example: a subject after them is not the topic of the sentence.
_EXAMPLE = re.compile(r"\b(?:zoals|bijvoorbeeld|bijv|waaronder|onder andere|oa|inclusief)\b")
#: A relative clause opened just before the subject: "dossiers waarvan de bewaartermijn …".
_RELATIVE = re.compile(r"\bwaar(?:van|voor|bij|in|op|mee|over)\s+(?:de|het|een|hun|zijn|haar)?\s*$")
#: Inflections after a subject at the end of a word: "datalekken", "verwerkersovereenkomsten", "dpia's".
#: A stem's own noun counts too: "opschon" → "opschoning", "evaluat" → "evaluatie".
_INFLECTION = re.compile(r"(?:[a-z]?en|s|e|n|'s|es|ing|ingen|ie|ies)?")


def _about_subject(match: re.Match[str], folded: str, question: ChecklistQuestion) -> bool:
    """Whether the matched negation is about the question's subject (see the module docstring)."""
    word = match.group("subject")
    before = folded[max(0, match.start("subject") - 40) : match.start("subject")]
    if _EXAMPLE.search(before.rsplit(".", 1)[-1]):
        return False
    if _RELATIVE.search(before):
        # "dossiers waarvan de bewaartermijn is verstreken, … nog niet ingericht": the subject is in a
        # relative clause; what is not done is what the sentence opened with
        return False
    if word == "toegang" and re.search(r"\bgeen\s+$", before):
        return False  # "… hebben geen toegang tot die beelden" restricts access, it is the measure
    phrase = _PHRASE_HEAD.search(before)
    if phrase and not _head_about_subject(phrase, question):
        return False
    return _subject_is_head(word, question)


#: "een overzicht van datalekken", "een voorbeeldtekst voor de privacyverklaring", "een controle van het
#: register en de beveiligingsmaatregelen": the noun before "van"/"voor" is what the sentence is about, as
#: the last part of a compound is.
_PHRASE_HEAD = re.compile(
    r"(?:^|\s)(?P<article>het\s+)?(?P<head>[a-z]+)\s+(?:van|voor)\s+(?:(?:de|het|een|alle|eerdere|onze|ons|hun|uw)\s+)?"
    r"(?:[a-z]+\s+(?:en|of)\s+(?:(?:de|het|een|alle|onze|ons|hun|uw)\s+)?)?$"
)
#: Kinds of record: "een overzicht van datalekken" is what a question about a datalekregister asks for.
_RECORDS = ("overzicht", "register", "lijst", "logboek", "registratie", "administratie")


def _head_about_subject(phrase: re.Match[str], question: ChecklistQuestion) -> bool:
    """Whether "<head> van <subject>" is still about the subject: an action on it ("het opstellen van",
    "de uitvoering van"), or a thing the question itself names (a record, for a question about one)."""
    head = phrase.group("head")
    if head.endswith("ing") or (phrase.group("article") and head.endswith("en")):
        return True
    own = [w for w in _question_words(question) if len(w) >= 4]
    if any(_same_thing(head, w) for w in own):
        return True
    return head in _RECORDS and any(w.endswith(r) or w == r for w in own for r in _RECORDS)


def _subject_is_head(word: str, question: ChecklistQuestion) -> bool:
    """The subject ends ``word``, or the rest of ``word`` is a thing the question itself names."""
    alts = [a for a in alternatives(question.key_terms[0]) if len(a) >= 5 and a in word]
    if not alts or any(" " in a for a in alts):
        return True  # a short alternative (matched as a whole word) or a phrase
    own = _question_words(question)
    for alt in alts:
        rest = word[word.index(alt) + len(alt) :]
        if _INFLECTION.fullmatch(rest):
            return True
        unlinked = (rest[len(link) :] for link in _LINKS if rest.startswith(link))
        heads = [h for h in (rest, *unlinked) if len(h) >= 4]
        if any(_same_thing(h, w) for h in heads for w in own if len(w) >= 4):
            return True
    return False


def _same_thing(head: str, word: str) -> bool:
    """``head`` (the rest of a compound) names what ``word`` of the question names."""
    return word.startswith(head) or word.endswith(head) or head.startswith(word)


#: Linking sounds between the parts of a Dutch compound ("verwerker-s-overeenkomst", "incident-en-register").
_LINKS = ("s", "en", "e", "n")


def _question_words(question: ChecklistQuestion) -> set[str]:
    """The folded words of the question and its description of good evidence."""
    text = fold(f"{question.question} {question.good_evidence}")
    return set(re.findall(r"[a-z0-9]+", text))
