"""The web UI: `avg-assistent serve` starts a Dutch chat page that answers with sources."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    data = tmp_path / "data"
    policy = tmp_path / "beleid.md"
    policy.write_text(
        "# Datalekbeleid\n\n## Melden\n\n"
        "Een datalek melden wij binnen 72 uur aan de Autoriteit Persoonsgegevens.\n",
        encoding="utf-8",
    )
    env = {**os.environ, "AVG_DATA_DIR": str(data), "AVG_CONFIG_FILE": str(tmp_path / "geen.toml")}
    subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest", str(policy)],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                break
        except OSError:
            if process.poll() is not None:
                pytest.fail(process.stdout.read().decode() if process.stdout else "server stopped")
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("server did not start")
    yield url
    process.terminate()
    process.wait(timeout=30)
    if process.stdout:
        process.stdout.close()


def test_chat_page_answers_with_sources(server: str) -> None:
    with urllib.request.urlopen(server, timeout=10) as response:
        page = response.read().decode()
    assert "AVG-assistent" in page
    client = Client(server, verbose=False)
    history, cleared, sources = client.predict(
        "Hoe snel melden we een datalek?", [], "algemeen", api_name="/respond"
    )
    assert cleared == ""
    assert history[-1]["role"] == "assistant"
    assert "72 uur" in str(history[-1]["content"])
    assert "Datalekbeleid" in sources and "72 uur" in sources


def test_empty_question_gives_no_answer(server: str) -> None:
    client = Client(server, verbose=False)
    history, _, sources = client.predict("   ", [], "algemeen", api_name="/respond")
    assert history == [] and sources == ""
