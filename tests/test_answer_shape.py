"""Answers that answer: a card's short answer first, the deciding provision quoted, boundaries kept."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CARD, EVAL_DIR, needs_corpus

from assistant.app import App
from assistant.features.cards.model import CardError, Provision
from assistant.features.cards.store import CardStore
from assistant.features.chat.answering import _diverse_top
from assistant.features.chat.boundaries import AdjacentTopics, DomainGate
from assistant.features.chat.intent import Intent, answer_strength, intents
from assistant.ops.answer_evaluation import (
    evaluate_answers,
    facts_held,
    first_article,
    load_answer_key,
    provision_cited,
)
from ingestion.text_loader import load_markdown, load_plain_text
from knowledge.retrieval import ArticleHit, RetrievalResult, ScoredChunk


def test_intents_follow_the_wording() -> None:
    assert Intent.TERM in intents("Binnen welke termijn moeten we een datalek melden?")
    assert Intent.LIST in intents("Wat moet er in een verwerkersovereenkomst staan?")
    assert Intent.PERMISSION in intents("Mogen we camera's ophangen in de winkel?")
    assert Intent.STEPS in intents(
        "Een medewerker mailde een Excel naar de verkeerde klant. Wat moeten we doen?"
    )
    assert intents("Datalekken") == set()
    assert Intent.AMOUNT in intents("Hoe hoog is de boete voor een bedrijf maximaal?")


def test_a_stated_number_answers_a_term_or_amount_question_best() -> None:
    term = {Intent.TERM}
    assert answer_strength("Wij melden dit uiterlijk 72 uur na ontdekking.", term) == 2
    assert answer_strength("De verwerker meldt dit zonder onredelijke vertraging.", term) == 1
    assert answer_strength("De melding bevat de aard van de inbreuk.", term) == 0
    assert answer_strength("geldboeten tot 20 000 000 EUR of 4 % van de omzet", {Intent.AMOUNT}) == 2
    assert answer_strength("Wij melden dit uiterlijk 72 uur na ontdekking.", {Intent.LIST}) == 0


def test_provisions_are_parsed_or_refused_in_dutch() -> None:
    assert Provision.parse("9(2)(h)") == Provision("9", "2", "h")
    assert str(Provision.parse("4(11)")) == "4(11)"
    with pytest.raises(CardError, match="geen bepaling"):
        Provision.parse("art. 33")


def test_domain_gate_refuses_office_questions_and_admits_privacy(tmp_path: Path) -> None:
    gate = DomainGate.load()
    for office in ("Welke opzegtermijn geldt voor een werknemer?", "Hoeveel vakantiedagen heb ik?"):
        assert not gate.admits(office), office
    for privacy in ("Hoe lang bewaren we klantgegevens?", "Mag ik een camera ophangen?", "Wat doet een FG?"):
        assert gate.admits(privacy), privacy
    (tmp_path / "domain.toml").write_text("patterns = ['opzegtermijn']\n", encoding="utf-8")
    assert DomainGate.load(tmp_path).admits("Welke opzegtermijn geldt voor een werknemer?")


def test_adjacent_topics_name_the_other_law() -> None:
    topics = AdjacentTopics.load()
    (note,) = topics.notes("Mogen we het BSN van klanten opslaan?")
    assert "UAVG" in note and "art. 87 AVG" in note
    assert topics.notes("Hoe lang bewaren we facturen?") and not topics.notes("Wat is een factuur?")


def test_hard_wrapped_lines_are_one_sentence() -> None:
    (block,) = load_plain_text(
        "Wij sturen de gegevens naar het\nadres van de klant en bewaren ze\nzeven jaar.\n"
    )
    assert block.text == "Wij sturen de gegevens naar het adres van de klant en bewaren ze zeven jaar."
    blocks = load_markdown("# Beleid\n\nEerste regel\nloopt door.\n\n- punt een\n- punt twee\n")
    assert [b.text for b in blocks[1:]] == ["Eerste regel loopt door.", "- punt een\n- punt twee"]


def test_a_card_answers_first_with_steps_and_the_provisions_it_names(card_app: App) -> None:
    answer = card_app.answerer.answer(
        "Binnen hoeveel uur moeten we een datalek bij de AP melden?", ["algemeen"]
    )
    assert not answer.refused
    assert answer.text.startswith(CARD.short_answer)
    assert "Antwoordkaart „Hoe snel moet een lek" in answer.text and "concept" in answer.text
    assert "1. Stel vast wat er is gebeurd." in answer.text
    assert [c.citation for c in answer.citations][:2] == ["art. 33 lid 1 AVG", "art. 33 lid 5 AVG"]
    assert "72 uur" in answer.citations[0].quote
    assert first_article(answer.text) == "33"


def test_a_question_far_from_every_card_gets_no_card(card_app: App) -> None:
    answer = card_app.answerer.answer("Wat moet er in een verwerkingsregister staan?", ["algemeen"])
    assert "Antwoordkaart" not in answer.text
    assert answer.citations[0].article == "30"


def test_a_list_question_quotes_the_whole_list(avg_app: App) -> None:
    answer = avg_app.answerer.answer("Wat moet er in een verwerkersovereenkomst staan?", ["algemeen"])
    quote = answer.citations[0].quote
    assert answer.citations[0].citation == "art. 28 lid 3 AVG"
    assert "a)" in quote and "b)" in quote and "h)" in quote  # every point, not one


def test_a_term_question_puts_the_lid_that_states_the_term_first() -> None:
    def lid(number: str, text: str, score: float) -> ScoredChunk:
        meta = {"law": "Testwet", "article": "7", "paragraph": number}
        return ScoredChunk(f"t7-{number}", text, meta, score)

    chunks = [
        lid("3", "3. De melding bevat ten minste de aard van het voorval en de gevolgen ervan.", 0.76),
        lid("5", "5. De beheerder legt elk voorval vast, met de feiten en de genomen maatregelen.", 0.75),
        lid("1", "1. De beheerder meldt het voorval uiterlijk 48 uur na de ontdekking.", 0.69),
    ]
    question = "Binnen welke termijn moeten we een voorval melden?"
    hit = ArticleHit("Testwet", "7", "Melding", 1.7, chunks)
    result = RetrievalResult(question, chunks, [hit], 0.8, 1.0, [])
    top = _diverse_top(result, 3, intents(question))
    assert top[0].metadata["paragraph"] == "1"  # the lid with the term, though it scored lower
    assert [c.metadata["paragraph"] for c in _diverse_top(result, 3, set())][0] == "3"  # a topic question


def test_a_term_question_quotes_the_lid_that_states_the_term(avg_app: App) -> None:
    answer = avg_app.answerer.answer(
        "Hoe snel moet een organisatie een inbreuk bij de toezichthouder gemeld hebben?", ["algemeen"]
    )
    assert any(c.citation.startswith("art. 33 lid 1") and "72 uur" in c.quote for c in answer.citations)


def test_office_and_adjacent_questions(avg_app: App) -> None:
    assert avg_app.answerer.answer(
        "Welke opzegtermijn geldt als een werknemer ontslag neemt?", ["algemeen"]
    ).refused
    answer = avg_app.answerer.answer("Mogen we het BSN van onze klanten opslaan?", ["algemeen"])
    assert not answer.refused and "Dit regelt de AVG niet zelf" in answer.text and "UAVG" in answer.text


def test_answer_key_measures(tmp_path: Path) -> None:
    held = facts_held("Meld binnen 72\u00a0uur  bij de AP.", (("72 uur",), ("ap", "autoriteit"), ("boete",)))
    assert held == [True, True, False]
    assert first_article("Het antwoord staat in art. 33 lid 1 AVG en art. 34 AVG.") == "33"
    key = tmp_path / "sleutel.jsonl"
    key.write_text(
        json.dumps({"id": "a", "query": "x", "refuse": False, "lead": ["33"], "key_facts": [["72 uur"]]})
        + "\n",
        encoding="utf-8",
    )
    (question,) = load_answer_key(key)
    assert question.lead == ("33",) and question.key_facts == (("72 uur",),)


@needs_corpus
def test_eval_answers_on_the_avg(avg_app: App) -> None:
    """The answer path on the lawyer's development key: refusals right and the measures computed."""
    questions = load_answer_key(EVAL_DIR / "answers-dev.jsonl")
    metrics = evaluate_answers(lambda q: avg_app.answerer.answer(q, ["algemeen"]), questions)
    assert metrics["out_of_scope"]["refused"] == metrics["out_of_scope"]["n"]
    assert metrics["in_scope"]["answered"] >= 0.9 * metrics["in_scope"]["n"]  # without the starter notes
    assert provision_cited([], ("33(1)",)) is False
    assert 0 < metrics["key_facts_mean"] <= 1 and metrics["latency_ms"]["p95"] > 0


def test_seeding_keeps_a_card_the_kennisbeheerder_edited(tmp_path: Path) -> None:
    store = CardStore(tmp_path / "cards.sqlite3")
    shipped = [("starter:1", CARD)]
    assert store.seed(shipped) == 1 and store.seed(shipped) == 0
    (card,) = store.list()
    store.save(
        replace(card, short_answer="Eigen, gevalideerd antwoord van het bureau.", status="gevalideerd"),
        "kees",
    )
    changed = replace(CARD, short_answer="Een nieuwe meegeleverde tekst voor dezelfde vraag.")
    assert store.seed([("starter:1", changed)]) == 0
    assert store.get(card.id).short_answer == "Eigen, gevalideerd antwoord van het bureau."
