"""Extractive answers: quotes with exact citations, refusals for out-of-scope questions."""

from __future__ import annotations

from assistant.app import App


def test_answer_quotes_and_cites_the_paragraph(avg_app: App) -> None:
    answer = avg_app.answerer.answer("Binnen welke termijn moet een datalek gemeld worden?", ["algemeen"])
    assert not answer.refused
    first = answer.citations[0]
    assert first.citation == "art. 33 lid 1 AVG"
    assert "72 uur" in first.quote
    assert first.quote in answer.text and "art. 33 lid 1 AVG" in answer.text
    assert first.document.startswith("AVG")


def test_point_is_cited_when_the_quote_is_a_list_point(avg_app: App) -> None:
    answer = avg_app.answerer.answer(
        "Is gerechtvaardigd belang van de verwerkingsverantwoordelijke een grondslag?", ["algemeen"]
    )
    labels = [c.citation for c in answer.citations]
    assert "art. 6 lid 1 sub f AVG" in labels
    quote = next(c.quote for c in answer.citations if c.citation == "art. 6 lid 1 sub f AVG")
    assert "gerechtvaardigde belangen" in quote


def test_out_of_scope_questions_are_refused(avg_app: App) -> None:
    for question in ("Hoe maak ik pannenkoeken?", "Wie won het WK voetbal in 2010?"):
        answer = avg_app.answerer.answer(question, ["algemeen"])
        assert answer.refused, question
        assert answer.citations == []
        assert "niet beantwoorden" in answer.text


def test_json_shape(avg_app: App) -> None:
    payload = avg_app.answerer.answer("Wat staat er in een verwerkingsregister?", ["algemeen"]).to_json()
    assert set(payload) == {"answer", "refused", "citations"}
    citation = payload["citations"][0]
    assert {"citation", "law", "article", "paragraph", "document", "quote"} <= set(citation)
    assert citation["law"] == "AVG" and citation["article"] == "30"
