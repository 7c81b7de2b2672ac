"""Login, logout and the session cookie: our own routes in front of gradio, through its supported hook.

Gradio's built-in login keeps sessions that never expire and cannot be ended for an account
that was removed. So the web UI owns its sessions (:class:`SessionStore`) and tells gradio who
is asking through ``auth_dependency`` of ``gr.mount_gradio_app`` — the hook gradio provides for
external authentication. Gradio then refuses every route of a request without a user (401),
and ``gr.Request.username`` carries the account name into every handler.

* ``GET /login`` — a small Dutch login page (no scripts, no external resources).
* ``POST /login`` — checks the password with :meth:`UserStore.login` (lock-out after failures
  per account and per name, failures per address counted atomically in SQLite, audit), starts
  a session and sets the cookie (HttpOnly, SameSite=Strict, Secure over https). A browser form
  is redirected to the app; other clients (gradio_client) get 200 JSON. A failed login answers
  400 with the Dutch reason (also the lock-out message), an address with too many failures 429.
  A cross-site form post is refused (403).
* ``GET /logout`` — only a page with two buttons; it changes nothing (a link or image from
  another site cannot log anyone out).
* ``POST /logout`` — ends this session, or with ``overal=1`` every session of the account;
  refused (403) when posted from another site.

A session ends too when the account's ``session_epoch`` changed (new password, new role).
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assistant.features.accounts.sessions import SessionStore
from assistant.features.accounts.users import AddressLimit, UserStore

COOKIE = "avg_sessie"
CROSS_SITE = "Inloggen kan alleen via de inlogpagina van de AVG-assistent zelf."
CROSS_SITE_LOGOUT = "Uitloggen kan alleen vanuit de AVG-assistent zelf."
EVERYWHERE = "overal"
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # no-referrer would make the form post Origin: null
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
    ),
}

PAGE = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inloggen — AVG-assistent</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; background: #f1f5f9;
       color: #1e293b; margin: 0; display: flex; min-height: 100vh; align-items: center;
       justify-content: center; }}
main {{ background: #fff; border-radius: 12px; box-shadow: 0 4px 24px rgba(15, 23, 42, .08);
       padding: 32px 36px; width: 100%; max-width: 380px; }}
h1 {{ font-size: 1.4rem; margin: 0 0 4px; }}
.uitleg {{ color: #475569; font-size: .9rem; }}
label {{ display: block; font-weight: 600; margin: 16px 0 6px; }}
input {{ width: 100%; box-sizing: border-box; padding: 10px 12px; border: 1px solid #cbd5e1;
        border-radius: 8px; font-size: 1rem; }}
button {{ margin-top: 22px; width: 100%; padding: 11px; border: 0; border-radius: 8px;
         background: #2563eb; color: #fff; font-size: 1rem; font-weight: 600; cursor: pointer; }}
.fout {{ border-left: 4px solid #c0392b; background: #fdecea; color: #5a1d17; padding: 8px 12px;
        border-radius: 6px; margin-top: 14px; }}
</style>
</head>
<body>
<main>
<h1>AVG-assistent</h1>
<div class="uitleg">{message}</div>
{error}
<form method="post" action="">
<label for="username">Gebruikersnaam</label>
<input id="username" name="username" type="text" autocomplete="username" required autofocus
 value="{username}">
<label for="password">Wachtwoord</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Inloggen</button>
</form>
</main>
</body>
</html>
"""


LOGOUT_PAGE = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Uitloggen — AVG-assistent</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; background: #f1f5f9;
       color: #1e293b; margin: 0; display: flex; min-height: 100vh; align-items: center;
       justify-content: center; }
main { background: #fff; border-radius: 12px; box-shadow: 0 4px 24px rgba(15, 23, 42, .08);
       padding: 32px 36px; width: 100%; max-width: 380px; }
