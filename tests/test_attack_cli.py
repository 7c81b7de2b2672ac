"""Attack suite, command line: the actor rule, the central audit log, unknown clients, file modes.

Runs the real ``avg-assistent`` CLI in a subprocess on a temporary data folder.
"""

from __future__ import annotations

import getpass
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import server_env

from assistant.features.accounts.users import USERS_FILE, ScryptParams, UserStore
from assistant.features.audit.log import AUDIT_FILE, AuditFilter, AuditLog

FIXTURES = Path(__file__).parent / "fixtures" / "privacy"
WEBSHOP = FIXTURES / "webshop-zonnig.yaml"
PASSWORD = "correct paard batterij niet"


def cli(data: Path, *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant.interfaces.cli.main", *argv],
        env=server_env(data),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
    )


def snapshot(data: Path) -> dict[str, object]:
    """Every file of the data folder with its size, and every table of its SQLite files."""
    state: dict[str, object] = {}
    for path in sorted(data.rglob("*")):
        if path.is_file() and not path.name.endswith(("-wal", "-shm", ".lock")):
            state[str(path.relative_to(data))] = "file"
            if path.suffix == ".sqlite3":
                with sqlite3.connect(path) as conn:
                    state[f"{path.name}:tables"] = sorted(
                        r[0] for r in conn.execute("SELECT name FROM sqlite_master")
                    )
    return state


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    UserStore(folder / USERS_FILE, kdf=ScryptParams(log2_n=10, r=8, p=1)).add(
        "anna", "consultant", PASSWORD, clients=["Webshop Zonnig"]
    )
    return folder


def test_ask_for_an_unknown_client_fails_in_dutch_and_creates_nothing(data: Path) -> None:
    warm = cli(data, "ask", "Wat is een datalek?")
    assert warm.returncode == 0, warm.stderr
    before = snapshot(data)
    result = cli(data, "ask", "Wat is een datalek?", "--client", "Bestaat Niet BV")
    assert result.returncode != 0 and "Klant 'Bestaat Niet BV' bestaat niet" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert snapshot(data) == before, "no tables, collections or files for the unknown client"


def test_the_privacy_cli_logs_the_verified_actor_centrally_and_takes_no_free_name(data: Path) -> None:
    free = cli(data, "register", "import", str(WEBSHOP), "--door", "iemand-anders")
    assert free.returncode != 0, "there is no option to name any actor"
    assert cli(data, "register", "import", str(WEBSHOP)).returncode == 0
    wrong = cli(
        data, "register", "import", str(WEBSHOP), "--als", "anna", "--wachtwoord-stdin", stdin="fout\n"
    )
    assert wrong.returncode != 0
    ok = cli(
        data,
        "register",
        "import",
        str(WEBSHOP),
        "--client",
        "Webshop Zonnig",
        "--als",
        "anna",
        "--wachtwoord-stdin",
        stdin=PASSWORD + "\n",
    )
    assert ok.returncode == 0, ok.stderr

    events = AuditLog(data / AUDIT_FILE).events(AuditFilter())
    changes = [e for e in events if e.scope == "klant:Webshop Zonnig" and e.event == "register_gewijzigd"]
    actors = {e.user for e in changes}
    assert actors == {f"cli:{getpass.getuser()}", "anna"}, actors
    assert "iemand-anders" not in {e.user for e in events}
    assert any(e.user == "anna" and e.event == "inloggen_mislukt" for e in events)


def test_files_the_cli_creates_are_private(data: Path) -> None:
    assert cli(data, "register", "import", str(WEBSHOP)).returncode == 0
    target = data.parent / "register.xlsx"
    assert cli(data, "register", "export", str(target), "--client", "Webshop Zonnig").returncode == 0
    for path in [*data.rglob("*"), target]:
        if path.is_file() and path.name != USERS_FILE:  # users.sqlite3 was made by this test
            assert not stat.S_IMODE(path.stat().st_mode) & 0o077, path
