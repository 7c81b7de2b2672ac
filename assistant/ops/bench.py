"""Use case: ``avg-assistent bench`` — ingest, retrieval and answer speed on a generated knowledge base.

Four phases, all in a fresh temp data dir:

1. **Embedder-bound ingest** with the real embedder on ``real_chunks`` chunks of generated process
   documents: full ingest time (parse, chunk, embed, store), the embedder alone
   on the same texts, batch by batch (``overhead_ratio`` = full / embedder alone), then re-ingest
   of the unchanged files (``reingest_ratio``).
2. **Scale**: a knowledge base of ``chunks`` chunks whose stored vectors come from a fast
   deterministic hash embedder (labelled in the output: retrieval cost does not depend on which
   encoder made the vectors), queried with the real embedder, for query and answer latency and
   disk use.
3. **The AVG per embedder** (where ``../shared`` holds it): each embedder ingests the chapter files
   into its own knowledge base and answers the dev sets (:mod:`assistant.ops.bench_law`).
4. **Serve memory**: a fresh process opens that knowledge base like ``avg-assistent serve`` (web UI
   listening, questions answered) and reports its peak RSS (:mod:`assistant.interfaces.web.bench_serve`).
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from assistant.app import build_app
from assistant.features.audit.log import SYSTEM_ACTOR
from assistant.features.chat.answering import Answerer
from assistant.features.chat.refusal import RefusalPolicy
from assistant.ops.bench_corpus import write_process_documents
from assistant.ops.bench_embedders import available_embedders, compare_embedders
from assistant.ops.bench_law import law_files, measure_law
from assistant.settings import Settings
from ingestion.errors import StoreError
from knowledge.embeddings import IdentifiedEmbeddings

_INGEST_BATCH_FILES = 4  # files of 20 passages: five measured pairs at 400 passages

QUESTIONS = [
    "Binnen welke termijn moet een datalek gemeld worden?",
    "Hoe lang bewaren we gegevens van de klantenservice?",
    "Met wie delen we de camerabeelden?",
    "Welke grondslag geldt voor de nieuwsbrief?",
    "Wat moet er in een verwerkersovereenkomst staan?",
    "Welke beveiligingsmaatregelen gelden voor de salarisadministratie?",
    "Wanneer is een DPIA verplicht?",
    "Mogen we het IP-adres van websitebezoekers bewaren?",
]


class HashEmbeddings:
    """Deterministic pseudo-random unit vectors: fast, not semantic. Only for scale measurements."""

    def __init__(self, query_embedder: IdentifiedEmbeddings, dim: int = 384) -> None:
        self._query = query_embedder
        self._dim = dim
        self.embedder_id = f"bench-hash-passages+{query_embedder.embedder_id}-queries"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """One pseudo-random unit vector per text, seeded by its hash."""
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        """Queries use the real embedder, so query encoding cost is real."""
        return self._query.embed_query(text)

    def _vector(self, text: str) -> list[float]:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
        vector = np.random.default_rng(seed).standard_normal(self._dim).astype(np.float32)
        unit: list[float] = (vector / np.linalg.norm(vector)).tolist()
        return unit


def memory_mb(field: str = "VmRSS") -> float:
    """A memory figure of this process from /proc (``VmRSS`` now, ``VmHWM`` peak), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure_serve(data_dir: Path, models_dir: Path) -> dict[str, float]:
    """Peak and final RSS of a fresh serving process on the knowledge base in ``data_dir``."""
    result = subprocess.run(
        [sys.executable, "-m", "assistant.interfaces.web.bench_serve", str(data_dir), str(models_dir)],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if result.returncode != 0:
        raise StoreError(f"De servermeting is mislukt: {result.stderr.strip()[-500:]}")
    reports = [line for line in result.stdout.splitlines() if line.startswith("{")]
    measured: dict[str, float] = json.loads(reports[-1])
    return measured


def _disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1_000_000


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return {"p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1)}


def measure_ingest(embedder: IdentifiedEmbeddings, work: Path, real_chunks: int) -> dict[str, Any]:
    """Phase 1: full ingest vs the embedder alone, and re-ingest of unchanged files.

    The files are ingested a few at a time and each batch's texts are embedded alone right
    after it, so both sides of ``overhead_ratio`` see the same machine: on a shared 2-core
    machine the speed of the cores drifts by ±20% within a minute, which made one ingest
    phase followed by one embed-only phase a coin toss at 400 chunks.
    """
    files = write_process_documents(work / "docs-real", real_chunks)
    app = build_app(Settings(data_dir=work / "real"), embedder=embedder)
    full = embed_only = 0.0
    chunks = embedded = 0
    seen: set[str] = set()
    all_texts: list[str] = []
    for start in range(0, len(files), _INGEST_BATCH_FILES):
        began = time.perf_counter()
        report = app.ingest.ingest(files[start : start + _INGEST_BATCH_FILES], "algemeen", actor=SYSTEM_ACTOR)
        full += time.perf_counter() - began
        chunks += report.chunks
        page = app.kb.vectors.page("algemeen", ["documents"])
        texts = [
            t or "" for i, t in zip(page["ids"], page.get("documents") or [], strict=True) if i not in seen
        ]
        seen.update(page["ids"])
        all_texts.extend(texts)
        began = time.perf_counter()
        for offset in range(0, len(texts), 16):
            embedder.embed_documents(texts[offset : offset + 16])
        embed_only += time.perf_counter() - began
        embedded += len(texts)
    began = time.perf_counter()
    app.ingest.ingest(files, "algemeen", actor=SYSTEM_ACTOR)
    reingest = time.perf_counter() - began
    app.close()
    return {
        "chunks": chunks,
        "chunks_per_s": round(chunks / full, 2),
        "embed_only_chunks_per_s": round(embedded / embed_only, 2),
        "overhead_ratio": round(full / embed_only, 3),
        "reingest_ratio": round(reingest / full, 4),
        "texts": all_texts,
    }


def measure_scale(embedder: IdentifiedEmbeddings, work: Path, chunks: int) -> dict[str, Any]:
    """Phase 2: latency, memory and disk at ``chunks`` chunks with hash vectors."""
    hashed = HashEmbeddings(embedder)
    app = build_app(Settings(data_dir=work / "scale"), embedder=hashed)
    law = law_files()
    app.ingest.ingest(law, "algemeen", actor=SYSTEM_ACTOR)
    remaining = max(0, chunks - app.kb.vectors.count("algemeen"))
    app.ingest.ingest(write_process_documents(work / "docs-scale", remaining), "algemeen", actor=SYSTEM_ACTOR)
    total = app.kb.vectors.count("algemeen")
    # Hash vectors match nothing, so the refusal policy would skip answer building: time it always.
    answerer = Answerer(app.retriever, top_k=app.settings.top_k, policy=RefusalPolicy(strong_similarity=-1.0))
    for question in QUESTIONS[:2]:  # warm-up
        answerer.answer(question, ["algemeen"])
    query_ms: list[float] = []
    answer_ms: list[float] = []
    for _ in range(3):
        for question in QUESTIONS:
            started = time.perf_counter()
            result = app.retriever.retrieve(question, ["algemeen"], k=app.settings.top_k)
            query_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            answerer.answer_from(result)
            answer_ms.append(query_ms[-1] + (time.perf_counter() - started) * 1000)
    rss = memory_mb()
    app.close()
    return {
        "chunks": total,
        "vectors": hashed.embedder_id,
        "query": _percentiles(query_ms),
        "answer": _percentiles(answer_ms),
        "rss_mb": round(rss, 1),
        "disk_mb": round(_disk_mb(work / "scale"), 1),
    }


def run_bench(
    embedder: IdentifiedEmbeddings, chunks: int, real_chunks: int = 400, models_dir: Path | None = None
) -> dict[str, Any]:
    """Run the phases and return the one-line JSON report (``models_dir``: the torch model folder's home)."""
    with tempfile.TemporaryDirectory(prefix="avg-bench-") as tmp:
        work = Path(tmp)
        models = models_dir or work / "models"
        ingest = measure_ingest(embedder, work, min(chunks, real_chunks))
        side_by_side = available_embedders(models, embedder)
        embedders = compare_embedders(side_by_side, ingest.pop("texts"), QUESTIONS * 2)
        files = law_files()
        law = measure_law(side_by_side, work, files) if files else None
        scale = measure_scale(embedder, work, chunks)
        serve = measure_serve(work / "scale", models)
    return {
        "embedder": embedder.embedder_id,
        "embedders": embedders,
        "law": law,
        "ingest": {k: ingest[k] for k in ("chunks_per_s", "embed_only_chunks_per_s", "overhead_ratio")},
        "query": scale["query"],
        "answer": scale["answer"],
        "rss_mb": serve["peak_rss_mb"],
        "build_rss_mb": scale["rss_mb"],
        "disk_mb": scale["disk_mb"],
        "reingest_ratio": ingest["reingest_ratio"],
        "chunks": scale["chunks"],
        "ingest_chunks": ingest["chunks"],
        "vectors": scale["vectors"],
        "cpus": os.cpu_count(),
    }
