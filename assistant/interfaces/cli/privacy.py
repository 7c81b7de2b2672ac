"""The ``avg-assistent register …`` and ``avg-assistent privacy …`` subcommands.

Wiring in :mod:`assistant.interfaces.cli.main` takes two lines: ``add_parsers(commands)`` in the parser and
``handlers.update(HANDLERS)`` in ``main``. Each handler gets (settings, args) and returns the
exit code; domain errors (:class:`AvgError`) go up to ``main``, which prints them in Dutch.

Commands that search or rewrite (``register suggest``, ``privacy draft``, ``privacy regenerate``,
``privacy check``) open the whole app (embedder, knowledge base, language model); the others
only open ``register.sqlite3``, so they also work while the web UI holds the knowledge store.
Who acts follows the one CLI rule (:mod:`assistant.interfaces.cli.actor`); with ``--als`` the
account needs the permission the web UI asks for the same action, for the client concerned.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assistant.features.accounts.access import Permission
from assistant.features.accounts.users import USERS_FILE, UserStore
from assistant.features.audit.log import AUDIT_FILE, AuditLog
from assistant.features.privacy.model import Problem
from assistant.features.privacy.service import PrivacyService
from assistant.features.privacy.suggestions import Suggestion
from assistant.interfaces.cli.actor import Actor, resolve, resolve_in
from assistant.settings import Settings

Handler = Callable[[Settings, argparse.Namespace], int]


def add_parsers(commands: Any) -> None:
    """Add the ``register`` and ``privacy`` command groups to the CLI's subparsers."""
    register = commands.add_parser("register", help="verwerkingsregister per klant (art. 30 AVG)")
    reg = register.add_subparsers(dest="register_command", required=True, metavar="actie")
    documents_help = (
        "toets het register ook aan de documenten van de klant in de kennisbank (bron, bewaartermijn, "
        "grondslag, ontvangers; laadt de kennisbank, dus trager)"
    )
    p = reg.add_parser("import", help="lees een register in (YAML, CSV of XLSX)")
    p.add_argument("path", type=Path, metavar="BESTAND")
    p.add_argument("--client", help="klantnaam (verplicht bij CSV; anders uit het bestand)")
    p.add_argument("--documenten", action="store_true", help=documents_help)
    p = reg.add_parser("export", help="schrijf het register weg (.yaml, .csv of .xlsx)")
    p.add_argument("path", type=Path, metavar="BESTAND")
    p.add_argument("--client", required=True)
    p = reg.add_parser("show", help="toon het register en wat er nog ontbreekt")
    p.add_argument("--client", required=True)
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p.add_argument("--documenten", action="store_true", help=documents_help)
    p = reg.add_parser("suggest", help="zoek suggesties in de documenten van de klant")
    p.add_argument("--client", required=True)
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p = reg.add_parser("accept", help="neem een suggestie op in het register")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument(
        "--activity", help="de verwerking waar de suggestie bij hoort (standaard: de voorgestelde)"
    )
    p.add_argument(
        "--kies",
        choices=("huidig", "nieuw"),
        help="bij een andere waarde in het register: behoud de huidige of neem de nieuwe over",
    )
    p = reg.add_parser("reject", help="wijs een suggestie af")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--reason", default="", help="reden")

    privacy = commands.add_parser("privacy", help="privacyverklaring: concept, controle, beoordeling, export")
    prv = privacy.add_subparsers(dest="privacy_command", required=True, metavar="actie")
    p = prv.add_parser("draft", help="maak een concept-privacyverklaring uit het register")
    p.add_argument("--client", required=True)
    p.add_argument(
        "--polish", action="store_true", help="laat het taalmodel de tekst verbeteren (feiten gecontroleerd)"
    )
    p = prv.add_parser("regenerate", help="nieuwe versie van een concept uit het huidige register")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--polish", action="store_true")
    p = prv.add_parser("list", help="toon de concepten")
    p.add_argument("--client")
    p = prv.add_parser("show", help="toon een concept (Markdown) en wat er sinds goedkeuring veranderde")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--version", type=int)
    p = prv.add_parser("check", help="controleer de volledigheid (art. 13/14 AVG)")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--draft", type=int, metavar="ID", help="een opgeslagen concept")
    source.add_argument(
        "--file", type=Path, metavar="BESTAND", help="een bestaande privacyverklaring (PDF, DOCX, HTML)"
    )
    p.add_argument("--client", help="vergelijk ook met het register van deze klant (bij --file)")
    p.add_argument("--version", type=int)
    p.add_argument("--no-semantic", action="store_true", help="alleen vaste formuleringen, geen embedder")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    for name, text in (
        ("submit", "bied een concept ter beoordeling aan"),
        ("approve", "keur een concept goed"),
        ("reject", "wijs een concept af (met reden)"),
        ("withdraw", "trek een beoordeling in"),
    ):
        p = prv.add_parser(name, help=text)
        p.add_argument("id", type=int, metavar="ID")
        p.add_argument("--note", default="", help="toelichting (verplicht bij reject)")
    p = prv.add_parser("comment", help="plaats een opmerking bij een onderdeel")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("text", metavar="TEKST")
    p.add_argument("--section", default="", help="onderdeel, bijv. bewaartermijnen")
    p = prv.add_parser("diff", help="verschillen tussen twee versies, per onderdeel")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("old", type=int, metavar="VERSIE_A")
    p.add_argument("new", type=int, metavar="VERSIE_B")
    p = prv.add_parser("export", help="exporteer naar Markdown (.md) of Word (.docx)")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("path", type=Path, metavar="BESTAND")
    p.add_argument("--version", type=int)
    p = prv.add_parser(
        "toets-evaluatie", help="meet hoe vaak de volledigheidstoets het eens is met gelabelde verklaringen"
    )
    p.add_argument("folder", type=Path, metavar="MAP", help="map met <naam>.md en <naam>.labels.yaml")
    p.add_argument("--semantisch", action="store_true", help="ook de embedder gebruiken (zoals de web-UI)")
    p.add_argument("--min", type=float, default=0.0, help="geef code 1 onder deze overeenstemming (0–1)")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p.add_argument(
        "--alleen-totalen",
        dest="totals_only",
        action="store_true",
        help="toon niet welke verklaring waar verschilt (een apart gehouden set blijft blind)",
    )
    p = prv.add_parser("audit", help="wie deed wat en wanneer")
    p.add_argument("--client")
    p.add_argument("--draft", type=int, metavar="ID")


