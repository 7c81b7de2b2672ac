"""Use case: manage documents — add with metadata, replace by a new version, retire, erase, re-index.

Every file goes through the same steps as ``ingest`` (:mod:`assistant.features.documents.file_indexing`: size
check, content hash before parsing, sandboxed parse, PII masking of process documents), so a
file added here and the same file ingested or synchronised later are recognised as one document.
Uploaded files (the web UI) keep a copy of every version under ``<datamap>/uploads/<doc id>/``,
except files whose personal data was masked (process documents): their original would undo the
masking. Erasure deletes the copies with everything else.

Every change is written to the audit log here, under the ``actor`` each changing method takes
(``document_gewijzigd`` with the action: toegevoegd, vervangen, gegevens gewijzigd, ingetrokken,
gewist, opnieuw geïndexeerd), so the web UI, the CLI and folder sync log the same events once.
"""

from __future__ import annotations

import builtins
import dataclasses
import logging
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from assistant.error_report import report_unexpected, storage_problem
from assistant.features.audit.log import AuditLog, EventType
from assistant.features.documents.file_indexing import MaskPolicy, index_file
from assistant.features.documents.ingest import IngestProgress
from assistant.features.lifecycle import DocumentData
from ingestion.errors import AvgError, IngestionError, StoreError
from ingestion.file_access import display_name
from ingestion.limits import ParseLimits
from ingestion.loader import iter_files
from ingestion.pii import PiiCounts
from knowledge.knowledge_base import KnowledgeBase
from knowledge.maintenance import Progress, ReindexReport, reindex
from knowledge.registry import KINDS, STATUS_READY, DocumentRecord
from knowledge.scopes import normalize_scope
from knowledge.versions import StoredChunk, VersionRecord

logger = logging.getLogger(__name__)

#: Source-key prefix of documents uploaded through the web UI.
UPLOAD_PREFIX = "upload:"
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")
_UNSAFE_NAME = re.compile(r"[^\w.() -]+", re.UNICODE)


@dataclass(frozen=True)
class DocumentOptions:
    """Choices for adding or replacing documents.

    ``title`` applies when one file is added (otherwise each file keeps its own title);
    ``mask_pii`` None masks process documents only (the default of ``ingest``), True masks
    every kind, False none.
    """

    title: str | None = None
    kind: str | None = None
    effective_date: str = ""
    owner: str = ""
    mask_pii: bool | None = None


@dataclass
class FileResult:
    """What happened to one file: 'nieuw', 'bijgewerkt', 'ongewijzigd' or 'overgeslagen'."""

    path: str
    outcome: str
    doc_id: str = ""
    version: int = 0
    chunks: int = 0
    reason: str = ""
    pii: PiiCounts | None = None


@dataclass
class BatchReport:
    """Summary of adding several files."""

    results: list[FileResult] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        """Number of files with this outcome."""
        return sum(1 for r in self.results if r.outcome == outcome)

    def summary(self, names_only: bool = False) -> str:
        """A Dutch summary for the user; ``names_only`` shows file names instead of paths."""
        lines = [
            f"Documenten: nieuw {self.count('nieuw')}, nieuwe versie {self.count('bijgewerkt')}, "
            f"ongewijzigd {self.count('ongewijzigd')}, overgeslagen {self.count('overgeslagen')}"
        ]
        for result in self.results:
            name = Path(result.path).name if names_only else result.path
            if result.outcome == "overgeslagen":
                lines.append(f"  - {name}: {result.reason}")
            elif result.pii is not None and result.pii.total:
                lines.append(f"  - {name}: persoonsgegevens gemaskeerd ({result.pii.describe()})")
        return "\n".join(lines)


@dataclass(frozen=True)
class DocumentView:
    """A document with one of its versions and that version's chunks."""

    record: DocumentRecord
    version: VersionRecord | None
    chunks: list[StoredChunk]


