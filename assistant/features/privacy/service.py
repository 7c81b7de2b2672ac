"""The facade the CLI and the web UI use: registers, suggestions, drafts, checks, review, export.

Built once by the composition root (``App.privacy``) or, for register work that needs no search,
from a data dir alone. Every change to a register re-checks the
client's approved drafts, so a draft becomes "verouderd" as soon as its facts change; a new version
of a client document does the same through the portfolio's change listener (``app.py``). Listing,
opening and exporting drafts are reads: they show the staleness as it is now (a deleted source
too) but write nothing, so a read changes no row, date or audit trail.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from assistant.features.audit.log import AuditLog, EventType
from assistant.features.privacy import lifecycle
from assistant.features.privacy.automated_decisions import described_automated_decisions
from assistant.features.privacy.completeness import (
    CompletenessReport,
    SemanticRule,
    check_draft,
    check_file,
)
from assistant.features.privacy.errors import RegisterError
from assistant.features.privacy.export import ExportInfo, to_docx, to_markdown
from assistant.features.privacy.facts import register_facts
from assistant.features.privacy.model import Activity, Controller, Problem, Recipient, Register, validate
from assistant.features.privacy.other_sources import (
    OtherSource,
    Passage,
    find_other_sources,
    short_quote,
    with_document_sources,
)
from assistant.features.privacy.polish import polish_draft
from assistant.features.privacy.register_conflicts import find_conflicts
from assistant.features.privacy.register_data_items import unrecorded_data_items
from assistant.features.privacy.register_id_copies import unrecorded_identity_copies
from assistant.features.privacy.register_identifiers import unrecorded_identifiers
from assistant.features.privacy.register_io import export_register, import_register
from assistant.features.privacy.register_semantic import SemanticBinder
from assistant.features.privacy.register_special import listed_health_data, unrecorded_special_data
from assistant.features.privacy.register_tracking import unrecorded_tracking
from assistant.features.privacy.review import APPROVED, STALE, DraftRecord, ReviewService, Staleness
from assistant.features.privacy.review import REJECTED as DRAFT_REJECTED
from assistant.features.privacy.statement import Draft, build_draft
from assistant.features.privacy.store import AuditEntry, PrivacyDatabase, RegisterStore
from assistant.features.privacy.suggestions import (
    ACCEPTED,
    KEEP,
    OPEN,
    REJECTED,
    REPLACE,
    Suggestion,
    SuggestionConflict,
    SuggestionFinder,
    SuggestionRun,
    SuggestionStore,
    apply_suggestion,
)
from knowledge.scopes import CLIENT_PREFIX, client_scope

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from knowledge.embeddings import IdentifiedEmbeddings
    from knowledge.retrieval import HybridRetriever


class _DocumentFinding(Protocol):
    """What a detector of the register against the client's documents reports: the activity ("" when
    none fits) and its Dutch warning."""

    @property
    def activity(self) -> str: ...  # noqa: D102

    def message(self) -> str: ...  # noqa: D102


#: The register against the client's documents, in the order the warnings are shown: other sources,
#: unrecorded recipients, special data (in the documents, then among the register's own data items), copies
#: of identity documents, location or access logs, identifiers and forgotten data items. Each takes
#: (passages, register, binder).
_DOCUMENT_DETECTORS: tuple[Callable[..., Sequence[_DocumentFinding]], ...] = (
    find_other_sources,
    find_conflicts,
    unrecorded_special_data,
    listed_health_data,
    unrecorded_identity_copies,
    unrecorded_tracking,
    unrecorded_identifiers,
    unrecorded_data_items,
)


@dataclass(frozen=True)
class DraftView:
    """A draft's state, the shown version and what changed since it was approved."""

    record: DraftRecord
    draft: Draft
    staleness: Staleness


