"""The gradio web UI: a page of tabs, each built by its own module, behind a login.

Convention for a tab: a module exposes ``build_tab(app: App) -> None`` that creates its
components and events inside the ``with gr.Tab(label):`` block this module opens. The
tabs appear in the order of :data:`TABS`, each with the permissions that show it; which
tabs a user sees is decided on page load (cosmetic: every handler checks again with
:mod:`assistant.interfaces.web.auth`). Only the UI modules (``web.py``, ``ui_*.py``) import gradio;
they call use cases and show domain errors as Dutch messages.

:func:`serve` decides the mode with :func:`assistant.features.accounts.access.auth_mode`: with accounts the
UI asks for a login (our login page, :mod:`assistant.interfaces.web.login`, checked by
:class:`assistant.features.accounts.users.UserStore` and handed to gradio through its
``auth_dependency`` hook; every other route behind :class:`assistant.interfaces.web.auth.LoginRequired`);
gradio is mounted on a FastAPI app that uvicorn serves. Without accounts it
runs only on 127.0.0.1 with one local user and says so on the page; on a network address
without accounts it refuses to start. Hardening: uploads up to the ingestion limit, the
data directory blocked for gradio's file route, a bounded queue, no error details, no API
page or listed endpoints, no monitoring, MCP, PWA or run history, temporary files expire.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, Literal

import gradio as gr
import uvicorn
from fastapi import FastAPI
from starlette.middleware import Middleware

from assistant.app import App, build_app
from assistant.features.accounts.access import Permission, auth_mode
from assistant.features.accounts.sessions import SessionStore
from assistant.features.accounts.users import LOCKOUT, MAX_FAILURES, USERS_FILE, AddressLimit, User, UserStore
from assistant.features.documents.first_start import law_missing_hint, prepare_knowledge
from assistant.file_modes import restrict, use_private_umask
from assistant.interfaces.web.auth import LoginRequired, guard, has_any, skip
from assistant.interfaces.web.binding import SessionBinding
from assistant.interfaces.web.csp import ContentSecurityPolicy
from assistant.interfaces.web.login import Login
from assistant.interfaces.web.plain_text import literal_markdown
from assistant.interfaces.web.safe_components import TOAST_TITLES_JS, safe_markdown
from assistant.interfaces.web.tabs import admin, chat, check, knowledge, portfolio, register
from assistant.settings import Settings
from ingestion.limits import ParseLimits

GRACEFUL_STOP_S = 5  # seconds a stop waits for running requests


class _QuietStop(logging.Filter):
    """Leaves out uvicorn's report of the event streams it cancels when a stop's wait is over."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, asyncio.CancelledError):
            return False
        return "timeout graceful shutdown exceeded" not in record.getMessage()


logger = logging.getLogger(__name__)

Mode = Literal["login", "lokaal"]
TabBuilder = Callable[[App], None]
# (label, builder, permissions of which one shows the tab; empty: everyone)
TABS: list[tuple[str, TabBuilder, tuple[Permission, ...]]] = [
    ("Vragen", chat.build_tab, ()),
    (
        "Kennisbank",
        knowledge.build_tab,
        (
            Permission.MANAGE_GUIDANCE,
            Permission.MANAGE_CHECKLIST,
            Permission.INGEST_CLIENT_DOCUMENTS,
            Permission.MANAGE_CLIENTS,
            Permission.MANAGE_CARDS,
        ),
    ),
    (
        "Privacyverklaring",
        register.build_tab,
        (Permission.MANAGE_REGISTER, Permission.DRAFT_STATEMENT, Permission.APPROVE_STATEMENT),
    ),
    ("Compliancy Check", check.build_tab, (Permission.RUN_CHECK, Permission.MANAGE_CHECKLIST)),
    ("Portefeuille", portfolio.build_tab, (Permission.RUN_CHECK, Permission.MANAGE_CLIENTS)),
    ("Beheer", admin.build_tab, (Permission.MANAGE_USERS, Permission.VIEW_AUDIT)),
]
CONCURRENCY = 4
QUEUE_SIZE = 64
MAX_FILE_SIZE = ParseLimits().max_file_bytes  # the same limit as ingestion: 25 MB
CACHE_LIFETIME = (600, 900)  # every 10 minutes, delete gradio's temporary files older than 15 minutes
LOGIN_MESSAGE = (
    "<p>Log in met uw account van de AVG-assistent.</p>"
    f"<p>Na {MAX_FAILURES} mislukte pogingen wordt een account {int(LOCKOUT.total_seconds() // 60)} "
    "minuten geblokkeerd; een beheerder kan het eerder ontgrendelen.</p>"
)
LOCAL_BANNER = (
    "**Inloggen staat uit.** Deze webinterface draait alleen op deze computer (127.0.0.1) met één lokale "
    "gebruiker met alle rechten. Maak een beheerder aan (`avg-assistent users add NAAM --rol beheerder`) "
    "en start opnieuw om met accounts en rollen te werken."
)

