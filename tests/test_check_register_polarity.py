"""The Compliancy Check with what the tool knows (register) and with the client's own admissions.

A client with the register of ``tests/fixtures/privacy/webshop-zonnig.yaml`` and one policy document
that admits gaps ("Een DPIA is niet uitgevoerd", "geen belangenafweging") and says "wij bewaren geen
gegevens langer dan nodig" (no admission). Real SQLite, Chroma and embedder in a temp folder.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from check_support import FIXTURES, make_app

from assistant.app import App
from assistant.features.check.checklist import load_shipped_checklist
from assistant.features.check.export import CONCEPT_LINE, to_markdown
from assistant.features.check.known import REGISTER_DOCUMENT
from assistant.features.check.model import (
    LABEL_ADMISSION,
    POLARITY_ADMITS_GAP,
    STATUS_COMPLIES,
    STATUS_FAILS,
    STATUS_NOT_APPLICABLE,
    CheckRun,
)
from assistant.features.check.polarity import admissions
from assistant.features.check.review import ACTION_ACCEPT
from assistant.features.word_layout import CONCEPT_MARK
from assistant.ops.check_evaluation import evaluate_dossier, table, totals
from knowledge.scopes import client_scope

CLIENT = "Webshop Zonnig"
REGISTER = FIXTURES.parent / "privacy" / "webshop-zonnig.yaml"
POLICY = """# Privacyafspraken Webshop Zonnig

## Risico's en DPIA

Voor de koppeling met het klantenplatform is een risico-inschatting besproken. Een DPIA is niet
uitgevoerd; dat staat voor volgend jaar op de planning.

## Gerechtvaardigd belang

Voor de klantenservice gebruiken wij gerechtvaardigd belang als grondslag, maar er is geen
belangenafweging vastgelegd.

## Bewaren

Wij bewaren geen gegevens langer dan nodig voor de bestelling en de fiscale bewaarplicht.
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[App]:
    workdir = tmp_path_factory.mktemp("register-check")
    application = make_app(workdir / "data", embedder)
    application.settings.consultancy_name = "Adviesbureau Privacy Plus"
    policy = workdir / "privacyafspraken.md"
    policy.write_text(POLICY, encoding="utf-8")
    report = application.ingest.ingest([policy], client_scope(CLIENT), actor="test")
    assert report.documents == 1, report.summary()
    application.privacy.import_register(REGISTER, "test", client=CLIENT)
    yield application
    application.close()


@pytest.fixture(scope="module")
def run(app: App) -> CheckRun:
    return app.check.run(CLIENT, "consultant-x")


def test_negation_scope_admission_or_not():
    checklist = load_shipped_checklist()
    assert admissions("Een DPIA is niet uitgevoerd.", checklist.get("DPIA-02"))
    assert admissions("Een overzicht van eerdere incidenten houden wij niet bij.", checklist.get("LEK-02"))
    assert admissions("Er is geen belangenafweging gemaakt.", checklist.get("GRS-03"))
    assert not admissions("Wij bewaren geen gegevens langer dan nodig.", checklist.get("BWT-01"))
    assert not admissions("Wij maken geen kopie van het identiteitsbewijs.", checklist.get("REC-03"))
    assert not admissions("Wie zich afmeldt, ontvangt geen aanbiedingen meer.", checklist.get("REC-04"))


def test_an_admission_is_about_the_head_of_a_compound_not_an_example_or_a_side_remark():
    checklist = load_shipped_checklist()
    no_register = "Een datalekregister wordt niet bijgehouden."
    assert admissions(no_register, checklist.get("LEK-02"))  # documenting breaches: yes
    for other in ("LEK-01", "LEK-03", "LEK-04"):  # the procedure, informing people, processors: no
        assert not admissions(no_register, checklist.get(other)), other
    assert admissions("Een datalekprocedure ontbreekt.", checklist.get("LEK-01"))
    assert admissions("Datalekken worden niet gedocumenteerd.", checklist.get("LEK-02"))
    assert admissions("Met Mailto hebben we geen verwerkersovereenkomst gesloten.", checklist.get("VWK-01"))
    assert not admissions(
        "Omdat we het systeem al hadden, is de FG er niet bij betrokken.", checklist.get("FG-01")
    )  # "niet bij" without "houden": the FG exists
    assert not admissions(
        "Wie eigenaar is van een verwerking, zoals de nieuwsbrief of het onderzoek, hebben we niet "
        "per verwerking vastgelegd.",
        checklist.get("REC-04"),
    )  # the newsletter is an example, not the topic


def test_an_admission_is_evidence_of_non_compliance_with_its_quote(run: CheckRun):
    for question in ("DPIA-02", "GRS-03"):
        answer = run.answer(question)
        assert answer is not None
        assert (answer.status, answer.label) == (STATUS_FAILS, LABEL_ADMISSION), question
        negative = [e for e in answer.evidence if e.polarity == POLARITY_ADMITS_GAP]
        assert negative and negative[0].document == "Privacyafspraken Webshop Zonnig"
        assert negative[0].quote in answer.rationale
    assert "Een DPIA is niet uitgevoerd" in run.answer("DPIA-02").evidence[0].quote
    assert "geen belangenafweging" in run.answer("GRS-03").evidence[0].quote
    # "geen gegevens langer dan nodig" is about data, not about retention periods: no admission
    retention = run.answer("BWT-01")
    assert all(e.polarity != POLARITY_ADMITS_GAP for e in retention.evidence)


