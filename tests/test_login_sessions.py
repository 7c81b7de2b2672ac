"""Logins on a real gradio server behind our login: sessions expire, failing addresses are throttled.

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

from assistant.features.accounts.sessions import SessionStore
from assistant.features.accounts.users import ScryptParams, UserStore
from assistant.interfaces.web.login import COOKIE
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
    assert COOKIE not in refused.cookies
    account = users.get("anna")
    assert account is not None and not account.locked_until

    time.sleep(WINDOW_S + 0.5)  # the failures leave the window
    assert httpx.post(login, data={"username": "anna", "password": PASSWORD}).status_code == 200


def test_the_cookie_is_http_only_and_a_logout_ends_the_session(site: tuple[str, UserStore]) -> None:
    url, users = site
    with httpx.Client() as browser:
        response = _log_in(browser, url)
        header = response.headers["set-cookie"].lower()
        assert header.startswith(f"{COOKIE}=") and "httponly" in header and "samesite=strict" in header
        token = browser.cookies[COOKIE]
        assert browser.get(f"{url}/config").status_code == 200
        page = browser.get(f"{url}/logout")  # a GET only asks; it ends nothing
        assert page.status_code == 200 and 'method="post"' in page.text
        assert browser.get(f"{url}/config").status_code == 200
        assert browser.post(f"{url}/logout", headers={"Origin": url}).status_code == 303
    assert httpx.get(f"{url}/config", cookies={COOKIE: token}).status_code == 401, "the old cookie is dead"
    with httpx.Client() as other:
        _log_in(other, url)
        users.remove("anna")
        assert other.get(f"{url}/config").status_code == 401, "a removed account is logged out at once"


def test_a_login_posted_from_another_site_is_refused(site: tuple[str, UserStore]) -> None:
    url, _ = site
    data = {"username": "anna", "password": PASSWORD}
    for origin in ("http://evil.example", "null"):
        refused = httpx.post(f"{url}/login", data=data, headers={"Origin": origin, "Accept": "text/html"})
        assert refused.status_code == 403 and COOKIE not in refused.cookies
        assert "inlogpagina van de AVG-assistent" in refused.text
    same = httpx.post(f"{url}/login", data=data, headers={"Origin": url, "Accept": "text/html"})
    assert same.status_code == 303 and same.headers["location"] == "/" and COOKIE in same.cookies


def test_sessions_end_after_their_time_and_store_no_token() -> None:
    now = [0.0]
    sessions = SessionStore(max_age_s=60, clock=lambda: now[0])
    token = sessions.start("anna")
    assert sessions.username(token) == "anna" and sessions.username("vervalst") is None
    assert token not in repr(sessions.__dict__), "only the token's hash is kept"
    now[0] = 61
    assert sessions.username(token) is None
    second, third = sessions.start("anna"), sessions.start("bert")
    assert sessions.end_all("anna") == 1
    assert sessions.username(second) is None and sessions.username(third) == "bert"


def test_session_hours_setting_is_validated() -> None:
    assert Settings(session_hours=8).session_hours == 8
    with pytest.raises(ValueError):
        Settings(session_hours=0)