CSS = """
.bronnenlijst { list-style: none; padding: 0; margin: 0; }
.bron { border: 1px solid var(--border-color-primary); border-radius: var(--radius-lg);
        padding: 10px 12px; margin: 0 0 10px; background: var(--background-fill-secondary); }
.bron-kop { font-weight: 600; }
.bron-nummer { color: var(--color-accent); margin-right: 2px; }
.bron-document { font-size: var(--text-sm); color: var(--body-text-color-subdued); margin: 2px 0 6px; }
.bron-passage { margin: 0; padding: 0 0 0 10px; border-left: 3px solid var(--color-accent-soft);
                font-size: var(--text-sm); line-height: 1.55; }
.bron-passage mark { background: #fde68a; color: #1f2937; padding: 0 2px; border-radius: 2px; }
.bron-openen { margin-top: 6px; font-size: var(--text-sm); color: var(--color-accent);
               background: none; border: 1px solid var(--color-accent-soft); border-radius: 6px;
               padding: 2px 8px; cursor: pointer; }
.bron-context { border: 2px solid var(--color-accent-soft); border-radius: var(--radius-lg);
                padding: 10px 12px; margin-top: 6px; max-height: 480px; overflow-y: auto; }
.context-passage { font-size: var(--text-sm); line-height: 1.55; margin: 6px 0; }
.context-passage.geciteerd { background: #fff8e1; border-left: 3px solid #d4a017; padding-left: 8px; }
.context-passage mark { background: #fde68a; color: #1f2937; }
.bronnen-leeg { color: var(--body-text-color-subdued); font-size: var(--text-sm); }
.meldingen { border-left: 4px solid #d4a017; background: #fff8e1; color: #3f3a2a;
             padding: 8px 12px; border-radius: 6px; }
.meldingen.fout { border-left-color: #c0392b; background: #fdecea; color: #5a1d17; }
.melding { margin: 0; font-size: var(--text-sm); }
.melding + .melding { margin-top: 4px; }
#meldingen:not(:has(.meldingen)) { display: none; }
#eerste-start { border-left: 4px solid #d4a017; padding-left: 10px; }
#lokaal-modus { border-left: 4px solid #c0392b; padding-left: 10px; }
#kopregel { align-items: center; flex-wrap: wrap; row-gap: 4px; }
#kopregel > * { min-width: min(100%, 16rem) !important; }
#kop h1, #kop p, #gebruiker-info p { word-break: normal; overflow-wrap: normal; hyphens: none; }
#kop h1 { white-space: nowrap; }
#gebruiker-info p { margin: 0; text-align: right; }
@media (max-width: 640px) { #gebruiker-info p { text-align: left; } }
.bron.gemarkeerd { outline: 3px solid var(--color-accent); outline-offset: 1px;
                   background: var(--background-fill-primary); }
.bron-verwijzing { color: var(--color-accent); font-weight: 600; text-decoration: none; cursor: pointer; }
.bron-verwijzing:hover, .bron-verwijzing:focus { text-decoration: underline; }
/* tables: whole words, never letter by letter; a table wider than its box scrolls inside it */
.prose table { display: block; max-width: 100%; overflow-x: auto; }
.prose table th, .prose table td, .leesbare-tabel th, .leesbare-tabel td {
  word-break: normal !important; overflow-wrap: normal !important; hyphens: none; }
.prose table th, .prose table td { min-width: 5.5rem; }
.leesbare-tabel .table-wrap, .leesbare-tabel .table-container { max-width: 100%; overflow-x: auto; }
"""


GRADIO_DUTCH = {  # gradio's own strings its Dutch translation lacks (shown as keys otherwise)
    "common.complete": "Klaar",
    "common.error": "Fout",
    "common.loading": "Bezig",
}


def gradio_dutch() -> gr.I18n:
    """Gradio's own strings in Dutch where its translation lacks them (for nl and every other locale)."""
    return gr.I18n(nl=GRADIO_DUTCH, en=GRADIO_DUTCH)


def theme() -> gr.themes.Base:
    """A calm, professional look in the system's own fonts (nothing is loaded from the internet)."""
    font = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
    return gr.themes.Default(primary_hue="blue", secondary_hue="slate", neutral_hue="slate", font=font)


def user_line(user: User) -> str:
    """Who is logged in, with role and clients (Markdown)."""
    clients = literal_markdown(", ".join(sorted(user.clients)))
    line = f"Ingelogd als **{literal_markdown(user.label)}** ({user.role.value})"
    return f"{line} · klanten: {clients}" if clients else line


