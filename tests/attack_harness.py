"""A small harness to attack a running `avg-assistent serve` over plain HTTP, as a browser tab would.

Logs in through ``/login``, reads the page config, and calls an event the way gradio's own
front end does: ``POST /gradio_api/queue/join`` with a session hash, then the event stream
``GET /gradio_api/queue/data?session_hash=…``. Nothing of the app is imported: what the
tests see is what any client on the network sees.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

import httpx

TIMEOUT = 120.0


@dataclass
class Account:
    """A logged-in account: its cookies and the page config it was served."""

    url: str
    name: str
    cookies: httpx.Cookies
    config: dict[str, Any] = field(default_factory=dict)

    def fn(self, api_name: str) -> int:
        """The fn_index of the event called ``api_name``."""
        for dependency in self.config["dependencies"]:
            if dependency.get("api_name") == api_name:
                return int(dependency["id"])
        raise KeyError(api_name)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.get(f"{self.url}{path}", cookies=self.cookies, timeout=TIMEOUT, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.post(f"{self.url}{path}", cookies=self.cookies, timeout=TIMEOUT, **kwargs)


def log_in(url: str, name: str, password: str) -> Account:
    """Log in through /login and fetch the page config."""
    response = httpx.post(f"{url}/login", data={"username": name, "password": password}, timeout=TIMEOUT)
    assert response.status_code == 200, (name, response.status_code, response.text)
    account = Account(url, name, response.cookies)
    config = account.get("/config")
    assert config.status_code == 200, config.text
    account.config = config.json()
    return account


def join(account: Account, api_name: str, data: list[Any], session_hash: str) -> httpx.Response:
    """Queue one event of ``api_name`` with ``data`` under ``session_hash``."""
    body = {
        "data": data,
        "fn_index": account.fn(api_name),
        "session_hash": session_hash,
        "event_data": None,
        "trigger_id": None,
    }
    return account.post("/gradio_api/queue/join", json=body)


def stream(account: Account, session_hash: str) -> tuple[int, list[dict[str, Any]], str]:
    """Read the event stream of ``session_hash`` until an event completes: (status, messages, raw text)."""
    messages: list[dict[str, Any]] = []
    raw: list[str] = []
    with httpx.stream(
        "GET",
        f"{account.url}/gradio_api/queue/data",
        params={"session_hash": session_hash},
        cookies=account.cookies,
        timeout=TIMEOUT,
    ) as response:
        if response.status_code != 200:
            return response.status_code, [], response.read().decode("utf-8", "replace")
        for line in response.iter_lines():
            raw.append(line)
            if not line.startswith("data: "):
                continue
            message = json.loads(line[len("data: ") :])
            messages.append(message)
            if message.get("msg") in ("process_completed", "close_stream", "unexpected_error"):
                break
        return 200, messages, "\n".join(raw)


def call(account: Account, api_name: str, data: list[Any]) -> tuple[str, dict[str, Any], str]:
    """Run one event to its end: (session hash, the completed message, everything streamed as text)."""
    session_hash = secrets.token_hex(6)
    joined = join(account, api_name, data, session_hash)
    assert joined.status_code == 200, (api_name, joined.status_code, joined.text)
    status, messages, raw = stream(account, session_hash)
    assert status == 200, (status, raw)
    done = [m for m in messages if m.get("msg") == "process_completed"]
    assert done, raw[-2000:]
    return session_hash, done[-1], raw


def output_files(message: dict[str, Any]) -> list[str]:
    """The server paths of the files in a completed event's output."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("path"), str) and value.get("meta", {}).get("_type") == "gradio.FileData":
                found.append(value["path"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(message.get("output", {}))
    return found
