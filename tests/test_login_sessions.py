"""Logins on a real gradio server with our middleware: sessions expire, failing addresses are throttled."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import gradio as gr
import httpx
import pytest
from conftest import free_port
from starlette.middleware import Middleware

from assistant.settings import Settings
from assistant.ui_auth import LoginRequired, LoginThrottle
from assistant.users import ScryptParams, UserStore

PASSWORD = "lang-genoeg-wachtwoord-42"
# gradio's in-process server leaves its event loop for the garbage collector: not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


class Clock:
    """Monotonic seconds the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Clock, UserStore]]:
    users = UserStore(tmp_path / "users.sqlite3", kdf=ScryptParams(log2_n=10, r=8, p=1))
    users.add("anna", "medewerker", PASSWORD)
    clock = Clock()
    with gr.Blocks() as ui:
        gr.Markdown("Vragen over de AVG")
    middleware = [
        Middleware(LoginThrottle, max_failures=3, window_s=900, clock=clock),
        Middleware(LoginRequired, users=users, session_hours=2, clock=clock),
    ]
    ui.launch(
        prevent_thread_lock=True,
        quiet=True,
        server_name="127.0.0.1",
        server_port=free_port(),
        auth=users.authenticate,
        app_kwargs={"middleware": middleware},
    )
    try:
        yield ui.local_url.rstrip("/"), clock, users
    finally:
        ui.close()
        gc.collect()  # collect gradio's leftovers here, under this module's warning filter


def test_session_ends_after_the_configured_hours(site: tuple[str, Clock, UserStore]) -> None:
    url, clock, _ = site
    with httpx.Client() as browser:
        assert browser.get(f"{url}/config").status_code == 401  # not logged in
        assert (
            browser.post(f"{url}/login", data={"username": "anna", "password": PASSWORD}).status_code == 200
        )
        assert browser.get(f"{url}/config").status_code == 200

        clock.now += 2 * 3600 - 60
        assert browser.get(f"{url}/config").status_code == 200  # still within two hours
        clock.now += 120
        assert browser.get(f"{url}/config").status_code == 401  # expired: the old cookie is worthless
        assert browser.get(f"{url}/config").status_code == 401

        assert (
            browser.post(f"{url}/login", data={"username": "anna", "password": PASSWORD}).status_code == 200
        )
        assert browser.get(f"{url}/config").status_code == 200  # a new login starts a new session


def test_an_address_with_too_many_failed_logins_is_refused_for_a_while(
    site: tuple[str, Clock, UserStore],
) -> None:
    url, clock, users = site
    login = f"{url}/login"
    for name in ("anna", "bert", "carla"):  # different accounts: no account reaches its own lock-out
        assert httpx.post(login, data={"username": name, "password": "fout-wachtwoord-1"}).status_code == 400
    refused = httpx.post(login, data={"username": "anna", "password": PASSWORD})
    assert refused.status_code == 429 and "Te veel mislukte inlogpogingen" in refused.json()["detail"]
    assert "access-token" not in str(refused.cookies)
    account = users.get("anna")
    assert account is not None and not account.locked_until

    clock.now += 901  # the failures leave the window
    assert httpx.post(login, data={"username": "anna", "password": PASSWORD}).status_code == 200


def test_session_hours_setting_is_validated() -> None:
    assert Settings(session_hours=8).session_hours == 8
    with pytest.raises(ValueError):
        Settings(session_hours=0)
