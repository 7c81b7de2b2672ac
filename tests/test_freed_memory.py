"""Erased text must not reach Chroma's index files through uninitialised (freed) heap memory.

Each run is a fresh process (``tests/erasure_process.py``): what matters is what the heap held
before the index files were written.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.freed_memory import scrub_freed_memory

SCRIPT = Path(__file__).with_name("erasure_process.py")
CANARY = "zwaluwkanarie"


def _files_with_canary(tmp_path: Path, run: int, *flags: str) -> list[str]:
    data_dir = tmp_path / f"run{run}" / "data"
    data_dir.parent.mkdir()
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(data_dir), CANARY, *flags],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=SCRIPT.parent.parent,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_scrubbing_is_available_on_glibc() -> None:
    assert scrub_freed_memory()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_erased_client_text_never_lands_in_another_collections_index(tmp_path: Path) -> None:
    for run in range(2):
        assert _files_with_canary(tmp_path, run) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_without_scrubbing_the_text_leaks_into_index_files(tmp_path: Path) -> None:
    """The control: shows the scenario above would catch the leak (chromadb 1.5, glibc)."""
    leaks = [_files_with_canary(tmp_path, run, "--no-scrub") for run in range(3)]
    if not any(leaks):
        pytest.skip("deze Chroma/glibc-combinatie lekt niet (meer); de maatregel is dan een vangnet")
    assert any(name.endswith(".bin") for files in leaks for name in files)
