"""Export a privacyverklaring as Markdown or as a Word document with a title page.

Section text is a small Markdown subset (paragraphs, ``- `` bullets, ``**bold**``); the Word
export maps it to Normal / List Bullet paragraphs with bold runs. Anything not approved carries
"CONCEPT — niet publiceren" on top, so a draft is never mistaken for the published text.

The Word document uses the shared layout (:mod:`assistant.features.word_layout`): A4, page
numbers, the consultancy as author and a CONCEPT header until approval. It never holds a login
name: the title page names the approver only by the display name of the account, when it has one.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.features.privacy.statement import Draft

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

_BOLD = re.compile(r"\*\*(.+?)\*\*")
DRAFT_MARK = "CONCEPT — niet publiceren"


@dataclass(frozen=True)
class ExportInfo:
    """Metadata for the title page."""

    status: str = "concept"
    version: int = 0
    date: str = ""
    approved_by: str = ""  # the approver's display name; never a login name ("" when none)

    @property
    def is_final(self) -> bool:
        """True for an approved version."""
        return self.status == "goedgekeurd"


def to_markdown(draft: Draft, info: ExportInfo | None = None) -> str:
    """The statement as Markdown, with a version line under the title."""
    info = info or ExportInfo()
    meta = [f"Versie {info.version}" if info.version else "", info.status, info.date]
    header = [f"# {draft.title}", "_" + ", ".join(m for m in meta if m) + "_"]
    if not info.is_final:
        header.append(f"**{DRAFT_MARK}**")
    body = draft.markdown().split("\n", 1)[1].lstrip("\n")
    return "\n\n".join(header) + "\n\n" + body


def to_docx(draft: Draft, info: ExportInfo | None = None, author: str = "") -> bytes:
    """The statement as a .docx file (bytes): title page, then one Heading 1 per section.

    ``author`` is the consultancy's name (setting ``consultancy_name``); "" leaves it empty.
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt, RGBColor

    from assistant.features.word_layout import new_document

    info = info or ExportInfo()
    document = new_document(
        title=draft.title, subject="Privacyverklaring", author=author, concept=not info.is_final
    )
    document.core_properties.keywords = "AVG; privacyverklaring; art. 13 AVG"

    title = document.add_paragraph(draft.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = document.add_paragraph(draft.organisation, style="Subtitle")
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rows = [
        ("Klant", draft.client),
        ("Versie", str(info.version) if info.version else ""),
        ("Status", info.status),
        ("Datum", info.date),
        ("Goedgekeurd door", info.approved_by),
    ]
    for label, value in rows:
        if value:
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
    if not info.is_final:
        mark = document.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = mark.add_run(DRAFT_MARK)
        run.bold = True
        run.font.size = Pt(16)
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    _add_text(document, draft.intro)
    for section in draft.sections:
        document.add_heading(section.title, level=1)
        _add_text(document, section.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_text(document: DocxDocument, text: str) -> None:
    """Paragraphs and bullets of a section's Markdown subset."""
    for block in re.split(r"\n\s*\n", text.strip()):
        for line in block.split("\n"):
            line = line.strip()
            if not line:
                continue
            if line.startswith(("- ", "* ")):
                paragraph = document.add_paragraph(style="List Bullet")
                line = line[2:]
            else:
                paragraph = document.add_paragraph()
            _add_runs(paragraph, line)


def _add_runs(paragraph: Paragraph, line: str) -> None:
    position = 0
    for match in _BOLD.finditer(line):
        if match.start() > position:
            paragraph.add_run(line[position : match.start()])
        paragraph.add_run(match.group(1)).bold = True
        position = match.end()
    if position < len(line):
        paragraph.add_run(line[position:])
