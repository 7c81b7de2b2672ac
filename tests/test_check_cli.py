"""``avg-assistent check …`` through its own argparse wiring, on a temp data dir."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from check_support import WEBSHOP, ingest_client, make_app
from docx import Document

from assistant.features.check.checklist import ChecklistError, load_shipped_checklist
from assistant.features.check.store import CheckNotFoundError
from assistant.interfaces.cli import actor as cli_actor
from assistant.interfaces.cli import check as check_cli
from assistant.settings import Settings


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="avg-assistent")
    commands = parser.add_subparsers(dest="command", required=True)
    check_cli.add_parsers(commands)
    cli_actor.add_options(parser)
    return parser.parse_args(argv)


def test_check_run_show_review_export_and_checklist(
    tmp_path: Path, embedder, capsys: pytest.CaptureFixture[str]
):
    data_dir = tmp_path / "data"
    app = make_app(data_dir, embedder)
    try:
        ingest_client(app, WEBSHOP, "webshop", tmp_path)
    finally:
        app.close()
    settings = Settings(data_dir=data_dir, llm_backend="none", chroma_url=None)

    def check(*argv: str) -> str:
        assert check_cli.handle(settings, _parse(["check", *argv])) == 0
        return capsys.readouterr().out

    shipped = load_shipped_checklist()
    small = tmp_path / "kort.yaml"
    small.write_text(
        type(shipped)(1, [shipped.get(q) for q in ("BWT-01", "LEK-01", "VWK-01")]).to_yaml(), encoding="utf-8"
    )
    assert "versie 2 (3 vragen)" in check("checklist", "--import", str(small), "--notitie", "kort")
    versions = check("checklist", "--versies")
    assert "versie 1" in versions and "versie 2" in versions and "kort" in versions

    out = check("run", "--client", WEBSHOP)
    assert "LEK-01   voldoet niet  geen bewijs gevonden" in out
    assert "Bewaarbeleid Webshop Zeewind, p. 1" in out

    shown = json.loads(check("show", "--client", f"klant:{WEBSHOP}", "--json"))
    assert shown["client"] == WEBSHOP and shown["checklist_version"] == 2
    assert shown["created_by"].startswith("cli")  # the operator: the OS user, never a typed name
    answers = {a["question_id"]: a for a in shown["answers"]}
    assert answers["BWT-01"]["evidence"][0]["page"] == 1 and "passage" not in answers["BWT-01"]["evidence"][0]

    out = check(
        "review",
        "--client",
        WEBSHOP,
        "--vraag",
        "BWT-01",
        "--actie",
        "bewerken",
        "--status",
        "voldoet",
    )
    assert out.strip() == "BWT-01: voldoet (bewerkt)"

    docx_path = tmp_path / "uit" / "rapport.docx"
    assert str(docx_path) in check("export", "--client", WEBSHOP, "--out", str(docx_path))
    text = "\n".join(p.text for p in Document(str(docx_path)).paragraphs)
    assert "Actieplan" in text and "LEK-01" in text
    md_path = tmp_path / "rapport.md"
    check("export", "--client", WEBSHOP, "--format", "md", "--out", str(md_path), "--dagtarief", "800")
    markdown = md_path.read_text(encoding="utf-8")
    assert "Dagtarief: € 800." in markdown and "| BWT-01 |" not in markdown  # BWT-01 now complies

    exported = tmp_path / "huidig.yaml"
    check("checklist", "--export", str(exported))
    assert exported.read_text(encoding="utf-8").count("- id:") == 3

    with pytest.raises(CheckNotFoundError):
        check_cli.handle(settings, _parse(["check", "show", "--client", "Nieuwe Klant"]))
    with pytest.raises(ChecklistError):
        check_cli.handle(
            settings, _parse(["check", "checklist", "--import", str(tmp_path / "bestaat-niet.yaml")])
        )
