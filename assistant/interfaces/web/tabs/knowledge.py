"""The "Kennisbank" tab of the web UI: upload, list, inspect, replace, erase and re-index documents.

:func:`build_tab` lays out the components inside the caller's ``gr.Tab``; the handlers live
on :class:`KnowledgeTab`, plain methods that take and return component values, so they are
tested without a browser. Every handler checks access for the user of the request
(``features.accounts.access``): the list shows only scopes the user may search; adding, replacing,
retiring and erasing need the write permission of the document's scope
(``richtlijnen_beheren`` / ``checklist_beheren`` for ``algemeen``, ``klantdocumenten_beheren``
for an assigned client); re-indexing every scope needs ``klanten_beheren``. Refusals go to
the audit log from here; changes are logged by ``DocumentService`` under the session
user. Errors are shown as Dutch messages, never as a stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import gradio as gr

from assistant.app import App
from assistant.error_report import report_unexpected
from assistant.features.accounts.access import (
    AccessDenied,
    Permission,
    allowed_scopes,
    may,
    require,
    require_document_write,
    resolve_scope,
)
from assistant.features.accounts.users import User
from assistant.features.audit.log import EventType
from assistant.features.documents.progress import FractionProgress
from assistant.features.documents.service import DocumentOptions, pii_counts
from assistant.interfaces.web.auth import current_user, request_username
from assistant.interfaces.web.natural_sort import natural_key
from assistant.interfaces.web.plain_text import literal_markdown
from assistant.interfaces.web.safe_components import safe_markdown, warn
from assistant.interfaces.web.tabs import cards
from assistant.interfaces.web.uploads import clear_consumed, consumed, require_present
from ingestion.dutch_dates import dutch_day, dutch_moment
from ingestion.errors import AvgError
from knowledge.registry import KINDS, STATUS_READY, DocumentRecord
from knowledge.scopes import GENERAL_SCOPE

logger = logging.getLogger(__name__)

ALL = "alle"
COLUMNS = [  # the useful columns first, the long id last
    "Titel",
    "Soort",
    "Scope",
    "Versie",
    "Status",
    "Geldig vanaf",
    "Eigenaar",
    "Persoonsgegevens gemaskeerd",
    "Bijgewerkt",
    "Id",
]
WIDTHS: list[str | int] = ["19%", "9%", "11%", "5%", "9%", "9%", "9%", "11%", "11%", "7%"]
MASK_KINDS = frozenset({"procesdocument"})
CHOOSE_SCOPE = "Kies eerst de scope (algemeen of een klant) waarin de documenten komen."
NO_WRITABLE_SCOPE = (
    "U kunt hier geen documenten toevoegen: met de rol {role} mag u in geen enkele scope documenten "
    "zetten. Algemene richtlijnen voegt een kennisbeheerder toe; documenten van een klant de consultant "
    "die aan die klant is toegewezen."
)

Rows = list[list[Any]]
Choices = list[tuple[str, str]]
T = TypeVar("T")
text = literal_markdown  # stored text inside the Markdown of this tab


class KnowledgeTab:
    """Handlers of the Kennisbank tab; ``notify`` shows a warning (``warn`` in the UI)."""

    def __init__(self, app: App, notify: Callable[[str], None] | None = None) -> None:
        self.app = app
        self.docs = app.documents
        self.clients = app.clients
        self.notify = notify or warn

    # -- values for the components ---------------------------------------------------------------

    def scope_choices(self, request: gr.Request | None = None) -> list[str]:
        """Scopes the user may add documents to: algemeen and the active clients assigned to them."""
        try:
            user = current_user(self.app, request)
        except AvgError:
            return []
        return self._writable_scopes(user)

    def rows(
        self,
        scope: str = ALL,
        kind: str = ALL,
        search: str = "",
        include_retired: bool = False,
        request: gr.Request | None = None,
    ) -> Rows:
        """The document table, filtered, limited to the scopes the user may search."""
        user = current_user(self.app, request)
        records = self._visible(user, scope, kind, search, include_retired)
        return [_row(r) for r in sorted(records, key=lambda r: natural_key(r.title))]

    def safe_rows(
        self,
        scope: str = ALL,
        kind: str = ALL,
        search: str = "",
        include_retired: bool = False,
        request: gr.Request | None = None,
    ) -> Rows:
        """Like :meth:`rows`, but an error becomes a warning and an empty table."""
        return self._guard(
            request, "kennisbank tonen", lambda: self.rows(scope, kind, search, include_retired, request), []
        )

    def document_choices(self, request: gr.Request | None = None) -> Choices:
        """(label, id) of every document the user may see, for the selector."""
        try:
            user = current_user(self.app, request)
        except AvgError:
            return []
        return [
            (
                f"{r.title} — {r.scope} (v{r.version}{'' if r.status == STATUS_READY else ', ingetrokken'})",
                r.id,
            )
            for r in self._visible(user, ALL, ALL, "", True)
        ]

    def refresh(
        self,
        scope: str = ALL,
        kind: str = ALL,
        search: str = "",
        include_retired: bool = False,
        upload_scope: str | None = None,
        request: gr.Request | None = None,
    ) -> tuple[Rows, Any, Any, Any, Any, Any, Any, str]:
        """On page load and after each change: the table, the document and the scope choices, and the
        add form (files and button disabled, with a Dutch reason, when the user may write no scope)."""
        writable = self.scope_choices(request)
        upload_value = upload_scope if upload_scope in writable else (writable[0] if writable else None)
        try:
            user: User | None = current_user(self.app, request)
            visible = allowed_scopes(user) if user is not None else []
        except AvgError:
            user, visible = None, []
        filter_value = scope if scope in visible else ALL
        return (
            self.safe_rows(filter_value, kind, search, include_retired, request),
            gr.update(choices=self.document_choices(request)),
            gr.update(choices=writable, value=upload_value),
            gr.update(choices=[ALL, *visible], value=filter_value),
            gr.update(choices=[ALL, *writable]),
            gr.update(interactive=bool(writable)),
            gr.update(interactive=bool(writable)),
            "" if writable or user is None else NO_WRITABLE_SCOPE.format(role=user.role.value),
        )

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
        request: gr.Request | None = None,
        progress: Callable[..., Any] = gr.Progress(),  # noqa: B008 - gradio injects its bar through this default
    ) -> str:
        """Add uploaded files with their metadata; returns a Dutch summary (Markdown).

        ``progress`` is gradio's progress bar (any ``progress(fraction, desc=...)`` callable).
        """
        if not files:
            self.notify("Kies eerst een of meer bestanden.")
            return ""

        def run() -> str:
            user = current_user(self.app, request)
            if not self._writable_scopes(user):
                raise AvgError(NO_WRITABLE_SCOPE.format(role=user.role.value))
            if not isinstance(scope, str) or not scope.strip():
                raise AvgError(CHOOSE_SCOPE)
            require_present(files)
            require_document_write(user, scope, kind or "")
            options = DocumentOptions(
                title=(title or "").strip() or None,
                kind=kind or None,
                effective_date=effective_date or "",
                owner=owner or "",
                mask_pii=bool(mask),
            )
            bar = FractionProgress(lambda fraction, text: progress(fraction, desc=text))
            report = self.docs.add_files(
                [Path(f) for f in files], scope, options, uploaded=True, progress=bar, actor=user.username
            )
            for result in report.results:
                if result.outcome == "overgeslagen":
                    self.notify(f"{Path(result.path).name}: {result.reason}")
            return _lines(report.summary(names_only=True))

        with consumed(files):  # the upload is read once and deleted (also the unmasked original)
            return self._guard(request, "documenten toevoegen", run, "")

    def details(self, doc_id: str | None, request: gr.Request | None = None) -> str:
        """Metadata, PII counts, versions and stored files of a document (Markdown)."""
        if not doc_id:
            return "_Kies een document._"

        def run() -> str:
            resolve_scope(current_user(self.app, request), self.docs.get(doc_id).scope)
            view = self.docs.show(doc_id)
            r = view.record
            counts = pii_counts(r.pii)
            lines = [
                f"### {text(r.title)}",
                f"- Id: {text(r.id)}",
                f"- Scope: {text(r.scope)}; soort: {text(r.kind)}; bestand: {text(r.source_name)}",
                f"- Versie {r.version}; {'doorzoekbaar' if r.status == STATUS_READY else 'ingetrokken'}",
                f"- Geldig vanaf: {dutch_day(r.effective_date) if r.effective_date else '-'}; "
                f"eigenaar: {text(r.owner) or '-'}",
                f"- Persoonsgegevens gemaskeerd: {counts.describe()}",
                f"- Passages: {r.chunk_count}; bijgewerkt: {dutch_moment(r.updated_at)}",
                "",
                "**Versies**",
            ]
            lines += [
                f"- v{v.version} ({text(v.status)}), {dutch_moment(v.created_at)}: {v.chunk_count} passages, "
                f"gemaskeerd: {pii_counts(v.pii).describe()}"
                for v in self.docs.history(r.id)
            ]
            stored = self.docs.stored_files(r.id)
            if stored:
                lines += ["", "**Opgeslagen bestanden**", *(f"- {text(p.name)}" for p in stored)]
            elif r.pii:
                lines += [
                    "",
                    "Het originele bestand is niet bewaard: van dit document blijft alleen de tekst "
                    "met gemaskeerde persoonsgegevens bewaard.",
                ]
            if view.chunks:
                first = view.chunks[0]
                lines += ["", f"**Eerste passage** ({text(str(first.metadata.get('citation', '')))})"]
                lines.append("> " + text(first.text[:600]).replace("\n", "\n> "))
            return "\n".join(lines)

        return self._guard(request, "document bekijken", run, "")

    def replace(
        self,
        doc_id: str | None,
        file: str | None,
        effective_date: str,
        owner: str,
        request: gr.Request | None = None,
    ) -> str:
        """Replace a document by a new version from an uploaded file."""
        if not doc_id or not file:
            self.notify("Kies een document en een nieuw bestand.")
            return ""

        def run() -> str:
            user, record = self._writable(doc_id, request)
            require_present([file])
            options = DocumentOptions(effective_date=effective_date or "", owner=owner or "")
            result = self.docs.replace(record.id, Path(file), options, actor=user.username)
            if result.outcome == "overgeslagen":
                self.notify(f"Niet vervangen: {result.reason}")
                return f"Niet vervangen: {text(result.reason)}"
            if result.outcome == "ongewijzigd":
                return "Het bestand is gelijk aan de huidige versie; er is niets veranderd."
            return f"Versie {result.version} is nu de doorzoekbare versie; eerdere versies blijven bewaard."

        with consumed([file]):
            return self._guard(request, "document vervangen", run, "")

    def remove(self, doc_id: str | None, confirmed: bool, request: gr.Request | None = None) -> str:
        """Erase a document with all versions and stored files, after confirmation."""
        if not doc_id:
            self.notify("Kies eerst een document.")
            return ""
        if not confirmed:
            self.notify("Bevestig eerst dat het document definitief gewist mag worden.")
            return ""

        def run() -> str:
            user, record = self._writable(doc_id, request)
            erased = self.docs.remove(record.id, actor=user.username)
            note = "" if erased.compacted else " De opslag wordt bij de volgende gelegenheid opgeschoond."
            return f"'{text(erased.title)}' is met alle versies en bestanden gewist.{note}"

        return self._guard(request, "document wissen", run, "")

    def after_remove(self, doc_id: str | None) -> tuple[Any, ...]:
        """After an erase: (choice, tick, details); the choice stays when the document still exists."""
        if doc_id and self.app.kb.registry.by_id(doc_id) is not None:
            return gr.update(), False, gr.update()
        return gr.update(value=None), False, "_Kies een document._"

    def retire(self, doc_id: str | None, request: gr.Request | None = None) -> str:
        """Take a document out of the search results, keeping its versions."""
        if not doc_id:
            self.notify("Kies eerst een document.")
            return ""

        def run() -> str:
            user, record = self._writable(doc_id, request)
            retired = self.docs.retire(record.id, actor=user.username)
            return f"'{text(retired.title)}' is uit de zoekresultaten gehaald."

        return self._guard(request, "document intrekken", run, "")

    def reindex(
        self,
        scope: str,
        request: gr.Request | None = None,
        progress: Callable[..., Any] = gr.Progress(),  # noqa: B008 - gradio injects its bar through this default
    ) -> str:
        """Rebuild vectors and lexical entries from the stored passages (progress per document)."""
        chosen = None if scope in (ALL, "", None) else scope

        def run() -> str:
            user = current_user(self.app, request)
            if chosen is None:
                require(user, Permission.MANAGE_CLIENTS)
            else:
                require_document_write(user, chosen)
            report = self.docs.reindex(
                chosen,
                lambda done, total: progress(done / max(1, total), desc=f"Document {done} van {total}"),
                actor=user.username,
            )
            return _lines(report.summary())

        return self._guard(request, "opnieuw indexeren", run, "")

    # -- access ----------------------------------------------------------------------------------

    def _writable_scopes(self, user: User) -> list[str]:
        scopes = []
        if may(user, Permission.MANAGE_GUIDANCE) or may(user, Permission.MANAGE_CHECKLIST):
            scopes.append(GENERAL_SCOPE)
        scopes += [
            c.scope for c in self.clients.list() if may(user, Permission.INGEST_CLIENT_DOCUMENTS, c.name)
        ]
        return scopes

    def _visible(
        self, user: User, scope: str, kind: str, search: str, include_retired: bool
    ) -> list[DocumentRecord]:
        allowed = set(allowed_scopes(user))
        records = self.docs.list(
            scope=None if scope in (ALL, "", None) else scope,
            kind=None if kind in (ALL, "", None) else kind,
            text=(search or "").strip() or None,
            include_retired=include_retired,
        )
        return [r for r in records if r.scope in allowed]

    def _writable(self, doc_id: str, request: gr.Request | None) -> tuple[User, DocumentRecord]:
        user = current_user(self.app, request)
        record = self.docs.get(doc_id)
        resolve_scope(user, record.scope)  # an unassigned client's document is not even named
        require_document_write(user, record.scope, record.kind)
        return user, record

    def _guard(self, request: gr.Request | None, action: str, run: Callable[[], T], fallback: T) -> T:
        try:
            return run()
        except AccessDenied as exc:
            self._refused(request, action, exc)
        except AvgError as exc:
            self.notify(str(exc))
            if isinstance(fallback, str):
                return f"**Fout:** {text(str(exc))}"  # type: ignore[return-value]
        except Exception as exc:  # noqa: BLE001 - never show a stack trace in the UI
            self.notify(report_unexpected(exc, f"kennisbank-actie {action}", logger))
        return fallback

    def _refused(self, request: gr.Request | None, action: str, exc: AccessDenied) -> None:
        try:
            name = current_user(self.app, request).username
        except AvgError:
            name = request_username(request) or "onbekend"
        try:
            self.app.audit.record(name, EventType.ACCESS_DENIED, action=action, reason=str(exc))
        except Exception:  # noqa: BLE001 - a failing log must not turn a refusal into a crash
            logger.exception("could not log a refusal")
        self.notify(str(exc))


def build_tab(app: App) -> None:
    """Lay out the Kennisbank tab; call inside ``with gr.Tab("Kennisbank"):``.

    The page is built once for everyone: lists and choices arrive per user on page load.
    """
    tab = KnowledgeTab(app)
    private: dict[str, Any] = {"api_visibility": "private"}
    safe_markdown(
        "## Kennisbank\nVoeg documenten toe, bekijk ze, vervang ze door een nieuwe versie of wis ze. "
        "Nieuwe klanten maakt een beheerder aan in het tabblad Beheer."
    )

    with gr.Accordion("Documenten toevoegen", open=True):
        files = gr.File(
            label="Bestanden (meerdere tegelijk mogelijk)",
            file_count="multiple",
            type="filepath",
            elem_id="kennisbank-bestanden",
        )
        with gr.Row():
            title = gr.Textbox(label="Titel (alleen bij één bestand; leeg = titel uit het document)")
            kind = gr.Dropdown(list(KINDS), value="document", label="Soort")
            scope = gr.Dropdown([], value=None, label="Scope", elem_id="kennisbank-scope")
        with gr.Row():
            effective = gr.Textbox(label="Geldig vanaf", placeholder="JJJJ-MM-DD")
            owner = gr.Textbox(label="Eigenaar")
            mask = gr.Checkbox(value=False, label="Persoonsgegevens maskeren")
        add = gr.Button("Toevoegen", variant="primary", elem_id="kennisbank-toevoegen")
        no_scope = safe_markdown(elem_id="kennisbank-geen-scope")
        added = safe_markdown(elem_id="kennisbank-resultaat")

    with gr.Accordion("Overzicht", open=True):
        with gr.Row():
            scope_filter = gr.Dropdown([ALL], value=ALL, label="Scope")
            kind_filter = gr.Dropdown([ALL, *KINDS], value=ALL, label="Soort")
            search = gr.Textbox(label="Zoeken in titel, bestand of eigenaar")
            retired = gr.Checkbox(value=False, label="Ook ingetrokken documenten")
        refresh = gr.Button("Vernieuwen")
        table = gr.Dataframe(
            value=[],
            headers=COLUMNS,
            interactive=False,
            wrap=True,
            column_widths=WIDTHS,
            elem_id="kennisbank-overzicht",
            elem_classes=["leesbare-tabel"],
        )

    with gr.Accordion("Document bekijken, vervangen of wissen", open=False):
        document = gr.Dropdown([], label="Document", value=None, elem_id="kennisbank-document")
        info = safe_markdown("_Kies een document._", elem_id="document-info")
        with gr.Row():
            new_file = gr.File(label="Nieuwe versie", file_count="single", type="filepath")
            with gr.Column():
                new_effective = gr.Textbox(label="Geldig vanaf (nieuwe versie)", placeholder="JJJJ-MM-DD")
                new_owner = gr.Textbox(label="Eigenaar (leeg = ongewijzigd)")
                replace = gr.Button("Vervangen door nieuwe versie")
        with gr.Row():
            retire = gr.Button("Uit zoekresultaten halen")
            confirm = gr.Checkbox(
                value=False,
                label="Ik begrijp dat dit document met alle versies definitief wordt gewist",
                elem_id="kennisbank-wissen-bevestigen",
            )
            remove = gr.Button("Definitief wissen", variant="stop", elem_id="kennisbank-wissen")
        changed = safe_markdown(elem_id="kennisbank-gewijzigd")

    with gr.Accordion("Opnieuw indexeren", open=False):
        reindex_scope = gr.Dropdown([ALL], value=ALL, label="Scope")
        reindex = gr.Button("Opnieuw indexeren")
        reindexed = safe_markdown()

    filters = [scope_filter, kind_filter, search, retired, scope]
    lists = [table, document, scope, scope_filter, reindex_scope, files, add, no_scope]
    after: dict[str, Any] = {"fn": tab.refresh, "inputs": filters, "outputs": lists, **private}
    gr.on(None, tab.refresh, filters, lists, **private)  # page load: this user's lists
    kind.change(lambda k: k in MASK_KINDS, kind, mask, **private)
    scope.change(
        lambda s: gr.update(value="procesdocument") if (s or "").startswith("klant:") else gr.update(),
        scope,
        kind,
        **private,
    )
    # A processed upload is deleted: the file field is cleared so the next click needs a fresh choice.
    add.click(tab.upload, [files, title, kind, scope, effective, owner, mask], added, **private).then(
        clear_consumed, files, files, **private
    ).then(**after)
    for trigger in (refresh.click, search.submit, scope_filter.change, kind_filter.change, retired.change):
        trigger(**after)
    document.change(tab.details, document, info, **private)
    replace.click(tab.replace, [document, new_file, new_effective, new_owner], changed, **private).then(
        clear_consumed, new_file, new_file, **private
    ).then(**after).then(tab.details, document, info, **private)
    retire.click(tab.retire, document, changed, **private).then(**after).then(
        tab.details, document, info, **private
    )
    # The choice is cleared only when the document is gone (a refused erase keeps it); the tick always.
    remove.click(tab.remove, [document, confirm], changed, **private).then(**after).then(
        tab.after_remove, document, [document, confirm, info], **private
    )
    document.change(lambda: False, None, confirm, **private)
    reindex.click(tab.reindex, reindex_scope, reindexed, **private)
    cards.build_section(app)  # answer cards and "Vragen zonder goed antwoord" (kennisbeheerder, beheerder)


def _row(r: DocumentRecord) -> list[Any]:
    return [
        r.title,
        r.kind,
        r.scope,
        r.version,
        "doorzoekbaar" if r.status == STATUS_READY else "ingetrokken",
        dutch_day(r.effective_date) if r.effective_date else "",
        r.owner,
        pii_counts(r.pii).describe() if r.pii else "-",
        dutch_moment(r.updated_at),
        r.id,
    ]


def _lines(value: str) -> str:
    """Plain multi-line text as Markdown lines."""
    return "  \n".join(literal_markdown(line) for line in value.splitlines())
