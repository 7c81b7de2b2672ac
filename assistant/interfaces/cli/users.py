"""The ``users``, ``audit`` and ``purge`` commands of ``avg-assistent``.

:func:`add_parsers` adds them to the CLI's sub-commands and :data:`HANDLERS` maps each to
its handler ``(settings, args) -> exit code``. They need only the data directory (no
knowledge base, no embedder). Who acts follows the one CLI rule
(:mod:`assistant.interfaces.cli.actor`): the operator ``cli:<login name>``, or ``--als`` an
account, which then needs ``gebruikers_beheren`` (users) or ``auditlog_inzien`` (audit, purge).
``audit export`` as an account applies the web export's visibility rule
(:mod:`assistant.features.audit.visibility`): labels of clients the account is not assigned to are
hidden; ``--klant`` limits the export to one client's rows.
The rules on accounts (never the last beheerder, never one's own account) are the store's.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from assistant.features.accounts.access import Permission
from assistant.features.accounts.users import ACCOUNT_ROLES, USERS_FILE, AccountError, UserStore, utcnow
from assistant.features.audit.log import AUDIT_FILE, AuditFilter, AuditLog, EventType
from assistant.features.audit.retention import retention_days, run_retention
from assistant.interfaces.cli.actor import resolve
from knowledge.scopes import client_scope

Handler = Callable[[Any, argparse.Namespace], int]


def add_parsers(commands: Any) -> None:
    """Add ``users``, ``audit`` and ``purge`` to the CLI's sub-command parsers."""
    roles = [r.value for r in ACCOUNT_ROLES]
    users = commands.add_parser("users", help="beheer gebruikers, rollen en klanttoewijzingen")
    sub = users.add_subparsers(dest="users_command", required=True, metavar="actie")

    add = sub.add_parser("add", help="maak een gebruiker aan")
    add.add_argument("username", metavar="NAAM", help="gebruikersnaam (kleine letters, cijfers, . _ @ -)")
    add.add_argument("--rol", required=True, choices=roles, help="rol van de gebruiker")
    add.add_argument("--naam", default="", help="weergavenaam, bijv. 'Anna de Vries'")
    add.add_argument("--klant", action="append", default=[], metavar="KLANT", help="wijs een klant toe")
    add.add_argument(
        "--wachtwoord-stdin", action="store_true", help="lees het wachtwoord van standaardinvoer"
    )

    sub.add_parser("list", help="toon alle gebruikers").add_argument(
        "--json", action="store_true", help="uitvoer als JSON"
    )
    set_role = sub.add_parser("set-role", help="geef een gebruiker een andere rol")
    set_role.add_argument("username", metavar="NAAM")
    set_role.add_argument("role", metavar="ROL", choices=roles)
    for name, text in (("assign", "wijs een klant toe"), ("unassign", "trek een klant in")):
        parser = sub.add_parser(name, help=text)
        parser.add_argument("username", metavar="NAAM")
        parser.add_argument("client", metavar="KLANT")
    password = sub.add_parser("password", help="stel een nieuw wachtwoord in (heft een blokkade op)")
    password.add_argument("username", metavar="NAAM")
    password.add_argument(
        "--wachtwoord-stdin", action="store_true", help="lees het wachtwoord van standaardinvoer"
    )
    sub.add_parser("unlock", help="hef een blokkade na mislukte inlogpogingen op").add_argument(
        "username", metavar="NAAM"
    )
    sub.add_parser("remove", help="verwijder een gebruiker").add_argument("username", metavar="NAAM")

    audit = commands.add_parser("audit", help="auditlog exporteren")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, metavar="actie")
    export = audit_sub.add_parser("export", help="exporteer het auditlog als CSV")
    export.add_argument("--van", type=_date, metavar="DATUM", help="vanaf deze dag (JJJJ-MM-DD)")
    export.add_argument("--tot", type=_date, metavar="DATUM", help="tot en met deze dag (JJJJ-MM-DD)")
    export.add_argument("--gebruiker", default="", help="alleen deze gebruiker")
    export.add_argument("--soort", action="append", default=[], help="alleen dit soort gebeurtenis")
    export.add_argument("--klant", default="", metavar="NAAM", help="alleen gebeurtenissen van deze klant")
    export.add_argument("--out", type=Path, required=True, metavar="PAD", help="CSV-bestand")

    purge = commands.add_parser("purge", help="verwijder gesprekken en vraaglogs na de bewaartermijn")
    purge.add_argument("--dagen", type=int, help="bewaartermijn in dagen (standaard AVG_RETENTION_DAYS)")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"ongeldige datum '{text}' (gebruik JJJJ-MM-DD)") from exc


def _local_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day).astimezone()


def open_stores(settings: Any) -> tuple[UserStore, AuditLog]:
    """The user store and audit log in the settings' data directory."""
    data_dir = Path(settings.data_dir)
    audit = AuditLog(data_dir / AUDIT_FILE)
    return UserStore(data_dir / USERS_FILE, audit=audit), audit


