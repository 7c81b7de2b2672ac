"""The Compliancy Check end to end on two fictitious clients, without a language model.

One module-scoped knowledge base holds the webshop's and the dental practice's documents in
their own client scopes, plus our guidance notes on data breaches, DPIA and the FG in
``algemeen`` (evidence that must never count for a client).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from check_support import DENTIST, WEBSHOP, ingest_client, make_app
from docx import Document

from assistant.app import App
from assistant.features.accounts.access import AccessDenied
from assistant.features.accounts.users import Role, User
from assistant.features.audit.log import AuditFilter, EventType
from assistant.features.check.checklist import key_terms_match
from assistant.features.check.evidence import EvidenceConfig, search_text
from assistant.features.check.export import money, to_docx, to_markdown
from assistant.features.check.model import (
    LABEL_EVIDENCE,
    LABEL_JUDGED,
    LABEL_NO_EVIDENCE,
    REVIEW_ACCEPTED,
    REVIEW_EDITED,
    REVIEW_NONE,
    REVIEW_REJECTED,
    STATUS_COMPLIES,
    STATUS_FAILS,
    STATUS_PARTIAL,
    STATUS_UNKNOWN,
    CheckRun,
)
from assistant.features.check.report import OUTCOME_IMPROVED, OUTCOME_REGRESSED, effort_for
from assistant.features.check.review import (
    ACTION_ACCEPT,
    ACTION_COMMENT,
    ACTION_EDIT,
    ACTION_REJECT,
    CheckReviewError,
)
from assistant.features.check.service import CheckService
from assistant.features.check.store import CheckNotFoundError
from assistant.interfaces.web.tabs.check import CheckTab
from knowledge.scopes import GENERAL_SCOPE, client_scope
from knowledge.starter_pack import STARTER_DIR

# question id -> (document title, page or -1, words the quote must contain)
WEBSHOP_EVIDENCE = {
    "GRS-02": ("Procesbeschrijving bestellen en klantenservice", -1, "toestemming voor de nieuwsbrief"),
    "REC-03": ("Procesbeschrijving bestellen en klantenservice", -1, "identiteit"),
    "REC-04": ("Procesbeschrijving bestellen en klantenservice", -1, "afmeldlink"),
    "VWK-01": ("Verwerkersovereenkomst Webshop Zeewind en CloudStal BV", -1, "ondertekend"),
    "VWK-03": ("Verwerkersovereenkomst Webshop Zeewind en CloudStal BV", -1, "subverwerkers"),
    "LEK-04": ("Verwerkersovereenkomst Webshop Zeewind en CloudStal BV", -1, "binnen 24 uur"),
    "BEV-03": ("Maatregelen informatiebeveiliging Webshop Zeewind", -1, "versleuteld"),
    "BEV-04": ("Maatregelen informatiebeveiliging Webshop Zeewind", -1, "back-up"),
    "BWT-01": ("Bewaarbeleid Webshop Zeewind", 1, "zeven jaar bewaard"),
    "BWT-02": ("Bewaarbeleid Webshop Zeewind", 2, "automatisch verwijderd"),
}
WEBSHOP_GAPS = ["LEK-01", "LEK-02", "DPIA-01", "FG-01", "BWS-01", "DGF-02"]
DENTIST_EVIDENCE = {
    "GRS-04": ("Procesbeschrijving patiëntenadministratie", -1, "artikel 9 lid 2 sub h"),
    "REC-03": ("Procesbeschrijving patiëntenadministratie", -1, "identiteitsbewijs"),
    "VWK-01": ("Verwerkersovereenkomst DentaSoft BV", -1, "verwerkersovereenkomst"),
    "LEK-01": ("Datalekprocedure Tandartspraktijk De Glimlach", -1, "binnen 72 uur"),
    "LEK-02": ("Datalekprocedure Tandartspraktijk De Glimlach", -1, "datalekregister"),
    "LEK-03": ("Datalekprocedure Tandartspraktijk De Glimlach", -1, "informeren"),
    "FG-01": ("Procesbeschrijving patiëntenadministratie", -1, "functionaris gegevensbescherming"),
    "BWS-02": ("Procesbeschrijving patiëntenadministratie", -1, "geheimhoudingsverklaring"),
    "BWT-01": ("Bewaarbeleid Tandartspraktijk De Glimlach", 1, "twintig jaar"),
}
DENTIST_GAPS = ["REG-01", "BWS-01", "DGF-01", "DPIA-01", "REC-04", "VWK-03"]
GUIDANCE = ["01-datalekken.md", "08-dpia.md", "09-functionaris-gegevensbescherming.md"]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[App]:
    workdir = tmp_path_factory.mktemp("check")
    application = make_app(workdir / "data", embedder)
    ingest_client(application, WEBSHOP, "webshop", workdir)
    ingest_client(application, DENTIST, "tandarts", workdir)
    report = application.ingest.ingest(
        [STARTER_DIR / name for name in GUIDANCE], GENERAL_SCOPE, kind="richtlijn", actor="test"
    )
    assert report.added == len(GUIDANCE), report.summary()
    yield application
    application.close()


@pytest.fixture(scope="module")
def service(app: App) -> CheckService:
    return CheckService(app.retriever, app.settings.data_dir, audit=app.audit)


@pytest.fixture(scope="module")
def webshop_run(service: CheckService) -> CheckRun:
    return service.run(WEBSHOP, "Consultant C")


@pytest.fixture(scope="module")
def dentist_run(service: CheckService) -> CheckRun:
    return service.run(DENTIST, "Consultant C")


def _squash(text: str) -> str:
    return " ".join(text.split())


def _assert_evidence(run: CheckRun, planted: dict[str, tuple[str, int, str]]) -> None:
    for question_id, (document, page, words) in planted.items():
        answer = run.answer(question_id)
        assert answer is not None
        # found evidence is judged against the question's requirements (or left onbekend without them)
        assert answer.label in (LABEL_EVIDENCE, LABEL_JUDGED), question_id
        assert answer.status in (STATUS_UNKNOWN, STATUS_COMPLIES, STATUS_PARTIAL), question_id
        matching = [
            e for e in answer.evidence if e.document == document and e.page == page and words in e.quote
        ]
        assert matching, (question_id, [(e.source_label(), e.quote) for e in answer.evidence])
        for evidence in answer.evidence:  # every quote is literal text of its passage
            assert _squash(evidence.quote.removesuffix(" …")) in _squash(evidence.passage)


def _assert_gaps(run: CheckRun, gaps: list[str]) -> None:
    for question_id in gaps:
        answer = run.answer(question_id)
        assert answer is not None
        assert (answer.status, answer.label, answer.evidence) == (STATUS_FAILS, LABEL_NO_EVIDENCE, []), (
            question_id,
            [(e.source_label(), e.quote) for e in answer.evidence],
        )
        assert "art. 5 lid 2 AVG" in answer.rationale


def test_webshop_evidence_is_found_with_document_page_and_quote(webshop_run: CheckRun):
    assert webshop_run.client == WEBSHOP and len(webshop_run.answers) == 45
    _assert_evidence(webshop_run, WEBSHOP_EVIDENCE)


def test_webshop_gaps_are_reported_as_no_evidence(webshop_run: CheckRun):
    _assert_gaps(webshop_run, WEBSHOP_GAPS)


def test_dentist_evidence_is_found_with_document_page_and_quote(dentist_run: CheckRun):
    _assert_evidence(dentist_run, DENTIST_EVIDENCE)


def test_dentist_gaps_are_reported_as_no_evidence(dentist_run: CheckRun):
    _assert_gaps(dentist_run, DENTIST_GAPS)


def test_evidence_comes_only_from_the_clients_own_scope(
    app: App, service: CheckService, webshop_run: CheckRun, dentist_run: CheckRun
):
    titles = {
        WEBSHOP: {r.title for r in app.kb.registry.list(client_scope(WEBSHOP))},
        DENTIST: {r.title for r in app.kb.registry.list(client_scope(DENTIST))},
    }
    for run in (webshop_run, dentist_run):
        for answer in run.answers:
            for evidence in answer.evidence:
                assert evidence.scope == client_scope(run.client)
                assert evidence.document in titles[run.client]
    # The dentist's breach procedure and our breach/DPIA/FG guidance would match, but never count.
    checklist = service.checklists.current()
    for question_id in ("LEK-01", "DPIA-01", "FG-01"):
        question = checklist.get(question_id)
        wider = app.retriever.retrieve(search_text(question), [client_scope(WEBSHOP), GENERAL_SCOPE], k=10)
        assert any(
            c.metadata["scope"] == GENERAL_SCOPE and key_terms_match(c.text, question.key_terms)
            for c in wider.chunks
        ), question_id
        assert webshop_run.answer(question_id).evidence == []


def test_well_ranked_but_unrelated_passages_do_not_count(
    app: App, service: CheckService, webshop_run: CheckRun
):
    """Fused scores are relative: the webshop's best hit for a DPIA question still ranks high."""
    question = service.checklists.current().get("DPIA-01")
    result = app.retriever.retrieve(search_text(question), [client_scope(WEBSHOP)], k=10)
    assert result.chunks[0].score >= EvidenceConfig().min_score
    assert not any(key_terms_match(c.text, question.key_terms) for c in result.chunks)
    assert webshop_run.answer("DPIA-01").evidence == []


