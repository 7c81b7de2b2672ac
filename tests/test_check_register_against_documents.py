"""Round 9: what the client's documents say against its register, and claims a consultant accepts.

A consultant compares the register with the documents: a retention schedule that keeps invoices 7 years
where the register says 2, a process description that names a legal duty where the register says
legitimate interest. Both become register warnings (``privacy.problems``), with the document's words.
Register facts a consultant knows are wrong (an employer recording the nature of an illness), a
client's record that every processor has an agreement, and a client's "er wordt geen kopie gemaakt" (what
REC-03 asks for) are read as a consultant reads them. The service-level tests use real SQLite, Chroma and
the embedder in a temp folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from check_support import checklist_before_migration, make_app

from assistant.app import App
from assistant.features.check.checklist import load_shipped_checklist
from assistant.features.check.crosscheck import breach_term_findings
from assistant.features.check.judge import judge, limitations
from assistant.features.check.model import (
    STATUS_COMPLIES,
    STATUS_PARTIAL,
    CheckAnswer,
    DocumentPassage,
    Evidence,
)
from assistant.features.privacy.durations import durations
from assistant.features.privacy.model import Activity, Controller, Recipient, Register
from assistant.features.privacy.register_conflicts import find_conflicts
from knowledge.scopes import client_scope

CHECKLIST = load_shipped_checklist()
TODAY = date(2026, 12, 5)
CLIENT = "Woonstichting Duinrand"


def _activity(name: str, **extra: Any) -> Activity:
    return Activity(name=name, purpose=f"doel van {name.lower()}", **{"legal_basis": "b", **extra})


def _register(*activities: Activity) -> Register:
    return Register(
        client=CLIENT, controller=Controller(name="Woonstichting Duinrand"), activities=list(activities)
    )


def _doc(text: str, document: str) -> DocumentPassage:
    return DocumentPassage(document, text)


def test_a_retention_schedule_against_the_register_names_both_terms():
    register = _register(
        _activity("Debiteurenbeheer en incasso", retention="2 jaar na betaling"),
        _activity(
            "Personeelsadministratie", retention="2 jaar na uitdiensttreding, loonadministratie 7 jaar"
        ),
        _activity("Kinddossier en observaties", retention="2 jaar na einde opvang"),
        _activity("Wachtlijst en plaatsing", retention="tot plaatsing"),
    )
    schedule = _doc(
        "2. Financiële gegevens\n\n"
        "Facturen, betalingen en incassodossiers: 7 jaar na afloop van het boekjaar (fiscale\n"
        "bewaarplicht).\n\n"
        "Pinbonnen en kasstaten: 7 jaar.\n\n"
        "Loonadministratie personeel: zeven jaar.\n\n"
        "| Gegevens | Bewaartermijn |\n|---|---|\n"
        "| Kinddossier: contract, plaatsing | 5 jaar na einde opvang |\n",
        "Bewaartermijnen",
    )
    conflicts = find_conflicts([schedule], register)
    assert [(c.activity, c.field) for c in conflicts] == [("Debiteurenbeheer en incasso", "bewaartermijn")]
    message = conflicts[0].message()
    assert "„2 jaar na betaling”" in message and "7 jaar na afloop van het boekjaar" in message
    assert "Bewaartermijnen" in message
    # "zeven jaar" is one of the register's two terms; the kinddossier row names two activities (not bound)
    assert durations("4 weken") == [28.0] and durations("zeven jaar") == [7 * 365.0]


def test_a_legal_duty_against_legitimate_interest_is_a_basis_warning():
    register = _register(
        _activity("Vroegsignalering betalingsachterstanden", legal_basis="f"),
        _activity("Huurincasso", legal_basis="b"),
    )
    process = _doc(
        "Op grond van de Wet gemeentelijke schuldhulpverlening zijn wij verplicht een betalingsachterstand "
        "door te geven aan de gemeente als de huur na de aanmaning nog niet is betaald, tenzij de huurder "
        "binnen die termijn een regeling heeft getroffen. Op grond van de fiscale wet bewaren wij facturen "
        "verplicht 7 jaar.",
        "Procesbeschrijving huurincasso",
    )
    [conflict] = find_conflicts([process], register)
    assert conflict.activity == "Vroegsignalering betalingsachterstanden" and conflict.field == "grondslag"
    assert (
        "f (gerechtvaardigd belang)" in conflict.message() and "wettelijke verplichting" in conflict.message()
    )
    contract = _register(_activity("Vroegsignalering betalingsachterstanden", legal_basis="c"))
    assert find_conflicts([process], contract) == []


def test_an_employer_recording_the_nature_of_an_illness_fails_special_data():
    from assistant.features.check.known import ClientKnowledge, known_answer

    question = CHECKLIST.get("GRS-04")
    documents = CheckAnswer("GRS-04", STATUS_COMPLIES, "", "")
    personnel = _activity(
        "Personeelsadministratie en verzuim",
        data_categories=["naam", "verzuimdagen", "reden van verzuim"],
        special_categories=["gezondheidsgegevens (reden van verzuim)"],
        art9_exception="b",
        data_subjects=["medewerkers"],
    )
    answer = known_answer(question, ClientKnowledge(CLIENT, _register(personnel), None), documents)
    assert answer is not None and answer.status == STATUS_PARTIAL
    assert "Personeelsadministratie en verzuim" in answer.rationale and "bedrijfsarts" in answer.rationale
    without = _activity(
        "Personeelsadministratie",
        data_categories=["naam", "verzuimdagen (zonder diagnose)"],
        data_subjects=["medewerkers"],
    )
    plain = known_answer(question, ClientKnowledge(CLIENT, _register(without), None), documents)
    assert plain is not None and "bedrijfsarts" not in plain.rationale


def test_a_copy_not_made_is_what_rec_03_asks_not_a_limitation():
    question = CHECKLIST.get("REC-03")
    text = (
        "Bij een verzoek aan de balie toont de huurder een identiteitsbewijs; de medewerker noteert alleen "
        "dat de identiteit is gecontroleerd, er wordt geen kopie gemaakt."
    )
    assert limitations(question, [text]) == []
    copies = "Een kopie van het identiteitsbewijs vragen wij nog niet op een veilige manier op."
    assert limitations(question, [copies])  # a limitation about the copies themselves stays one
    verdict = judge(question, [text], TODAY, CHECKLIST.questions)
    assert "De klant schrijft dat een deel niet gebeurt" not in verdict.explanation()


def test_the_clients_statement_for_all_agreements_covers_the_ones_not_in_the_dossier():
    statement = _doc(
        "Alle verwerkersovereenkomsten bevatten de verplichting om een datalek zonder onredelijke vertraging "
        "en uiterlijk binnen 24 uur te melden.",
        "Procedure datalekken",
    )
    register = _register(
        _activity("Huurdersadministratie", recipients=[Recipient("Woonsoft B.V.", "verwerker")]),
        _activity("Salaris", recipients=[Recipient("Loonhuis B.V.", "verwerker")]),
    )
    agreements: dict[str, Evidence | None] = {"Woonsoft B.V.": None, "Loonhuis B.V.": None}
    assert breach_term_findings([statement], register, agreements) == {}
    assert "LEK-04" in breach_term_findings([], register, agreements)  # without it: not shown, a gap


def test_a_bare_not_done_after_the_subject_is_an_admission():
    from assistant.features.check.polarity import admissions

    minutes = "DPIA: Kim heeft gekeken wat een DPIA is, lijkt iets voor ziekenhuizen. Niet gedaan."
    assert admissions(minutes, CHECKLIST.get("DPIA-03"), CHECKLIST.questions) == [minutes]
    other = "De back-up staat in Frankfurt. Niet gedaan."
    assert admissions(other, CHECKLIST.get("DPIA-03"), CHECKLIST.questions) == []


def test_an_unsure_or_draft_agreement_cell_is_no_agreement():
    from assistant.features.check.evidence import agreement_denied, unsigned

    table = (
        "| wie | wat doen ze | contract / verwerkersovereenkomst? |\n"
        "|---|---|---|\n"
        "| SalonPlanner B.V. | agenda | JA, zit bij het abonnement, getekend 2021 |\n"
        "| Appelboom Digital | app | CONCEPT ligt er, nog niet ondertekend |\n"
        "| MailMolen | nieuwsbrief | akkoord gegeven bij aanmelden (vinkje), geen apart papier |\n"
        "| Kempen Alarm B.V. | camera's | er is een overeenkomst, weet niet of privacy erin staat |\n"
        "| Administratiekantoor De Vries | salaris | ja denk ik? navragen |\n"
    )
    assert not agreement_denied(table, "salonplanner b v")
    for name in ("appelboom digital", "mailmolen", "kempen alarm b v", "administratiekantoor de vries"):
        assert agreement_denied(table, name), name
    assert unsigned(
        "Verwerkersovereenkomst Knipwerk-app CONCEPT v0.3 — 14 februari 2024 — nog niet ondertekend"
    )
    assert not unsigned("Verwerkersovereenkomst SalonPlanner, getekend op 3 maart 2021")


NOTES = """# Privacybeleid Woonstichting Duinrand

