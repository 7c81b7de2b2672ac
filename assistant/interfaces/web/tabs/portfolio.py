"""The Portefeuille tab: due re-checks, overdue actions, stale drafts and change alerts per client.

``build_tab(app)`` is called by :mod:`assistant.interfaces.web.server` inside
``with gr.Tab("Portefeuille"):``. A consultant sees their own clients with content (actions,
alerts with the diff of the cited passage); a beheerder sees every client's row — names, dates
and counts — and no content unless assigned (:mod:`assistant.features.portfolio.access`).
Handlers translate between gradio and :class:`PortfolioService`, which checks nothing about
users itself: every handler checks first, under :func:`assistant.interfaces.web.auth.handler`.
"""

from __future__ import annotations

import html
from typing import Any

import gradio as gr

from assistant.app import App
from assistant.features.accounts.access import Permission
from assistant.features.accounts.users import User
from assistant.features.portfolio.access import (
    may_see_content,
    overview_clients,
    require_content,
    require_subscription,
)
from assistant.features.portfolio.dates import dutch, today
from assistant.features.portfolio.model import ACTION_STATUSES, INTERVALS, Alert, TrackedAction
from assistant.features.portfolio.overview import ClientStatus, to_csv
from assistant.interfaces.web.auth import handler
from assistant.interfaces.web.export_folders import EXPORT_FOLDERS
from assistant.interfaces.web.exports import scoped_export
from assistant.interfaces.web.safe_components import safe_markdown
from knowledge.registry import STATUS_READY
from knowledge.scopes import CLIENT_PREFIX

HIDDEN: dict[str, Any] = {"api_visibility": "undocumented"}
HEADERS = [
    "Klant",
    "Consultant",
    "Abonnement",
    "Laatste check",
    "Volgende check",
    "Status",
    "Open acties",
    "Te laat",
    "Verouderd",
    "Meldingen",
]
SORTS = {
    "Volgende check": lambda r: (r.next_due or "9999", r.client),
    "Acties te laat": lambda r: (-r.overdue_actions, r.client),
    "Meldingen": lambda r: (-r.open_alerts, r.client),
    "Klant": lambda r: (r.client.lower(),),
}
ACTION_HEADERS = ["Nr.", "Vraag", "Status", "Eigenaar", "Termijn", "Bewijs", "Maatregel", "Notitie"]


def _rows(app: App, user: User, sort: str) -> list[ClientStatus]:
    clients = overview_clients(user, [c.name for c in app.kb.clients.list()])
    rows = app.portfolio.overview(clients)
    return sorted(rows, key=SORTS.get(sort, SORTS["Volgende check"]))


def _table(rows: list[ClientStatus]) -> list[list[Any]]:
    return [
        [
            r.client,
            r.consultant or "onbekend",
            r.subscription,
            dutch(r.last_check, "nog geen"),
            dutch(r.next_due, "—"),
            r.due_state,
            r.open_actions,
            r.overdue_actions,
            r.stale_drafts,
            r.open_alerts,
        ]
        for r in rows
    ]


def _action_rows(actions: list[TrackedAction]) -> list[list[Any]]:
    return [
        [
            a.id,
            a.question_id,
            a.status,
            a.owner or "onbekend",
            dutch(a.due_date, "geen"),
            a.evidence_label,
            a.measure,
            a.note,
        ]
        for a in actions
    ]


def _alerts_html(alerts: list[Alert]) -> str:
    if not alerts:
        return "<p class='bronnen-leeg'>Geen open wijzigingsmeldingen.</p>"
    parts = ["<ul class='bronnenlijst' id='portefeuille-meldingen'>"]
    for a in alerts:
        lines = "".join(
            f"<div class='{'weg' if line.startswith('- ') else 'erbij' if line.startswith('+ ') else 'kop'}'>"
            f"{html.escape(line)}</div>"
            for line in a.diff
        )
        parts.append(
            f"<li class='bron melding-{a.id}'>"
            f"<div class='bron-kop'>Melding {a.id}: {html.escape(a.summary)}</div>"
            f"<div class='bron-document'>Geciteerd: {html.escape(a.cited)} · {dutch(a.created_at)}</div>"
            f"<div class='bron-passage'>{lines}</div></li>"
        )
    parts.append("</ul>")
    return "".join(parts)


