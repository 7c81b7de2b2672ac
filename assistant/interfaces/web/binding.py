"""Session hashes, event ids and files belong to the account that got them: an ASGI gate in front of gradio.

Gradio identifies a browser tab by a ``session_hash`` the client makes up, and serves any file
of its cache through ``/gradio_api/file=<path>`` to anyone who is logged in. Both travel in URLs
and logs, so on their own they are capabilities anyone could replay. :class:`SessionBinding`
ties them to the account of the session cookie:

* a session hash belongs to the first account that uses it (``queue/join``, ``queue/data``,
  ``heartbeat``, ``cancel``, ``stream``); another account presenting it gets 403 — no events,
  no heartbeat, no state;
* an event id of ``/call/<api>`` belongs to the account that started it;
* a file is served only to the account it was handed to: an upload to its uploader, a
  component's output file (an export) to the account whose event returned it. Paths are
  learnt from gradio's own answers (upload results, event and config messages); anything else
  (another account's upload or export, the data folder, a system file, a URL) is refused
  before gradio sees the request.

What is owned is kept in memory for :data:`LIFETIME_S` (longer than gradio keeps its cache).
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs, unquote

from assistant.interfaces.web.auth import ASGIApp, Receive, Scope, Send, _cookies, _respond
from assistant.interfaces.web.login import Login

API = "/gradio_api"
LIFETIME_S = 24 * 3600.0
MAX_ENTRIES = 100_000
FOREIGN_SESSION = json.dumps({"detail": "Deze sessie hoort bij een ander account."}).encode()
FOREIGN_FILE = json.dumps({"detail": "Geen toegang tot dit bestand."}).encode()
_HASH_IN_PATH = re.compile(r"^/(?:heartbeat|stream)/([^/]+)(?:/|$)")
_EVENT_IN_PATH = re.compile(r"^/call/(?:v2/)?[^/]+/([^/]+)$")
_BODY_ROUTES = re.compile(r"^/(?:queue/join|cancel|stream/[^/]+(?:/close)?|run/.+|api/.+|call/.+)$")
_PATH_FIELD = re.compile(r'"path":\s*"((?:[^"\\]|\\.)*)"')
_FILE_URL = re.compile(r"/gradio_api/file=([^\"\s?#\\]+)")
_EVENT_FIELD = re.compile(r'"event_id":\s*"([A-Za-z0-9_-]+)"')
MAX_BODY = 64 * 1024 * 1024


class Ownership:
    """Which account owns which session hash (first come, first owned) and was given which
    event id or file (one file may be given to several accounts: gradio names cached files by
    their content); thread-safe, entries expire after ``lifetime_s``."""

    def __init__(self, lifetime_s: float = LIFETIME_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.lifetime_s = lifetime_s
        self.clock = clock
        self._lock = threading.Lock()
        self._claimed: dict[str, tuple[str, float]] = {}
        self._given: dict[tuple[str, str, str], float] = {}

    def claim(self, key: str, user: str) -> bool:
        """True when session hash ``key`` is ``user``'s (it becomes so when nobody owned it yet)."""
        now = self.clock()
        with self._lock:
            owner = self._claimed.get(key)
            if owner is not None and owner[0] != user and now - owner[1] <= self.lifetime_s:
                return False
            self._claimed[key] = (user, now)
            self._prune(now)
        return True

    def give(self, kind: str, key: str, user: str) -> None:
        """Record that the server handed ``key`` (a file path, an event id) to ``user``."""
        now = self.clock()
        with self._lock:
            self._given[(kind, key, user)] = now
            self._prune(now)

    def owns(self, kind: str, key: str, user: str) -> bool:
        """Whether ``key`` was given to ``user`` (an unknown key belongs to nobody)."""
        with self._lock:
            at = self._given.get((kind, key, user))
        return at is not None and self.clock() - at <= self.lifetime_s

    def _prune(self, now: float) -> None:
        if len(self._claimed) + len(self._given) <= MAX_ENTRIES:
            return
        for key in [k for k, (_, at) in self._claimed.items() if now - at > self.lifetime_s]:
            del self._claimed[key]
        for given in [k for k, at in self._given.items() if now - at > self.lifetime_s]:
            del self._given[given]


