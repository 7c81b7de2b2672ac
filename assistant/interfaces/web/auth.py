"""Who is asking, and what happens when they may not: the web UI's side of ``features.accounts.access``.

* :func:`current_user` — the account of a request, looked up anew every time (a role change,
  a removed client or a removed account counts from the next click on). Without login (no
  accounts, on 127.0.0.1 only) it is the one local user with every client.
* :func:`guard` — runs a handler body with that user; :class:`AccessDenied` becomes a Dutch
  ``gr.Warning`` and a ``toegang_geweigerd`` row in the audit log, other domain errors a
  Dutch warning, anything else a general Dutch message (the details go to the server log).
  The UI never shows a stack trace.
* :class:`LoginRequired` — ASGI middleware in front of gradio when login is on: every
  request outside the login routes (:mod:`assistant.interfaces.web.login`) and static assets
  needs a live session of an account that still exists, else it gets 401 with no data (the
  app's page: a redirect to the login page). Gradio checks most routes itself through
  ``auth_dependency``; this closes the ones it leaves open. Sessions end
  ``AVG_SESSION_HOURS`` after the login, at logout, and when the account is removed.

Failed logins per address are limited by :meth:`UserStore.login` itself (atomic counters in
SQLite), and which session hashes and files a user may reach by
:mod:`assistant.interfaces.web.binding`.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, TypeVar

import gradio as gr
from starlette.requests import cookie_parser

from assistant.app import App
from assistant.error_report import report_unexpected
from assistant.features.accounts.access import (
    AccessDenied,
    Permission,
    local_user,
    may,
    role_permissions,
    session_user,
)
from assistant.features.accounts.users import User
from assistant.features.audit.log import EventType
from assistant.interfaces.web.login import Login, app_root
from ingestion.errors import AvgError

logger = logging.getLogger(__name__)

T = TypeVar("T")

LOGIN_NOW_REQUIRED = (
    "Er zijn inmiddels gebruikersaccounts: start de webinterface opnieuw en log in om verder te werken."
)
UNKNOWN_USER = "onbekend"

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def known_clients(app: App) -> list[str]:
    """The names of all clients of the knowledge base (the local user may see each)."""
    return [c.name for c in app.kb.clients.list()]


def request_username(request: gr.Request | None) -> str:
    """The user name gradio's session carries ("" without login)."""
    name = getattr(request, "username", None) if request is not None else None
    return str(name) if name else ""


def current_user(app: App, request: gr.Request | None) -> User:
    """The account of this request (fresh from the user store), or the local user without login."""
    username = request_username(request)
    if username:
        return session_user(app.users, username)
    if app.settings.auth_enabled and app.users.count() > 0:
        raise AccessDenied(LOGIN_NOW_REQUIRED)
    return local_user(known_clients(app))


def has_any(user: User, *permissions: Permission) -> bool:
    """Whether the user may use one of ``permissions`` (for some assigned client, if client-bound)."""
    for permission in permissions:
        if permission not in role_permissions(user.role):
            continue
        if may(user, permission) or any(may(user, permission, c) for c in user.clients):
            return True
    return False


def deny(app: App, request: gr.Request | None, user: User | None, exc: AccessDenied, action: str) -> None:
    """Show the refusal in Dutch and write it to the audit log."""
    name = user.username if user is not None else request_username(request) or UNKNOWN_USER
    try:
        app.audit.record(name, EventType.ACCESS_DENIED, action=action, reason=str(exc))
    except Exception:  # noqa: BLE001 - a failing log must not turn a refusal into a crash
        logger.exception("could not log a refusal")
    gr.Warning(str(exc))


def guard(app: App, request: gr.Request | None, action: str, body: Callable[[User], T], fallback: T) -> T:
    """Run ``body(user)``; on any error show a Dutch warning and return ``fallback``."""
    user: User | None = None
    try:
        user = current_user(app, request)
        return body(user)
    except AccessDenied as exc:
        deny(app, request, user, exc, action)
    except AvgError as exc:
        gr.Warning(str(exc))
    except Exception as exc:  # noqa: BLE001 - never show a stack trace in the UI
        gr.Warning(report_unexpected(exc, action, logger))
    return fallback


def handler(app: App, action: str, outputs: int, body: Callable[..., Any]) -> Callable[..., Any]:
    """A gradio event handler running ``body(user, *inputs)`` under :func:`guard`.

    The handler takes as many inputs as ``body`` takes after the user, plus the request
    gradio injects; on an error the ``outputs`` outputs stay as they are.
    """
    names = list(inspect.signature(body).parameters)[1:]

    def run(*args: Any) -> Any:
        *inputs, request = args
        return guard(app, request, action, lambda user: body(user, *inputs), skip(outputs))

    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [inspect.Parameter(f"input_{i}", positional) for i in range(len(names))]
    parameters.append(inspect.Parameter("request", positional, annotation=gr.Request))
    run.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    run.__annotations__ = {"request": gr.Request}
    run.__name__ = f"handler_{getattr(body, '__name__', 'body')}"
    return run


def skip(outputs: int) -> Any:
    """Leave ``outputs`` outputs as they are."""
    return gr.skip() if outputs == 1 else tuple(gr.skip() for _ in range(outputs))


# --- the HTTP gate -------------------------------------------------------------------------------

PUBLIC_PATHS = frozenset(
    {
        "/login",
        "/login/",
        "/logout",
        "/favicon.ico",
        "/robots.txt",
        "/theme.css",
        "/gradio_api/theme.css",
        "/gradio_api/startup-events",  # gradio calls it itself at launch, without a session
    }
)
PUBLIC_PREFIXES = ("/assets/", "/static/", "/svelte/")
UNAUTHORIZED = json.dumps({"detail": "Niet ingelogd."}).encode()


class LoginRequired:
    """ASGI middleware: without a live session only the login routes and static files are reachable.

    Gradio refuses its own routes without a user (``auth_dependency``); this gate also covers what
    gradio leaves open and sends a browser that opens the app without a session to the login page.
    """

    def __init__(self, app: ASGIApp, login: Login) -> None:
        self.app = app
        self.login = login

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on when it is public or logged in; else 303 to the login page or 401."""
        if scope["type"] not in ("http", "websocket") or self._public(scope) or self._logged_in(scope):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope.get("method") == "GET" and scope.get("path") == "/":
            await _redirect(send, app_root(scope) + "login")
            return
        await _respond(send, 401, UNAUTHORIZED)

    @staticmethod
    def _public(scope: Scope) -> bool:
        path = scope.get("path", "")
        if ".." in path or "%" in path:
            return False
        return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)

    def _logged_in(self, scope: Scope) -> bool:
        return self.login.username(_cookies(scope)) is not None


async def _redirect(send: Send, location: str) -> None:
    """Answer 303 See Other to ``location``, with no body."""
    headers = [
        (b"location", location.encode("latin-1")),
        (b"content-length", b"0"),
        (b"cache-control", b"no-store"),
    ]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


async def _respond(send: Send, status: int, body: bytes) -> None:
    """Answer with a JSON body and nothing else."""
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _cookies(scope: Scope) -> dict[str, str]:
    """The request's cookies by name (parsed as Starlette does for gradio)."""
    jar: dict[str, str] = {}
    for key, value in scope.get("headers", []):
        if key.lower() == b"cookie":
            jar.update(cookie_parser(value.decode("latin-1")))
    return jar
