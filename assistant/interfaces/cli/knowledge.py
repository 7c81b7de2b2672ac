"""Knowledge-management subcommands of the CLI: ``docs``, ``clients``, ``sync`` and ``sources``.

:func:`add_commands` adds them to the ``avg-assistent`` parser and :func:`handlers` returns
their handlers; :mod:`assistant.interfaces.cli.main` wires both in. Output is Dutch; ``--json`` where a
script may want to read it. Who acts follows the one CLI rule (:mod:`assistant.interfaces.cli.actor`:
the operator ``cli:<login name>``, or ``--als`` an account with its permissions); the services
write every change to the audit log under that name.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.features.accounts.access import Permission
from assistant.settings import Settings
from ingestion.errors import StoreError
from knowledge.registry import KINDS, DocumentRecord

if TYPE_CHECKING:
    from assistant.app import App
    from assistant.interfaces.cli.actor import Actor

Handler = Callable[[Settings, argparse.Namespace], int]
OpenApp = Callable[[Settings], "App"]


def add_commands(commands: Any) -> None:
    """Add the docs, clients, sync and sources subcommands to the parser's subparsers."""
    _add_docs(commands.add_parser("docs", help="beheer documenten: lijst, tonen, vervangen, verwijderen"))
    _add_clients(commands.add_parser("clients", help="beheer klanten: toevoegen, hernoemen, archiveren"))

    sync = commands.add_parser("sync", help="houd een scope gelijk aan een map (alleen wijzigingen)")
    sync.add_argument("folder", type=Path, metavar="PAD")
    sync.add_argument("--scope", required=True, help="'algemeen' of 'klant:<naam>'")
    _add_document_options(sync, title=False)

    sources = commands.add_parser("sources", help="officiële bronnen (AVG van EUR-Lex) bijwerken")
    actions = sources.add_subparsers(dest="action", required=True, metavar="actie")
    update = actions.add_parser(
        "update", help="download de AVG en werk de kennisbank bij als de tekst wijzigde"
    )
    update.add_argument("--url", help="ander adres dan de EUR-Lex-pagina van de AVG")
    update.add_argument(
        "--from", dest="from_file", type=Path, metavar="BESTAND", help="lees een opgeslagen pagina"
    )
    update.add_argument(
        "--timeout", type=float, default=60.0, help="seconden wachten op EUR-Lex (standaard 60)"
    )
    actions.add_parser("list", help="toon de bijgehouden bronnen")


def _add_document_options(parser: argparse.ArgumentParser, title: bool = True) -> None:
    if title:
        parser.add_argument("--title", help="titel (alleen bij één bestand)")
    parser.add_argument(
        "--kind", choices=KINDS, help="soort document (standaard: procesdocument bij een klant)"
    )
    parser.add_argument("--owner", default="", help="eigenaar (wie het document beheert)")
    parser.add_argument(
        "--geldig-vanaf", dest="effective_date", default="", metavar="DATUM", help="JJJJ-MM-DD"
    )
    parser.add_argument(
        "--no-pii-mask",
        action="store_true",
        help="persoonsgegevens niet maskeren (standaard: procesdocumenten wel)",
    )


