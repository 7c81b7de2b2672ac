"""Use case: chat with the knowledge base in stored conversations, per user.

:meth:`ChatService.ask` folds the answer stream (:mod:`assistant.features.chat.generation` events, or
the extractive answer at once) into :class:`Turn` snapshots a UI can render as they come,
and stores the question and the final answer when the answer is complete. Follow-up
questions are searched with the conversation's earlier questions
(:func:`assistant.features.chat.followup.contextual_query`); the extractive answer still follows the
follow-up's own words and never gives the previous answer's card again; the language model still sees
one question.

Every method takes the :class:`~assistant.features.accounts.users.User` of the request (the UI looks the
account up anew each time). What a question searches comes from
:func:`assistant.features.accounts.access.resolve_scope` only, so a scope the user may not see raises
:class:`~assistant.features.accounts.access.AccessDenied` before anything is searched. Conversations and
feedback are keyed by user name; a conversation in a scope the user lost access to is
neither listed nor opened. Each message keeps the scope it was asked in, so in a conversation that
switched between algemeen and a client, the client's questions and answers (and a title made of
one) are withheld from a user without access to that client, and they are not used as context
for a follow-up either. Each answered question is written to the audit log here, whether it
comes from the chat (:meth:`ChatService.ask`) or the CLI (:meth:`ChatService.answer`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from assistant.features.accounts.access import AccessDenied, allowed_scopes, resolve_scope
from assistant.features.accounts.users import User
from assistant.features.audit.log import AuditLog
from assistant.features.chat.answering import Answer, Answerer
from assistant.features.chat.cited_sources import CitedSource, cited_sources, source_of
from assistant.features.chat.conversation_store import (
    Conversation,
    ConversationStore,
    Rating,
    Role,
)
from assistant.features.chat.followup import contextual_query
from assistant.features.chat.generation import (
    AnswerEvent,
    Final,
    GenerativeAnswerer,
    Notice,
    Sources,
    TextDelta,
)
from assistant.features.chat.unanswered import REFUSED, THUMBS_DOWN, UnansweredQueue
from ingestion.errors import AvgError
from ingestion.text_budget import question_problem
from knowledge.knowledge_base import KnowledgeBase
from knowledge.records import stamp, unstamp
from knowledge.registry import STATUS_READY
from knowledge.scopes import CLIENT_PREFIX, GENERAL_SCOPE

SOURCE_VERSION = 1  # of each cited source in messages.citations_json
NOT_FOUND = "Dit gesprek bestaat niet (meer)."
NO_ACCESS = "U hebt geen toegang (meer) tot de kennisbank van dit gesprek."
FOLLOW_UP_NOTICE = "Vervolgvraag: gezocht met de vorige vraag erbij („{query}”)."
WITHHELD_MESSAGE = (
    "[Afgeschermd: dit deel van het gesprek ging over de kennisbank van een klant "
    "waartoe u geen toegang (meer) hebt.]"
)
WITHHELD_TITLE = "Gesprek (eerste vraag afgeschermd)"


def checked_question(question: str) -> str:
    """The question with its spaces tidied; a Dutch error when it is empty or would cost too much to
    search (too long, or a "word" of junk: see :mod:`ingestion.text_budget`)."""
    question = " ".join(question.split())
    if not question:
        raise AvgError("Typ eerst een vraag.")
    problem = question_problem(question)
    if problem:
        raise AvgError(problem)
    return question


def document_scopes(kb: KnowledgeBase) -> list[str]:
    """Algemeen plus every client scope with ready documents."""
    clients = {r.scope for r in kb.registry.list(status=STATUS_READY) if r.scope.startswith(CLIENT_PREFIX)}
    return [GENERAL_SCOPE, *sorted(clients)]


def visible_scopes(kb: KnowledgeBase, user: User) -> list[str]:
    """The scopes ``user`` may pick: those the user may search that hold documents (algemeen always)."""
    allowed = set(allowed_scopes(user))
    return [s for s in document_scopes(kb) if s in allowed]


@dataclass(frozen=True)
class ChatMessage:
    """A stored message as a chat shows it."""

    role: Role
    content: str
    sources: list[CitedSource] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    message_id: int | None = None
    rating: Rating | None = None  # the user's stored thumbs up or down of an answer


@dataclass
class Turn:
    """One question and its answer as far as it has come; ``done`` once stored."""

    question: str
    query: str
    text: str = ""
    sources: list[CitedSource] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    refused: bool = False
    done: bool = False
    conversation_id: int | None = None
    question_id: int | None = None
    answer_id: int | None = None

    def snapshot(self) -> Turn:
        """A copy that later events do not change."""
        return replace(self, sources=list(self.sources), notices=list(self.notices))

    def messages(self) -> list[ChatMessage]:
        """The question and the answer so far as chat messages."""
        return [
            ChatMessage("user", self.question, message_id=self.question_id),
            ChatMessage("assistant", self.text, list(self.sources), list(self.notices), self.answer_id),
        ]


class ChatService:
    """Questions, answers, conversations and feedback, built once by the composition root."""

    def __init__(
        self,
        kb: KnowledgeBase,
        answerer: Answerer,
        generative: GenerativeAnswerer | None,
        audit: AuditLog,
        store: ConversationStore,
        queue: UnansweredQueue | None = None,
    ) -> None:
        self.kb = kb
        self.answerer = answerer
        self.generative = generative
        self.audit = audit
        self.store = store
        self.queue = queue  # refused and thumbs-down answers go to "Vragen zonder goed antwoord"

    def scopes(self, user: User) -> list[str]:
        """The scopes the user may pick in the selector."""
        return visible_scopes(self.kb, user)

    def ask(
        self, user: User, question: str, scope: str, conversation_id: int | None = None
    ) -> Iterator[Turn]:
        """Answer ``question`` in ``scope``; yields snapshots, the last one ``done``, stored and logged.

        Raises AccessDenied (before searching) for a scope the user may not search.
        """
        scopes = resolve_scope(user, scope)
        question = checked_question(question)
        conversation = self._conversation(user, conversation_id) if conversation_id is not None else None
        allowed = set(allowed_scopes(user))
        stored = self.store.messages(conversation.id) if conversation else []
        messages = [m for m in stored if m.scope in allowed]
        history = [m.content for m in messages if m.role == "user"]
        previous = next((m.content for m in reversed(messages) if m.role == "assistant"), "")
        turn = Turn(question, contextual_query(history, question))
        if turn.query != question:
            turn.notices.append(FOLLOW_UP_NOTICE.format(query=turn.query))
        final: Answer | None = None
        for event in self._events(turn, scopes, previous):
            if isinstance(event, Final):
                final = event.answer
            if self._fold(turn, event):
                yield turn.snapshot()
        self._save(user.username, scopes[0], conversation, turn)
        self.audit.log_question(
            user.username, scopes, final, question=question, conversation=turn.conversation_id
        )
        yield turn.snapshot()

    def answer(self, actor: str, question: str, scopes: list[str]) -> Answer:
        """Answer one question outside a conversation (the CLI's ``ask``); logged like every question.

        ``scopes`` must already be allowed for ``actor`` (see ``access.resolve_scope``).
        """
        question = checked_question(question)
        answer = (self.generative or self.answerer).answer(question, scopes)
        self.audit.log_question(actor, scopes, answer, question=question)
        return answer

    def _events(self, turn: Turn, scopes: list[str], previous: str) -> Iterator[AnswerEvent]:
        """The answer events; an extractive follow-up answers its own ask, the earlier question as context."""
        if self.generative is not None:
            yield from self.generative.stream(turn.query, scopes)
        else:
            context = turn.query.removesuffix(turn.question).strip()
            yield Final(
                self.answerer.answer(turn.question, scopes, context=context, previous_answer=previous)
            )

    @staticmethod
    def _fold(turn: Turn, event: AnswerEvent) -> bool:
        """Apply one event to the turn; True when the UI should show the change now."""
        if isinstance(event, TextDelta):
            turn.text += event.text
        elif isinstance(event, Notice):
            turn.notices.append(event.text)
        elif isinstance(event, Sources):
            turn.sources = [source_of(c) for c in event.citations]
        else:
            turn.text = event.answer.text
            turn.refused = event.answer.refused
            turn.sources = cited_sources(event.answer)
            return False  # shown once stored, as the last snapshot
        return True

    def _save(self, user: str, scope: str, conversation: Conversation | None, turn: Turn) -> None:
        if conversation is None:
            conversation = self.store.create_conversation(user, turn.question, scope)
        elif conversation.scope != scope:
            self.store.set_scope(conversation.id, scope)
        asked = self.store.add_message(conversation.id, "user", turn.question, scope=scope)
        answered = self.store.add_message(
            conversation.id,
            "assistant",
            turn.text,
            [stamp(s.to_json(), SOURCE_VERSION) for s in turn.sources],
            turn.notices,
            scope=scope,
        )
        turn.conversation_id, turn.question_id, turn.answer_id = conversation.id, asked.id, answered.id
        if turn.refused and self.queue is not None:
            self.queue.add(answered.id, REFUSED)
        turn.done = True

    def conversations(self, user: User) -> list[Conversation]:
        """The user's conversations in scopes the user may still search, most recent first."""
        allowed = set(allowed_scopes(user))
        listed = self.store.list_conversations(user.username)
        return [_titled(c, allowed) for c in listed if c.scope in allowed]

    def open(self, user: User, conversation_id: int) -> tuple[Conversation, list[ChatMessage]]:
        """A conversation of the user with its messages and their sources; a message asked in a scope
        the user may no longer search is withheld (a Dutch placeholder, no sources, no id)."""
        conversation = self._conversation(user, conversation_id)
        allowed = set(allowed_scopes(user))
        stored = self.store.messages(conversation.id)
        ratings = {
            f.message_id: f.rating
            for f in self.store.feedback([m.id for m in stored if m.scope in allowed])
            if f.user == user.username
        }
        messages = [
            ChatMessage(
                m.role,
                m.content,
                [CitedSource.from_json(unstamp(c, SOURCE_VERSION, "bron")) for c in m.citations],
                list(m.notices),
                m.id,
                ratings.get(m.id),
            )
            if m.scope in allowed
            else ChatMessage(m.role, WITHHELD_MESSAGE)
            for m in stored
        ]
        return _titled(conversation, allowed), messages

    def delete(self, user: User, conversation_id: int) -> None:
        """Delete a conversation of the user."""
        if not self.store.delete_conversation(conversation_id, user.username):
            raise AvgError(NOT_FOUND)

    def rate(self, user: User, message_id: int, rating: Rating | None) -> None:
        """Store (or with None: remove) the user's rating of an answer in their own conversation."""
        self._check_owner(user, message_id)
        if rating is None:
            self.store.clear_feedback(message_id, user.username)
        else:
            self.store.set_feedback(message_id, user.username, rating)
        if self.queue is not None:
            if rating == "down":
                self.queue.add(message_id, THUMBS_DOWN)
            else:
                self.queue.withdraw(message_id)

    def comment(self, user: User, message_id: int, comment: str) -> None:
        """Attach a comment to the user's rating of an answer."""
        self._check_owner(user, message_id)
        if not self.store.set_comment(message_id, user.username, comment.strip()):
            raise AvgError("Geef eerst een beoordeling (duim omhoog of omlaag) bij het antwoord.")

    def _check_owner(self, user: User, message_id: int) -> None:
        found = self.store.message(message_id)
        if found is None or found[0].user != user.username:
            raise AvgError("Dit antwoord hoort niet bij een van uw gesprekken.")
        if found[1].scope not in allowed_scopes(user):
            raise AccessDenied(NO_ACCESS)

    def _conversation(self, user: User, conversation_id: int) -> Conversation:
        """The user's own conversation, in a scope the user may still search."""
        conversation = self.store.get_conversation(conversation_id, user.username)
        if conversation is None:
            raise AvgError(NOT_FOUND)
        if conversation.scope not in allowed_scopes(user):
            raise AccessDenied(NO_ACCESS)
        return conversation


def _titled(conversation: Conversation, allowed: set[str]) -> Conversation:
    """The conversation, its title withheld when it was made of a question the user may not see."""
    if conversation.title_scope in allowed:
        return conversation
    return replace(conversation, title=WITHHELD_TITLE)
