"""The Compliancy Check tab: run a client's check, review each answer, export the report, edit the checklist.

``build_tab(app)`` is called by :mod:`assistant.interfaces.web.server`
inside ``with gr.Tab("Compliancy Check"):``.
Handlers only translate between gradio and :class:`CheckService`; the Markdown comes from
:mod:`assistant.interfaces.web.check_view`. Every action takes the :class:`User` of the request (resolved
anew by :func:`assistant.interfaces.web.auth.guard`) and starts with
:func:`assistant.features.accounts.access.require`:
running, viewing, reviewing and exporting a client's check need ``compliancy_check`` for that
client, editing the checklist ``checklist_beheren``. The reviewer, runner and checklist
author recorded are the session user; each action is also written to the central audit log.
Client choices and the checklist arrive per request on page load; the checklist editor (a form
per question) is shown to who may maintain the checklist only. The review form always shows the
selected question's own stored status and rationale, and only the review steps its state allows.
A refusal is a Dutch warning; domain errors are shown in Dutch; other errors are logged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import gradio as gr

from assistant.app import App
from assistant.error_report import report_unexpected
from assistant.features.accounts.access import AccessDenied, Permission, may, require
from assistant.features.accounts.users import User
from assistant.features.check.checklist_store import key_terms_to_text, question_from_form
from assistant.features.check.model import (
    REVIEW_ACCEPTED,
    REVIEW_REJECTED,
    STATUSES,
    CheckRun,
    ReviewedAnswer,
)
from assistant.features.check.review import ACTION_ACCEPT, ACTION_COMMENT, ACTION_EDIT, ACTION_REJECT
from assistant.features.check.service import CheckService, client_name
from assistant.interfaces.web.auth import handler
from assistant.interfaces.web.check_view import (
    TABLE_HEADERS,
    answer_markdown,
    question_choices,
    summary_markdown,
    table_rows,
)
from assistant.interfaces.web.export_folders import EXPORT_FOLDERS
from assistant.interfaces.web.exports import scoped_export
from assistant.interfaces.web.safe_components import safe_markdown
from ingestion.errors import AvgError
from knowledge.registry import STATUS_READY
from knowledge.scopes import CLIENT_PREFIX

logger = logging.getLogger(__name__)

CHOOSE_CLIENT = "Kies eerst een klant."
NO_RUN = "Voor deze klant is nog geen check uitgevoerd. Klik op **Check uitvoeren**."
NO_DOCUMENTS = (
    "Klant '{name}' heeft nog geen documenten. Voeg ze toe in het tabblad **Kennisbank** (scope "
    "klant:{name}); daarna kunt u de check uitvoeren."
)
HIDDEN: dict[str, Any] = {"api_visibility": "undocumented"}
NEW_QUESTION = "nieuw"
REVIEW_ACTIONS = (ACTION_ACCEPT, ACTION_EDIT, ACTION_REJECT, ACTION_COMMENT)

View = tuple[Any, ...]


def client_choices(app: App) -> list[str]:
    """Names of the active clients, with or without documents (a client without any gets a hint)."""
    return sorted(c.name for c in app.clients.list())


def has_documents(app: App, client: str) -> bool:
    """Whether the client's scope holds a searchable document."""
    return bool(app.kb.registry.list(scope=CLIENT_PREFIX + client, status=STATUS_READY))


def permit(user: User, client: str) -> str:
    """Require ``compliancy_check`` for ``client``; returns the canonical client name."""
    name = client_name(client)
    require(user, Permission.RUN_CHECK, name)
    return name