def test_client_without_documents_is_refused(service: CheckService):
    with pytest.raises(CheckNotFoundError, match="geen documenten"):
        service.run("Klant Zonder Documenten", "Consultant C")
    with pytest.raises(CheckNotFoundError, match="nog geen Compliancy Check"):
        service.latest("Klant Zonder Documenten")


def test_retrieval_is_asked_for_the_client_scope_only(app: App, tmp_path: Path):
    class RecordingRetriever:
        def __init__(self) -> None:
            self.scopes: list[list[str]] = []
            self.kb = app.retriever.kb  # the check also reads the unranked passages of the same scope

        def retrieve(self, question: str, scopes: list[str], k: int = 10) -> Any:
            self.scopes.append(list(scopes))
            return app.retriever.retrieve(question, scopes, k)

    recorder = RecordingRetriever()
    spy = CheckService(recorder, tmp_path, audit=app.audit)  # type: ignore[arg-type]
    checklist = spy.checklists.current()
    spy.assess(checklist.get("LEK-01"), f"klant:{DENTIST}")
    spy.assess(checklist.get("BWT-01"), WEBSHOP)
    assert recorder.scopes == [[client_scope(DENTIST)], [client_scope(WEBSHOP)]]


def test_review_accept_edit_reject_comment_with_who_and_when(service: CheckService, dentist_run: CheckRun):
    edited = service.review(
        dentist_run,
        "LEK-01",
        ACTION_EDIT,
        "Consultant A",
        STATUS_COMPLIES,
        "Procedure is volledig.",
        "akkoord",
    )
    assert (edited.status, edited.rationale, edited.review_state) == (
        STATUS_COMPLIES,
        "Procedure is volledig.",
        REVIEW_EDITED,
    )
    assert edited.reviewer == "Consultant A" and edited.reviewed_at
    accepted = service.review(dentist_run, "FG-01", ACTION_ACCEPT, "Consultant B")
    assert (accepted.status, accepted.review_state) == (accepted.proposal.status, REVIEW_ACCEPTED)
    partial = service.review(dentist_run, "GRS-04", ACTION_EDIT, "Consultant B", STATUS_PARTIAL)
    assert partial.status == STATUS_PARTIAL and partial.rationale == partial.proposal.rationale
    rejected = service.review(
        dentist_run, "BWS-01", ACTION_REJECT, "Consultant A", comment="training bestaat"
    )
    assert (rejected.status, rejected.review_state) == (STATUS_UNKNOWN, REVIEW_REJECTED)
    commented = service.review(
        dentist_run, "REG-01", ACTION_COMMENT, "Consultant B", comment="register opvragen"
    )
    assert commented.review_state == REVIEW_NONE and commented.status == STATUS_FAILS
    assert "register opvragen" in commented.comments[0] and "Consultant B" in commented.comments[0]

    history = service.history(dentist_run, "LEK-01")
    assert [(e.action, e.reviewer, e.changes["status"]) for e in history] == [
        (ACTION_EDIT, "Consultant A", STATUS_COMPLIES)
    ]
    reopened = CheckService(service.finder.retriever, service.runs.path.parent, audit=service.audit)
    again = {a.question_id: a for a in reopened.reviewed(reopened.latest(DENTIST))}
    assert again["LEK-01"].status == STATUS_COMPLIES and again["BWS-01"].review_state == REVIEW_REJECTED

    with pytest.raises(CheckReviewError):
        service.review(dentist_run, "XYZ-99", ACTION_ACCEPT, "Consultant A")
    with pytest.raises(CheckReviewError):
        service.review(dentist_run, "LEK-01", ACTION_EDIT, "Consultant A", "prima")
    with pytest.raises(CheckReviewError):
        service.review(dentist_run, "LEK-01", ACTION_ACCEPT, " ")


