"""Official sources: the AVG fetched over HTTP (here a local server), re-indexed only when it changed."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CORPUS_HTML, free_port, needs_corpus

from assistant.app import App
from assistant.features.documents.official_sources import DEFAULT_AVG_URL, OfficialSources, fetch
from ingestion.errors import IngestionError

pytestmark = needs_corpus


class FakeEurLex:
    """A local HTTP server standing in for EUR-Lex; ``page`` is what it serves."""

    def __init__(self) -> None:
        self.page = b""
        self.requests = 0
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                owner.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(owner.page)))
                self.end_headers()
                self.wfile.write(owner.page)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/legal-content/NL/TXT/HTML/?uri=CELEX:32016R0679"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def eurlex() -> Iterator[FakeEurLex]:
    server = FakeEurLex()
    server.page = (CORPUS_HTML / "chapter-2.html").read_bytes()
    yield server
    server.close()


def test_update_indexes_once_and_versions_a_changed_text(
    app: App, eurlex: FakeEurLex, tmp_path: Path
) -> None:
    sources = OfficialSources(app.kb, audit=app.audit)
    first = sources.update(url=eurlex.url, actor="test")
    assert (first.outcome, first.version) == ("nieuw", 1) and first.chunks > 20
    assert "PB L 119" in first.version_label
    (record,) = sources.list()
    assert (record.name, record.url) == ("AVG", eurlex.url)
    doc = app.kb.registry.by_id(record.doc_id)
    assert doc is not None and (doc.source_key, doc.scope, doc.kind, doc.law) == (
        "bron:AVG",
        "algemeen",
        "wet",
        "AVG",
    )

    again = sources.update(url=eurlex.url, actor="test")
    assert (again.outcome, again.version) == ("ongewijzigd", 1)
    assert eurlex.requests == 2
    assert sources.list()[0].changed_at == record.changed_at

    eurlex.page = eurlex.page.replace(b"rechtmatig", b"rechtmatig en zorgvuldig", 1)
    changed = sources.update(url=eurlex.url, actor="test")
    assert (changed.outcome, changed.version) == ("bijgewerkt", 2)
    assert [v.version for v in app.kb.versions.list(record.doc_id)] == [2, 1]
    assert app.kb.vectors.count("algemeen") == changed.chunks
    hits = app.retriever.retrieve("rechtmatig en zorgvuldig verwerkt", ["algemeen"]).chunks
    assert any("zorgvuldig" in h.text for h in hits[:3])

    saved = tmp_path / "avg.html"
    saved.write_bytes(eurlex.page)
    from_file = sources.update(from_file=saved, actor="test")
    assert (from_file.outcome, from_file.version) == ("ongewijzigd", 2)


def test_offline_is_a_dutch_message_with_the_way_out(app: App) -> None:
    with pytest.raises(IngestionError, match=r"Geen verbinding met EUR-Lex .*--from BESTAND"):
        OfficialSources(app.kb, audit=app.audit).update(
            url=f"http://127.0.0.1:{free_port()}/avg", timeout=5, actor="test"
        )
    assert app.kb.registry.list() == []


def test_a_page_without_law_text_is_refused(app: App, eurlex: FakeEurLex) -> None:
    eurlex.page = b"<html><body><p>Onderhoud: probeer het later opnieuw.</p></body></html>"
    with pytest.raises(IngestionError, match="Geen wettekst"):
        OfficialSources(app.kb, audit=app.audit).update(url=eurlex.url, actor="test")
    assert fetch(eurlex.url).startswith(b"<html>")
    assert DEFAULT_AVG_URL.endswith("CELEX:32016R0679")
