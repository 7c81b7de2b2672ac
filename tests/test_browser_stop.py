"""Stopping `avg-assistent serve` (Ctrl+C, SIGTERM) does not wait for open browser tabs."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from browser_support import add_user, launched_browser, needs_chromium, open_page, server_env
from conftest import free_port, wait_for_http

from assistant.interfaces.web.server import GRACEFUL_STOP_S


@needs_chromium
def test_a_stop_with_a_logged_in_tab_open_ends_the_server_within_seconds(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    add_user(data_dir, "bea", "beheerder")
    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant.interfaces.cli.main", "serve", "--port", str(port)],
            env=server_env(data_dir),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_for_http(url, process, timeout=180)
            with launched_browser() as browser:
                page = open_page(browser, url, "bea")  # the tab holds its event stream open
                assert page.locator("#gebruiker-info").is_visible()
                started = time.monotonic()
                process.terminate()
                process.wait(timeout=GRACEFUL_STOP_S + 25)
                took = time.monotonic() - started
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)
    assert took < GRACEFUL_STOP_S + 20, took
    log_text = log_path.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log_text
