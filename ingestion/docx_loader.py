"""Word documents (.docx): paragraphs and tables in body order under the heading path.

Text in content controls (``w:sdt``), smart tags, custom XML and tracked insertions (``w:ins``) is
read as Word shows it with the changes accepted; tracked deletions (``w:del``, ``w:moveFrom``) are
left out. Only text Word shows is read: runs marked hidden (``w:vanish``, directly or through their
character or paragraph style), runs of at most 1 pt, and white text on a white page (no run,
paragraph or cell shading that makes it readable) are skipped, like hidden text in HTML.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingestion.errors import IngestionError
from ingestion.model import TextBlock
from ingestion.text_cleaning import clean_text, push_heading

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_CORRUPT = "Het Word-bestand (.docx) is beschadigd of onleesbaar."
_TOO_LARGE = (
    "Het Word-bestand is te groot om te lezen (één tekstonderdeel is groter dan 10 MB); "
    "splits het op of verklein het en probeer opnieuw."
)
_OFF = frozenset({"0", "false", "off"})
_LIGHT_LEVEL = 240  # every channel at least this: white to the eye
_MAX_VISIBLE_TINY = 2  # w:sz in half-points: 1 pt or less counts as hidden
_MAX_STYLE_DEPTH = 20
#: The runs of a paragraph Word shows with tracked changes accepted: also inside hyperlinks, content
#: controls, smart tags, fields and insertions; not deleted text, nor text boxes (their own paragraphs).
_RUNS = (
    ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)"
    " and not(ancestor::w:pict) and not(ancestor::w:drawing) and not(ancestor::*[local-name()='Fallback'])]"
)
_CELL_PARAGRAPHS = "./w:p | ./w:sdt/w:sdtContent/w:p | ./w:customXml/w:p | ./w:ins/w:p"
_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_BLOCK_WRAPPERS = frozenset({qn("w:customXml"), qn("w:ins"), qn("w:smartTag"), qn("w:moveTo")})


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
        message = str(exc).lower()
        if isinstance(exc, MemoryError) or "memory" in message:  # lxml: "Memory allocation failed"
            raise MemoryError("het Word-bestand vraagt te veel geheugen") from exc  # too large, not corrupt
        if "resource limit exceeded" in message or "huge" in message:  # lxml's caps on one text node
            raise IngestionError(_TOO_LARGE) from exc
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


def table_text(table: Table, visibility: _Visibility | None = None) -> str:
    """One line per row, cells joined with " | " (merged cells only once; hidden runs left out)."""
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats in row.cells
                continue
            seen.add(id(cell._tc))
            paragraphs = [Paragraph(p, cell) for p in cell._tc.xpath(_CELL_PARAGRAPHS)]
            raw = "\n".join(p.text if visibility is None else visibility.text(p) for p in paragraphs)
            text = clean_text(" ".join(raw.split()))
            if text:
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return "\n".join(rows)


def _blocks(document: DocxDocument) -> list[TextBlock]:
    blocks: list[TextBlock] = []
    stack: list[tuple[int, str]] = []
    path: tuple[str, ...] = ()
    visibility = _Visibility(document)
    for item in _body_items(document.element.body, document):
        if isinstance(item, Table):
            text = table_text(item, visibility)
            if text:
                blocks.append(TextBlock(text, path))
            continue
        text = clean_text(visibility.text(item))
        if not text:
            continue
        level = heading_level(item)
        if level is None:
            blocks.append(TextBlock(text, path))
        else:
            path = push_heading(stack, level, " ".join(text.split()))
            blocks.append(TextBlock(path[-1], path, is_heading=True))
    return blocks


def _body_items(parent: Any, owner: Any) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables in body order, also inside block-level content controls (``w:sdt``),
    custom XML and tracked insertions; tracked deletions are left out."""
    for child in parent.iterchildren():
        if child.tag == _P:
            yield Paragraph(child, owner)
        elif child.tag == _TBL:
            yield Table(child, owner)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _body_items(content, owner)
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _body_items(child, owner)