def test_report_scores_gaps_plan_and_cost(service: CheckService, webshop_run: CheckRun):
    service.review(webshop_run, "BWT-01", ACTION_EDIT, "Consultant A", STATUS_COMPLIES)
    service.review(webshop_run, "BWT-02", ACTION_EDIT, "Consultant A", STATUS_PARTIAL)
    report = service.report(webshop_run, day_rate=750)
    retention = next(t for t in report.themes if t.theme == "Bewaartermijnen")
    assert (retention.score, retention.complies, retention.partial) == (75.0, 1, 1)
    assert len(report.themes) == 17
    gap_ids = [g.question.id for g in report.gaps]
    assert set(WEBSHOP_GAPS) <= set(gap_ids) and "BWT-02" in gap_ids and "BWT-01" not in gap_ids
    assert gap_ids.index("LEK-01") < gap_ids.index("BWT-02")  # voldoet niet before voldoet deels
    plan = {a.question_id: a for a in report.actions}
    dpia = service.checklists.current().get("DPIA-01")
    assert plan["DPIA-01"].effort_days == dpia.effort_days and plan["DPIA-01"].cost == dpia.effort_days * 750
    assert plan["BWT-02"].effort_days == effort_for(STATUS_PARTIAL, 2.0) == 1.0
    assert report.total_days == sum(a.effort_days for a in report.actions)
    assert report.total_cost == report.total_days * 750
    assert report.unreviewed == sum(i.answer.review_state == REVIEW_NONE for i in report.items) <= 43
    assert service.report(webshop_run).day_rate == 600


