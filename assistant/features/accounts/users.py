"""User accounts: who may log in, with which role, for which clients.

Accounts live in their own SQLite file (``AVG_DATA_DIR/users.sqlite3``, created with mode
0600), apart from the knowledge base and the audit log. A password is stored only as an
scrypt hash in the form ``scrypt$<log2 n>$<r>$<p>$<salt>$<hash>``: a random salt per
password and the cost parameters travel with the hash, so stronger parameters apply to
new passwords and to old ones at their next successful login. Hashes are compared in
constant time, and an unknown user name costs the same hash computation as a known one.

After :data:`MAX_FAILURES` failed logins in a row an account is locked for
:data:`LOCKOUT`. A user name that does not exist is locked the same way (its failures
are counted in ``login_failures``), and every attempt — unknown, locked, wrong or right —
costs one password hash, so neither the answer nor its time tells whether a name exists.
A successful login resets the count. Each connection is short-lived, so gradio's worker
threads can share a store; a login runs in one write transaction (the counters of the
account, the name and the address included), so parallel attempts cannot slip past a limit.

Per address (:class:`AddressLimit`): after ``max_failures`` failed logins from one address
within ``window_s``, that address's failed attempts are answered "te veel pogingen" and an
account that already failed from that address in the window is refused without a check.
A correct login of an account that has not failed from that address still succeeds (a
colleague behind the same address is not locked out); guessing across many accounts from
such an address gets one try per account per window, and each account's own lock-out
bounds it anyway.

Every account has a ``session_epoch``: a new password, a new role or removal raises it, and
the web UI ends sessions started under an older epoch.
"""

from __future__ import annotations

import asyncio
import base64
import builtins
import hashlib
import hmac
import re
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.features.accounts.passwords import MAX_PASSWORD_CHARS, password_problem
from ingestion.errors import AvgError, ScopeError
from knowledge.database import create_store, scrub_store, short_transaction
from knowledge.migrations import Migrations, script
from knowledge.scopes import CLIENT_PREFIX, client_scope

if TYPE_CHECKING:
    from assistant.features.audit.log import AuditLog

USERS_FILE = "users.sqlite3"
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
SYSTEM_ACTOR = "systeem"

BAD_LOGIN = "Onbekende gebruikersnaam of onjuist wachtwoord."
LOCKED = (
    "Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. "
    "Probeer het over {minutes} {unit} opnieuw."
)
REASON_UNKNOWN = "onbekende gebruiker"
REASON_WRONG = "onjuist wachtwoord"
REASON_LOCKED = "account geblokkeerd"
REASON_LOCKED_NOW = "onjuist wachtwoord; account nu geblokkeerd"
REASON_THROTTLED = "te veel mislukte pogingen vanaf dit adres"
TOO_MANY_FROM_ADDRESS = (
    "Te veel mislukte inlogpogingen vanaf dit adres. Probeer het over een kwartier opnieuw."
)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS assignments (
    username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    client TEXT NOT NULL,
    PRIMARY KEY (username, client)
);
"""
LOGIN_FAILURES = """
CREATE TABLE IF NOT EXISTS login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    address TEXT NOT NULL,
    username TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_by_address ON login_failures (address, at);