class _Visibility:
    """Decides which runs Word shows; style lookups are cached per document."""

    def __init__(self, document: DocxDocument) -> None:
        styles = document.styles.element.findall(qn("w:style"))
        self._styles = {style.get(qn("w:styleId")): style for style in styles}
        self._default_paragraph = next(
            (
                style.get(qn("w:styleId"))
                for style in styles
                if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true")
            ),
            None,
        )
        background = document.element.find(qn("w:background"))
        self._page = _fill_kind(background.get(qn("w:color")) if background is not None else None) or "light"
        self._cache: dict[str | None, tuple[bool | None, str | None, int | None]] = {}

    def text(self, paragraph: Paragraph) -> str:
        """The paragraph's text without hidden runs (same elements as ``Paragraph.text``)."""
        p = paragraph._p
        p_style = _val(p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")) or self._default_paragraph
        return "".join(r.text for r in p.xpath(_RUNS) if self._shown(r, p, p_style))

    def _shown(self, run: Any, paragraph: Any, paragraph_style: str | None) -> bool:
        run_props = run.find(qn("w:rPr"))
        run_style = _val(run_props.find(qn("w:rStyle"))) if run_props is not None else None
        hidden, colour, size = _merge(
            _props(run_props), self._style_props(run_style), self._style_props(paragraph_style)
        )
        if hidden or (size is not None and size <= _MAX_VISIBLE_TINY):
            return False
        return not (_fill_kind(colour) == "light" and self._background(run_props, paragraph) == "light")

    def _background(self, run_props: Any, paragraph: Any) -> str:
        """Kind of what is behind a run: its highlight or shading, the paragraph's, the cell's, the page."""
        if run_props is not None:
            highlight = _val(run_props.find(qn("w:highlight")))
            if highlight and highlight != "none":
                return "light" if highlight == "white" else "other"
            kind = _fill_kind(_fill(run_props))
            if kind:
                return kind
        containers = [paragraph.find(qn("w:pPr"))]
        containers += [cell.find(qn("w:tcPr")) for cell in paragraph.iterancestors(qn("w:tc"))]
        for properties in containers:
            kind = _fill_kind(_fill(properties)) if properties is not None else None
            if kind:
                return kind
        return self._page

    def _style_props(self, style_id: str | None) -> tuple[bool | None, str | None, int | None]:
        """Run properties a style sets, following its basedOn chain."""
        if style_id not in self._cache:
            found: list[tuple[bool | None, str | None, int | None]] = []
            current = style_id
            seen: set[str | None] = set()
            while current in self._styles and current not in seen and len(seen) < _MAX_STYLE_DEPTH:
                seen.add(current)
                style = self._styles[current]
                found.append(_props(style.find(qn("w:rPr"))))
                current = _val(style.find(qn("w:basedOn")))
            self._cache[style_id] = _merge(*found)
        return self._cache[style_id]


def _props(run_props: Any) -> tuple[bool | None, str | None, int | None]:
    """(hidden, colour, size in half-points) set by one w:rPr; None where it sets nothing."""
    if run_props is None:
        return None, None, None
    vanish = run_props.find(qn("w:vanish"))
    hidden = None if vanish is None else (vanish.get(qn("w:val")) or "true").lower() not in _OFF
    size = _val(run_props.find(qn("w:sz")))
    return hidden, _val(run_props.find(qn("w:color"))), int(size) if size and size.isdigit() else None


def _merge(
    *layers: tuple[bool | None, str | None, int | None],
) -> tuple[bool | None, str | None, int | None]:
    """Per property the first layer that sets it (direct formatting before styles)."""
    hidden = next((layer[0] for layer in layers if layer[0] is not None), None)
    colour = next((layer[1] for layer in layers if layer[1] is not None), None)
    size = next((layer[2] for layer in layers if layer[2] is not None), None)
    return hidden, colour, size


def _fill(properties: Any) -> str | None:
    shading = properties.find(qn("w:shd"))
    return shading.get(qn("w:fill")) if shading is not None else None


def _fill_kind(value: str | None) -> str | None:
    """ "light" for white-ish hex colours, "other" for other colours, None for none or "auto"."""
    if not value or value.lower() == "auto" or len(value) != 6:
        return None
    try:
        channels = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    except ValueError:
        return None
    return "light" if min(channels) >= _LIGHT_LEVEL else "other"


def _val(element: Any) -> str | None:
    return element.get(qn("w:val")) if element is not None else None
