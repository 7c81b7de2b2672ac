"""The "Kennisbank" tab of the web UI: upload, list, inspect, replace, erase and re-index documents.

:func:`build_tab` lays out the components inside the caller's ``gr.Tab``; the handlers live
on :class:`KnowledgeTab`, plain methods that take and return component values, so they are
tested without a browser. Every handler catches errors: domain errors are shown as their
Dutch message, anything else as a general Dutch message (logged with its stack trace).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.app import App
from assistant.client_service import ClientService
from assistant.document_service import DocumentOptions, DocumentService, pii_counts
from ingestion.errors import AvgError
from knowledge.registry import KINDS, STATUS_READY, DocumentRecord

logger = logging.getLogger(__name__)

ALL = "alle"
COLUMNS = [
    "Id",
    "Titel",
    "Soort",
    "Scope",
    "Versie",
    "Geldig vanaf",
    "Eigenaar",
    "Persoonsgegevens gemaskeerd",
    "Status",
    "Bijgewerkt",
]
UNEXPECTED = "Er ging iets mis. Probeer het opnieuw of neem contact op met de beheerder."
MASK_KINDS = frozenset({"procesdocument"})

Rows = list[list[Any]]
Choices = list[tuple[str, str]]


class KnowledgeTab:
    """Handlers of the Kennisbank tab; ``notify`` shows a warning (``gr.Warning`` in the UI)."""

    def __init__(self, app: App, notify: Callable[[str], None] | None = None) -> None:
        self.docs = DocumentService(app.kb, app.ingest.limits)
        self.clients = ClientService(app.kb)
        self.notify = notify or gr.Warning

    # -- values for the components ---------------------------------------------------------------

    def scope_choices(self) -> list[str]:
        """Scopes one can add documents to: algemeen and active clients."""
        return self.clients.selectable_scopes()

    def rows(
        self, scope: str = ALL, kind: str = ALL, search: str = "", include_retired: bool = False
    ) -> Rows:
        """The document table, filtered."""
        records = self.docs.list(
            scope=None if scope in (ALL, "", None) else scope,
            kind=None if kind in (ALL, "", None) else kind,
            text=(search or "").strip() or None,
            include_retired=include_retired,
        )
        return [_row(r) for r in records]

    def safe_rows(
        self, scope: str = ALL, kind: str = ALL, search: str = "", include_retired: bool = False
    ) -> Rows:
        """Like :meth:`rows`, but an error becomes a warning and an empty table."""
        try:
            return self.rows(scope, kind, search, include_retired)
        except AvgError as exc:
            self.notify(str(exc))
        except Exception:  # noqa: BLE001 - never show a stack trace in the UI
            logger.exception("kennisbank-overzicht mislukt")
            self.notify(UNEXPECTED)
        return []

    def document_choices(self, include_retired: bool = True) -> Choices:
        """(label, id) of every document for the selector."""
        return [
            (
                f"{r.title} — {r.scope} (v{r.version}{'' if r.status == STATUS_READY else ', ingetrokken'})",
                r.id,
            )
            for r in self.docs.list(include_retired=include_retired)
        ]

    # -- handlers --------------------------------------------------------------------------------

    def upload(
        self,
        files: list[str] | None,
        title: str,
        kind: str,
        scope: str,
        effective_date: str,
        owner: str,
        mask: bool,
    ) -> str:
        """Add uploaded files with their metadata; returns a Dutch summary (Markdown)."""
        if not files:
            self.notify("Kies eerst een of meer bestanden.")
            return ""

        def run() -> str:
            options = DocumentOptions(
                title=(title or "").strip() or None,
                kind=kind or None,
                effective_date=effective_date or "",
                owner=owner or "",
                mask_pii=bool(mask),
            )
            report = self.docs.add_files([Path(f) for f in files], scope, options, uploaded=True)
            for result in report.results:
                if result.outcome == "overgeslagen":
                    self.notify(f"{Path(result.path).name}: {result.reason}")
            return _lines(report.summary(names_only=True))

        return self._guard(run, "")

    def details(self, doc_id: str | None) -> str:
        """Metadata, PII counts, versions and stored files of a document (Markdown)."""
        if not doc_id:
            return "_Kies een document._"

        def run() -> str:
            view = self.docs.show(doc_id)
            r = view.record
            counts = pii_counts(r.pii)
            lines = [
                f"### {html.escape(r.title)}",
                f"- Id: `{r.id}`",
                f"- Scope: {html.escape(r.scope)}; soort: {r.kind}; bestand: {html.escape(r.source_name)}",
                f"- Versie {r.version}; {'doorzoekbaar' if r.status == STATUS_READY else 'ingetrokken'}",
                f"- Geldig vanaf: {r.effective_date or '-'}; eigenaar: {html.escape(r.owner) or '-'}",
                f"- Persoonsgegevens gemaskeerd: {counts.describe()}",
                f"- Passages: {r.chunk_count}; bijgewerkt: {r.updated_at}",
                "",
                "**Versies**",
            ]
            lines += [
                f"- v{v.version} ({v.status}), {v.created_at}: {v.chunk_count} passages, "
                f"gemaskeerd: {pii_counts(v.pii).describe()}"
                for v in self.docs.history(r.id)
            ]
            stored = self.docs.stored_files(r.id)
            if stored:
                lines += ["", "**Opgeslagen bestanden**", *(f"- {html.escape(p.name)}" for p in stored)]
            if view.chunks:
                first = view.chunks[0]
                lines += ["", f"**Eerste passage** ({html.escape(str(first.metadata.get('citation', '')))})"]
                lines.append("> " + html.escape(first.text[:600]).replace("\n", "\n> "))
            return "\n".join(lines)

        return self._guard(run, "")

    def replace(self, doc_id: str | None, file: str | None, effective_date: str, owner: str) -> str:
        """Replace a document by a new version from an uploaded file."""
        if not doc_id or not file:
            self.notify("Kies een document en een nieuw bestand.")
            return ""

        def run() -> str:
            options = DocumentOptions(effective_date=effective_date or "", owner=owner or "")
            result = self.docs.replace(doc_id, Path(file), options)
            if result.outcome == "overgeslagen":
                self.notify(f"Niet vervangen: {result.reason}")
                return f"Niet vervangen: {html.escape(result.reason)}"
            if result.outcome == "ongewijzigd":
                return "Het bestand is gelijk aan de huidige versie; er is niets veranderd."
            return f"Versie {result.version} is nu de doorzoekbare versie; eerdere versies blijven bewaard."

        return self._guard(run, "")

    def remove(self, doc_id: str | None, confirmed: bool) -> str:
        """Erase a document with all versions and stored files, after confirmation."""
        if not doc_id:
            self.notify("Kies eerst een document.")
            return ""
        if not confirmed:
            self.notify("Bevestig eerst dat het document definitief gewist mag worden.")
            return ""

        def run() -> str:
            erased = self.docs.remove(doc_id)
            note = "" if erased.compacted else " De opslag wordt bij de volgende gelegenheid opgeschoond."
            return f"'{html.escape(erased.title)}' is met alle versies en bestanden gewist.{note}"

        return self._guard(run, "")

    def retire(self, doc_id: str | None) -> str:
        """Take a document out of the search results, keeping its versions."""
        if not doc_id:
            self.notify("Kies eerst een document.")
            return ""
        return self._guard(
            lambda: f"'{html.escape(self.docs.retire(doc_id).title)}' is uit de zoekresultaten gehaald.", ""
        )

    def reindex(self, scope: str) -> str:
        """Rebuild vectors and lexical entries from the stored passages."""
        chosen = None if scope in (ALL, "", None) else scope
        return self._guard(lambda: _lines(self.docs.reindex(chosen).summary()), "")

    def _guard(self, run: Callable[[], str], fallback: str) -> str:
        try:
            return run()
        except AvgError as exc:
            self.notify(str(exc))
            return f"**Fout:** {html.escape(str(exc))}"
        except Exception:  # noqa: BLE001 - never show a stack trace in the UI
            logger.exception("kennisbank-actie mislukt")
            self.notify(UNEXPECTED)
            return fallback or UNEXPECTED


def build_tab(app: App) -> None:
    """Lay out the Kennisbank tab; call inside ``with gr.Tab("Kennisbank"):``."""
    tab = KnowledgeTab(app)
    scopes = tab.scope_choices()
    gr.Markdown("## Kennisbank\nVoeg documenten toe, bekijk ze, vervang ze door een nieuwe versie of wis ze.")

    with gr.Accordion("Documenten toevoegen", open=True):
        files = gr.File(
            label="Bestanden (meerdere tegelijk mogelijk)", file_count="multiple", type="filepath"
        )
        with gr.Row():
            title = gr.Textbox(label="Titel (alleen bij één bestand; leeg = titel uit het document)")
            kind = gr.Dropdown(list(KINDS), value="document", label="Soort")
            scope = gr.Dropdown(scopes, value=scopes[0], label="Scope", allow_custom_value=True)
        with gr.Row():
            effective = gr.Textbox(label="Geldig vanaf", placeholder="JJJJ-MM-DD")
            owner = gr.Textbox(label="Eigenaar")
            mask = gr.Checkbox(value=False, label="Persoonsgegevens maskeren")
        add = gr.Button("Toevoegen", variant="primary")
        added = gr.Markdown()

    with gr.Accordion("Overzicht", open=True):
        with gr.Row():
            scope_filter = gr.Dropdown([ALL, *scopes], value=ALL, label="Scope", allow_custom_value=True)
            kind_filter = gr.Dropdown([ALL, *KINDS], value=ALL, label="Soort")
            search = gr.Textbox(label="Zoeken in titel, bestand of eigenaar")
            retired = gr.Checkbox(value=False, label="Ook ingetrokken documenten")
        refresh = gr.Button("Vernieuwen")
        table = gr.Dataframe(
            value=tab.safe_rows,  # a callable: evaluated on every page load
            headers=COLUMNS,
            interactive=False,
            wrap=True,
        )

    with gr.Accordion("Document bekijken, vervangen of wissen", open=False):
        document = gr.Dropdown(tab.document_choices(), label="Document", value=None)
        info = gr.Markdown("_Kies een document._")
        with gr.Row():
            new_file = gr.File(label="Nieuwe versie", file_count="single", type="filepath")
            with gr.Column():
                new_effective = gr.Textbox(label="Geldig vanaf (nieuwe versie)", placeholder="JJJJ-MM-DD")
                new_owner = gr.Textbox(label="Eigenaar (leeg = ongewijzigd)")
                replace = gr.Button("Vervangen door nieuwe versie")
        with gr.Row():
            retire = gr.Button("Uit zoekresultaten halen")
            confirm = gr.Checkbox(
                value=False, label="Ik begrijp dat dit document met alle versies definitief wordt gewist"
            )
            remove = gr.Button("Definitief wissen", variant="stop")
        changed = gr.Markdown()

    with gr.Accordion("Opnieuw indexeren", open=False):
        reindex_scope = gr.Dropdown([ALL, *scopes], value=ALL, label="Scope", allow_custom_value=True)
        reindex = gr.Button("Opnieuw indexeren")
        reindexed = gr.Markdown()

    filters = [scope_filter, kind_filter, search, retired]

    def refreshed(*values: Any) -> tuple[Rows, Any, Any, Any]:
        current = tab.scope_choices()
        return (
            tab.safe_rows(*values),
            gr.update(choices=tab.document_choices()),
            gr.update(choices=current),
            gr.update(choices=[ALL, *current]),
        )

    after = {"fn": refreshed, "inputs": filters, "outputs": [table, document, scope, scope_filter]}
    kind.change(lambda k: k in MASK_KINDS, kind, mask)
    scope.change(
        lambda s: gr.update(value="procesdocument") if s.startswith("klant:") else gr.update(), scope, kind
    )
    add.click(tab.upload, [files, title, kind, scope, effective, owner, mask], added).then(**after)
    for trigger in (refresh.click, search.submit, scope_filter.change, kind_filter.change, retired.change):
        trigger(**after)
    document.change(tab.details, document, info)
    replace.click(tab.replace, [document, new_file, new_effective, new_owner], changed).then(**after).then(
        tab.details, document, info
    )
    retire.click(tab.retire, document, changed).then(**after).then(tab.details, document, info)
    remove.click(tab.remove, [document, confirm], changed).then(**after).then(
        lambda: (gr.update(value=None), False, "_Kies een document._"), None, [document, confirm, info]
    )
    reindex.click(tab.reindex, reindex_scope, reindexed)


def _row(r: DocumentRecord) -> list[Any]:
    return [
        r.id,
        r.title,
        r.kind,
        r.scope,
        r.version,
        r.effective_date or "",
        r.owner,
        pii_counts(r.pii).describe() if r.pii else "-",
        "doorzoekbaar" if r.status == STATUS_READY else "ingetrokken",
        r.updated_at,
    ]


def _lines(text: str) -> str:
    """Plain multi-line text as Markdown lines."""
    return "  \n".join(html.escape(line) for line in text.splitlines())
