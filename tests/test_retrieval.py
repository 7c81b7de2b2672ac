"""Hybrid retrieval on chapters II-IV of the real AVG."""

from __future__ import annotations

import pytest

from assistant.app import App
from knowledge.text_analysis import stem


def _articles(app: App, question: str, k: int = 5) -> list[str]:
    return [hit.article for hit in app.retriever.retrieve(question, ["algemeen"], k=k).articles]


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("Binnen welke termijn moet een datalek gemeld worden?", "33"),
        ("Wanneer moeten we een DPIA uitvoeren?", "35"),
        ("Wat moet er in een verwerkersovereenkomst staan?", "28"),
        ("Moet onze FG onafhankelijk kunnen werken?", "38"),
        ("Mag een klant zijn gegevens laten verwijderen?", "17"),
    ],
)
def test_staff_questions_find_the_article(avg_app: App, question: str, article: str) -> None:
    assert article in _articles(avg_app, question, k=3)


def test_glossary_expands_jargon(avg_app: App) -> None:
    result = avg_app.retriever.retrieve("Wat doen we bij een datalek?", ["algemeen"])
    assert any("inbreuk in verband met persoonsgegevens" in e for e in result.expansions)


def test_unknown_compound_is_split_into_known_parts(avg_app: App) -> None:
    stems = avg_app.retriever.lexical_stems("klantgegevens", ["algemeen"])
    assert stem("gegevens") in stems


def test_paragraph_hits_are_aggregated_per_article(avg_app: App) -> None:
    result = avg_app.retriever.retrieve("rechtmatigheid van de verwerking grondslag", ["algemeen"], k=10)
    articles = [hit.article for hit in result.articles]
    assert len(articles) == len(set(articles))
    assert articles[0] == "6"


def test_unknown_scope_fails_closed(avg_app: App) -> None:
    from ingestion.errors import ScopeError

    with pytest.raises(ScopeError):
        avg_app.retriever.retrieve("datalek", ["alles"])
