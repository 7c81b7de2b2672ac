"""Round 10: a register that still names a retired system, an assessment given with its reason, and what a
client writes about restore tests and drafts in its own words.

A consultant who reads "Het oude systeem (CVbank Online) is per 1 april 2025 afgesloten" next to a register
that lists CVbank Online as processor knows the register is out of date (REG-02, REG-03) and does not ask
for an agreement with a party that no longer processes (VWK-01). "Voor de pilot is geen aparte DPIA
uitgevoerd, omdat de pilot onder de bestaande DPIA valt" answers DPIA-01 (was it assessed?), whatever
DPIA-03 says of the outcome. The service-level tests use real SQLite, Chroma and the embedder in a temp
folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from check_support import checklist_before_migration, make_app

from assistant.app import App
from assistant.features.check.checklist import load_shipped_checklist
from assistant.features.check.judge import judge, limitations
from assistant.features.check.model import (
    STATUS_COMPLIES,
    STATUS_FAILS,
    STATUS_PARTIAL,
    DocumentPassage,
    Evidence,
)
from assistant.features.check.polarity import admissions
from assistant.features.check.service import evidence_proposal
from assistant.features.privacy.model import Activity, Controller, Recipient, Register
from assistant.features.privacy.register_conflicts import find_conflicts, retired_recipients
from knowledge.scopes import client_scope

CHECKLIST = load_shipped_checklist()
CLIENT = "Flexwerk Noord"
NEIGHBOURS = CHECKLIST.questions


def _register(*recipients: Recipient) -> Register:
    activity = Activity(
        name="Werving en selectie",
        purpose="kandidaten bemiddelen",
        legal_basis="b",
        recipients=list(recipients),
    )
    return Register(client=CLIENT, controller=Controller(name=CLIENT), activities=[activity])


def _passage(text: str, document: str = "Werkinstructie inschrijven") -> DocumentPassage:
    return DocumentPassage(document, text)


def test_a_system_the_documents_call_closed_is_a_retired_recipient():
    register = _register(Recipient("CVbank Online"), Recipient("StaffPilot Software B.V."))
    passage = _passage(
        "Sinds februari 2025 werken we voor alle inschrijvingen in Recruitly. Het oude systeem "
        "(CVbank Online) is per 1 april 2025 afgesloten; de kandidaten die daarin stonden zijn overgezet."
    )
    conflicts = find_conflicts([passage], register)
    assert retired_recipients(conflicts) == ["CVbank Online"]
    message = conflicts[0].message()
    assert "CVbank Online staat in het register" in message and "niet meer in gebruik" in message
    assert "Werkinstructie inschrijven" in message


@pytest.mark.parametrize(
    "text",
    [
        # "afgesloten" as an adjective: closed files kept in the system still in use
        "- CVbank Online: het opschonen van afgesloten klantdossiers staat op de actielijst.",
        # an agreement concluded
        "Met CVbank Online is in 2023 een verwerkersovereenkomst afgesloten.",
        # a plan is not yet a change
        "Het abonnement op CVbank Online wordt per 1 januari 2027 opgezegd.",
        # the new system replaces the old one: the new one is not retired
        "De planning in Excel is vervangen door StaffPilot; CVbank Online gebruiken we voor de inschrijving.",
    ],
)
def test_what_does_not_retire_a_recipient(text: str):
    register = _register(Recipient("CVbank Online"), Recipient("StaffPilot Software B.V."))
    assert retired_recipients(find_conflicts([_passage(text)], register)) == []


def test_stopped_with_before_the_name_retires_it():
    register = _register(Recipient("Mailgo B.V.", "verwerker"))
    found = find_conflicts(
        [_passage("Begin dit jaar zijn we gestopt met Mailgo; de nieuwsbrief is weg.")], register
    )
    assert retired_recipients(found) == ["Mailgo B.V."]


def test_a_reasoned_no_answers_the_assessment_question_not_the_outcome():
    sentence = (
        "Voor de pilot met RetinaCheck is geen aparte DPIA uitgevoerd, omdat RetinaCheck volgens Thijs "
        "onder de bestaande DPIA voor het oogdossier uit 2022 valt."
    )
    assessed, outcome = CHECKLIST.get("DPIA-01"), CHECKLIST.get("DPIA-02")
    others = [q for q in NEIGHBOURS if q.id not in ("DPIA-01", "DPIA-02", "DPIA-03")]
    assert admissions(sentence, assessed, others) == []
    assert limitations(assessed, [sentence]) == []
    # DPIA-02 asks whether the DPIA was carried out: there the same sentence is an admission
    assert admissions(sentence, outcome, others) == [sentence]
    # an excuse is no assessment
    excuse = "Een DPIA is niet uitgevoerd, omdat we er nog niet aan toe zijn gekomen."
    assert admissions(excuse, assessed, others) == [excuse]


def test_a_conclusion_that_no_fg_is_needed_is_the_fg_01_conclusion():
    text = (
        "Brugman Flexwerk hoeft geen functionaris gegevensbescherming (FG) aan te stellen. Wij zijn geen "
        "overheidsorganisatie, onze kernactiviteit bestaat niet uit het op grote schaal volgen van mensen."
    )
    judgement = judge(CHECKLIST.get("FG-01"), [text], neighbours=NEIGHBOURS)
    assert judgement.status == STATUS_COMPLIES, judgement
    assert "conclusie" in judgement.found


def test_a_classification_is_no_admission():
    question = CHECKLIST.get("REC-02")
    others = [q for q in NEIGHBOURS if q.id != "REC-02"]
    text = "Afmelden nieuwsbrief: dit is geen formeel verzoek, maar wordt wel direct uitgevoerd."
    assert admissions(text, question, others) == []
    assert admissions("Er is geen verzoek beantwoord binnen de termijn.", question, others) != []


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        (
            "BEV-04",
            "Ik maak af en toe een back-up op de externe harde schijf. Die back-up heb ik nooit teruggezet.",
        ),
        (
            "BEV-04",
            "Op de vraag of de back-up ooit is teruggezet, antwoordt Joost dat dat nog niet is gebeurd.",
        ),
        ("GOV-01", "Ons privacyreglement staat nog steeds als concept in de map."),
    ],
)
def test_limitations_in_the_clients_words(question_id: str, sentence: str):
    question = CHECKLIST.get(question_id)
    assert limitations(question, [sentence], NEIGHBOURS), sentence
    assert judge(question, [sentence], neighbours=NEIGHBOURS).status == STATUS_PARTIAL


NOTES = """# Privacybeleid Flexwerk Noord

