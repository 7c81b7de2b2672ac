"""Dispatch a file to the right loader and chunker; every failure becomes a Dutch IngestionError."""

from __future__ import annotations

import dataclasses
import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from langchain_core.documents import Document

from ingestion.document_chunker import chunk_blocks
from ingestion.docx_loader import read_docx
from ingestion.errors import IngestionError, UnsupportedFileError
from ingestion.file_access import MISSING, link_reason, name_reason, read_regular_file, regular_reason
from ingestion.html_loader import load_html
from ingestion.law_chunker import chunk_law
from ingestion.model import LawText, ParsedDocument, TextBlock
from ingestion.pdf_loader import read_pdf
from ingestion.text_budget import cap_long_words, document_size_problem, language_problem
from ingestion.text_cleaning import clean_text
from ingestion.text_loader import decode_text, read_markdown, titled_plain_text
from ingestion.titles import choose_title

SUPPORTED_SUFFIXES: tuple[str, ...] = (".pdf", ".docx", ".html", ".htm", ".xml", ".md", ".markdown", ".txt")
LAW_KIND = "wet"
DEFAULT_KIND = "document"

_TEXT_SUFFIXES = (".html", ".htm", ".xml", ".md", ".markdown", ".txt")
_XML_UNSUPPORTED = (
    "Dit XML-bestand wordt niet ondersteund: alleen Formex-XML van EUR-Lex (wetteksten) kan worden gelezen."
)
_T = TypeVar("_T")


def load_file(path: Path, kind: str | None = None, title: str | None = None) -> ParsedDocument:
    """Read, parse and chunk one file; raises IngestionError with a Dutch reason on any failure."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFileError(unsupported_reason(path))
    data = _read_bytes(path)
    _check_content(data, suffix)
    if suffix == ".pdf":
        own_title, blocks = _guard("Het PDF-bestand", lambda: read_pdf(data))
        return _document(path, blocks, kind, title, own_title)
    if suffix == ".docx":
        own_title, blocks = _guard("Het Word-bestand", lambda: read_docx(data))
        return _document(path, blocks, kind, title, own_title)
    if suffix == ".xml":
        return _load_xml(path, data, title)
    text = decode_text(data)
    if not clean_text(text):
        raise IngestionError("Het bestand is leeg.")
    if suffix in (".html", ".htm"):
        law = _eurlex_law(text)
        if law is not None:
            return _law_document(path, law, title)
        own_title, blocks = _guard("Het HTML-bestand", lambda: load_html(text))
        return _document(path, blocks, kind, title, own_title)
    if suffix in (".md", ".markdown"):
        own_title, blocks = _guard("Het Markdown-bestand", lambda: read_markdown(text))
        return _document(path, blocks, kind, title, own_title)
    blocks = _guard("Het tekstbestand", lambda: titled_plain_text(text))
    return _document(path, blocks, kind, title, "")


def iter_files(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Expand folders (recursively, sorted, hidden entries skipped) into supported files and skipped ones.

    Only regular files are taken: a FIFO, device or socket is skipped with a Dutch reason, and a
    symlink inside a folder is followed only to a regular file inside that same folder. A file
    whose name is not valid UTF-8 is skipped (it cannot be stored or shown).
    """
    files: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def consider(candidate: Path, reason: str | None) -> None:
        key = Path(os.path.realpath(candidate))
        if key in seen:
            return
        seen.add(key)
        reason = reason or name_reason(candidate)
        if reason is None and candidate.suffix.lower() not in SUPPORTED_SUFFIXES:
            reason = unsupported_reason(candidate)
        if reason is None:
            files.append(candidate)
        else:
            skipped.append((candidate, reason))

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for candidate, reason in _walk(path):
                consider(candidate, reason)
        elif os.path.lexists(path):
            consider(path, regular_reason(path))
        else:
            skipped.append((path, MISSING))
    return files, skipped


def unsupported_reason(path: Path) -> str:
    """The Dutch reason a file type is not supported."""
    suffix = path.suffix.lower()
    label = f"Bestandstype {suffix}" if suffix else "Een bestand zonder extensie"
    return f"{label} wordt niet ondersteund (ondersteund: {', '.join(SUPPORTED_SUFFIXES)})."


def _walk(folder: Path) -> list[tuple[Path, str | None]]:
    """Files under ``folder`` in sorted order (without hidden entries and Office lock files), each with
    the reason it is skipped (None when it is a regular file or a symlink to one inside ``folder``)."""
    found: list[tuple[Path, str | None]] = []
    for root, dirs, names in os.walk(folder):  # never descends into a symlinked folder
        links = [d for d in dirs if os.path.islink(os.path.join(root, d))]
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in links)
        names = sorted([*names, *links])
        for name in names:
            if name.startswith((".", "~$")):
                continue
            candidate = Path(root) / name
            if candidate.is_symlink():
                found.append((candidate, link_reason(candidate, folder)))
            else:
                found.append((candidate, regular_reason(candidate)))
    return found


