"""Checks on untrusted files before a parser sees them: size, DOCX zip directory, PDF pages.

:func:`check_size` only looks at the name and size; the others read the file and are meant to
run in the limited worker of :mod:`ingestion.safe_parse`.
"""

from __future__ import annotations

import codecs
import io
import re
import stat
import zipfile
from pathlib import Path

from ingestion.errors import IngestionError, UnsupportedFileError
from ingestion.file_access import not_regular_reason
from ingestion.limits import ParseLimits, megabytes
from ingestion.loader import SUPPORTED_SUFFIXES, unsupported_reason

PDF_BOMB = (
    "Het PDF-bestand bevat een onderdeel dat te groot uitpakt: mogelijk een decompressiebom; geweigerd."
)
_UNSAFE_DOCX = "Onveilig DOCX-bestand (XML-entiteiten) geweigerd."
_RATIO_FLOOR = 10 * 1024 * 1024  # the ratio only matters once this much would be unpacked
_MAX_ZIP_ENTRIES = 10_000
_PROLOG_BYTES = 64 * 1024
_PROLOG_ITEM = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)
_ROOT_START = re.compile(rb"\s*<[A-Za-z_:]")


def check_size(path: Path, limits: ParseLimits) -> None:
    """Refuse an unsupported type, a FIFO/device or a file over ``max_file_bytes`` without reading it."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES and not path.is_dir():
        raise UnsupportedFileError(unsupported_reason(path))
    try:
        info = path.stat()
    except OSError:
        return  # load_file gives the Dutch reason (missing, unreadable)
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
        raise IngestionError(not_regular_reason(info.st_mode))
    if stat.S_ISREG(info.st_mode) and info.st_size > limits.max_file_bytes:
        raise IngestionError(too_large_reason(info.st_size, limits))


def too_large_reason(size: int, limits: ParseLimits) -> str:
    """The Dutch reason a file of ``size`` bytes is refused."""
    return (
        f"Het bestand is groter dan {megabytes(limits.max_file_bytes)} ({megabytes(size)}); "
        "splits het op of verklein het en probeer opnieuw."
    )


def check_docx_archive(path: Path, limits: ParseLimits) -> None:
    """Refuse a DOCX whose zip directory promises a zip bomb or whose XML parts declare a DTD/entities."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: load_file gives the Dutch reason
    with archive:
        members = archive.infolist()
        if len(members) > _MAX_ZIP_ENTRIES:
            raise IngestionError(f"Het DOCX-bestand bevat meer dan {_MAX_ZIP_ENTRIES} onderdelen; geweigerd.")
        unpacked = sum(member.file_size for member in members)
        if unpacked > limits.max_decompressed_bytes:
            raise IngestionError(
                f"Het DOCX-bestand pakt uit tot meer dan {megabytes(limits.max_decompressed_bytes)}: "
                "mogelijk een zip-bom; geweigerd."
            )
        packed = max(path.stat().st_size, 1)
        if unpacked > _RATIO_FLOOR and unpacked > limits.max_zip_ratio * packed:
            raise IngestionError(
                f"Het DOCX-bestand pakt uit tot meer dan {limits.max_zip_ratio:g} keer zijn eigen grootte: "
                "mogelijk een zip-bom; geweigerd."
            )
        for member in members:
            if member.filename.lower().endswith((".xml", ".rels")) and _declares_dtd(archive, member):
                raise IngestionError(_UNSAFE_DOCX)


def check_pdf_pages(path: Path, limits: ParseLimits) -> None:
    """Refuse a PDF with more than ``max_pages`` pages (broken or encrypted files are left to load_file)."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    try:
        reader = PdfReader(io.BytesIO(path.read_bytes()), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return
        count = len(reader.pages)
    except LimitReachedError as exc:
        raise IngestionError(PDF_BOMB) from exc
    except Exception:  # noqa: BLE001 - load_file reports broken files with its own reason
        return
    if count > limits.max_pages:
        raise IngestionError(
            f"Het PDF-bestand heeft {count} pagina's; meer dan {limits.max_pages} wordt niet verwerkt. "
            "Splits het bestand op."
        )


def _declares_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether an XML part's prolog has a DOCTYPE/ENTITY, or does not reach its root element in 64 KB."""
    with archive.open(member) as stream:
        head = stream.read(_PROLOG_BYTES)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = head.removeprefix(codecs.BOM_UTF8)
    if not head.strip():
        return False
    position = 0
    while (item := _PROLOG_ITEM.match(head, position)) and item.end() > position:
        position = item.end()
    return _ROOT_START.match(head, position) is None