Ilse Tuinstra is ons privacy-aanspreekpunt en houdt het verwerkingsregister bij.

## Systemen

Sinds februari 2025 werken we voor alle inschrijvingen in Recruitly. Het oude systeem (CVbank Online) is
per 1 april 2025 afgesloten; de kandidaten die daarin stonden zijn overgezet.

Met Recruitly Technologies is een verwerkersovereenkomst gesloten (DPA versie 4.2, getekend 3 maart 2025).
"""

REGISTER = """klant: Flexwerk Noord
organisatie:
  naam: Flexwerk Noord B.V.
  email: privacy@flexwerk-noord.example
verwerkingen:
  - naam: Werving en selectie
    doel: kandidaten bemiddelen naar werk
    grondslag: b
    gegevens: [naam, cv]
    betrokkenen: [kandidaten]
    ontvangers:
      - naam: CVbank Online
        soort: verwerker
      - naam: Recruitly Technologies
        soort: verwerker
    bewaartermijn: 4 weken na inschrijving
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[App]:
    workdir = tmp_path_factory.mktemp("retired-and-reasoned")
    application = make_app(workdir / "data", embedder)
    notes = workdir / "privacybeleid.md"
    notes.write_text(NOTES, encoding="utf-8")
    report = application.ingest.ingest([notes], client_scope(CLIENT), actor="test")
    assert report.documents == 1, report.summary()
    register = workdir / "register.yaml"
    register.write_text(REGISTER, encoding="utf-8")
    application.privacy.import_register(register, "test", client=CLIENT)
    yield application
    application.close()


def test_the_register_warning_and_the_check_name_the_retired_system(app: App):
    problems = [str(p) for p in app.privacy.problems(CLIENT)]
    assert any(p.startswith("Verwerking 'Werving en selectie'") and "CVbank Online" in p for p in problems)
    run = app.check.run(CLIENT, "consultant-x")
    up_to_date = run.answer("REG-03")  # a gap: "voldoet niet" here (the notes say nothing of updating)
    assert up_to_date is not None and up_to_date.status in (STATUS_PARTIAL, STATUS_FAILS)
    assert "CVbank Online" in up_to_date.rationale and "niet meer in gebruik" in up_to_date.rationale
    complete = run.answer("REG-02")
    assert complete is not None and complete.status == STATUS_PARTIAL
    # no agreement is asked of the retired system; the current processor's agreement is found
    agreements = run.answer("VWK-01")
    assert agreements is not None and "CVbank" not in agreements.rationale, agreements.rationale
    assert agreements.status == STATUS_COMPLIES, agreements.rationale


def test_migration_11_brings_the_reasoned_outcomes_into_unedited_questions(tmp_path: Path) -> None:
    from assistant.features.check.checklist_store import ChecklistStore

    def as_previous_release(items: list[dict[str, Any]]) -> None:
        for item in items:  # release 10 did not know these words
            if item["id"] == "FG-01":
                for requirement in item["requirements"]:
                    requirement["terms"] = [t.replace("|aan te stellen", "") for t in requirement["terms"]]
            if item["id"] in ("BEV-02", "VWK-03"):
                item["red_flags"] = item["red_flags"][:1] if item["id"] == "VWK-03" else []

    path = tmp_path / "compliancy.sqlite3"
    checklist_before_migration(path, 11, as_previous_release, ("BWS-02", "Eigen vraag over geheimhouding"))
    store = ChecklistStore(path)
    assert [v.author for v in store.versions()] == ["meegeleverd", "Kennisbeheerder K", "meegeleverd"]
    assert "ronde 10" in store.versions()[-1].note
    assert store.current().get("FG-01") == CHECKLIST.get("FG-01")
    assert store.current().get("BEV-02") == CHECKLIST.get("BEV-02")
    assert store.current().get("VWK-03") == CHECKLIST.get("VWK-03")
    assert store.current().get("BWS-02").question == "Eigen vraag over geheimhouding"