def test_docx_report_opens_and_holds_scores_gaps_plan_and_cost(
    service: CheckService, webshop_run: CheckRun, tmp_path: Path
):
    report = service.report(webshop_run)
    path = to_docx(report, tmp_path / "rapport.docx")
    document = Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Score per thema" in text and "Gaten" in text and "Actieplan" in text
    assert "Bewaartermijnen" in cells and "█" in cells and "%" in cells
    for gap in WEBSHOP_GAPS:
        assert gap in text and gap in cells
    assert money(report.total_cost) in cells and "Totaal" in cells
    assert "Dagtarief: € 600" in text
    assert "Bewaarbeleid Webshop Zeewind, p. 1" in text  # evidence cited with document and page


def test_markdown_report_has_the_same_sections(service: CheckService, webshop_run: CheckRun):
    markdown = to_markdown(service.report(webshop_run))
    for heading in (
        "## Score per thema",
        "## Gaten",
        "## Actieplan",
        "## Bevindingen per thema",
        "## Onderzochte documenten",
    ):
        assert heading in markdown
    assert "| Bewaartermijnen |" in markdown and "**LEK-01**" in markdown
    assert "„Facturen en bestelgegevens worden zeven jaar bewaard" in markdown


def test_comparison_shows_improvement_after_adding_a_document(app: App, embedder, tmp_path: Path):
    client = "Webshop Vervolg"
    ingest_client(app, client, "webshop", tmp_path)
    service = CheckService(app.retriever, tmp_path / "eigen-data", audit=app.audit)
    checklist = service.checklists.current()
    keep = ["LEK-01", "LEK-02", "LEK-04", "BWT-01", "DPIA-01"]
    service.checklists.save([checklist.get(q) for q in keep], "Kennisbeheerder K", "kort voor de test")
    first = service.run(client, "Consultant C")
    assert first.answer("LEK-01").status == STATUS_FAILS

    ingest_client(app, client, "webshop-aanvulling", tmp_path)
    second = service.run(client, "Consultant C")
    # the added procedure has the reporting point, the assessor and the 72 hours: judged voldoet (to review)
    assert (second.answer("LEK-01").status, second.answer("LEK-01").label) == (STATUS_COMPLIES, LABEL_JUDGED)
    assert second.answer("LEK-01").evidence[0].document == "Datalekprocedure Webshop Zeewind"
    service.review(second, "LEK-02", ACTION_EDIT, "Consultant A", STATUS_COMPLIES)

    report = service.report(second)
    assert report.previous is not None and report.previous.id == first.id
    outcomes = {c.question_id: c.outcome for c in report.changes}
    assert outcomes["LEK-01"] == OUTCOME_IMPROVED and outcomes["LEK-02"] == OUTCOME_IMPROVED
    assert OUTCOME_REGRESSED not in outcomes.values()
    assert "LEK-01: voldoet niet → voldoet (verbeterd)" in to_markdown(report)