def _add_docs(docs: argparse.ArgumentParser) -> None:
    actions = docs.add_subparsers(dest="action", required=True, metavar="actie")
    listing = actions.add_parser("list", help="toon documenten")
    listing.add_argument("--scope", help="alleen deze scope")
    listing.add_argument("--kind", choices=KINDS, help="alleen deze soort")
    listing.add_argument("--zoek", help="tekst in titel, bestandsnaam of eigenaar")
    listing.add_argument("--alle", action="store_true", help="ook ingetrokken documenten")
    listing.add_argument("--json", action="store_true", help="uitvoer als JSON")

    show = actions.add_parser("show", help="toon gegevens en passages van een document")
    show.add_argument("doc_id", metavar="ID")
    show.add_argument("--version", type=int, metavar="N", help="een eerdere versie")
    show.add_argument("--json", action="store_true", help="uitvoer als JSON")

    history = actions.add_parser("history", help="toon alle versies van een document")
    history.add_argument("doc_id", metavar="ID")

    add = actions.add_parser("add", help="voeg bestanden toe met titel, soort, eigenaar en datum")
    add.add_argument("paths", nargs="+", type=Path, metavar="PAD")
    add.add_argument("--scope", default="algemeen", help="'algemeen' (standaard) of 'klant:<naam>'")
    _add_document_options(add)

    replace = actions.add_parser("replace", help="vervang een document door een nieuwe versie")
    replace.add_argument("doc_id", metavar="ID")
    replace.add_argument("path", type=Path, metavar="PAD")
    _add_document_options(replace)

    edit = actions.add_parser("set", help="wijzig eigenaar of geldig-vanaf (geen nieuwe versie)")
    edit.add_argument("doc_id", metavar="ID")
    edit.add_argument("--owner", help="nieuwe eigenaar")
    edit.add_argument("--geldig-vanaf", dest="effective_date", metavar="DATUM", help="JJJJ-MM-DD of leeg")

    retire = actions.add_parser(
        "retire", help="haal een document uit de zoekresultaten (geschiedenis blijft)"
    )
    retire.add_argument("doc_id", metavar="ID")

    remove = actions.add_parser("remove", help="wis een document volledig, met alle versies")
    remove.add_argument("doc_id", metavar="ID")
    remove.add_argument("--ja", action="store_true", help="niet om bevestiging vragen")

    again = actions.add_parser(
        "reindex", help="bouw vectoren en zoekindex opnieuw op uit de opgeslagen passages"
    )
    again.add_argument("--scope", help="alleen deze scope")


def _add_clients(clients: argparse.ArgumentParser) -> None:
    actions = clients.add_subparsers(dest="action", required=True, metavar="actie")
    actions.add_parser("add", help="maak een klant aan").add_argument("name", metavar="NAAM")
    listing = actions.add_parser("list", help="toon klanten")
    listing.add_argument("--alle", action="store_true", help="ook gearchiveerde klanten")
    listing.add_argument("--json", action="store_true", help="uitvoer als JSON")
    rename = actions.add_parser("rename", help="geef een klant een nieuwe naam")
    rename.add_argument("name", metavar="NAAM")
    rename.add_argument("new_name", metavar="NIEUWE_NAAM")
    actions.add_parser("archive", help="archiveer een klant (alleen-lezen)").add_argument(
        "name", metavar="NAAM"
    )
    actions.add_parser("activate", help="haal een klant uit het archief").add_argument("name", metavar="NAAM")
    delete = actions.add_parser("delete", help="wis een klant met al zijn documenten")
    delete.add_argument("name", metavar="NAAM")
    delete.add_argument("--ja", action="store_true", help="niet om bevestiging vragen")


def handlers(open_app: OpenApp) -> dict[str, Handler]:
    """Handlers of the subcommands by name; ``open_app`` builds the app (with the starter pack)."""

    def run(command: Callable[[App, Actor, argparse.Namespace], int]) -> Handler:
        def handler(settings: Settings, args: argparse.Namespace) -> int:
            from assistant.interfaces.cli.actor import resolve

            app = open_app(settings)
            try:
                return command(app, resolve(args, app.users, app.audit), args)
            finally:
                app.close()

        return handler

    return {"docs": run(_docs), "clients": run(_clients), "sync": run(_sync), "sources": run(_sources)}


def _options(args: argparse.Namespace) -> Any:
    from assistant.features.documents.service import DocumentOptions

    return DocumentOptions(
        title=getattr(args, "title", None),
        kind=args.kind,
        effective_date=args.effective_date,
        owner=args.owner,
        mask_pii=False if args.no_pii_mask else None,
    )


def _confirm(question: str, given: bool) -> bool:
    if given:
        return True
    if not sys.stdin.isatty():
        raise StoreError("Bevestig met --ja (er wordt niet om bevestiging gevraagd zonder terminal).")
    return input(f"{question} [j/N] ").strip().lower() in ("j", "ja", "y", "yes")


