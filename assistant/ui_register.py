"""The web tab "Register en privacyverklaring": register, suggestions, drafts, review, checks.

``build_tab(app)`` creates the components inside the ``gr.Tab`` that :mod:`assistant.web`
opens. The handlers live on :class:`RegisterTab` and take plain values, so tests call them
without a browser; each returns Markdown from :mod:`assistant.privacy.views`. Who did
something is the logged-in user of the gradio session (``request.username``), never a typed
name. An optional ``guard(user, action, client)`` lets the composition root check permissions
before any change ("register", "opstellen", "goedkeuren"); it raises a Dutch ``AvgError``.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.app import App
from assistant.privacy import views
from assistant.privacy.review import DraftRecord
from assistant.privacy.service import PrivacyService
from ingestion.errors import AvgError

logger = logging.getLogger(__name__)

Guard = Callable[[str, str, str], None]
LOCAL_USER = "lokaal"
ERROR_TEXT = "Er ging iets mis. Probeer het opnieuw of neem contact op met de beheerder."
REGISTER_TYPES = [".yaml", ".yml", ".csv", ".xlsx"]
STATEMENT_TYPES = [".pdf", ".docx", ".html", ".htm", ".md", ".txt"]


def user_of(request: gr.Request | None) -> str:
    """The logged-in user of the session, or "lokaal" without login."""
    name = getattr(request, "username", None) if request is not None else None
    return str(name) if name else LOCAL_USER


class RegisterTab:
    """Handlers of the tab; each returns what its outputs show."""

    def __init__(self, app: App, guard: Guard | None = None, service: PrivacyService | None = None) -> None:
        self.service = service or PrivacyService.from_app(app)
        self.guard = guard

    def _allow(self, user: str, action: str, client: str) -> None:
        if self.guard is not None:
            self.guard(user, action, client)

    # register
    def client_choices(self) -> list[str]:
        """Clients with a register."""
        return self.service.clients()

    def show_register(self, client: str) -> str:
        """The register of ``client`` with its findings."""
        if not client:
            return "_Kies of typ een klant._"
        if client not in self.service.clients():
            return f"_Klant '{client}' heeft nog geen register: importeer er een of accepteer suggesties._"
        return views.register_markdown(self.service.register(client), self.service.problems(client))

    def import_file(self, path: str | None, client: str, user: str) -> tuple[str, str]:
        """Import a register file; returns (register view, client name)."""
        if not path:
            raise AvgError("Kies eerst een bestand (YAML, CSV of XLSX).")
        self._allow(user, "register", client)
        register, _ = self.service.import_register(Path(path), user, client or None)
        return self.show_register(register.client), register.client

    def export_file(self, client: str, fmt: str) -> str:
        """Export the register; returns the file path to download."""
        folder = Path(tempfile.mkdtemp(prefix="avg-register-"))
        name = "".join(ch if ch.isalnum() else "-" for ch in client).strip("-") or "register"
        return str(self.service.export_register(client, folder / f"register-{name}.{fmt}"))

    # suggestions
    def find_suggestions(self, client: str, user: str) -> str:
        """Search the client's documents; returns the open suggestions."""
        self._allow(user, "register", client)
        run = self.service.find_suggestions(client, user)
        header = f"_Doorzochte passages: {run.passages}._\n\n"
        return header + views.suggestions_markdown(run.suggestions, run.notices)

    def show_suggestions(self, client: str) -> str:
        """Open suggestions of ``client``."""
        return views.suggestions_markdown(self.service.suggestions(client)) if client else ""

    def decide(
        self, client: str, suggestion_id: float | None, activity: str, accept: bool, user: str
    ) -> tuple[str, str]:
        """Accept or reject; returns (suggestions view, register view)."""
        if not suggestion_id:
            raise AvgError("Vul het nummer van de suggestie in.")
        self._allow(user, "register", client)
        if accept:
            self.service.accept_suggestion(int(suggestion_id), user, activity.strip() or None)
        else:
            self.service.reject_suggestion(int(suggestion_id), user)
        return self.show_suggestions(client), self.show_register(client)

    # drafts
    def draft_choices(self, client: str) -> list[tuple[str, str]]:
        """(label, id) of the client's drafts, newest first."""
        return [
            (f"{r.id}: versie {r.version}, {r.status_label}", str(r.id))
            for r in self.service.drafts(client or None)
        ]

    def create_draft(self, client: str, polish: bool, user: str) -> str:
        """Generate and store a new draft; returns its id."""
        self._allow(user, "opstellen", client)
        return str(self.service.create_draft(client, user, polish=polish).id)

    def show_draft(self, draft_id: str | None) -> tuple[str, str, list[tuple[str, str]]]:
        """(draft view, completeness view, section choices)."""
        if not draft_id:
            return "_Nog geen concept gekozen._", "", []
        view = self.service.view(int(draft_id))
        report = self.service.check_draft(int(draft_id))
        sections = [(s.title, s.key) for s in view.draft.sections]
        return (
            views.draft_markdown(view, self.service.review.comments(int(draft_id))),
            report.to_markdown(),
            sections,
        )

    def transition(self, draft_id: str | None, action: str, note: str, user: str) -> None:
        """Submit, approve, reject or withdraw."""
        record = self._record(draft_id)
        self._allow(user, "goedkeuren" if action in ("approve", "reject") else "opstellen", record.client)
        review = self.service.review
        if action == "submit":
            review.submit(record.id, user)
        elif action == "approve":
            review.approve(record.id, user, note)
        elif action == "reject":
            review.reject(record.id, user, note)
        elif action == "withdraw":
            review.withdraw(record.id, user)
        else:
            self.service.regenerate(record.id, user)

    def section_text(self, draft_id: str | None, key: str | None) -> str:
        """The text of one section of the latest version."""
        if not draft_id or not key:
            return ""
        section = self.service.review.version(int(draft_id)).section(key)
        return section.text if section else ""

    def save_section(self, draft_id: str | None, key: str | None, text: str, user: str) -> None:
        """Store an edited section as a new version."""
        record = self._record(draft_id)
        self._allow(user, "opstellen", record.client)
        self.service.review.edit_section(record.id, key or "", text, user)

    def comment(self, draft_id: str | None, key: str | None, text: str, user: str) -> None:
        """Comment on a section."""
        record = self._record(draft_id)
        self._allow(user, "opstellen", record.client)
        self.service.review.comment(record.id, key or "", user, text)

    def diff(self, draft_id: str | None, old: float | None, new: float | None) -> str:
        """The diff between two versions."""
        record = self._record(draft_id)
        return views.diff_markdown(
            self.service.review.diff(record.id, int(old or 1), int(new or record.version))
        )

    def export_draft(self, draft_id: str | None, fmt: str) -> str:
        """Export the latest version; returns the file path."""
        record = self._record(draft_id)
        folder = Path(tempfile.mkdtemp(prefix="avg-privacyverklaring-"))
        path = folder / f"privacyverklaring-{record.id}-v{record.version}.{fmt}"
        if fmt == "docx":
            self.service.export_docx(record.id, path)
        else:
            path.write_text(self.service.export_markdown(record.id), encoding="utf-8")
        return str(path)

    def audit(self, client: str) -> str:
        """The audit trail of the client."""
        return views.audit_markdown(self.service.audit_trail(client or None))

    def check_upload(self, path: str | None, client: str) -> str:
        """Completeness of an uploaded privacyverklaring."""
        if not path:
            raise AvgError("Kies eerst een bestand (PDF, DOCX, HTML, Markdown of tekst).")
        return self.service.check_file(Path(path), client or None).to_markdown()

    def _record(self, draft_id: str | None) -> DraftRecord:
        if not draft_id:
            raise AvgError("Kies eerst een concept.")
        return self.service.review.get(int(draft_id))