def handle_register(settings: Settings, args: argparse.Namespace) -> int:
    """Run ``avg-assistent register <actie>``."""
    action = args.register_command
    if action == "suggest":
        with _full_service(settings, args) as service:
            run = service.find_suggestions(args.client, args.actor)
        if args.json:
            print(json.dumps([_suggestion_json(s) for s in run.suggestions], ensure_ascii=False))
            return 0
        for notice in run.notices:
            print(f"Let op: {notice}")
        print(f"Doorzochte passages: {run.passages}. Open suggesties: {len(run.suggestions)}.")
        for s in run.suggestions:
            print(f"[{s.id}] {s.kind}: {s.value}  (verwerking: {s.activity or '?'}; {s.origin})")
            print(f"     bron: {s.evidence.label()} — „{s.evidence.quote}”")
        return 0
    # the register warnings from the client's documents need the knowledge base (as in the web UI)
    open_service = _full_service if getattr(args, "documenten", False) else _light_service
    with open_service(settings, args) as service:
        if action == "import":
            register, warnings = service.import_register(args.path, args.actor, args.client)
            print(f"Register van '{register.client}' ingelezen: {len(register.activities)} verwerkingen.")
            _print_problems(warnings)
        elif action == "export":
            path = service.export_register(args.client, args.path)
            print(f"Register weggeschreven naar {path}.")
        elif action == "show":
            register = service.register(args.client)
            if args.json:
                print(json.dumps(register.to_dict(), ensure_ascii=False))
                return 0
            controller = register.controller
            print(f"{controller.name} (klant '{register.client}'), {len(register.activities)} verwerkingen:")
            for activity in register.activities:
                print(
                    f"- {activity.name}: grondslag {activity.legal_basis or '?'}, "
                    f"bewaren: {activity.retention or '?'}"
                )
            _print_problems(service.problems(args.client))
        elif action == "accept":
            service.accept_suggestion(args.id, args.actor, args.activity, args.kies)
            kept = args.kies == "huidig"
            print(
                f"Suggestie {args.id} is "
                + ("afgewezen; de huidige waarde blijft." if kept else "opgenomen in het register.")
            )
        else:
            service.reject_suggestion(args.id, args.actor, args.reason)
            print(f"Suggestie {args.id} is afgewezen.")
    return 0


