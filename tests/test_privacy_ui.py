"""The register tab: it builds inside a page, and its handlers work without a browser."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from assistant.app import App, build_app
from assistant.features.accounts.access import AccessDenied, local_user
from assistant.features.accounts.users import Role, User
from assistant.features.audit.log import AuditFilter, EventType
from assistant.features.privacy import views
from assistant.interfaces.web.tabs.register import RegisterTab
from assistant.settings import Settings
from ingestion.errors import AvgError

FIXTURES = Path(__file__).parent / "fixtures" / "privacy"
WEBSHOP = FIXTURES / "webshop-zonnig.yaml"
CLIENT = "Webshop Zonnig"
ANNA = User("anna", Role.CONSULTANT, clients=frozenset({CLIENT}))
BRAM = User("bram", Role.CONSULTANT, clients=frozenset({CLIENT}))


@pytest.fixture
def local_app(tmp_path: Path, embedder) -> App:
    application = build_app(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    yield application
    application.close()


BUILD_SCRIPT = """
import json, sys
from pathlib import Path
import gradio as gr
from assistant.app import build_app
from assistant.settings import Settings
from assistant.interfaces.web.tabs.register import build_tab

app = build_app(Settings(data_dir=Path(sys.argv[1])))
with gr.Blocks() as page, gr.Tab("Register en privacyverklaring"):
    build_tab(app)
