"""Accounts: password hashing, lock-out with Dutch messages, changes, the users CLI."""

from __future__ import annotations

import argparse
import io
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.features.accounts.users import (
    BAD_LOGIN,
    DEFAULT_KDF,
    AccountError,
    Role,
    ScryptParams,
    UserStore,
    hash_parameters,
    hash_password,
    verify_password,
)
from assistant.features.audit.log import AuditFilter, AuditLog, EventType
from assistant.features.audit.visibility import HIDDEN
from assistant.interfaces.cli import users as users_cli
from assistant.interfaces.cli.actor import add_options
from assistant.settings import Settings

FAST = ScryptParams(log2_n=10, r=8, p=1)
PASSWORD = "correct paard batterij niet"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def audit(tmp_path: Path, clock: Clock) -> AuditLog:
    return AuditLog(tmp_path / "audit.sqlite3", clock=clock)


@pytest.fixture
def store(tmp_path: Path, audit: AuditLog, clock: Clock) -> UserStore:
    return UserStore(tmp_path / "users.sqlite3", audit=audit, kdf=FAST, clock=clock)


def test_hash_uses_default_scrypt_parameters_and_a_fresh_salt():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD, FAST)
    assert first.startswith("scrypt$15$8$3$")
    assert hash_parameters(first) == (DEFAULT_KDF.log2_n, DEFAULT_KDF.r, DEFAULT_KDF.p)
    assert verify_password(PASSWORD, first)
    assert not verify_password(PASSWORD + "x", first)
    assert first.split("$")[4] != second.split("$")[4]
    assert not verify_password(PASSWORD, "geen-hash")
    assert not verify_password(PASSWORD, "md5$1$2$3$AAAA$BBBB")


def test_no_plaintext_is_stored_and_every_user_gets_a_salt(store: UserStore, tmp_path: Path):
    store.add("anna", "medewerker", PASSWORD)
    store.add("bram", "consultant", PASSWORD)
    raw = (tmp_path / "users.sqlite3").read_bytes()
    assert PASSWORD.encode() not in raw
    with sqlite3.connect(tmp_path / "users.sqlite3") as conn:
        hashes = [r[0] for r in conn.execute("SELECT password_hash FROM users")]
    assert len(set(hashes)) == 2
    assert len({h.split("$")[4] for h in hashes}) == 2
    assert all(PASSWORD not in h for h in hashes)


def test_user_store_file_is_private(tmp_path: Path):
    UserStore(tmp_path / "u.sqlite3", kdf=FAST)
    assert (tmp_path / "u.sqlite3").stat().st_mode & 0o077 == 0


def test_login_and_authenticate(store: UserStore, audit: AuditLog):
    store.add("Anna", "medewerker", PASSWORD, display_name="Anna de Vries", clients=["klant:Webshop Noord"])
    assert store.authenticate("anna", PASSWORD)
    assert store.authenticate("  ANNA ", PASSWORD)
    result = store.login("anna", "fout wachtwoord!!")
    assert not result.ok and result.message == BAD_LOGIN
    unknown = store.login("niemand", PASSWORD)
    assert not unknown.ok and unknown.message == BAD_LOGIN  # same message: no user enumeration
    assert not store.authenticate("'; DROP TABLE users; --", PASSWORD)
    assert not store.authenticate("anna", "x" * 5000)
    user = store.require_user("anna")
    assert user.clients == frozenset({"Webshop Noord"}) and user.label == "Anna de Vries"
    kinds = [e.event for e in audit.events()]
    assert kinds.count(EventType.LOGIN_SUCCEEDED) == 2
    assert kinds.count(EventType.LOGIN_FAILED) == 4