def handle_privacy(settings: Settings, args: argparse.Namespace) -> int:
    """Run ``avg-assistent privacy <actie>``."""
    action = args.privacy_command
    if action == "toets-evaluatie":
        return _evaluate_check(settings, args)
    if action in ("draft", "regenerate", "check"):
        with _full_service(settings, args) as service:
            return _heavy_privacy(service, args)
    with _light_service(settings, args) as service:
        return _light_privacy(service, args)


HANDLERS: dict[str, Handler] = {"register": handle_register, "privacy": handle_privacy}


def _evaluate_check(settings: Settings, args: argparse.Namespace) -> int:
    """``privacy toets-evaluatie MAP``: agreement of the completeness check with labelled statements."""
    from assistant.ops.statement_evaluation import evaluate_statements, format_statement_evaluation

    if args.semantisch:
        from assistant.app import build_app

        app = build_app(settings)
        try:
            privacy = app.privacy
            result = evaluate_statements(args.folder, privacy.embedder, privacy.semantic_rule)
        finally:
            app.close()
    else:
        result = evaluate_statements(args.folder)
    print(
        json.dumps(result.to_json(args.totals_only), ensure_ascii=False)
        if args.json
        else format_statement_evaluation(result, args.totals_only)
    )
    return 0 if result.agreement >= args.min and not result.placeholder_present else 1


def _heavy_privacy(service: PrivacyService, args: argparse.Namespace) -> int:
    action = args.privacy_command
    if action == "check":
        if args.draft is not None:
            report = service.check_draft(args.draft, args.version, semantic=not args.no_semantic)
        else:
            report = service.check_file(args.file, args.client, semantic=not args.no_semantic)
        print(json.dumps(report.to_json(), ensure_ascii=False) if args.json else report.to_markdown())
        return 0 if report.complete else 1
    if action == "draft":
        record = service.create_draft(args.client, args.actor, polish=args.polish)
    else:
        record = service.regenerate(args.id, args.actor, polish=args.polish)
    draft = service.review.version(record.id)
    print(f"Concept {record.id}, versie {record.version} ({record.status_label}): {draft.title}")
    for notice in draft.notices:
        print(f"Let op: {notice}")
    return 0