class CheckTab:
    """Handlers of the tab; each checks the user's permission first and returns the updated view."""

    def __init__(self, app: App, service: CheckService) -> None:
        self.app = app
        self.service = service

    def clients(self, user: User) -> list[str]:
        """The active clients for which the user may run the check (also those without documents yet)."""
        return [c for c in client_choices(self.app) if may(user, Permission.RUN_CHECK, c)]

    # -- views -----------------------------------------------------------------------------------
    def view(self, user: User, client: str | None, selected: str | None = None, message: str = "") -> View:
        """(message, summary, table, question choices, detail) for the client's latest run."""
        if not client:
            return message or CHOOSE_CLIENT, "", [], gr.update(choices=[], value=None), ""
        name = permit(user, client)
        run = self.service.runs.latest(name)
        if run is None:
            hint = NO_RUN if has_documents(self.app, name) else NO_DOCUMENTS.format(name=name)
            return message or hint, "", [], gr.update(choices=[], value=None), ""
        checklist = self.service.checklists.get(run.checklist_version)
        answers = self.service.reviewed(run)
        ids = [a.question_id for a in answers]
        selected = selected if selected in ids else (ids[0] if ids else None)
        summary = summary_markdown(run, self.service.report(run, self.app.settings.check_day_rate))
        return (
            message,
            summary,
            table_rows(checklist, answers),
            gr.update(choices=question_choices(checklist, ids), value=selected),
            self._detail(run, selected),
        )

    def _detail(self, run: CheckRun, question_id: str | None) -> str:
        if not question_id:
            return ""
        checklist = self.service.checklists.get(run.checklist_version)
        answer = next((a for a in self.service.reviewed(run) if a.question_id == question_id), None)
        if answer is None:
            return ""
        return answer_markdown(checklist, answer, self.service.history(run, question_id))

    def detail(self, user: User, client: str | None, question_id: str | None) -> str:
        """The detail panel of one question of the latest run."""
        run = self.service.runs.latest(permit(user, client)) if client else None
        return self._detail(run, question_id) if run else ""

    def answer(self, user: User, client: str | None, question_id: str | None) -> ReviewedAnswer | None:
        """The selected question's answer in the latest run, review applied (None when there is none)."""
        run = self.service.runs.latest(permit(user, client)) if client else None
        if run is None or not question_id:
            return None
        return next((a for a in self.service.reviewed(run) if a.question_id == question_id), None)

    def form(self, user: User, client: str | None, question_id: str | None) -> tuple[Any, ...]:
        """The review form of the selected question: its own stored status and rationale, an empty
        comment, and which review steps its state allows (accept, edit, reject, comment)."""
        answer = self.answer(user, client, question_id)
        if answer is None:
            return (None, "", "", *(gr.update(interactive=False) for _ in REVIEW_ACTIONS))
        allowed = review_steps(answer)
        return (
            answer.status,
            answer.rationale,
            "",
            *(gr.update(interactive=action in allowed) for action in REVIEW_ACTIONS),
        )

    # -- actions ---------------------------------------------------------------------------------
    def run(self, user: User, client: str | None, progress: Callable[[int, int], None] | None = None) -> View:
        """Run the check for the client."""
        if not client:
            return self.view(user, None)
        name = permit(user, client)

        def act() -> None:
            self.service.run(name, user.username, progress)

        return self._guarded(user, name, None, act, "De check is uitgevoerd.")

    def review(
        self,
        user: User,
        action: str,
        client: str | None,
        question_id: str | None,
        status: str | None,
        rationale: str,
        comment: str,
    ) -> View:
        """Record one review step for the selected question, by the session user."""
        if not client or not question_id:
            return self.view(user, client, question_id, CHOOSE_CLIENT)
        name = permit(user, client)

        def act() -> None:
            run = self.service.latest(name)
            edit = action == ACTION_EDIT
            self.service.review(
                run,
                question_id,
                action,
                user.username,
                status if edit else None,
                rationale if edit else None,
                comment or "",
            )

        return self._guarded(user, name, question_id, act, f"Beoordeling opgeslagen ({action}).")

    def export(
        self, user: User, client: str | None, day_rate: float | None, fmt: str
    ) -> tuple[str, str | None]:
        """Write the report of the latest run to a fresh temp folder; returns (message, file path)."""
        if not client:
            return CHOOSE_CLIENT, None
        name = permit(user, client)
        try:
            run = self.service.latest(name)
            day = float(day_rate) if day_rate else self.app.settings.check_day_rate
            slug = re.sub(r"[^a-z0-9]+", "-", run.client.lower()).strip("-") or "klant"
            path = EXPORT_FOLDERS.new("avg-check-") / f"compliancy-check-{slug}-{run.id}.{fmt}"
            self.service.export(run, path, fmt, day, user.username)
            # the download is refused once the user loses the client (checked again when fetched)
            return f"Rapport klaar: {path.name}", scoped_export(path, [name], [Permission.RUN_CHECK])
        except AccessDenied:
            raise
        except AvgError as exc:
            return f"**Fout:** {exc}", None
        except Exception as exc:  # noqa: BLE001 - never show a stack trace in the UI
            return report_unexpected(exc, "compliancy check-rapport exporteren", logger), None

    def checklist_view(self, user: User) -> tuple[str, list[tuple[str, str]]]:
        """(versions as Markdown, question choices) of the checklist, for who maintains it only."""
        if not may(user, Permission.MANAGE_CHECKLIST):
            return "", []
        versions = self.service.checklists.versions()
        lines = [
            f"- versie {v.version}: {v.created_at[:10]}, {v.author} — {v.note} ({v.question_count} vragen)"
            for v in versions
        ]
        checklist = self.service.checklists.current()
        choices = question_choices(checklist, [q.id for q in checklist.questions])
        return "\n".join(lines), [("Nieuwe vraag toevoegen", NEW_QUESTION), *choices]

    def question_fields(self, user: User, question_id: str | None) -> tuple[Any, ...]:
        """The edit form of one checklist question: (code, theme, question, articles, good evidence,
        measure, effort in days, key terms as plain text); empty for a new question."""
        require(user, Permission.MANAGE_CHECKLIST)
        if not question_id or question_id == NEW_QUESTION:
            return gr.update(value="", interactive=True), "", "", "", "", "", None, ""
        q = self.service.checklists.current().get(question_id)
        return (
            gr.update(value=q.id, interactive=False),
            q.theme,
            q.question,
            ", ".join(q.articles),
            q.good_evidence,
            q.measure,
            q.effort_days,
            key_terms_to_text(q.key_terms),
        )

    def save_question(
        self,
        user: User,
        selected: str | None,
        code: str,
        theme: str,
        text: str,
        articles: str,
        good_evidence: str,
        measure: str,
        effort_days: float | None,
        key_terms: str,
        note: str,
    ) -> tuple[str, str, Any]:
        """Store the form as a new checklist version; returns (message, versions, question choices)."""
        require(user, Permission.MANAGE_CHECKLIST)
        try:
            question = question_from_form(
                code, theme, text, articles, good_evidence, measure, effort_days, key_terms
            )
            current = self.service.checklists.current()
            known = {q.id for q in current.questions}
            if (not selected or selected == NEW_QUESTION) and question.id in known:
                raise AvgError(f"Er is al een vraag {question.id}; kies die vraag om haar te wijzigen.")
            if selected and selected != NEW_QUESTION and question.id != selected:
                raise AvgError("De code van een bestaande vraag kan niet worden gewijzigd.")
            saved = self.service.save_question(question, user.username, note or "")
        except AvgError as exc:
            versions, _ = self.checklist_view(user)
            return f"**Fout:** {exc}", versions, gr.update()
        versions, choices = self.checklist_view(user)
        message = (
            f"Vraag {question.id} opgeslagen in versie {saved.version}; "
            "de volgende check gebruikt deze versie."
        )
        return message, versions, gr.update(choices=choices, value=question.id)

    def _guarded(
        self, user: User, client: str, selected: str | None, action: Callable[[], object], done: str
    ) -> View:
        try:
            action()
        except AccessDenied:
            raise
        except AvgError as exc:
            return self.view(user, client, selected, f"**Fout:** {exc}")
        except Exception as exc:  # noqa: BLE001 - never show a stack trace in the UI
            message = report_unexpected(exc, "compliancy check-actie", logger)
            return self.view(user, client, selected, message)
        return self.view(user, client, selected, done)


