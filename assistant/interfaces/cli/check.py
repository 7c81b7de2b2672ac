"""``avg-assistent check run|show|review|export --client NAAM``: the Compliancy Check on the command line.

Wired into :mod:`assistant.interfaces.cli.main` with
``add_parsers(commands)`` and ``**HANDLERS`` (``handle``).
Domain errors propagate as :class:`ingestion.errors.AvgError`; the CLI prints them in Dutch.
Who runs, reviews or edits follows the one CLI rule (:mod:`assistant.interfaces.cli.actor`); the
service writes the audit events.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.features.check.model import STATUSES
from assistant.features.check.review import ACTIONS

if TYPE_CHECKING:
    from assistant.app import App
    from assistant.features.check.model import CheckRun
    from assistant.features.check.service import CheckService
    from assistant.interfaces.cli.actor import Actor
    from assistant.settings import Settings


def add_parsers(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``check`` command and its actions to the CLI's subcommands."""
    check = subcommands.add_parser(
        "check", help="Compliancy Check van een klant (uitvoeren, tonen, beoordelen, exporteren)"
    )
    actions = check.add_subparsers(dest="check_command", required=True, metavar="actie")

    run = actions.add_parser("run", help="voer de check uit op de documenten van de klant")
    _client(run)
    run.add_argument("--json", action="store_true", help="uitvoer als JSON")

    show = actions.add_parser("show", help="toon de antwoorden van de laatste (of een bepaalde) check")
    _client(show)
    show.add_argument("--json", action="store_true", help="uitvoer als JSON")

    review = actions.add_parser("review", help="beoordeel een antwoord (accepteren, bewerken, afwijzen)")
    _client(review)
    review.add_argument("--vraag", required=True, help="id van de vraag, bijv. LEK-01")
    review.add_argument("--actie", required=True, choices=ACTIONS)
    review.add_argument("--status", choices=STATUSES, help="nieuwe status (bij bewerken)")
    review.add_argument("--toelichting", help="nieuwe toelichting (bij bewerken)")
    review.add_argument("--opmerking", default="", help="opmerking bij de beoordeling")

    export = actions.add_parser("export", help="exporteer het rapport als Word (docx) of Markdown (md)")
    _client(export)
    export.add_argument("--format", choices=("docx", "md"), default="docx")
    export.add_argument("--out", type=Path, metavar="PAD", help="uitvoerbestand (standaard: huidige map)")
    export.add_argument("--dagtarief", type=float, help="dagtarief in euro (standaard de instelling, €600)")

    evaluate = actions.add_parser(
        "evalueer", help="meet de check op dossiers met een antwoordsleutel.yaml (gaten, recall, precisie)"
    )
    evaluate.add_argument("dossiers", nargs="+", type=Path, metavar="DOSSIER", help="map van een dossier")
    evaluate.add_argument("--datamap", type=Path, metavar="PAD", help="datamap (standaard: tijdelijke map)")
    evaluate.add_argument("--json", action="store_true", help="uitvoer als JSON")

    checklist = actions.add_parser("checklist", help="checklist bekijken of een bewerkte versie opslaan")
    which = checklist.add_mutually_exclusive_group(required=True)
    which.add_argument("--export", type=Path, metavar="PAD", help="schrijf de huidige checklist als YAML")
    which.add_argument(
        "--import", dest="import_path", type=Path, metavar="PAD", help="sla YAML op als nieuwe versie"
    )
    which.add_argument("--versies", action="store_true", help="toon alle versies")
    checklist.add_argument("--notitie", default="", help="wat er is gewijzigd")


