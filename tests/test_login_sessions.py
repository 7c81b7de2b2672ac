"""Logins on a real gradio server with our middleware: sessions expire, failing addresses are throttled.

The server runs as its own process (tests/login_server.py) with limits of seconds, so the tests
wait real time instead of moving a clock.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import free_port, wait_for_http

from assistant.features.accounts.users import ScryptParams, UserStore
from assistant.settings import Settings

PASSWORD = "lang-genoeg-wachtwoord-42"
SESSION_S = 4.0
WINDOW_S = 4.0


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, UserStore]]:
    users = UserStore(tmp_path / "users.sqlite3", kdf=ScryptParams(log2_n=10, r=8, p=1))
    users.add("anna", "medewerker", PASSWORD)
    port = free_port()
    server = Path(__file__).with_name("login_server.py")
    args = [str(tmp_path / "users.sqlite3"), str(port), str(SESSION_S / 3600), "3", str(WINDOW_S)]
    process = subprocess.Popen([sys.executable, str(server), *args], cwd=Path(__file__).parent.parent)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_http(f"{url}/", process, timeout=90)  # the login page
        yield url, users
    finally:
        process.terminate()
        process.wait(timeout=30)


def _log_in(browser: httpx.Client, url: str) -> httpx.Response:
    return browser.post(f"{url}/login", data={"username": "anna", "password": PASSWORD})


def test_session_ends_after_the_configured_hours(site: tuple[str, UserStore]) -> None:
    url, _ = site
    with httpx.Client() as browser:
        assert browser.get(f"{url}/config").status_code == 401  # not logged in
        assert _log_in(browser, url).status_code == 200
        started = time.monotonic()
        assert browser.get(f"{url}/config").status_code == 200
        assert time.monotonic() - started < SESSION_S  # the check above ran within the session
        time.sleep(SESSION_S + 0.5)
        assert browser.get(f"{url}/config").status_code == 401  # expired: the old cookie is worthless
        assert browser.get(f"{url}/config").status_code == 401

        assert _log_in(browser, url).status_code == 200
        assert browser.get(f"{url}/config").status_code == 200  # a new login starts a new session


def test_an_address_with_too_many_failed_logins_is_refused_for_a_while(site: tuple[str, UserStore]) -> None:
    url, users = site
    login = f"{url}/login"
    for name in ("anna", "bert", "carla"):  # different accounts: no account reaches its own lock-out
        assert httpx.post(login, data={"username": name, "password": "fout-wachtwoord-1"}).status_code == 400
    refused = httpx.post(login, data={"username": "anna", "password": PASSWORD})
    assert refused.status_code == 429 and "Te veel mislukte inlogpogingen" in refused.json()["detail"]
    assert "access-token" not in str(refused.cookies)
    account = users.get("anna")
    assert account is not None and not account.locked_until

    time.sleep(WINDOW_S + 0.5)  # the failures leave the window
    assert httpx.post(login, data={"username": "anna", "password": PASSWORD}).status_code == 200


def test_session_hours_setting_is_validated() -> None:
    assert Settings(session_hours=8).session_hours == 8
    with pytest.raises(ValueError):
        Settings(session_hours=0)
