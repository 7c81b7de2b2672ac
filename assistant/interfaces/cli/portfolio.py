"""``avg-assistent portfolio …``: the client portfolio on the command line (and from cron).

``portfolio overzicht --json`` and ``portfolio samenvatting`` are meant for scheduling: the first
for a script, the second as the text of a daily mail. Who acts follows the one CLI rule
(:mod:`assistant.interfaces.cli.actor`); the service writes the audit events.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.features.portfolio.model import ACTION_STATUSES, INTERVALS, record_json

if TYPE_CHECKING:
    from assistant.app import App
    from assistant.features.portfolio.model import TrackedAction
    from assistant.interfaces.cli.actor import Actor
    from assistant.settings import Settings


def add_parsers(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``portfolio`` command and its actions."""
    portfolio = subcommands.add_parser(
        "portfolio", help="portefeuille: herhalingschecks, acties en wijzigingsmeldingen per klant"
    )
    actions = portfolio.add_subparsers(dest="portfolio_command", required=True, metavar="actie")

    overview = actions.add_parser("overzicht", help="per klant: volgende check, acties, verouderd, meldingen")
    overview.add_argument("--json", action="store_true", help="uitvoer als JSON (voor cron en scripts)")
    overview.add_argument("--csv", type=Path, metavar="PAD", help="schrijf het overzicht als CSV")
    overview.add_argument("--datum", help="peildatum (standaard vandaag)")

    summary = actions.add_parser("samenvatting", help="dagelijkse samenvatting als tekst (om te mailen)")
    summary.add_argument("--consultant", help="alleen de klanten van deze consultant")
    summary.add_argument("--datum", help="peildatum (standaard vandaag)")

    sub = actions.add_parser("abonnement", help="stel het abonnement van een klant in")
    sub.add_argument("--client", required=True, metavar="NAAM")
    sub.add_argument("--interval", required=True, choices=INTERVALS)
    sub.add_argument("--maanden", type=int, help="aantal maanden (bij --interval anders)")
    sub.add_argument("--consultant", default="", help="gebruikersnaam van de verantwoordelijke consultant")
    sub.add_argument("--contact", default="", help="contactpersoon bij de klant")

    make = actions.add_parser("acties-maken", help="maak van het actieplan van een beoordeelde check acties")
    make.add_argument("--client", required=True, metavar="NAAM")
    make.add_argument("--check", type=int, metavar="ID", help="nummer van de check (standaard de laatste)")
    make.add_argument("--eigenaar", default="", help="eigenaar (standaard de consultant van het abonnement)")
    make.add_argument("--termijn", default="", help="uiterste datum, bijv. 2027-03-01")

    listing = actions.add_parser("acties", help="toon de acties van een klant")
    listing.add_argument("--client", required=True, metavar="NAAM")
    listing.add_argument("--json", action="store_true")

    change = actions.add_parser("actie", help="wijzig een actie (status, eigenaar, termijn, notitie, bewijs)")
    change.add_argument("id", type=int, metavar="ID")
    change.add_argument("--status", choices=ACTION_STATUSES)
    change.add_argument("--eigenaar")
    change.add_argument("--termijn", help="uiterste datum ('' wist hem)")
    change.add_argument("--notitie")
    change.add_argument(
        "--bewijs", metavar="DOCUMENT_ID", help="document van de klant dat aantoont dat het gedaan is"
    )

    alerts = actions.add_parser("meldingen", help="wijzigingsmeldingen van een klant")
    alerts.add_argument("--client", required=True, metavar="NAAM")
    alerts.add_argument("--alle", action="store_true", help="ook afgehandelde meldingen")
    alerts.add_argument("--json", action="store_true")

    handled = actions.add_parser("afhandelen", help="markeer een wijzigingsmelding als afgehandeld")
    handled.add_argument("id", type=int, metavar="ID")

    agenda = actions.add_parser("volgende", help="waarmee de volgende check begint: open en afgeronde acties")
    agenda.add_argument("--client", required=True, metavar="NAAM")
    agenda.add_argument("--json", action="store_true")


def handle(settings: Settings, args: argparse.Namespace) -> int:
    """Run one ``portfolio`` action; returns the exit code."""
    from assistant.app import build_app

    app = build_app(settings)
    try:
        return run_command(app, args)
    finally:
        app.close()


#: The command handlers for :func:`assistant.interfaces.cli.main.main`.
HANDLERS = {"portfolio": handle}