def _evidence(document: str, text: str) -> Evidence:
    return Evidence(document, -1, document, text[:100], "c1", 0.9, "klant:x", passage=text)


def test_encryption_shown_only_by_a_processors_agreement_is_partial():
    """BEV-03 asks about the organisation's own laptops, accounts and files: the processor's measures in its
    agreement show its own systems only."""
    question = CHECKLIST.get("BEV-03")
    agreement = _evidence(
        "Verwerkersovereenkomst administratiekantoor",
        "Artikel 3 – Beveiliging. Verwerker versleutelt de gegevens en gebruikt tweefactorauthenticatie voor "
        "alle accounts met toegang tot de persoonsgegevens.",
    )
    answer = evidence_proposal(question, [agreement], neighbours=NEIGHBOURS)
    assert answer.status == STATUS_PARTIAL and "Alleen de verwerkersovereenkomst" in answer.rationale
    own = _evidence(
        "Informatiebeveiligingsbeleid",
        "Alle laptops zijn versleuteld met BitLocker; wij gebruiken tweefactorauthenticatie in Microsoft.",
    )
    assert evidence_proposal(question, [agreement, own], neighbours=NEIGHBOURS).status == STATUS_COMPLIES


def test_a_pronoun_after_a_semicolon_carries_the_subject_of_the_clause_before():
    question = CHECKLIST.get("BEV-03")
    text = (
        "De app en de recorder ondersteunen tweestapsverificatie; deze is bij oplevering niet ingeschakeld "
        "op verzoek van de klant."
    )
    assert limitations(question, [text], NEIGHBOURS)
    assert judge(question, [text], neighbours=NEIGHBOURS).status == STATUS_PARTIAL


@pytest.mark.parametrize(
    "sentence",
    [
        "Tweestapsverificatie staat uit. Iedereen gebruikt dus hetzelfde account, ook de stoelhuurders.",
        "De laptop op kantoor heeft één account dat we allemaal gebruiken; het wachtwoord weet iedereen.",
        "Alle intercedenten kunnen alle kandidaten in Recruitly zien, ook die van andere vestigingen.",
    ],
)
def test_access_for_all_is_a_weakness_of_access_control(sentence: str):
    question = CHECKLIST.get("BEV-02")
    text = f"Medewerkers hebben toegang tot de systemen die zij voor hun rol nodig hebben. {sentence}"
    judgement = judge(question, [text], neighbours=NEIGHBOURS)
    assert judgement.status == STATUS_PARTIAL and any("Zwakte" in r for r in judgement.reasons)
    assert (
        judge(question, ["Niet alle medewerkers kunnen alle dossiers zien."], neighbours=NEIGHBOURS).reasons
        == []
    )


def test_the_clients_own_record_of_breach_terms_covers_the_processors_it_names():
    from assistant.features.check.crosscheck import breach_term_findings

    register = _register(
        Recipient("StaffPilot Software B.V."), Recipient("NetVeilig Zwolle B.V."), Recipient("CVbank Online")
    )
    agreements: dict[str, Evidence | None] = {r.name: None for r in register.activities[0].recipients}
    record = _passage(
        "StaffPilot en NetVeilig moeten volgens de verwerkersovereenkomst een datalek bij hen zonder "
        "onredelijke vertraging aan ons melden (StaffPilot en NetVeilig binnen 48 uur).",
        "Datalekprocedure",
    )
    assert breach_term_findings([record], register, agreements, retired=["CVbank Online"]) == {}
    # without the retired system named as such, CVbank Online still lacks a term
    lacking = breach_term_findings([record], register, agreements)["LEK-04"]
    assert lacking.subjects == ["CVbank Online"]


def test_an_objection_only_by_ending_the_contract_is_a_weakness_of_sub_processor_control():
    question = CHECKLIST.get("VWK-03")
    text = (
        "De actuele lijst van subverwerkers staat in bijlage 2; nieuwe subverwerkers worden vooraf gemeld. "
        "Bezwaar tegen een nieuwe subverwerker kan alleen worden gemaakt door opzegging van de Overeenkomst."
    )
    assert judge(question, [text], neighbours=NEIGHBOURS).status == STATUS_PARTIAL
    fair = text.replace(
        "Bezwaar tegen een nieuwe subverwerker kan alleen worden gemaakt door opzegging van de Overeenkomst.",
        "De klant kan binnen 30 dagen bezwaar maken; komen partijen er niet uit, dan mag de klant opzeggen.",
    )
    assert judge(question, [fair], neighbours=NEIGHBOURS).status == STATUS_COMPLIES
