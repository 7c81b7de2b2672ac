"""Document management: metadata, versions, replace, retire, erasure down to the files, re-index."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant.app import App
from assistant.features.documents.service import DocumentOptions, DocumentService, parse_effective_date
from ingestion.errors import IngestionError, StoreError
from knowledge.embedding_cache import text_hash
from knowledge.erasure import embedded_chroma_dir
from knowledge.maintenance import reindex
from knowledge.registry import STATUS_RETIRED
from knowledge.text_analysis import analyze

CANARY = "zqxkanarie7731"
SCOPE = "klant:Webshop Noord"
V1 = (
    "# Bewaarbeleid\n\n## Klantgegevens\n\n"
    f"Klantgegevens bewaren wij zeven jaar. Vragen aan jan@voorbeeld.nl of 06-12345678. Kenmerk {CANARY}.\n\n"
    "## Sollicitanten\n\nGegevens van sollicitanten verwijderen wij vier weken na de procedure.\n"
)
V2 = (
    "# Bewaarbeleid\n\n## Klantgegevens\n\nKlantgegevens bewaren wij twee jaar na het laatste contact.\n\n"
    "## Sollicitanten\n\nGegevens van sollicitanten verwijderen wij vier weken na de procedure.\n"
)

PROCESS_DOC = (  # no canary: the erasure tests look for CANARY in every file on disk
    "# Klachtenafhandeling\n\n## Contact\n\n"
    "Klachten gaan naar j.de.vries@example.nl of telefoon 06-12345678. "
    "Wij antwoorden binnen vijf werkdagen.\n"
)


@pytest.fixture
def docs(app: App) -> DocumentService:
    return DocumentService(app.kb, audit=app.audit)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _add(docs: DocumentService, path: Path, scope: str = SCOPE, **options: str) -> str:
    report = docs.add_files([path], scope, DocumentOptions(**options), uploaded=True, actor="test")
    (result,) = report.results
    assert result.outcome == "nieuw", result.reason
    return result.doc_id


def test_metadata_and_pii_counts_are_stored_per_document(docs: DocumentService, tmp_path: Path) -> None:
    doc_id = _add(
        docs,
        _write(tmp_path, "beleid.md", V1),
        owner="Piet de Vries",
        effective_date="25-05-2024",
        kind="procesdocument",
    )
    record = docs.get(doc_id[:8])
    assert (record.title, record.kind, record.scope) == ("Bewaarbeleid", "procesdocument", SCOPE)
    assert (record.owner, record.effective_date, record.version) == ("Piet de Vries", "2024-05-25", 1)
    assert record.pii["email"] == 1 and record.pii["phone"] == 1
    assert record.source_name == "beleid.md" and len(record.content_hash) == 64
    assert record.created_at and record.updated_at
    assert "jan@voorbeeld.nl" not in " ".join(c.text for c in docs.show(doc_id).chunks)

    edited = docs.set_metadata(doc_id, owner="Anna", effective_date="2025-01-01", actor="test")
    assert (edited.owner, edited.effective_date, edited.version) == ("Anna", "2025-01-01", 1)
    assert docs.list(text="anna")[0].id == doc_id
    assert docs.list(kind="richtlijn") == []


def test_ingest_stores_pii_counts_per_document_like_the_kennisbank(
    app: App, docs: DocumentService, tmp_path: Path
) -> None:
    """``avg-assistent ingest`` goes through the same per-file steps as the Kennisbank."""
    path = _write(tmp_path, "verwerking.md", PROCESS_DOC)
    report = app.ingest.ingest([path], SCOPE, actor="test")
    assert (report.added, report.skipped) == (1, []), report.summary()
    (record,) = app.kb.registry.list(scope=SCOPE)
    assert record.kind == "procesdocument"
    assert record.pii["email"] == 1 and record.pii["phone"] == 1
    assert report.pii[str(path)].email == 1 and report.pii[str(path)].phone == 1

    again = app.ingest.ingest([path], SCOPE, actor="test")
    assert (again.added, again.updated, again.unchanged, again.chunks) == (0, 0, 1, 0)
    assert again.pii == {}
    # the same hash as the Kennisbank: adding the ingested file there is recognised as unchanged
    (result,) = docs.add_files([path], SCOPE, actor="test").results
    assert (result.outcome, result.doc_id) == ("ongewijzigd", record.id)

    docs.set_metadata(record.id, owner="Piet de Vries", effective_date="2024-05-25", actor="test")
    path.write_text(PROCESS_DOC.replace("vijf werkdagen", "drie werkdagen"), encoding="utf-8")
    updated = app.ingest.ingest([path], SCOPE, actor="test")
    assert updated.updated == 1, updated.summary()
    record = app.kb.registry.by_id(record.id)
    assert record is not None and record.version == 2
    assert (record.owner, record.effective_date) == ("Piet de Vries", "2024-05-25")  # kept from v1
    assert record.pii["email"] == 1 and record.pii["phone"] == 1


def test_replace_keeps_old_version_out_of_retrieval(app: App, docs: DocumentService, tmp_path: Path) -> None:
    path = _write(tmp_path, "beleid.md", V1)
    doc_id = _add(docs, path)
    old = docs.show(doc_id).chunks
    path.write_text(V2, encoding="utf-8")
    result = docs.replace(doc_id, path, actor="test")
    assert (result.outcome, result.version) == ("bijgewerkt", 2)

    history = docs.history(doc_id)
    assert [(v.version, v.status) for v in history] == [(2, "actueel"), (1, "vervangen")]
    assert any(CANARY in c.text for c in docs.show(doc_id, version=1).chunks)
    assert all(CANARY not in c.text for c in docs.show(doc_id).chunks)
    found = app.kb.versions.find_chunk(old[0].chunk_id)  # an old citation can still be shown as it was
    assert found is not None and found[0].version == 1 and found[1].text == old[0].text

    hits = app.retriever.retrieve(f"kenmerk {CANARY} zeven jaar", [SCOPE]).chunks
    assert hits and all(CANARY not in h.text for h in hits)
    assert app.kb.vectors.count(SCOPE) == app.kb.lexical.chunk_count(SCOPE) == docs.get(doc_id).chunk_count
    assert docs.replace(doc_id, path, actor="test").outcome == "ongewijzigd"
    assert docs.stored_files(doc_id) == []  # a masked process document: its original is not kept


def test_uploads_keep_originals_unless_personal_data_was_masked(
    docs: DocumentService, tmp_path: Path
) -> None:
    text = (
        "# Bewaren\n\nSollicitatiebrieven bewaren wij vier weken. Vragen: lisa@voorbeeld.nl, 06-87654321.\n"
    )
    path = _write(tmp_path, "richtlijn.md", text)
    guidance = _add(docs, path, kind="richtlijn")
    path.write_text(text.replace("vier", "zes"), encoding="utf-8")
    docs.replace(guidance, path, actor="test")
    assert [p.name for p in docs.stored_files(guidance)] == ["v1-richtlijn.md", "v2-richtlijn.md"]

    process = _add(docs, _write(tmp_path, "proces.md", text))  # client scope: a process document, masked
    assert docs.get(process).pii_total == 2
    assert docs.stored_files(process) == [] and not docs.kb.upload_dir(process).exists()


def test_retire_leaves_retrieval_and_keeps_history(app: App, docs: DocumentService, tmp_path: Path) -> None:
    doc_id = _add(docs, _write(tmp_path, "beleid.md", V1))
    record = docs.retire(doc_id, actor="test")
    assert record.status == STATUS_RETIRED
    assert app.retriever.retrieve("hoe lang bewaren wij klantgegevens", [SCOPE]).chunks == []
    assert app.kb.vectors.count(SCOPE) == 0 and app.kb.lexical.chunk_count(SCOPE) == 0
    assert [v.status for v in docs.history(doc_id)] == ["ingetrokken"]
    assert docs.list() == [] and len(docs.list(include_retired=True)) == 1
    with pytest.raises(StoreError, match="al uit de zoekresultaten"):
        docs.retire(doc_id, actor="test")


def _files_containing(folder: Path, needle: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and needle.encode() in p.read_bytes().lower()]


def test_erasure_leaves_no_trace_of_the_text(app: App, docs: DocumentService, tmp_path: Path) -> None:
    data_dir = app.settings.data_dir
    path = _write(tmp_path, "beleid.md", V1)
    doc_id = _add(docs, path)
    path.write_text(
        V1.replace("zeven jaar", "acht jaar"), encoding="utf-8"
    )  # a second version with the canary
    docs.replace(doc_id, path, actor="test")
    other = _add(docs, _write(tmp_path, "ander.md", V2))
    texts = [c.text for v in (1, 2) for c in docs.show(doc_id, version=v).chunks]
    shared = text_hash(docs.show(other).chunks[1].text)  # the sollicitanten passage: both documents have it
    assert _files_containing(data_dir, CANARY), "the canary must be on disk before erasure"

    erased = docs.remove(doc_id, actor="test")
    assert erased.compacted

    hits = app.retriever.retrieve(f"kenmerk {CANARY} zeven jaar", [SCOPE, "algemeen"]).chunks
    assert all(CANARY not in c.text and c.metadata["doc_id"] != doc_id for c in hits)
    collection = app.kb.vectors.collection(SCOPE)
    assert collection.get(where_document={"$contains": CANARY})["ids"] == []
    assert [i for i in collection.get()["ids"] if i.startswith(doc_id)] == []
    assert app.kb.lexical.search(SCOPE, analyze(CANARY), 10) == []
    assert app.kb.versions.find_chunk(f"{doc_id}:x") is None and app.kb.versions.list(doc_id) == []
    for table in ("documents", "document_versions", "version_chunks", "pending_vectors", "pending_erasures"):
        column = "id" if table == "documents" else "doc_id"
        assert app.kb.db.query(f"SELECT 1 FROM {table} WHERE {column} = ?", (doc_id,)) == [], table
    cached = {r["text_hash"] for r in app.kb.db.query("SELECT text_hash FROM embedding_cache")}
    assert shared in cached  # still used by the other document
    assert ({text_hash(t) for t in texts} - {shared}) & cached == set()
    assert not (data_dir / "uploads" / doc_id).exists()
    assert _files_containing(data_dir, CANARY) == []
    with pytest.raises(StoreError, match="bestaat niet"):
        docs.get(doc_id)


def test_erasure_leaves_no_trace_in_sqlite_dump(app: App, docs: DocumentService, tmp_path: Path) -> None:
    """Belt and braces: no table of our database, FTS shadow tables included, holds the canary."""
    doc_id = _add(docs, _write(tmp_path, "beleid.md", V1))
    docs.remove(doc_id, actor="test")
    conn = sqlite3.connect(app.settings.database_path)
    try:
        dump = "\n".join(conn.iterdump()).lower()
    finally:
        conn.close()
    assert CANARY not in dump


def test_reindex_rebuilds_vectors_and_lexical_entries(
    app: App, docs: DocumentService, tmp_path: Path
) -> None:
    doc_id = _add(docs, _write(tmp_path, "beleid.md", V1))
    count = docs.get(doc_id).chunk_count
    collection = app.kb.vectors.collection(SCOPE)
    collection.delete(ids=collection.get()["ids"][:1])
    collection.upsert(
        ids=["verweesd:abc:0"], embeddings=[[0.0] * 384], documents=["wees"], metadatas=[{"doc_id": "x"}]
    )
    with app.kb.db.transaction() as conn:
        conn.execute(f"DELETE FROM {app.kb.lexical_table(SCOPE)}")

    report = reindex(app.kb, SCOPE)
    assert (report.documents, report.chunks, report.orphans_removed) == (1, count, 1)
    assert app.kb.vectors.count(SCOPE) == app.kb.lexical.chunk_count(SCOPE) == count
    hits = app.retriever.retrieve("sollicitanten vier weken", [SCOPE]).chunks
    assert hits and hits[0].metadata["doc_id"] == doc_id


def _vector_segment_dirs(app: App, collection_id: str) -> list[Path]:
    """The on-disk folders of an embedded collection's segments (none in server mode)."""
    folder = embedded_chroma_dir(app.kb.vectors._client)
    if folder is None:
        return []
    conn = sqlite3.connect(folder / "chroma.sqlite3")
    try:
        rows = conn.execute("SELECT id FROM segments WHERE collection = ?", (collection_id,)).fetchall()
    finally:
        conn.close()
    return [folder / r[0] for r in rows if (folder / r[0]).is_dir()]