def test_lockout_after_five_failures_with_dutch_message(store: UserStore, audit: AuditLog, clock: Clock):
    store.add("anna", "medewerker", PASSWORD)
    for _ in range(4):
        assert store.login("anna", "verkeerd wachtwoord").message == BAD_LOGIN
    fifth = store.login("anna", "verkeerd wachtwoord")
    assert not fifth.ok
    assert fifth.message == (
        "Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. "
        "Probeer het over 15 minuten opnieuw."
    )
    # while locked even the right password is refused
    clock.now += timedelta(minutes=14)
    locked = store.login("anna", PASSWORD)
    assert not locked.ok and "over 1 minuut opnieuw" in locked.message
    assert audit.events(AuditFilter(events=(EventType.ACCOUNT_LOCKED,)))
    # after the lock-out the right password works and resets the count
    clock.now += timedelta(minutes=2)
    assert store.login("anna", PASSWORD).ok
    assert store.require_user("anna").failed_attempts == 0
    # after an expired lock one failure does not lock again at once
    for _ in range(5):
        store.login("anna", "verkeerd wachtwoord")
    clock.now += timedelta(minutes=16)
    assert store.login("anna", "verkeerd wachtwoord").message == BAD_LOGIN
    assert store.login("anna", PASSWORD).ok


def test_unlock_and_new_password_lift_the_lock(store: UserStore):
    store.add("anna", "medewerker", PASSWORD)
    for _ in range(5):
        store.login("anna", "verkeerd wachtwoord")
    assert not store.authenticate("anna", PASSWORD)
    store.unlock("anna", actor="beheer")
    assert store.authenticate("anna", PASSWORD)
    for _ in range(5):
        store.login("anna", "verkeerd wachtwoord")
    store.set_password("anna", "een heel nieuw wachtwoord")
    assert store.authenticate("anna", "een heel nieuw wachtwoord")
    assert not store.authenticate("anna", PASSWORD)


def test_weaker_hash_is_upgraded_at_login(tmp_path: Path):
    weak = UserStore(tmp_path / "u.sqlite3", kdf=ScryptParams(log2_n=8, r=8, p=1))
    weak.add("anna", "medewerker", PASSWORD)
    stronger = UserStore(tmp_path / "u.sqlite3", kdf=FAST)
    assert stronger.authenticate("anna", PASSWORD)
    with sqlite3.connect(tmp_path / "u.sqlite3") as conn:
        stored = conn.execute("SELECT password_hash FROM users").fetchone()[0]
    assert hash_parameters(stored) == (10, 8, 1)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.add("anna", "medewerker", "kort"), "minstens 12 tekens"),
        (lambda s: s.add("anna", "koning", PASSWORD), "Onbekende rol 'koning'"),
        (lambda s: s.add("anna", "lokaal", PASSWORD), "Onbekende rol 'lokaal'"),
        (lambda s: s.add("an na", "medewerker", PASSWORD), "Ongeldige gebruikersnaam"),
        (lambda s: s.add("anna", "medewerker", PASSWORD, clients=["klant:*"]), "Ongeldige klantnaam"),
        (lambda s: s.set_role("niemand", "beheerder"), "bestaat niet"),
    ],
)
def test_invalid_changes_raise_dutch_account_errors(store: UserStore, call, message):
    with pytest.raises(AccountError, match=message):
        call(store)


def test_changes_are_audited(store: UserStore, audit: AuditLog):
    store.add("anna", "medewerker", PASSWORD, actor="beheer")
    with pytest.raises(AccountError, match="bestaat al"):
        store.add("ANNA", "medewerker", PASSWORD)
    store.set_role("anna", "consultant", actor="beheer")
    store.assign("anna", "Webshop Noord", actor="beheer")
    store.assign("anna", "klant:Bakkerij Zuid", actor="beheer")
    store.unassign("anna", "Webshop Noord", actor="beheer")
    user = store.require_user("anna")
    assert user.role is Role.CONSULTANT and user.clients == frozenset({"Bakkerij Zuid"})
    assert store.users_of_client("Bakkerij Zuid") == ["anna"]
    store.remove("anna", actor="beheer")
    assert store.get("anna") is None and store.count() == 0
    changes = audit.events(AuditFilter(events=(EventType.USER_CHANGED,)))
    assert [e.details["action"] for e in changes] == [
        "aangemaakt",
        "rol gewijzigd",
        "klant toegewezen",
        "klant toegewezen",
        "klant ingetrokken",
        "verwijderd",
    ]
    assert {e.user for e in changes} == {"beheer"}
    assert all(PASSWORD not in str(e.details) for e in audit.events())


# --- CLI -------------------------------------------------------------------------------------


def run_cli(data_dir: Path, *argv: str, stdin: str = "", monkeypatch: pytest.MonkeyPatch) -> int:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    users_cli.add_parsers(commands)
    add_options(parser)  # --als and --wachtwoord-stdin, as the real CLI adds them
    args = parser.parse_args(argv)
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return users_cli.HANDLERS[args.command](Settings(data_dir=data_dir), args)


