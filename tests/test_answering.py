"""Extractive answers: quotes with exact citations, refusals for out-of-scope questions."""

from __future__ import annotations

from pathlib import Path

from conftest import CORPUS_HTML, needs_corpus

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


CLIENT_POLICY = """# Bewaarbeleid Webshop Noord

## Klantgegevens
Klantgegevens van de webshop bewaren wij zeven jaar na de laatste bestelling, vanwege de fiscale bewaarplicht.

## Sollicitanten
Gegevens van sollicitanten verwijderen wij vier weken na afloop van de procedure.

## Camerabeelden
Camerabeelden van het magazijn bewaren wij maximaal vier weken.

## Verwerkers
Onze webshop draait bij Hostingbedrijf Zuid BV; met hen is een verwerkersovereenkomst gesloten.
"""


@needs_corpus
def test_a_clients_own_policy_leads_the_answer_and_the_law_frames_it(app: App, tmp_path: Path) -> None:
    """The client's small lexical index scores low against the law's; its own passage still leads."""
    policy = tmp_path / "bewaarbeleid.md"
    policy.write_text(CLIENT_POLICY, encoding="utf-8")
    app.ingest.ingest([CORPUS_HTML / "chapter-2.html"], "algemeen", actor="test")
    app.ingest.ingest([policy], "klant:Webshop Noord", actor="test")
    scopes = ["klant:Webshop Noord", "algemeen"]

    answer = app.answerer.answer("Hoe lang bewaren we klantgegevens?", scopes)
    first = answer.citations[0]
    assert (first.document, first.citation) == (
        "Bewaarbeleid Webshop Noord",
        "Bewaarbeleid Webshop Noord, Klantgegevens",
    )
    assert "zeven jaar" in first.quote
    assert answer.text.startswith(
        "In de eigen documenten: Bewaarbeleid Webshop Noord. Het wettelijk kader staat vooral in art. 5 AVG"
    )
    assert any(c.citation.startswith("art. 5 lid 1") for c in answer.citations)
    assert [c.leading for c in answer.sources].count(True) == 1  # one own passage is put first

    general = app.answerer.answer("Wanneer is voor een kind toestemming van de ouders nodig?", scopes)
    assert general.citations[0].citation.startswith("art. 8") and general.text.startswith(
        "Het antwoord staat"
    )
    assert all(not c.leading for c in general.sources)
    alone = app.answerer.answer("Hoe lang bewaren we klantgegevens?", ["algemeen"])
    assert all(c.document != "Bewaarbeleid Webshop Noord" for c in alone.citations)


@needs_corpus
def test_a_what_is_question_quotes_the_definition_of_that_term(app: App) -> None:
    """Art. 4 has one chunk per definition; the one defining the asked term is quoted first."""
    app.ingest.ingest([CORPUS_HTML / "chapter-1.html"], "algemeen", actor="test")
    answer = app.answerer.answer("Wat is een persoonsgegeven?", ["algemeen"])
    assert answer.citations[0].citation == "art. 4 punt 1 AVG"
    assert "identificeerbare natuurlijke persoon" in answer.citations[0].quote
    assert (
        app.answerer.answer("Wat is een onderneming?", ["algemeen"]).citations[0].citation
        == "art. 4 punt 18 AVG"
    )
