"""A terminal progress bar for ingestion (tqdm on stderr)."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from tqdm import tqdm

from assistant.ingest_service import IngestProgress


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
