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

import inspect
import logging
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
from assistant.features.privacy.model import LEGAL_BASES
from assistant.features.privacy.register_io import COLUMNS, activity_from_cells, activity_row
from assistant.features.privacy.review import APPROVED, CONCEPT, IN_REVIEW, REJECTED, STALE, DraftRecord
from assistant.features.privacy.service import PrivacyService
from assistant.features.privacy.suggestions import CHOICES
from assistant.interfaces.web.auth import handler, has_any
from assistant.interfaces.web.export_folders import EXPORT_FOLDERS
from assistant.interfaces.web.exports import scoped_export
from assistant.interfaces.web.safe_components import safe_markdown
from assistant.interfaces.web.uploads import clear_consumed, consumed, require_present
from ingestion.errors import AvgError
from knowledge.scopes import CLIENT_PREFIX

logger = logging.getLogger(__name__)

REGISTER_TYPES = [".yaml", ".yml", ".csv", ".xlsx"]
STATEMENT_TYPES = [".pdf", ".docx", ".html", ".htm", ".md", ".txt"]
VIEW = (Permission.MANAGE_REGISTER, Permission.DRAFT_STATEMENT, Permission.APPROVE_STATEMENT)
HIDDEN: dict[str, Any] = {"api_visibility": "undocumented"}
NEW_ACTIVITY = "__nieuw__"
#: The activity form's fields: every register column except the document sources (kept as they are).
FORM_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMNS if c != "bronnen")
FORM_LABELS: dict[str, str] = {
    "naam": "Naam van de verwerking",
    "doel": "Doel",
    "grondslag": "Grondslag (art. 6 lid 1 AVG)",
    "gerechtvaardigd_belang": "Gerechtvaardigd belang (bij grondslag f)",
    "gegevens": "Persoonsgegevens (gescheiden door ;)",
    "bijzondere_gegevens": "Bijzondere persoonsgegevens (gescheiden door ;)",
    "uitzondering_art9": "Uitzondering art. 9 lid 2 AVG (letter of naam)",
    "betrokkenen": "Betrokkenen (gescheiden door ;)",
    "ontvangers": "Ontvangers: naam | verwerker of ontvanger | land buiten de EER (meerdere: scheid met ;)",
    "doorgiften": "Doorgiften buiten de EER: land | ontvanger | waarborg (meerdere gescheiden door ;)",
    "bewaartermijn": "Bewaartermijn",
    "herkomst": "Herkomst (als de gegevens niet van de betrokkene zelf komen)",
    "geautomatiseerde_besluitvorming": "Geautomatiseerde besluitvorming",
    "verplichting": "Wettelijke of contractuele verplichting om de gegevens te verstrekken",
    "beveiliging": "Beveiligingsmaatregelen (gescheiden door ;)",
    "belangenafweging": "Belangenafweging (bij grondslag f: waar en wanneer vastgelegd, met de uitkomst)",
    "dpia": "DPIA (ja / nee / niet nodig, met datum of reden)",
    "grootschalig": "Grootschalige verwerking? (ja / nee)",
    "doorgifte_buiten_eer": "Gaan gegevens buiten de EER? (ja / nee)",
    "rol": "Rol (leeg: eigen verwerking; 'verwerker' als u dit doet voor een andere verantwoordelijke)",
}
BASIS_CHOICES = [("", ""), *((f"{k} ({v})", f"{k} ({v})") for k, v in LEGAL_BASES.items())]
#: The review steps a draft's status allows (the review service refuses the others too).
DRAFT_STEPS: dict[str, set[str]] = {
    CONCEPT: {"submit", "regenerate"},
    IN_REVIEW: {"approve", "reject", "withdraw"},
    APPROVED: {"regenerate"},
    REJECTED: {"regenerate"},
    STALE: {"regenerate"},
}


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
        with consumed([path]):  # the upload is read once and deleted
            name = permit(user, Permission.MANAGE_REGISTER, client)
            if not path:
                raise AvgError("Kies eerst een bestand (YAML, CSV of XLSX).")
            require_present(path)
            register, _ = self.service.import_register(Path(path), user.username, name)
        return self.show_register(user, register.client), register.client

    def replaced_count(self, user: User, client: str) -> int:
        """How many activities an import for ``client`` would replace."""
        name = permit(user, Permission.MANAGE_REGISTER, client)
        if name not in self.service.clients():
            return 0
        return len(self.service.register(name).activities)

    def create_register(self, user: User, client: str) -> tuple[str, str]:
        """Start an empty register for the chosen client; returns (register view, client name)."""
        if not (client or "").strip():
            raise AvgError("Kies of typ eerst een klant.")
        name = permit(user, Permission.MANAGE_REGISTER, client)
        register = self.service.create_register(name, user.username)
        return self.show_register(user, register.client), register.client

    def template_file(self, user: User, client: str, fmt: str) -> str:
        """A register template to fill in (with the client's organisation when it has a register)."""
        name = permit(user, Permission.MANAGE_REGISTER, client) if (client or "").strip() else ""
        if not name:
            require_role(user, Permission.MANAGE_REGISTER)
        folder = EXPORT_FOLDERS.new("avg-sjabloon-")
        path = self.service.register_template(folder / f"registersjabloon.{fmt}", name or None)
        return scoped_export(path, [name] if name else [], [Permission.MANAGE_REGISTER])

    def activity_choices(self, user: User, client: str) -> list[tuple[str, str]]:
        """("Nieuwe verwerking", then each activity) of the client's register."""
        if not client:
            return []
        name = permit_any(user, VIEW, client)
        if name not in self.service.clients():
            return []
        names = [a.name for a in self.service.register(name).activities]
        return [("Nieuwe verwerking toevoegen", NEW_ACTIVITY), *((n, n) for n in names)]

    def activity_fields(self, user: User, client: str, activity: str | None) -> tuple[str, ...]:
        """The form fields (in :data:`FORM_COLUMNS` order) of the chosen activity; empty for a new one."""
        if not client or not activity or activity == NEW_ACTIVITY:
            return tuple("" for _ in FORM_COLUMNS)
        name = permit_any(user, VIEW, client)
        found = self.service.register(name).activity(activity)
        if found is None:
            raise AvgError(f"Verwerking '{activity}' staat niet (meer) in het register.")
        cells = dict(zip(COLUMNS, activity_row(found), strict=True))
        return tuple(cells[c] for c in FORM_COLUMNS)

    def save_activity(self, user: User, client: str, selected: str | None, *cells: str) -> tuple[str, str]:
        """Add or change one activity from the form; returns (message, register view)."""
        name = permit(user, Permission.MANAGE_REGISTER, client)
        if not selected:
            raise AvgError("Kies eerst een verwerking, of 'Nieuwe verwerking toevoegen'.")
        activity = activity_from_cells(dict(zip(FORM_COLUMNS, cells, strict=True)))
        previous = None if selected == NEW_ACTIVITY else selected
        warnings = self.service.save_activity(name, activity, user.username, previous)
        message = f"Verwerking '{activity.name}' is opgeslagen."
        if warnings:
            message += f" Nog aan te vullen: {len(warnings)} punt(en), zie het register."
        return message, self.show_register(user, name)

    def remove_activity(
        self, user: User, client: str, selected: str | None, confirmed: bool
    ) -> tuple[str, str]:
        """Take the chosen activity out of the register, after the tick; returns (message, register view)."""
        name = permit(user, Permission.MANAGE_REGISTER, client)
        if not selected or selected == NEW_ACTIVITY:
            raise AvgError("Kies eerst de verwerking die u wilt verwijderen.")
        if not confirmed:
            raise AvgError("Vink eerst aan dat u deze verwerking echt wilt verwijderen.")
        self.service.remove_activity(name, selected, user.username)
        return f"Verwerking '{selected}' is uit het register verwijderd.", self.show_register(user, name)

    def draft_steps(self, user: User, draft_id: str | None) -> set[str]:
        """The review steps the draft's status allows (none without a draft)."""
        if not draft_id:
            return set()
        return DRAFT_STEPS.get(self._record(user, draft_id, VIEW).status, set())

    def export_file(self, user: User, client: str, fmt: str) -> str:
        """Export the register to a fresh temp folder; returns the file path to download."""
        name = permit_any(user, VIEW, client)
        folder = EXPORT_FOLDERS.new("avg-register-")
        slug = "".join(ch if ch.isalnum() else "-" for ch in name).strip("-") or "register"
        path = self.service.export_register(name, folder / f"register-{slug}.{fmt}")
        self._log(user, EventType.EXPORT, name, "register geëxporteerd", format=fmt)
        return scoped_export(path, [name], VIEW)  # refused at download once the client is withdrawn

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
        self,
        user: User,
        client: str,
        suggestion_id: float | None,
        activity: str,
        accept: bool,
        choice: str | None = None,
    ) -> tuple[str, str]:
        """Accept or reject a suggestion of the client; returns (suggestions view, register view).

        A different value in the register stops an accept with both values shown, until ``choice``
        ("huidig" or "nieuw") says which wins."""
        name = permit(user, Permission.MANAGE_REGISTER, client)
        if not suggestion_id:
            raise AvgError("Vul het nummer van de suggestie in.")
        number = int(suggestion_id)
        if number not in {s.id for s in self.service.suggestions(name, None)}:
            raise AvgError(f"Suggestie {number} hoort niet bij klant '{name}'.")
        if accept:
            self.service.accept_suggestion(
                number, user.username, activity.strip() or None, choice if choice in CHOICES else None
            )
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
        folder = EXPORT_FOLDERS.new("avg-privacyverklaring-")
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
        return scoped_export(path, [record.client], VIEW)

    def audit(self, user: User, client: str) -> str:
        """The audit trail of the client."""
        if not client:
            return ""
        return views.audit_markdown(self.service.audit_trail(permit_any(user, VIEW, client)))

    def check_upload(self, user: User, path: str | None, client: str) -> str:
        """Completeness of an uploaded privacyverklaring (for the client, when one is chosen)."""
        with consumed([path]):  # the upload is read once and deleted
            name = permit(user, Permission.DRAFT_STATEMENT, client) if client else ""
            if not name:
                require_role(user, Permission.DRAFT_STATEMENT)
            if not path:
                raise AvgError("Kies eerst een bestand (PDF, DOCX, HTML, Markdown of tekst).")
            require_present(path)
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
            new_register = gr.Button("Nieuw leeg register voor deze klant", elem_id="register-nieuw")
            template_button = gr.Button(
                "Sjabloon downloaden (ingevuld voorbeeld)", elem_id="register-sjabloon"
            )
        with gr.Row():
            upload = gr.File(
                label="Register importeren (YAML, CSV of XLSX)",
                file_types=REGISTER_TYPES,
                type="filepath",
                elem_id="register-bestand",
            )
            with gr.Column():
                import_button = gr.Button("Importeren", variant="primary", elem_id="register-importeren")
                with gr.Group(visible=False, elem_id="import-bevestigen") as import_confirm:
                    import_question = safe_markdown()
                    with gr.Row():
                        import_yes = gr.Button("Ja, vervangen", variant="stop", elem_id="import-ja")
                        import_no = gr.Button("Annuleren", elem_id="import-nee")
                export_format = gr.Radio(["xlsx", "csv", "yaml"], value="xlsx", label="Bestandsformaat")
                export_button = gr.Button("Exporteren")
                export_file = gr.File(label="Download", interactive=False, elem_id="register-download")
        with gr.Accordion("Verwerking toevoegen, wijzigen of verwijderen", open=True):
            activity = gr.Dropdown(
                [], value=None, label="Verwerking", allow_custom_value=True, elem_id="verwerking-kiezen"
            )
            fields: dict[str, Any] = {}
            for column in FORM_COLUMNS:
                label = FORM_LABELS[column]
                elem = f"verwerking-{column.replace('_', '-')}"
                if column == "grondslag":
                    fields[column] = gr.Dropdown(
                        BASIS_CHOICES, value="", label=label, allow_custom_value=True, elem_id=elem
                    )
                else:
                    lines = (
                        2 if column in ("doel", "ontvangers", "doorgiften", "gerechtvaardigd_belang") else 1
                    )
                    fields[column] = gr.Textbox(label=label, lines=lines, elem_id=elem)
            with gr.Row():
                activity_save = gr.Button(
                    "Verwerking opslaan", variant="primary", elem_id="verwerking-opslaan"
                )
                activity_confirm = gr.Checkbox(
                    label="Ik wil deze verwerking echt verwijderen",
                    elem_id="verwerking-verwijderen-bevestigen",
                )
                activity_remove = gr.Button(
                    "Verwerking verwijderen", variant="stop", elem_id="verwerking-verwijderen"
                )
            activity_message = safe_markdown(elem_id="verwerking-melding")
        register_view = safe_markdown(elem_id="register-weergave")
    with gr.Tab("Suggesties uit documenten"):
        find_button = gr.Button("Zoek suggesties in de documenten van deze klant", variant="primary")
        suggestions_view = safe_markdown()
        with gr.Row():
            suggestion_id = gr.Number(label="Nummer van de suggestie", precision=0)
            target = gr.Textbox(label="Bij verwerking (leeg = voorgestelde)")
            conflict = gr.Radio(["vragen", *CHOICES], value="vragen", label="Staat er al een andere waarde?")
            accept_button = gr.Button("Accepteren", variant="primary")
            reject_button = gr.Button("Afwijzen")
    with gr.Tab("Privacyverklaring"):
        with gr.Row():
            polish = gr.Checkbox(
                label="Tekst laten verbeteren door het taalmodel (feiten worden gecontroleerd)"
            )
            create_button = gr.Button(
                "Nieuw concept uit het register", variant="primary", elem_id="concept-maken"
            )
        draft = gr.Dropdown(
            label="Concept", choices=[], interactive=True, allow_custom_value=True, elem_id="concept-kiezen"
        )
        with gr.Row():
            buttons = {
                "submit": gr.Button("Ter beoordeling aanbieden", interactive=False, elem_id="concept-submit"),
                "approve": gr.Button(
                    "Goedkeuren", variant="primary", interactive=False, elem_id="concept-approve"
                ),
                "reject": gr.Button("Afwijzen", variant="stop", interactive=False, elem_id="concept-reject"),
                "withdraw": gr.Button("Beoordeling intrekken", interactive=False, elem_id="concept-withdraw"),
                "regenerate": gr.Button(
                    "Opnieuw genereren uit register", interactive=False, elem_id="concept-regenerate"
                ),
            }
        note = gr.Textbox(label="Toelichting (verplicht bij afwijzen)", elem_id="concept-toelichting")
        with gr.Row():
            draft_view = safe_markdown(elem_id="concept-weergave")
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
            draft_export_button = gr.Button("Exporteren", elem_id="concept-exporteren")
            draft_file = gr.File(label="Download", interactive=False, elem_id="concept-download")
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
            activities(user, name),
        )

    def choices(user: User) -> Any:
        return gr.update(choices=tab.client_choices(user))

    def reload(user: User, name: str) -> tuple[Any, ...]:
        return (*overview(user, name), choices(user))

    def steps(user: User, draft_id: str | None) -> tuple[Any, ...]:
        allowed = tab.draft_steps(user, draft_id)
        return tuple(gr.update(interactive=action in allowed) for action in buttons)

    def open_draft(user: User, draft_id: str | None) -> tuple[Any, ...]:
        text, report, sections = tab.show_draft(user, draft_id)
        return text, report, gr.update(choices=sections, value=None), *steps(user, draft_id)

    def activities(user: User, name: str, value: str | None = None) -> Any:
        return gr.update(choices=tab.activity_choices(user, name), value=value)

    def pick_activity(user: User, name: str, chosen: str | None) -> tuple[Any, ...]:
        return (*tab.activity_fields(user, name, chosen), False)

    def save_activity(user: User, name: str, chosen: str | None, *cells: str) -> tuple[Any, ...]:
        message, view = tab.save_activity(user, name, chosen, *cells)
        return message, view, activities(user, name, cells[0].strip())

    # The handler passes as many inputs as the body's signature names: one per form field.
    save_activity.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD)
            for n in ("user", "name", "chosen", *FORM_COLUMNS)
        ]
    )

    def remove_activity(user: User, name: str, chosen: str | None, confirmed: bool) -> tuple[Any, ...]:
        message, view = tab.remove_activity(user, name, chosen, confirmed)
        return message, view, activities(user, name)

    def ask_import(user: User, path: str | None, name: str) -> tuple[Any, ...]:
        require_present(path)  # an upload used before is gone: ask for the file again, not about it
        count = tab.replaced_count(user, name)
        if count:
            question = (
                f"**Het register van deze klant heeft {count} verwerking(en).** De import vervangt het hele "
                f"register: de {count} huidige verwerkingen worden vervangen door die uit het bestand."
            )
            return gr.update(), gr.update(), gr.update(), gr.update(visible=True), question
        return (*do_import(user, path, name), gr.update(visible=False), "")

    def create_register(user: User, name: str) -> tuple[Any, ...]:
        view, chosen = tab.create_register(user, name)
        return view, gr.update(choices=tab.client_choices(user), value=chosen), activities(user, chosen)

    def do_import(user: User, path: str | None, name: str) -> tuple[Any, ...]:
        view, chosen = tab.import_file(user, path, name)
        return view, gr.update(choices=tab.client_choices(user), value=chosen), activities(user, chosen)

    def do_create(user: User, name: str, polish_text: bool) -> tuple[Any, ...]:
        new_id = tab.create_draft(user, name, polish_text)
        text, report, sections = tab.show_draft(user, new_id)
        drafts = gr.update(choices=tab.draft_choices(user, name), value=new_id)
        return (
            drafts,
            text,
            report,
            gr.update(choices=sections, value=None),
            tab.audit(user, name),
            *steps(user, new_id),
        )

    def after_change(user: User, draft_id: str | None, name: str) -> tuple[Any, ...]:
        text, report, _ = tab.show_draft(user, draft_id)
        drafts = gr.update(choices=tab.draft_choices(user, name), value=draft_id)
        return drafts, text, report, tab.audit(user, name), *steps(user, draft_id)

    def transition(action: str) -> Callable[..., tuple[Any, ...]]:
        def run(user: User, draft_id: str | None, note_text: str, name: str) -> tuple[Any, ...]:
            tab.transition(user, draft_id, action, note_text or "")
            return after_change(user, draft_id, name)

        return run

    def decide(accept: bool) -> Callable[..., tuple[str, str]]:
        def run(user: User, name: str, number: float | None, activity: str, keep: str) -> tuple[str, str]:
            return tab.decide(user, name, number, activity or "", accept, keep)

        return run

    def save(user: User, draft_id: str | None, key: str | None, text: str, name: str) -> tuple[Any, ...]:
        tab.save_section(user, draft_id, key, text)
        return after_change(user, draft_id, name)

    def comment(user: User, draft_id: str | None, key: str | None, text: str, name: str) -> tuple[Any, ...]:
        tab.comment(user, draft_id, key, text)
        return after_change(user, draft_id, name)

    views_out = [register_view, suggestions_view, draft, audit_view, activity]
    step_buttons = list(buttons.values())
    changed = [draft, draft_view, completeness_view, audit_view, *step_buttons]
    private: dict[str, Any] = {"api_visibility": "private"}
    gr.on(None, on("privacyverklaring laden", 1, choices), None, [client], api_visibility="private")
    refresh.click(
        on("register vernieuwen", 6, reload),
        [client],
        [*views_out, client],
        api_name="register_vernieuwen",
        **HIDDEN,
    )
    # Never updates the client box itself, so it cannot trigger itself.
    client.change(on("register tonen", 5, overview), [client], views_out, api_name="register_laden", **HIDDEN)
    # Importing over a register with activities asks first ("vervangt N verwerkingen"), every time.
    # A processed upload is deleted: its field is cleared (a fresh choice is needed for another import).
    import_button.click(
        on("register importeren", 5, ask_import),
        [upload, client],
        [register_view, client, activity, import_confirm, import_question],
        **private,
    ).then(clear_consumed, upload, upload, **private)
    import_yes.click(
        on("register importeren", 3, do_import),
        [upload, client],
        [register_view, client, activity],
        api_name="register_importeren",
        **HIDDEN,
    ).then(lambda: gr.update(visible=False), None, import_confirm, **private).then(
        clear_consumed, upload, upload, **private
    )
    for trigger in (import_no.click, client.change, upload.change):
        trigger(lambda: gr.update(visible=False), None, import_confirm, **private)
    new_register.click(
        on("register aanleggen", 3, create_register),
        [client],
        [register_view, client, activity],
        api_name="register_aanleggen",
        **HIDDEN,
    )
    template_button.click(
        on("registersjabloon downloaden", 1, tab.template_file),
        [client, export_format],
        export_file,
        api_name="register_sjabloon",
        **HIDDEN,
    )
    form = [fields[c] for c in FORM_COLUMNS]
    activity.change(
        on("verwerking tonen", len(form) + 1, pick_activity),
        [client, activity],
        [*form, activity_confirm],
        **private,
    )
    activity_save.click(
        on("verwerking opslaan", 3, save_activity),
        [client, activity, *form],
        [activity_message, register_view, activity],
        api_name="verwerking_opslaan",
        **HIDDEN,
    )
    activity_remove.click(
        on("verwerking verwijderen", 3, remove_activity),
        [client, activity, activity_confirm],
        [activity_message, register_view, activity],
        api_name="verwerking_verwijderen",
        **HIDDEN,
    ).then(lambda: False, None, activity_confirm, **private)
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
    choice = [client, suggestion_id, target, conflict]
    for accept, name in ((True, "suggestie_accepteren"), (False, "suggestie_afwijzen")):
        (accept_button if accept else reject_button).click(
            on(name.replace("_", " "), 2, decide(accept)),
            choice,
            [suggestions_view, register_view],
            api_name=name,
            **HIDDEN,
        )
    create_button.click(
        on("concept maken", 10, do_create),
        [client, polish],
        [draft, draft_view, completeness_view, section, audit_view, *step_buttons],
        api_name="concept_maken",
        **HIDDEN,
    )
    draft.change(
        on("concept openen", 8, open_draft),
        [draft],
        [draft_view, completeness_view, section, *step_buttons],
        api_name="concept_openen",
        **HIDDEN,
    )
    for action, button in buttons.items():
        button.click(
            on(f"concept {ACTION_LABELS[action]}", 9, transition(action)),
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
        on("onderdeel opslaan", 9, save),
        [draft, section, section_text, client],
        changed,
        api_name="onderdeel_opslaan",
        **HIDDEN,
    )
    comment_button.click(
        on("opmerking plaatsen", 9, comment),
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
    ).then(clear_consumed, check_upload, check_upload, **private)
