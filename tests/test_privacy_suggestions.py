"""Suggestions for the register from a client's own documents (real ingest, real retrieval)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_llm_servers import FakeLLMServer

from assistant.app import App
from assistant.features.privacy.review import STALE
from assistant.features.privacy.service import PrivacyService
from assistant.features.privacy.suggestions import (
    ACTIVITY,
    DATA,
    NOTICE_MODEL_DROPPED,
    NOTICE_MODEL_FAILED,
    ORIGIN_MODEL,
    RETENTION,
    SuggestionFinder,
    parse_model_reply,
)
from assistant.llm.chat_model import build_chat_model
from assistant.settings import Settings
from knowledge.retrieval import ScoredChunk

DOCUMENTS = Path(__file__).parent / "fixtures" / "privacy" / "documenten"
WEBSHOP = Path(__file__).parent / "fixtures" / "privacy" / "webshop-zonnig.yaml"
CLIENT = "Webshop Zonnig"
SCOPE = f"klant:{CLIENT}"


@pytest.fixture
def service(app: App) -> Iterator[PrivacyService]:
    report = app.ingest.ingest(sorted(DOCUMENTS.glob("*.md")), SCOPE, actor="test")
    assert report.added == 3, report.summary()
    svc = app.privacy
    yield svc
    svc.close()


def _find(suggestions: list, kind: str, value: str, activity: str | None = None):
    matches = [s for s in suggestions if s.kind == kind and s.value == value]
    if activity is not None:
        matches = [s for s in matches if s.activity == activity]
    assert matches, (
        f"geen {kind} '{value}' ({activity}) in {[(s.kind, s.activity, s.value) for s in suggestions]}"
    )
    return matches[0]


def test_suggestions_come_with_document_page_and_quote(service: PrivacyService) -> None:
    run = service.find_suggestions(CLIENT, "anna")
    assert run.passages >= 3 and run.notices == []
    found = run.suggestions
    orders = _find(found, ACTIVITY, "Afhandeling van bestellingen")
    assert orders.evidence.document == "Procesbeschrijving orderafhandeling"
    assert orders.evidence.quote.startswith("Voor de afhandeling van bestellingen verwerken wij")
    retention = _find(found, RETENTION, "7 jaar na afloop van het boekjaar, vanwege de fiscale bewaarplicht")
    assert retention.activity == "Afhandeling van bestellingen"
    assert "Wij bewaren factuur- en bestelgegevens 7 jaar" in retention.evidence.quote
    assert retention.evidence.section == "Procesbeschrijving orderafhandeling > Bewaren"
    assert retention.evidence.doc_id and retention.evidence.content_hash
    for item in ("naam", "adres", "e-mailadres", "telefoonnummer", "betaalgegevens"):
        assert _find(found, DATA, item, "Afhandeling van bestellingen").evidence.quote.startswith("Voor de")
    assert (
        _find(found, ACTIVITY, "Nieuwsbrief").detail
        == "klanten informeren over aanbiedingen en nieuwe producten."
    )
    assert _find(found, DATA, "voornaam").activity == "Nieuwsbrief"
    assert _find(found, RETENTION, "tot de abonnee zich afmeldt").activity == "Nieuwsbrief"
    assert _find(found, DATA, "inhoud van de vraag").activity == "Klantenservice"
    assert _find(found, RETENTION, "2 jaar na het laatste contact").activity == "Klantenservice"
    assert all(s.origin == "patroon" and s.status == "open" for s in found)


def test_only_the_client_scope_is_searched(app: App, service: PrivacyService, tmp_path: Path) -> None:
    general = tmp_path / "richtlijn.md"
    general.write_text(
        "# Richtlijn bewaren\n\nWij bewaren sollicitatiegegevens 4 weken na de procedure.\n", encoding="utf-8"
    )
    app.ingest.ingest([general], "algemeen", actor="test")
    other = tmp_path / "andere-klant.md"
    other.write_text("# Proces\n\nWij bewaren camerabeelden 28 dagen na opname.\n", encoding="utf-8")
    app.ingest.ingest([other], "klant:Bakkerij Korrel", actor="test")
    found = service.find_suggestions(CLIENT, "anna").suggestions
    values = " ".join(s.value for s in found)
    assert "4 weken" not in values and "28 dagen" not in values
    assert {s.evidence.document for s in found} <= {
        "Procesbeschrijving orderafhandeling",
        "Werkinstructie klantenservice",
        "Nieuwsbrief",
    }


def test_known_register_entries_are_matched_and_not_proposed_again(service: PrivacyService) -> None:
    service.import_register(WEBSHOP, "anna")
    found = service.find_suggestions(CLIENT, "anna").suggestions
    # "bestelgegevens" is recognised as the register's activity "Bestellingen".
    assert _find(
        found, RETENTION, "7 jaar na afloop van het boekjaar, vanwege de fiscale bewaarplicht"
    ).activity == ("Bestellingen")
    # Already in the register: the newsletter's categories and the customer service's retention.
    assert not [s for s in found if s.kind == DATA and s.activity == "Nieuwsbrief"]
    assert not [s for s in found if s.kind == RETENTION and s.value == "2 jaar na het laatste contact"]


def test_accept_and_reject_move_suggestions(service: PrivacyService) -> None:
    found = service.find_suggestions(CLIENT, "anna").suggestions
    retention = _find(found, RETENTION, "7 jaar na afloop van het boekjaar, vanwege de fiscale bewaarplicht")
    register = service.accept_suggestion(retention.id, "anna", activity="Bestellingen")
    orders = register.activity("Bestellingen")
    assert orders is not None and orders.retention == retention.value
    assert orders.sources[0].quote == retention.evidence.quote
    assert register.controller.name == CLIENT  # a register is started when the client has none
    category = _find(found, DATA, "betaalgegevens")
    register = service.accept_suggestion(category.id, "anna", activity="Bestellingen")
    assert register.activity("Bestellingen").data_categories == ["betaalgegevens"]
    newsletter = _find(found, RETENTION, "tot de abonnee zich afmeldt")
    service.reject_suggestion(newsletter.id, "anna", "staat al in het beleid")
    still_open = {s.id for s in service.suggestions(CLIENT)}
    assert (
        retention.id not in still_open and newsletter.id not in still_open and category.id not in still_open
    )
    # A second search does not bring decided suggestions back.
    again = {s.id for s in service.find_suggestions(CLIENT, "anna").suggestions}
    assert newsletter.id not in again
    actions = [e.action for e in service.audit_trail(CLIENT)]
    assert actions.count("suggestie geaccepteerd") == 2 and "suggestie afgewezen" in actions


def test_approved_draft_goes_stale_when_a_cited_document_changes(app: App, tmp_path: Path) -> None:
    folder = tmp_path / "documenten"
    folder.mkdir()
    document = folder / "klantenservice.md"
    document.write_text((DOCUMENTS / "klantenservice.md").read_text(encoding="utf-8"), encoding="utf-8")
    app.ingest.ingest([document], SCOPE, actor="test")
    service = app.privacy
    try:
        service.import_register(WEBSHOP, "anna")
        found = service.find_suggestions(CLIENT, "anna").suggestions
        service.accept_suggestion(_find(found, DATA, "inhoud van de vraag", "Klantenservice").id, "anna")
        record = service.create_draft(CLIENT, "anna")
        assert list(service.review.version(record.id).sources.values())[0]["document"] == (
            "Werkinstructie klantenservice"
        )
        service.review.submit(record.id, "anna")
        service.review.approve(record.id, "bram")
        assert service.view(record.id).record.status == "goedgekeurd"

        document.write_text(
            document.read_text(encoding="utf-8").replace("2 jaar", "5 jaar"), encoding="utf-8"
        )
        assert app.ingest.ingest([document], SCOPE, actor="test").updated == 1
        view = service.view(record.id)
        assert view.record.status == STALE
        assert view.record.stale_reasons == ["Bron gewijzigd: Werkinstructie klantenservice"]
    finally:
        service.close()


def _chunk(text: str, document: str = "Procesbeschrijving orderafhandeling") -> ScoredChunk:
    meta = {"document": document, "page": 2, "heading": "Bewaren", "doc_id": "d1", "content_hash": "h1"}
    return ScoredChunk("c1", text, meta, 1.0)


def test_model_reply_is_kept_only_when_found_in_its_passage() -> None:
    chunks = [_chunk("Bewaren\nWij bewaren bestelgegevens 7 jaar na afloop van het boekjaar.")]
    reply = json.dumps(
        {
            "suggesties": [
                {
                    "soort": "bewaartermijn",
                    "verwerking": "Bestellingen",
                    "waarde": "7 jaar na afloop van het boekjaar",
                    "passage": 1,
                    "citaat": "Wij bewaren bestelgegevens 7 jaar na afloop van het boekjaar.",
                },
                {  # a number the passage does not contain
                    "soort": "bewaartermijn",
                    "verwerking": "Bestellingen",
                    "waarde": "10 jaar",
                    "passage": 1,
                    "citaat": "Wij bewaren bestelgegevens 7 jaar na afloop van het boekjaar.",
                },
                {  # a quote that is not in the passage
                    "soort": "gegevens",
                    "verwerking": "Bestellingen",
                    "waarde": "BSN",
                    "passage": 1,
                    "citaat": "Wij vragen uw BSN.",
                },
                {"soort": "gegevens", "verwerking": "X", "waarde": "naam", "passage": 7, "citaat": "naam"},
                {"soort": "onzin", "waarde": "x", "passage": 1, "citaat": "Wij"},
            ]
        }
    )
    kept, notices = parse_model_reply(f"```json\n{reply}\n```", chunks)
    assert [(s.kind, s.activity, s.value, s.origin) for s in kept] == [
        (RETENTION, "Bestellingen", "7 jaar na afloop van het boekjaar", ORIGIN_MODEL)
    ]
    assert kept[0].evidence.page == 2 and kept[0].evidence.doc_id == "d1"
    assert notices == [NOTICE_MODEL_DROPPED.format(n=4)]
    assert parse_model_reply("Ik weet het niet.", chunks) == ([], [NOTICE_MODEL_FAILED])


@pytest.fixture
def ollama() -> Iterator[FakeLLMServer]:
    with FakeLLMServer("ollama") as fake:
        yield fake


def _model(server: FakeLLMServer):
    settings = Settings(
        llm_backend="ollama", llm_base_url=server.base_url, llm_model="fake-model:latest", llm_timeout_s=10
    )
    return build_chat_model(settings)


def test_language_model_suggestions_are_checked(
    app: App, service: PrivacyService, ollama: FakeLLMServer
) -> None:
    finder = SuggestionFinder(app.retriever, _model(ollama))
    passages = finder.passages(CLIENT)
    number = next(i for i, c in enumerate(passages, start=1) if "7 jaar" in c.text)
    quote = (
        "Wij bewaren factuur- en bestelgegevens 7 jaar na afloop van het boekjaar, vanwege de fiscale "
        "bewaarplicht."
    )
    items = [
        {
            "soort": "bewaartermijn",
            "verwerking": "Facturen",
            "waarde": "7 jaar",
            "passage": number,
            "citaat": quote,
        },
        {
            "soort": "bewaartermijn",
            "verwerking": "Facturen",
            "waarde": "12 jaar",
            "passage": number,
            "citaat": quote,
        },
    ]
    ollama.script(json.dumps({"suggesties": items}))
    run = finder.find(CLIENT)
    from_model = [s for s in run.suggestions if s.origin == ORIGIN_MODEL]
    assert [(s.activity, s.value) for s in from_model] == [("Facturen", "7 jaar")]
    assert run.notices == [NOTICE_MODEL_DROPPED.format(n=1)]
    prompt = ollama.chat_requests[-1].prompt_text()
    assert "<<<PASSAGE 1:" in prompt and "Werkinstructie klantenservice" in prompt
    # The pattern suggestions are there as well.
    assert any(s.origin == "patroon" and s.kind == RETENTION for s in run.suggestions)


def test_unreachable_language_model_falls_back_to_patterns(app: App, service: PrivacyService) -> None:
    settings = Settings(
        llm_backend="ollama", llm_base_url="http://127.0.0.1:9", llm_model="x", llm_timeout_s=2
    )
    run = SuggestionFinder(app.retriever, build_chat_model(settings)).find(CLIENT)
    assert run.notices == [NOTICE_MODEL_FAILED]
    assert any(s.kind == RETENTION for s in run.suggestions)