class PrivacyService:
    """Register and privacyverklaring use cases for one data dir."""

    def __init__(
        self,
        data_dir: Path,
        retriever: HybridRetriever | None = None,
        current_hashes: Callable[[list[str]], dict[str, str]] | None = None,
        model: BaseChatModel | None = None,
        embedder: IdentifiedEmbeddings | None = None,
        four_eyes: bool = False,
        semantic_rule: SemanticRule | None = None,
        audit: AuditLog | None = None,
        consultancy_name: str = "",
        display_name: Callable[[str], str] | None = None,
        passages: Callable[[str], Sequence[Passage]] | None = None,
        transfers: Callable[[Sequence[Passage], Register | None], list[str]] | None = None,
    ) -> None:
        """``consultancy_name`` is the author of Word exports; ``display_name`` gives an account's
        display name ("" when it has none), the only name of a person an export shows; ``passages``
        gives every passage of a client's documents (for art. 14: data from third parties);
        ``transfers`` the transfers outside the EEA that passages of a client's documents show and its
        register does not record (the Compliancy Check's reading of known services and described places)."""
        self.db = PrivacyDatabase.in_data_dir(data_dir)
        if audit is not None:  # every trail entry also goes to the central audit log
            self.db.listeners.append(lambda entries: _to_central(audit, entries))
        self.registers = RegisterStore(self.db)
        self.suggestion_store = SuggestionStore(self.db)
        self.review = ReviewService(self.db, four_eyes=four_eyes)
        self.retriever = retriever
        self._current_hashes = current_hashes
        self.model = model
        self.embedder = embedder
        self.semantic_rule = semantic_rule or SemanticRule()
        self.consultancy_name = consultancy_name
        self._display_name = display_name
        self._passages = passages
        self._transfers = transfers

    def close(self) -> None:
        """Close the register database."""
        self.db.close()

    # --- lifecycle (see assistant.features.lifecycle) -----------------------------------------

    def erase_client(self, client: str) -> int:
        """Erase the client's register, suggestions, drafts and register audit trail."""
        return lifecycle.erase_client(self.db, client)

    def rename_client(self, old: str, new: str) -> None:
        """Move everything of the client to its new name."""
        lifecycle.rename_client(self.db, old, new)

    def forget_document(self, doc_id: str, title: str) -> int:
        """Replace quotes from the erased document in suggestions and register sources."""
        return lifecycle.forget_document(self.db, doc_id)

    # --- register -------------------------------------------------------------------------

    def clients(self) -> list[str]:
        """Clients with a register."""
        return self.registers.clients()

    def register(self, client: str) -> Register:
        """The client's register."""
        return self.registers.load(client)

    def save_register(self, register: Register, actor: str) -> list[Problem]:
        """Validate and store; re-check approved drafts; return the warnings."""
        warnings = self.registers.save(register, actor)
        self.refresh_staleness(register.client)
        return warnings

    def import_register(
        self, path: Path, actor: str, client: str | None = None
    ) -> tuple[Register, list[Problem]]:
        """Import a YAML/CSV/XLSX file (a CSV keeps the existing organisation details)."""
        base = None
        if client and self.registers.exists(client):
            base = self.registers.load(client)
        register = import_register(Path(path), client=client, base=base)
        if not register.client:
            raise RegisterError("Het bestand noemt geen klant; geef de klant op.")
        warnings = self.registers.save(register, actor, action=f"register geïmporteerd uit {Path(path).name}")
        self.refresh_staleness(register.client)
        stored = self.registers.load(register.client)
        return stored, warnings + self.document_problems(stored)

    def create_register(self, client: str, actor: str) -> Register:
        """Start an empty register for ``client`` (refused when it already has one)."""
        name = client_scope(client).partition(":")[2]
        if self.registers.exists(name):
            raise RegisterError(f"Klant '{name}' heeft al een verwerkingsregister.")
        self.registers.save(Register(name, Controller(name=name)), actor, action="leeg register aangelegd")
        return self.registers.load(name)

    def save_activity(
        self, client: str, activity: Activity, actor: str, previous: str | None = None
    ) -> list[Problem]:
        """Add ``activity`` or replace the one called ``previous``; its sources stay; returns warnings."""
        register = self.registers.load(client)
        if not activity.name.strip():
            raise RegisterError("Geef de verwerking een naam.")
        old = register.activity(previous) if previous else None
        if previous and old is None:
            raise RegisterError(f"Verwerking '{previous}' staat niet (meer) in het register.")
        clash = register.activity(activity.name)
        if clash is not None and clash is not old:
            raise RegisterError(f"Er is al een verwerking '{clash.name}' in het register.")
        if old is not None:
            activity.sources = activity.sources or old.sources
            register.activities[register.activities.index(old)] = activity
            action = f"verwerking '{activity.name}' gewijzigd"
        else:
            register.activities.append(activity)
            action = f"verwerking '{activity.name}' toegevoegd"
        warnings = self.registers.save(register, actor, action=action)
        self.refresh_staleness(register.client)
        return warnings

    def remove_activity(self, client: str, name: str, actor: str) -> Register:
        """Take the activity called ``name`` out of the register."""
        register = self.registers.load(client)
        activity = register.activity(name or "")
        if activity is None:
            raise RegisterError(f"Verwerking '{name}' staat niet (meer) in het register.")
        register.activities.remove(activity)
        self.registers.save(register, actor, action=f"verwerking '{activity.name}' verwijderd")
        self.refresh_staleness(register.client)
        return self.registers.load(register.client)

    def save_controller(self, client: str, controller: Controller, actor: str) -> Register:
        """Store the organisation details (verwerkingsverantwoordelijke) of the register."""
        register = self.registers.load(client)
        if not controller.name.strip():
            raise RegisterError("Vul de naam van de organisatie in.")
        if not controller.register_updated:  # the client's own date stays until it gives another
            controller = replace(controller, register_updated=register.controller.register_updated)
        register.controller = controller
        self.registers.save(register, actor, action="organisatiegegevens gewijzigd")
        self.refresh_staleness(register.client)
        return self.registers.load(register.client)

    def register_template(self, path: Path, client: str | None = None) -> Path:
        """Write a template to fill in (format by suffix): the client's organisation and one example row."""
        controller = Controller(name="")
        if client and self.registers.exists(client):
            controller = self.registers.load(client).controller
        name = client_scope(client).partition(":")[2] if client else ""
        export_register(Register(name, controller, [template_activity()]), Path(path))
        return Path(path)

    def export_register(self, client: str, path: Path) -> Path:
        """Write the client's register to ``path`` (format by suffix)."""
        export_register(self.registers.load(client), Path(path))
        return Path(path)

    def problems(self, client: str) -> list[Problem]:
        """Validation findings of the stored register, and what the client's documents say it lacks."""
        register = self.registers.load(client)
        return validate(register) + self.document_problems(register)

    def other_sources(self, register: Register) -> list[OtherSource]:
        """Passages of the client's documents showing data from third parties for activities without
        a ``bron`` (art. 14 AVG); empty without a knowledge base."""
        if self._passages is None:
            return []
        return find_other_sources(self._passages(register.client), register, self.sentence_binder(register))

    def sentence_binder(self, register: Register) -> SemanticBinder | None:
        """What binds a document sentence to one of ``register``'s activities by meaning (the knowledge
        base's embedder; None without one: the word-based binders decide alone)."""
        return SemanticBinder(self.embedder, register) if self.embedder is not None else None

    def document_problems(self, register: Register) -> list[Problem]:
        """Register warnings from the client's documents: a source the register does not record, a
        retention period or legal duty that contradicts it (:mod:`.register_conflicts`), health data of an
        activity that records no special data (:mod:`.register_special`), copies of identity
        documents (:mod:`.register_id_copies`), location data or access logs (:mod:`.register_tracking`) and
        the BSN, DigiD login details or criminal data (:mod:`.register_identifiers`) it does not list."""
        if self._passages is None:
            return []
        # the passages read and the activities embedded once, for every kind of warning
        passages = self._passages(register.client)
        binder = self.sentence_binder(register)
        return [
            Problem(f"Verwerking '{f.activity}'" if f.activity else "Register", f.message())
            for detect in _DOCUMENT_DETECTORS
            for f in detect(passages, register, binder)
        ]

    # --- suggestions ----------------------------------------------------------------------

    def find_suggestions(self, client: str, actor: str) -> SuggestionRun:
        """Search the client's documents and store new suggestions; returns the run (open ones listed)."""
        if self.retriever is None:
            raise RegisterError("Suggesties zoeken kan alleen met de kennisbank geopend.")
        register = self.registers.load(client) if self.registers.exists(client) else None
        run = SuggestionFinder(self.retriever, self.model).find(client, register)
        name = client_scope(client).partition(":")[2]
        self.suggestion_store.add(name, run.suggestions, actor)
        run.suggestions = self.suggestion_store.list(name)
        return run

    def suggestions(self, client: str, status: str | None = "open") -> list[Suggestion]:
        """Stored suggestions of the client."""
        return self.suggestion_store.list(client_scope(client).partition(":")[2], status)

    def accept_suggestion(
        self, suggestion_id: int, actor: str, activity: str | None = None, choice: str | None = None
    ) -> Register:
        """Move a suggestion into the register (creating the register or activity when needed).

        A different value already in the register raises :class:`SuggestionConflict` (nothing is
        changed) until ``choice`` says which wins: "nieuw" takes the suggestion, "huidig" keeps the
        register's value and records the suggestion as declined.
        """
        client, suggestion = self.suggestion_store.get(suggestion_id)
        if suggestion.status != OPEN:
            raise RegisterError(f"Over suggestie {suggestion_id} is al besloten ({suggestion.status}).")
        if self.registers.exists(client):
            register = self.registers.load(client)
        else:
            register = Register(client, Controller(name=client))
        before = register.activity(activity or suggestion.activity)
        old_value = before.retention if before is not None else ""
        apply_suggestion(register, suggestion, activity, choice)
        target = activity or suggestion.activity
        if choice == KEEP:
            self.suggestion_store.decide(
                suggestion_id, REJECTED, actor, f"huidige waarde van verwerking '{target}' behouden"
            )
            return register
        note = f"naar verwerking '{target}'" + (
            f"; vervangt '{old_value}'" if choice == REPLACE and old_value else ""
        )
        self.suggestion_store.decide(suggestion_id, ACCEPTED, actor, note)
        self.registers.save(register, actor, action="suggestie in register opgenomen")
        self.refresh_staleness(client)
        return self.registers.load(client)

    def suggestion_conflict(
        self, suggestion_id: int, activity: str | None = None
    ) -> SuggestionConflict | None:
        """The conflict accepting this suggestion would raise now (current next to proposed), or None."""
        client, suggestion = self.suggestion_store.get(suggestion_id)
        if not self.registers.exists(client):
            return None
        try:
            apply_suggestion(self.registers.load(client), suggestion, activity)
        except SuggestionConflict as conflict:
            return conflict
        return None

    def reject_suggestion(self, suggestion_id: int, actor: str, reason: str = "") -> None:
        """Reject a suggestion (it is not proposed again)."""
        self.suggestion_store.decide(suggestion_id, REJECTED, actor, reason)

    # --- drafts ---------------------------------------------------------------------------

    def generate(self, client: str, polish: bool = False) -> Draft:
        """A draft for the client's current register (not stored)."""
        register = self.registers.load(client)
        draft = build_draft(register, self.current_hashes(register.client), self.other_sources(register))
        if polish:
            if self.model is None:
                draft.notices.append("Er is geen taalmodel ingesteld; de tekst komt uit de sjablonen.")
            else:
                draft = polish_draft(draft, self.model)
        return draft

    def create_draft(self, client: str, actor: str, polish: bool = False) -> DraftRecord:
        """Generate and store a new draft (version 1, concept)."""
        draft = self.generate(client, polish)
        note = "gegenereerd uit het register" + (" en herschreven door het taalmodel" if polish else "")
        return self.review.create(draft, actor, note)

    def regenerate(self, draft_id: int, actor: str, polish: bool = False) -> DraftRecord:
        """A new version of an existing draft from the current register."""
        record = self.review.get(draft_id)
        draft = self.generate(record.client, polish)
        return self.review.add_version(draft_id, draft, actor, "opnieuw gegenereerd uit het register")

    def view(self, draft_id: int, version: int | None = None) -> DraftView:
        """The draft (latest or given version) with its staleness as it is now; writes nothing."""
        record = self.current_record(draft_id)
        draft = self.review.version(draft_id, version)
        staleness = self._staleness(record)
        return DraftView(record, draft, staleness)

    def drafts(self, client: str | None = None) -> list[DraftRecord]:
        """Drafts (of one client), each with its staleness as it is now; writes nothing."""
        name = client_scope(client).partition(":")[2] if client else None
        return [self._current(r) for r in self.review.list(name)]

    def current_record(self, draft_id: int) -> DraftRecord:
        """One draft's state with its staleness as it is now; writes nothing."""
        return self._current(self.review.get(draft_id))

    def refresh_staleness(self, client: str) -> list[DraftRecord]:
        """Re-check the client's approved drafts against the register and documents now."""
        name = client_scope(client).partition(":")[2]
        records = [r for r in self.review.list(name) if r.status in (APPROVED, STALE)]
        return [self.refresh_draft(r.id) for r in records]

    def refresh_draft(self, draft_id: int) -> DraftRecord:
        """Re-check one draft (only approved drafts can become "verouderd")."""
        record = self.review.get(draft_id)
        if record.status not in (APPROVED, STALE) or not self.registers.exists(record.client):
            return record
        facts = register_facts(self.registers.load(record.client))
        return self.review.refresh_staleness(draft_id, facts, self.current_hashes(record.client))

    def current_hashes(self, client: str) -> dict[str, str] | None:
        """doc_id → content hash of the client's documents now; None without a knowledge base (unknown)."""
        if self._current_hashes is None:
            return None
        return self._current_hashes([client_scope(client)])

    # --- checks and export ----------------------------------------------------------------

    def check_draft(
        self, draft_id: int, version: int | None = None, semantic: bool = False
    ) -> CompletenessReport:
        """Completeness of a stored draft, against the client's current register."""
        record = self.review.get(draft_id)
        draft = self.review.version(draft_id, version)
        register = self.registers.load(record.client) if self.registers.exists(record.client) else None
        return check_draft(draft, register, self.embedder if semantic else None, self.semantic_rule)

    def check_file(self, path: Path, client: str | None = None, semantic: bool = True) -> CompletenessReport:
        """Completeness of an existing privacyverklaring file (with the client's register when given).

        What the client's documents show beside the register counts too: data from someone else than the
        person (a referral, a previous school's report) makes the source of the data (art. 14 AVG) an
        element the statement owes, also where the register does not record it yet; an automatic decision
        about a person that a document describes makes a denial of automated decisions a gap; so does a
        transfer outside the EEA the documents show (a known service, a described place) for a statement
        that says nothing goes there or is silent.
        """
        register = self.registers.load(client) if client and self.registers.exists(client) else None
        # the client's passages are read once, for the sources, the automated decisions and the transfers
        passages = self._passages(client) if client and self._passages is not None else []
        if register is not None:
            sources = find_other_sources(passages, register, self.sentence_binder(register))
            register = with_document_sources(register, sources)
        decisions = described_automated_decisions(passages)
        transfers = self._transfers(passages, register) if passages and self._transfers is not None else []
        return check_file(
            Path(path),
            register,
            self.embedder if semantic else None,
            self.semantic_rule,
            automated=short_quote(decisions[0][1]) if decisions else "",
            transfer="; ".join(transfers[:3]),
        )

    def export_info(self, draft_id: int, version: int | None = None) -> ExportInfo:
        """Title-page metadata of a version."""
        record = self.current_record(draft_id)
        number = version or record.version
        approved_by = ""
        status = record.status_label
        if number != record.version:
            status = "eerdere versie"
        if record.approved_version == number and record.status in (APPROVED, STALE):
            approvals = [
                e for e in self.review.audit.entries(subject=record.subject) if e.action == "goedgekeurd"
            ]
            login = approvals[-1].actor if approvals else ""
            approved_by = self._display_name(login) if login and self._display_name else ""
            status = record.status_label if number == record.version else "goedgekeurd"
        dates = [v.created_at for v in self.review.versions(draft_id) if v.number == number]
        return ExportInfo(
            status=status, version=number, date=(dates[0][:10] if dates else ""), approved_by=approved_by
        )

    def export_markdown(self, draft_id: int, version: int | None = None) -> str:
        """The version as Markdown."""
        return to_markdown(self.review.version(draft_id, version), self.export_info(draft_id, version))

    def export_docx(self, draft_id: int, path: Path, version: int | None = None) -> Path:
        """Write the version as a Word document to ``path``."""
        data = to_docx(
            self.review.version(draft_id, version),
            self.export_info(draft_id, version),
            author=self.consultancy_name,
        )
        Path(path).write_bytes(data)
        return Path(path)

    def audit_trail(self, client: str | None = None, draft_id: int | None = None) -> list[AuditEntry]:
        """Who did what and when (for a client and/or a draft)."""
        subject = f"concept {draft_id}" if draft_id is not None else None
        name = client_scope(client).partition(":")[2] if client else None
        return self.review.audit.entries(name, subject)

    def _current(self, record: DraftRecord) -> DraftRecord:
        if record.status not in (APPROVED, STALE) or not self.registers.exists(record.client):
            return record
        facts = register_facts(self.registers.load(record.client))
        return self.review.current_state(record, facts, self.current_hashes(record.client))

    def _staleness(self, record: DraftRecord) -> Staleness:
        if not self.registers.exists(record.client):
            return Staleness([], [])
        facts = register_facts(self.registers.load(record.client))
        return self.review.staleness(record.id, facts, self.current_hashes(record.client))