def file_key(path: str) -> str:
    """The canonical form of a file path as gradio resolves it."""
    return os.path.realpath(os.path.abspath(path))


class SessionBinding:
    """ASGI middleware: session hashes, event ids and files only for the account that owns them."""

    def __init__(self, app: ASGIApp, login: Login, ownership: Ownership | None = None) -> None:
        self.app = app
        self.login = login
        self.ownership = ownership or Ownership()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a foreign session hash, event id or file; learn what the answer hands out."""
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or not (path.startswith(API + "/") or path.rstrip("/") == "/config"):
            await self.app(scope, receive, send)
            return
        user = self.login.username(_cookies(scope))
        if user is None:  # gradio (and LoginRequired) refuse it
            await self.app(scope, receive, send)
            return
        rest = path[len(API) :] if path.startswith(API) else path
        if rest.startswith(("/file=", "/file/")):
            if not self.ownership.owns("file", file_key(rest[len("/file=") :]), user):
                await _respond(send, 403, FOREIGN_FILE)
                return
            await self.app(scope, receive, send)
            return
        hashes = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("session_hash", [])
        if match := _HASH_IN_PATH.match(rest):
            hashes.append(unquote(match.group(1)))
        if scope.get("method") == "POST" and _BODY_ROUTES.match(rest):
            body, receive = await _read_body(receive)
            hashes += _body_hashes(body)
        event = _EVENT_IN_PATH.match(rest) if scope.get("method") == "GET" else None
        if event is not None and not self.ownership.owns("event", event.group(1), user):
            await _respond(send, 403, FOREIGN_SESSION)
            return
        if not all(self.ownership.claim(h, user) for h in hashes if h):
            await _respond(send, 403, FOREIGN_SESSION)
            return
        await self.app(scope, receive, self._learning(send, user, upload=rest.rstrip("/") == "/upload"))

    def _learning(self, send: Send, user: str, upload: bool) -> Send:
        """A ``send`` that records the files and event ids of the answer as the user's."""
        pending = [""]

        async def watch(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.body":
                text = pending[0] + bytes(message.get("body", b"")).decode("utf-8", errors="replace")
                more = bool(message.get("more_body", False))
                cut = text.rfind("\n\n") + 2 if more else len(text)
                if more and cut < 2:
                    cut = 0
                self._learn(text[:cut], user, upload and not more)
                pending[0] = text[cut:]
            await send(message)

        return watch

    def _learn(self, text: str, user: str, upload: bool) -> None:
        if not text:
            return
        paths = [json.loads(f'"{raw}"') for raw in _PATH_FIELD.findall(text)]
        paths += [unquote(raw) for raw in _FILE_URL.findall(text)]
        if upload:
            try:
                listed = json.loads(text)
            except ValueError:
                listed = []
            paths += [p for p in listed if isinstance(p, str)] if isinstance(listed, list) else []
        for path in paths:
            if isinstance(path, str) and path:
                self.ownership.give("file", file_key(path), user)
        for event_id in _EVENT_FIELD.findall(text):
            self.ownership.give("event", event_id, user)


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body, and a ``receive`` that hands it on unchanged."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = bytes(message.get("body", b""))
        size += len(chunk)
        chunks.append(chunk)
        if not message.get("more_body", False) or size > MAX_BODY:
            break
    body = b"".join(chunks)
    sent = [False]

    async def replay() -> MutableMapping[str, Any]:
        if not sent[0]:
            sent[0] = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


def _body_hashes(body: bytes) -> list[str]:
    """The ``session_hash`` of a JSON request body (none when it is not JSON)."""
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return []
    value = data.get("session_hash") if isinstance(data, dict) else None
    return [value] if isinstance(value, str) else []