def test_users_cli_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    monkeypatch.setattr(users_cli, "UserStore", lambda path, audit: UserStore(path, audit=audit, kdf=FAST))
    data = tmp_path / "data"
    args = ("users", "add", "anna", "--rol", "medewerker", "--naam", "Anna", "--klant", "Webshop Noord")
    assert run_cli(data, *args, "--wachtwoord-stdin", stdin=PASSWORD + "\n", monkeypatch=monkeypatch) == 0
    assert run_cli(data, "users", "set-role", "anna", "consultant", monkeypatch=monkeypatch) == 0
    assert run_cli(data, "users", "assign", "anna", "Bakkerij Zuid", monkeypatch=monkeypatch) == 0
    assert run_cli(data, "users", "list", monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert "Gebruiker 'anna' aangemaakt met rol medewerker." in out
    assert "anna (Anna)  rol: consultant  klanten: Bakkerij Zuid, Webshop Noord" in out
    store = UserStore(data / "users.sqlite3", kdf=FAST)
    assert store.authenticate("anna", PASSWORD)
    with pytest.raises(AccountError, match="Geen terminal"):
        run_cli(data, "users", "password", "anna", monkeypatch=monkeypatch)
    assert run_cli(data, "users", "remove", "anna", monkeypatch=monkeypatch) == 0
    assert store.get("anna") is None
    audit = AuditLog(data / "audit.sqlite3")
    actors = {e.user for e in audit.events(AuditFilter(events=(EventType.USER_CHANGED,)))}
    assert len(actors) == 1 and actors.pop().startswith("cli")


def test_audit_export_and_purge_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    data = tmp_path / "data"
    audit = AuditLog(data / "audit.sqlite3", clock=lambda: datetime(2020, 1, 1, 12, tzinfo=UTC))
    audit.record("anna", EventType.QUESTION, scope="algemeen", sources=[])
    audit.record("anna", EventType.LOGIN_SUCCEEDED)
    AuditLog(data / "audit.sqlite3").record("bram", EventType.QUESTION, scope="algemeen")
    out = tmp_path / "export.csv"
    export = ("audit", "export", "--van", "2019-12-31", "--tot", "2020-01-01", "--out", str(out))
    assert run_cli(data, *export, monkeypatch=monkeypatch) == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "id,tijdstip,gebruiker,gebeurtenis,scope,details" and len(lines) == 3
    assert run_cli(data, "purge", monkeypatch=monkeypatch) == 0
    printed = capsys.readouterr().out
    assert "vragen in het auditlog: 1 verwijderd" in printed
    assert "overige auditregels: 1 verwijderd" in printed
    remaining = AuditLog(data / "audit.sqlite3").events()
    assert [e.user for e in remaining if e.event == EventType.QUESTION] == ["bram"]
    assert any(e.event == EventType.EXPORT for e in remaining)


def test_parallel_wrong_attempts_cannot_slip_past_the_limit(store: UserStore):
    from concurrent.futures import ThreadPoolExecutor

    store.add("anna", "medewerker", PASSWORD)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: store.login("anna", "verkeerd wachtwoord"), range(12)))
    assert sum("geblokkeerd" in r.message for r in results) == 12 - 4  # the 5th locks, later ones are refused
    assert not store.authenticate("anna", PASSWORD)


def test_async_authenticate_for_gradio(store: UserStore):
    import asyncio
    import inspect

    store.add("anna", "medewerker", PASSWORD)
    assert inspect.iscoroutinefunction(store.authenticate_async)  # gradio awaits it instead of blocking
    assert asyncio.run(store.authenticate_async("anna", PASSWORD))
    assert not asyncio.run(store.authenticate_async("anna", "verkeerd wachtwoord"))


# --- the rules every entry point gets ----------------------------------------------------------


