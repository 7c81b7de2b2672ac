"""The Compliancy Check tab: run a client's check, review each answer, export the report, edit the checklist.

``build_tab(app)`` is called by :mod:`assistant.web` inside ``with gr.Tab("Compliancy Check"):``.
Handlers only translate between gradio and :class:`CheckService`; the Markdown comes from
:mod:`assistant.check_view`. Domain errors are shown in Dutch; other errors are logged.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.app import App
from assistant.check_export import to_docx, to_markdown
from assistant.check_model import STATUSES, CheckRun
from assistant.check_review import ACTION_ACCEPT, ACTION_COMMENT, ACTION_EDIT, ACTION_REJECT
from assistant.check_service import CheckService, build_check_service, client_name, day_rate_setting
from assistant.check_view import TABLE_HEADERS, answer_markdown, summary_markdown, table_rows
from ingestion.errors import AvgError
from knowledge.scopes import CLIENT_PREFIX

logger = logging.getLogger(__name__)

ERROR_TEXT = "Er ging iets mis. Probeer het opnieuw of neem contact op met de beheerder."
CHOOSE_CLIENT = "Kies eerst een klant."
NO_RUN = "Voor deze klant is nog geen check uitgevoerd. Klik op **Check uitvoeren**."
NAME_NEEDED = "Vul uw naam in; die komt bij de beoordeling te staan."

View = tuple[Any, ...]


def client_choices(app: App) -> list[str]:
    """Names of the clients that have documents."""
    scopes = {r.scope for r in app.kb.registry.list() if r.scope.startswith(CLIENT_PREFIX)}
    return sorted(s[len(CLIENT_PREFIX) :] for s in scopes)


def user_of(request: gr.Request | None, typed: str) -> str:
    """The logged-in user name, else the typed name."""
    username = getattr(request, "username", None) if request is not None else None
    return str(username) if username else " ".join((typed or "").split())


class CheckTab:
    """Handlers of the tab; each returns the updated view."""

    def __init__(self, app: App, service: CheckService) -> None:
        self.app = app
        self.service = service

    # -- views -----------------------------------------------------------------------------------
    def view(self, client: str | None, selected: str | None = None, message: str = "") -> View:
        """(message, summary, table, question choices, detail) for the client's latest run."""
        if not client:
            return message or CHOOSE_CLIENT, "", [], gr.update(choices=[], value=None), ""
        run = self.service.runs.latest(client_name(client))
        if run is None:
            return message or NO_RUN, "", [], gr.update(choices=[], value=None), ""
        checklist = self.service.checklists.get(run.checklist_version)
        answers = self.service.reviewed(run)
        ids = [a.question_id for a in answers]
        selected = selected if selected in ids else (ids[0] if ids else None)
        summary = summary_markdown(run, self.service.report(run, day_rate_setting(self.app)))
        return (
            message,
            summary,
            table_rows(checklist, answers),
            gr.update(choices=ids, value=selected),
            self._detail(run, selected),
        )

    def _detail(self, run: CheckRun, question_id: str | None) -> str:
        if not question_id:
            return ""
        checklist = self.service.checklists.get(run.checklist_version)
        answer = next(a for a in self.service.reviewed(run) if a.question_id == question_id)
        return answer_markdown(checklist, answer, self.service.history(run, question_id))

    def detail(self, client: str | None, question_id: str | None) -> str:
        """The detail panel of one question of the latest run."""
        run = self.service.runs.latest(client_name(client)) if client else None
        return self._detail(run, question_id) if run else ""

    # -- actions ---------------------------------------------------------------------------------
    def run(
        self,
        client: str | None,
        typed: str,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - gradio injects progress through this default
    ) -> View:
        """Run the check for the client."""
        if not client:
            return self.view(None)

        def report(done: int, total: int) -> None:
            progress(done / total, desc=f"Vraag {done} van {total}")

        return self._guarded(
            client,
            None,
            lambda: self.service.run(client, user_of(request, typed) or "onbekend", report),
            "De check is uitgevoerd.",
        )

    def review(
        self,
        action: str,
        client: str | None,
        question_id: str | None,
        typed: str,
        status: str | None,
        rationale: str,
        comment: str,
        request: gr.Request,
    ) -> View:
        """Record one review step for the selected question."""
        reviewer = user_of(request, typed)
        if not client or not question_id:
            return self.view(client, question_id, CHOOSE_CLIENT)
        if not reviewer:
            return self.view(client, question_id, NAME_NEEDED)

        def act() -> object:
            run = self.service.latest(client)
            edit = action == ACTION_EDIT
            return self.service.review(
                run,
                question_id,
                action,
                reviewer,
                status if edit else None,
                rationale if edit else None,
                comment or "",
            )

        return self._guarded(client, question_id, act, f"Beoordeling opgeslagen ({action}).")

    def export(self, client: str | None, day_rate: float | None, fmt: str) -> tuple[str, str | None]:
        """Write the report of the latest run; returns (message, file path)."""
        if not client:
            return CHOOSE_CLIENT, None
        try:
            run = self.service.latest(client)
            report = self.service.report(run, float(day_rate) if day_rate else day_rate_setting(self.app))
            slug = re.sub(r"[^a-z0-9]+", "-", run.client.lower()).strip("-") or "klant"
            path = Path(tempfile.mkdtemp(prefix="avg-check-")) / f"compliancy-check-{slug}-{run.id}.{fmt}"
            if fmt == "md":
                path.write_text(to_markdown(report), encoding="utf-8")
            else:
                to_docx(report, path)
            return f"Rapport klaar: {path.name}", str(path)
        except AvgError as exc:
            return f"**Fout:** {exc}", None
        except Exception:  # noqa: BLE001 - never show a stack trace in the UI
            logger.exception("check export failed")
            return ERROR_TEXT, None

    def checklist_view(self) -> tuple[str, str]:
        """(versions as Markdown, current checklist as YAML)."""
        versions = self.service.checklists.versions()
        lines = [
            f"- versie {v.version}: {v.created_at[:10]}, {v.author} — {v.note} ({v.question_count} vragen)"
            for v in versions
        ]
        return "\n".join(lines), self.service.checklists.current().to_yaml()

    def save_checklist(self, text: str, note: str, typed: str, request: gr.Request) -> tuple[str, str, str]:
        """Store the edited YAML as a new checklist version; returns (message, versions, YAML)."""
        try:
            saved = self.service.checklists.save_yaml(text or "", user_of(request, typed), note or "")
            message = f"Opgeslagen als versie {saved.version}; de volgende check gebruikt deze versie."
        except AvgError as exc:
            versions, _ = self.checklist_view()
            return f"**Fout:** {exc}", versions, text
        return (message, *self.checklist_view())

    def _guarded(self, client: str, selected: str | None, action: Callable[[], object], done: str) -> View:
        try:
            action()
        except AvgError as exc:
            return self.view(client, selected, f"**Fout:** {exc}")
        except Exception:  # noqa: BLE001 - never show a stack trace in the UI
            logger.exception("compliancy check action failed")
            return self.view(client, selected, ERROR_TEXT)
        return self.view(client, selected, done)