def test_the_register_answers_reg_questions_citing_the_register(run: CheckRun):
    reg = run.answer("REG-01")
    assert reg.status == STATUS_COMPLIES
    assert reg.evidence[0].document == REGISTER_DOCUMENT
    assert "Nieuwsbrief" in reg.evidence[0].quote and "Bestellingen" in reg.evidence[0].quote
    assert run.answer("BWT-01").status == STATUS_COMPLIES  # every activity has a retention period
    processors = run.answer("VWK-01")
    assert processors.status == STATUS_FAILS
    assert {"Postduif Mailings", "PayFlow Inc.", "HelpDeskly"} <= set(processors.subjects)


def test_not_applicable_is_proposed_with_a_reason_and_left_out_of_score_and_plan(app: App, run: CheckRun):
    for question in ("GRS-04", "KIN-01", "CAM-01", "ADM-01"):
        answer = run.answer(question)
        assert answer.status == STATUS_NOT_APPLICABLE and answer.rationale, question
    report = app.check.report(run)
    na = {i.question.id for i in report.not_applicable}
    assert {"GRS-04", "KIN-01", "CAM-01"} <= na
    assert not na & {a.question_id for a in report.actions}
    scored = [i for i in report.items if i.answer.status != STATUS_NOT_APPLICABLE]
    points = {"voldoet": 1.0, "voldoet deels": 0.5}
    expected = round(100 * sum(points.get(i.answer.status, 0.0) for i in scored) / len(scored), 1)
    assert report.overall == expected
    kids = next(t for t in report.themes if t.theme == "Gegevens van kinderen")
    assert (kids.total, kids.not_applicable) == (0, 1)
    # actions name the client's own processors and are ranked by risk
    plan = {a.question_id: a for a in report.actions}
    assert "PayFlow Inc." in plan["VWK-01"].measure
    order = {"hoog": 0, "midden": 1, "laag": 2}
    assert [order[a.risk] for a in report.actions] == sorted(order[a.risk] for a in report.actions)


def test_unreviewed_exports_are_concept_without_total_score(app: App, run: CheckRun, tmp_path: Path):
    markdown = to_markdown(app.check.report(run))
    assert CONCEPT_LINE in markdown and "Totaalscore" not in markdown
    assert "## Onderzochte documenten" in markdown and "Privacyafspraken Webshop Zonnig" in markdown
    docx = app.check.export(run, tmp_path / "concept.docx", "docx", 600, "consultant-x")
    with zipfile.ZipFile(docx) as archive:
        headers = [archive.read(n).decode() for n in archive.namelist() if n.startswith("word/header")]
        everything = " ".join(archive.read(n).decode(errors="ignore") for n in archive.namelist())
        core = archive.read("docProps/core.xml").decode()
        document = archive.read("word/document.xml").decode()
    assert any(CONCEPT_MARK in h for h in headers)
    assert "Totaalscore" not in document
    assert "Adviesbureau Privacy Plus" in core and "python-docx" not in core
    assert "consultant-x" not in everything  # no login names anywhere in the document
    assert "11906" in document  # A4 page width in twentieths of a point


def test_fully_reviewed_exports_are_final_with_total_score(app: App, tmp_path: Path):
    run = app.check.run(CLIENT, "consultant-x")
    for answer in run.answers:
        app.check.review(run, answer.question_id, ACTION_ACCEPT, "consultant-x")
    report = app.check.report(run)
    assert report.final and report.previous is not None
    markdown = to_markdown(report)
    assert CONCEPT_LINE not in markdown and "Totaalscore" in markdown
    docx = app.check.export(run, tmp_path / "definitief.docx", "docx", 600, "consultant-x")
    with zipfile.ZipFile(docx) as archive:
        headers = " ".join(
            archive.read(n).decode() for n in archive.namelist() if n.startswith("word/header")
        )
        document = archive.read("word/document.xml").decode()
    assert CONCEPT_MARK not in headers and "consultant-x" not in document


def test_dossier_measurement_on_the_fixture_dossiers(embedder, tmp_path: Path):
    results = [
        evaluate_dossier(FIXTURES / name, embedder, tmp_path / name) for name in ("webshop", "tandarts")
    ]
    summary = totals(results)
    # floors reached on these dossiers (README); held-out targets are 88% / 80% / 90%
    # (since the judge of requirements: recall 89%, precision 93% — was 82% / 100% with "onbekend")
    assert summary["gevangen_aandeel"] >= 1.0
    assert summary["recall"] >= 0.85
    assert summary["precisie"] >= 0.9
    assert all(len(r.gaps) == 6 for r in results)


def test_a_register_that_cannot_be_imported_does_not_stop_the_measurement(embedder, tmp_path: Path):
    """One dossier's register with a value the import refuses: that dossier is measured without it (and
    says why), the others as always."""
    broken = tmp_path / "fysiotherapie"
    shutil.copytree(FIXTURES / "fysiotherapie", broken)
    register = broken / "register.yaml"
    text = register.read_text(encoding="utf-8")
    register.write_text(text.replace("grondslag: b", "grondslag: omdat het moet", 1), encoding="utf-8")
    result = evaluate_dossier(broken, embedder, tmp_path / "data")
    assert "Onbekende grondslag 'omdat het moet'" in result.register_error
    assert result.gaps and result.consultant_gaps  # the check ran and was measured
    assert "register niet ingelezen, de check liep zonder" in table([result])