def _docs(app: App, actor: Actor, args: argparse.Namespace) -> int:
    service = app.documents
    action = args.action
    if action == "list":
        records = service.list(args.scope, args.kind, args.zoek, include_retired=args.alle)
        records = [r for r in records if actor.may_see(r.scope)]
        if args.json:
            print(json.dumps([_record_json(r) for r in records], ensure_ascii=False))
        else:
            _print_records(records)
        return 0
    if action in ("show", "history"):
        actor.scopes(_client_of(service.get(args.doc_id).scope), "document bekijken")
        if action == "history":
            for v in service.history(args.doc_id):
                print(
                    f"v{v.version}  {v.status:<11}  {v.created_at}  {v.chunk_count:>4} passages  "
                    f"{v.content_hash[:12]}  {v.title}" + (f"  (tot {v.ended_at})" if v.ended_at else "")
                )
            return 0
        view = service.show(args.doc_id, args.version)
        if args.json:
            print(json.dumps(_view_json(view), ensure_ascii=False))
        else:
            _print_view(view)
        return 0
    if action == "add":
        from assistant.features.documents.progress import TqdmProgress

        actor.require_document_write(args.scope, args.kind or "", "documenten toevoegen")
        with TqdmProgress() as progress:
            report = service.add_files(
                args.paths, args.scope, _options(args), progress=progress, actor=actor.name
            )
        print(report.summary())
        return 0 if report.count("overgeslagen") < len(report.results) or not report.results else 1
    if action == "reindex":
        from assistant.features.documents.progress import TqdmCounter

        if args.scope:
            actor.require_document_write(args.scope, action="opnieuw indexeren")
        else:
            actor.require(Permission.MANAGE_CLIENTS, action="opnieuw indexeren")
        with TqdmCounter("Documenten", "document") as bar:
            reindexed = service.reindex(args.scope, bar, actor=actor.name)
        print(reindexed.summary())
        return 0
    record = service.get(args.doc_id)
    actor.scopes(_client_of(record.scope), f"document {action}")  # an unassigned client's document
    actor.require_document_write(record.scope, record.kind, f"document {action}")
    return _change_document(service, actor, record, args)


def _change_document(service: Any, actor: Actor, record: DocumentRecord, args: argparse.Namespace) -> int:
    action = args.action
    if action == "replace":
        result = service.replace(record.id, args.path, _options(args), actor=actor.name)
        if result.outcome == "overgeslagen":
            print(f"Niet vervangen: {result.reason}", file=sys.stderr)
            return 1
        word = (
            "ongewijzigd (zelfde inhoud)" if result.outcome == "ongewijzigd" else f"versie {result.version}"
        )
        print(f"Document {result.doc_id}: {word}")
        return 0
    if action == "set":
        changed = service.set_metadata(record.id, args.owner, args.effective_date, actor=actor.name)
        since = changed.effective_date or "-"
        print(f"Document {changed.id}: eigenaar '{changed.owner}', geldig vanaf '{since}'")
        return 0
    if action == "retire":
        retired = service.retire(record.id, actor=actor.name)
        print(f"Ingetrokken: {retired.title} ({retired.id}); de versies blijven bewaard.")
        return 0
    if not _confirm(f"'{record.title}' ({record.id}) met alle versies definitief wissen?", args.ja):
        print("Niets gewist.")
        return 1
    erased = service.remove(record.id, actor=actor.name)
    print(f"Gewist: {erased.title} ({erased.doc_id})")
    if not erased.compacted:
        print("Let op: de opslag kon niet worden opgeschoond; probeer later 'docs reindex'.", file=sys.stderr)
    return 0


def _client_of(scope: str) -> str | None:
    from knowledge.scopes import CLIENT_PREFIX

    return scope[len(CLIENT_PREFIX) :] if scope.startswith(CLIENT_PREFIX) else None


def _clients(app: App, actor: Actor, args: argparse.Namespace) -> int:
    service = app.clients
    action = args.action
    actor.require(Permission.MANAGE_CLIENTS, action=f"klanten {action}")
    if action == "list":
        clients = service.list(include_archived=args.alle)
        if args.json:
            print(
                json.dumps(
                    [
                        {"name": c.name, "scope": c.scope, "status": c.status, "documents": c.documents}
                        for c in clients
                    ],
                    ensure_ascii=False,
                )
            )
        elif not clients:
            print("Geen klanten.")
        for c in clients if not args.json else []:
            retired = f", {c.retired} ingetrokken" if c.retired else ""
            print(f"{c.name}  ({c.status}, {c.documents} document(en){retired})")
        return 0
    if action == "add":
        info = service.add(args.name, actor=actor.name)
        print(f"Klant '{info.name}' aangemaakt (scope '{info.scope}').")
    elif action == "rename":
        info = service.rename(args.name, args.new_name, actor=actor.name)
        print(f"Klant hernoemd naar '{info.name}' ({info.documents} document(en) meeverhuisd).")
    elif action == "archive":
        info = service.archive(args.name, actor=actor.name)
        print(f"Klant '{info.name}' gearchiveerd: alleen-lezen en verborgen in keuzelijsten.")
    elif action == "activate":
        info = service.activate(args.name, actor=actor.name)
        print(f"Klant '{info.name}' is weer actief.")
    else:
        info = service.get(args.name)
        question = f"Klant '{info.name}' met {info.documents + info.retired} document(en) definitief wissen?"
        if not _confirm(question, args.ja):
            print("Niets gewist.")
            return 1
        deleted = service.delete(info.name, actor=actor.name)
        print(f"Klant '{deleted.name}' gewist ({deleted.documents} document(en)).")
    return 0


