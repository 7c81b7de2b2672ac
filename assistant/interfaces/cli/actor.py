"""Who acts on the command line: the one rule every CLI command uses.

* By default the operator of this machine acts, as ``cli:<login name>`` (the OS user). Whoever
  runs the CLI has the data directory in hand, so the operator may do everything; every change
  is still written to the audit log under that name.
* ``--als GEBRUIKERSNAAM`` acts as that account, only after its password is verified
  (:meth:`UserStore.login`: failures count towards the lock-out and are logged like a web login).
  The password is asked on the terminal without echo, or read as the first line of standard
  input with ``--wachtwoord-stdin`` (``users add``/``users password`` then read the new password
  from the next line). The account's role and client assignments are then enforced exactly as
  in the web UI (:mod:`assistant.features.accounts.access`); a refusal is logged as
  ``toegang_geweigerd``.

There is no other way to name the actor: no command takes a free-text name (the former
``--door`` is gone).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.features.accounts.access import (
    AccessDenied,
    Permission,
    allowed_scopes,
    require,
    require_document_write,
    resolve_scope,
)
from assistant.features.accounts.users import USERS_FILE, AccountError, User, UserStore
from assistant.features.audit.log import AUDIT_FILE, AuditLog, EventType
from knowledge.scopes import GENERAL_SCOPE, client_scope

OPERATOR_PREFIX = "cli:"
#: Commands that change nothing and log nothing under a user: they take no ``--als``.
WITHOUT_ACTOR = frozenset({"serve", "doctor", "bench", "eval", "calibrate"})  # read-only or operator-only


def operator_name() -> str:
    """The audit name of the OS user running the CLI: ``cli:<login name>``."""
    try:
        return OPERATOR_PREFIX + getpass.getuser()
    except (KeyError, OSError):
        return OPERATOR_PREFIX.rstrip(":")


@dataclass(frozen=True)
class Actor:
    """Who acts: ``name`` for the audit log; ``user`` the verified account (None: the operator)."""

    name: str
    user: User | None
    audit: AuditLog

    def require(self, permission: Permission, client: str | None = None, action: str = "") -> None:
        """Raise AccessDenied unless the account may do this; the operator may do everything."""
        if self.user is not None:
            self._checked(lambda: require(self.user, permission, client), action or permission.value)

    def require_document_write(self, scope: str, kind: str = "", action: str = "document wijzigen") -> None:
        """Raise AccessDenied unless the account may change documents of ``kind`` in ``scope``."""
        if self.user is not None:
            self._checked(lambda: require_document_write(self.user, scope, kind), action)

    def scopes(self, client: str | None, action: str = "vraag stellen") -> list[str]:
        """The scopes a question searches: algemeen, or the client's scope plus algemeen."""
        requested = client_scope(client) if client else GENERAL_SCOPE
        if self.user is None:
            return [requested, GENERAL_SCOPE] if client else [GENERAL_SCOPE]
        scopes: list[str] = self._checked(lambda: resolve_scope(self.user, requested), action)
        return scopes

    def may_see(self, scope: str) -> bool:
        """Whether the actor may see documents of ``scope`` (for listings)."""
        return self.user is None or scope in allowed_scopes(self.user)

    def _checked(self, check: Any, action: str) -> Any:
        try:
            return check()
        except AccessDenied as exc:
            self.audit.record(self.name, EventType.ACCESS_DENIED, action=action, reason=str(exc), via="cli")
            raise


def add_options(parser: argparse.ArgumentParser) -> None:
    """Give every command that acts ``--als`` and ``--wachtwoord-stdin`` (once, on each leaf)."""
    for action in parser._actions:  # argparse has no public walk over its subcommands
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for name, sub in action.choices.items():
            if name in WITHOUT_ACTOR:
                continue
            if any(isinstance(a, argparse._SubParsersAction) for a in sub._actions):
                add_options(sub)
                continue
            sub.add_argument(
                "--als",
                metavar="GEBRUIKERSNAAM",
                help="handel als dit account (na controle van het wachtwoord)",
            )
            if "--wachtwoord-stdin" not in sub._option_string_actions:
                sub.add_argument(
                    "--wachtwoord-stdin",
                    action="store_true",
                    help="lees het wachtwoord van --als van standaardinvoer",
                )


def resolve(args: argparse.Namespace, users: UserStore, audit: AuditLog) -> Actor:
    """The actor of this command: the operator, or the ``--als`` account once its password checks out."""
    username = getattr(args, "als", None)
    if not username:
        return Actor(operator_name(), None, audit)
    password = _actor_password(username, bool(getattr(args, "wachtwoord_stdin", False)))
    result = users.login(username, password)
    if not result.ok or result.user is None:
        raise AccessDenied(result.message or "Onjuiste gebruikersnaam of wachtwoord.")
    return Actor(result.user.username, result.user, audit)


def resolve_in(data_dir: Path, args: argparse.Namespace) -> Actor:
    """:func:`resolve` with the accounts and audit log of ``data_dir`` (commands without the app)."""
    audit = AuditLog(Path(data_dir) / AUDIT_FILE)
    return resolve(args, UserStore(Path(data_dir) / USERS_FILE, audit=audit), audit)


def _actor_password(username: str, from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise AccountError("Geen terminal om het wachtwoord van --als te vragen: gebruik --wachtwoord-stdin.")
    return getpass.getpass(f"Wachtwoord van {username}: ")