CREATE INDEX IF NOT EXISTS login_failures_by_username ON login_failures (username, at);
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
"""
MIGRATIONS = Migrations(
    "accounts", [script("base_schema", SCHEMA), script("login_failures_session_epoch", LOGIN_FAILURES)]
)


@dataclass(frozen=True)
class AddressLimit:
    """How many failed logins one address may have within ``window_s`` seconds."""

    max_failures: int = 20
    window_s: float = 900.0


class AccountError(AvgError):
    """An account cannot be created or changed as asked; the message says why, in Dutch."""


OWN_ACCOUNT = "U kunt uw eigen account niet verwijderen."
LAST_BEHEERDER = "'{name}' is de laatste beheerder; maak eerst een andere beheerder aan."


class Role(StrEnum):
    """The roles of an account; :mod:`assistant.features.accounts.access` says what each may do."""

    MEDEWERKER = "medewerker"
    CONSULTANT = "consultant"
    KENNISBEHEERDER = "kennisbeheerder"
    BEHEERDER = "beheerder"
    LOKAAL = "lokaal"  # the single user of a UI started without login; never stored


ACCOUNT_ROLES = (Role.MEDEWERKER, Role.CONSULTANT, Role.KENNISBEHEERDER, Role.BEHEERDER)


@dataclass(frozen=True)
class User:
    """An account as the rest of the application sees it (never with its password hash)."""

    username: str
    role: Role
    display_name: str = ""
    clients: frozenset[str] = field(default_factory=frozenset)
    failed_attempts: int = 0
    locked_until: str = ""
    created_at: str = ""
    session_epoch: int = 0

    @property
    def label(self) -> str:
        """The display name, or the user name when there is none."""
        return self.display_name or self.username


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt with a Dutch message when it failed."""

    ok: bool
    user: User | None = None
    message: str = ""
    throttled: bool = False  # refused because of the address's failures (HTTP 429)


@dataclass(frozen=True)
class ScryptParams:
    """Cost parameters of scrypt; the defaults follow OWASP (n=2^15, r=8, p=3: 32 MiB)."""

    log2_n: int = 15
    r: int = 8
    p: int = 3
    salt_bytes: int = 16
    dklen: int = 32

    def derive(self, password: str, salt: bytes) -> bytes:
        """The scrypt key of ``password`` with ``salt``."""
        n = 1 << self.log2_n
        return hashlib.scrypt(
            password.encode("utf-8"),
            salt=salt,
            n=n,
            r=self.r,
            p=self.p,
            maxmem=256 * self.r * n + (1 << 20),
            dklen=self.dklen,
        )


DEFAULT_KDF = ScryptParams()