def test_last_beheerder_is_kept_and_nobody_removes_their_own_account(store: UserStore, audit: AuditLog):
    store.add("bea", "beheerder", PASSWORD, actor="systeem")
    store.add("anna", "medewerker", PASSWORD, actor="bea")
    with pytest.raises(AccountError, match="'bea' is de laatste beheerder"):
        store.set_role("bea", "consultant", actor="bea")
    with pytest.raises(AccountError, match="'bea' is de laatste beheerder"):
        store.remove("bea", actor="cli:root")
    with pytest.raises(AccountError, match="eigen account"):
        store.remove("bea", actor="bea")
    assert store.require_user("bea").role is Role.BEHEERDER
    store.set_role("anna", "beheerder", actor="bea")  # a second beheerder: now bea may go
    store.set_role("bea", "consultant", actor="anna")
    store.remove("bea", actor="anna")
    assert [u.username for u in store.list()] == ["anna"]
    actions = [e.details["action"] for e in audit.events(AuditFilter(events=(EventType.USER_CHANGED,)))]
    assert actions.count("verwijderd") == 1 and actions.count("rol gewijzigd") == 2  # refusals change nothing


def test_cli_keeps_the_last_beheerder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(users_cli, "UserStore", lambda path, audit: UserStore(path, audit=audit, kdf=FAST))
    data = tmp_path / "data"
    add = ("users", "add", "bea", "--rol", "beheerder", "--wachtwoord-stdin")
    assert run_cli(data, *add, stdin=PASSWORD + "\n", monkeypatch=monkeypatch) == 0
    with pytest.raises(AccountError, match="laatste beheerder"):
        run_cli(data, "users", "set-role", "bea", "medewerker", monkeypatch=monkeypatch)
    with pytest.raises(AccountError, match="laatste beheerder"):
        run_cli(data, "users", "remove", "bea", monkeypatch=monkeypatch)
    assert UserStore(data / "users.sqlite3", kdf=FAST).require_user("bea").role is Role.BEHEERDER


def test_audit_export_cli_filters_by_client_and_hides_other_clients_labels_as_the_web_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(users_cli, "UserStore", lambda path, audit: UserStore(path, audit=audit, kdf=FAST))
    data = tmp_path / "data"
    UserStore(data / "users.sqlite3", kdf=FAST).add("bart", "beheerder", PASSWORD, clients=["Webshop Noord"])
    UserStore(data / "users.sqlite3", kdf=FAST).add("bea", "beheerder", PASSWORD)
    audit = AuditLog(data / "audit.sqlite3")
    for client, title in (
        ("Webshop Noord", "Bewaarbeleid Webshop"),
        ("Bakkerij Zuid", "Geheim receptenbeleid"),
    ):
        source = {"citation": f"{title}, Bewaren", "scope": f"klant:{client}"}
        audit.record("anna", EventType.QUESTION, scope=f"klant:{client}", sources=[source])
    out = tmp_path / "export.csv"

    def export(*extra: str, stdin: str = "") -> str:
        argv = ("audit", "export", "--out", str(out), *extra)
        assert run_cli(data, *argv, stdin=stdin, monkeypatch=monkeypatch) == 0
        return out.read_text(encoding="utf-8-sig")

    everything = export()  # the operator: every row and label
    assert "Bewaarbeleid Webshop" in everything and "Geheim receptenbeleid" in everything
    one_client = export("--klant", "Bakkerij Zuid")
    assert "Geheim receptenbeleid" in one_client and "Webshop" not in one_client
    as_bea = export("--als", "bea", "--wachtwoord-stdin", stdin=PASSWORD + "\n")
    assert "Geheim receptenbeleid" not in as_bea and "Bewaarbeleid Webshop" not in as_bea  # no clients
    assert as_bea.count(HIDDEN) == 2  # the rows stay, their labels are hidden
    as_bart = export("--als", "bart", "--klant", "Webshop Noord", "--wachtwoord-stdin", stdin=PASSWORD + "\n")
    assert "Bewaarbeleid Webshop" in as_bart and "Bakkerij Zuid" not in as_bart
    as_bart = export("--als", "bart", "--wachtwoord-stdin", stdin=PASSWORD + "\n")
    assert "Bewaarbeleid Webshop" in as_bart and "Geheim receptenbeleid" not in as_bart
    exports = AuditLog(data / "audit.sqlite3").events(AuditFilter(events=(EventType.EXPORT,)))
    assert [e.scope for e in exports] == ["", "klant:Bakkerij Zuid", "", "klant:Webshop Noord", ""]
    assert [e.user for e in exports][2:] == ["bea", "bart", "bart"]
