"""The Beheer tab: accounts, their roles and clients, the clients themselves, and the audit log.

Clients are created, renamed, archived and deleted here (``klanten_beheren``), through
:class:`~assistant.features.clients.service.ClientService`, whose delete erases everything stored about
the client. A delete asks for a tick that holds for one action on one selected item: it is cleared
after every action and whenever another account or client is chosen.

:class:`AdminActions` holds what the tab does, each action starting with
:func:`assistant.features.accounts.access.require` for the user of the request (``gebruikers_beheren`` or
``auditlog_inzien``); the gradio handlers in :func:`build_tab` only translate. Nothing about
accounts is in the page as built: the lists arrive per request, for a beheerder only.

The two guards that keep the application manageable (nobody removes their own account, the
last beheerder can be neither removed nor given another role) live in
:class:`~assistant.features.accounts.users.UserStore`, so the CLI gets them too; errors arrive
here as Dutch ``AccountError`` messages. An audit export is written
to a private export folder (:mod:`~assistant.interfaces.web.export_folders`, removed again after
15 minutes), logged as an ``export`` event; gradio serves its own copy as a download.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.app import App
from assistant.features.accounts.access import Permission, may, require
from assistant.features.accounts.users import ACCOUNT_ROLES, Role, User
from assistant.features.audit.log import AuditEvent, AuditFilter, EventType
from assistant.interfaces.web.auth import guard, known_clients, skip
from assistant.interfaces.web.export_folders import EXPORT_FOLDERS
from assistant.interfaces.web.safe_components import inform, safe_markdown
from ingestion.dutch_dates import dutch_moment
from ingestion.errors import AvgError

CLIENT_HEADERS = ["Klant", "Status", "Doorzoekbare documenten", "Aangemaakt"]
USER_HEADERS = ["Gebruikersnaam", "Naam", "Rol", "Klanten", "Mislukte pogingen", "Geblokkeerd tot"]
AUDIT_HEADERS = ["Nr.", "Tijdstip", "Gebruiker", "Gebeurtenis", "Scope", "Details"]
AUDIT_WIDTHS: list[str | int] = ["5%", "15%", "11%", "15%", "12%", "42%"]  # Details gets the room
AUDIT_ROWS = 500

Rows = list[list[Any]]


def parse_day(text: str, label: str) -> date | None:
    """A date typed as JJJJ-MM-DD (or DD-MM-JJJJ); None when empty; AvgError when unreadable."""
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise AvgError(f"Ongeldige datum bij '{label}': gebruik JJJJ-MM-DD, bijvoorbeeld 2026-03-31.")


def audit_filter(user: str, events: list[str] | None, since: str, until: str) -> AuditFilter:
    """The filter of the audit view: user, event types and a date range (both days included)."""
    start, end = parse_day(since, "van"), parse_day(until, "tot en met")
    if start and end and end < start:
        raise AvgError("De einddatum ligt vóór de begindatum.")
    return AuditFilter(
        user=(user or "").strip().lower(),
        events=tuple(sorted({str(e) for e in events or []})),
        since=datetime.combine(start, datetime.min.time(), UTC) if start else None,
        until=datetime.combine(end + timedelta(days=1), datetime.min.time(), UTC) if end else None,
    )


def user_rows(users: list[User]) -> Rows:
    """The accounts as table rows (never a password hash)."""
    return [
        [
            u.username,
            u.display_name,
            u.role.value,
            ", ".join(sorted(u.clients)),
            u.failed_attempts,
            u.locked_until[:19].replace("T", " ") if u.locked_until else "",
        ]
        for u in users
    ]


def audit_rows(events: list[AuditEvent]) -> Rows:
    """The events as table rows, newest first."""
    return [
        [
            e.id,
            dutch_moment(e.at),
            e.user,
            e.event,
            e.scope,
            ", ".join(f"{k}={v}" for k, v in sorted(e.details.items())),
        ]
        for e in reversed(events)
    ]


class AdminActions:
    """What the Beheer tab does; every action checks the permission of ``actor`` first."""

    def __init__(self, app: App) -> None:
        self.app = app

    # --- accounts ---------------------------------------------------------------------------

    def users(self, actor: User) -> Rows:
        """All accounts."""
        require(actor, Permission.MANAGE_USERS)
        return user_rows(self.app.users.list())

    def usernames(self, actor: User) -> list[str]:
        """The account names, for the selector."""
        require(actor, Permission.MANAGE_USERS)
        return [u.username for u in self.app.users.list()]

    def clients(self, actor: User) -> list[str]:
        """The known clients, for the selector."""
        require(actor, Permission.MANAGE_USERS)
        return known_clients(self.app)

    def add(
        self, actor: User, username: str, display_name: str, role: str, password: str, clients: str
    ) -> str:
        """Create an account; returns a Dutch confirmation."""
        require(actor, Permission.MANAGE_USERS)
        names = [c for c in (clients or "").split(",") if c.strip()]
        user = self.app.users.add(
            username, role or "", password or "", display_name or "", names, actor=actor.username
        )
        return f"Gebruiker '{user.username}' is aangemaakt met de rol {user.role.value}."

    def set_role(self, actor: User, username: str, role: str) -> str:
        """Give an account another role (the store keeps the last beheerder's)."""
        require(actor, Permission.MANAGE_USERS)
        user = self.app.users.set_role(username or "", role or "", actor=actor.username)
        return f"Gebruiker '{user.username}' heeft nu de rol {user.role.value}."

    def assign(self, actor: User, username: str, client: str) -> str:
        """Give an account access to a client."""
        require(actor, Permission.MANAGE_USERS)
        user = self.app.users.assign(username or "", client or "", actor=actor.username)
        return f"Gebruiker '{user.username}' heeft nu toegang tot: {', '.join(sorted(user.clients))}."

    def unassign(self, actor: User, username: str, client: str) -> str:
        """Take a client away from an account."""
        require(actor, Permission.MANAGE_USERS)
        user = self.app.users.unassign(username or "", client or "", actor=actor.username)
        rest = ", ".join(sorted(user.clients)) or "geen klanten"
        return f"Toegang ingetrokken. Gebruiker '{user.username}' heeft nu toegang tot: {rest}."

    def set_password(self, actor: User, username: str, password: str) -> str:
        """Set a new password (also lifts a lock-out)."""
        require(actor, Permission.MANAGE_USERS)
        user = self.app.users.set_password(username or "", password or "", actor=actor.username)
        return f"Het wachtwoord van '{user.username}' is gewijzigd."

    def unlock(self, actor: User, username: str) -> str:
        """Lift a lock-out."""
        require(actor, Permission.MANAGE_USERS)
        user = self.app.users.unlock(username or "", actor=actor.username)
        return f"Gebruiker '{user.username}' is ontgrendeld."

    def remove(self, actor: User, username: str, confirmed: bool) -> str:
        """Delete an account (the store refuses one's own and the last beheerder)."""
        require(actor, Permission.MANAGE_USERS)
        target = self.app.users.require_user(username or "")
        if not confirmed:
            raise AvgError("Vink eerst aan dat u het account echt wilt verwijderen.")
        self.app.users.remove(target.username, actor=actor.username)
        return f"Gebruiker '{target.username}' is verwijderd."

    # --- clients ----------------------------------------------------------------------------

    def client_rows(self, actor: User) -> Rows:
        """All clients, archived ones included."""
        require(actor, Permission.MANAGE_CLIENTS)
        return [
            [c.name, "gearchiveerd" if c.archived else "actief", c.documents, c.created_at[:10]]
            for c in self.app.clients.list(include_archived=True)
        ]

    def client_names(self, actor: User) -> list[str]:
        """Every client's name (archived ones included), for the selector."""
        require(actor, Permission.MANAGE_CLIENTS)
        return [c.name for c in self.app.clients.list(include_archived=True)]

    def add_client(self, actor: User, name: str) -> str:
        """Create a client."""
        require(actor, Permission.MANAGE_CLIENTS)
        if not (name or "").strip():
            raise AvgError("Vul de naam van de nieuwe klant in.")
        info = self.app.clients.add(name, actor=actor.username)
        return f"Klant '{info.name}' is aangemaakt. Wijs de klant nu toe aan de consultants die eraan werken."

    def rename_client(self, actor: User, name: str, new: str) -> str:
        """Give a client a new name (documents, register, checks and assignments follow)."""
        require(actor, Permission.MANAGE_CLIENTS)
        if not (name or "").strip() or not (new or "").strip():
            raise AvgError("Kies een klant en vul de nieuwe naam in.")
        info = self.app.clients.rename(name, new, actor=actor.username)
        return f"Klant '{name}' heet nu '{info.name}'."

    def archive_client(self, actor: User, name: str, archive: bool) -> str:
        """Archive a client (read-only, hidden from selectors) or put it back."""
        require(actor, Permission.MANAGE_CLIENTS)
        if not (name or "").strip():
            raise AvgError("Kies eerst een klant.")
        if archive:
            info = self.app.clients.archive(name, actor=actor.username)
            return f"Klant '{info.name}' is gearchiveerd."
        info = self.app.clients.activate(name, actor=actor.username)
        return f"Klant '{info.name}' is weer actief."

    def delete_client(self, actor: User, name: str, confirmed: bool) -> str:
        """Erase a client with everything stored about it (after confirmation)."""
        require(actor, Permission.MANAGE_CLIENTS)
        if not (name or "").strip():
            raise AvgError("Kies eerst een klant.")
        if not confirmed:
            raise AvgError("Vink eerst aan dat u deze klant met al zijn gegevens echt wilt verwijderen.")
        deleted = self.app.clients.delete(name, actor=actor.username)
        return f"Klant '{deleted.name}' is met {deleted.documents} document(en) en alle gegevens verwijderd."

    # --- audit log --------------------------------------------------------------------------

    def audit(self, actor: User, where: AuditFilter) -> Rows:
        """The newest matching events."""
        require(actor, Permission.VIEW_AUDIT)
        return audit_rows(self.app.audit.events(where, limit=AUDIT_ROWS, visible_to=actor.clients))

    def export(self, actor: User, where: AuditFilter) -> Path:
        """The matching events as a CSV file in a fresh temporary folder; logged as an export."""
        require(actor, Permission.VIEW_AUDIT)
        folder = EXPORT_FOLDERS.new("avg-auditexport-")
        target = folder / f"auditlog-{datetime.now(UTC):%Y%m%d-%H%M%S}.csv"
        count = self.app.audit.export_csv(target, where, visible_to=actor.clients)
        self.app.audit.record(
            actor.username,
            EventType.EXPORT,
            what="auditlog",
            rows=count,
            user_filter=where.user,
            events=list(where.events),
            since=where.since.isoformat() if where.since else "",
            until=where.until.isoformat() if where.until else "",
        )
        return target


def build_tab(app: App) -> None:
    """Build the Beheer tab inside the current ``gr.Tab``."""
    AdminTab(AdminActions(app)).build()


class AdminTab:
    """Components and handlers of the Beheer tab."""

    def __init__(self, actions: AdminActions) -> None:
        self.actions = actions
        self.app = actions.app

    def build(self) -> None:
        """Lay out the components and wire the events."""
        safe_markdown("### Gebruikers\nAlleen een beheerder ziet en wijzigt accounts en het auditlog.")
        self.status = safe_markdown("", elem_id="beheer-status")
        self.table = gr.Dataframe(
            headers=USER_HEADERS, value=[], interactive=False, wrap=True, elem_id="gebruikerslijst"
        )
        self.reload = gr.Button("Vernieuwen", size="sm", elem_id="gebruikers-vernieuwen")
        self._add_form()
        self._change_form()
        self._client_section()
        self._audit_section()
        self._wire()

    def _add_form(self) -> None:
        roles = [r.value for r in ACCOUNT_ROLES]
        with gr.Accordion("Gebruiker toevoegen", open=False):
            with gr.Row():
                self.new_name = gr.Textbox(label="Gebruikersnaam", elem_id="nieuw-gebruikersnaam")
                self.new_display = gr.Textbox(label="Naam (optioneel)", elem_id="nieuw-naam")
                self.new_role = gr.Dropdown(
                    roles, value=Role.MEDEWERKER.value, label="Rol", elem_id="nieuw-rol"
                )
            with gr.Row():
                self.new_password = gr.Textbox(
                    label="Wachtwoord (minstens 12 tekens)", type="password", elem_id="nieuw-wachtwoord"
                )
                self.new_clients = gr.Textbox(
                    label="Klanten (optioneel, gescheiden door komma's)", elem_id="nieuw-klanten"
                )
            self.add = gr.Button("Gebruiker toevoegen", variant="primary", elem_id="gebruiker-toevoegen")

    def _change_form(self) -> None:
        roles = [r.value for r in ACCOUNT_ROLES]
        with gr.Accordion("Gebruiker wijzigen", open=True):
            self.account = gr.Dropdown(
                [], label="Gebruiker", allow_custom_value=True, elem_id="beheer-gebruiker"
            )
            with gr.Row():
                self.role = gr.Dropdown(roles, value=None, label="Nieuwe rol", elem_id="beheer-rol")
                self.set_role = gr.Button("Rol wijzigen", elem_id="rol-wijzigen")
            with gr.Row():
                self.client = gr.Dropdown([], label="Klant", allow_custom_value=True, elem_id="beheer-klant")
                self.assign = gr.Button("Klant toewijzen", elem_id="klant-toewijzen")
                self.unassign = gr.Button("Klant intrekken", elem_id="klant-intrekken")
            with gr.Row():
                self.password = gr.Textbox(
                    label="Nieuw wachtwoord", type="password", elem_id="beheer-wachtwoord"
                )
                self.set_password = gr.Button("Wachtwoord instellen", elem_id="wachtwoord-instellen")
            with gr.Row():
                self.unlock = gr.Button("Ontgrendelen", elem_id="ontgrendelen")
                self.confirm = gr.Checkbox(
                    label="Ik wil dit account echt verwijderen", elem_id="verwijderen-bevestigen"
                )
                self.remove = gr.Button(
                    "Gebruiker verwijderen", variant="stop", elem_id="gebruiker-verwijderen"
                )

    def _client_section(self) -> None:
        with gr.Accordion("Klanten", open=True, visible=False, elem_id="klanten-beheer") as self.clients_box:
            self.client_status = safe_markdown("", elem_id="klant-status")
            self.client_table = gr.Dataframe(
                headers=CLIENT_HEADERS, value=[], interactive=False, wrap=True, elem_id="klantenlijst"
            )
            with gr.Row():
                self.new_client = gr.Textbox(label="Nieuwe klant", elem_id="nieuwe-klant")
                self.add_client = gr.Button("Klant aanmaken", variant="primary", elem_id="klant-aanmaken")
            self.client_pick = gr.Dropdown(
                [], value=None, label="Klant", allow_custom_value=True, elem_id="klant-kiezen"
            )
            with gr.Row():
                self.client_new_name = gr.Textbox(label="Nieuwe naam", elem_id="klant-nieuwe-naam")
                self.rename_client = gr.Button("Hernoemen", elem_id="klant-hernoemen")
            with gr.Row():
                self.archive_client = gr.Button("Archiveren", elem_id="klant-archiveren")
                self.activate_client = gr.Button("Weer actief maken", elem_id="klant-activeren")
            with gr.Row():
                self.client_confirm = gr.Checkbox(
                    label="Ik wil deze klant met alle documenten en gegevens echt verwijderen",
                    elem_id="klant-verwijderen-bevestigen",
                )
                self.delete_client = gr.Button(
                    "Klant verwijderen", variant="stop", elem_id="klant-verwijderen"
                )

    def _audit_section(self) -> None:
        safe_markdown("### Auditlog")
        with gr.Row():
            self.audit_user = gr.Textbox(label="Gebruiker", elem_id="audit-gebruiker")
            self.audit_events = gr.Dropdown(
                [e.value for e in EventType],
                value=[],
                multiselect=True,
                allow_custom_value=True,
                label="Soort gebeurtenis",
                elem_id="audit-soort",
            )
            self.audit_since = gr.Textbox(label="Van (JJJJ-MM-DD)", elem_id="audit-van")
            self.audit_until = gr.Textbox(label="Tot en met (JJJJ-MM-DD)", elem_id="audit-tot")
        with gr.Row():
            self.show_audit = gr.Button("Tonen", elem_id="audit-tonen")
            self.export = gr.Button("Exporteren als CSV", elem_id="audit-exporteren")
        self.audit_table = gr.Dataframe(
            headers=AUDIT_HEADERS,
            value=[],
            interactive=False,
            wrap=True,
            column_widths=AUDIT_WIDTHS,
            elem_id="auditlog",
            elem_classes=["leesbare-tabel"],
        )
        self.download = gr.File(label="Export", interactive=False, height=90, elem_id="audit-download")

    def _wire(self) -> None:
        """Every named event is callable (gradio_client, tests) but not listed in the API."""
        hidden: dict[str, Any] = {"api_visibility": "undocumented"}
        lists = [self.table, self.account, self.client]
        gr.on(None, self.load, None, lists, api_visibility="private")
        self.reload.click(self.refresh, None, lists, api_name="list_users", **hidden)
        form = [self.new_name, self.new_display, self.new_password, self.new_clients]
        self.add.click(
            self.add_user,
            [self.new_name, self.new_display, self.new_role, self.new_password, self.new_clients],
            [self.status, *lists, *form],
            api_name="add_user",
            **hidden,
        )
        for button, handler, inputs, name in (
            (self.set_role, self.change_role, [self.account, self.role], "set_role"),
            (self.assign, self.assign_client, [self.account, self.client], "assign_client"),
            (self.unassign, self.unassign_client, [self.account, self.client], "unassign_client"),
            (self.unlock, self.unlock_user, [self.account], "unlock_user"),
            (self.remove, self.remove_user, [self.account, self.confirm], "remove_user"),
        ):
            button.click(handler, inputs, [self.status, *lists], api_name=name, **hidden).then(
                lambda: False, None, self.confirm, api_visibility="private", queue=False
            )
        self.set_password.click(
            self.new_password_for,
            [self.account, self.password],
            [self.status, *lists, self.password],
            api_name="set_password",
            **hidden,
        )
        # A confirmation holds for one action on one account: it resets after each action and on another
        # choice of account.
        self.account.change(lambda: False, None, self.confirm, api_visibility="private", queue=False)
        self._wire_clients(lists, hidden)
        filters = [self.audit_user, self.audit_events, self.audit_since, self.audit_until]
        self.show_audit.click(self.show, filters, [self.audit_table], api_name="audit_log", **hidden)
        gr.on(None, self.initial_audit, None, [self.audit_table], api_visibility="private")
        self.export.click(self.export_csv, filters, [self.download], api_name="export_audit", **hidden)

    def _wire_clients(self, lists: list[Any], hidden: dict[str, Any]) -> None:
        outputs = [self.client_status, self.client_table, self.client_pick, self.client, self.client_confirm]
        gr.on(None, self.load_clients, None, [self.clients_box, *outputs[1:4]], api_visibility="private")
        self.add_client.click(
            self.client_action("klant aanmaken", lambda a, n, _: self.actions.add_client(a, n)),
            [self.new_client, self.new_client],
            outputs,
            api_name="add_client",
            **hidden,
        ).then(lambda: "", None, self.new_client, api_visibility="private", queue=False)
        for button, action, body, name in (
            (self.rename_client, "klant hernoemen", self.actions.rename_client, "rename_client"),
            (
                self.archive_client,
                "klant archiveren",
                lambda a, n, _: self.actions.archive_client(a, n, True),
                "archive_client",
            ),
            (
                self.activate_client,
                "klant activeren",
                lambda a, n, _: self.actions.archive_client(a, n, False),
                "activate_client",
            ),
        ):
            button.click(
                self.client_action(action, body),
                [self.client_pick, self.client_new_name],
                outputs,
                api_name=name,
                **hidden,
            ).then(lambda: False, None, self.client_confirm, api_visibility="private", queue=False)
        self.delete_client.click(
            self.client_action("klant verwijderen", self.actions.delete_client),
            [self.client_pick, self.client_confirm],
            outputs,
            api_name="delete_client",
            **hidden,
        ).then(lambda: False, None, self.client_confirm, api_visibility="private", queue=False)
        self.client_pick.change(
            lambda: False, None, self.client_confirm, api_visibility="private", queue=False
        )

    # --- handlers ---------------------------------------------------------------------------

    def _client_lists(self, actor: User) -> tuple[Any, ...]:
        names = self.actions.client_names(actor)
        return (
            self.actions.client_rows(actor),
            gr.update(choices=names),
            gr.update(choices=self.actions.clients(actor)),
        )

    def load_clients(self, request: gr.Request) -> tuple[Any, ...]:
        """On page load: the client section for who may manage clients; hidden for anyone else."""

        def run(actor: User) -> tuple[Any, ...]:
            if not may(actor, Permission.MANAGE_CLIENTS) or not may(actor, Permission.MANAGE_USERS):
                return (gr.update(visible=False), *skip(3))
            return (gr.update(visible=True), *self._client_lists(actor))

        return guard(self.app, request, "klanten laden", run, skip(4))

    def client_action(
        self, action: str, body: Callable[[User, str, Any], str]
    ) -> Callable[[str, Any, gr.Request], tuple[Any, ...]]:
        """A handler running ``body(actor, client, extra)``; the confirmation is cleared afterwards."""

        def handle(name: str, extra: Any, request: gr.Request) -> tuple[Any, ...]:
            def run(actor: User) -> tuple[Any, ...]:
                message = body(actor, name, extra)
                inform(message)
                rows, _, assign = self._client_lists(actor)
                names = self.actions.client_names(actor)
                return (message, rows, gr.update(choices=names, value=None), assign, False)

            return guard(self.app, request, action, run, skip(5))

        return handle

    def _lists(self, actor: User) -> tuple[Any, ...]:
        return (
            self.actions.users(actor),
            gr.update(choices=self.actions.usernames(actor)),
            gr.update(choices=self.actions.clients(actor)),
        )

    def _change(self, request: gr.Request, action: str, body: Callable[[User], str]) -> tuple[Any, ...]:
        def run(actor: User) -> tuple[Any, ...]:
            message = body(actor)
            inform(message)
            return (message, *self._lists(actor))

        return guard(self.app, request, action, run, skip(4))

    def load(self, request: gr.Request) -> tuple[Any, ...]:
        """On page load: the lists for a beheerder; nothing (and no warning) for anyone else."""

        def run(actor: User) -> tuple[Any, ...]:
            return self._lists(actor) if may(actor, Permission.MANAGE_USERS) else skip(3)

        return guard(self.app, request, "beheer laden", run, skip(3))

    def initial_audit(self, request: gr.Request) -> Any:
        """On page load: the newest audit events for whoever may see them (no warning for others)."""

        def run(actor: User) -> Any:
            if not may(actor, Permission.VIEW_AUDIT):
                return gr.skip()
            return self.actions.audit(actor, audit_filter("", [], "", ""))

        return guard(self.app, request, "auditlog inzien", run, gr.skip())

    def refresh(self, request: gr.Request) -> tuple[Any, ...]:
        """The current accounts and clients."""
        return guard(self.app, request, "gebruikers tonen", self._lists, skip(3))

    def add_user(
        self, username: str, display: str, role: str, password: str, clients: str, request: gr.Request
    ) -> tuple[Any, ...]:
        """Create an account; the form is emptied afterwards (the role stays)."""

        def run(actor: User) -> tuple[Any, ...]:
            message = self.actions.add(actor, username, display, role, password, clients)
            inform(message)
            return (message, *self._lists(actor), "", "", "", "")

        return guard(self.app, request, "gebruiker toevoegen", run, skip(8))

    def change_role(self, username: str, role: str, request: gr.Request) -> tuple[Any, ...]:
        """Give the selected account another role."""
        return self._change(request, "rol wijzigen", lambda a: self.actions.set_role(a, username, role))

    def assign_client(self, username: str, client: str, request: gr.Request) -> tuple[Any, ...]:
        """Give the selected account access to a client."""
        return self._change(request, "klant toewijzen", lambda a: self.actions.assign(a, username, client))

    def unassign_client(self, username: str, client: str, request: gr.Request) -> tuple[Any, ...]:
        """Take a client away from the selected account."""
        return self._change(request, "klant intrekken", lambda a: self.actions.unassign(a, username, client))

    def unlock_user(self, username: str, request: gr.Request) -> tuple[Any, ...]:
        """Lift the lock-out of the selected account."""
        return self._change(request, "ontgrendelen", lambda a: self.actions.unlock(a, username))

    def remove_user(self, username: str, confirmed: bool, request: gr.Request) -> tuple[Any, ...]:
        """Delete the selected account."""
        return self._change(
            request, "gebruiker verwijderen", lambda a: self.actions.remove(a, username, bool(confirmed))
        )

    def new_password_for(self, username: str, password: str, request: gr.Request) -> tuple[Any, ...]:
        """Set a new password for the selected account; the field is emptied afterwards."""

        def run(actor: User) -> tuple[Any, ...]:
            message = self.actions.set_password(actor, username, password)
            inform(message)
            return (message, *self._lists(actor), "")

        return guard(self.app, request, "wachtwoord instellen", run, skip(5))

    def show(self, user: str, events: list[str] | None, since: str, until: str, request: gr.Request) -> Any:
        """The audit log, filtered."""

        def run(actor: User) -> Rows:
            return self.actions.audit(actor, audit_filter(user, events, since, until))

        return guard(self.app, request, "auditlog inzien", run, skip(1))

    def export_csv(
        self, user: str, events: list[str] | None, since: str, until: str, request: gr.Request
    ) -> Any:
        """The filtered audit log as a CSV download."""

        def run(actor: User) -> str:
            path = self.actions.export(actor, audit_filter(user, events, since, until))
            inform("De export staat klaar om te downloaden.")
            return str(path)

        return guard(self.app, request, "auditlog exporteren", run, skip(1))