def hash_password(password: str, params: ScryptParams = DEFAULT_KDF) -> str:
    """A salted scrypt hash of ``password`` with its parameters, fit for storage."""
    salt = secrets.token_bytes(params.salt_bytes)
    key = params.derive(password, salt)
    return "$".join(["scrypt", str(params.log2_n), str(params.r), str(params.p), _b64(salt), _b64(key)])


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches the stored hash (constant-time comparison)."""
    try:
        scheme, log2_n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key)
        params = ScryptParams(int(log2_n), int(r), int(p), dklen=len(expected))
        actual = params.derive(password, base64.b64decode(salt))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def hash_parameters(stored: str) -> tuple[int, int, int]:
    """The (log2 n, r, p) a stored hash was made with; (0, 0, 0) when unreadable."""
    parts = stored.split("$")
    try:
        return int(parts[1]), int(parts[2]), int(parts[3])
    except (IndexError, ValueError):
        return 0, 0, 0


def normalize_username(username: str) -> str:
    """The canonical (lower-case) user name; raises AccountError when it is not allowed."""
    name = (username or "").strip().lower()
    if not _USERNAME.fullmatch(name):
        raise AccountError(
            f"Ongeldige gebruikersnaam '{username}'. Gebruik kleine letters, cijfers en . _ @ - "
            "(hoogstens 64 tekens, te beginnen met een letter of cijfer)."
        )
    return name


def normalize_client(client: str) -> str:
    """The canonical client name of a name or a ``klant:<naam>`` scope; raises AccountError."""
    name = client.strip()
    if name.startswith(CLIENT_PREFIX):
        name = name[len(CLIENT_PREFIX) :]
    try:
        return client_scope(name)[len(CLIENT_PREFIX) :]
    except ScopeError as exc:
        raise AccountError(f"Ongeldige klantnaam '{client}'.") from exc


def check_password_strength(password: str, username: str = "") -> None:
    """Raise AccountError when the password is too short, too long or easy to guess."""
    problem = password_problem(password, username)
    if problem:
        raise AccountError(problem)


def parse_role(role: str) -> Role:
    """The account role named ``role``; raises AccountError for an unknown one."""
    try:
        parsed = Role(role.strip().lower())
    except ValueError:
        parsed = None
    if parsed not in ACCOUNT_ROLES:
        names = ", ".join(r.value for r in ACCOUNT_ROLES)
        raise AccountError(f"Onbekende rol '{role}'. Kies uit: {names}.")
    return parsed


def utcnow() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class UserStore:
    """Accounts, their client assignments and login attempts in one SQLite file.

    Changes take an ``actor`` (who made the change) and are written to the audit log when
    one is given; permission checks belong to the caller (:func:`assistant.features.accounts.access.require`).
    """

    def __init__(
        self,
        path: Path,
        audit: AuditLog | None = None,
        kdf: ScryptParams = DEFAULT_KDF,
        clock: Callable[[], datetime] = utcnow,
        max_failures: int = MAX_FAILURES,
        lockout: timedelta = LOCKOUT,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self.audit = audit
        self.kdf = kdf
        self.clock = clock
        self.max_failures = max_failures
        self.lockout = lockout
        self.wall_clock = wall_clock
        self._dummy_hash = ""
        create_store(path, MIGRATIONS, private=True)

    # --- reading ---------------------------------------------------------------------------

    def get(self, username: str) -> User | None:
        """The account, or None when it does not exist (or the name is not valid)."""
        try:
            name = normalize_username(username)
        except AccountError:
            return None
        with short_transaction(self.path) as conn:
            return self._user(conn, name)

    def require_user(self, username: str) -> User:
        """The account; raises AccountError when it does not exist."""
        user = self.get(username)
        if user is None:
            raise AccountError(f"Gebruiker '{username}' bestaat niet.")
        return user

    def list(self) -> list[User]:
        """All accounts by user name."""
        with short_transaction(self.path) as conn:
            names = [r["username"] for r in conn.execute("SELECT username FROM users ORDER BY username")]
            return [u for u in (self._user(conn, n) for n in names) if u is not None]

    def count(self) -> int:
        """How many accounts exist."""
        with short_transaction(self.path) as conn:
            return int(conn.execute("SELECT count(*) FROM users").fetchone()[0])

    def users_of_client(self, client: str) -> builtins.list[str]:
        """The user names assigned to a client."""
        name = normalize_client(client)
        with short_transaction(self.path) as conn:
            rows = conn.execute(
                "SELECT username FROM assignments WHERE client = ? ORDER BY username", (name,)
            ).fetchall()
        return [r["username"] for r in rows]

    # --- changing --------------------------------------------------------------------------

    def add(
        self,
        username: str,
        role: str,
        password: str,
        display_name: str = "",
        clients: Iterable[str] = (),
        actor: str = SYSTEM_ACTOR,
    ) -> User:
        """Create an account; raises AccountError when the name is taken or a value is invalid."""
        name, parsed = normalize_username(username), parse_role(role)
        check_password_strength(password, name)
        client_names = sorted({normalize_client(c) for c in clients})
        password_hash = hash_password(password, self.kdf)
        now = _iso(self.clock())
        with short_transaction(self.path, immediate=True) as conn:
            if self._user(conn, name) is not None:
                raise AccountError(f"Gebruiker '{name}' bestaat al.")
            conn.execute(
                "INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (name, display_name.strip(), parsed.value, password_hash, now, now),
            )
            conn.executemany(
                "INSERT INTO assignments (username, client) VALUES (?, ?)", [(name, c) for c in client_names]
            )
            user = self._user(conn, name)
        self._log(actor, "aangemaakt", name, role=parsed.value, clients=client_names)
        assert user is not None
        return user

    def set_role(self, username: str, role: str, actor: str = SYSTEM_ACTOR) -> User:
        """Give an account another role; the last beheerder keeps that role (AccountError)."""
        parsed = parse_role(role)
        name = self.require_user(username).username
        with short_transaction(self.path, immediate=True) as conn:
            if parsed != Role.BEHEERDER:
                self._keep_a_beheerder(conn, name)
            conn.execute(
                "UPDATE users SET role = ?, updated_at = ?, session_epoch = session_epoch + 1"
                " WHERE username = ?",
                (parsed.value, _iso(self.clock()), name),
            )
            user = self._user(conn, name)
        assert user is not None
        self._log(actor, "rol gewijzigd", user.username, role=parsed.value)
        return user

    def set_display_name(self, username: str, display_name: str, actor: str = SYSTEM_ACTOR) -> User:
        """Change the name shown for an account."""
        user = self._update(
            username,
            "UPDATE users SET display_name = ?, updated_at = ? WHERE username = ?",
            display_name.strip(),
        )
        self._log(actor, "naam gewijzigd", user.username)
        return user

    def set_password(self, username: str, password: str, actor: str = SYSTEM_ACTOR) -> User:
        """Set a new password; also lifts a lock-out and ends the account's sessions (new epoch)."""
        check_password_strength(password, (username or "").strip().lower())
        user = self._update(
            username,
            "UPDATE users SET password_hash = ?, failed_attempts = 0, locked_until = '', updated_at = ?,"
            " session_epoch = session_epoch + 1 WHERE username = ?",
            hash_password(password, self.kdf),
        )
        self._log(actor, "wachtwoord gewijzigd", user.username)
        return user

    def unlock(self, username: str, actor: str = SYSTEM_ACTOR) -> User:
        """Lift a lock-out and reset the count of failed logins."""
        name = self.require_user(username).username
        with short_transaction(self.path, immediate=True) as conn:
            conn.execute(
                "UPDATE users SET failed_attempts = 0, locked_until = '', updated_at = ? WHERE username = ?",
                (_iso(self.clock()), name),
            )
            user = self._user(conn, name)
        self._log(actor, "ontgrendeld", name)
        assert user is not None
        return user

    def assign(self, username: str, client: str, actor: str = SYSTEM_ACTOR) -> User:
        """Give an account access to a client (no-op when already assigned)."""
        name, client_name = self.require_user(username).username, normalize_client(client)
        with short_transaction(self.path, immediate=True) as conn:
            conn.execute(
                "INSERT OR IGNORE INTO assignments (username, client) VALUES (?, ?)", (name, client_name)
            )
            user = self._user(conn, name)
        self._log(actor, "klant toegewezen", name, client=client_name)
        assert user is not None
        return user

    def unassign(self, username: str, client: str, actor: str = SYSTEM_ACTOR) -> User:
        """Take a client away from an account (no-op when it was not assigned)."""
        name, client_name = self.require_user(username).username, normalize_client(client)
        with short_transaction(self.path, immediate=True) as conn:
            conn.execute("DELETE FROM assignments WHERE username = ? AND client = ?", (name, client_name))
            user = self._user(conn, name)
        self._log(actor, "klant ingetrokken", name, client=client_name)
        assert user is not None
        return user

    def erase_client(self, client: str) -> int:
        """Take a deleted client away from every account."""
        with short_transaction(self.path, immediate=True) as conn:
            removed = conn.execute(
                "DELETE FROM assignments WHERE client = ?", (normalize_client(client),)
            ).rowcount
        scrub_store(self.path)
        return removed

    def rename_client(self, old: str, new: str) -> None:
        """Accounts assigned to client ``old`` are assigned to ``new``."""
        with short_transaction(self.path, immediate=True) as conn:
            conn.execute(
                "UPDATE assignments SET client = ? WHERE client = ?",
                (normalize_client(new), normalize_client(old)),
            )

    def remove(self, username: str, actor: str = SYSTEM_ACTOR) -> None:
        """Delete an account and its assignments; never the actor's own, never the last beheerder."""
        name = self.require_user(username).username
        if name == actor:
            raise AccountError(OWN_ACCOUNT)
        with short_transaction(self.path, immediate=True) as conn:
            self._keep_a_beheerder(conn, name)
            conn.execute("DELETE FROM users WHERE username = ?", (name,))
        self._log(actor, "verwijderd", name)

    # --- logging in ------------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> bool:
        """Whether the credentials are valid (see :meth:`authenticate_async` for gradio's ``auth=``)."""
        return self.login(username, password).ok

    async def authenticate_async(self, username: str, password: str) -> bool:
        """:meth:`authenticate` in a worker thread, so gradio awaits it without blocking its loop."""
        return await asyncio.to_thread(self.authenticate, username, password)

    def login(
        self, username: str, password: str, address: str = "", limit: AddressLimit | None = None
    ) -> LoginResult:
        """Check the credentials, count failures (account, name, address) and lock after too many.

        ``address`` is the client's address; with ``limit`` its failures are limited as the
        module docstring says. Every outcome costs one password hash.
        """
        try:
            name = normalize_username(username)
        except AccountError:
            name = ""
        password = password or ""
        if not name or len(password) > MAX_PASSWORD_CHARS:
            name = name or "(ongeldig)"
            password = password[:MAX_PASSWORD_CHARS]
        limit = limit or AddressLimit()
        with short_transaction(self.path, immediate=True) as conn:
            result, reason = self._attempt(conn, name, password, address, limit)
        self._log_login(result.ok, name, reason)
        return result

    def _attempt(
        self, conn: sqlite3.Connection, name: str, password: str, address: str, limit: AddressLimit
    ) -> tuple[LoginResult, str]:
        """One login inside the write transaction: address limit, then the account or the name."""
        now, wall = self.clock(), self.wall_clock()
        keep = max(limit.window_s, self.lockout.total_seconds())
        conn.execute("DELETE FROM login_failures WHERE at < ?", (wall - keep,))
        since = wall - limit.window_s
        from_address = int(
            conn.execute(
                "SELECT count(*) FROM login_failures WHERE address = ? AND at >= ?", (address, since)
            ).fetchone()[0]
        )
        throttled = bool(address) and from_address >= limit.max_failures
        if throttled:
            tried_here = conn.execute(
                "SELECT 1 FROM login_failures WHERE address = ? AND username = ? AND at >= ? LIMIT 1",
                (address, name, since),
            ).fetchone()
            if tried_here is not None:
                verify_password(password, self._dummy())
                return LoginResult(False, message=TOO_MANY_FROM_ADDRESS, throttled=True), REASON_THROTTLED
        row = conn.execute("SELECT * FROM users WHERE username = ?", (name,)).fetchone()
        if row is None:
            verify_password(password, self._dummy())
            result, reason = self._unknown(conn, name, wall)
        else:
            result, reason = self._check(conn, row, password, now)
        if not result.ok:
            conn.execute(
                "INSERT INTO login_failures (address, username, at) VALUES (?, ?, ?)", (address, name, wall)
            )
            if throttled:
                return LoginResult(False, message=TOO_MANY_FROM_ADDRESS, throttled=True), reason
        return result, reason

    def _unknown(self, conn: sqlite3.Connection, name: str, wall: float) -> tuple[LoginResult, str]:
        """A name without an account answers as an account would: wrong, then locked."""
        lockout_s = self.lockout.total_seconds()
        rows = conn.execute(
            "SELECT at FROM login_failures WHERE username = ? AND at >= ? ORDER BY at",
            (name, wall - lockout_s),
        ).fetchall()
        if len(rows) + 1 >= self.max_failures:
            locked_now = len(rows) + 1 == self.max_failures
            remaining = (
                self.lockout if locked_now else timedelta(seconds=float(rows[0]["at"]) + lockout_s - wall)
            )
            return LoginResult(False, message=_locked_message(remaining)), REASON_UNKNOWN
        return LoginResult(False, message=BAD_LOGIN), REASON_UNKNOWN

    def _check(
        self, conn: sqlite3.Connection, row: sqlite3.Row, password: str, now: datetime
    ) -> tuple[LoginResult, str]:
        """Verify a known account's password inside the login transaction."""
        name = row["username"]
        locked_until = datetime.fromisoformat(row["locked_until"]) if row["locked_until"] else None
        correct = verify_password(password, row["password_hash"])  # also while locked: same time
        if locked_until is not None and locked_until > now:
            return LoginResult(False, message=_locked_message(locked_until - now)), REASON_LOCKED
        if correct:
            updates = "failed_attempts = 0, locked_until = ''"
            params: list[object] = []
            if hash_parameters(row["password_hash"]) != (self.kdf.log2_n, self.kdf.r, self.kdf.p):
                updates += ", password_hash = ?"
                params.append(hash_password(password, self.kdf))
            conn.execute(f"UPDATE users SET {updates} WHERE username = ?", (*params, name))
            user = self._user(conn, name)
            return LoginResult(True, user), ""
        failures = 1 if locked_until is not None else int(row["failed_attempts"]) + 1
        if failures >= self.max_failures:
            until = now + self.lockout
            conn.execute(
                "UPDATE users SET failed_attempts = ?, locked_until = ? WHERE username = ?",
                (failures, _iso(until), name),
            )
            return LoginResult(False, message=_locked_message(self.lockout)), REASON_LOCKED_NOW
        conn.execute(
            "UPDATE users SET failed_attempts = ?, locked_until = '' WHERE username = ?", (failures, name)
        )
        return LoginResult(False, message=BAD_LOGIN), REASON_WRONG

    def _dummy(self) -> str:
        """A hash to check unknown users against, so they take as long as known ones."""
        if not self._dummy_hash:
            self._dummy_hash = hash_password(secrets.token_urlsafe(16), self.kdf)
        return self._dummy_hash

    # --- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _keep_a_beheerder(conn: sqlite3.Connection, name: str) -> None:
        """Raise AccountError when ``name`` is the last beheerder (inside the caller's transaction)."""
        rows = conn.execute("SELECT username FROM users WHERE role = ?", (Role.BEHEERDER.value,)).fetchall()
        if [r["username"] for r in rows] == [name]:
            raise AccountError(LAST_BEHEERDER.format(name=name))

    def _update(self, username: str, sql: str, value: object) -> User:
        name = self.require_user(username).username
        with short_transaction(self.path, immediate=True) as conn:
            conn.execute(sql, (value, _iso(self.clock()), name))
            user = self._user(conn, name)
        assert user is not None
        return user

    @staticmethod
    def _user(conn: sqlite3.Connection, name: str) -> User | None:
        row = conn.execute("SELECT * FROM users WHERE username = ?", (name,)).fetchone()
        if row is None:
            return None
        clients = conn.execute("SELECT client FROM assignments WHERE username = ?", (name,)).fetchall()
        return User(
            username=row["username"],
            role=Role(row["role"]),
            display_name=row["display_name"],
            clients=frozenset(r["client"] for r in clients),
            failed_attempts=int(row["failed_attempts"]),
            locked_until=row["locked_until"],
            created_at=row["created_at"],
            session_epoch=int(row["session_epoch"]),
        )

    def _log(self, actor: str, action: str, username: str, **details: Any) -> None:
        if self.audit is not None:
            from assistant.features.audit.log import EventType

            self.audit.record(actor, EventType.USER_CHANGED, action=action, account=username, **details)

    def _log_login(self, ok: bool, username: str, reason: str) -> None:
        if self.audit is None:
            return
        from assistant.features.audit.log import EventType

        if ok:
            self.audit.record(username, EventType.LOGIN_SUCCEEDED)
            return
        self.audit.record(username, EventType.LOGIN_FAILED, reason=reason)
        if reason == REASON_LOCKED_NOW:
            self.audit.record(
                username, EventType.ACCOUNT_LOCKED, minutes=int(self.lockout.total_seconds() // 60)
            )


def _locked_message(remaining: timedelta) -> str:
    minutes = max(1, -(-int(remaining.total_seconds()) // 60))
    return LOCKED.format(minutes=minutes, unit="minuut" if minutes == 1 else "minuten")