def read_password(from_stdin: bool) -> str:
    """The new password: one line of standard input, or asked twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise AccountError("Geen terminal om het wachtwoord te vragen: gebruik --wachtwoord-stdin.")
    first = getpass.getpass("Wachtwoord: ")
    if getpass.getpass("Herhaal wachtwoord: ") != first:
        raise AccountError("De wachtwoorden komen niet overeen.")
    return first


def _cmd_users(settings: Any, args: argparse.Namespace) -> int:
    users, audit = open_stores(settings)
    acting, command = resolve(args, users, audit), args.users_command
    acting.require(Permission.MANAGE_USERS, action=f"gebruikers {command}")
    who = acting.name
    if command == "list":
        return _list_users(users, args.json)
    if command == "add":
        user = users.add(
            args.username,
            args.rol,
            read_password(args.wachtwoord_stdin),
            display_name=args.naam,
            clients=args.klant,
            actor=who,
        )
        print(f"Gebruiker '{user.username}' aangemaakt met rol {user.role.value}.")
    elif command == "set-role":
        user = users.set_role(args.username, args.role, actor=who)
        print(f"Gebruiker '{user.username}' heeft nu de rol {user.role.value}.")
    elif command in ("assign", "unassign"):
        change = users.assign if command == "assign" else users.unassign
        user = change(args.username, args.client, actor=who)
        clients = ", ".join(sorted(user.clients)) or "geen klanten"
        print(f"Gebruiker '{user.username}' heeft nu toegang tot: {clients}.")
    elif command == "password":
        user = users.require_user(args.username)
        users.set_password(user.username, read_password(args.wachtwoord_stdin), actor=who)
        print(f"Nieuw wachtwoord ingesteld voor '{user.username}'.")
    elif command == "unlock":
        user = users.unlock(args.username, actor=who)
        print(f"Gebruiker '{user.username}' kan weer inloggen.")
    else:
        users.remove(args.username, actor=who)
        print(f"Gebruiker '{args.username.strip().lower()}' verwijderd.")
    return 0


def _list_users(users: UserStore, as_json: bool) -> int:
    accounts = users.list()
    now = utcnow()
    rows = [
        {
            "gebruikersnaam": u.username,
            "naam": u.display_name,
            "rol": u.role.value,
            "klanten": sorted(u.clients),
            "geblokkeerd_tot": u.locked_until
            if u.locked_until and datetime.fromisoformat(u.locked_until) > now
            else "",
            "aangemaakt": u.created_at,
        }
        for u in accounts
    ]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not rows:
        print("Nog geen gebruikers. Maak er een aan: avg-assistent users add NAAM --rol beheerder")
        return 0
    for row in rows:
        clients = ", ".join(row["klanten"]) or "-"
        locked = f"  (geblokkeerd tot {row['geblokkeerd_tot'][:16]} UTC)" if row["geblokkeerd_tot"] else ""
        name = f" ({row['naam']})" if row["naam"] else ""
        print(f"{row['gebruikersnaam']}{name}  rol: {row['rol']}  klanten: {clients}{locked}")
    return 0


def _cmd_audit(settings: Any, args: argparse.Namespace) -> int:
    users, audit = open_stores(settings)
    acting = resolve(args, users, audit)
    acting.require(Permission.VIEW_AUDIT, action="auditlog exporteren")
    since = _local_midnight(args.van) if args.van else None
    until = _local_midnight(args.tot + timedelta(days=1)) if args.tot else None
    scope = client_scope(args.klant) if args.klant.strip() else ""
    where = AuditFilter(user=args.gebruiker, events=tuple(args.soort), since=since, until=until, scope=scope)
    visible_to = acting.user.clients if acting.user is not None else None  # the web export's rule
    count = audit.export_csv(args.out, where, visible_to=visible_to)
    audit.record(
        acting.name,
        EventType.EXPORT,
        scope=scope,
        what="auditlog",
        rows=count,
        van=args.van.isoformat() if args.van else "",
        tot=args.tot.isoformat() if args.tot else "",
        gebruiker=args.gebruiker,
        soort=list(args.soort),
    )
    print(f"{count} regels geëxporteerd naar {args.out}.")
    return 0


def _cmd_purge(settings: Any, args: argparse.Namespace) -> int:
    from assistant.features.chat.conversation_store import STORE_FILE, ConversationStore

    days, audit_days = retention_days(settings)
    if args.dagen is not None:
        days = args.dagen
    users, audit = open_stores(settings)
    resolve(args, users, audit).require(Permission.VIEW_AUDIT, action="opschonen")
    conversations = ConversationStore(Path(settings.data_dir) / STORE_FILE)
    counts = run_retention(datetime.now(UTC), audit, conversations, days, max(audit_days, days))
    for name, count in counts.items():
        print(f"{name}: {count} verwijderd")
    return 0


HANDLERS: dict[str, Handler] = {"users": _cmd_users, "audit": _cmd_audit, "purge": _cmd_purge}
