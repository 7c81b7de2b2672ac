"""The AVG itself per embedder, in one run: ingest time, retrieval latency and recall on the dev sets.

Each embedder reads the law's chapter files into a fresh knowledge base of its own (nothing cached:
every passage embedded), then answers the staff questions and the recitals-as-questions with its
own vectors. The model is loaded before the clock starts: load time is a start-up cost, reported
by ``serve``'s memory phase, not an ingest cost.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from assistant.app import build_app
from assistant.features.audit.log import SYSTEM_ACTOR
from assistant.ops.evaluation import evaluate, load_questions
from assistant.settings import Settings
from knowledge.embeddings import IdentifiedEmbeddings

LAW_FOLDER = Path("../shared/corpus/avg-eurlex-html")
EVAL_SETS = {
    "staff": Path("../shared/eval/questions-dev.jsonl"),
    "recitals": Path("../shared/eval/recitals-dev.jsonl"),
}


def law_files(folder: Path = LAW_FOLDER) -> list[Path]:
    """The AVG's chapter files (articles only, no preamble), or none where the corpus is absent."""
    return sorted(folder.glob("chapter-*.html")) if folder.exists() else []


def measure_law(
    embedders: dict[str, IdentifiedEmbeddings],
    work: Path,
    files: list[Path],
    eval_sets: dict[str, Path] | None = None,
) -> dict[str, dict[str, Any]]:
    """Per embedder: passages, ingest seconds, and per present eval set recall@5, MRR@10, latency."""
    sets = {name: path for name, path in (eval_sets or EVAL_SETS).items() if path.exists()}
    report: dict[str, dict[str, Any]] = {}
    for name, embedder in embedders.items():
        app = build_app(Settings(data_dir=work / f"law-{name}"), embedder=embedder)
        try:
            began = time.perf_counter()
            ingested = app.ingest.ingest(files, "algemeen", actor=SYSTEM_ACTOR)
            figures: dict[str, Any] = {
                "passages": ingested.chunks,
                "ingest_s": round(time.perf_counter() - began, 1),
            }
            for label, path in sets.items():
                metrics = evaluate(app.answerer, load_questions(path), ["algemeen"])
                figures[label] = {
                    "n": metrics["n"],
                    "recall@5": metrics["recall@5"],
                    "mrr@10": metrics["mrr@10"],
                    "p50_ms": metrics["latency_ms"]["p50"],
                    "p95_ms": metrics["latency_ms"]["p95"],
                }
        finally:
            app.close()
        report[name] = figures
    return report