def review_steps(answer: ReviewedAnswer) -> set[str]:
    """The review steps the answer's state allows: accepting an accepted answer or rejecting a rejected
    one is no step; editing and commenting always are."""
    steps = {ACTION_EDIT, ACTION_COMMENT}
    if answer.review_state != REVIEW_ACCEPTED:
        steps.add(ACTION_ACCEPT)
    if answer.review_state != REVIEW_REJECTED:
        steps.add(ACTION_REJECT)
    return steps


def build_tab(app: App) -> None:
    """The tab's components and events (inside the caller's ``gr.Tab``)."""
    tab = CheckTab(app, app.check)
    safe_markdown(
        "Toets de documenten van een klant aan de checklist van het bureau. Bewijs komt alleen uit de "
        "documenten van die klant; beoordeel elk voorstel voordat u het rapport deelt."
    )
    with gr.Row():
        # Choices arrive per request; a value outside them is checked on the server, not by gradio.
        client = gr.Dropdown(
            [], value=None, label="Klant", elem_id="check-klant", scale=3, allow_custom_value=True
        )
        refresh = gr.Button("Klanten vernieuwen", scale=1)
        run = gr.Button("Check uitvoeren", variant="primary", elem_id="check-uitvoeren", scale=1)
    message = safe_markdown(elem_id="check-melding")
    summary = safe_markdown(elem_id="check-samenvatting")
    table = gr.Dataframe(headers=TABLE_HEADERS, interactive=False, wrap=True, elem_id="check-tabel")
    with gr.Row():
        with gr.Column(scale=3):
            question = gr.Dropdown([], label="Vraag", elem_id="check-vraag", allow_custom_value=True)
            detail = safe_markdown(elem_id="check-detail")
        with gr.Column(scale=2):
            status = gr.Dropdown(
                list(STATUSES), label="Status (bij bewerken)", value=None, elem_id="check-status"
            )
            rationale = gr.Textbox(label="Toelichting (bij bewerken)", lines=4, elem_id="check-toelichting")
            comment = gr.Textbox(label="Opmerking", lines=2, elem_id="check-opmerking")
            with gr.Row():
                accept = gr.Button(
                    "Accepteren", variant="primary", interactive=False, elem_id="check-accepteren"
                )
                edit = gr.Button("Bewerking opslaan", interactive=False, elem_id="check-bewerken")
            with gr.Row():
                reject = gr.Button("Afwijzen", variant="stop", interactive=False, elem_id="check-afwijzen")
                remark = gr.Button(
                    "Opmerking plaatsen", interactive=False, elem_id="check-opmerking-plaatsen"
                )
    with gr.Accordion("Rapport", open=False):
        with gr.Row():
            day_rate = gr.Number(value=app.settings.check_day_rate, label="Dagtarief (€)", minimum=0)
            as_docx = gr.Button("Rapport als Word")
            as_md = gr.Button("Rapport als Markdown")
        export_message = safe_markdown()
        report_file = gr.File(label="Rapport", interactive=False)
    with gr.Accordion(
        "Checklist beheren (kennisbeheer)", open=True, visible=False, elem_id="checklist-beheer"
    ) as editor:
        versions = safe_markdown()
        edit_question = gr.Dropdown(
            [], label="Vraag", value=None, allow_custom_value=True, elem_id="checklist-vraag"
        )
        with gr.Row():
            code = gr.Textbox(label="Code (bijv. GOV-04)", elem_id="checklist-code")
            theme = gr.Textbox(label="Thema", elem_id="checklist-thema")
            effort = gr.Number(label="Inspanning (dagen)", minimum=0, elem_id="checklist-inspanning")
        question_text = gr.Textbox(label="Vraag", lines=2, elem_id="checklist-tekst")
        articles = gr.Textbox(label="Artikelen (gescheiden door komma's, bijv. art. 30 AVG)")
        good_evidence = gr.Textbox(label="Goed bewijs", lines=2, elem_id="checklist-bewijs")
        measure = gr.Textbox(label="Maatregel", lines=2, elem_id="checklist-maatregel")
        key_terms = gr.Textbox(
            label="Kernbegrippen",
            info=(
                "Eén regel per begrip dat in een passage moet staan om als bewijs te tellen; op een regel "
                "zijn met komma's gescheiden varianten genoeg (bijv. 'privacybeleid, privacy policy')."
            ),
            lines=3,
            elem_id="checklist-kernbegrippen",
        )
        note = gr.Textbox(label="Wat is er gewijzigd?", elem_id="checklist-notitie")
        save = gr.Button("Vraag opslaan als nieuwe versie", variant="primary", elem_id="checklist-opslaan")
        checklist_message = safe_markdown(elem_id="checklist-melding")

    def load(user: User) -> tuple[Any, ...]:
        history, questions = tab.checklist_view(user)
        return (
            gr.update(choices=tab.clients(user)),
            gr.update(visible=may(user, Permission.MANAGE_CHECKLIST)),
            history,
            gr.update(choices=questions, value=None),
        )

    def choices(user: User) -> Any:
        return gr.update(choices=tab.clients(user))

    def show(user: User, name: str | None) -> View:
        return (*tab.view(user, name), *tab.form(user, name, _selected(tab, user, name)))

    def start(user: User, name: str | None, progress: gr.Progress) -> View:
        def report(done: int, total: int) -> None:
            progress(done / total, desc=f"Vraag {done} van {total}")

        shown = tab.run(user, name, report)
        return (*shown, *tab.form(user, name, _selected(tab, user, name)))

    def run_check(
        name: str | None,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - gradio injects progress through this default
    ) -> View:
        run = handler(app, "compliancy check uitvoeren", 12, lambda user, n: start(user, n, progress))
        view: View = run(name, request)
        return view

    def pick(user: User, name: str | None, qid: str | None) -> View:
        return (tab.detail(user, name, qid), *tab.form(user, name, qid))

    def reviewer(action: str) -> Callable[..., View]:
        def body(
            user: User, name: str | None, qid: str | None, state: str | None, why: str, remark_text: str
        ) -> View:
            return (*tab.review(user, action, name, qid, state, why, remark_text), *tab.form(user, name, qid))

        return body

    def exporter(fmt: str) -> Callable[..., tuple[str, str | None]]:
        def body(user: User, name: str | None, rate: float | None) -> tuple[str, str | None]:
            return tab.export(user, name, rate, fmt)

        return body

    form = [status, rationale, comment, accept, edit, reject, remark]
    view = [message, summary, table, question, detail, *form]
    gr.on(
        None,
        handler(app, "compliancy check laden", 4, load),
        None,
        [client, editor, versions, edit_question],
        api_visibility="private",
    )
    client.change(
        handler(app, "compliancy check tonen", len(view), show),
        [client],
        view,
        api_name="check_tonen",
        **HIDDEN,
    )
    refresh.click(
        handler(app, "klanten vernieuwen", 1, choices), None, [client], api_name="check_klanten", **HIDDEN
    )
    run.click(run_check, [client], view, api_name="check_uitvoeren", **HIDDEN)
    question.change(
        handler(app, "checkvraag tonen", 1 + len(form), pick),
        [client, question],
        [detail, *form],
        api_name="check_vraag",
        **HIDDEN,
    )
    review_inputs = [client, question, status, rationale, comment]
    for button, action in zip((accept, edit, reject, remark), REVIEW_ACTIONS, strict=True):
        button.click(
            handler(app, f"check beoordelen ({action})", len(view), reviewer(action)),
            review_inputs,
            view,
            api_name=f"check_{action}",
            **HIDDEN,
        )
    for button, fmt in ((as_docx, "docx"), (as_md, "md")):
        button.click(
            handler(app, "check-rapport exporteren", 2, exporter(fmt)),
            [client, day_rate],
            [export_message, report_file],
            api_name=f"check_rapport_{fmt}",
            **HIDDEN,
        )
    fields = [code, theme, question_text, articles, good_evidence, measure, effort, key_terms]
    edit_question.change(
        handler(app, "checklistvraag tonen", len(fields), tab.question_fields),
        [edit_question],
        fields,
        api_visibility="private",
    )
    save.click(
        handler(app, "checklistvraag opslaan", 3, tab.save_question),
        [edit_question, *fields, note],
        [checklist_message, versions, edit_question],
        api_name="checklistvraag_opslaan",
        **HIDDEN,
    )


def _selected(tab: CheckTab, user: User, client: str | None) -> str | None:
    """The question the view selects for ``client``: the first of its latest run."""
    run = tab.service.runs.latest(permit(user, client)) if client else None
    return run.answers[0].question_id if run and run.answers else None