h1 { font-size: 1.4rem; margin: 0 0 12px; }
button { margin-top: 12px; width: 100%; padding: 11px; border: 0; border-radius: 8px;
         background: #2563eb; color: #fff; font-size: 1rem; font-weight: 600; cursor: pointer; }
button.overal { background: #fff; color: #2563eb; border: 1px solid #2563eb; }
a { display: block; margin-top: 16px; text-align: center; color: #475569; }
</style>
</head>
<body>
<main>
<h1>Uitloggen</h1>
<form method="post" action=""><button type="submit" id="uitloggen">Uitloggen</button></form>
<form method="post" action=""><input type="hidden" name="overal" value="1">
<button type="submit" class="overal" id="overal-uitloggen">Op alle apparaten uitloggen</button></form>
<a href="./">Terug naar de AVG-assistent</a>
</main>
</body>
</html>
"""


class Login:
    """The login routes and the session check gradio calls for every request."""

    def __init__(
        self, users: UserStore, sessions: SessionStore, message: str, limit: AddressLimit | None = None
    ) -> None:
        self.users = users
        self.sessions = sessions
        self.message = message  # trusted HTML of our own (lock-out rules)
        self.limit = limit or AddressLimit()

    def add_routes(self, app: FastAPI) -> None:
        """Add /login and /logout to ``app`` (before gradio is mounted, so they take precedence)."""
        app.add_api_route("/login", self.page, methods=["GET"], include_in_schema=False)
        app.add_api_route("/login/", self.page, methods=["GET"], include_in_schema=False)
        app.add_api_route("/login", self.submit, methods=["POST"], include_in_schema=False)
        app.add_api_route("/login/", self.submit, methods=["POST"], include_in_schema=False)
        app.add_api_route("/logout", self.logout_page, methods=["GET"], include_in_schema=False)
        app.add_api_route("/logout", self.logout, methods=["POST"], include_in_schema=False)

    def username(self, cookies: dict[str, str]) -> str | None:
        """The account of a live session of an account that still exists at the session's epoch.

        A removed account is logged out everywhere; a session from before a new password or
        role (another ``session_epoch``) is ended.
        """
        token = cookies.get(COOKIE, "")
        session = self.sessions.session(token)
        if session is None:
            return None
        user = self.users.get(session.username)
        if user is None:
            self.sessions.end_all(session.username)
            return None
        if user.session_epoch != session.epoch:
            self.sessions.end(token)
            return None
        return user.username

    def dependency(self, request: Request) -> str | None:
        """gradio's ``auth_dependency``: who is asking, or None (gradio answers 401)."""
        return self.username(dict(request.cookies))

    async def page(self, request: Request) -> Response:
        """The login page, or the app when already logged in."""
        if self.dependency(request) is not None:
            return RedirectResponse(app_root(request.scope), status_code=303)
        return self._page()

    async def submit(self, request: Request) -> Response:
        """Check the password, start a session, set the cookie."""
        wants_html = "text/html" in request.headers.get("accept", "")
        if not _same_origin(request):
            return self._failed(CROSS_SITE, 403, wants_html, "")
        form = await request.form()
        username = str(form.get("username") or "")
        password = str(form.get("password") or "")
        address = request.client.host if request.client is not None else ""
        result = self.users.login(username, password, address, self.limit)
        if not result.ok or result.user is None:
            return self._failed(result.message, 429 if result.throttled else 400, wants_html, username)
        token = self.sessions.start(result.user.username, result.user.session_epoch)
        response: Response
        if wants_html:
            response = RedirectResponse(app_root(request.scope), status_code=303)
        else:
            response = Response(json.dumps({"success": True}), media_type="application/json")
        response.set_cookie(
            COOKIE,
            token,
            max_age=int(self.sessions.max_age_s),
            path="/",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        response.headers.update(SECURITY_HEADERS)
        return response

    async def logout_page(self, request: Request) -> Response:
        """A page that asks to log out (a GET changes nothing); without a session the login page."""
        if self.dependency(request) is None:
            return RedirectResponse(app_root(request.scope) + "login", status_code=303)
        return HTMLResponse(LOGOUT_PAGE, headers=SECURITY_HEADERS)

    async def logout(self, request: Request) -> Response:
        """End this session (or with ``overal=1`` all of the account's) and go to the login page."""
        wants_html = "text/html" in request.headers.get("accept", "")
        if not _same_origin(request, strict=True):
            return self._failed(CROSS_SITE_LOGOUT, 403, wants_html, "")
        token = request.cookies.get(COOKIE, "")
        form = await request.form()
        session = self.sessions.session(token)
        if session is not None and str(form.get(EVERYWHERE) or "") == "1":
            self.sessions.end_all(session.username)
        self.sessions.end(token)
        response = RedirectResponse(app_root(request.scope) + "login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        response.headers.update(SECURITY_HEADERS)
        return response

    def _page(self, error: str = "", username: str = "", status: int = 200) -> HTMLResponse:
        body = PAGE.format(
            message=self.message,
            error=f'<div class="fout" role="alert">{html.escape(error)}</div>' if error else "",
            username=html.escape(username, quote=True),
        )
        return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)

    def _failed(self, message: str, status: int, wants_html: bool, username: str) -> Response:
        if wants_html:
            return self._page(message, username, status)
        payload: dict[str, Any] = {"detail": message}
        return Response(json.dumps(payload), status_code=status, media_type="application/json")


def app_root(scope: Mapping[str, Any]) -> str:
    """The app's own root URL path for a request's ASGI scope (behind a proxy prefix too)."""
    prefix = str(scope.get("root_path") or "").rstrip("/")
    return f"{prefix}/"


def _same_origin(request: Request, strict: bool = False) -> bool:
    """False for a form posted from another site (CSRF); clients without Origin pass.

    ``strict`` also checks the Referer when there is no Origin (logout).
    """
    host = request.headers.get("host", "")
    origin = request.headers.get("origin")
    if origin is None:
        referer = request.headers.get("referer")
        return not strict or referer is None or urlsplit(referer).netloc == host
    return origin != "null" and urlsplit(origin).netloc == host