def test_ui_handlers_show_review_and_export(app: App, webshop_run: CheckRun):
    tab = CheckTab(app, CheckService(app.retriever, app.settings.data_dir, audit=app.audit))
    consultant = User("consultant-d", Role.CONSULTANT, clients=frozenset({WEBSHOP}))
    message, summary, rows, choices, detail = tab.view(consultant, WEBSHOP)
    # no total score while answers are unreviewed (the report's rule): a CONCEPT line with the count
    assert message == "" and "Totaalscore" not in summary and len(rows) == 45
    reviewed = sum(1 for r in rows if r[4] != REVIEW_NONE)
    assert f"CONCEPT — {reviewed} van 45 beoordeeld" in summary
    assert "LEK-01" in str(choices) and detail.startswith("### GOV-01")
    message, summary, rows, _, detail = tab.review(consultant, ACTION_ACCEPT, WEBSHOP, "BEV-04", None, "", "")
    assert "opgeslagen" in message and "consultant-d" in detail
    assert f"CONCEPT — {reviewed + 1} van 45 beoordeeld" in summary and "Totaalscore" not in summary
    assert next(r for r in rows if r[0].startswith("BEV-04 — "))[4] == REVIEW_ACCEPTED
    message, *_ = tab.review(consultant, ACTION_EDIT, WEBSHOP, "BEV-04", "", "", "")
    assert message.startswith("**Fout:**")
    message, path = tab.export(consultant, WEBSHOP, 600, "docx")
    assert path is not None and Document(path).paragraphs
    assert not Path(path).resolve().is_relative_to(app.settings.data_dir.resolve())
    message, path = tab.export(consultant, WEBSHOP, None, "md")
    assert path is not None and Path(path).read_text(encoding="utf-8").startswith("# Compliancy Check")
    assert tab.checklist_view(consultant) == ("", [])  # consultants do not see the checklist editor
    events = app.audit.events(AuditFilter(user="consultant-d"))
    assert [e.event for e in events].count(EventType.EXPORT) == 2
    assert any(e.details.get("question") == "BEV-04" for e in events if e.event == EventType.COMPLIANCY_CHECK)

    stranger = User("otto", Role.CONSULTANT, clients=frozenset({"Andere Klant"}))
    for attempt in (
        lambda: tab.view(stranger, WEBSHOP),
        lambda: tab.review(stranger, ACTION_ACCEPT, WEBSHOP, "BEV-04", None, "", ""),
        lambda: tab.export(stranger, WEBSHOP, None, "md"),
        lambda: tab.run(stranger, WEBSHOP),
        lambda: tab.question_fields(consultant, "LEK-01"),
        lambda: tab.save_question(consultant, "LEK-01", "LEK-01", "t", "v", "", "", "m", 1, "lek", "nee"),
    ):
        with pytest.raises(AccessDenied):
            attempt()
    assert tab.clients(stranger) == [] and WEBSHOP in tab.clients(consultant)
    assert tab.checklist_view(User("mo", Role.MEDEWERKER)) == ("", [])
    editor = User("kees", Role.KENNISBEHEERDER)
    versions, questions = tab.checklist_view(editor)
    assert "versie 1" in versions and any(v == "LEK-01" and "datalek" in k.lower() for k, v in questions)
    fields = tab.question_fields(editor, "LEK-01")
    assert "|" not in fields[-1] and "," in fields[-1]  # key terms as plain words, alternatives by commas
    message, versions, _ = tab.save_question(editor, "LEK-01", "LEK-01", *fields[1:], "ongewijzigd")
    assert "versie 2" in message and "kees" in versions
    assert app.check.checklists.get(2).get("LEK-01") == app.check.checklists.get(1).get("LEK-01")
    with pytest.raises(AccessDenied):
        tab.view(editor, WEBSHOP)


def test_ui_tab_builds_inside_a_tab(tmp_path: Path):
    """Built in a subprocess: an in-process gradio Blocks leaves sockets open (warnings are errors here)."""
    script = (
        "import gradio as gr, sys\n"
        "from assistant.app import build_app\n"
        "from assistant.settings import Settings\n"
        "from assistant.interfaces.web.tabs.check import build_tab\n"
        "app = build_app(Settings(data_dir=sys.argv[1], llm_backend='none', chroma_url=None))\n"
        "with gr.Blocks() as ui, gr.Tab('Compliancy Check'):\n"
        "    build_tab(app)\n"
        "print(len(ui.fns), 'handlers')\n"
        "app.close()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AVG_")}
    env.update(AVG_CONFIG_FILE=str(tmp_path / "geen.toml"), GRADIO_ANALYTICS_ENABLED="False")
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "data")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).parents[1],
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[0]) >= 10