## Verwerkers

Met alle verwerkers is een verwerkersovereenkomst gesloten; het overzicht is volledig.
"""
AGREEMENT = """# Verwerkersovereenkomst Woonsoft

Verwerkersovereenkomst tussen Woonsoft Systems B.V. en Woonstichting Duinrand. Verwerker verwerkt de
persoonsgegevens alleen op schriftelijke instructie van Verwerkingsverantwoordelijke.
"""
SCHEDULE = """# Bewaarbeleid Woonstichting Duinrand

Facturen, betalingen en incassodossiers: 7 jaar na afloop van het boekjaar.
"""
REGISTER = """klant: Woonstichting Duinrand
organisatie:
  naam: Woonstichting Duinrand
  adres: Duinweg 1, 2000 AA Haarlem
  email: privacy@duinrand.nl
verwerkingen:
  - naam: Huurdersadministratie
    doel: wij beheren de huurovereenkomst
    grondslag: b
    gegevens: [naam, adres]
    betrokkenen: [huurders]
    ontvangers:
      - naam: Woonsoft Systems B.V. (Vastgoed365, Mijn Duinrand)
        soort: verwerker
      - naam: WoonMatch Noord
        soort: verwerker
    bewaartermijn: 2 jaar na einde huur
  - naam: Debiteurenbeheer en incasso
    doel: wij innen de huur
    grondslag: b
    gegevens: [naam, betaalgegevens]
    betrokkenen: [huurders]
    bewaartermijn: 2 jaar na betaling
