"""The answer view, Dutch labels, readable tables and the privacy fence in a real browser.

Playwright drives Debian's chromium against `avg-assistent serve` (accounts on). A real HTTP
listener on 127.0.0.1 stands in for a remote server: text planted in a document's title,
owner and contents, in the register view and in a warning toast points images and links at
it, and the listener must receive nothing. Screenshots at 1440 and 375 px go to the test's
tmp dir and to ``$AVG_SCREENSHOT_DIR`` when set.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from browser_support import (
    CHROMIUM,
    add_user,
    ask,
    ingest,
    launched_browser,
    running_server,
    screenshot,
    write_policy,
)
from browser_support import (
    open_page as logged_in_page,
)
from conftest import CORPUS_HTML
from playwright.sync_api import Browser, Page, expect

QUESTION = "Binnen welke termijn moet een datalek gemeld worden?"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium ontbreekt")


class Listener:
    """A loopback HTTP server that records every request it receives."""

    def __init__(self) -> None:
        hits: list[str] = []

        class Record(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                hits.append(self.path)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.hits = hits
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Record)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def payload(self, name: str) -> str:
        """Markdown and HTML that would make a browser fetch from the listener."""
        url = f"{self.url}/{name}"
        return f"{name} ![x]({url}-md.png) <img src={url}-html.png> [link]({url})"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    planted = Listener()
    yield planted
    planted.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser-answer-view")
    files = [write_policy(root / "docs")]
    if CORPUS_HTML.exists():
        files.append(CORPUS_HTML / "chapter-4.html")
    ingest(root / "data", *files)
    add_user(root / "data", "anna", "medewerker")
    add_user(root / "data", "kees", "kennisbeheerder")
    add_user(root / "data", "beheer", "beheerder")
    add_user(root / "data", "carla", "consultant", "Webshop Noord")
    with running_server(root / "data") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched_browser() as chromium:
        yield chromium


def open_page(browser: Browser, url: str, username: str, width: int = 1440, height: int = 900) -> Page:
    """A fresh, logged-in page of ``username`` at the given window size."""
    return logged_in_page(browser, url, username, width=width, height=height)


LEAD_IN_VIEW_JS = """() => {
  const rows = [...document.querySelectorAll('#gesprek .message-row')];
  const answer = rows[rows.length - 1];
  const line = answer.getBoundingClientRect();
  const chat = document.querySelector('#gesprek').getBoundingClientRect();
  return line.top >= chat.top - 2 && line.top + 20 <= chat.bottom && line.top >= 0
    && line.top + 20 <= window.innerHeight;
}"""


def test_a_medewerkers_day(browser: Browser, server: str, tmp_path: Path) -> None:
    """Ask, read the lead line, click [1], open the source, rate, reopen and see the rating."""
    anna = open_page(browser, server, "anna")
    ask(anna, QUESTION)
    answer = anna.locator("#gesprek .message-row").last
    expect(answer.locator(".bron-verwijzing").first).to_be_visible()
    anna.wait_for_timeout(500)  # the scroll to the answer runs after the answer is stored
    assert anna.evaluate(LEAD_IN_VIEW_JS), "de eerste regel van het antwoord staat niet in beeld"
    screenshot(anna, tmp_path, "antwoord-1440.png")

    # the sources once: in the panel, not as a list under the answer; [n] links to the card
    assert "Bronnen:" not in answer.inner_text()
    for label in anna.locator("#bronnen .bron").all():
        document = label.locator(".bron-document").inner_text().strip()
        assert not document or document not in label.locator(".bron-label").inner_text()
    answer.locator(".bron-verwijzing", has_text="[1]").first.click()
    expect(anna.locator("#bronnen #bron-1")).to_have_class("bron gemarkeerd")
    anna.locator("#bronnen #bron-1 .bron-openen").click()
    context = anna.locator("#bron-context .bron-context")
    expect(context).to_be_visible()
    expect(context.locator(".geciteerd").first).to_be_visible()

    # rate, start anew, reopen: the thumbs-up is shown again
    anna.locator("#gesprek button[aria-label='Vind ik leuk']").last.click()
    expect(anna.locator("#toelichting textarea")).to_be_visible()
    anna.locator("#nieuw-gesprek").click()
    expect(anna.locator("#gesprek .message-row")).to_have_count(0)
    anna.locator("#gesprekken label", has_text=QUESTION).click()
    expect(anna.locator("#gesprek .message-row")).to_have_count(2)
    expect(anna.locator("#gesprek button[aria-label='Liked']")).to_have_count(1)  # gradio's selected thumb
    expect(anna.locator("#gesprek button[aria-label='Vind ik leuk']")).to_have_count(0)
    screenshot(anna, tmp_path, "heropend-met-beoordeling.png")


def test_no_remote_content_from_stored_text(
    browser: Browser, server: str, listener: Listener, tmp_path: Path
) -> None:
    """Planted images and links in a document, the register view and a toast fetch nothing."""
    note = tmp_path / "geplant.txt"
    note.write_text(f"Bewaartermijn notulen.\n\n{listener.payload('inhoud')}\n", encoding="utf-8")
    page = open_page(browser, server, "kees")
    page.get_by_role("tab", name="Kennisbank").click()
    expect(page.locator("#kennisbank-scope input")).to_have_value("algemeen")
    page.locator("#kennisbank-bestanden input[type=file]").set_input_files(str(note))
    page.get_by_label("Titel (alleen bij één bestand; leeg = titel uit het document)").fill(
        listener.payload("titel")
    )
    page.get_by_label("Eigenaar", exact=True).fill(listener.payload("eigenaar"))
    page.locator("#kennisbank-toevoegen").click()
    expect(page.locator("#kennisbank-resultaat")).to_contain_text("nieuw 1")
    overview = page.locator("#kennisbank-overzicht")
    expect(overview).to_contain_text("titel ![x](")  # shown as text
    page.get_by_text("Document bekijken, vervangen of wissen").click()
    page.locator("#kennisbank-document input").click()
    page.get_by_role("option", name="titel", exact=False).first.click()
    details = page.locator("#document-info")
    expect(details).to_contain_text("Persoonsgegevens gemaskeerd")
    page.wait_for_timeout(1000)
    assert listener.hits == [], listener.hits  # the browser fetched nothing from the planted URLs
    expect(details).to_contain_text("eigenaar ![x](")
    expect(details).to_contain_text("<img src=")
    expect(details.locator("img")).to_have_count(0)
    expect(details.locator("a")).to_have_count(0)
    screenshot(page, tmp_path, "geplant-kennisbank.png")

    page.context.close()
    page = open_page(browser, server, "carla")
    page.get_by_role("tab", name="Privacyverklaring").click()
    klant = page.locator("#register-klant input")
    klant.fill(listener.payload("klant"))
    klant.press("Enter")
    toast_or_view = page.locator("[data-testid='toast-body'], #register-weergave").filter(has_text="klant ")
    expect(toast_or_view.first).to_be_visible()
    expect(page.locator("[data-testid='toast-body'] img, #register-weergave img")).to_have_count(0)
    toast = page.locator("[data-testid='toast-body']").first
    expect(toast).to_contain_text("Let op")  # a Dutch title, not gradio's "Warning"
    expect(toast).to_contain_text("<img src=")  # the planted tag shown as text
    screenshot(page, tmp_path, "geplant-register.png")
    page.wait_for_timeout(1500)
    assert listener.hits == [], listener.hits


OVERFLOW_JS = """() => {
  const page = document.documentElement.scrollWidth <= window.innerWidth + 1;
  const header = document.querySelector('#kopregel');
  const title = document.querySelector('#kop h1');
  const lineHeight = parseFloat(getComputedStyle(title).lineHeight) || 40;
  return {page, header: header.scrollWidth <= header.clientWidth + 1,
          titleOneLine: title.getBoundingClientRect().height < lineHeight * 1.6};
}"""


@pytest.mark.parametrize("width", [1440, 375])
def test_header_and_tables_fit(browser: Browser, server: str, tmp_path: Path, width: int) -> None:
    """No horizontal overflow of the page, header or tables; labels and dates in Dutch."""
    policy = httpx.get(server, follow_redirects=True).headers["content-security-policy"]
    assert "img-src 'self' data:" in policy and "connect-src 'self'" in policy  # the second fence
    page = open_page(browser, server, "beheer", width=width, height=900)
    assert page.evaluate(OVERFLOW_JS) == {"page": True, "header": True, "titleOneLine": True}
    screenshot(page, tmp_path, f"vragen-{width}.png")

    page.get_by_role("tab", name="Kennisbank").click()
    headers = page.locator("#kennisbank-overzicht thead th")
    expect(headers.first).to_contain_text("Titel")
    assert "Id" in headers.last.inner_text()
    assert page.evaluate(OVERFLOW_JS)["page"]
    screenshot(page, tmp_path, f"kennisbank-{width}.png")

    page.get_by_role("tab", name="Beheer").click()
    audit = page.locator("#auditlog")
    expect(audit).to_contain_text("inloggen")  # filled on opening, without "Tonen"
    expect(audit).not_to_contain_text("UTC")
    expect(audit.locator("tbody tr").first).to_contain_text(" 20")  # "4 december 2026, 21:16"
    assert page.evaluate(OVERFLOW_JS)["page"]
    screenshot(page, tmp_path, f"beheer-{width}.png")
    body = page.locator("body").inner_text()
    assert "common." not in body and "Warning" not in body
