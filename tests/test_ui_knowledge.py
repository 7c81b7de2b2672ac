"""The Kennisbank tab: the layout builds, and its handlers upload, list, replace, erase and re-index."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import gradio as gr
import pytest

from assistant.app import App
from assistant.features.clients.service import ClientService
from assistant.interfaces.web.tabs.knowledge import COLUMNS, KnowledgeTab

PASSWORD = "een-lang-wachtwoord-2024"


@pytest.fixture
def tab(app: App) -> KnowledgeTab:
    messages: list[str] = []
    knowledge = KnowledgeTab(app, notify=messages.append)
    knowledge.messages = messages  # type: ignore[attr-defined]
    return knowledge


def _file(folder: Path, name: str, text: str) -> str:
    path = folder / "upload" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_tab_builds_inside_a_page(tmp_path: Path) -> None:
    """Built in a subprocess: an in-process gradio Blocks leaves sockets open (warnings are errors here)."""
    script = (
        "import gradio as gr, sys\n"
        "from assistant.app import build_app\n"
        "from assistant.settings import Settings\n"
        "from assistant.interfaces.web.tabs.knowledge import COLUMNS, build_tab\n"
        "app = build_app(Settings(data_dir=sys.argv[1], load_starter_pack=False))\n"
        "with gr.Blocks() as page, gr.Tab('Kennisbank'):\n"
        "    build_tab(app)\n"
        "labels = {getattr(b, 'label', None) for b in page.blocks.values()}\n"
        "wanted = {'Bestanden (meerdere tegelijk mogelijk)', 'Persoonsgegevens maskeren', 'Document'}\n"
        "assert wanted <= labels, labels\n"
        "assert any(isinstance(b, gr.Dataframe) and b.headers == COLUMNS for b in page.blocks.values())\n"
        "print(len(page.fns), 'handlers')\n"
        "app.close()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AVG_")}
    env.update(AVG_CONFIG_FILE=str(tmp_path / "geen.toml"), GRADIO_ANALYTICS_ENABLED="False")
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "data")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).parents[1],
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[0]) >= 10


def test_upload_list_replace_remove_and_reindex(app: App, tab: KnowledgeTab, tmp_path: Path) -> None:
    messages: list[str] = tab.messages  # type: ignore[attr-defined]
    process = _file(
        tmp_path, "proces.md", "# Klantproces\n\nBel klanten op 06-12345678 of mail jan@voorbeeld.nl.\n"
    )
    guide = _file(tmp_path, "richtlijn.md", "# Richtlijn\n\nBewaar facturen zeven jaar.\n")
    ClientService(app.kb, audit=app.audit).add("Webshop Noord", actor="test")
    shown: list[tuple[float, str]] = []
    summary = tab.upload(
        [process, guide],
        "",
        "procesdocument",
        "klant:Webshop Noord",
        "2024-05-25",
        "Piet",
        True,
        progress=lambda fraction, desc: shown.append((fraction, desc)),
    )
    assert "nieuw 2" in summary and messages == []
    assert shown[-1] == (1.0, "2 van 2 bestanden verwerkt")
    assert any("Bestand 1 van 2: proces.md" in desc for _, desc in shown)
    title, pii_column, id_column = COLUMNS.index("Titel"), COLUMNS.index("Persoonsgegevens gemaskeerd"), -1
    rows = tab.rows()
    assert {r[title] for r in rows} == {"Klantproces", "Richtlijn"}
    pii = {r[title]: r[pii_column] for r in rows}
    assert "e-mailadressen: 1" in pii["Klantproces"] and "telefoonnummers: 1" in pii["Klantproces"]
    assert [r[title] for r in tab.rows(search="klantpro")] == ["Klantproces"]
    assert tab.rows(kind="checklist") == [] and len(tab.rows(scope="klant:Webshop Noord")) == 2
    assert "klant:Webshop Noord" in tab.scope_choices()

    doc_id = next(r[id_column] for r in rows if r[title] == "Klantproces")
    details = tab.details(doc_id)
    assert "telefoonnummers: 1" in details and "06-12345678" not in details
    assert "v1-proces.md" not in details and "Het originele bestand is niet bewaard" in details  # masked

    new = _file(tmp_path, "proces-v2.md", "# Klantproces\n\nKlanten bellen wij alleen na toestemming.\n")
    assert "Versie 2" in tab.replace(doc_id, new, "", "")
    assert "v2 (actueel)" in tab.details(doc_id) and "v1 (vervangen)" in tab.details(doc_id)

    assert tab.remove(doc_id, confirmed=False) == "" and "Bevestig" in messages[-1]
    assert app.kb.registry.by_id(doc_id) is not None
    assert "gewist" in tab.remove(doc_id, confirmed=True)
    assert app.kb.registry.by_id(doc_id) is None and not app.kb.upload_dir(doc_id).exists()
    assert [r[title] for r in tab.rows()] == ["Richtlijn"]

    steps: list[tuple[float, str]] = []
    assert "Opnieuw geïndexeerd: 1 document(en)" in tab.reindex(
        "alle", progress=lambda fraction, desc: steps.append((fraction, desc))
    )
    assert steps == [(1.0, "Document 1 van 1")]


def test_errors_are_dutch_messages_not_stack_traces(
    app: App, tab: KnowledgeTab, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    messages: list[str] = tab.messages  # type: ignore[attr-defined]
    text = _file(tmp_path, "a.md", "# A\n\nTekst.\n")
    result = tab.upload([text], "", "document", "algemeen", "gisteren", "", False)
    assert "Ongeldige datum" in result and "Ongeldige datum" in messages[-1]
    assert "Traceback" not in result
    assert "bestaat niet" in tab.details("ffffffff")
    assert tab.upload([], "", "document", "algemeen", "", "", False) == ""
    assert "Kies eerst" in messages[-1]

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kapot")

    tab.docs.list = broken  # type: ignore[method-assign]
    assert tab.safe_rows() == []
    error_id = re.fullmatch(r"Er ging iets mis \(foutcode ([0-9a-f]{8})\)\. .*logboek\.", messages[-1])
    assert error_id, messages[-1]
    assert "kapot" not in messages[-1] and "RuntimeError" not in messages[-1]
    logged = [r for r in caplog.records if error_id.group(1) in r.getMessage()]
    assert logged and logged[0].exc_info and logged[0].exc_info[0] is RuntimeError  # the admin's traceback


def test_access_follows_roles_and_assignments(app: App, tab: KnowledgeTab, tmp_path: Path) -> None:
    messages: list[str] = tab.messages  # type: ignore[attr-defined]
    ClientService(app.kb, audit=app.audit).add("Bakkerij Zuid", actor="test")
    ClientService(app.kb, audit=app.audit).add("Webshop Noord", actor="test")
    tab.upload(
        [_file(tmp_path, "alg.md", "# Algemeen\n\nBewaar facturen zeven jaar.\n")],
        "",
        "richtlijn",
        "algemeen",
        "",
        "",
        False,
    )
    tab.upload(
        [_file(tmp_path, "zuid.md", "# Zuid\n\nBakkerij Zuid bewaart bonnen.\n")],
        "",
        "procesdocument",
        "klant:Bakkerij Zuid",
        "",
        "",
        False,
    )
    zuid = next(r.id for r in app.kb.registry.list(scope="klant:Bakkerij Zuid"))
    app.users.add("anna", "consultant", PASSWORD, clients=["Webshop Noord"])
    app.users.add("bert", "medewerker", PASSWORD)
    anna, bert = gr.Request(username="anna"), gr.Request(username="bert")

    assert tab.scope_choices(anna) == ["klant:Webshop Noord"] and tab.scope_choices(bert) == []
    assert {r[COLUMNS.index("Titel")] for r in tab.rows(request=anna)} == {
        "Algemeen"
    }  # not the other client's document
    assert all("Zuid" not in label for label, _ in tab.document_choices(anna))
    assert tab.remove(zuid, True, anna) == "" and "geen toegang" in messages[-1].lower()
    assert app.kb.registry.by_id(zuid) is not None
    assert tab.details(zuid, anna) == ""
    new = _file(tmp_path, "noord.md", "# Noord\n\nWebshop Noord bewaart orders.\n")
    assert tab.upload([new], "", "procesdocument", "algemeen", "", "", False, anna) == ""  # no guidance role
    assert "nieuw 1" in tab.upload([new], "", "procesdocument", "klant:Webshop Noord", "", "", False, anna)

    events = app.audit.events()
    assert any(e.event == "toegang_geweigerd" and e.user == "anna" for e in events)
    assert any(
        e.event == "document_gewijzigd" and e.user == "anna" and e.scope == "klant:Webshop Noord"
        for e in events
    )


def test_a_beheerder_without_a_writable_scope_gets_a_reason_not_an_error(
    app: App, tab: KnowledgeTab, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A beheerder may write no scope: the scope box stays empty and "Toevoegen" says why in Dutch
    (it once failed with an unexpected error on ``normalize_scope(None)``)."""
    messages: list[str] = tab.messages  # type: ignore[attr-defined]
    app.users.add("beheer", "beheerder", PASSWORD)
    beheer = gr.Request(username="beheer")
    assert tab.scope_choices(beheer) == []
    *_, files, add, notice = tab.refresh(request=beheer)
    assert files["interactive"] is False and add["interactive"] is False
    assert "U kunt hier geen documenten toevoegen" in notice and "beheerder" in notice
    upload = _file(tmp_path, "notitie.md", "# Notitie\n\nBewaar facturen zeven jaar.\n")
    shown = tab.upload([upload], "", "document", None, "", "", False, beheer)  # type: ignore[arg-type]
    assert shown.startswith("**Fout:** U kunt hier geen documenten toevoegen")
    assert "U kunt hier geen documenten toevoegen" in messages[-1]
    assert "foutcode" not in " ".join(messages) and not [r for r in caplog.records if r.exc_info]

    app.users.add("kees", "kennisbeheerder", PASSWORD)
    kees = gr.Request(username="kees")
    *_, add, notice = tab.refresh(request=kees)[-3:]
    assert add["interactive"] is True and notice == ""
    again = _file(tmp_path, "notitie.md", "# Notitie\n\nBewaar facturen zeven jaar.\n")
    assert "Kies eerst de scope" in tab.upload([again], "", "richtlijn", "", "", "", False, kees)
    assert messages[-1].startswith("Kies eerst de scope")


def test_a_path_of_an_upload_used_before_gets_a_dutch_message(
    app: App, tab: KnowledgeTab, tmp_path: Path
) -> None:
    messages: list[str] = tab.messages  # type: ignore[attr-defined]
    gone = tmp_path / "upload" / "al-verwerkt.md"
    assert "al verwerkt" in tab.upload([str(gone)], "", "richtlijn", "algemeen", "", "", False)
    assert "Kies het bestand opnieuw" in messages[-1] and "al-verwerkt.md" in messages[-1]
