"""Round 11, from the six dossiers of D and F read after they were measured blind:

* a sentence that gives one kind of data only a vague term ("Gegevens van vrijwilligers bewaren we niet
  langer dan nodig", "Voor incassodossiers geldt dat wij de gegevens niet langer bewaren dan nodig is")
  shows that not every category has a term (BWT-01); the general principle "wij bewaren
  persoonsgegevens niet langer dan nodig" above a list of terms does not;
* "Een FG hebben wij niet; zie de notitie … voor de afweging" points to the assessment FG-01 asks for;
* a processor's agreement ("na beëindiging stelt Verwerker …") and a duty that only might arise ("als
  wij daartoe wettelijk verplicht zijn") are no legal basis against the register's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from check_support import checklist_before_migration

from assistant.features.check.checklist import load_shipped_checklist
from assistant.features.check.crosscheck import retention_findings, vague_retention
from assistant.features.check.judge import judge, limitations
from assistant.features.check.model import STATUS_COMPLIES, STATUS_PARTIAL, DocumentPassage, Evidence
from assistant.features.check.polarity import reasoned_outcome
from assistant.features.check.service import evidence_proposal
from assistant.features.privacy.model import Activity, Controller, Register
from assistant.features.privacy.register_conflicts import FIELD_BASIS, find_conflicts

CHECKLIST = load_shipped_checklist()


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Gegevens van vrijwilligers bewaren we niet langer dan nodig.", "Gegevens van vrijwilligers"),
        ("- Foto's van activiteiten: niet langer dan nodig.", "Foto's van activiteiten"),
        (
            "Voor incassodossiers geldt dat wij de gegevens niet langer bewaren dan nodig is voor de "
            "afwikkeling.",
            "Incassodossiers",
        ),
        ("Leerlingdossiers bewaren wij niet langer dan nodig.", "Leerlingdossiers"),
    ],
)
def test_one_kind_of_data_with_only_a_vague_term_is_a_retention_gap(sentence: str, kind: str) -> None:
    passage = DocumentPassage(
        "Bewaarbeleid", f"# Bewaarbeleid\n\nFacturen bewaren wij 7 jaar.\n\n{sentence}\n"
    )
    assert [what for what, _ in vague_retention([passage], None)] == [kind]
    finding = retention_findings([passage], None)["BWT-01"]
    assert finding.status == STATUS_PARTIAL and kind in finding.reason


@pytest.mark.parametrize(
    "sentence",
    [
        "Wij bewaren persoonsgegevens niet langer dan nodig voor het doel waarvoor zij zijn verkregen.",
        "Heidezoom bewaart persoonsgegevens niet langer dan noodzakelijk.",
        "Gegevens worden niet langer bewaard dan noodzakelijk.",
        "- niet langer dan nodig;",
        "Sollicitaties: niet langer dan nodig, uiterlijk 4 weken na de procedure.",
    ],
)
def test_the_general_principle_or_a_vague_word_beside_a_term_is_no_gap(sentence: str) -> None:
    passage = DocumentPassage("Privacybeleid", f"# Privacybeleid\n\n{sentence}\n")
    assert vague_retention([passage], None) == []


def test_a_vague_sentence_in_the_privacy_statement_or_an_agreement_is_not_read_here() -> None:
    sentence = "Gegevens van vrijwilligers bewaren we niet langer dan nodig."
    for title in ("Privacyverklaring Polderpuls", "Verwerkersovereenkomst Vrijwilligershub"):
        assert vague_retention([DocumentPassage(title, sentence)], None) == []


def test_a_no_that_points_to_the_assessment_answers_the_fg_question() -> None:
    question = CHECKLIST.get("FG-01")
    sentence = (
        "Een functionaris gegevensbescherming hebben wij niet; zie de notitie over de GPS-trackers voor de "
        "afweging."
    )
    assert reasoned_outcome(sentence, question)
    assert limitations(question, [sentence], CHECKLIST.questions) == []
    # a plain "no" without the assessment stays a limitation
    assert limitations(
        question, ["Een functionaris gegevensbescherming hebben wij niet."], CHECKLIST.questions
    )


def _register() -> Register:
    return Register(
        client="Praktijk Lindenhof",
        controller=Controller(name="Praktijk Lindenhof"),
        activities=[
            Activity("Nieuwsbrief voor verwijzers", purpose="verwijzers informeren", legal_basis="f")
        ],
    )


@pytest.mark.parametrize(
    ("document", "text"),
    [
        (
            "Verwerkersovereenkomst Kwadrant",
            "Verwerker verstuurt de nieuwsbrief voor verwijzers; een wettelijke verplichting van Verwerker "
            "gaat voor.",
        ),
        (
            "Privacyverklaring",
            "De nieuwsbrief voor verwijzers delen wij alleen met anderen als wij daartoe wettelijk "
            "verplicht zijn.",
        ),
    ],
)
def test_an_agreement_or_a_duty_that_only_might_arise_is_no_basis_conflict(document: str, text: str) -> None:
    conflicts = find_conflicts([DocumentPassage(document, text)], _register())
    assert [c for c in conflicts if c.field == FIELD_BASIS] == []


def test_a_duty_stated_for_the_activity_is_still_a_basis_conflict() -> None:
    text = (
        "Voor de nieuwsbrief voor verwijzers zijn wij op grond van de Wet kwaliteit, klachten en geschillen "
        "zorg verplicht verwijzers te informeren."
    )
    conflicts = find_conflicts([DocumentPassage("Werkinstructie", text)], _register())
    assert [c.field for c in conflicts] == [FIELD_BASIS]


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        (
            "REC-03",
            "Wij vragen bij elk verzoek een kopie van een geldig identiteitsbewijs, die wij bij het "
            "verzoek in het dossier bewaren.",
        ),
        (
            "LEK-02",
            "In het register datalekken nemen wij de inbreuken op die bij de Autoriteit Persoonsgegevens "
            "zijn gemeld. Per melding leggen wij de feiten, de gevolgen en de maatregelen vast.",
        ),
    ],
)
def test_weaknesses_in_the_clients_own_words(question_id: str, sentence: str) -> None:
    """A copy kept at every request (REC-03); a breach register of reported breaches only (LEK-02)."""
    judgement = judge(CHECKLIST.get(question_id), [sentence], neighbours=CHECKLIST.questions)
    assert judgement.status == STATUS_PARTIAL and any("Zwakte" in r for r in judgement.reasons)


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        (
            "REC-03",
            "Wij controleren de identiteit via het klantportaal en vragen geen kopie van het paspoort.",
        ),
        (
            "LEK-02",
            "Alle incidenten leggen wij vast in het register, ook datalekken die niet gemeld hoeven te "
            "worden: feiten, gevolgen en maatregelen.",
        ),
    ],
)
def test_the_same_subjects_done_well_are_no_weakness(question_id: str, sentence: str) -> None:
    judgement = judge(CHECKLIST.get(question_id), [sentence], neighbours=CHECKLIST.questions)
    assert not any("Zwakte" in r for r in judgement.reasons), judgement


def _evidence(document: str, text: str) -> Evidence:
    return Evidence(document, -1, document, text[:100], "c1", 0.9, "klant:x", passage=text)


def test_a_restore_test_only_the_processor_does_is_partial() -> None:
    """BEV-04: the client's own back-up without a restore test, the restore test only in the processor's
    agreement: the processor's systems, not the client's."""
    question = CHECKLIST.get("BEV-04")
    own = _evidence(
        "Mailwisseling ICT", "De back-up van de kantoor-pc gaat elke week naar de USB-schijf in de kast."
    )
    agreement = _evidence(
        "Verwerkersovereenkomst ZorgSpoor",
        "Verwerker maakt dagelijks een back-up in een tweede datacentrum en test het terugzetten elk "
        "kwartaal.",
    )
    answer = evidence_proposal(question, [own, agreement], neighbours=CHECKLIST.questions)
    assert answer.status == STATUS_PARTIAL and "alleen in de verwerkersovereenkomst" in answer.rationale
    tested = _evidence(
        "Back-upprocedure",
        "Wij maken elke nacht een back-up op de NAS en een kopie in de cloud; elk kwartaal testen wij het "
        "terugzetten en noteren de uitkomst.",
    )
    assert evidence_proposal(question, [tested, agreement], neighbours=CHECKLIST.questions).status == (
        STATUS_COMPLIES
    )


def test_migration_12_brings_the_new_weaknesses_into_unedited_questions(tmp_path: Path) -> None:
    from assistant.features.check.checklist_store import ChecklistStore

    def as_previous_release(items: list[dict[str, Any]]) -> None:
        for item in items:  # release 11 did not know these weaknesses
            if item["id"] == "REC-03":
                item["red_flags"] = item["red_flags"][:3]
            if item["id"] == "LEK-02":
                item["red_flags"] = []

    path = tmp_path / "compliancy.sqlite3"
    checklist_before_migration(path, 12, as_previous_release, ("BWS-02", "Eigen vraag over geheimhouding"))
    store = ChecklistStore(path)
    assert [v.author for v in store.versions()] == ["meegeleverd", "Kennisbeheerder K", "meegeleverd"]
    assert "ronde 11" in store.versions()[-1].note
    assert store.current().get("REC-03") == CHECKLIST.get("REC-03")
    assert store.current().get("LEK-02") == CHECKLIST.get("LEK-02")
    assert store.current().get("BWS-02").question == "Eigen vraag over geheimhouding"


def test_an_agreement_the_processor_does_not_have_in_the_clients_words() -> None:
    from assistant.features.check.evidence import agreement_denied

    table = (
        "| Leverancier | Dienst | Opslag | VO | Datum VO |\n"
        "|---|---|---|---|---|\n"
        "| Kompas Onderwijssoftware B.V. | administratie | Nederland | ja (model 4.0) | 12-01-2023 |\n"
        "| Brightleaf Learning Inc. | fotoapp | EU (kantoor Dublin) | nee – privacy policy op website | – |\n"
    )
    assert agreement_denied(table, "brightleaf learning")
    assert not agreement_denied(table, "kompas onderwijssoftware")
    sentence = (
        "Een aparte verwerkersovereenkomst heeft Brightleaf niet; de privacy policy geldt als afspraak."
    )
    assert agreement_denied(sentence, "brightleaf")
    assert not agreement_denied(
        "Met Brightleaf hebben wij een verwerkersovereenkomst gesloten.", "brightleaf"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Alle incidenten worden geregistreerd, ook als ze niet bij de AP zijn gemeld: datum van ontdekking, "
        "feiten, gevolgen, besluit over melding en genomen maatregelen.",
        # (every incident: since round 20 the unreported breaches are LEK-02's core)
        "Ilse legt elk incident vast in het incidentenlog, met een omschrijving en de afhandeling.",
    ],
)
def test_a_breach_register_in_the_clients_own_words(text: str) -> None:
    """LEK-02 knows "worden geregistreerd" and "legt het incident vast in het incidentenlog" as the register,
    an "omschrijving" or "afhandeling" per incident as its facts."""
    assert judge(CHECKLIST.get("LEK-02"), [text], neighbours=CHECKLIST.questions).status == STATUS_COMPLIES
