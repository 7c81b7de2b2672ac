"""LLM polish of the privacyverklaring against a fake Ollama server: wording may change, facts may not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_llm_servers import FakeLLMServer

from assistant.features.privacy.polish import NOTICE_UNREACHABLE, check_facts, polish_draft
from assistant.features.privacy.register_io import import_register
from assistant.features.privacy.service import PrivacyService
from assistant.features.privacy.statement import Draft, build_draft
from assistant.llm.chat_model import build_chat_model
from assistant.settings import Settings

WEBSHOP = Path(__file__).parent / "fixtures" / "privacy" / "webshop-zonnig.yaml"

FAITHFUL = (
    "Wij houden uw gegevens niet langer vast dan nodig is. Dit zijn de termijnen per doel "
    "(art. 13 lid 2 sub a AVG):\n\n"
    "- **Nieuwsbrief**: tot u zich afmeldt voor de nieuwsbrief.\n"
    "- **Bestellingen**: 7 jaar na de bestelling, vanwege de fiscale bewaarplicht.\n"
    "- **Klantenservice**: 2 jaar na het laatste contact."
)


@pytest.fixture
def ollama() -> Iterator[FakeLLMServer]:
    with FakeLLMServer("ollama") as fake:
        yield fake


@pytest.fixture
def draft() -> Draft:
    return build_draft(import_register(WEBSHOP))


def _model(server: FakeLLMServer, timeout: float = 10):
    settings = Settings(
        llm_backend="ollama",
        llm_base_url=server.base_url,
        llm_model="fake-model:latest",
        llm_timeout_s=timeout,
    )
    return build_chat_model(settings)


def test_faithful_rewrite_is_accepted(ollama: FakeLLMServer, draft: Draft) -> None:
    ollama.script(FAITHFUL)
    polished = polish_draft(draft, _model(ollama), keys=["bewaartermijnen"])
    section = polished.section("bewaartermijnen")
    assert section.polished and section.notice == "" and section.text == FAITHFUL
    assert polished.notices == []
    assert polished.section("klacht") == draft.section("klacht")  # not asked, not changed
    prompt = ollama.chat_requests[0].prompt_text()
    assert "<<<TEKST>>>" in prompt and "2 jaar na het laatste contact" in prompt and "B1" in prompt


def test_title_markup_and_think_blocks_are_removed(ollama: FakeLLMServer, draft: Draft) -> None:
    ollama.script(f"<think>even nadenken</think>## Hoe lang bewaren wij uw gegevens?\n\n{FAITHFUL}")
    section = polish_draft(draft, _model(ollama), keys=["bewaartermijnen"]).section("bewaartermijnen")
    assert section.polished and section.text == FAITHFUL


def test_rewrite_that_drops_the_retention_period_is_rejected(ollama: FakeLLMServer, draft: Draft) -> None:
    ollama.script(FAITHFUL.replace("2 jaar na het laatste contact", "zolang dat nodig is"))
    polished = polish_draft(draft, _model(ollama), keys=["bewaartermijnen"])
    section = polished.section("bewaartermijnen")
    assert not section.polished
    assert section.text == draft.section("bewaartermijnen").text  # the template text stays
    assert "ontbreekt: '2 jaar na het laatste contact'" in section.notice
    assert "de tekst uit het sjabloon is behouden" in section.notice
    assert polished.notices == [f"Hoe lang bewaren wij uw gegevens?: {section.notice}"]


def test_rewrite_that_adds_a_country_is_rejected(ollama: FakeLLMServer, draft: Draft) -> None:
    ollama.script(FAITHFUL + "\n\nEen reservekopie staat op een server in Canada.")
    section = polish_draft(draft, _model(ollama), keys=["bewaartermijnen"]).section("bewaartermijnen")
    assert not section.polished and "nieuw: 'Canada'" in section.notice


@pytest.mark.parametrize(
    ("addition", "reported"),
    [
        (" Daarna bewaren wij nog drie maanden een kopie.", "drie maanden"),
        (" Wij werken hiervoor samen met Archiefbeheer Noord.", "Archiefbeheer"),
        (" Vragen? Mail naar archief@voorbeeld.nl.", "archief@voorbeeld.nl"),
        (" Dit staat in artikel 52 van ons beleid.", "52"),
    ],
)
def test_new_facts_of_every_kind_are_spotted(draft: Draft, addition: str, reported: str) -> None:
    section = draft.section("bewaartermijnen")
    assert check_facts(section, FAITHFUL).ok
    check = check_facts(section, FAITHFUL + addition)
    assert reported in check.added, check.reasons()


def test_reordered_wording_keeps_the_facts(draft: Draft) -> None:
    section = draft.section("bewaartermijnen")
    reordered = FAITHFUL.replace(
        "**Klantenservice**: 2 jaar na het laatste contact.",
        "**Klantenservice**: na het laatste contact nog 2 jaar.",
    )
    assert check_facts(section, reordered).ok


def test_every_section_of_the_draft_passes_its_own_check(draft: Draft) -> None:
    for section in draft.sections:
        assert check_facts(section, section.text).ok, section.key


def test_unreachable_model_keeps_the_template_text(draft: Draft) -> None:
    settings = Settings(
        llm_backend="ollama", llm_base_url="http://127.0.0.1:9", llm_model="x", llm_timeout_s=2
    )
    polished = polish_draft(draft, build_chat_model(settings))
    assert [s.text for s in polished.sections] == [s.text for s in draft.sections]
    assert polished.sections[0].notice == NOTICE_UNREACHABLE
    assert all(s.notice == "" for s in polished.sections[1:])  # no second attempt after a failure


def test_service_polishes_a_stored_draft(tmp_path: Path, ollama: FakeLLMServer) -> None:
    ollama.script(FAITHFUL)
    service = PrivacyService(tmp_path / "data", model=_model(ollama))
    try:
        service.import_register(WEBSHOP, "anna")
        record = service.create_draft("Webshop Zonnig", "anna", polish=True)
        stored = service.review.version(record.id)
        assert stored.section("bewaartermijnen").polished
        # The same reply cannot be right for the other sections: they keep their template text.
        klacht = stored.section("klacht")
        assert not klacht.polished and "ontbreekt" in klacht.notice
        assert len(ollama.chat_requests) == len(stored.sections)
    finally:
        service.close()