@dataclass(frozen=True)
class ErasureResult:
    """What erasing a document did."""

    doc_id: str
    title: str
    compacted: bool


def parse_effective_date(text: str | None) -> str:
    """A date as ISO text (accepts JJJJ-MM-DD and DD-MM-JJJJ); "" for empty input."""
    text = (text or "").strip()
    if not text:
        return ""
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise IngestionError(
        f"Ongeldige datum '{text}'. Gebruik JJJJ-MM-DD, bijvoorbeeld {date.today().isoformat()}."
    )


def check_kind(kind: str | None) -> str | None:
    """A known document kind (or None); raises a Dutch error for an unknown one."""
    if kind is None or not kind.strip():
        return None
    kind = kind.strip().lower()
    if kind not in KINDS:
        raise IngestionError(f"Onbekende soort '{kind}'. Kies uit: {', '.join(KINDS)}.")
    return kind


def pii_counts(stored: dict[str, int]) -> PiiCounts:
    """PII counts as stored with a document."""
    known = {f.name for f in dataclasses.fields(PiiCounts)}
    return PiiCounts(**{k: int(v) for k, v in stored.items() if k in known})


def safe_file_name(name: str) -> str:
    """A file name fit to store: no folders, no odd characters."""
    cleaned = _UNSAFE_NAME.sub("_", Path(name).name).strip(" .")
    return cleaned[:120] or "bestand"


