"""Ingest progress for people: a terminal bar (tqdm on stderr) and a fraction for the web UI's bar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from tqdm import tqdm

from assistant.features.documents.ingest import IngestProgress


class TqdmProgress(IngestProgress):
    """Shows files done and, per file, the passages embedded."""

    def __init__(self) -> None:
        self._files: tqdm | None = None
        self._chunks: tqdm | None = None

    def __enter__(self) -> TqdmProgress:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._close_chunks()
        if self._files is not None:
            self._files.close()

    def start(self, total_files: int) -> None:
        """Open the files bar."""
        self._files = tqdm(total=total_files, desc="Bestanden", unit="bestand", dynamic_ncols=True)

    def file_started(self, path: Path, chunk_count: int) -> None:
        """Open a passages bar for this file."""
        self._close_chunks()
        self._chunks = tqdm(total=chunk_count, desc=f"  {path.name}", unit="passage", leave=False)

    def chunks_embedded(self, count: int) -> None:
        """Advance the passages bar."""
        if self._chunks is not None:
            self._chunks.update(count)

    def file_done(self, path: Path, outcome: str) -> None:
        """Advance the files bar."""
        self._close_chunks()
        if self._files is not None:
            self._files.set_postfix_str(f"{path.name}: {outcome}")
            self._files.update(1)

    def _close_chunks(self) -> None:
        if self._chunks is not None:
            self._chunks.close()
            self._chunks = None


class TqdmCounter:
    """A terminal bar for work counted in items: call it with (done, total)."""

    def __init__(self, description: str, unit: str) -> None:
        self._bar = tqdm(desc=description, unit=unit, dynamic_ncols=True)

    def __enter__(self) -> TqdmCounter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._bar.close()

    def __call__(self, done: int, total: int) -> None:
        """Show ``done`` of ``total``."""
        self._bar.total = total
        self._bar.n = done
        self._bar.refresh()


class FractionProgress(IngestProgress):
    """Reports progress as a fraction of the whole batch plus a Dutch description.

    The web UI passes gradio's progress bar as ``report``; a file counts as done in
    proportion to the passages embedded so far, so a large PDF moves the bar too.
    """

    def __init__(self, report: Callable[[float, str], None]) -> None:
        self._report = report
        self._total = 1
        self._done = 0
        self._name = ""
        self._chunks = 0
        self._embedded = 0

    def start(self, total_files: int) -> None:
        """Report the batch as started."""
        self._total = max(1, total_files)
        self._report(0.0, f"0 van {total_files} bestanden verwerkt")

    def file_started(self, path: Path, chunk_count: int) -> None:
        """Report which file is being indexed."""
        self._name, self._chunks, self._embedded = path.name, chunk_count, 0
        self._emit()

    def chunks_embedded(self, count: int) -> None:
        """Move the bar within the current file."""
        self._embedded += count
        self._emit()

    def file_done(self, path: Path, outcome: str) -> None:
        """Count the file as done."""
        self._done += 1
        self._name, self._chunks, self._embedded = path.name, 0, 0
        if self._done >= self._total:
            self._report(1.0, f"{self._done} van {self._total} bestanden verwerkt")
        else:
            self._emit()

    def _emit(self) -> None:
        part = min(1.0, self._embedded / self._chunks) if self._chunks else 0.0
        fraction = min(1.0, (self._done + part) / self._total)
        current = min(self._done + 1, self._total)
        text = f"Bestand {current} van {self._total}: {self._name}"
        if self._chunks:
            text += f" ({min(self._embedded, self._chunks)} van {self._chunks} passages)"
        self._report(fraction, text)
