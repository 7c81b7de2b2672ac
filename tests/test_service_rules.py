"""Rules in services: each change and question is audited once, whatever the entry point; one actor rule."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest

from assistant.app import App, build_app
from assistant.features.accounts.users import AccountError, Role, User
from assistant.features.audit.log import AUDIT_FILE, AuditLog, EventType
from assistant.features.documents.service import DocumentOptions
from assistant.interfaces.cli.main import main
from assistant.interfaces.web.tabs.admin import AdminActions
from assistant.settings import Settings

PASSWORD = "correct paard batterij niet"
CLIENT = "Webshop Noord"
SCOPE = f"klant:{CLIENT}"


def _policy(folder: Path, name: str = "bewaarbeleid.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("# Bewaarbeleid\n\nKlantgegevens bewaren wij zeven jaar na de laatste bestelling.\n")
    return path


def _kinds(audit: AuditLog) -> Counter[tuple[str, str, str]]:
    """(user, event, action) of every event but logins, counted."""
    return Counter(
        (e.user, e.event, str(e.details.get("action", "")))
        for e in audit.events()
        if e.event not in (EventType.LOGIN_SUCCEEDED, EventType.LOGIN_FAILED)
    )


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # noqa: ANN201
    monkeypatch.setenv("AVG_DATA_DIR", str(tmp_path / "data"))

    def run(*args: str, stdin: str = "") -> tuple[int, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(args))
        return code, capsys.readouterr().err

    return run


def test_cli_changes_and_questions_are_audited_once_by_the_services(cli, tmp_path: Path) -> None:  # noqa: ANN001
    policy = _policy(tmp_path / "in")
    assert cli("clients", "add", CLIENT)[0] == 0
    assert cli("ingest", str(policy), "--scope", SCOPE)[0] == 0
    assert cli("ask", "Hoe lang bewaren we klantgegevens?", "--client", CLIENT)[0] == 0
    doc_id = AuditLog(tmp_path / "data" / AUDIT_FILE).events()[1].details["document"]
    assert cli("docs", "retire", doc_id)[0] == 0
    audit = AuditLog(tmp_path / "data" / AUDIT_FILE)
    kinds = _kinds(audit)
    operator = next(iter(kinds))[0]
    assert operator.startswith("cli")  # the OS user, the same for every command
    assert kinds == Counter(
        {
            (operator, EventType.CLIENT_CHANGED, "aangemaakt"): 1,
            (operator, EventType.DOCUMENT_CHANGED, "toegevoegd"): 1,  # ingest: once, from IngestService
            (operator, EventType.QUESTION, ""): 1,  # ask: once, from ChatService
            (operator, EventType.DOCUMENT_CHANGED, "ingetrokken"): 1,
        }
    )
    [question] = [e for e in audit.events() if e.event == EventType.QUESTION]
    assert question.details["scopes"] == [SCOPE, "algemeen"]


def test_services_audit_each_change_once(tmp_path: Path, embedder) -> None:  # noqa: ANN001
    app = build_app(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    try:
        app.clients.add(CLIENT, actor="anna")
        report = app.documents.add_files(
            [_policy(tmp_path / "in")], SCOPE, DocumentOptions(kind="procesdocument"), actor="anna"
        )
        [result] = report.results
        app.documents.set_metadata(result.doc_id, owner="Piet", actor="anna")
        app.documents.retire(result.doc_id, actor="anna")
        app.documents.remove(result.doc_id, actor="anna")
        app.clients.archive(CLIENT, actor="bea")
        app.clients.activate(CLIENT, actor="bea")
        app.clients.rename(CLIENT, "Webshop Zuid", actor="bea")
        kinds = _kinds(app.audit)
    finally:
        app.close()
    expected = [
        ("anna", EventType.CLIENT_CHANGED, "aangemaakt"),
        ("anna", EventType.DOCUMENT_CHANGED, "toegevoegd"),
        ("anna", EventType.DOCUMENT_CHANGED, "gegevens gewijzigd"),
        ("anna", EventType.DOCUMENT_CHANGED, "ingetrokken"),
        ("anna", EventType.DOCUMENT_CHANGED, "gewist"),
        ("bea", EventType.CLIENT_CHANGED, "gearchiveerd"),
        ("bea", EventType.CLIENT_CHANGED, "geactiveerd"),
        ("bea", EventType.CLIENT_CHANGED, "hernoemd"),
    ]
    assert kinds == Counter(expected)


def _accounts(data_dir: Path) -> None:
    from assistant.features.accounts.users import USERS_FILE, ScryptParams, UserStore

    data_dir.mkdir(parents=True, exist_ok=True)
    users = UserStore(data_dir / USERS_FILE, kdf=ScryptParams(log2_n=10, r=8, p=1))
    users.add("anna", "consultant", PASSWORD, clients=[CLIENT])
    users.add("mo", "medewerker", PASSWORD)


def test_als_acts_as_the_account_only_with_its_password_and_rights(cli, tmp_path: Path) -> None:  # noqa: ANN001
    data = tmp_path / "data"
    _accounts(data)
    policy = _policy(tmp_path / "in")
    assert cli("clients", "add", CLIENT)[0] == 0
    add = ("docs", "add", str(policy), "--scope", SCOPE, "--als")

    code, err = cli(*add, "anna", "--wachtwoord-stdin", stdin="fout wachtwoord\n")
    assert code == 2 and "onjuist wachtwoord" in err
    code, err = cli(*add, "anna", stdin=PASSWORD + "\n")  # no terminal and no --wachtwoord-stdin
    assert code == 2 and "--wachtwoord-stdin" in err
    code, err = cli(*add, "mo", "--wachtwoord-stdin", stdin=PASSWORD + "\n")
    assert code == 2 and "klantdocumenten beheren hoort niet bij de rol medewerker" in err
    code, err = cli(
        "clients", "add", "Bakkerij", "--als", "anna", "--wachtwoord-stdin", stdin=PASSWORD + "\n"
    )
    assert code == 2 and "klanten beheren" in err
    assert cli(*add, "anna", "--wachtwoord-stdin", stdin=PASSWORD + "\n")[0] == 0

    audit = AuditLog(data / AUDIT_FILE)
    changes = [e for e in audit.events() if e.event == EventType.DOCUMENT_CHANGED]
    assert [(e.user, e.scope) for e in changes] == [("anna", SCOPE)]
    refused = [(e.user, e.details["action"]) for e in audit.events() if e.event == EventType.ACCESS_DENIED]
    assert refused == [("mo", "documenten toevoegen"), ("anna", "klanten add")]
    assert [e.user for e in audit.events() if e.event == EventType.LOGIN_FAILED] == ["anna"]


def test_door_is_gone(cli) -> None:  # noqa: ANN001
    with pytest.raises(SystemExit):
        main(["check", "run", "--client", CLIENT, "--door", "iemand anders"])


def _admin_app(tmp_path: Path, embedder) -> App:  # noqa: ANN001
    return build_app(Settings(data_dir=tmp_path / "data"), embedder=embedder)


def test_beheer_tab_gets_the_store_rules(tmp_path: Path, embedder) -> None:  # noqa: ANN001
    app = _admin_app(tmp_path, embedder)
    try:
        app.users.add("bea", "beheerder", PASSWORD)
        app.users.add("anna", "medewerker", PASSWORD)
        actions = AdminActions(app)
        bea = User("bea", Role.BEHEERDER)
        with pytest.raises(AccountError, match="eigen account"):
            actions.remove(bea, "bea", True)
        with pytest.raises(AccountError, match="laatste beheerder"):
            actions.set_role(bea, "bea", "consultant")
        assert "verwijderd" in actions.remove(bea, "anna", True)
        assert app.users.require_user("bea").role is Role.BEHEERDER
    finally:
        app.close()


def test_register_and_privacyverklaring_actions_reach_the_central_log_from_any_entry_point(
    cli,  # noqa: ANN001
    tmp_path: Path,
    embedder,  # noqa: ANN001
) -> None:
    register = Path(__file__).parent / "fixtures" / "privacy" / "webshop-zonnig.yaml"
    assert cli("register", "import", str(register))[0] == 0  # the CLI, as the OS user
    app = build_app(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    try:
        client = app.privacy.clients()[0]
        draft = app.privacy.create_draft(client, "anna")  # the service, as the web tab calls it
        app.privacy.review.submit(draft.id, "anna")
        app.privacy.review.approve(draft.id, "bram", "akkoord")
        with pytest.raises(RuntimeError), app.privacy.db.transaction() as conn:  # rolled back: no event
            sql = "INSERT INTO audit (at, actor, client, action, subject, detail) VALUES (?, ?, ?, ?, ?, ?)"
            conn.execute(sql, ("nu", "x", client, "spook", "", ""))
            raise RuntimeError("afgebroken")
        events = [e for e in app.audit.events() if e.scope == f"klant:{client}"]
    finally:
        app.close()
    kinds = Counter((e.event, e.details.get("action", "")) for e in events)
    imported = [e for e in events if e.event == EventType.REGISTER_CHANGED]
    assert len(imported) == 1 and imported[0].user.startswith("cli:"), imported
    assert kinds[(EventType.DRAFT, "concept aangemaakt")] == 1
    assert kinds[(EventType.DRAFT, "ter beoordeling aangeboden")] == 1
    assert [e.user for e in events if e.event == EventType.APPROVAL] == ["bram"]
    assert all(e.details.get("action") != "spook" for e in events)
