"""Clients: create, list, rename, archive, delete; a client's documents never leave its scope."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.app import App
from assistant.features.clients.service import ClientService
from assistant.features.documents.service import DocumentOptions, DocumentService
from ingestion.errors import ScopeError, StoreError

NOORD = (
    "Bewaarbeleid Noord\n\nKlantgegevens van Webshop Noord bewaren wij zeven jaar (kenmerk noordkanarie).\n"
)
ZUID = "Bewaarbeleid Zuid\n\nKlantgegevens van Bakkerij Zuid bewaren wij twee jaar (kenmerk zuidkanarie).\n"
QUESTION = "Hoe lang bewaren wij klantgegevens? kenmerk noordkanarie zuidkanarie"


@pytest.fixture
def clients(app: App) -> ClientService:
    return ClientService(app.kb, audit=app.audit)


def _add(app: App, tmp_path: Path, name: str, text: str, scope: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (result,) = (
        DocumentService(app.kb, audit=app.audit)
        .add_files([path], scope, DocumentOptions(kind="procesdocument"), actor="test")
        .results
    )
    assert result.outcome == "nieuw", result.reason
    return result.doc_id


def _doc_ids(app: App, scopes: list[str]) -> set[str]:
    result = app.retriever.retrieve(QUESTION, scopes)
    ids = {c.metadata["doc_id"] for c in result.chunks}
    ids |= {c.metadata["doc_id"] for hit in result.articles for c in hit.chunks}
    return ids


def test_client_documents_never_surface_in_another_scope(
    app: App, clients: ClientService, tmp_path: Path
) -> None:
    clients.add("Webshop Noord", actor="test")
    clients.add("Bakkerij Zuid", actor="test")
    noord = _add(app, tmp_path, "noord.txt", NOORD, "klant:Webshop Noord")
    zuid = _add(app, tmp_path, "zuid.txt", ZUID, "klant:Bakkerij Zuid")

    assert _doc_ids(app, ["klant:Webshop Noord", "algemeen"]) == {noord}
    assert _doc_ids(app, ["klant:Bakkerij Zuid", "algemeen"]) == {zuid}
    assert _doc_ids(app, ["algemeen"]) == set()
    answer = app.answerer.answer("Hoe lang bewaren wij klantgegevens?", ["klant:Bakkerij Zuid", "algemeen"])
    assert all("Noord" not in c.document for c in answer.citations)
    with pytest.raises(ScopeError):
        app.retriever.retrieve(QUESTION, ["klant:"])


def test_rename_moves_documents_versions_and_files(app: App, clients: ClientService, tmp_path: Path) -> None:
    docs = DocumentService(app.kb, audit=app.audit)
    path = tmp_path / "noord.txt"
    path.write_text(NOORD, encoding="utf-8")
    options = DocumentOptions(kind="richtlijn")  # a process document's original is not kept (masked)
    (first,) = docs.add_files([path], "klant:Webshop Noord", options, uploaded=True, actor="test").results
    path.write_text(NOORD.replace("zeven", "acht"), encoding="utf-8")
    docs.replace(first.doc_id, path, actor="test")

    info = clients.rename("Webshop Noord", "Webshop Noord-Oost", actor="test")
    assert (info.name, info.documents) == ("Webshop Noord-Oost", 1)
    assert [c.name for c in clients.list()] == ["Webshop Noord-Oost"]
    assert _doc_ids(app, ["klant:Webshop Noord-Oost"]) == {first.doc_id}
    assert _doc_ids(app, ["klant:Webshop Noord"]) == set()
    assert app.kb.vectors.count("klant:Webshop Noord") == 0
    assert [v.version for v in docs.history(first.doc_id)] == [2, 1]
    assert {v.scope for v in docs.history(first.doc_id)} == {"klant:Webshop Noord-Oost"}
    assert len(docs.stored_files(first.doc_id)) == 2
    # the source keeps its identity: the same upload again is recognised as unchanged
    again = docs.add_files([path], "klant:Webshop Noord-Oost", options, uploaded=True, actor="test").results[
        0
    ]
    assert (again.outcome, again.doc_id) == ("ongewijzigd", first.doc_id)
    with pytest.raises(StoreError, match="bestaat al"):
        clients.add("Webshop Noord-Oost", actor="test")
    clients.add("Webshop Noord", actor="test")  # the old name is free again, with empty stores
    assert _doc_ids(app, ["klant:Webshop Noord"]) == set()
    fresh = _add(app, tmp_path, "nieuw.txt", ZUID, "klant:Webshop Noord")
    assert _doc_ids(app, ["klant:Webshop Noord"]) == {fresh}


def test_archive_is_read_only_and_hidden(app: App, clients: ClientService, tmp_path: Path) -> None:
    doc_id = _add(app, tmp_path, "noord.txt", NOORD, "klant:Webshop Noord")
    clients.archive("Webshop Noord", actor="test")
    assert clients.list() == [] and [c.status for c in clients.list(include_archived=True)] == [
        "gearchiveerd"
    ]
    assert clients.selectable_scopes() == ["algemeen"]
    docs = DocumentService(app.kb, audit=app.audit)
    with pytest.raises(StoreError, match="gearchiveerd"):
        docs.add_files([tmp_path / "noord.txt"], "klant:Webshop Noord", actor="test")
    with pytest.raises(StoreError, match="gearchiveerd"):
        docs.remove(doc_id, actor="test")
    assert _doc_ids(app, ["klant:Webshop Noord"]) == {doc_id}  # still readable when asked for explicitly
    clients.activate("klant:Webshop Noord", actor="test")
    assert clients.selectable_scopes() == ["algemeen", "klant:Webshop Noord"]


def test_delete_erases_everything_of_the_client(app: App, clients: ClientService, tmp_path: Path) -> None:
    docs = DocumentService(app.kb, audit=app.audit)
    path = tmp_path / "noord.txt"
    path.write_text(NOORD, encoding="utf-8")
    (result,) = docs.add_files([path], "klant:Webshop Noord", uploaded=True, actor="test").results
    keep = _add(app, tmp_path, "zuid.txt", ZUID, "klant:Bakkerij Zuid")

    deleted = clients.delete("Webshop Noord", actor="test")
    assert (deleted.documents, deleted.compacted) == (1, True)
    assert [c.name for c in clients.list(include_archived=True)] == ["Bakkerij Zuid"]
    assert app.kb.registry.list(scope="klant:Webshop Noord") == []
    assert app.kb.versions.list(result.doc_id) == []
    assert not app.kb.upload_dir(result.doc_id).exists()
    tables = {r["name"] for r in app.kb.db.query("SELECT name FROM sqlite_master")}
    assert app.kb.lexical_table("klant:Webshop Noord") not in tables
    data = app.settings.data_dir
    assert [p for p in data.rglob("*") if p.is_file() and b"noordkanarie" in p.read_bytes()] == []
    assert _doc_ids(app, ["klant:Bakkerij Zuid"]) == {keep}
    with pytest.raises(StoreError, match="bestaat niet"):
        clients.delete("Webshop Noord", actor="test")
    assert _doc_ids(app, ["klant:Webshop Noord"]) == set()  # a search there finds nothing, and no error


def test_existing_client_scopes_are_adopted(app: App, tmp_path: Path) -> None:
    path = tmp_path / "noord.md"
    path.write_text("# Beleid\n\nKlantgegevens bewaren wij zeven jaar.\n", encoding="utf-8")
    app.ingest.ingest(
        [path], "klant:Webshop Noord", actor="test"
    )  # the plain ingest path registers the client too
    assert [(c.name, c.documents) for c in ClientService(app.kb, audit=app.audit).list()] == [
        ("Webshop Noord", 1)
    ]
