"""Use case: keep a scope in step with a folder (``avg-assistent sync``).

Each supported file under the folder is one document, keyed by its absolute path (the same
key ``ingest`` uses). Unchanged files are skipped on their content hash before parsing;
changed files become a new version; documents whose file left the folder are *retired*:
taken out of retrieval, with their versions kept. A file that fails to parse keeps its
previous version searchable. Documents from elsewhere in the scope are never touched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from assistant.features.documents.ingest import IngestProgress
from assistant.features.documents.service import DocumentOptions, DocumentService, FileResult
from ingestion.errors import IngestionError
from ingestion.file_access import display_name
from ingestion.loader import iter_files
from knowledge.registry import STATUS_READY


@dataclass
class SyncReport:
    """What a synchronisation changed."""

    results: list[FileResult] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        """Number of files with this outcome."""
        return sum(1 for r in self.results if r.outcome == outcome)

    def summary(self) -> str:
        """A Dutch summary for the user."""
        lines = [
            f"Nieuw: {self.count('nieuw')}, nieuwe versie: {self.count('bijgewerkt')}, "
            f"ongewijzigd: {self.count('ongewijzigd')}, "
            f"uit de map verdwenen (ingetrokken): {len(self.retired)}, "
            f"overgeslagen: {self.count('overgeslagen')}"
        ]
        lines += [f"  - ingetrokken: {title}" for title in self.retired]
        for result in self.results:
            if result.outcome == "overgeslagen":
                lines.append(f"  - {result.path}: {result.reason}")
            elif result.pii is not None and result.pii.total:
                lines.append(f"  - {result.path}: persoonsgegevens gemaskeerd ({result.pii.describe()})")
        return "\n".join(lines)


def sync_folder(
    service: DocumentService,
    folder: Path,
    scope: str,
    options: DocumentOptions | None = None,
    progress: IngestProgress | None = None,
    *,
    actor: str,
) -> SyncReport:
    """Bring ``scope`` in step with the files under ``folder``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise IngestionError(f"Map '{folder}' bestaat niet of is geen map.")
    folder = folder.resolve()
    options = options or DocumentOptions()
    kb = service.kb
    scope = kb.ensure_scope(scope)
    kb.clients.check_writable(scope)
    kb.recover()
    progress = progress or IngestProgress()
    files, skipped = iter_files([folder])
    report = SyncReport(
        results=[FileResult(display_name(p), "overgeslagen", reason=reason) for p, reason in skipped]
    )
    present: set[str] = set()
    progress.start(len(files))
    for path in files:
        key = str(path.resolve())
        present.add(key)
        result = service.add_file(path, scope, options, source_key=key, progress=progress, actor=actor)
        report.results.append(result)
        progress.file_done(path, result.outcome)
    prefix = str(folder) + os.sep
    for record in kb.registry.list(scope=scope, status=STATUS_READY):
        if record.source_key.startswith(prefix) and record.source_key not in present:
            kb.retire_document(record.id)
            report.retired.append(record.title)
    if report.retired:
        service.record(actor, scope, "ingetrokken (map)", titles=report.retired)
    return report