def test_reindex_builds_each_collection_anew(app: App, docs: DocumentService, tmp_path: Path) -> None:
    """Index files written before the freed-memory fix are replaced, not patched."""
    doc_id = _add(docs, _write(tmp_path, "beleid.md", V1))
    question = "sollicitanten vier weken"
    before = [c.chunk_id for c in app.retriever.retrieve(question, [SCOPE]).chunks]
    old_id = str(app.kb.vectors.collection(SCOPE).id)
    app.kb.vectors.add(SCOPE, ["verweesd:abc:0"], [[0.1] * 384], ["wees"], [{"doc_id": "x"}])
    old_dirs = _vector_segment_dirs(app, old_id)
    assert old_dirs or embedded_chroma_dir(app.kb.vectors._client) is None

    progress: list[tuple[int, int]] = []
    report = reindex(app.kb, SCOPE, lambda done, total: progress.append((done, total)))
    assert progress == [(1, 1)]
    assert report.rebuilt == [SCOPE] and f"Vectorindex vers opgebouwd: {SCOPE}" in report.summary()
    assert (report.documents, report.orphans_removed) == (1, 1)
    assert str(app.kb.vectors.collection(SCOPE).id) != old_id
    assert not any(d.exists() for d in old_dirs)  # the old index files are gone from disk
    assert app.kb.vectors.count(SCOPE) == docs.get(doc_id).chunk_count
    assert [c.chunk_id for c in app.retriever.retrieve(question, [SCOPE]).chunks] == before
    assert not app.kb.db.query("SELECT 1 FROM pending_rebuilds")