def template_activity() -> Activity:
    """The example row of a register template: every column filled in, clearly marked as an example."""
    return Activity(
        name="VOORBEELD (vervang of verwijder deze regel): salarisadministratie",
        purpose="Salaris en vergoedingen aan medewerkers betalen",
        legal_basis="c",
        data_categories=["naam", "adres", "BSN", "bankrekeningnummer", "salarisgegevens"],
        data_subjects=["medewerkers"],
        recipients=[
            Recipient("Salarisverwerker B.V.", "verwerker"),
            Recipient("Belastingdienst", "ontvanger"),
        ],
        retention="7 jaar na het einde van het dienstverband (fiscale bewaarplicht)",
        requirement="wettelijke verplichting: zonder deze gegevens kan geen salaris worden betaald",
        security_measures=["toegang alleen voor de salarisadministratie", "versleutelde opslag"],
    )


def _to_central(audit: AuditLog, entries: list[AuditEntry]) -> None:
    """Copy committed register/privacyverklaring trail entries to the central audit log."""
    for entry in entries:
        if entry.action in (APPROVED, DRAFT_REJECTED):
            event = EventType.APPROVAL
        elif entry.subject.startswith("concept"):
            event = EventType.DRAFT
        else:
            event = EventType.REGISTER_CHANGED
        details = (
            {"subject": entry.subject, "detail": entry.detail} if entry.detail else {"subject": entry.subject}
        )
        audit.record(entry.actor, event, scope=CLIENT_PREFIX + entry.client, action=entry.action, **details)
