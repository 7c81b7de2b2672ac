"""PDF files: the text layer per page (1-based page numbers), split into paragraphs.

pypdf gives lines without paragraph structure. A new block starts after a line that
ends a sentence, at a list item and at a heading; a heading is a short line in
capitals ("BEWAARTERMIJNEN") or with a section number ("2.1 Klantgegevens").
"""

from __future__ import annotations

import io
import re
import warnings

from pypdf import PdfReader

from ingestion.errors import IngestionError
from ingestion.model import TextBlock
from ingestion.text_cleaning import LIST_ITEM, clean_text, join_wrapped, push_heading

_ENCRYPTED = "Het PDF-bestand is versleuteld met een wachtwoord; sla het onversleuteld op en probeer opnieuw."
_CORRUPT = "Het PDF-bestand is beschadigd of onleesbaar"
_NO_TEXT = "Geen tekstlaag gevonden: is dit een scan? Gebruik eerst tekstherkenning (OCR)."

_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\S.*)$")
_SENTENCE_END = re.compile(r"[.!?:;]['\"”’)]?$")
_MAX_HEADING_WORDS = 10


def load_pdf(data: bytes) -> list[TextBlock]:
    """Read the text layer of a PDF into blocks with 1-based page numbers."""
    return read_pdf(data)[1]


def read_pdf(data: bytes) -> tuple[str, list[TextBlock]]:
    """Read a PDF into (metadata title or "", blocks)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pypdf warns about repairable defects
        reader = _open(data)
        try:
            info = reader.metadata
            title = clean_text(str(info.get("/Title") or "")) if info is not None else ""
        except Exception:  # a broken Info dictionary only costs the title
            title = ""
        try:
            page_texts = [page.extract_text() or "" for page in reader.pages]
        except Exception as exc:
            raise IngestionError(f"{_CORRUPT} ({type(exc).__name__}).") from exc
    if not page_texts:
        raise IngestionError("Het PDF-bestand bevat geen pagina's.")
    blocks: list[TextBlock] = []
    stack: list[tuple[int, str]] = []
    for number, raw in enumerate(page_texts, start=1):
        blocks.extend(_page_blocks(clean_text(raw), number, stack))
    if not blocks:
        raise IngestionError(_NO_TEXT)
    return title, blocks


def heading_level(line: str) -> int | None:
    """Level of a heading line (1 for capitals, depth of "2.1"-style numbering), else None."""
    words = line.split()
    if not words or len(words) > _MAX_HEADING_WORDS or _SENTENCE_END.search(line) or line.endswith(","):
        return None
    numbered = _NUMBERED_HEADING.match(line)
    if numbered and numbered.group(2)[:1].isupper():
        return numbered.group(1).count(".") + 1
    letters = [c for c in line if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return 1
    return None


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except Exception as exc:
        raise IngestionError(f"{_CORRUPT} ({type(exc).__name__}).") from exc
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")  # an owner password only still allows reading
        except Exception as exc:  # e.g. AES without the optional crypto package
            raise IngestionError(_ENCRYPTED) from exc
        if not opened:
            raise IngestionError(_ENCRYPTED)
    return reader


def _page_blocks(text: str, page: int, stack: list[tuple[int, str]]) -> list[TextBlock]:
    blocks: list[TextBlock] = []
    path = tuple(heading for _, heading in stack)
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(TextBlock(join_wrapped(current), path, page))
            current.clear()

    for line in text.split("\n"):
        line = line.strip()
        if not line:
            flush()
            continue
        level = heading_level(line)
        if level is not None:
            flush()
            path = push_heading(stack, level, line)
            blocks.append(TextBlock(line, path, page, is_heading=True))
            continue
        if LIST_ITEM.match(line):
            flush()
        current.append(line)
        if _SENTENCE_END.search(line):
            flush()
    flush()
    return blocks
