"""Word documents (.docx): paragraphs and tables in body order under the heading path."""

from __future__ import annotations

import io
import re
import warnings

import docx
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingestion.errors import IngestionError
from ingestion.model import TextBlock
from ingestion.text_cleaning import clean_text, push_heading

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_CORRUPT = "Het Word-bestand (.docx) is beschadigd of onleesbaar."


def load_docx(data: bytes) -> list[TextBlock]:
    """Read a .docx file into blocks; Title and Heading styles make the heading path."""
    return read_docx(data)[1]


def read_docx(data: bytes) -> tuple[str, list[TextBlock]]:
    """Read a .docx file into (title, blocks); the title comes from the core properties or Title style."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            document = docx.Document(io.BytesIO(data))
            title = clean_text(document.core_properties.title or "")
            blocks = _blocks(document)
    except IngestionError:
        raise
    except Exception as exc:  # python-docx, zipfile and lxml raise many kinds
        raise IngestionError(f"{_CORRUPT} ({type(exc).__name__})") from exc
    if not title:
        title = next((b.text for b in blocks if b.is_heading and b.heading_path == (b.text,)), "")
    return title, blocks


def heading_level(paragraph: Paragraph) -> int | None:
    """0 for the Title style, n for "Heading n", None for body text."""
    name = paragraph.style.name if paragraph.style is not None else ""
    if name == "Title":
        return 0
    match = _HEADING_STYLE.match(name or "")
    return int(match.group(1)) if match else None


def table_text(table: Table) -> str:
    """One line per row, cells joined with " | " (merged cells only once)."""
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats in row.cells
                continue
            seen.add(id(cell._tc))
            text = clean_text(" ".join(cell.text.split()))
            if text:
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return "\n".join(rows)


def _blocks(document: DocxDocument) -> list[TextBlock]:
    blocks: list[TextBlock] = []
    stack: list[tuple[int, str]] = []
    path: tuple[str, ...] = ()
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            text = table_text(item)
            if text:
                blocks.append(TextBlock(text, path))
            continue
        text = clean_text(item.text)
        if not text:
            continue
        level = heading_level(item)
        if level is None:
            blocks.append(TextBlock(text, path))
        else:
            path = push_heading(stack, level, " ".join(text.split()))
            blocks.append(TextBlock(path[-1], path, is_heading=True))
    return blocks
