"""A document's title: the one given, else its own metadata title unless that is junk, else its first
heading, else its file name tidied ("bewaar_beleid-v2.pdf" → "Bewaar beleid v2").

Word and PDF files often carry a title nobody chose: "Microsoft Word - doc1.docx", "Document1",
"Untitled", "Naamloos", "about:blank" (HTML saved from a browser), or simply their own file name.
Those are ignored.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingestion.model import TextBlock
from ingestion.text_cleaning import clean_text

_JUNK = re.compile(
    r"^(?:about:blank|untitled(?: document)?|naamloos(?: document)?|document|doc|titel|title|"
    r"nieuw document|new document|presentation|presentatie|blank|leeg|none|null|unknown|onbekend)"
    r"\s*\d*$|^microsoft (?:word|powerpoint|excel)\b|^(?:document|doc)\s*\d+$",
    re.IGNORECASE,
)
_FILE_NAME = re.compile(
    r"^[\w\-. ()]+\.(?:pdf|docx?|odt|rtf|html?|md|markdown|txt|xml|xlsx?|pptx?)$", re.IGNORECASE
)
_SEPARATORS = re.compile(r"[_\s]+|(?<=\D)-|-(?=\D)")


def is_junk_title(title: str, path: Path | None = None) -> bool:
    """Whether a metadata title says nothing: empty, a placeholder, or a file name."""
    title = clean_text(title)
    if not any(char.isalpha() for char in title) or _JUNK.search(title) or _FILE_NAME.match(title):
        return True
    return path is not None and title.lower() in (path.name.lower(), path.stem.lower())


def first_heading(blocks: list[TextBlock]) -> str:
    """The text of the first top-level heading, else of the first heading, else ""."""
    headings = [block for block in blocks if block.is_heading and block.text.strip()]
    top = next((block.text for block in headings if len(block.heading_path) == 1), "")
    return top or (headings[0].text if headings else "")


def tidy_file_name(path: Path) -> str:
    """The file name without extension, separators as spaces, first letter upper case."""
    name = " ".join(_SEPARATORS.sub(" ", path.stem).split()) or path.stem
    return name[:1].upper() + name[1:]


def choose_title(given: str | None, own: str, blocks: list[TextBlock], path: Path) -> str:
    """The title to use: ``given``, else ``own`` unless junk, else the first heading, else the file name."""
    given = " ".join(clean_text(given or "").split())
    if given:
        return given
    for candidate in (own, first_heading(blocks)):
        cleaned = " ".join(clean_text(candidate).split())
        if cleaned and not is_junk_title(cleaned, path):
            return cleaned
    return tidy_file_name(path)
