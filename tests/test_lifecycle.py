"""One lifecycle for a client and a document: erased everywhere, renamed everywhere.

A canary is planted in every kind of record a client can have (documents and their uploads,
register, suggestions, draft and comment, check run and review, conversation, account
assignment, audit trail); after deleting the client no byte of the data folder holds it,
while a second client's canary stays where it was. In server mode the Chroma server's own data
folder is searched too, after the server's compaction (``chroma vacuum``, as the README advises).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import ChromaServer, chroma_cli

from assistant.app import App
from assistant.features.accounts.users import Role, User
from assistant.features.audit.log import ERASED_CLIENT, AuditFilter
from assistant.features.documents.service import DocumentOptions
from assistant.features.lifecycle import ERASED_DOCUMENT

FIXTURES = Path(__file__).parent / "fixtures" / "privacy"
CANARY = "kanarie7391"
CONTROL = "zuidmerel4420"
CLIENT = "Webshop Noord"
OTHER = "Bakkerij Zuid"


def _documents(folder: Path, canary: str) -> list[Path]:
    """The fixture process documents with the canary in each title and body."""
    folder.mkdir(parents=True)
    paths = []
    for source in sorted((FIXTURES / "documenten").glob("*.md")):
        text = source.read_text(encoding="utf-8")
        text = text.replace("\n", f" {canary}\n", 1)  # the heading, so the title holds it
        text += f"\nBewaarbeleid {canary}: klantgegevens bewaren wij zeven jaar ({canary}).\n"
        path = folder / f"{source.stem}-{canary}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _register(folder: Path, client: str, canary: str) -> Path:
    text = (FIXTURES / "webshop-zonnig.yaml").read_text(encoding="utf-8")
    text = text.replace("klant: Webshop Zonnig", f"klant: {client}")
    text = text.replace(
        "doel: wij sturen u een nieuwsbrief", f"doel: wij sturen u ({canary}) een nieuwsbrief"
    )
    path = folder / f"register-{canary}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _fill(app: App, tmp_path: Path, client: str, canary: str) -> None:
    """Every kind of record of ``client``, each holding ``canary``."""
    app.clients.add(client, actor="test")
    scope = f"klant:{client}"
    report = app.documents.add_files(
        _documents(tmp_path / canary, canary),
        scope,
        DocumentOptions(kind="procesdocument"),
        uploaded=True,
        actor="test",
    )
    assert all(r.outcome == "nieuw" for r in report.results), [r.reason for r in report.results]
    app.privacy.import_register(_register(tmp_path, client, canary), "anna", client=client)
    assert app.privacy.find_suggestions(client, "anna").suggestions
    draft = app.privacy.create_draft(client, "anna")
    app.privacy.review.comment(draft.id, "doelen", "anna", f"Klopt dit voor {canary}?")
    run = app.check.run(client, "anna")
    app.check.review(run, run.answers[0].question_id, "opmerking", "anna", comment=f"Zie {canary}")
    for answer in run.answers:  # reviewed, so its plan becomes tracked actions
        app.check.review(run, answer.question_id, "accepteren", "anna")
    app.portfolio.set_subscription(client, "jaarlijks", contact=f"Contact {canary}", actor="anna")
    (action, *_) = app.portfolio.actions_from_check(client, actor="anna")
    app.portfolio.update_action(action.id, note=f"Notitie {canary}", actor="anna")
    app.users.add(f"consultant{canary[-4:]}", "consultant", "een-lang-wachtwoord-1234", clients=[client])
    user = User("anna", Role.CONSULTANT, clients=frozenset({client}))
    turns = list(app.chat.ask(user, f"Hoe lang bewaren wij klantgegevens? {canary}", scope))
    assert CANARY in turns[-1].text or CONTROL in turns[-1].text  # the answer quotes the client's document


def _files_with(folder: Path, needle: str) -> list[str]:
    data = needle.encode()
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and data in p.read_bytes()
    )


def _server_data(app: App, request: pytest.FixtureRequest) -> Path | None:
    """The Chroma server's data folder in server mode (None in embedded mode)."""
    if not app.settings.chroma_url:
        return None
    server: ChromaServer = request.getfixturevalue("chroma_server")
    if not server.data.is_dir():
        pytest.fail("AVG_TEST_CHROMA_DATA must name the data folder of the server in AVG_TEST_CHROMA_URL")
    return server.data


