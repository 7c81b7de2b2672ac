"""One page layout for every Word export: A4, page numbers, the consultancy as author, CONCEPT mark.

Reports and privacyverklaringen go to clients, so every ``.docx`` the product writes shares this
frame: A4 with 2.5 cm margins (python-docx starts from US Letter), "Pagina X van Y" in the footer,
the consultancy's name (setting ``consultancy_name``) as author instead of "python-docx", no login
names in the document properties, and until approval a red "CONCEPT" line in the header of every
page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

A4_WIDTH_CM = 21.0
A4_HEIGHT_CM = 29.7
MARGIN_CM = 2.5
CONCEPT_MARK = "CONCEPT — niet goedgekeurd, niet verspreiden"
CONCEPT_RED = RGBColor(0xC0, 0x00, 0x00)


def new_document(*, title: str, subject: str, author: str, concept: bool) -> DocxDocument:
    """An empty A4 document with page numbers, properties and (for a concept) the CONCEPT header."""
    document = Document()
    for section in document.sections:
        section.page_width = Cm(A4_WIDTH_CM)
        section.page_height = Cm(A4_HEIGHT_CM)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(MARGIN_CM))
        _page_number_footer(section.footer.paragraphs[0])
        if concept:
            _concept_header(section.header.paragraphs[0])
    properties = document.core_properties
    properties.title = title
    properties.subject = subject
    properties.author = author
    properties.last_modified_by = author
    properties.comments = ""
    properties.category = "Concept" if concept else "Definitief"
    return document


def _concept_header(paragraph: Paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(CONCEPT_MARK)
    run.bold = True
    run.font.size = Pt(11)
    run.font.color.rgb = CONCEPT_RED


def _page_number_footer(paragraph: Paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Pagina ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" van ")
    _field(paragraph, "NUMPAGES")


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the document."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, placeholder, end):
        run._r.append(element)
