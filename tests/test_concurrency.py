"""An ingest running while people ask questions neither blocks them nor corrupts the store."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from assistant.app import App


def _write_documents(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for i in range(count):
        path = folder / f"proces-{i:02d}.md"
        path.write_text(
            f"# Proces {i}\n\n## Bewaren\n\nGegevens van proces {i} bewaren wij {i % 7 + 1} jaar.\n\n"
            f"## Delen\n\nWij delen gegevens van proces {i} alleen met onze verwerker nummer {i}.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def test_questions_during_ingest(app: App, tmp_path: Path) -> None:
    seed = tmp_path / "beleid.md"
    seed.write_text("# Datalekbeleid\n\nEen datalek melden wij binnen 72 uur bij de AP.\n", encoding="utf-8")
    app.ingest.ingest([seed], "algemeen", actor="test")
    documents = _write_documents(tmp_path / "processen", 24)
    errors: list[BaseException] = []
    latencies: list[float] = []

    def ingest() -> None:
        try:
            app.ingest.ingest(documents, "algemeen", actor="test")
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    def ask() -> None:
        for _ in range(3):
            started = time.perf_counter()
            try:
                answer = app.answerer.answer("Hoe snel melden we een datalek?", ["algemeen"])
                assert not answer.refused and "72 uur" in answer.text
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
            latencies.append(time.perf_counter() - started)

    writer = threading.Thread(target=ingest)
    writer.start()
    askers = [threading.Thread(target=ask) for _ in range(20)]
    for thread in askers:
        thread.start()
    for thread in [*askers, writer]:
        thread.join(timeout=600)
    assert errors == []
    assert len(latencies) == 60

    records = app.kb.registry.list("algemeen")
    assert len(records) == 25 and all(r.status == "ready" for r in records)
    collection = app.kb.vectors.collection("algemeen")
    for record in records:
        stored = collection.get(where={"doc_id": record.id})["ids"]
        assert len(stored) == record.chunk_count
    assert app.kb.lexical.chunk_count("algemeen") == sum(r.chunk_count for r in records)
    assert len(set(collection.get()["ids"])) == collection.count()
