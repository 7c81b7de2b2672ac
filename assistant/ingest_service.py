"""Use case: ingest files and folders into a scope, file by file, reporting progress.

A failing file never stops the batch: it is reported with its Dutch reason and
nothing of it stays behind. An unchanged file (same content hash) is skipped
before parsing, so re-ingesting a corpus costs little more than reading it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ingestion.errors import AvgError
from ingestion.loader import iter_files, load_file
from knowledge.knowledge_base import KnowledgeBase


@dataclass
class IngestReport:
    """Summary of one ingest run."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    chunks: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)

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


def file_hash(data: bytes) -> str:
    """Content hash used to detect unchanged files."""
    return hashlib.sha256(data).hexdigest()


class IngestService:
    """Ingest files into the knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def ingest(
        self,
        paths: list[Path],
        scope: str,
        progress: IngestProgress | None = None,
        kind: str | None = None,
    ) -> IngestReport:
        """Ingest every supported file under ``paths`` into ``scope``."""
        progress = progress or IngestProgress()
        scope = self.kb.ensure_scope(scope)
        self.kb.recover()
        files, skipped = iter_files(paths)
        report = IngestReport(skipped=[(str(p), reason) for p, reason in skipped])
        progress.start(len(files))
        for path in files:
            outcome = self._ingest_file(path, scope, kind, report, progress)
            progress.file_done(path, outcome)
        return report

    def _ingest_file(
        self, path: Path, scope: str, kind: str | None, report: IngestReport, progress: IngestProgress
    ) -> str:
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.skipped.append((str(path), f"Bestand kan niet worden gelezen ({exc.strerror})."))
            return "overgeslagen"
        digest = file_hash(data)
        source_key = str(path.resolve())
        if self.kb.is_current(scope, source_key, digest):
            report.unchanged += 1
            return "ongewijzigd"
        try:
            parsed = load_file(path, kind=kind)
            progress.file_started(path, len(parsed.chunks))
            outcome = self.kb.index_document(scope, source_key, parsed, digest, progress.chunks_embedded)
        except AvgError as exc:
            report.skipped.append((str(path), str(exc)))
            return "overgeslagen"
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
            report.skipped.append((str(path), f"Onverwachte fout bij het verwerken ({type(exc).__name__})."))
            return "overgeslagen"
        if outcome.action == "added":
            report.added += 1
        elif outcome.action == "updated":
            report.updated += 1
        else:
            report.unchanged += 1
            return "ongewijzigd"
        report.chunks += outcome.chunk_count
        return "nieuw" if outcome.action == "added" else "bijgewerkt"
