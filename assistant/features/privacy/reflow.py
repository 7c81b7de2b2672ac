"""Document text as the suggestion patterns need it: reflowed lines and retention-table rows.

PDF text (and hard-wrapped Markdown) breaks lines inside a paragraph; patterns that read a sentence
or a list then see "… de voornaam, de" and a data item "de". :func:`reflow` joins the lines of one
paragraph or list item first. Retention tables come as Markdown tables, or in PDF text as a header
("Activiteit Bewaartermijn") followed by "<Label> <term>" rows, on one line or one cell per line;
:func:`table_rows` reads both.
"""

from __future__ import annotations

import re

from knowledge.text_analysis import fold

BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(?P<item>.+)$")
TABLE_HEAD = re.compile(
    r"\b(?:activiteit|verwerking|proces|gegevens|soort gegevens|categorie|document|dossier|omschrijving)\w*"
    r"\s*\|?\s*(?:bewaartermijn|termijn|bewaren|hoe lang)\w*\s*\|?",
    re.IGNORECASE,
)
_TERM = (
    r"(?:\d+|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|twaalf|vijftien|twintig|dertig)"
    r"\s+(?:dagen|dag|weken|week|maanden|maand|jaren|jaar)"
    r"(?:\s+(?:na|nadat|vanaf|gerekend|volgend op|tot)(?:\s+(?![A-ZÀ-Ý])[\w()/-]+){0,12})?"
    r"|(?:tot|totdat)(?:\s+(?![A-ZÀ-Ý])[\w()/-]+){1,12}"
)
_ROW = re.compile(
    rf"\s*(?P<label>[A-ZÀ-Ý][\w()/-]*(?:\s+(?![A-ZÀ-Ý]?\d)[\w()/-]+){{0,5}}?)\s+(?P<term>{_TERM})"
)
_LABEL_LINE = re.compile(r"^[A-ZÀ-Ýa-zà-ÿ][\w ]{1,30}:\s")


def reflow(text: str) -> list[str]:
    """The logical lines of ``text``: hard-wrapped lines of a paragraph or list item joined.

    A line starts a new logical line after a blank line, when it is a list item, a Markdown heading
    or table row, a "Label: …" line, when the previous line ends a sentence or introduces a list
    (".", "!", "?", ":"), and when a short previous line without punctuation (a heading, a table
    cell) is followed by a capital. A word hyphenated at the line end is joined again ("gesor-" +
    "teerd"), a one-letter part keeps its hyphen ("e-" + "mailadres").
    """
    logical: list[str] = []
    blank = True
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = " ".join(raw.split())
        if not line:
            blank = True
            continue
        if logical and not blank and _continues(logical[-1], line):
            logical[-1] = _join(logical[-1], line)
        else:
            logical.append(line)
        blank = False
    return logical


def _continues(previous: str, line: str) -> bool:
    if BULLET.match(line) or line.startswith("#") or previous.startswith("#"):
        return False
    if is_table_line(line) or is_table_line(previous):  # table rows stay rows
        return False
    if _LABEL_LINE.match(line) or previous.endswith((".", "!", "?", ":")):
        return False
    if previous.endswith(("-", ",")) or not line[0].isupper():
        return True
    return len(previous.split()) > 6


def _join(previous: str, line: str) -> str:
    if previous.endswith("-") and len(previous) > 1 and previous[-2].isalpha() and line[0].islower():
        word = previous.rsplit(" ", 1)[-1]
        if len(word) <= 2 or line.split(" ", 1)[0] in ("en", "of", "tot"):
            return previous + ("" if len(word) <= 2 else " ") + line
        return previous[:-1] + line
    return previous + " " + line


def is_table_line(line: str) -> bool:
    """A row of a Markdown table: "| a | b |" as typed, or "a | b" as ingestion renders a table."""
    return line.startswith("|") or " | " in line


def table_rows(lines: list[str]) -> list[tuple[str, str, str]]:
    """(label, term, quote) for every row of a retention table in ``lines``.

    Markdown tables are read by their columns; elsewhere a table header ("Activiteit Bewaartermijn")
    is followed by rows "<Label> <term>", one per line or, in PDF text, one after the other.
    """
    rows: list[tuple[str, str, str]] = []
    rows += _markdown_rows([line for line in lines if is_table_line(line)])
    for index, line in enumerate(lines):
        if is_table_line(line):
            continue
        head, start = TABLE_HEAD.search(line), index + 1
        if head is None and len(line.split()) <= 3 and index + 1 < len(lines):
            line = f"{line} {lines[index + 1]}"  # the header's cells as lines of their own
            head, start = TABLE_HEAD.fullmatch(line), index + 2
        if head is None:
            continue
        text = line[head.end() :]
        for following in lines[start:]:
            if following.startswith(("#", "|")) or BULLET.match(following) or following.endswith("."):
                break
            text += " " + following
        position = 0
        while True:
            row = _ROW.match(text, position)
            if row is None:
                break
            label, term = row.group("label").strip(), row.group("term").strip().rstrip(",")
            rows.append((label, term, f"{label} {term}"))
            position = row.end()
    return rows


def _markdown_rows(lines: list[str]) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    columns: tuple[int, int] | None = None
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            continue
        folded = [fold(c) for c in cells]
        term = next((i for i, c in enumerate(folded) if re.search(r"bewaar|termijn|hoe lang", c)), None)
        if term is not None and not re.search(r"\d", line):
            label = next((i for i, c in enumerate(folded) if i != term and c), None)
            columns = (label, term) if label is not None else None
            continue
        if columns is not None and max(columns) < len(cells) and cells[columns[0]] and cells[columns[1]]:
            rows.append((cells[columns[0]], cells[columns[1]].rstrip("."), line.strip()))
    return rows