labels = [c.get("props", {}).get("label") for c in page.get_config_file()["components"]]
app.close()
print(json.dumps(labels))
"""


def test_tab_builds_inside_a_page(tmp_path: Path) -> None:
    """Built in a subprocess: gradio leaves event loops behind that pytest would report."""
    env = {**os.environ, "AVG_CONFIG_FILE": str(tmp_path / "geen.toml")}
    result = subprocess.run(
        [sys.executable, "-c", BUILD_SCRIPT, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=Path(__file__).parents[1],
    )
    assert result.returncode == 0, result.stderr
    labels = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert {"Klant", "Concept", "Onderdeel", "Exportformaat", "Download"} <= labels


def test_handlers_from_import_to_approved_export(local_app: App) -> None:
    tab = RegisterTab(local_app)
    view, client = tab.import_file(ANNA, str(WEBSHOP), CLIENT)
    assert client == CLIENT and "| Bestellingen |" in view
    assert tab.client_choices(ANNA) == [CLIENT]
    draft_id = tab.create_draft(ANNA, CLIENT, False)
    text, report, sections = tab.show_draft(ANNA, draft_id)
    assert "status: **concept**" in text and "## Hoe lang bewaren wij uw gegevens?" in text
    assert "✅" in report and ("Hoe lang bewaren wij uw gegevens?", "bewaartermijnen") in sections
    tab.comment(BRAM, draft_id, "klacht", "Link naar de AP toevoegen?")
    assert "💬 bram (versie 1): Link naar de AP toevoegen?" in tab.show_draft(ANNA, draft_id)[0]
    original = tab.section_text(ANNA, draft_id, "klacht")
    tab.save_section(ANNA, draft_id, "klacht", original + " Zie ook autoriteitpersoonsgegevens.nl.")
    assert "(gewijzigd)" in tab.diff(ANNA, draft_id, 1, 2)
    tab.transition(ANNA, draft_id, "submit", "")
    tab.transition(BRAM, draft_id, "approve", "akkoord")
    assert tab.draft_choices(ANNA, CLIENT) == [("1: versie 2, goedgekeurd", "1")]
    path = Path(tab.export_draft(ANNA, draft_id, "docx"))
    assert docx.Document(str(path)).paragraphs[0].text == "Privacyverklaring Webshop Zonnig B.V."
    assert not path.resolve().is_relative_to(local_app.settings.data_dir.resolve())
    assert "goedgekeurd" in tab.audit(ANNA, CLIENT)
    register_file = Path(tab.export_file(ANNA, CLIENT, "yaml"))
    assert register_file.read_text(encoding="utf-8").startswith("klant: Webshop Zonnig")

    events = local_app.audit.events(AuditFilter(scope=f"klant:{CLIENT}"))
    assert {(e.user, e.event) for e in events} >= {
        ("anna", EventType.REGISTER_CHANGED),
        ("anna", EventType.DRAFT),
        ("bram", EventType.APPROVAL),
        ("anna", EventType.EXPORT),
    }


def test_permissions_and_errors(local_app: App) -> None:
    tab = RegisterTab(local_app)
    other = User("otto", Role.CONSULTANT, clients=frozenset({"Andere Klant"}))
    helper = User("mo", Role.MEDEWERKER, clients=frozenset({CLIENT}))
    with pytest.raises(AccessDenied, match="geen toegang tot klant"):
        tab.import_file(other, str(WEBSHOP), CLIENT)
    tab.import_file(ANNA, str(WEBSHOP), CLIENT)
    draft_id = tab.create_draft(ANNA, CLIENT, False)
    tab.transition(ANNA, draft_id, "submit", "")
    for attempt in (
        lambda: tab.transition(other, draft_id, "approve", ""),  # the draft's own client counts
        lambda: tab.show_draft(other, draft_id),
        lambda: tab.export_draft(other, draft_id, "md"),
        lambda: tab.show_register(other, CLIENT),
        lambda: tab.create_draft(helper, CLIENT, False),
        lambda: tab.decide(other, CLIENT, 1, "", True),
    ):
        with pytest.raises(AccessDenied):
            attempt()
    assert tab.client_choices(helper) == [] and tab.client_choices(other) == ["Andere Klant"]
    with pytest.raises(AccessDenied, match="Kies eerst een klant"):
        tab.create_draft(ANNA, "", False)
    with pytest.raises(AvgError, match="Kies eerst een concept"):
        tab.diff(ANNA, None, 1, 2)
    with pytest.raises(AvgError, match="Kies eerst een bestand"):
        tab.check_upload(ANNA, None, CLIENT)
    fietsenmaker = str(FIXTURES / "privacyverklaring-fietsenmaker.html")
    assert "Fietsenmaker" in tab.check_upload(ANNA, fietsenmaker, "")
    local = local_user([])
    assert CLIENT in tab.client_choices(local)  # the local user has every client with a register
    assert "Bestellingen" in tab.show_register(local, CLIENT)


def test_views_escape_user_text() -> None:
    from assistant.features.privacy.model import Activity, Controller, Register

    register = Register("X", Controller(name="<b>X</b> | Y"), [Activity(name="A|B", purpose="<script>")])
    text = views.register_markdown(register, [])
    assert "<script>" not in text and "&lt;b&gt;X&lt;/b&gt; / Y" in text and "| A/B |" in text
    assert "**ontbreekt**" in text


def test_check_upload_reports_the_file_not_the_register(local_app: App, tmp_path: Path) -> None:
    from assistant.features.privacy.statement import build_draft

    tab = RegisterTab(local_app)
    tab.import_file(ANNA, str(WEBSHOP), CLIENT)
    complete = build_draft(local_app.privacy.register(CLIENT)).markdown()
    register = local_app.privacy.register(CLIENT)
    register.activity("Klantenservice").retention = ""  # a gap of the register, not of the file
    local_app.privacy.save_register(register, "anna")
    upload = tmp_path / "verklaring.md"
    upload.write_text(complete, encoding="utf-8")
    report = tab.check_upload(ANNA, str(upload), CLIENT)
    retention = next(line for line in report.splitlines() if "| Bewaartermijnen |" in line)
    assert "aanwezig" in retention and "register" not in retention


def test_accept_in_the_tab_shows_a_conflict_then_takes_the_choice(local_app: App) -> None:
    from assistant.features.privacy.model import SourceRef
    from assistant.features.privacy.suggestions import RETENTION, Suggestion, SuggestionConflict

    tab = RegisterTab(local_app)
    tab.import_file(ANNA, str(WEBSHOP), CLIENT)
    quote = SourceRef("Oud beleid", 1, "Klantcontact bewaren wij 5 jaar.")
    local_app.privacy.suggestion_store.add(
        CLIENT, [Suggestion(RETENTION, "Klantenservice", "5 jaar", quote)], "anna"
    )
    number = local_app.privacy.suggestions(CLIENT)[0].id
    with pytest.raises(SuggestionConflict, match="'2 jaar na het laatste contact'"):
        tab.decide(ANNA, CLIENT, number, "", True, "vragen")
    _, register = tab.decide(ANNA, CLIENT, number, "", True, "huidig")
    assert "2 jaar na het laatste contact" in register and "5 jaar" not in register


def test_the_register_form_has_a_labelled_field_for_every_register_column() -> None:
    """A column added to the register format must appear in the web form (else the tab cannot build)."""
    from assistant.features.privacy.register_io import COLUMNS
    from assistant.interfaces.web.tabs.register import FORM_COLUMNS, FORM_LABELS

    assert set(FORM_COLUMNS) == set(COLUMNS) - {"bronnen"}
    assert all(FORM_LABELS.get(column) for column in FORM_COLUMNS)