def guarded(action: Callable[[], Any], outputs: int) -> Any:
    """Run ``action``; on an error show a Dutch warning and leave the outputs unchanged."""
    try:
        return action()
    except AvgError as exc:
        gr.Warning(str(exc))
    except Exception:  # noqa: BLE001 - never show a stack trace in the UI
        logger.exception("register handler failed")
        gr.Warning(ERROR_TEXT)
    return gr.skip() if outputs == 1 else (gr.skip(),) * outputs


def build_tab(app: App, guard: Guard | None = None) -> None:
    """Create the tab's components and events (inside the caller's ``gr.Tab``)."""
    tab = RegisterTab(app, guard)
    with gr.Row():
        client = gr.Dropdown(
            label="Klant", choices=tab.client_choices(), allow_custom_value=True, interactive=True, scale=3
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
        register_view = gr.Markdown()
    with gr.Tab("Suggesties uit documenten"):
        find_button = gr.Button("Zoek suggesties in de documenten van deze klant", variant="primary")
        suggestions_view = gr.Markdown()
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
        draft = gr.Dropdown(label="Concept", choices=[], interactive=True)
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
            draft_view = gr.Markdown()
            completeness_view = gr.Markdown()
        with gr.Accordion("Onderdeel bewerken of becommentariëren", open=False):
            section = gr.Dropdown(label="Onderdeel", choices=[], interactive=True)
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
            diff_view = gr.Markdown()
        with gr.Row():
            draft_format = gr.Radio(["docx", "md"], value="docx", label="Exportformaat")
            draft_export_button = gr.Button("Exporteren")
            draft_file = gr.File(label="Download", interactive=False)
        with gr.Accordion("Audittrail", open=False):
            audit_view = gr.Markdown()
    with gr.Tab("Bestaande verklaring toetsen"):
        check_upload = gr.File(
            label="Privacyverklaring (PDF, DOCX, HTML)", file_types=STATEMENT_TYPES, type="filepath"
        )
        check_button = gr.Button("Controleer volledigheid", variant="primary")
        check_view = gr.Markdown()

    def load(name: str) -> tuple[Any, ...]:
        return guarded(
            lambda: (
                tab.show_register(name),
                tab.show_suggestions(name),
                gr.update(choices=tab.draft_choices(name), value=None),
                tab.audit(name),
            ),
            4,
        )

    def reload(name: str) -> tuple[Any, ...]:
        view = load(name)
        if not isinstance(view, tuple) or len(view) != 4:
            return (gr.skip(),) * 5
        return (*view, gr.update(choices=tab.client_choices()))

    def open_draft(draft_id: str | None) -> tuple[Any, ...]:
        def run() -> tuple[Any, ...]:
            text, report, sections = tab.show_draft(draft_id)
            return text, report, gr.update(choices=sections, value=None)

        return guarded(run, 3)

    def do_import(path: str | None, name: str, request: gr.Request) -> tuple[Any, ...]:
        def run() -> tuple[Any, ...]:
            view, chosen = tab.import_file(path, name, user_of(request))
            return view, gr.update(choices=tab.client_choices(), value=chosen)

        return guarded(run, 2)

    def do_create(name: str, polish_text: bool, request: gr.Request) -> tuple[Any, ...]:
        def run() -> tuple[Any, ...]:
            new_id = tab.create_draft(name, polish_text, user_of(request))
            text, report, sections = tab.show_draft(new_id)
            choices = gr.update(choices=tab.draft_choices(name), value=new_id)
            return choices, text, report, gr.update(choices=sections, value=None), tab.audit(name)

        return guarded(run, 5)

    def after_change(draft_id: str | None, name: str) -> tuple[Any, ...]:
        text, report, sections = tab.show_draft(draft_id)
        choices = gr.update(choices=tab.draft_choices(name), value=draft_id)
        return choices, text, report, tab.audit(name)

    def transition_handler(action: str) -> Callable[..., Any]:
        def handler(draft_id: str | None, note_text: str, name: str, request: gr.Request) -> tuple[Any, ...]:
            def run() -> tuple[Any, ...]:
                tab.transition(draft_id, action, note_text or "", user_of(request))
                return after_change(draft_id, name)

            return guarded(run, 4)

        return handler

    def find(name: str, request: gr.Request) -> Any:
        return guarded(lambda: tab.find_suggestions(name, user_of(request)), 1)

    def decide_handler(accept: bool) -> Callable[..., Any]:
        def handler(name: str, number: float | None, activity: str, request: gr.Request) -> Any:
            return guarded(lambda: tab.decide(name, number, activity or "", accept, user_of(request)), 2)

        return handler

    def save(draft_id: str | None, key: str | None, text: str, name: str, request: gr.Request) -> Any:
        def run() -> tuple[Any, ...]:
            tab.save_section(draft_id, key, text, user_of(request))
            return after_change(draft_id, name)

        return guarded(run, 4)

    def comment(draft_id: str | None, key: str | None, text: str, name: str, request: gr.Request) -> Any:
        def run() -> tuple[Any, ...]:
            tab.comment(draft_id, key, text, user_of(request))
            return after_change(draft_id, name)

        return guarded(run, 4)

    overview = [register_view, suggestions_view, draft, audit_view]
    refresh.click(reload, [client], [*overview, client], api_name="register_vernieuwen")
    # Never updates the client box itself, so it cannot trigger itself.
    client.change(load, [client], overview, api_name="register_laden")
    import_button.click(do_import, [upload, client], [register_view, client], api_name="register_importeren")
    export_button.click(
        lambda n, f: guarded(lambda: tab.export_file(n, f), 1),
        [client, export_format],
        export_file,
        api_name="register_exporteren",
    )
    find_button.click(find, [client], suggestions_view, api_name="suggesties_zoeken")
    decided = [suggestions_view, register_view]
    choice = [client, suggestion_id, target]
    accept_button.click(decide_handler(True), choice, decided, api_name="suggestie_accepteren")
    reject_button.click(decide_handler(False), choice, decided, api_name="suggestie_afwijzen")
    create_button.click(
        do_create,
        [client, polish],
        [draft, draft_view, completeness_view, section, audit_view],
        api_name="concept_maken",
    )
    draft.change(open_draft, [draft], [draft_view, completeness_view, section], api_name="concept_openen")
    changed = [draft, draft_view, completeness_view, audit_view]
    for action, button in buttons.items():
        button.click(transition_handler(action), [draft, note, client], changed, api_name=f"concept_{action}")
    section.change(
        lambda d, k: guarded(lambda: tab.section_text(d, k), 1),
        [draft, section],
        section_text,
        api_name="onderdeel_tekst",
    )
    save_button.click(save, [draft, section, section_text, client], changed, api_name="onderdeel_opslaan")
    comment_button.click(comment, [draft, section, comment_text, client], changed, api_name="opmerking")
    diff_button.click(
        lambda d, a, b: guarded(lambda: tab.diff(d, a, b), 1),
        [draft, old_version, new_version],
        diff_view,
        api_name="versies_vergelijken",
    )
    draft_export_button.click(
        lambda d, f: guarded(lambda: tab.export_draft(d, f), 1),
        [draft, draft_format],
        draft_file,
        api_name="concept_exporteren",
    )
    check_button.click(
        lambda p, n: guarded(lambda: tab.check_upload(p, n), 1),
        [check_upload, client],
        check_view,
        api_name="verklaring_toetsen",
    )