def test_interrupted_rebuild_is_finished_by_recovery(app: App, docs: DocumentService, tmp_path: Path) -> None:
    doc_id = _add(docs, _write(tmp_path, "beleid.md", V1))
    with app.kb.db.transaction() as conn:  # the state a crash right after dropping the collection leaves
        conn.execute("INSERT INTO pending_rebuilds VALUES (?)", (SCOPE,))
    app.kb.vectors.drop_scope(SCOPE)
    assert app.kb.vectors.count(SCOPE) == 0

    assert app.kb.recover() == 1
    assert app.kb.vectors.count(SCOPE) == docs.get(doc_id).chunk_count
    hits = app.retriever.retrieve("sollicitanten vier weken", [SCOPE]).chunks
    assert hits and hits[0].metadata["doc_id"] == doc_id
    assert not app.kb.db.query("SELECT 1 FROM pending_rebuilds")


def test_reindex_refills_in_place_when_a_document_cannot_be_rebuilt(
    app: App, docs: DocumentService, tmp_path: Path
) -> None:
    """A document with neither snapshot nor vectors keeps its lexical entries; the rest is refilled."""
    kept = _add(docs, _write(tmp_path, "beleid.md", V1))
    lost = _add(docs, _write(tmp_path, "klachten.md", PROCESS_DOC))
    with app.kb.db.transaction() as conn:
        conn.execute("DELETE FROM version_chunks WHERE doc_id = ?", (lost,))
    app.kb.vectors.delete_document(SCOPE, lost)
    old_id = str(app.kb.vectors.collection(SCOPE).id)

    report = reindex(app.kb, SCOPE)
    assert report.missing == ["Klachtenafhandeling"] and report.rebuilt == []
    assert f"ter plaatse bijgewerkt: {SCOPE}" in report.summary()
    assert str(app.kb.vectors.collection(SCOPE).id) == old_id
    assert app.kb.vectors.count(SCOPE) == docs.get(kept).chunk_count
    lexical = app.kb.db.query(
        f"SELECT count(*) AS n FROM {app.kb.lexical_table(SCOPE)}_rows WHERE doc_id = ?", (lost,)
    )
    assert lexical[0]["n"] > 0


def test_invalid_input_is_a_dutch_error(docs: DocumentService, tmp_path: Path) -> None:
    assert parse_effective_date("2024-05-25") == parse_effective_date("25-05-2024") == "2024-05-25"
    with pytest.raises(IngestionError, match="Ongeldige datum"):
        parse_effective_date("morgen")
    with pytest.raises(IngestionError, match="Onbekende soort"):
        docs.add_files([_write(tmp_path, "a.md", V1)], SCOPE, DocumentOptions(kind="roman"), actor="test")
    with pytest.raises(StoreError, match="bestaat niet"):
        docs.show("ffffffff")
