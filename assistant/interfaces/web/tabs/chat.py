"""The chat tab: questions with streamed answers, a sources panel, feedback and stored conversations.

The handlers only translate between gradio and :class:`ChatService`; the HTML comes
from :mod:`assistant.interfaces.web.chat_view`. Per browser session a :class:`ChatSession` holds the
open conversation. Every handler works as the account of the request
(:func:`assistant.interfaces.web.auth.current_user`, looked up anew each time); the scope selector is
filled on page load with the scopes that user may search, and what a question searches is
decided by :func:`assistant.features.accounts.access.resolve_scope` in the service, never by the selector.
Errors become a Dutch message; the details go to the log, a refusal also to the audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import gradio as gr

from assistant.app import App
from assistant.error_report import report_unexpected
from assistant.features.accounts.access import AccessDenied
from assistant.features.accounts.users import User
from assistant.features.chat.conversations import ChatMessage, ChatService, Turn
from assistant.interfaces.web.auth import current_user, deny, guard, skip
from assistant.interfaces.web.chat_view import (
    chat_history,
    context_html,
    conversation_choices,
    error_html,
    notices_html,
    scope_choices,
    sources_html,
)
from ingestion.errors import AvgError
from knowledge.scopes import GENERAL_SCOPE

logger = logging.getLogger(__name__)

EMPTY_QUESTION = "Typ eerst een vraag."
SEARCHING = "Bezig met zoeken in de kennisbank…"
PLACEHOLDER = "Bijv. Binnen welke termijn moet een datalek gemeld worden?"
NOT_RATABLE = "Alleen een opgeslagen antwoord kan worden beoordeeld."
RATE_FIRST = "Geef eerst een beoordeling (duim omhoog of omlaag) bij het antwoord."
# The sources panel's "Bekijk in context" buttons: one listener on the panel (its HTML is replaced
# with every answer) sends the answer's message id and the source's number to the server.
OPEN_SOURCE_JS = (
    "element.addEventListener('click', (event) => {"
    " const button = event.target.closest('.bron-openen');"
    " if (button) { trigger('click', {bericht: Number(button.dataset.bericht),"
    " bron: Number(button.dataset.bron)}); } });"
)

View = tuple[list[dict[str, Any]], str, str]


@dataclass
class ChatSession:
    """The conversation open in one browser tab, and whose tab it is."""

    conversation_id: int | None = None
    messages: list[ChatMessage] = field(default_factory=list)
    rated_message_id: int | None = None
    owner: str = ""

    def of(self, user: User) -> ChatSession:
        """This session when it is ``user``'s (a new one is claimed), else a fresh one for ``user``.

        Gradio keys a session's state by a hash the browser sends; this makes sure a hash of
        someone else's session never shows that person's messages.
        """
        if not self.owner:
            self.owner = user.username
        return self if self.owner == user.username else ChatSession(owner=user.username)

    def last_answer(self) -> ChatMessage | None:
        """The latest answer, if any."""
        return next((m for m in reversed(self.messages) if m.role == "assistant"), None)

    def message_at(self, index: Any) -> ChatMessage | None:
        """The message at a chatbot index (an int, or a list/tuple starting with one)."""
        if isinstance(index, list | tuple):
            index = index[0] if index else None
        if isinstance(index, int) and 0 <= index < len(self.messages):
            return self.messages[index]
        return None


def turn_view(session: ChatSession, turn: Turn) -> View:
    """Chat, sources and notices while a turn is in progress."""
    messages = [*session.messages, *turn.messages()]
    history = chat_history(messages)
    if not turn.text:
        history[-1]["content"] = SEARCHING
    answer = messages[-1]
    return history, sources_html(answer, pending=not turn.done), notices_html(answer.notices)


def session_view(session: ChatSession) -> View:
    """Chat, sources and notices of the open conversation."""
    last = session.last_answer()
    return chat_history(session.messages), sources_html(last), notices_html(last.notices if last else [])


def build_tab(app: App) -> None:
    """Build the chat tab inside the current ``gr.Tab``."""
    ChatTab(app, app.chat).build()


class ChatTab:
    """Components and handlers of the chat tab."""

    def __init__(self, app: App, service: ChatService) -> None:
        self.service = service
        self.app = app

    def build(self) -> None:
        """Lay out the components and wire the events."""
        self.session = gr.State(ChatSession())
        with gr.Row(equal_height=False):
            with gr.Column(scale=1, min_width=220):
                self._conversation_column()
            with gr.Column(scale=3, min_width=380):
                self._chat_column()
            with gr.Column(scale=2, min_width=300):
                gr.Markdown("### Bronnen", elem_id="bronnen-kop")
                self.sources = gr.HTML(sources_html(None), elem_id="bronnen", js_on_load=OPEN_SOURCE_JS)
                self.context = gr.HTML("", elem_id="bron-context", js_on_load=None)
        self._wire()

    def _conversation_column(self) -> None:
        self.new = gr.Button("Nieuw gesprek", elem_id="nieuw-gesprek")
        self.listing = gr.Radio([], label="Eerdere gesprekken", elem_id="gesprekken")
        self.delete = gr.Button("Gesprek verwijderen", variant="stop", size="sm", elem_id="verwijder-gesprek")
        with gr.Group(visible=False, elem_id="gesprek-verwijderen-vraag") as self.confirm_delete:
            gr.Markdown("Dit gesprek definitief verwijderen?")
            with gr.Row():
                self.delete_yes = gr.Button(
                    "Ja, verwijderen", variant="stop", size="sm", elem_id="verwijderen-ja"
                )
                self.delete_no = gr.Button("Annuleren", size="sm", elem_id="verwijderen-nee")

    def _chat_column(self) -> None:
        self.scope = gr.Dropdown(
            scope_choices([GENERAL_SCOPE]),  # the user's own scopes arrive on page load
            value=GENERAL_SCOPE,
            label="Kennisbank",
            info="Zoek in de algemene kennis, of ook in de documenten van één klant.",
            allow_custom_value=True,  # checked on the server (resolve_scope), not against the list
            elem_id="scope",
        )
        self.notices = gr.HTML("", elem_id="meldingen", js_on_load=None)
        self.chat = gr.Chatbot(
            label="Gesprek",
            show_label=False,
            elem_id="gesprek",
            height=520,
            render_markdown=False,  # model text is escaped and shown as text: no links or images
            sanitize_html=True,
            allow_tags=False,
            latex_delimiters=[],
            buttons=["copy"],
            feedback_options=("Like", "Dislike"),
            placeholder="Stel hieronder een vraag over de AVG of over uw eigen documenten.",
        )
        with gr.Row(equal_height=True):
            self.question = gr.Textbox(
                show_label=False, placeholder=PLACEHOLDER, max_lines=6, scale=5, elem_id="vraag"
            )
            self.send = gr.Button(
                "Vraag stellen", variant="primary", scale=1, min_width=140, elem_id="verstuur"
            )
        with gr.Group(visible=False, elem_id="toelichting-groep") as self.comment_group:
            self.comment = gr.Textbox(
                label="Toelichting bij uw beoordeling (optioneel)",
                placeholder="Wat was goed, of wat ontbrak er?",
                lines=2,
                elem_id="toelichting",
            )
            self.save_comment = gr.Button("Toelichting opslaan", size="sm", elem_id="toelichting-opslaan")

    def _wire(self) -> None:
        """Wire the events; the named ones are callable with gradio_client but not listed in the API."""
        view = [self.chat, self.sources, self.notices]
        hidden: dict[str, Any] = {"api_visibility": "undocumented"}
        gr.on(
            [self.send.click, self.question.submit],
            self.ask,
            [self.question, self.scope, self.session],
            [*view, self.question, self.session, self.listing],
            api_name="ask",
            show_progress_on=[self.chat],
            **hidden,
        )
        self.listing.input(
            self.open,
            [self.listing],
            [*view, self.scope, self.session, self.comment_group],
            api_name="open_conversation",
            **hidden,
        )
        reset = [*view, self.session, self.listing, self.comment_group]
        self.new.click(self.new_conversation, None, reset, api_name="new_conversation", **hidden)
        self.chat.clear(self.new_conversation, None, reset, api_visibility="private")
        # Deleting asks every time: the button only opens the question, "Ja, verwijderen" deletes.
        self.delete.click(
            lambda: gr.update(visible=True), None, self.confirm_delete, api_visibility="private", queue=False
        )
        for trigger in (self.delete_no.click, self.listing.input, self.new.click):
            trigger(lambda: gr.update(visible=False), None, self.confirm_delete, api_visibility="private")
        self.delete_yes.click(
            self.delete_conversation, [self.session], reset, api_name="delete_conversation", **hidden
        ).then(lambda: gr.update(visible=False), None, self.confirm_delete, api_visibility="private")
        self.chat.like(
            self.rate,
            [self.session],
            [self.comment_group, self.comment, self.session],
            api_visibility="private",
        )
        self.save_comment.click(
            self.store_comment,
            [self.comment, self.session],
            [self.comment_group, self.comment],
            api_name="comment",
            **hidden,
        )
        self.chat.select(self.show_sources, [self.session], [self.sources], api_visibility="private")
        self.sources.click(self.open_source, None, [self.context], api_visibility="private")
        gr.on(None, self.refresh, None, [self.scope, self.listing], api_visibility="private")

    def _listing(self, user: User, selected: int | None) -> dict[str, Any]:
        choices = conversation_choices(self.service.conversations(user))
        return gr.update(choices=choices, value=str(selected) if selected is not None else None)

    def ask(
        self, text: str, scope: str, session: ChatSession, request: gr.Request
    ) -> Iterator[tuple[Any, ...]]:
        """Stream the answer to a question, then store it in the open conversation."""
        text = (text or "").strip()
        user: User | None = None
        try:
            user = current_user(self.app, request)
            session = session.of(user)
            if not text:
                gr.Warning(EMPTY_QUESTION)
                yield (*session_view(session), "", session, gr.skip())
                return
            turn = Turn(text, text)
            yield (*turn_view(session, turn), "", session, gr.skip())
            for turn in self.service.ask(user, text, scope or GENERAL_SCOPE, session.conversation_id):
                if not turn.done:
                    yield (*turn_view(session, turn), "", session, gr.skip())
            session.messages.extend(turn.messages())
            session.conversation_id = turn.conversation_id
            yield (*session_view(session), "", session, self._listing(user, session.conversation_id))
        except Exception as exc:  # noqa: BLE001 - never show a stack trace in the UI
            if isinstance(exc, AccessDenied):
                deny(self.app, request, user, exc, "vraag stellen")
            if isinstance(exc, AvgError):
                message = str(exc)
            else:
                message = report_unexpected(exc, "vraag beantwoorden", logger)
            failed = [ChatMessage("user", text), ChatMessage("assistant", message)]
            history = chat_history([*session.messages, *failed])
            yield history, sources_html(session.last_answer()), error_html(message), "", session, gr.skip()

    def open(self, selected: str | None, request: gr.Request) -> tuple[Any, ...]:
        """Reopen a stored conversation with its messages, sources and scope."""

        def load(user: User) -> tuple[Any, ...]:
            conversation, messages = self.service.open(user, int(selected or 0))
            opened = ChatSession(conversation.id, messages, owner=user.username)
            return (
                *session_view(opened),
                gr.update(value=conversation.scope),
                opened,
                gr.update(visible=False),
            )

        return guard(self.app, request, "gesprek openen", load, skip(6))

    def new_conversation(self, request: gr.Request) -> tuple[Any, ...]:
        """Start with an empty conversation."""

        def fresh(user: User) -> tuple[Any, ...]:
            empty = ChatSession(owner=user.username)
            return (*session_view(empty), empty, self._listing(user, None), gr.update(visible=False))

        return guard(self.app, request, "nieuw gesprek", fresh, skip(6))

    def delete_conversation(self, session: ChatSession, request: gr.Request) -> tuple[Any, ...]:
        """Delete the open conversation and start an empty one."""

        def remove(user: User) -> tuple[Any, ...]:
            current = session.of(user)
            if current.conversation_id is None:
                raise AvgError("Er is geen opgeslagen gesprek geopend.")
            self.service.delete(user, current.conversation_id)
            gr.Info("Het gesprek is verwijderd.")
            empty = ChatSession(owner=user.username)
            return (*session_view(empty), empty, self._listing(user, None), gr.update(visible=False))

        return guard(self.app, request, "gesprek verwijderen", remove, skip(6))

    def rate(self, session: ChatSession, data: gr.LikeData, request: gr.Request) -> tuple[Any, ...]:
        """Store a thumbs up or down (or its removal) and offer a comment box."""

        def store(user: User) -> tuple[Any, ...]:
            current = session.of(user)
            message = current.message_at(data.index)
            if message is None or message.role != "assistant" or message.message_id is None:
                raise AvgError(NOT_RATABLE)
            rating: Literal["up", "down"] | None = (
                "up" if data.liked is True else "down" if data.liked is False else None
            )
            self.service.rate(user, message.message_id, rating)
            current.rated_message_id = message.message_id if rating else None
            if rating:
                gr.Info("Bedankt voor uw beoordeling.")
            return gr.update(visible=rating is not None), "", current

        return guard(self.app, request, "antwoord beoordelen", store, skip(3))

    def store_comment(self, text: str, session: ChatSession, request: gr.Request) -> tuple[Any, ...]:
        """Attach the comment to the latest rating."""

        def store(user: User) -> tuple[Any, ...]:
            current = session.of(user)
            if current.rated_message_id is None:
                raise AvgError(RATE_FIRST)
            self.service.comment(user, current.rated_message_id, text or "")
            gr.Info("Uw toelichting is opgeslagen.")
            return gr.update(visible=False), ""

        return guard(self.app, request, "toelichting opslaan", store, skip(2))

    def show_sources(self, session: ChatSession, selected: gr.SelectData, request: gr.Request) -> Any:
        """Show the sources of the answer the user clicked (only ever the user's own session)."""

        def show(user: User) -> Any:
            message = session.of(user).message_at(selected.index)
            if message is None or message.role != "assistant":
                return gr.skip()
            return sources_html(message)

        return guard(self.app, request, "bronnen tonen", show, skip(1))

    def open_source(self, event: gr.EventData, request: gr.Request) -> Any:
        """Show a source of one of the user's answers in its context (the service checks the rights)."""
        data = getattr(event, "_data", None) or {}

        def show(user: User) -> Any:
            try:
                message_id, number = int(data.get("bericht", 0)), int(data.get("bron", 0))
            except (TypeError, ValueError):
                raise AvgError("Kies een bron in het bronnenpaneel.") from None
            return context_html(self.app.source_viewer.open(user, message_id, number))

        return guard(self.app, request, "bron openen", show, skip(1))

    def refresh(self, request: gr.Request) -> tuple[Any, ...]:
        """On page load: the user's scopes and conversations."""

        def load(user: User) -> tuple[Any, ...]:
            choices = scope_choices(self.service.scopes(user))
            return gr.update(choices=choices, value=GENERAL_SCOPE), self._listing(user, None)

        return guard(self.app, request, "pagina laden", load, skip(2))