def _sync(app: App, actor: Actor, args: argparse.Namespace) -> int:
    from assistant.features.documents.folder_sync import sync_folder
    from assistant.features.documents.progress import TqdmProgress

    actor.require_document_write(args.scope, args.kind or "", "map synchroniseren")
    with TqdmProgress() as progress:
        report = sync_folder(
            app.documents, args.folder, args.scope, _options(args), progress, actor=actor.name
        )
    print(report.summary())
    return 0


def _sources(app: App, actor: Actor, args: argparse.Namespace) -> int:
    sources = app.sources
    if args.action == "list":
        records = sources.list()
        if not records:
            print("Nog geen officiële bronnen bijgehouden. Gebruik 'avg-assistent sources update'.")
        for r in records:
            print(f"{r.name}: {r.version_label}; opgehaald {r.fetched_at}, gewijzigd {r.changed_at}; {r.url}")
        return 0
    actor.require(Permission.MANAGE_GUIDANCE, action="bronnen bijwerken")
    update = sources.update(url=args.url, from_file=args.from_file, timeout=args.timeout, actor=actor.name)
    print(update.summary())
    return 0


def _record_json(record: DocumentRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "scope": record.scope,
        "title": record.title,
        "kind": record.kind,
        "law": record.law,
        "source": record.source_name,
        "status": record.status,
        "version": record.version,
        "effective_date": record.effective_date,
        "owner": record.owner,
        "chunks": record.chunk_count,
        "pii": record.pii,
        "content_hash": record.content_hash,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }


def _print_records(records: list[DocumentRecord]) -> None:
    from assistant.features.documents.service import pii_counts

    if not records:
        print("Geen documenten gevonden.")
        return
    for r in records:
        status = "" if r.status == "ready" else "  [ingetrokken]"
        date = f", geldig vanaf {r.effective_date}" if r.effective_date else ""
        owner = f", eigenaar {r.owner}" if r.owner else ""
        pii = pii_counts(r.pii)
        masked = f", gemaskeerd: {pii.describe()}" if pii.total else ""
        print(f"{r.id}  {r.scope}  {r.kind}  v{r.version}  {r.title}{date}{owner}{masked}{status}")


def _view_json(view: Any) -> dict[str, Any]:
    payload = _record_json(view.record)
    if view.version is not None:
        payload["shown_version"] = view.version.version
        payload["shown_version_status"] = view.version.status
        payload["shown_version_title"] = view.version.title
    payload["passages"] = [
        {"chunk_id": c.chunk_id, "citation": c.metadata.get("citation", ""), "text": c.text}
        for c in view.chunks
    ]
    return payload


def _print_view(view: Any) -> None:
    from assistant.features.documents.service import pii_counts

    r = view.record
    v = view.version
    print(f"Titel:          {v.title if v else r.title}")
    print(f"Id:             {r.id}")
    print(f"Scope:          {r.scope}")
    print(f"Soort:          {v.kind if v else r.kind}")
    print(f"Bestand:        {v.source_name if v else r.source_name}")
    print(f"Versie:         {v.version if v else r.version}" + (f" ({v.status})" if v else ""))
    print(f"Geldig vanaf:   {(v.effective_date if v else r.effective_date) or '-'}")
    print(f"Eigenaar:       {(v.owner if v else r.owner) or '-'}")
    print(f"Inhoudshash:    {v.content_hash if v else r.content_hash}")
    print(f"Aangemaakt:     {r.created_at}; bijgewerkt: {r.updated_at}")
    print(f"Gemaskeerd:     {pii_counts(v.pii if v else r.pii).describe()}")
    print(f"Status:         {'doorzoekbaar' if r.status == 'ready' else 'ingetrokken'}")
    print()
    for number, chunk in enumerate(view.chunks, start=1):
        citation = chunk.metadata.get("citation", "")
        print(f"[{number}] {citation}")
        print(chunk.text)
        print()