def build_tab(app: App) -> None:
    """The tab's components and events (inside the caller's ``gr.Tab``)."""
    tab = CheckTab(app, build_check_service(app))
    gr.Markdown(
        "Toets de documenten van een klant aan de checklist van het bureau. Bewijs komt alleen uit de "
        "documenten van die klant; beoordeel elk voorstel voordat u het rapport deelt."
    )
    with gr.Row():
        client = gr.Dropdown(client_choices(app), value=None, label="Klant", elem_id="check-klant", scale=3)
        typed = gr.Textbox(label="Uw naam", placeholder="voor beoordelingen", elem_id="check-naam", scale=2)
        refresh = gr.Button("Klanten vernieuwen", scale=1)
        run = gr.Button("Check uitvoeren", variant="primary", elem_id="check-uitvoeren", scale=1)
    message = gr.Markdown(elem_id="check-melding")
    summary = gr.Markdown(elem_id="check-samenvatting")
    table = gr.Dataframe(headers=TABLE_HEADERS, interactive=False, wrap=True, elem_id="check-tabel")
    with gr.Row():
        with gr.Column(scale=3):
            question = gr.Dropdown([], label="Vraag", elem_id="check-vraag")
            detail = gr.Markdown(elem_id="check-detail")
        with gr.Column(scale=2):
            status = gr.Dropdown(list(STATUSES), label="Status (bij bewerken)", value=None)
            rationale = gr.Textbox(label="Toelichting (bij bewerken)", lines=4)
            comment = gr.Textbox(label="Opmerking", lines=2)
            with gr.Row():
                accept = gr.Button("Accepteren", variant="primary")
                edit = gr.Button("Bewerking opslaan")
            with gr.Row():
                reject = gr.Button("Afwijzen", variant="stop")
                remark = gr.Button("Opmerking plaatsen")
    with gr.Accordion("Rapport", open=False):
        with gr.Row():
            day_rate = gr.Number(value=day_rate_setting(app), label="Dagtarief (€)", minimum=0)
            as_docx = gr.Button("Rapport als Word")
            as_md = gr.Button("Rapport als Markdown")
        export_message = gr.Markdown()
        report_file = gr.File(label="Rapport", interactive=False)
    with gr.Accordion("Checklist beheren (kennisbeheer)", open=False):
        versions_md, yaml_text = tab.checklist_view()
        versions = gr.Markdown(versions_md)
        checklist_yaml = gr.Code(yaml_text, language="yaml", label="Checklist (YAML)", interactive=True)
        note = gr.Textbox(label="Wat is er gewijzigd?")
        save = gr.Button("Opslaan als nieuwe versie")
        checklist_message = gr.Markdown()

    view = [message, summary, table, question, detail]
    client.change(tab.view, [client], view)
    refresh.click(lambda: gr.update(choices=client_choices(app)), None, [client])
    run.click(tab.run, [client, typed], view)
    question.change(tab.detail, [client, question], [detail])
    review_inputs = [client, question, typed, status, rationale, comment]
    for button, action in ((accept, ACTION_ACCEPT), (edit, ACTION_EDIT), (reject, ACTION_REJECT)):
        button.click(_bind(tab.review, action), review_inputs, view)
    remark.click(_bind(tab.review, ACTION_COMMENT), review_inputs, view)
    as_docx.click(lambda c, r: tab.export(c, r, "docx"), [client, day_rate], [export_message, report_file])
    as_md.click(lambda c, r: tab.export(c, r, "md"), [client, day_rate], [export_message, report_file])
    save.click(
        tab.save_checklist, [checklist_yaml, note, typed], [checklist_message, versions, checklist_yaml]
    )


def _bind(handler: Callable[..., View], action: str) -> Callable[..., View]:
    """A review handler for one action, with gradio's request and progress injected."""

    def bound(
        client: str | None,
        question_id: str | None,
        typed: str,
        status: str | None,
        rationale: str,
        comment: str,
        request: gr.Request,
    ) -> View:
        return handler(action, client, question_id, typed, status, rationale, comment, request)

    return bound