class PortfolioTab:
    """Handlers of the tab."""

    def __init__(self, app: App) -> None:
        self.app = app

    def overview(self, user: User, sort: str) -> tuple[Any, ...]:
        """(table, client choices, subscription client choices)."""
        rows = _rows(self.app, user, sort)
        content = [r.client for r in rows if may_see_content(user, r.client)]
        all_clients = [r.client for r in rows]
        return _table(rows), gr.update(choices=content), gr.update(choices=all_clients)

    def csv(self, user: User, sort: str) -> str:
        """The overview as a CSV file (counts and dates only)."""
        folder = EXPORT_FOLDERS.new("portefeuille-")
        path = folder / f"portefeuille-{today().isoformat()}.csv"
        rows = _rows(self.app, user, sort)
        path.write_text(to_csv(rows), encoding="utf-8")
        # served only while the user may still see each client's row (checked again when fetched)
        rights = [Permission.MANAGE_CLIENTS, Permission.RUN_CHECK]
        return scoped_export(path, [r.client for r in rows], rights)

    def client(self, user: User, client: str | None, message: str = "") -> tuple[Any, ...]:
        """(message, summary, actions table, action choices, alerts, alert choices, evidence choices)."""
        if not client:
            empty = gr.update(choices=[], value=None)
            return message or "Kies een klant.", "", [], empty, "", empty, empty
        require_content(user, client)
        service = self.app.portfolio
        sub = service.subscription(client)
        run = service.last_check(client)
        agenda = service.next_check(client)
        actions = service.actions(client)
        alerts = service.alerts(client)
        summary = (
            f"**{sub.client}** — abonnement: {sub.label}; consultant: {sub.consultant or 'onbekend'}; "
            f"contact: {sub.contact or 'onbekend'}  \n"
            f"Laatste check: {dutch(run.created_at if run else '', 'nog geen')}; "
            f"volgende check: {dutch(service.next_due(client), 'niet gepland')}  \n"
            f"De volgende check begint met **{len(agenda.open)} open actie(s)**; "
            f"afgerond sinds de laatste check: {len(agenda.closed)}"
            + "".join(f"  \n- {a.question_id} {a.status}, bewijs: {a.evidence_label}" for a in agenda.closed)
        )
        documents = [
            (f"{d.title} (versie {d.version})", d.id)
            for d in self.app.kb.registry.list(CLIENT_PREFIX + sub.client, STATUS_READY)
        ]
        return (
            message,
            summary,
            _action_rows(actions),
            gr.update(choices=[(f"{a.id} — {a.question_id}", str(a.id)) for a in actions], value=None),
            _alerts_html(alerts),
            gr.update(choices=[(f"Melding {a.id}", str(a.id)) for a in alerts], value=None),
            gr.update(choices=[("geen", ""), *documents], value=None),
        )

    def make_actions(self, user: User, client: str | None, due: str) -> tuple[Any, ...]:
        """Turn the latest reviewed check's plan into actions."""
        if not client:
            return self.client(user, client)
        require_content(user, client)
        made = self.app.portfolio.actions_from_check(client, actor=user.username, due=due or "")
        return self.client(user, client, f"{len(made)} actie(s) aangemaakt.")

    def save_action(
        self,
        user: User,
        client: str | None,
        action_id: str | None,
        status: str | None,
        owner: str,
        due: str,
        note: str,
        evidence: str | None,
    ) -> tuple[Any, ...]:
        """Save the changes to one action of the chosen client."""
        if not client or not action_id:
            return self.client(user, client, "Kies een klant en een actie.")
        require_content(user, client)
        action = self.app.portfolio.action(int(action_id))
        if action.client != client:
            return self.client(user, client, "Deze actie hoort niet bij de gekozen klant.")
        saved = self.app.portfolio.update_action(
            action.id,
            actor=user.username,
            status=status or None,
            owner=owner if owner.strip() else None,
            due=due if due.strip() else None,
            note=note if note.strip() else None,
            evidence=evidence if evidence is not None else None,
        )
        return self.client(user, client, f"Actie {saved.id} opgeslagen: {saved.status}.")

    def handle_alert(self, user: User, client: str | None, alert_id: str | None) -> tuple[Any, ...]:
        """Mark an alert of the chosen client as handled."""
        if not client or not alert_id:
            return self.client(user, client, "Kies een klant en een melding.")
        require_content(user, client)
        alert = self.app.portfolio.alert(int(alert_id))
        if alert.client != client:
            return self.client(user, client, "Deze melding hoort niet bij de gekozen klant.")
        self.app.portfolio.handle_alert(alert.id, actor=user.username)
        return self.client(user, client, f"Melding {alert.id} afgehandeld.")

    def subscribe(
        self, user: User, client: str | None, interval: str | None, months: float | None, consultant: str
    ) -> str:
        """Set a client's subscription (beheerder, or the client's consultant)."""
        if not client or not interval:
            return "Kies een klant en een abonnement."
        require_subscription(user, client)
        sub = self.app.portfolio.set_subscription(
            client,
            interval,
            actor=user.username,
            months=int(months) if months else None,
            consultant=consultant or "",
        )
        return f"Abonnement van {sub.client}: {sub.label}."


