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
from assistant.privacy import views
from assistant.settings import Settings
from assistant.ui_register import RegisterTab, user_of
from ingestion.errors import AvgError

FIXTURES = Path(__file__).parent / "fixtures" / "privacy"
WEBSHOP = FIXTURES / "webshop-zonnig.yaml"
CLIENT = "Webshop Zonnig"


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
from assistant.ui_register import build_tab

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
    view, client = tab.import_file(str(WEBSHOP), "", "anna")
    assert client == CLIENT and "| Bestellingen |" in view
    assert tab.client_choices() == [CLIENT]
    draft_id = tab.create_draft(CLIENT, False, "anna")
    text, report, sections = tab.show_draft(draft_id)
    assert "status: **concept**" in text and "## Hoe lang bewaren wij uw gegevens?" in text
    assert "✅" in report and ("Hoe lang bewaren wij uw gegevens?", "bewaartermijnen") in sections
    tab.comment(draft_id, "klacht", "Link naar de AP toevoegen?", "bram")
    assert "💬 bram (versie 1): Link naar de AP toevoegen?" in tab.show_draft(draft_id)[0]
    original = tab.section_text(draft_id, "klacht")
    tab.save_section(draft_id, "klacht", original + " Zie ook autoriteitpersoonsgegevens.nl.", "anna")
    assert "(gewijzigd)" in tab.diff(draft_id, 1, 2)
    tab.transition(draft_id, "submit", "", "anna")
    tab.transition(draft_id, "approve", "akkoord", "bram")
    assert tab.draft_choices(CLIENT) == [("1: versie 2, goedgekeurd", "1")]
    path = Path(tab.export_draft(draft_id, "docx"))
    assert docx.Document(str(path)).paragraphs[0].text == "Privacyverklaring Webshop Zonnig B.V."
    assert "goedgekeurd" in tab.audit(CLIENT)
    register_file = Path(tab.export_file(CLIENT, "yaml"))
    assert register_file.read_text(encoding="utf-8").startswith("klant: Webshop Zonnig")


def test_guard_and_errors(local_app: App) -> None:
    def guard(user: str, action: str, client: str) -> None:
        if action == "goedkeuren" and user != "bram":
            raise AvgError("U mag geen privacyverklaring goedkeuren.")

    tab = RegisterTab(local_app, guard=guard)
    tab.import_file(str(WEBSHOP), "", "anna")
    draft_id = tab.create_draft(CLIENT, False, "anna")
    tab.transition(draft_id, "submit", "", "anna")
    with pytest.raises(AvgError, match="geen privacyverklaring goedkeuren"):
        tab.transition(draft_id, "approve", "", "anna")
    with pytest.raises(AvgError, match="Kies eerst een concept"):
        tab.diff(None, 1, 2)
    with pytest.raises(AvgError, match="Kies eerst een bestand"):
        tab.check_upload(None, CLIENT)
    assert "Fietsenmaker" in tab.check_upload(str(FIXTURES / "privacyverklaring-fietsenmaker.html"), "")
    assert user_of(None) == "lokaal"


def test_views_escape_user_text() -> None:
    from assistant.privacy.model import Activity, Controller, Register

    register = Register("X", Controller(name="<b>X</b> | Y"), [Activity(name="A|B", purpose="<script>")])
    text = views.register_markdown(register, [])
    assert "<script>" not in text and "&lt;b&gt;X&lt;/b&gt; / Y" in text and "| A/B |" in text
    assert "**ontbreekt**" in text
