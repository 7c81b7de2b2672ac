"""The web tab "Privacyverklaring": register, suggestions, drafts, review, checks.

``build_tab(app)`` creates the components inside the ``gr.Tab`` that :mod:`assistant.interfaces.web.server`
opens. The handlers live on :class:`RegisterTab`; each takes the :class:`User` of the
request (resolved anew by :func:`assistant.interfaces.web.auth.guard`) and starts with
:func:`assistant.features.accounts.access.require` for the client the action concerns: register changes need
``register_beheren``, drafts ``privacyverklaring_opstellen``, approving or rejecting
``privacyverklaring_goedkeuren``; viewing needs one of the three. A draft is checked
against its own client, never the one in the dropdown. The acting user in the stores and
in the central audit log is always the session user. The client list arrives per request
on page load (the user's own clients only). Downloads go to fresh random temp folders.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.app import App
from assistant.features.accounts.access import AccessDenied, Permission, client_of, require, role_permissions
from assistant.features.accounts.users import Role, User
from assistant.features.audit.log import EventType
from assistant.features.privacy import views
from assistant.features.privacy.review import DraftRecord
from assistant.features.privacy.service import PrivacyService
from assistant.interfaces.web.auth import handler, has_any
from assistant.interfaces.web.safe_components import safe_markdown
from ingestion.errors import AvgError
from knowledge.scopes import CLIENT_PREFIX

logger = logging.getLogger(__name__)

REGISTER_TYPES = [".yaml", ".yml", ".csv", ".xlsx"]
STATEMENT_TYPES = [".pdf", ".docx", ".html", ".htm", ".md", ".txt"]
VIEW = (Permission.MANAGE_REGISTER, Permission.DRAFT_STATEMENT, Permission.APPROVE_STATEMENT)
HIDDEN: dict[str, Any] = {"api_visibility": "undocumented"}


def permit(user: User, permission: Permission, client: str | None) -> str:
    """Require ``permission`` for ``client``; returns the canonical client name ("" for none).

    The local user (no login) has every client, including one typed for a new register.
    """
    name = client_of(client) if client and client.strip() else ""
    if user.role == Role.LOKAAL and name:
        user = replace(user, clients=user.clients | {name})
    require(user, permission, name or None)
    return name


def permit_any(user: User, permissions: tuple[Permission, ...], client: str | None) -> str:
    """Like :func:`permit`, for the first of ``permissions`` the user has; raises the first refusal."""
    refusal: AccessDenied | None = None
    for permission in permissions:
        try:
            return permit(user, permission, client)
        except AccessDenied as exc:
            refusal = refusal or exc
    assert refusal is not None
    raise refusal


def require_role(user: User, permission: Permission) -> None:
    """Require that the role grants ``permission`` (for work without a client)."""
    if permission not in role_permissions(user.role):
        require(user, permission)


class RegisterTab:
    """Handlers of the tab; each checks the user's permission first and returns what its outputs show."""

    def __init__(self, app: App, service: PrivacyService | None = None) -> None:
        self.app = app
        self.service = service or app.privacy

    def _log(self, user: User, event: EventType, client: str, action: str, **details: Any) -> None:
        self.app.audit.record(user.username, event, scope=CLIENT_PREFIX + client, action=action, **details)

    # register
    def client_choices(self, user: User) -> list[str]:
        """The clients the user may work on (the local user: also every client with a register)."""
        if not has_any(user, *VIEW) and user.role != Role.LOKAAL:
            return []
        extra = set(self.service.clients()) if user.role == Role.LOKAAL else set()
        return sorted(set(user.clients) | extra)

    def show_register(self, user: User, client: str) -> str:
        """The register of ``client`` with its findings."""
        if not client:
            return "_Kies of typ een klant._"
        name = permit_any(user, VIEW, client)
        if name not in self.service.clients():
            return f"_Klant '{name}' heeft nog geen register: importeer er een of accepteer suggesties._"
        return views.register_markdown(self.service.register(name), self.service.problems(name))

    def import_file(self, user: User, path: str | None, client: str) -> tuple[str, str]:
        """Import a register file for the chosen client; returns (register view, client name)."""
        name = permit(user, Permission.MANAGE_REGISTER, client)
        if not path:
            raise AvgError("Kies eerst een bestand (YAML, CSV of XLSX).")
        register, _ = self.service.import_register(Path(path), user.username, name)
        return self.show_register(user, register.client), register.client

    def export_file(self, user: User, client: str, fmt: str) -> str:
        """Export the register to a fresh temp folder; returns the file path to download."""
        name = permit_any(user, VIEW, client)
        folder = Path(tempfile.mkdtemp(prefix="avg-register-"))
        slug = "".join(ch if ch.isalnum() else "-" for ch in name).strip("-") or "register"
        path = self.service.export_register(name, folder / f"register-{slug}.{fmt}")
        self._log(user, EventType.EXPORT, name, "register geëxporteerd", format=fmt)
        return str(path)

    # suggestions
    def find_suggestions(self, user: User, client: str) -> str:
        """Search the client's documents; returns the open suggestions."""
        name = permit(user, Permission.MANAGE_REGISTER, client)
        run = self.service.find_suggestions(name, user.username)
        header = f"_Doorzochte passages: {run.passages}._\n\n"
        return header + views.suggestions_markdown(run.suggestions, run.notices)

    def show_suggestions(self, user: User, client: str) -> str:
        """Open suggestions of ``client``."""
        if not client:
            return ""
        return views.suggestions_markdown(self.service.suggestions(permit_any(user, VIEW, client)))

    def decide(
        self, user: User, client: str, suggestion_id: float | None, activity: str, accept: bool
    ) -> tuple[str, str]:
        """Accept or reject a suggestion of the client; returns (suggestions view, register view)."""
        name = permit(user, Permission.MANAGE_REGISTER, client)
        if not suggestion_id:
            raise AvgError("Vul het nummer van de suggestie in.")
        number = int(suggestion_id)
        if number not in {s.id for s in self.service.suggestions(name, None)}:
            raise AvgError(f"Suggestie {number} hoort niet bij klant '{name}'.")
        if accept:
            self.service.accept_suggestion(number, user.username, activity.strip() or None)
        else:
            self.service.reject_suggestion(number, user.username)
        return self.show_suggestions(user, name), self.show_register(user, name)

    # drafts
    def draft_choices(self, user: User, client: str) -> list[tuple[str, str]]:
        """(label, id) of the client's drafts, newest first."""
        if not client:
            return []
        name = permit_any(user, VIEW, client)
        return [
            (f"{r.id}: versie {r.version}, {r.status_label}", str(r.id)) for r in self.service.drafts(name)
        ]

    def create_draft(self, user: User, client: str, polish: bool) -> str:
        """Generate and store a new draft; returns its id."""
        name = permit(user, Permission.DRAFT_STATEMENT, client)
        record = self.service.create_draft(name, user.username, polish=polish)
        return str(record.id)

    def show_draft(self, user: User, draft_id: str | None) -> tuple[str, str, list[tuple[str, str]]]:
        """(draft view, completeness view, section choices)."""
        if not draft_id:
            return "_Nog geen concept gekozen._", "", []
        record = self._record(user, draft_id, VIEW)
        view = self.service.view(record.id)
        report = self.service.check_draft(record.id)
        sections = [(s.title, s.key) for s in view.draft.sections]
        return (
            views.draft_markdown(view, self.service.review.comments(record.id)),
            report.to_markdown(),
            sections,
        )

    def transition(self, user: User, draft_id: str | None, action: str, note: str) -> None:
        """Submit, approve, reject, withdraw or regenerate."""
        approval = action in ("approve", "reject")
        permission = Permission.APPROVE_STATEMENT if approval else Permission.DRAFT_STATEMENT
        record = self._record(user, draft_id, (permission,))
        review = self.service.review
        if action == "submit":
            review.submit(record.id, user.username)
        elif action == "approve":
            review.approve(record.id, user.username, note)
        elif action == "reject":
            review.reject(record.id, user.username, note)
        elif action == "withdraw":
            review.withdraw(record.id, user.username)
        elif action == "regenerate":
            self.service.regenerate(record.id, user.username)
        else:
            raise AvgError(f"Onbekende actie '{action}'.")

    def section_text(self, user: User, draft_id: str | None, key: str | None) -> str:
        """The text of one section of the latest version."""
        if not draft_id or not key:
            return ""
        record = self._record(user, draft_id, VIEW)
        section = self.service.review.version(record.id).section(key)
        return section.text if section else ""

    def save_section(self, user: User, draft_id: str | None, key: str | None, text: str) -> None:
        """Store an edited section as a new version."""
        record = self._record(user, draft_id, (Permission.DRAFT_STATEMENT,))
        self.service.review.edit_section(record.id, key or "", text, user.username)

    def comment(self, user: User, draft_id: str | None, key: str | None, text: str) -> None:
        """Comment on a section."""
        record = self._record(user, draft_id, (Permission.DRAFT_STATEMENT,))
        self.service.review.comment(record.id, key or "", user.username, text)

    def diff(self, user: User, draft_id: str | None, old: float | None, new: float | None) -> str:
        """The diff between two versions."""
        record = self._record(user, draft_id, VIEW)
        return views.diff_markdown(
            self.service.review.diff(record.id, int(old or 1), int(new or record.version))
        )

    def export_draft(self, user: User, draft_id: str | None, fmt: str) -> str:
        """Export the latest version to a fresh temp folder; returns the file path."""
        record = self._record(user, draft_id, VIEW)
        folder = Path(tempfile.mkdtemp(prefix="avg-privacyverklaring-"))
        path = folder / f"privacyverklaring-{record.id}-v{record.version}.{fmt}"
        if fmt == "docx":
            self.service.export_docx(record.id, path)
        else:
            path.write_text(self.service.export_markdown(record.id), encoding="utf-8")
        self._log(
            user,
            EventType.EXPORT,
            record.client,
            "privacyverklaring geëxporteerd",
            draft=record.id,
            format=fmt,
        )
        return str(path)

    def audit(self, user: User, client: str) -> str:
        """The audit trail of the client."""
        if not client:
            return ""
        return views.audit_markdown(self.service.audit_trail(permit_any(user, VIEW, client)))

    def check_upload(self, user: User, path: str | None, client: str) -> str:
        """Completeness of an uploaded privacyverklaring (for the client, when one is chosen)."""
        name = permit(user, Permission.DRAFT_STATEMENT, client) if client else ""
        if not name:
            require_role(user, Permission.DRAFT_STATEMENT)
        if not path:
            raise AvgError("Kies eerst een bestand (PDF, DOCX, HTML, Markdown of tekst).")
        return self.service.check_file(Path(path), name or None).to_markdown()

    def _record(self, user: User, draft_id: str | None, permissions: tuple[Permission, ...]) -> DraftRecord:
        """The draft, after checking the user's permission for the draft's own client."""
        if not draft_id:
            raise AvgError("Kies eerst een concept.")
        try:
            number = int(draft_id)
        except ValueError as exc:
            raise AvgError("Ongeldig concept.") from exc
        if not any(p in role_permissions(user.role) for p in permissions):
            require(user, permissions[0])  # refused by role, before anything is looked up
        record = self.service.review.get(number)
        try:
            permit_any(user, permissions, record.client)
        except AccessDenied as exc:
            raise AccessDenied(f"U hebt geen toegang tot concept {number}.") from exc
        return record