def build_ui(app: App, mode: Mode = "lokaal") -> gr.Blocks:
    """The page: a header with the user and a logout button, hints, and the tabs the user may see."""
    ui = gr.Blocks(title="AVG-assistent", delete_cache=CACHE_LIFETIME)
    with ui:
        with gr.Row(elem_id="kopregel"):
            safe_markdown(
                "# AVG-assistent\nVragen over de AVG en uw eigen documenten, beantwoord met bronnen.",
                elem_id="kop",
            )
            who = safe_markdown("", elem_id="gebruiker-info")
            gr.Button(
                "Uitloggen", link="/logout", size="sm", scale=0, visible=mode == "login", elem_id="uitloggen"
            )
        if mode == "lokaal":
            safe_markdown(LOCAL_BANNER, elem_id="lokaal-modus")
        hint = law_missing_hint(app.kb)
        if hint:
            safe_markdown(f"**{hint}**", elem_id="eerste-start")
        tabs = []
        with gr.Tabs(overflow_behavior="wrap"):
            for label, build_tab, permissions in TABS:
                with gr.Tab(label, visible=not permissions, elem_id=f"tab-{label.lower()}") as tab:
                    build_tab(app)
                tabs.append((tab, permissions))

        def show(request: gr.Request) -> Any:
            def run(user: User) -> tuple[Any, ...]:
                visible = [not p or has_any(user, *p) for _, p in tabs]
                return (user_line(user), *(gr.update(visible=v) for v in visible))

            return guard(app, request, "pagina laden", run, skip(len(tabs) + 1))

        ui.load(show, None, [who, *(t for t, _ in tabs)], api_visibility="private")
    return ui


def mount_options(app: App, mode: Mode, host: str, port: int) -> dict[str, Any]:
    """The arguments of ``gr.mount_gradio_app``: the hardening, the look and (in login mode) our login."""
    options: dict[str, Any] = {
        "server_name": host,
        "server_port": port,
        "show_error": False,
        "footer_links": [],
        "max_file_size": MAX_FILE_SIZE,
        "blocked_paths": [str(app.settings.data_dir.resolve())],
        "ssr_mode": False,
        "enable_monitoring": False,
        "mcp_server": False,
        "pwa": False,
        "run_history": False,
        "theme": theme(),
        "css": CSS,
        "i18n": gradio_dutch(),
        "js": TOAST_TITLES_JS,
        "app_kwargs": {"docs_url": None, "redoc_url": None, "openapi_url": None},
    }
    if mode == "login":
        options["auth_message"] = LOGIN_MESSAGE
    return options


def web_server(
    ui: gr.Blocks,
    options: dict[str, Any],
    login: Login | None = None,
    throttle: dict[str, float] | None = None,
) -> FastAPI:
    """The ASGI app to serve: our login routes and gate (when ``login``), gradio mounted at the root.

    The login goes through gradio's supported hook for external authentication
    (``auth_dependency``); gradio's own login (whose sessions never end) is not used. Session
    hashes, event ids and files are bound to their account (:class:`SessionBinding`).
    ``throttle`` overrides the address limit of the login (``max_failures``, ``window_s``;
    tests use seconds).
    """
    middleware: list[Middleware] = [Middleware(ContentSecurityPolicy)]  # no remote content, ever
    if login is not None:
        if throttle:
            login.limit = AddressLimit(int(throttle["max_failures"]), float(throttle["window_s"]))
        middleware += [Middleware(LoginRequired, login=login), Middleware(SessionBinding, login=login)]
    server = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, middleware=middleware)
    if login is not None:
        login.add_routes(server)
        options = {**options, "auth_dependency": login.dependency}
    mounted: FastAPI = gr.mount_gradio_app(server, ui, path="", **options)
    return mounted


def build_server(app: App, mode: Mode, host: str, port: int) -> FastAPI:
    """The page of tabs behind the login of ``mode``, with the queue limits, as an ASGI app."""
    ui = build_ui(app, mode)
    ui.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    login = None
    if mode == "login":
        login = Login(app.users, SessionStore(app.settings.session_hours * 3600), LOGIN_MESSAGE)
    return web_server(ui, mount_options(app, mode, host, port), login)


def serve(settings: Settings, host: str, port: int) -> None:
    """Build the app and serve the UI until interrupted; refuses a network address without accounts.

    Files the server creates are private (umask 077) and an older data folder is tightened.
    """
    use_private_umask()
    restrict(settings.data_dir)
    mode = auth_mode(settings.auth_enabled, UserStore(settings.data_dir / USERS_FILE).count(), host)
    app = build_app(settings)
    try:
        prepare_knowledge(
            app.kb, lambda message: logger.warning("%s", message), app.settings.load_starter_pack, app.cards
        )
        app.card_matcher.warm()
        server = build_server(app, mode, host, port)
        logger.warning("AVG-assistent luistert op http://%s:%d/", host, port)
        logging.getLogger("uvicorn.error").addFilter(_QuietStop())
        uvicorn.run(
            server,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            # An open browser tab keeps an event stream open: a stop (Ctrl+C, SIGTERM) waits for running
            # requests this long, then closes the streams instead of waiting for the tab to go away.
            timeout_graceful_shutdown=GRACEFUL_STOP_S,
        )
    finally:
        app.close()
