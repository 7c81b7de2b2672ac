"""20 simultaneous chat sessions against a running server, while an ingest runs (Chroma server mode)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from browser_support import running_server, server_env, write_policy
from gradio_client import Client
from test_web import QUESTION, text_of

from assistant.app import build_app
from assistant.settings import Settings

SESSIONS = 20


def _write_documents(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"proces-{i:02d}.md").write_text(
            f"# Proces {i}\n\n## Bewaren\n\nGegevens van proces {i} bewaren wij {i % 7 + 1} jaar.\n",
            encoding="utf-8",
        )
    return sorted(folder.iterdir())


def test_twenty_sessions_while_ingesting(tmp_path: Path, chroma_server_url: str) -> None:
    data = tmp_path / "data"
    extra = {"AVG_CHROMA_URL": chroma_server_url}
    seed = write_policy(tmp_path / "docs")
    subprocess.run(
        [sys.executable, "-m", "assistant.interfaces.cli.main", "ingest", str(seed)],
        env=server_env(data, **extra),
        check=True,
        capture_output=True,
        timeout=600,
    )
    documents = _write_documents(tmp_path / "processen", 20)
    results: list[str] = []
    errors: list[BaseException] = []

    with running_server(data, **extra) as url:
        Client(url, verbose=False).predict(QUESTION, "algemeen", api_name="/ask")  # warm-up

        def session() -> None:
            try:
                client = Client(url, verbose=False)
                history = client.predict(QUESTION, "algemeen", api_name="/ask")[0]
                results.append(text_of(history[-1]))
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

        writer = subprocess.Popen(
            [sys.executable, "-m", "assistant.interfaces.cli.main", "ingest", *map(str, documents)],
            env=server_env(data, **extra),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        threads = [threading.Thread(target=session) for _ in range(SESSIONS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        assert writer.wait(timeout=600) == 0

    assert errors == []
    assert len(results) == SESSIONS and all("72 uur" in text for text in results)

    app = build_app(Settings(data_dir=data, chroma_url=chroma_server_url, load_starter_pack=False))
    records = app.kb.registry.list("algemeen")
    assert len(records) == 21 and all(r.status == "ready" for r in records)
    collection = app.kb.vectors.collection("algemeen")
    assert collection.count() == sum(r.chunk_count for r in records) == app.kb.lexical.chunk_count("algemeen")
    app.close()