def _light_privacy(service: PrivacyService, args: argparse.Namespace) -> int:
    action = args.privacy_command
    if action == "list":
        for record in service.drafts(args.client):
            print(
                f"[{record.id}] {record.client}: {record.title} — "
                f"versie {record.version}, {record.status_label}"
            )
    elif action == "show":
        view = service.view(args.id, args.version)
        if view.record.stale_reasons:
            print("Verouderd sinds goedkeuring:")
            for reason in view.record.stale_reasons:
                print(f"- {reason}")
            print()
        print(service.export_markdown(args.id, args.version))
    elif action in ("submit", "approve", "reject", "withdraw"):
        review = service.review
        if action == "submit":
            record = review.submit(args.id, args.actor)
        elif action == "approve":
            record = review.approve(args.id, args.actor, args.note)
        elif action == "reject":
            record = review.reject(args.id, args.actor, args.note)
        else:
            record = review.withdraw(args.id, args.actor)
        print(f"Concept {record.id} is nu {record.status_label}.")
    elif action == "comment":
        service.review.comment(args.id, args.section, args.actor, args.text)
        print("Opmerking geplaatst.")
    elif action == "diff":
        for diff in service.review.diff(args.id, args.old, args.new):
            if diff.change != "gelijk":
                print(f"## {diff.title} ({diff.change})")
                print("\n".join(diff.lines))
    elif action == "export":
        path = Path(args.path)
        if path.suffix.lower() == ".docx":
            service.export_docx(args.id, path, args.version)
        else:
            path.write_text(service.export_markdown(args.id, args.version), encoding="utf-8")
        print(f"Geëxporteerd naar {path}.")
    else:
        for entry in service.audit_trail(args.client, args.draft):
            print(
                f"{entry.at}  {entry.actor}  {entry.client}  {entry.action}  {entry.subject}  {entry.detail}"
            )
    return 0


# The permission each action needs, as in the web UI's Register tab.
_REGISTER = {
    a: Permission.MANAGE_REGISTER for a in ("import", "export", "show", "suggest", "accept", "reject")
}
_PRIVACY = {
    **{a: Permission.DRAFT_STATEMENT for a in ("draft", "regenerate", "list", "show", "check", "submit")},
    **{a: Permission.DRAFT_STATEMENT for a in ("withdraw", "comment", "diff", "export", "audit")},
    "approve": Permission.APPROVE_STATEMENT,
    "reject": Permission.APPROVE_STATEMENT,
}


def _permit(service: PrivacyService, actor: Actor, args: argparse.Namespace) -> None:
    """Check the ``--als`` account's permission for the client the action concerns; set ``args.actor``."""
    args.actor = actor.name
    if actor.user is None:
        return
    register = getattr(args, "register_command", None)
    action = register or args.privacy_command
    permission = _REGISTER[action] if register else _PRIVACY[action]
    client = getattr(args, "client", None)
    if register in ("accept", "reject"):
        client, _ = service.suggestion_store.get(args.id)
    elif register is None and getattr(args, "draft", None) is not None:
        client = service.review.get(args.draft).client
    elif register is None and action not in ("draft", "list", "check", "audit"):
        client = service.review.get(args.id).client
    actor.require(permission, client, f"{'register' if register else 'privacy'} {action}")


@contextmanager
def _light_service(settings: Settings, args: argparse.Namespace) -> Iterator[PrivacyService]:
    audit = AuditLog(Path(settings.data_dir) / AUDIT_FILE)
    users = UserStore(Path(settings.data_dir) / USERS_FILE, audit=audit)
    service = PrivacyService(
        settings.data_dir,
        audit=audit,
        four_eyes=settings.four_eyes,
        consultancy_name=settings.consultancy_name,
        display_name=lambda name: user.display_name if (user := users.get(name)) else "",
    )
    try:
        _permit(service, resolve_in(settings.data_dir, args), args)
        yield service
    finally:
        service.close()


@contextmanager
def _full_service(settings: Settings, args: argparse.Namespace) -> Iterator[PrivacyService]:
    from assistant.app import build_app

    app = build_app(settings)
    try:
        _permit(app.privacy, resolve(args, app.users, app.audit), args)
        yield app.privacy
    finally:
        app.close()


def _print_problems(problems: list[Problem]) -> None:
    if problems:
        print("Nog aan te vullen of te controleren:")
        for problem in problems:
            print(f"- {problem}")


def _suggestion_json(s: Suggestion) -> dict[str, Any]:
    return {
        "id": s.id,
        "soort": s.kind,
        "verwerking": s.activity,
        "waarde": s.value,
        "herkomst": s.origin,
        "bron": {"document": s.evidence.document, "pagina": s.evidence.page, "citaat": s.evidence.quote},
    }