class DocumentService:
    """Add, replace, retire, erase and inspect documents."""

    def __init__(
        self,
        kb: KnowledgeBase,
        limits: ParseLimits | None = None,
        quoting: Sequence[DocumentData] = (),
        *,
        audit: AuditLog,
    ) -> None:
        self.kb = kb
        self.limits = limits or ParseLimits()
        self.quoting = list(quoting)  # stores that keep quotes of documents: cleared on erasure
        self.audit = audit

    def record(self, actor: str, scope: str, action: str, doc_id: str = "", **details: object) -> None:
        """Write one ``document_gewijzigd`` event (for changes made outside these methods, e.g. sync)."""
        self.audit.record(
            actor, EventType.DOCUMENT_CHANGED, scope=scope, action=action, document=doc_id, **details
        )

    # -- adding and replacing ---------------------------------------------------------------

    def add_files(
        self,
        paths: list[Path],
        scope: str,
        options: DocumentOptions | None = None,
        uploaded: bool = False,
        progress: IngestProgress | None = None,
        *,
        actor: str,
    ) -> BatchReport:
        """Add every supported file under ``paths`` to ``scope``; ``uploaded`` keeps copies."""
        options = options or DocumentOptions()
        scope = self._writable_scope(scope)
        check_kind(options.kind)
        parse_effective_date(options.effective_date)
        self.kb.recover()
        progress = progress or IngestProgress()
        files, skipped = iter_files(paths)
        report = BatchReport(
            [FileResult(display_name(p), "overgeslagen", reason=reason) for p, reason in skipped]
        )
        if len(files) != 1:
            options = dataclasses.replace(options, title=None)
        progress.start(len(files))
        for path in files:
            key = UPLOAD_PREFIX + path.name if uploaded else None
            result = self.add_file(
                path, scope, options, source_key=key, keep_copy=uploaded, progress=progress, actor=actor
            )
            report.results.append(result)
            progress.file_done(path, result.outcome)
        return report

    def add_file(
        self,
        path: Path,
        scope: str,
        options: DocumentOptions,
        source_key: str | None = None,
        keep_copy: bool = False,
        progress: IngestProgress | None = None,
        *,
        actor: str,
    ) -> FileResult:
        """Add one file, or a new version when its source is known and its content changed.

        Never raises for a bad file: the result says why it was skipped.
        """
        progress = progress or IngestProgress()
        source_key = source_key or str(Path(path).resolve())
        try:
            result = self._index_file(Path(path), scope, source_key, options, keep_copy, progress)
            if result.outcome in ("nieuw", "bijgewerkt"):
                self.record(actor, scope, "toegevoegd", result.doc_id, version=result.version)
            return result
        except AvgError as exc:
            return FileResult(display_name(path), "overgeslagen", reason=str(exc))
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
            reason = report_unexpected(exc, "bestand toevoegen", logger)
            if storage_problem(exc):  # a full disk or read-only data folder stops the batch: a failure
                raise StoreError(reason) from exc
            return FileResult(display_name(path), "overgeslagen", reason=reason)

    def replace(
        self, doc_id: str, path: Path, options: DocumentOptions | None = None, *, actor: str
    ) -> FileResult:
        """Replace a document by a new version read from ``path``; raises a Dutch error when it fails."""
        record = self.get(doc_id)
        options = options or DocumentOptions()
        options = dataclasses.replace(
            options,
            title=options.title or record.title,
            kind=options.kind or (None if record.kind == "wet" else record.kind),
        )
        self.kb.clients.check_writable(record.scope)
        keep = record.source_key.startswith(UPLOAD_PREFIX) or self.kb.upload_dir(record.id).exists()
        result = self._index_file(
            Path(path), record.scope, record.source_key, options, keep, IngestProgress()
        )
        if result.outcome == "bijgewerkt":
            self.record(actor, record.scope, "vervangen", record.id, version=result.version)
        return result

    def set_metadata(
        self, doc_id: str, owner: str | None = None, effective_date: str | None = None, *, actor: str
    ) -> DocumentRecord:
        """Change owner and/or effective date without a new version."""
        record = self.get(doc_id)
        new_owner = record.owner if owner is None else owner.strip()
        new_date = record.effective_date if effective_date is None else parse_effective_date(effective_date)
        self.kb.set_metadata(record.id, new_owner, new_date)
        self.record(actor, record.scope, "gegevens gewijzigd", record.id)
        return self.get(record.id)

    # -- taking out and erasing ---------------------------------------------------------------

    def retire(self, doc_id: str, *, actor: str) -> DocumentRecord:
        """Take a document out of retrieval; its versions stay available."""
        record = self.get(doc_id)
        if record.status != STATUS_READY:
            raise StoreError(f"Document '{record.title}' is al uit de zoekresultaten gehaald.")
        self.kb.retire_document(record.id)
        self.record(actor, record.scope, "ingetrokken", record.id)
        return self.get(record.id)

    def remove(self, doc_id: str, *, actor: str) -> ErasureResult:
        """Erase a document completely (chunks, lexical entries, versions, stored files)."""
        record = self.get(doc_id)
        self.kb.clients.check_writable(record.scope)
        for store in self.quoting:  # first: while the document exists, a failed erasure can be repeated
            store.forget_document(record.id, record.title)
        found, compacted = self.kb.erase_document(record.id)
        if not found:
            raise StoreError(f"Document '{doc_id}' bestaat niet (meer).")
        self.record(actor, record.scope, "gewist", record.id)
        return ErasureResult(record.id, record.title, compacted)

    def reindex(
        self, scope: str | None = None, on_progress: Progress | None = None, *, actor: str
    ) -> ReindexReport:
        """Rebuild vectors and lexical entries of the current versions from stored chunks.

        ``on_progress`` gets (documents done, documents in all).
        """
        report = reindex(self.kb, scope, on_progress)
        self.record(actor, scope or "alle", "opnieuw geïndexeerd", documents=report.documents)
        return report

    # -- reading --------------------------------------------------------------------------------

    def list(
        self,
        scope: str | None = None,
        kind: str | None = None,
        text: str | None = None,
        include_retired: bool = False,
    ) -> list[DocumentRecord]:
        """Documents, filtered by scope, kind and a text in title, file name or owner."""
        scope = normalize_scope(scope) if scope else None
        status = None if include_retired else STATUS_READY
        return self.kb.registry.list(scope=scope, status=status, kind=check_kind(kind), text=text or None)

    def get(self, doc_id: str) -> DocumentRecord:
        """A document by id or unique id prefix (at least 4 characters); Dutch error otherwise."""
        doc_id = (doc_id or "").strip()
        matches = self.kb.registry.resolve_id(doc_id) if len(doc_id) >= 4 else []
        if len(matches) > 1:
            raise StoreError(f"'{doc_id}' past bij meerdere documenten; geef meer tekens van het id.")
        record = self.kb.registry.by_id(matches[0]) if matches else None
        if record is None:
            raise StoreError(f"Document '{doc_id}' bestaat niet. Zie 'avg-assistent docs list'.")
        return record

    def history(self, doc_id: str) -> builtins.list[VersionRecord]:
        """All versions of a document, newest first."""
        return self.kb.versions.list(self.get(doc_id).id)

    def show(self, doc_id: str, version: int | None = None) -> DocumentView:
        """A document with the chunks of its current version, or of version ``version``."""
        record = self.get(doc_id)
        number = version if version is not None else record.version
        stored = self.kb.versions.get(record.id, number)
        if version is not None and stored is None:
            raise StoreError(f"Document '{record.title}' heeft geen versie {version}.")
        chunks = self.kb.versions.chunks(record.id, number)
        if not chunks and version is None and record.status == STATUS_READY:
            chunks = self._chunks_from_vectors(record)
        return DocumentView(record, stored, chunks)

    def stored_files(self, doc_id: str) -> builtins.list[Path]:
        """Stored copies of a document's uploaded files, oldest version first."""
        folder = self.kb.upload_dir(self.get(doc_id).id)
        return sorted(folder.iterdir()) if folder.exists() else []

    # -- internals --------------------------------------------------------------------------------

    def _writable_scope(self, scope: str) -> str:
        scope = self.kb.ensure_scope(scope)
        self.kb.clients.check_writable(scope)
        return scope

    def _index_file(
        self,
        path: Path,
        scope: str,
        source_key: str,
        options: DocumentOptions,
        keep_copy: bool,
        progress: IngestProgress,
    ) -> FileResult:
        """Index one file with ``options``; raises a Dutch error for a bad file."""
        indexed = index_file(
            self.kb,
            path,
            scope,
            source_key,
            limits=self.limits,
            kind=check_kind(options.kind),
            title=options.title,
            mask=MaskPolicy.from_option(options.mask_pii),
            effective_date=parse_effective_date(options.effective_date),
            owner=options.owner,
            progress=progress,
        )
        if not indexed.changed:
            return FileResult(str(path), "ongewijzigd", indexed.doc_id, indexed.version, 0)
        if keep_copy and indexed.pii is None:  # masked documents: the original would undo the masking
            folder = self.kb.upload_dir(indexed.doc_id)
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, folder / f"v{indexed.version}-{safe_file_name(path.name)}")
        return FileResult(
            str(path), indexed.label, indexed.doc_id, indexed.version, indexed.chunks, pii=indexed.pii
        )

    def _chunks_from_vectors(self, record: DocumentRecord) -> builtins.list[StoredChunk]:
        """Chunks of a document indexed before versions were stored (read from its vectors)."""
        got = self.kb.vectors.page(
            record.scope,
            ["documents", "metadatas"],
            where={"$and": [{"doc_id": record.id}, {"content_hash": record.content_hash}]},
        )
        texts = got.get("documents") or []
        metas = got.get("metadatas") or []
        rows = sorted(
            ((cid, texts[i] or "", dict(metas[i] or {})) for i, cid in enumerate(got["ids"])),
            key=lambda row: int(row[2].get("chunk_index", 0) or 0),
        )
        return [StoredChunk(cid, i, text, meta) for i, (cid, text, meta) in enumerate(rows)]