def _read_bytes(path: Path) -> bytes:
    data = read_regular_file(path)
    if not data.strip():
        raise IngestionError("Het bestand is leeg.")
    return data


def _check_content(data: bytes, suffix: str) -> None:
    """Sniff the first bytes: the content must match the extension."""
    is_pdf = b"%PDF-" in data[:1024]
    is_zip = data.startswith(b"PK\x03\x04")
    mismatch = f"De inhoud past niet bij de extensie {suffix}"
    if suffix == ".pdf" and not is_pdf:
        raise IngestionError(f"{mismatch}: het bestand is geen PDF.")
    if suffix == ".docx":
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise IngestionError(f"{mismatch}: dit is een ouder Word-bestand (.doc); sla het op als .docx.")
        if not (is_zip and _zip_has(data, "word/document.xml")):
            raise IngestionError(f"{mismatch}: het bestand is geen Word-document (.docx).")
    if suffix in _TEXT_SUFFIXES and (data.lstrip().startswith(b"%PDF-") or is_zip):
        raise IngestionError(f"{mismatch}: het bestand is geen tekstbestand maar een PDF- of ZIP-bestand.")


def _zip_has(data: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _load_xml(path: Path, data: bytes, title: str | None) -> ParsedDocument:
    try:
        from ingestion.formex import looks_like_formex, parse_formex
    except ModuleNotFoundError as exc:
        if exc.name != "ingestion.formex":
            raise
        raise UnsupportedFileError(_XML_UNSUPPORTED) from exc
    if not _guard("Het XML-bestand", lambda: looks_like_formex(data)):
        raise UnsupportedFileError(_XML_UNSUPPORTED)
    law = _guard("Het Formex-bestand", lambda: parse_formex(data))
    return _law_document(path, law, title)


def _eurlex_law(text: str) -> LawText | None:
    """The parsed law when ``text`` is a EUR-Lex page, else None (also when that parser is absent)."""
    try:
        from ingestion.eurlex_html import looks_like_eurlex, parse_eurlex_html
    except ModuleNotFoundError as exc:
        if exc.name != "ingestion.eurlex_html":
            raise
        return None
    if not _guard("Het HTML-bestand", lambda: looks_like_eurlex(text)):
        return None
    return _guard("Het EUR-Lex-bestand", lambda: parse_eurlex_html(text))


def _law_document(path: Path, law: LawText, title: str | None) -> ParsedDocument:
    if title:
        law.title = title
    if not law.title:
        law.title = law.law or path.stem
    chunks = _guard("De wettekst", lambda: chunk_law(law, path.name, kind=LAW_KIND))
    return _parsed(path, law.title, LAW_KIND, chunks, law.law)


def _document(
    path: Path, blocks: list[TextBlock], kind: str | None, given_title: str | None, own_title: str
) -> ParsedDocument:
    title = choose_title(given_title, own_title, blocks, path)
    kind = kind or DEFAULT_KIND
    chunks = chunk_blocks(_within_budget(blocks), title, path.name, kind)
    return _parsed(path, title, kind, chunks, "")


def _within_budget(blocks: list[TextBlock]) -> list[TextBlock]:
    """Refuse text that is not language or too much of it; cut over-long words (see text_budget)."""
    text = "\n".join(block.text for block in blocks)
    problem = language_problem(text) or document_size_problem(len(text))
    if problem:
        raise IngestionError(problem)
    return [
        dataclasses.replace(
            block,
            text=cap_long_words(block.text),
            heading_path=tuple(cap_long_words(heading) for heading in block.heading_path),
        )
        for block in blocks
    ]


def _parsed(path: Path, title: str, kind: str, chunks: list[Document], law: str) -> ParsedDocument:
    if not chunks:
        raise IngestionError("Geen tekst gevonden in het bestand.")
    return ParsedDocument(source=path.name, title=title, kind=kind, chunks=chunks, law=law)


def _guard(what: str, parse: Callable[[], _T]) -> _T:
    """Run a parser; any exception that is not already an IngestionError becomes one with a Dutch reason."""
    try:
        return parse()
    except IngestionError:
        raise
    except RecursionError as exc:
        raise IngestionError(f"{what} is te diep genest om te lezen.") from exc
    except Exception as exc:
        raise IngestionError(f"{what} kon niet worden gelezen ({type(exc).__name__}).") from exc
