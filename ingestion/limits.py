"""Resource limits for parsing one untrusted file (see :mod:`ingestion.safe_parse`)."""

from __future__ import annotations

from dataclasses import dataclass

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class ParseLimits:
    """What one file may cost: size on disk, pages, unpacked bytes, time and memory."""

    max_file_bytes: int = 25 * MEGABYTE  # size on disk, checked before anything is read
    max_pages: int = 2000  # PDF pages
    max_decompressed_bytes: int = 200 * MEGABYTE  # DOCX: all zip members; PDF: one stream
    max_zip_ratio: float = 100.0  # DOCX: unpacked size / packed size
    timeout_s: float = 60.0  # wall clock in the worker (CPU time is capped at the same value)
    memory_bytes: int = 1024 * MEGABYTE  # address space of the worker process


def megabytes(size: int) -> str:
    """A byte count as Dutch text: "25 MB", "0,5 MB", "1 GB" (1024-based, one decimal at most)."""
    value, unit = (size / MEGABYTE, "MB") if size < 1024 * MEGABYTE else (size / MEGABYTE / 1024, "GB")
    return f"{value:.1f}".removesuffix(".0").replace(".", ",") + f" {unit}"
