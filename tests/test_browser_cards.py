"""The feedback loop in a real browser: a thumbs-down reaches the kennisbeheerder; the card answers next time.

A medewerker asks a question, reads the short answer first, opens a cited article in its
context and gives a thumbs-down with a comment; the kennisbeheerder finds the question under
"Vragen zonder goed antwoord" in the Kennisbank tab, writes and validates a card from it, and
the same question then gets the card's short answer first. Screenshots go to the test's tmp
dir (and ``$AVG_SCREENSHOT_DIR`` when set).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import (
    CHROMIUM,
    add_user,
    ask,
    ingest,
    launched_browser,
    open_page,
    running_server,
    screenshot,
    write_policy,
)
from conftest import CORPUS_HTML
from playwright.sync_api import Browser, Page, expect

QUESTION = "Wie moet een datalek melden bij de toezichthouder, en hoe snel?"
CARD_ANSWER = (
    "Kaartantwoord: de organisatie meldt het datalek zelf binnen 72 uur bij de Autoriteit Persoonsgegevens."
)
COMMENT = "Ik mis wie er meldt."

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium ontbreekt"),
    pytest.mark.skipif(not CORPUS_HTML.exists(), reason="../shared/corpus ontbreekt"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser-cards")
    ingest(root / "data", write_policy(root / "docs"), CORPUS_HTML / "chapter-4.html")
    add_user(root / "data", "anna", "medewerker")
    add_user(root / "data", "kees", "kennisbeheerder")
    with running_server(root / "data") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched_browser() as chromium:
        yield chromium


def first_line(page: Page) -> str:
    """The first line of the latest answer as the user sees it."""
    return page.locator("#gesprek .message-row").last.inner_text().strip().splitlines()[0]


def test_thumbs_down_reaches_the_queue_and_the_card_answers_next_time(
    browser: Browser, server: str, tmp_path: Path
) -> None:
    anna = open_page(browser, server, "anna")
    ask(anna, QUESTION)
    lead = first_line(anna)
    assert lead.startswith("Het antwoord staat vooral in art. 33"), lead  # the short answer comes first

    law = anna.locator("#bronnen .bron", has_text="art. 33").first
    law.locator(".bron-openen").click()
    context = anna.locator("#bron-context .bron-context")
    expect(context).to_contain_text("Artikel 33")
    expect(context.locator(".context-passage")).to_have_count(5)  # the whole article: five leden
    expect(context.locator(".geciteerd mark")).to_be_visible()
    screenshot(anna, tmp_path, "kaarten-1-bron-in-context.png")

    anna.locator("#gesprek button[aria-label='Vind ik niet leuk']").last.click()
    comment = anna.locator("#toelichting textarea")
    comment.wait_for(state="visible")
    comment.fill(COMMENT)
    anna.get_by_role("button", name="Toelichting opslaan").click()
    comment.wait_for(state="hidden")
    anna.context.close()

    kees = open_page(browser, server, "kees")
    kees.get_by_role("tab", name="Kennisbank").click()
    queue = kees.locator("#wachtrij")
    expect(queue).to_contain_text(QUESTION)
    expect(queue).to_contain_text(COMMENT)
    expect(queue).to_contain_text("duim omlaag")
    kees.locator("#wachtrij-kiezen input").click()
    kees.get_by_role("option", name=QUESTION[:40], exact=False).first.click()
    expect(kees.locator("#wachtrij-details")).to_contain_text("Gegeven antwoord")
    screenshot(kees, tmp_path, "kaarten-2-wachtrij.png")
    kees.locator("#wachtrij-kaart").click()
    question_box = kees.locator("#kaart-vraag textarea, #kaart-vraag input").first
    expect(question_box).to_have_value(QUESTION)  # pre-filled from the queue
    kees.locator("#kaart-antwoord textarea").fill(CARD_ANSWER)
    kees.locator("#kaart-artikelen textarea, #kaart-artikelen input").first.fill("art. 33 lid 1")
    kees.locator("#kaart-valideren").click()
    expect(kees.locator("#kaart-status textarea, #kaart-status input").first).to_have_value(
        "Kaart 1 — gevalideerd"
    )
    expect(kees.locator("#wachtrij-tabel")).not_to_contain_text(QUESTION)  # handled by the card
    screenshot(kees, tmp_path, "kaarten-3-kaart-gevalideerd.png")
    kees.context.close()

    anna = open_page(browser, server, "anna")
    ask(anna, QUESTION)
    assert first_line(anna) == CARD_ANSWER
    expect(anna.locator("#gesprek .message-row").last).to_contain_text("gevalideerd")
    screenshot(anna, tmp_path, "kaarten-4-kaart-antwoordt.png")