def _client(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", required=True, metavar="NAAM", help="naam van de klant")
    parser.add_argument("--check", type=int, metavar="ID", help="nummer van de check (standaard de laatste)")


def handle(settings: Settings, args: argparse.Namespace) -> int:
    """Run one ``check`` action; returns the exit code."""
    from assistant.app import build_app
    from assistant.interfaces.cli.actor import resolve

    if args.check_command == "evalueer":
        return _evaluate(settings, args)
    app = build_app(settings)
    try:
        return _dispatch(app, resolve(args, app.users, app.audit), args)
    finally:
        app.close()


#: The command handlers for :func:`assistant.interfaces.cli.main.main` (``**check_cli.HANDLERS``).
HANDLERS = {"check": handle}


def _dispatch(app: App, actor: Actor, args: argparse.Namespace) -> int:
    from assistant.features.accounts.access import Permission

    service = app.check
    if args.check_command == "checklist":
        _checklist(service, actor, args)
        return 0
    actor.require(Permission.RUN_CHECK, args.client, f"compliancy check {args.check_command}")
    if args.check_command == "run":
        run = service.run(args.client, actor.name)
        _print_run(service, run, args.json)
        return 0
    run = _selected_run(service, args)
    if args.check_command == "show":
        _print_run(service, run, args.json)
    elif args.check_command == "review":
        answer = service.review(
            run, args.vraag, args.actie, actor.name, args.status, args.toelichting, args.opmerking
        )
        print(f"{answer.question_id}: {answer.status} ({answer.review_state})")
    else:
        _export(app, service, run, actor, args)
    return 0


def _evaluate(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.ops.check_evaluation import evaluate, table, totals

    results = evaluate(list(args.dossiers), settings, args.datamap)
    if args.json:
        payload = {"dossiers": [r.to_json() for r in results], "totaal": totals(results)}
        print(json.dumps(payload, ensure_ascii=False))
    else:
        print(table(results))
    return 0


def _checklist(service: CheckService, actor: Actor, args: argparse.Namespace) -> None:
    from assistant.features.check.checklist import ChecklistError

    store = service.checklists
    if args.export:
        args.export.write_text(store.current().to_yaml(), encoding="utf-8")
        print(f"Checklist versie {store.current().version} geschreven: {args.export}")
    elif args.import_path:
        try:
            text = args.import_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ChecklistError(f"Het bestand {args.import_path} kan niet worden gelezen ({exc}).") from exc
        from assistant.features.accounts.access import Permission

        actor.require(Permission.MANAGE_CHECKLIST, action="checklist wijzigen")
        saved = service.save_checklist(text, actor.name, args.notitie)
        print(f"Opgeslagen als checklist versie {saved.version} ({len(saved.questions)} vragen).")
    else:
        for v in store.versions():
            print(f"versie {v.version}  {v.created_at[:10]}  {v.author}  {v.question_count} vragen  {v.note}")


def _selected_run(service: CheckService, args: argparse.Namespace) -> CheckRun:
    from assistant.features.check.service import client_name
    from assistant.features.check.store import CheckNotFoundError

    if args.check is None:
        return service.latest(args.client)
    run = service.runs.get(args.check)
    if run.client != client_name(args.client):
        raise CheckNotFoundError(f"Check {args.check} hoort niet bij klant '{client_name(args.client)}'.")
    return run


def _export(app: App, service: CheckService, run: CheckRun, actor: Actor, args: argparse.Namespace) -> None:
    day_rate = args.dagtarief if args.dagtarief is not None else app.settings.check_day_rate
    slug = re.sub(r"[^a-z0-9]+", "-", run.client.lower()).strip("-") or "klant"
    out = args.out or Path(f"compliancy-check-{slug}-{run.id}.{args.format}")
    service.export(run, out, args.format, day_rate, actor.name)
    print(f"Rapport geschreven: {out}")


def _print_run(service: CheckService, run: CheckRun, as_json: bool) -> None:
    answers = service.reviewed(run)
    if as_json:
        answers_json: list[dict[str, Any]] = [
            {
                **a.proposal.to_json(),
                "status": a.status,
                "proposed_status": a.proposal.status,
                "rationale": a.rationale,
                "review_state": a.review_state,
                "reviewer": a.reviewer,
            }
            for a in answers
        ]
        for item in answers_json:
            for evidence in item["evidence"]:
                evidence.pop("passage", None)
        payload = {
            "check": run.id,
            "client": run.client,
            "checklist_version": run.checklist_version,
            "created_at": run.created_at,
            "created_by": run.created_by,
            "answers": answers_json,
        }
        print(json.dumps(payload, ensure_ascii=False))
        return
    print(f"Compliancy Check {run.id} — {run.client} ({run.created_at[:10]}, door {run.created_by})")
    for a in answers:
        print(f"{a.question_id:8} {a.status:13} {a.proposal.label} [{a.review_state}]")
        for notice in a.proposal.notices:
            print(f"         Let op: {notice}")
        for number, e in enumerate(a.evidence, start=1):
            print(f"         [{number}] {e.source_label()}: „{e.quote}”")