"""


SALON = "Kapsalon Knip"
SALON_NOTES = """# Privacybeleid Kapsalon Knip

Met al onze leveranciers hebben wij een verwerkersovereenkomst.
"""
SALON_DRAFT = """# Verwerkersovereenkomst Knip-app

**CONCEPT v0.3 — 14 februari 2024 — nog niet ondertekend**

Partijen: Kapsalon Knip en Appelboom Digital V.O.F., die de Knip-app bouwt en host.
"""
SALON_REGISTER = """klant: Kapsalon Knip
organisatie:
  naam: Kapsalon Knip
  adres: Markt 1, 5611 AA Eindhoven
  email: info@knip.nl
verwerkingen:
  - naam: Knip-app
    doel: klanten maken een afspraak in de app
    grondslag: b
    gegevens: [naam, e-mailadres]
    betrokkenen: [klanten]
    ontvangers:
      - naam: Appelboom Digital V.O.F.
        soort: verwerker
    bewaartermijn: 2 jaar na het laatste bezoek
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[App]:
    workdir = tmp_path_factory.mktemp("register-against-documents")
    application = make_app(workdir / "data", embedder)
    files = []
    for name, text in (
        ("privacybeleid.md", NOTES),
        ("verwerkersovereenkomst-woonsoft.md", AGREEMENT),
        ("bewaarbeleid.md", SCHEDULE),
    ):
        path = workdir / name
        path.write_text(text, encoding="utf-8")
        files.append(path)
    report = application.ingest.ingest(files, client_scope(CLIENT), actor="test")
    assert report.documents == 3, report.summary()
    register = workdir / "register.yaml"
    register.write_text(REGISTER, encoding="utf-8")
    application.privacy.import_register(register, "test", client=CLIENT)
    salon = workdir / "salon"
    salon.mkdir()
    (salon / "privacybeleid-knip.md").write_text(SALON_NOTES, encoding="utf-8")
    (salon / "verwerkersovereenkomst-appelboom.md").write_text(SALON_DRAFT, encoding="utf-8")
    report = application.ingest.ingest(sorted(salon.glob("*.md")), client_scope(SALON), actor="test")
    assert report.documents == 2, report.summary()
    (salon / "register.yaml").write_text(SALON_REGISTER, encoding="utf-8")
    application.privacy.import_register(salon / "register.yaml", "test", client=SALON)
    yield application
    application.close()


