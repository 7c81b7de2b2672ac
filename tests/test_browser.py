"""The web UI in a real browser: Playwright driving Debian's chromium against `avg-assistent serve`.

The server has accounts, so every page starts at the login form. The knowledge base
holds a small Markdown policy and, when ../shared is present, chapter IV of the AVG.
Screenshots go to the test's tmp dir and to ``$AVG_SCREENSHOT_DIR`` when set.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import (
    add_user,
    ask,
    ingest,
    launched_browser,
    log_in,
    needs_chromium,
    new_page,
    running_server,
    screenshot,
    write_policy,
)
from conftest import CORPUS_HTML
from playwright.sync_api import Page, expect

from assistant.features.accounts.users import USERS_FILE, UserStore
from assistant.features.chat.conversation_store import STORE_FILE, ConversationStore

QUESTION = "Binnen welke termijn moet een datalek gemeld worden?"

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    files = [write_policy(root / "docs")]
    chapter = CORPUS_HTML / "chapter-4.html"
    if chapter.exists():
        files.append(chapter)
    ingest(root / "data", *files)
    add_user(root / "data", "anna", "medewerker")
    add_user(root / "data", "beheer", "beheerder")
    add_user(root / "data", "kees", "kennisbeheerder")
    return root / "data"


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[str]:
    with running_server(data_dir) as url:
        yield url


@pytest.fixture
def browser_page(server: str) -> Iterator[Page]:
    """A fresh browser on the login page."""
    with launched_browser() as browser:
        yield new_page(browser, server)


@pytest.fixture
def page(browser_page: Page) -> Page:
    """The chat page of a logged-in medewerker."""
    log_in(browser_page, "anna")
    browser_page.locator("#vraag textarea").wait_for()
    return browser_page


def test_question_shows_answer_with_cited_passages(page: Page, tmp_path: Path) -> None:
    ask(page, QUESTION)
    answer = page.locator("#gesprek .message-row").last
    expect(answer).to_contain_text("72 uur")

    first = page.locator("#bronnen .bron").first
    label = first.locator(".bron-label").inner_text()
    assert re.search(r"art\. 33|Datalekbeleid", label), label
    expect(first.locator(".bron-label")).to_be_visible()
    marked = first.locator("mark")
    expect(marked).to_be_visible()
    assert "72 uur" in page.locator("#bronnen").inner_text()
    assert len(marked.inner_text()) > 20  # a quoted passage, highlighted
    expect(page.locator("#gesprekken")).to_contain_text(QUESTION)
    assert screenshot(page, tmp_path, "chat.png").stat().st_size > 10_000


def test_thumbs_up_is_stored_and_a_conversation_reopens(page: Page, tmp_path: Path, data_dir: Path) -> None:
    question = "Hoe snel melden we een datalek aan de Autoriteit Persoonsgegevens?"
    ask(page, question)
    page.locator("#gesprek button[aria-label='Vind ik leuk']").last.click()
    comment_box = page.locator("#toelichting textarea")
    comment_box.wait_for(state="visible")
    comment_box.fill("Duidelijk antwoord met bron.")
    page.get_by_role("button", name="Toelichting opslaan").click()
    comment_box.wait_for(state="hidden")

    store = ConversationStore(data_dir / STORE_FILE)
    conversation = next(c for c in store.list_conversations("anna") if c.title == question)
    answer = store.messages(conversation.id)[-1]
    assert [(f.rating, f.comment) for f in store.feedback([answer.id])] == [
        ("up", "Duidelijk antwoord met bron.")
    ]

    page.locator("#nieuw-gesprek").click()
    expect(page.locator("#gesprek .message-row")).to_have_count(0)
    expect(page.locator("#bronnen .bron")).to_have_count(0)

    page.locator("#gesprekken label", has_text=question).click()
    expect(page.locator("#gesprek .message-row", has_text=question)).to_have_count(1)
    expect(page.locator("#gesprek .message-row")).to_have_count(2)
    expect(page.locator("#bronnen mark").first).to_be_visible()
    screenshot(page, tmp_path, "heropend.png")


def test_login_form_refuses_a_wrong_password_then_logs_in_and_out(browser_page: Page, tmp_path: Path) -> None:
    page = browser_page
    expect(page.get_by_text("Log in met uw account van de AVG-assistent")).to_be_visible()
    screenshot(page, tmp_path, "inloggen.png")
    log_in(page, "anna", "verkeerd-wachtwoord-123")
    expect(page.get_by_role("alert")).to_contain_text("onjuist")  # a Dutch reason, the form stays
    expect(page.locator("input[type=password]")).to_have_value("")
    expect(page.get_by_label("Gebruikersnaam")).to_have_value("anna")
    expect(page.locator("#vraag textarea")).to_have_count(0)

    log_in(page, "anna")
    expect(page.locator("#gebruiker-info")).to_contain_text("anna (medewerker)")
    expect(page.get_by_role("tab", name="Beheer")).to_have_count(0)  # hidden for a medewerker
    page.locator("#uitloggen").click()  # a page that asks: a GET logs nobody out
    page.get_by_role("button", name="Uitloggen", exact=True).click()
    expect(page.locator("input[type=password]")).to_be_visible()


def test_beheerder_adds_a_user_in_the_beheer_tab(browser_page: Page, tmp_path: Path, data_dir: Path) -> None:
    page = browser_page
    log_in(page, "beheer")
    page.get_by_role("tab", name="Beheer").click()
    expect(page.locator("#gebruikerslijst")).to_contain_text("anna")
    page.get_by_text("Gebruiker toevoegen").first.click()
    page.locator("#nieuw-gebruikersnaam textarea, #nieuw-gebruikersnaam input").first.fill("chris")
    page.locator("#nieuw-wachtwoord input").fill("nog-een-lang-wachtwoord")
    page.locator("#gebruiker-toevoegen").click()
    expect(page.locator("#gebruikerslijst")).to_contain_text("chris")
    expect(page.locator("#beheer-status")).to_contain_text("Gebruiker 'chris' is aangemaakt")
    screenshot(page, tmp_path, "beheer.png")
    added = UserStore(data_dir / USERS_FILE).get("chris")
    assert added is not None and added.role.value == "medewerker"


def test_kennisbeheerder_uploads_guidance_in_the_kennisbank_tab(
    browser_page: Page, tmp_path: Path, data_dir: Path
) -> None:
    """Upload through gradio's file widget; the handler gets gradio's progress bar and reports."""
    page = browser_page
    note = tmp_path / "bezoekersregistratie.md"
    note.write_text(
        "# Bezoekersregistratie\n\n## Bewaren\n\nDe bezoekerslijst bij de receptie bewaren wij vier weken.\n",
        encoding="utf-8",
    )
    log_in(page, "kees")
    page.get_by_role("tab", name="Kennisbank").click()
    expect(page.locator("#kennisbank-scope input")).to_have_value(
        "algemeen"
    )  # the only scope kees may add to
    page.locator("#kennisbank-bestanden input[type=file]").set_input_files(str(note))
    page.locator("#kennisbank-toevoegen").click()
    expect(page.locator("#kennisbank-resultaat")).to_contain_text("nieuw 1")
    screenshot(page, tmp_path, "kennisbank-upload.png")
    assert "Bezoekersregistratie" in page.locator("body").inner_text()