def run_command(app: App, args: argparse.Namespace) -> int:
    """Run the ``portfolio`` action of ``args`` on ``app`` as the resolved actor."""
    from assistant.interfaces.cli.actor import resolve

    actor = resolve(args, app.users, app.audit)
    command = args.portfolio_command
    if command in ("overzicht", "samenvatting"):
        _overview(app, actor, args)
    elif command == "abonnement":
        _subscription(app, actor, args)
    elif command == "afhandelen":
        alert = app.portfolio.alert(args.id)
        _content(app, actor, alert.client, "melding afhandelen")
        app.portfolio.handle_alert(args.id, actor=actor.name)
        print(f"Melding {args.id} afgehandeld.")
    elif command == "actie":
        action = app.portfolio.action(args.id)
        _content(app, actor, action.client, "actie wijzigen")
        changed = app.portfolio.update_action(
            args.id,
            actor=actor.name,
            status=args.status,
            owner=args.eigenaar,
            due=args.termijn,
            note=args.notitie,
            evidence=args.bewijs,
        )
        print(_action_line(changed))
    else:
        _client_content(app, actor, args)
    return 0


def _overview(app: App, actor: Actor, args: argparse.Namespace) -> None:
    from assistant.features.portfolio.access import overview_clients
    from assistant.features.portfolio.dates import parse_date, today
    from assistant.features.portfolio.overview import summary_text, to_csv

    day = parse_date(args.datum) if args.datum else today()
    clients = overview_clients(actor.user, [c.name for c in app.kb.clients.list()])
    rows = app.portfolio.overview(clients, on=day)
    if getattr(args, "consultant", None):
        rows = [r for r in rows if r.consultant == args.consultant]
    if args.portfolio_command == "samenvatting":
        print(summary_text(rows, day, getattr(args, "consultant", None) or ""), end="")
        return
    if args.csv:
        args.csv.write_text(to_csv(rows), encoding="utf-8")
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False))
        return
    from assistant.features.portfolio.dates import dutch

    for r in rows:
        print(
            f"{r.client}: {r.subscription}, volgende check {dutch(r.next_due, 'geen')} ({r.due_state}); "
            f"acties open {r.open_actions}, te laat {r.overdue_actions}; verouderd {r.stale_drafts}; "
            f"meldingen {r.open_alerts}"
        )


def _subscription(app: App, actor: Actor, args: argparse.Namespace) -> None:
    from assistant.features.portfolio.access import require_subscription

    actor._checked(lambda: require_subscription(actor.user, args.client), "abonnement instellen")
    sub = app.portfolio.set_subscription(
        args.client,
        args.interval,
        actor=actor.name,
        months=args.maanden,
        consultant=args.consultant,
        contact=args.contact,
    )
    print(
        f"Abonnement van {sub.client}: {sub.label}"
        + (f", consultant {sub.consultant}" if sub.consultant else "")
    )


def _client_content(app: App, actor: Actor, args: argparse.Namespace) -> None:
    from assistant.features.portfolio.dates import dutch

    command = args.portfolio_command
    _content(app, actor, args.client, f"portefeuille {command}")
    service = app.portfolio
    if command == "acties-maken":
        made = service.actions_from_check(
            args.client, actor=actor.name, run_id=args.check, owner=args.eigenaar, due=args.termijn
        )
        print(f"{len(made)} actie(s) aangemaakt.")
        for action in made:
            print(_action_line(action))
    elif command == "acties":
        actions = service.actions(args.client)
        if args.json:
            print(json.dumps([record_json(a) for a in actions], ensure_ascii=False))
        for action in [] if args.json else actions:
            print(_action_line(action))
    elif command == "meldingen":
        alerts = service.alerts(args.client, open_only=not args.alle)
        if args.json:
            print(json.dumps([record_json(a) for a in alerts], ensure_ascii=False))
            return
        for alert in alerts:
            print(f"[{alert.id}] {dutch(alert.created_at)} — {alert.summary} ({alert.status})")
            print(f"     geciteerd: {alert.cited}")
            for line in alert.diff:
                print(f"     {line}")
    else:
        agenda = service.next_check(args.client)
        if args.json:
            payload = {
                "client": agenda.client,
                "open": [record_json(a) for a in agenda.open],
                "closed": [record_json(a) for a in agenda.closed],
            }
            print(json.dumps(payload, ensure_ascii=False))
            return
        print(
            f"Volgende check van {agenda.client}: {len(agenda.open)} open actie(s), "
            f"{len(agenda.closed)} afgerond"
        )
        for action in agenda.open + agenda.closed:
            print(_action_line(action))


def _content(app: App, actor: Actor, client: str, action: str) -> None:
    from assistant.features.portfolio.access import require_content

    actor._checked(lambda: require_content(actor.user, client), action)


def _action_line(action: TrackedAction) -> str:
    from assistant.features.portfolio.dates import dutch

    return (
        f"[{action.id}] {action.question_id} {action.status:9} eigenaar {action.owner or 'onbekend'}, "
        f"termijn {dutch(action.due_date, 'geen')}, bewijs: {action.evidence_label} — {action.measure}"
    )