def test_register_warnings_name_the_conflicting_term(app: App):
    problems = [str(p) for p in app.privacy.problems(CLIENT)]
    conflict = next(p for p in problems if "bewaartermijn wijkt af" in p)
    assert conflict.startswith("Verwerking 'Debiteurenbeheer en incasso'")
    assert "7 jaar na afloop van het boekjaar" in conflict


def test_the_check_names_the_conflict_under_the_register_question(app: App):
    answer = app.check.run(CLIENT, "consultant-x").answer("REG-02")
    assert answer is not None and answer.status == STATUS_PARTIAL
    assert "Het register wijkt af van de documenten" in answer.rationale
    assert "'Debiteurenbeheer en incasso': bewaartermijn wijkt af" in answer.rationale
    # The document sentence is evidence the consultant can open, not only a quote in the rationale.
    shown = [e for e in answer.evidence if "7 jaar na afloop van het boekjaar" in e.quote]
    assert shown, [e.quote for e in answer.evidence]
    assert shown[0].document == "Bewaarbeleid Woonstichting Duinrand"
    assert shown[0].chunk_id, "the evidence links to the stored passage it comes from"


def test_agreements_found_and_claimed_for_all(app: App):
    run = app.check.run(CLIENT, "consultant-x")
    answer = run.answer("VWK-01")
    assert answer is not None and answer.status == STATUS_COMPLIES, answer and answer.rationale
    # the agreement is found although the register's name has a comma inside its brackets ...
    assert "Woonsoft" not in answer.rationale.split("niet in het dossier:")[-1]
    # ... and the other processor is named to be requested, on the client's own record
    assert "WoonMatch Noord" in answer.rationale and "Vraag die overeenkomsten op" in answer.rationale
    assert "Met alle verwerkers is een verwerkersovereenkomst gesloten" in answer.rationale


def test_migration_10_brings_the_client_words_into_unedited_questions(tmp_path: Path) -> None:
    from assistant.features.check.checklist_store import ChecklistStore

    def as_previous_release(items: list[dict[str, Any]]) -> None:
        for item in items:  # release 9 did not know these words
            if item["id"] in ("GRS-04", "REG-03"):
                item["key_terms"] = [
                    t.replace("|zwanger", "|x-zwanger").replace("|doorgelopen", "") for t in item["key_terms"]
                ]

    path = tmp_path / "compliancy.sqlite3"
    checklist_before_migration(path, 10, as_previous_release, ("BWS-02", "Eigen vraag over geheimhouding"))
    store = ChecklistStore(path)
    assert [v.author for v in store.versions()] == ["meegeleverd", "Kennisbeheerder K", "meegeleverd"]
    assert "ronde 9" in store.versions()[-1].note
    current = store.current()
    assert current.get("GRS-04") == CHECKLIST.get("GRS-04") and current.get("REG-03") == CHECKLIST.get(
        "REG-03"
    )
    assert current.get("BWS-02").question == "Eigen vraag over geheimhouding"
    assert [v.version for v in ChecklistStore(path).versions()] == [1, 2, 3]


def test_a_draft_agreement_is_no_agreement_and_the_claim_does_not_cover_it(app: App):
    answer = app.check.run(SALON, "consultant-x").answer("VWK-01")
    assert answer is not None and answer.status != STATUS_COMPLIES, answer and answer.rationale
    assert "Appelboom Digital" in answer.rationale
