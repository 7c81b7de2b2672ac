"""The docs, clients, sync and sources subcommands (in-process via ``main``; one real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import free_port

from assistant.features.audit.log import AUDIT_FILE, AuditLog
from assistant.interfaces.cli.main import main


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # noqa: ANN201
    monkeypatch.setenv("AVG_DATA_DIR", str(tmp_path / "data"))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_clients_sync_and_docs_commands(cli, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "aanlevering"
    folder.mkdir()
    policy = folder / "bewaarbeleid.md"
    policy.write_text(
        "# Bewaarbeleid\n\n## Klanten\n\nKlantgegevens bewaren wij zeven jaar. Mail: jan@voorbeeld.nl.\n",
        encoding="utf-8",
    )
    (folder / "camera.md").write_text("# Camera\n\nBeelden bewaren wij vier weken.\n", encoding="utf-8")

    assert cli("clients", "add", "Webshop Noord")[0] == 0
    code, out, _ = cli("sync", str(folder), "--scope", "klant:Webshop Noord", "--owner", "Piet")
    assert code == 0 and "Nieuw: 2" in out and "e-mailadressen: 1" in out

    code, out, _ = cli("docs", "list", "--scope", "klant:Webshop Noord", "--json")
    listed = {d["title"]: d for d in json.loads(out)}
    doc = listed["Bewaarbeleid"]
    assert (doc["kind"], doc["owner"], doc["version"], doc["pii"]["email"]) == (
        "procesdocument",
        "Piet",
        1,
        1,
    )

    policy.write_text(policy.read_text(encoding="utf-8").replace("zeven", "twee"), encoding="utf-8")
    (folder / "camera.md").unlink()
    code, out, _ = cli("sync", str(folder), "--scope", "klant:Webshop Noord")
    assert "nieuwe versie: 1" in out and "ingetrokken: Camera" in out

    code, out, _ = cli("docs", "history", doc["id"][:8])
    assert out.splitlines()[0].startswith("v2  actueel") and out.splitlines()[1].startswith("v1  vervangen")
    code, out, _ = cli("docs", "show", doc["id"], "--version", "1")
    assert "zeven jaar" in out and "[e-mail]" in out and "Eigenaar:       Piet" in out
    code, out, _ = cli("docs", "set", doc["id"], "--geldig-vanaf", "01-01-2025")
    assert code == 0 and "2025-01-01" in out
    code, out, _ = cli("docs", "list", "--alle")
    assert "[ingetrokken]" in out and "geldig vanaf 2025-01-01" in out

    code, _, err = cli("docs", "remove", doc["id"])
    assert code == 2 and "Bevestig met --ja" in err
    code, out, _ = cli("docs", "remove", doc["id"], "--ja")
    assert code == 0 and "Gewist: Bewaarbeleid" in out
    code, _, err = cli("docs", "show", doc["id"])
    assert code == 2 and "bestaat niet" in err

    guide = tmp_path / "richtlijn.md"
    guide.write_text("# Richtlijn bewaren\n\nFacturen bewaren wij zeven jaar.\n", encoding="utf-8")
    code, out, _ = cli(
        "docs", "add", str(guide), "--kind", "richtlijn", "--owner", "Anna", "--title", "Bewaren"
    )
    assert code == 0 and "nieuw 1" in out
    (added,) = json.loads(cli("docs", "list", "--kind", "richtlijn", "--json")[1])
    assert (added["title"], added["owner"], added["scope"]) == ("Bewaren", "Anna", "algemeen")
    guide.write_text("# Richtlijn bewaren\n\nFacturen bewaren wij tien jaar.\n", encoding="utf-8")
    assert "versie 2" in cli("docs", "replace", added["id"], str(guide))[1]
    assert "Ingetrokken: Bewaren" in cli("docs", "retire", added["id"])[1]

    code, out, err = cli("docs", "reindex")
    assert code == 0 and "Opnieuw geïndexeerd: 0 document(en)" in out
    assert "Documenten" in err  # the progress bar

    assert "Webshop Noord-Oost" in cli("clients", "rename", "Webshop Noord", "Webshop Noord-Oost")[1]
    assert cli("clients", "archive", "Webshop Noord-Oost")[0] == 0
    assert cli("clients", "list")[1].strip() == "Geen klanten."
    assert "gearchiveerd" in cli("clients", "list", "--alle")[1]
    code, _, err = cli("sync", str(folder), "--scope", "klant:Webshop Noord-Oost")
    assert code == 2 and "gearchiveerd" in err
    code, out, _ = cli("clients", "delete", "Webshop Noord-Oost", "--ja")
    assert code == 0 and "gewist (1 document(en))" in out

    events = AuditLog(tmp_path / "data" / AUDIT_FILE).events()
    actions = {(e.event, e.details.get("action")) for e in events}
    assert {
        ("document_gewijzigd", "gewist"),
        ("klant_gewijzigd", "hernoemd"),
        ("klant_gewijzigd", "gewist"),
    } <= actions
    assert all(
        e.user.startswith("cli") for e in events if e.event in ("document_gewijzigd", "klant_gewijzigd")
    )


def test_sources_update_offline_is_a_dutch_error(cli) -> None:  # noqa: ANN001
    code, _, err = cli("sources", "update", "--url", f"http://127.0.0.1:{free_port()}/avg", "--timeout", "5")
    assert code == 2
    assert "Geen verbinding met EUR-Lex" in err and "--from BESTAND" in err and "Traceback" not in err
    code, out, _ = cli("sources", "list")
    assert code == 0 and "Nog geen officiële bronnen" in out


def test_console_script_knows_the_new_commands(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "AVG_DATA_DIR": str(tmp_path / "data"),
        "AVG_CONFIG_FILE": str(tmp_path / "geen.toml"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "assistant.interfaces.cli.main", "clients", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