def build_tab(app: App) -> None:
    """The tab's components and events (inside the caller's ``gr.Tab``)."""
    tab = PortfolioTab(app)
    safe_markdown(
        "Uw klanten in één overzicht: herhalingschecks, acties over de termijn, verouderde "
        "privacyverklaringen en wijzigingsmeldingen. Een beheerder ziet alle klanten met data en aantallen, "
        "zonder inhoud."
    )
    with gr.Row():
        sort = gr.Dropdown(
            list(SORTS), value="Volgende check", label="Sorteren op", elem_id="portefeuille-sortering"
        )
        refresh = gr.Button("Vernieuwen", elem_id="portefeuille-vernieuwen")
        export = gr.Button("Exporteren als CSV", elem_id="portefeuille-csv")
    table = gr.Dataframe(headers=HEADERS, interactive=False, wrap=True, elem_id="portefeuille-tabel")
    csv_file = gr.File(label="CSV", interactive=False)
    with gr.Accordion("Abonnement instellen", open=False):
        with gr.Row():
            sub_client = gr.Dropdown([], label="Klant", allow_custom_value=True, elem_id="abonnement-klant")
            interval = gr.Dropdown(
                list(INTERVALS), value=None, label="Abonnement", elem_id="abonnement-interval"
            )
            months = gr.Number(label="Maanden (bij 'anders')", precision=0)
            consultant = gr.Textbox(label="Consultant (gebruikersnaam)", elem_id="abonnement-consultant")
            sub_save = gr.Button("Abonnement opslaan", elem_id="abonnement-opslaan")
        sub_message = safe_markdown(elem_id="abonnement-melding")
    safe_markdown("### Klant")
    client = gr.Dropdown([], label="Klant", allow_custom_value=True, elem_id="portefeuille-klant")
    message = safe_markdown(elem_id="portefeuille-melding")
    summary = safe_markdown(elem_id="portefeuille-samenvatting")
    with gr.Row():
        due_for_new = gr.Textbox(label="Termijn voor nieuwe acties (bijv. 2027-03-01)", scale=3)
        make = gr.Button("Acties maken uit de laatste check", elem_id="acties-maken", scale=1)
    actions = gr.Dataframe(
        headers=ACTION_HEADERS, interactive=False, wrap=True, elem_id="portefeuille-acties"
    )
    with gr.Row():
        action = gr.Dropdown([], label="Actie", elem_id="actie-kiezen")
        status = gr.Dropdown(list(ACTION_STATUSES), value=None, label="Status", elem_id="actie-status")
        owner = gr.Textbox(label="Eigenaar")
        due = gr.Textbox(label="Termijn")
    with gr.Row():
        note = gr.Textbox(label="Notitie", scale=2)
        evidence = gr.Dropdown([], label="Bewijs (document van de klant)", elem_id="actie-bewijs", scale=2)
        save = gr.Button("Actie opslaan", variant="primary", elem_id="actie-opslaan", scale=1)
    safe_markdown("### Wijzigingsmeldingen")
    alerts = gr.HTML(elem_id="portefeuille-meldingen-lijst")
    with gr.Row():
        alert = gr.Dropdown([], label="Melding", elem_id="melding-kiezen")
        handled = gr.Button("Afgehandeld", elem_id="melding-afhandelen")

    def show(user: User, name: str | None) -> tuple[Any, ...]:
        return tab.client(user, name)

    overview_out = [table, client, sub_client]
    client_out = [message, summary, actions, action, alerts, alert, evidence]
    gr.on(
        None,
        handler(app, "portefeuille laden", 3, tab.overview),
        [sort],
        overview_out,
        api_visibility="private",
    )
    events = (
        (refresh.click, "portefeuille tonen", 3, tab.overview, [sort], overview_out, "portefeuille_tonen"),
        (
            sort.change,
            "portefeuille sorteren",
            3,
            tab.overview,
            [sort],
            overview_out,
            "portefeuille_sorteren",
        ),
        (export.click, "portefeuille exporteren", 1, tab.csv, [sort], [csv_file], "portefeuille_csv"),
        (client.change, "portefeuille klant", 7, show, [client], client_out, "portefeuille_klant"),
        (make.click, "acties maken", 7, tab.make_actions, [client, due_for_new], client_out, "acties_maken"),
        (
            save.click,
            "actie wijzigen",
            7,
            tab.save_action,
            [client, action, status, owner, due, note, evidence],
            client_out,
            "actie_opslaan",
        ),
        (
            handled.click,
            "melding afhandelen",
            7,
            tab.handle_alert,
            [client, alert],
            client_out,
            "melding_afhandelen",
        ),
        (
            sub_save.click,
            "abonnement instellen",
            1,
            tab.subscribe,
            [sub_client, interval, months, consultant],
            [sub_message],
            "abonnement_instellen",
        ),
    )
    for trigger, action_name, outputs, body, inputs, targets, api_name in events:
        trigger(handler(app, action_name, outputs, body), inputs, targets, api_name=api_name, **HIDDEN)