ACTION_LABELS = {
    "submit": "ter beoordeling aangeboden",
    "approve": "goedgekeurd",
    "reject": "afgewezen",
    "withdraw": "beoordeling ingetrokken",
    "regenerate": "opnieuw gegenereerd",
}


def build_tab(app: App) -> None:
    """Create the tab's components and events (inside the caller's ``gr.Tab``)."""
    tab = RegisterTab(app)
    with gr.Row():
        client = gr.Dropdown(
            label="Klant",
            choices=[],
            allow_custom_value=True,
            interactive=True,
            scale=3,
            elem_id="register-klant",
        )
        refresh = gr.Button("Vernieuwen", scale=1)
    with gr.Tab("Verwerkingsregister"):
        with gr.Row():
            upload = gr.File(
                label="Register importeren (YAML, CSV of XLSX)", file_types=REGISTER_TYPES, type="filepath"
            )
            with gr.Column():
                import_button = gr.Button("Importeren", variant="primary")
                export_format = gr.Radio(["xlsx", "csv", "yaml"], value="xlsx", label="Exportformaat")
                export_button = gr.Button("Exporteren")
                export_file = gr.File(label="Download", interactive=False)
        register_view = safe_markdown(elem_id="register-overzicht")
    with gr.Tab("Suggesties uit documenten"):
        find_button = gr.Button("Zoek suggesties in de documenten van deze klant", variant="primary")
        suggestions_view = safe_markdown()
        with gr.Row():
            suggestion_id = gr.Number(label="Nummer van de suggestie", precision=0)
            target = gr.Textbox(label="Bij verwerking (leeg = voorgestelde)")
            accept_button = gr.Button("Accepteren", variant="primary")
            reject_button = gr.Button("Afwijzen")
    with gr.Tab("Privacyverklaring"):
        with gr.Row():
            polish = gr.Checkbox(
                label="Tekst laten verbeteren door het taalmodel (feiten worden gecontroleerd)"
            )
            create_button = gr.Button("Nieuw concept uit het register", variant="primary")
        draft = gr.Dropdown(label="Concept", choices=[], interactive=True, allow_custom_value=True)
        with gr.Row():
            buttons = {
                "submit": gr.Button("Ter beoordeling aanbieden"),
                "approve": gr.Button("Goedkeuren", variant="primary"),
                "reject": gr.Button("Afwijzen", variant="stop"),
                "withdraw": gr.Button("Beoordeling intrekken"),
                "regenerate": gr.Button("Opnieuw genereren uit register"),
            }
        note = gr.Textbox(label="Toelichting (verplicht bij afwijzen)")
        with gr.Row():
            draft_view = safe_markdown()
            completeness_view = safe_markdown()
        with gr.Accordion("Onderdeel bewerken of becommentariëren", open=False):
            section = gr.Dropdown(label="Onderdeel", choices=[], interactive=True, allow_custom_value=True)
            section_text = gr.Textbox(label="Tekst", lines=8)
            with gr.Row():
                save_button = gr.Button("Opslaan als nieuwe versie")
                comment_text = gr.Textbox(label="Opmerking")
                comment_button = gr.Button("Opmerking plaatsen")
        with gr.Accordion("Versies vergelijken", open=False):
            with gr.Row():
                old_version = gr.Number(label="Versie A", value=1, precision=0)
                new_version = gr.Number(label="Versie B", precision=0)
                diff_button = gr.Button("Vergelijk")
            diff_view = safe_markdown()
        with gr.Row():
            draft_format = gr.Radio(["docx", "md"], value="docx", label="Exportformaat")
            draft_export_button = gr.Button("Exporteren")
            draft_file = gr.File(label="Download", interactive=False)
        with gr.Accordion("Audittrail", open=False):
            audit_view = safe_markdown()
    with gr.Tab("Bestaande verklaring toetsen"):
        check_upload = gr.File(
            label="Privacyverklaring (PDF, DOCX, HTML)", file_types=STATEMENT_TYPES, type="filepath"
        )
        check_button = gr.Button("Controleer volledigheid", variant="primary")
        check_view = safe_markdown()

    def on(action: str, outputs: int, body: Callable[..., Any]) -> Callable[..., Any]:
        return handler(app, action, outputs, body)

    def overview(user: User, name: str) -> tuple[Any, ...]:
        return (
            tab.show_register(user, name),
            tab.show_suggestions(user, name),
            gr.update(choices=tab.draft_choices(user, name), value=None),
            tab.audit(user, name),
        )

    def choices(user: User) -> Any:
        return gr.update(choices=tab.client_choices(user))

    def reload(user: User, name: str) -> tuple[Any, ...]:
        return (*overview(user, name), choices(user))

    def open_draft(user: User, draft_id: str | None) -> tuple[Any, ...]:
        text, report, sections = tab.show_draft(user, draft_id)
        return text, report, gr.update(choices=sections, value=None)

    def do_import(user: User, path: str | None, name: str) -> tuple[Any, ...]:
        view, chosen = tab.import_file(user, path, name)
        return view, gr.update(choices=tab.client_choices(user), value=chosen)

    def do_create(user: User, name: str, polish_text: bool) -> tuple[Any, ...]:
        new_id = tab.create_draft(user, name, polish_text)
        text, report, sections = tab.show_draft(user, new_id)
        drafts = gr.update(choices=tab.draft_choices(user, name), value=new_id)
        return drafts, text, report, gr.update(choices=sections, value=None), tab.audit(user, name)

    def after_change(user: User, draft_id: str | None, name: str) -> tuple[Any, ...]:
        text, report, _ = tab.show_draft(user, draft_id)
        drafts = gr.update(choices=tab.draft_choices(user, name), value=draft_id)
        return drafts, text, report, tab.audit(user, name)

    def transition(action: str) -> Callable[..., tuple[Any, ...]]:
        def run(user: User, draft_id: str | None, note_text: str, name: str) -> tuple[Any, ...]:
            tab.transition(user, draft_id, action, note_text or "")
            return after_change(user, draft_id, name)

        return run

    def decide(accept: bool) -> Callable[..., tuple[str, str]]:
        def run(user: User, name: str, number: float | None, activity: str) -> tuple[str, str]:
            return tab.decide(user, name, number, activity or "", accept)

        return run

    def save(user: User, draft_id: str | None, key: str | None, text: str, name: str) -> tuple[Any, ...]:
        tab.save_section(user, draft_id, key, text)
        return after_change(user, draft_id, name)

    def comment(user: User, draft_id: str | None, key: str | None, text: str, name: str) -> tuple[Any, ...]:
        tab.comment(user, draft_id, key, text)
        return after_change(user, draft_id, name)

    views_out = [register_view, suggestions_view, draft, audit_view]
    changed = [draft, draft_view, completeness_view, audit_view]
    gr.on(None, on("privacyverklaring laden", 1, choices), None, [client], api_visibility="private")
    refresh.click(
        on("register vernieuwen", 5, reload),
        [client],
        [*views_out, client],
        api_name="register_vernieuwen",
        **HIDDEN,
    )
    # Never updates the client box itself, so it cannot trigger itself.
    client.change(on("register tonen", 4, overview), [client], views_out, api_name="register_laden", **HIDDEN)
    import_button.click(
        on("register importeren", 2, do_import),
        [upload, client],
        [register_view, client],
        api_name="register_importeren",
        **HIDDEN,
    )
    export_button.click(
        on("register exporteren", 1, tab.export_file),
        [client, export_format],
        export_file,
        api_name="register_exporteren",
        **HIDDEN,
    )
    find_button.click(
        on("suggesties zoeken", 1, tab.find_suggestions),
        [client],
        suggestions_view,
        api_name="suggesties_zoeken",
        **HIDDEN,
    )
    choice = [client, suggestion_id, target]
    for accept, name in ((True, "suggestie_accepteren"), (False, "suggestie_afwijzen")):
        (accept_button if accept else reject_button).click(
            on(name.replace("_", " "), 2, decide(accept)),
            choice,
            [suggestions_view, register_view],
            api_name=name,
            **HIDDEN,
        )
    create_button.click(
        on("concept maken", 5, do_create),
        [client, polish],
        [draft, draft_view, completeness_view, section, audit_view],
        api_name="concept_maken",
        **HIDDEN,
    )
    draft.change(
        on("concept openen", 3, open_draft),
        [draft],
        [draft_view, completeness_view, section],
        api_name="concept_openen",
        **HIDDEN,
    )
    for action, button in buttons.items():
        button.click(
            on(f"concept {ACTION_LABELS[action]}", 4, transition(action)),
            [draft, note, client],
            changed,
            api_name=f"concept_{action}",
            **HIDDEN,
        )
    section.change(
        on("onderdeel tonen", 1, tab.section_text),
        [draft, section],
        section_text,
        api_name="onderdeel_tekst",
        **HIDDEN,
    )
    save_button.click(
        on("onderdeel opslaan", 4, save),
        [draft, section, section_text, client],
        changed,
        api_name="onderdeel_opslaan",
        **HIDDEN,
    )
    comment_button.click(
        on("opmerking plaatsen", 4, comment),
        [draft, section, comment_text, client],
        changed,
        api_name="opmerking",
        **HIDDEN,
    )
    diff_button.click(
        on("versies vergelijken", 1, tab.diff),
        [draft, old_version, new_version],
        diff_view,
        api_name="versies_vergelijken",
        **HIDDEN,
    )
    draft_export_button.click(
        on("concept exporteren", 1, tab.export_draft),
        [draft, draft_format],
        draft_file,
        api_name="concept_exporteren",
        **HIDDEN,
    )
    check_button.click(
        on("verklaring toetsen", 1, tab.check_upload),
        [check_upload, client],
        check_view,
        api_name="verklaring_toetsen",
        **HIDDEN,
    )
