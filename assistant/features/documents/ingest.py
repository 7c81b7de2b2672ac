"""Use case: ingest files and folders into a scope, file by file, reporting progress.

A failing file never stops the batch: it is reported with its Dutch reason and
nothing of it stays behind. An unchanged file (same content hash) is skipped
before parsing, so re-ingesting a corpus costs little more than reading it. The
per-file steps are those of the Kennisbank (:mod:`assistant.features.documents.file_indexing`), so a
document ingested here carries the same metadata, PII counts included. Every new or changed
document is written to the audit log (``document_gewijzigd``, action ``toegevoegd``) under the
``actor`` of the call, as the Kennisbank does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from assistant.error_report import report_unexpected, storage_problem
from assistant.features.audit.log import AuditLog, EventType
from assistant.features.documents.file_indexing import CLIENT_DEFAULT_KIND as CLIENT_DEFAULT_KIND
from assistant.features.documents.file_indexing import PII_KINDS as PII_KINDS
from assistant.features.documents.file_indexing import MaskPolicy, index_file
from assistant.features.documents.file_indexing import file_hash as file_hash
from ingestion.errors import AvgError
from ingestion.file_access import display_name
from ingestion.limits import ParseLimits
from ingestion.loader import iter_files
from ingestion.pii import PiiCounts
from knowledge.knowledge_base import KnowledgeBase

logger = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """Summary of one ingest run."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    chunks: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    pii: dict[str, PiiCounts] = field(default_factory=dict)
    #: Why the batch stopped early (disk full, read-only data folder): a failure, not a skipped file.
    failed: str = ""
    not_processed: int = 0

    @property
    def documents(self) -> int:
        """Documents that are now indexed from this batch (new, changed or unchanged)."""
        return self.added + self.updated + self.unchanged

    def summary(self) -> str:
        """A Dutch summary for the user."""
        lines = [
            f"Documenten: {self.documents} (nieuw {self.added}, bijgewerkt {self.updated}, "
            f"ongewijzigd {self.unchanged})",
            f"Passages toegevoegd: {self.chunks}",
            f"Overgeslagen bestanden: {len(self.skipped)}",
        ]
        lines += [f"  - {path}: {reason}" for path, reason in self.skipped]
        if self.failed:
            lines.append(f"Gestopt, {self.not_processed} bestand(en) niet verwerkt: {self.failed}")
        if self.pii:
            lines.append(f"Persoonsgegevens gemaskeerd in {len(self.pii)} bestand(en):")
            lines += [f"  - {path}: {counts.describe()}" for path, counts in self.pii.items()]
        return "\n".join(lines)


class IngestProgress:
    """Receives progress events; the default does nothing (the CLI shows a progress bar)."""

    def start(self, total_files: int) -> None:
        """Called once with the number of files to process."""

    def file_started(self, path: Path, chunk_count: int) -> None:
        """A file was parsed into ``chunk_count`` chunks and is being indexed."""

    def chunks_embedded(self, count: int) -> None:
        """``count`` more chunks of the current file were embedded."""

    def file_done(self, path: Path, outcome: str) -> None:
        """A file is finished: 'nieuw', 'bijgewerkt', 'ongewijzigd' or 'overgeslagen'."""


class IngestService:
    """Ingest files into the knowledge base."""

    def __init__(self, kb: KnowledgeBase, limits: ParseLimits | None = None, *, audit: AuditLog) -> None:
        self.kb = kb
        self.limits = limits or ParseLimits()
        self.audit = audit

    def ingest(
        self,
        paths: list[Path],
        scope: str,
        progress: IngestProgress | None = None,
        kind: str | None = None,
        mask_pii: bool = True,
        *,
        actor: str,
    ) -> IngestReport:
        """Ingest every supported file under ``paths`` into ``scope``.

        Files are parsed in a sandboxed worker within ``self.limits``; process documents (the
        default kind in a client scope) have their personal data masked unless ``mask_pii`` is off.
        """
        progress = progress or IngestProgress()
        scope = self.kb.ensure_scope(scope)
        self.kb.recover()
        files, skipped = iter_files(paths)
        report = IngestReport(skipped=[(display_name(p), reason) for p, reason in skipped])
        progress.start(len(files))
        for index, path in enumerate(files):
            outcome = self._ingest_file(path, scope, kind, mask_pii, report, progress, actor)
            progress.file_done(path, outcome)
            if report.failed:  # every next file would fail the same way
                report.not_processed = len(files) - index - 1
                break
        return report

    def _ingest_file(
        self,
        path: Path,
        scope: str,
        kind: str | None,
        mask_pii: bool,
        report: IngestReport,
        progress: IngestProgress,
        actor: str,
    ) -> str:
        """Index one file into ``report``; return its Dutch outcome (a bad file is 'overgeslagen')."""
        mask = MaskPolicy.PROCESS_DOCUMENTS if mask_pii else MaskPolicy.NONE
        try:
            indexed = index_file(
                self.kb,
                path,
                scope,
                str(path.resolve()),
                limits=self.limits,
                kind=kind,
                mask=mask,
                progress=progress,
            )
        except AvgError as exc:
            report.skipped.append((display_name(path), str(exc)))
            return "overgeslagen"
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
            reason = report_unexpected(exc, "bestand inlezen", logger)
            if storage_problem(exc):
                report.failed = reason
                report.skipped.append((display_name(path), "niet opgeslagen: " + reason))
                return "mislukt"
            report.skipped.append((display_name(path), reason))
            return "overgeslagen"
        if indexed.pii is not None and indexed.pii.total:
            report.pii[str(path)] = indexed.pii
        if indexed.action != "unchanged":
            self.audit.record(
                actor,
                EventType.DOCUMENT_CHANGED,
                scope=scope,
                action="toegevoegd",
                document=indexed.doc_id,
                version=indexed.version,
            )
        if indexed.action == "added":
            report.added += 1
        elif indexed.action == "updated":
            report.updated += 1
        else:
            report.unchanged += 1
        report.chunks += indexed.chunks
        return indexed.label
