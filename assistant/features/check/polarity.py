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
"""

from __future__ import annotations

import re

from assistant.features.check.checklist import ChecklistQuestion, alternatives
from knowledge.text_analysis import fold

_EXISTENCE = (
    r"(?:is|zijn|was|waren|bestaat|bestaan|heeft|hebben|hadden|houden|houdt|beschikt|beschikken|kent|kennen)"
)
_DONE = (
    r"(?:uitgevoerd|gedaan|opgesteld|gesloten|getekend|ondertekend|vastgelegd|bijgehouden|bij|gemaakt|"
    r"aanwezig|beschikbaar|geregeld|ingericht|aangesteld|benoemd|uitgewerkt|gedocumenteerd|geevalueerd|"
    r"getest|afgesloten|opgenomen|gepubliceerd|gevraagd|gegeven|gevolgd|georganiseerd|vastgesteld)"
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
    return "(?:" + "|".join(parts) + ")"


def admission_patterns(question: ChecklistQuestion) -> list[re.Pattern[str]]:
    """The compiled shapes of an admission for this question (see the module docstring)."""
    s = subject_pattern(question)
    word = r"[\w'-]+"
    return [
        re.compile(rf"\b{_EXISTENCE}\b(?:\s+{word}){{0,2}}?\s+(?:nog\s+)?geen\s+(?:{word}\s+)?{s}"),
        re.compile(rf"(?:^|[\s,])(?:nog\s+)?geen\s+(?:{word}\s+)?{s}(?:\s+{word}){{0,3}}?\s+{_DONE}\b"),
        re.compile(rf"{s}(?:\s+{word}){{0,6}}?\s+(?:nog\s+)?(?:niet|nooit)(?:\s+{word}){{0,2}}?\s+{_DONE}\b"),
        re.compile(
            rf"{s}(?:\s+{word}){{0,4}}?\s+(?:hebben|heeft|hebt)\s+(?:wij|we|zij|ze)\s+(?:nog\s+)?niet\b"
        ),
        re.compile(rf"{s}(?:\s+{word}){{0,6}}?\s+(?:ontbreekt|ontbreken|ontbrak)\b"),
        re.compile(rf"\b(?:ontbreekt|ontbreken)\s+(?:{word}\s+){{0,3}}?{s}"),
    ]


def admissions(text: str, question: ChecklistQuestion) -> list[str]:
    """The sentences of ``text`` (original wording) in which the client states the subject is absent."""
    patterns = admission_patterns(question)
    found = []
    for sentence in _SENTENCE.split(text):
        sentence = " ".join(sentence.split())
        if not sentence:
            continue
        folded = " ".join(re.sub(r"[^a-z0-9'-]+", " ", fold(sentence)).split())
        if any(p.search(folded) for p in patterns):
            found.append(sentence)
    return found
