"""The web UI's progress bar: fractions and Dutch descriptions from ingest events."""

from __future__ import annotations

from pathlib import Path

from assistant.features.documents.progress import FractionProgress


def test_fractions_follow_files_and_passages() -> None:
    calls: list[tuple[float, str]] = []
    bar = FractionProgress(lambda fraction, text: calls.append((fraction, text)))
    bar.start(2)
    bar.file_started(Path("/tmp/beleid.pdf"), 4)
    bar.chunks_embedded(2)
    bar.file_done(Path("/tmp/beleid.pdf"), "nieuw")
    bar.file_started(Path("/tmp/proces.docx"), 0)  # an unchanged file: nothing to embed
    bar.file_done(Path("/tmp/proces.docx"), "ongewijzigd")
    assert calls == [
        (0.0, "0 van 2 bestanden verwerkt"),
        (0.0, "Bestand 1 van 2: beleid.pdf (0 van 4 passages)"),
        (0.25, "Bestand 1 van 2: beleid.pdf (2 van 4 passages)"),
        (0.5, "Bestand 2 van 2: beleid.pdf"),
        (0.5, "Bestand 2 van 2: proces.docx"),
        (1.0, "2 van 2 bestanden verwerkt"),
    ]
    assert [f for f, _ in calls] == sorted(f for f, _ in calls)  # never moves back
