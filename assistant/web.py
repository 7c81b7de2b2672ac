"""The gradio web UI (the only module that imports gradio): a Dutch chat with sources.

Handlers are thin: they call the answerer and format its result. Errors reach the
user as a Dutch message, never as a stack trace.
"""

from __future__ import annotations

import html
import logging
from typing import Any

import gradio as gr

from assistant.answering import Answer
from assistant.app import App, build_app
from assistant.first_start import law_missing_hint, prepare_knowledge
from assistant.settings import Settings
from ingestion.errors import AvgError
from knowledge.scopes import CLIENT_PREFIX, GENERAL_SCOPE

logger = logging.getLogger(__name__)

Message = dict[str, Any]
ERROR_TEXT = "Er ging iets mis bij het beantwoorden. Probeer het opnieuw of neem contact op met de beheerder."


def format_sources(answer: Answer) -> str:
    """Markdown for the sources panel: citation, document, page and the quote."""
    if answer.refused or not answer.citations:
        return "_Geen bronnen._"
    parts = []
    for number, citation in enumerate(answer.citations, start=1):
        page = f", p. {citation.page}" if citation.page > 0 else ""
        parts.append(
            f"**[{number}] {html.escape(citation.citation)}**  \n"
            f"_{html.escape(citation.document)}{page}_\n\n> {html.escape(citation.quote)}"
        )
    return "\n\n".join(parts)


def scope_choices(app: App) -> list[str]:
    """algemeen plus every client scope that holds documents."""
    clients = sorted({r.scope for r in app.kb.registry.list() if r.scope.startswith(CLIENT_PREFIX)})
    return [GENERAL_SCOPE, *clients]


def build_ui(app: App) -> gr.Blocks:
    """The chat page."""

    def respond(question: str, history: list[Message], scope: str) -> tuple[list[Message], str, str]:
        question = (question or "").strip()
        if not question:
            gr.Warning("Typ eerst een vraag.")
            return history, "", ""
        scopes = [GENERAL_SCOPE] if scope == GENERAL_SCOPE else [scope, GENERAL_SCOPE]
        try:
            answer = app.answerer.answer(question, scopes)
            text, sources = answer.text, format_sources(answer)
        except AvgError as exc:
            text, sources = f"Fout: {exc}", ""
        except Exception:  # noqa: BLE001 - never show a stack trace in the UI
            logger.exception("answering failed")
            text, sources = ERROR_TEXT, ""
        history = [*history, {"role": "user", "content": question}, {"role": "assistant", "content": text}]
        return history, "", sources

    with gr.Blocks(title="AVG-assistent") as ui:
        gr.Markdown("# AVG-assistent\nStel een vraag over de AVG of over uw eigen documenten.")
        hint = law_missing_hint(app.kb)
        if hint:
            gr.Markdown(f"**{hint}**", elem_id="eerste-start")
        with gr.Row():
            with gr.Column(scale=3):
                scope = gr.Dropdown(
                    scope_choices(app), value=GENERAL_SCOPE, label="Kennisbank", elem_id="scope"
                )
                chat = gr.Chatbot(label="Gesprek", elem_id="gesprek", height=480)
                question = gr.Textbox(
                    label="Uw vraag",
                    placeholder="Bijv. Binnen welke termijn moet een datalek gemeld worden?",
                    elem_id="vraag",
                )
                send = gr.Button("Vraag stellen", variant="primary", elem_id="verstuur")
            with gr.Column(scale=2):
                gr.Markdown("## Bronnen")
                sources = gr.Markdown("_Nog geen vraag gesteld._", elem_id="bronnen")
        send.click(respond, [question, chat, scope], [chat, question, sources])
        question.submit(respond, [question, chat, scope], [chat, question, sources])
    return ui


def serve(settings: Settings, host: str, port: int) -> None:
    """Build the app and serve the UI until interrupted."""
    app = build_app(settings)
    prepare_knowledge(app, lambda message: logger.warning("%s", message))
    ui = build_ui(app)
    ui.queue(default_concurrency_limit=4, max_size=64)
    try:
        ui.launch(server_name=host, server_port=port, show_error=False, footer_links=[])
    finally:
        app.close()
