"""The ``register`` and ``privacy`` subcommands, parsed and run in-process on a temp data dir."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import docx
import pytest

from assistant.features.accounts.users import ScryptParams, UserStore
from assistant.interfaces.cli.actor import add_options
from assistant.interfaces.cli.main import EXIT_USER_ERROR, main
from assistant.interfaces.cli.privacy import HANDLERS, add_parsers
from assistant.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "privacy"
WEBSHOP = FIXTURES / "webshop-zonnig.yaml"


def run(settings: Settings, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="avg-assistent")
    commands = parser.add_subparsers(dest="command", required=True)
    add_parsers(commands)
    add_options(parser)
    args = parser.parse_args(argv)
    return HANDLERS[args.command](settings, args)


PASSWORD = "correct paard batterij niet"


def run_as(settings: Settings, who: str, monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    """Run as the account ``who`` (``--als``), its password on standard input."""
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    return run(settings, *argv, "--als", who, "--wachtwoord-stdin")


def make_accounts(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    users = UserStore(settings.data_dir / "users.sqlite3", kdf=ScryptParams(log2_n=10, r=8, p=1))
    users.add("anna", "consultant", PASSWORD, clients=["Webshop Zonnig"])
    users.add("bram", "consultant", PASSWORD, clients=["Webshop Zonnig"])


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def test_register_import_show_export(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(settings, "register", "import", str(WEBSHOP)) == 0
    assert "Register van 'Webshop Zonnig' ingelezen: 3 verwerkingen." in capsys.readouterr().out
    assert run(settings, "register", "show", "--client", "Webshop Zonnig") == 0
    shown = capsys.readouterr().out
    assert "Webshop Zonnig B.V." in shown and "- Klantenservice: grondslag f, bewaren: 2 jaar" in shown
    assert run(settings, "register", "show", "--client", "Webshop Zonnig", "--json") == 0
    assert json.loads(capsys.readouterr().out)["organisatie"]["fg"]["naam"] == "Fenna Groen"
    target = tmp_path / "uit.xlsx"
    assert run(settings, "register", "export", str(target), "--client", "Webshop Zonnig") == 0
    assert target.exists()
    csv_file = tmp_path / "verwerkingen.csv"
    run(settings, "register", "export", str(csv_file), "--client", "Webshop Zonnig")
    assert run(settings, "register", "import", str(csv_file), "--client", "Webshop Zonnig") == 0


def test_register_export_to_a_missing_folder(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the real entry point: a folder that does not exist yet is created; one that cannot be
    made is a Dutch reason with a non-zero exit, not "Er ging iets mis"."""
    monkeypatch.setenv("AVG_DATA_DIR", str(settings.data_dir))
    assert main(["register", "import", str(WEBSHOP)]) == 0
    target = tmp_path / "nog" / "niet" / "er" / "register.yaml"
    assert main(["register", "export", str(target), "--client", "Webshop Zonnig"]) == 0
    assert "Webshop Zonnig B.V." in target.read_text(encoding="utf-8")
    capsys.readouterr()
    blocker = tmp_path / "een-bestand"
    blocker.write_text("geen map", encoding="utf-8")
    code = main(["register", "export", str(blocker / "sub" / "register.yaml"), "--client", "Webshop Zonnig"])
    err = capsys.readouterr().err
    assert code == EXIT_USER_ERROR and "kan niet worden weggeschreven" in err
    assert "Er ging iets mis" not in err


def test_privacy_draft_review_export_and_check(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_accounts(settings)
    run_as(settings, "anna", monkeypatch, "register", "import", str(WEBSHOP), "--client", "Webshop Zonnig")
    assert run_as(settings, "anna", monkeypatch, "privacy", "draft", "--client", "Webshop Zonnig") == 0
    assert "Concept 1, versie 1 (concept): Privacyverklaring Webshop Zonnig B.V." in capsys.readouterr().out
    assert run(settings, "privacy", "check", "--draft", "1", "--no-semantic") == 0
    assert "✅" in capsys.readouterr().out
    run_as(settings, "bram", monkeypatch, "privacy", "comment", "1", "Prima zo.", "--section", "klacht")
    run_as(settings, "anna", monkeypatch, "privacy", "submit", "1")
    assert run_as(settings, "bram", monkeypatch, "privacy", "approve", "1") == 0
    assert "Concept 1 is nu goedgekeurd." in capsys.readouterr().out
    out = tmp_path / "verklaring.docx"
    assert run(settings, "privacy", "export", "1", str(out)) == 0
    assert docx.Document(str(out)).paragraphs[0].text == "Privacyverklaring Webshop Zonnig B.V."
    capsys.readouterr()
    run(settings, "privacy", "list")
    assert "[1] Webshop Zonnig: Privacyverklaring Webshop Zonnig B.V. — versie 1, goedgekeurd" in (
        capsys.readouterr().out
    )
    run(settings, "privacy", "audit", "--draft", "1")
    audit = capsys.readouterr().out
    assert "bram  Webshop Zonnig  goedgekeurd  concept 1" in audit
    # An uploaded statement with missing elements exits 1 and reports them.
    html = FIXTURES / "privacyverklaring-fietsenmaker.html"
    assert run(settings, "privacy", "check", "--file", str(html), "--no-semantic", "--json") == 1
    report = json.loads(capsys.readouterr().out)
    statuses = {e["key"]: e["status"] for e in report["elementen"]}
    assert statuses["klacht"] == "ontbreekt" and statuses["identiteit"] == "aanwezig"


def test_diff_and_show_mark_verouderd(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(settings, "register", "import", str(WEBSHOP))
    run(settings, "privacy", "draft", "--client", "Webshop Zonnig")
    run(settings, "privacy", "submit", "1")
    run(settings, "privacy", "approve", "1")
    changed = tmp_path / "gewijzigd.yaml"
    changed.write_text(
        WEBSHOP.read_text(encoding="utf-8").replace("2 jaar na", "3 jaar na"), encoding="utf-8"
    )
    run(settings, "register", "import", str(changed))
    capsys.readouterr()
    run(settings, "privacy", "show", "1")
    shown = capsys.readouterr().out
    assert shown.startswith("Verouderd sinds goedkeuring:")
    assert "'2 jaar na het laatste contact' → '3 jaar na het laatste contact'" in shown
    run(settings, "privacy", "regenerate", "1")
    capsys.readouterr()
    run(settings, "privacy", "diff", "1", "1", "2")
    diff = capsys.readouterr().out
    assert "## Hoe lang bewaren wij uw gegevens? (gewijzigd)" in diff
    assert "+- **Klantenservice**: 3 jaar na het laatste contact." in diff


def test_domain_errors_reach_the_cli_edge(settings: Settings) -> None:
    from assistant.features.privacy.errors import RegisterError, ReviewError

    with pytest.raises(RegisterError, match="nog geen verwerkingsregister"):
        run(settings, "register", "show", "--client", "Niemand")
    with pytest.raises(ReviewError, match="Concept 5 bestaat niet"):
        run(settings, "privacy", "submit", "5")
