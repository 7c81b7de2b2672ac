"""Typo correction, questions with several asks and follow-ups, on the real AVG (chapters II-IV)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from assistant.app import App
from assistant.features.accounts.users import Role, User
from assistant.features.cards.model import RETIRED, AnswerCard, Provision
from assistant.features.chat.question_parts import split_question
from assistant.ops.answer_evaluation import first_article

REPORT_CARD = AnswerCard(
    question="Moeten we een datalek bij de toezichthouder melden?",
    short_answer="Ja, binnen 72 uur bij de AP, tenzij er geen risico is (art. 33 lid 1 AVG).",
    provisions=(Provision.parse("33(1)"),),
    owner="Kennisbeheer",
    date="2026-12-05",
)
INFORM_CARD = AnswerCard(
    question="Moeten we de getroffen personen zelf op de hoogte brengen van een datalek?",
    short_answer="Alleen bij een hoog risico voor hun rechten en vrijheden (art. 34 lid 1 AVG).",
    provisions=(Provision.parse("34(1)"), Provision.parse("34(3)")),
    owner="Kennisbeheer",
    date="2026-12-05",
)


@pytest.fixture
def cards_app(avg_app: App) -> Iterator[App]:
    """The AVG app with two data-breach cards, retired again afterwards (the app is shared)."""
    saved = [avg_app.cards.save(card, "kees") for card in (REPORT_CARD, INFORM_CARD)]
    yield avg_app
    for card in saved:
        avg_app.cards.save(replace(card, status=RETIRED), "kees")


@pytest.mark.parametrize(
    ("typed", "meant", "word"),
    [
        ("Binnen welke termijn moet een datalk gemeld worden?", "datalek", "datalk"),
        (
            "Wat moet er in een verwerkersovereenkomts staan?",
            "verwerkersovereenkomst",
            "verwerkersovereenkomts",
        ),
        ("Binnen welke termijn moet ik een inzagevezoek beantwoorden?", "inzageverzoek", "inzagevezoek"),
    ],
)
def test_a_typo_is_answered_like_the_right_spelling(avg_app: App, typed: str, meant: str, word: str) -> None:
    right = avg_app.answerer.answer(typed.replace(word, meant), ["algemeen"])
    wrong = avg_app.answerer.answer(typed, ["algemeen"])
    assert not right.refused and not wrong.refused
    assert wrong.text.startswith(f"Gezocht op: *{meant}* (in plaats van '{word}').")
    assert first_article(wrong.text) == first_article(right.text) != ""
    assert [c.citation for c in wrong.citations] == [c.citation for c in right.citations]


def test_a_correctly_spelled_question_is_never_changed(avg_app: App) -> None:
    for question in (
        "Binnen welke termijn moet een datalek gemeld worden?",
        "Mag Webshop Noord de klantgegevens aan Bakkerij Jansen geven?",
        "Wat staat er in art. 33 lid 3 AVG over de melding?",
        "Wanneer is een DPIA verplicht voor camerabeelden?",
        "Mogen we bijhouden welke klanten veroordeeld zijn?",  # a form of a known word, not a typo
    ):
        corrected = avg_app.answerer.correct(question, ["algemeen"])
        assert corrected.text == question and corrected.corrections == (), corrected
        assert "Gezocht op" not in avg_app.answerer.answer(question, ["algemeen"]).text


def test_an_office_question_with_a_typo_is_still_refused(avg_app: App) -> None:
    answer = avg_app.answerer.answer("Hoeveel vakantiedagen krijgt een medewerkr per jaar?", ["algemeen"])
    assert answer.refused and answer.citations == []


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("Wat is een DPIA en wanneer moet ik die doen?", ["Wat is een DPIA?", "Wanneer moet ik die doen?"]),
        (
            "Moeten we het datalek melden, en binnen welke termijn? En moeten we de klanten inlichten?",
            ["Moeten we het datalek melden?", "Binnen welke termijn?", "En moeten we de klanten inlichten?"],
        ),
        (
            "Mag ik camera's ophangen en moet ik dan een bord plaatsen?",
            ["Mag ik camera's ophangen?", "Moet ik dan een bord plaatsen?"],
        ),
    ],
)
def test_questions_with_several_asks_are_split(question: str, parts: list[str]) -> None:
    assert split_question(question) == parts


@pytest.mark.parametrize(
    "question",
    [
        "Hoe en wanneer meld ik een datalek?",
        "Wat zijn de rechten en plichten van de verwerker?",
        "Wat is het verschil tussen een verwerker en wie het doel bepaalt?",
        "Moet ik toestemming vragen of is gerechtvaardigd belang genoeg?",
        "Welke gegevens mogen we bewaren en hoe lang?",
        "Een medewerker heeft klantgegevens naar de verkeerde klant gemaild, moeten we dat melden?",
        "Wij hadden een datalek. Moeten we dat melden?",
        "Mogen we het BSN van klanten opslaan? We zijn een webwinkel.",
        "Hoe lang bewaren we facturen? De AVG zegt toch zo kort mogelijk?",
    ],
)
def test_one_ask_is_not_split(question: str) -> None:
    assert split_question(question) == [" ".join(question.split())]


def test_each_part_of_a_question_is_answered(avg_app: App) -> None:
    answer = avg_app.answerer.answer(
        "Binnen welke termijn moet een datalek gemeld worden en wanneer moeten we de betrokkenen inlichten?",
        ["algemeen"],
    )
    assert not answer.refused
    assert "Deel 1: Binnen welke termijn moet een datalek gemeld worden?" in answer.text
    assert "Deel 2: Wanneer moeten we de betrokkenen inlichten?" in answer.text
    first, second = answer.text.split("Deel 2:")
    assert "art. 33" in first and "art. 34" in second
    cited = {c.article for c in answer.citations}
    assert {"33", "34"} <= cited
    numbers = [line.split(".")[0] for line in answer.text.splitlines() if line[:1].isdigit()]
    assert numbers == [str(n) for n in range(1, len(answer.citations) + 1)]  # numbered across the answer


def test_a_follow_up_answers_its_own_ask(cards_app: App) -> None:
    user = User("medewerker1", Role.MEDEWERKER)
    first = list(
        cards_app.chat.ask(
            user,
            "Een medewerker heeft een datalek veroorzaakt, moeten we dat bij de toezichthouder melden?",
            "algemeen",
        )
    )[-1]
    assert f"„{REPORT_CARD.question}”" in first.text and first_article(first.text) == "33"
    follow = list(
        cards_app.chat.ask(
            user, "En moeten we de getroffen personen dan ook inlichten?", "algemeen", first.conversation_id
        )
    )[-1]
    assert follow.notices  # searched with the earlier question
    assert follow.text != first.text
    assert f"„{REPORT_CARD.question}”" not in follow.text
    assert first_article(follow.text) == "34"
    assert any(s.citation.startswith("art. 34") for s in follow.sources)