def test_deleting_a_client_erases_it_from_every_store(
    app: App, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    data = app.settings.data_dir
    server_data = _server_data(app, request)
    _fill(app, tmp_path, CLIENT, CANARY)
    _fill(app, tmp_path, OTHER, CONTROL)
    before = _files_with(data, CANARY)
    for store in (
        "register.sqlite3",
        "compliancy.sqlite3",
        "conversations.sqlite3",
        "audit.sqlite3",
        "portfolio.sqlite3",
    ):
        assert any(name.startswith(store) for name in before), (store, before)
    if server_data is not None:
        assert _files_with(server_data, CANARY), "the server holds the client's passages before the delete"

    app.clients.delete(CLIENT, actor="test")

    assert _files_with(data, CANARY) == []
    if server_data is not None:  # the server's own compaction, then not a byte of it may remain
        subprocess.run(
            [chroma_cli(), "vacuum", "--path", str(server_data), "--force"], check=True, timeout=300
        )
        assert _files_with(server_data, CANARY) == []
        assert _files_with(server_data, CONTROL), "the other client's passages stay on the server"
    assert CLIENT not in app.privacy.clients()
    assert app.check.runs.run_ids(CLIENT) == []
    assert app.portfolio.actions(CLIENT) == [] and not app.portfolio.store.subscription(CLIENT)
    assert app.users.users_of_client(CLIENT) == []
    assert all(c.scope != f"klant:{CLIENT}" for c in app.conversations.list_conversations("anna"))
    redacted = app.audit.events(AuditFilter(scope=ERASED_CLIENT))
    assert redacted and all(e.details == {} and e.user for e in redacted)  # who and when stay
    # The other client is untouched.
    kept = _files_with(data, CONTROL)
    assert any(name.startswith("register.sqlite3") for name in kept)
    assert any(name.startswith("compliancy.sqlite3") for name in kept)
    assert any(name.startswith("portfolio.sqlite3") for name in kept)
    assert app.check.runs.run_ids(OTHER) and OTHER in app.privacy.clients()
    assert app.users.users_of_client(OTHER) == [f"consultant{CONTROL[-4:]}"]


def test_renaming_a_client_renames_it_in_every_store(app: App, tmp_path: Path) -> None:
    _fill(app, tmp_path, CLIENT, CANARY)
    app.clients.rename(CLIENT, "Webshop Noord-West", actor="test")
    assert app.privacy.clients() == ["Webshop Noord-West"]
    assert app.check.runs.run_ids(CLIENT) == [] and app.check.runs.run_ids("Webshop Noord-West")
    assert app.users.users_of_client("Webshop Noord-West") == [f"consultant{CANARY[-4:]}"]
    assert app.portfolio.actions(CLIENT) == [] and app.portfolio.actions("Webshop Noord-West")
    assert app.portfolio.subscription("Webshop Noord-West").interval == "jaarlijks"
    (conversation,) = app.conversations.list_conversations("anna")
    assert conversation.scope == "klant:Webshop Noord-West"
    assert [d.client for d in app.privacy.drafts()] == ["Webshop Noord-West"]


def test_erasing_a_document_removes_its_quotes_from_answers_and_check_runs(app: App, tmp_path: Path) -> None:
    _fill(app, tmp_path, CLIENT, CANARY)
    data = app.settings.data_dir
    scope = f"klant:{CLIENT}"
    for record in app.documents.list(scope=scope):
        app.documents.remove(record.id, actor="test")

    assert _files_with(data, "zeven jaar (" + CANARY) == []
    (conversation,) = app.conversations.list_conversations("anna")
    answer = app.conversations.messages(conversation.id)[-1]
    assert answer.content.startswith(ERASED_DOCUMENT)
    assert all(c["quote"] == ERASED_DOCUMENT for c in answer.citations if c.get("doc_id"))
    run = app.check.runs.latest(CLIENT)
    assert run is not None
    # Evidence the check took from the register or the draft is not a document's: it stays.
    known = ("register:", "privacyverklaring:")
    evidence = [e for a in run.answers for e in a.evidence if not e.chunk_id.startswith(known)]
    assert evidence and all(e.quote == ERASED_DOCUMENT for e in evidence)
    sources = app.privacy.suggestions(CLIENT, status=None)
    assert sources and all(s.evidence.quote == ERASED_DOCUMENT for s in sources if s.evidence.doc_id)


@pytest.mark.parametrize("app", ["ingebed"], indirect=True)
def test_a_failing_store_keeps_the_client_so_the_delete_can_be_repeated(app: App, tmp_path: Path) -> None:
    class Broken:
        def erase_client(self, client: str) -> int:
            raise OSError("schijf vol")

        def rename_client(self, old: str, new: str) -> None:
            raise OSError("schijf vol")

    _fill(app, tmp_path, CLIENT, CANARY)
    app.clients.stores.append(Broken())
    with pytest.raises(Exception, match="niet overal gewist"):
        app.clients.delete(CLIENT, actor="test")
    assert app.clients.get(CLIENT).documents == 3  # the knowledge base still has the client
    app.clients.stores.pop()
    app.clients.delete(CLIENT, actor="test")
    assert _files_with(app.settings.data_dir, CANARY) == []
