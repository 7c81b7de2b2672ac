"""Plain text and Markdown: decoding, paragraphs; Markdown rendered to HTML and read as HTML."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from ingestion.errors import IngestionError
from ingestion.html_loader import load_rendered_markdown
from ingestion.model import TextBlock
from ingestion.text_cleaning import clean_text, reflow

_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.!?:;,]['\"”’)]?$")
_MAX_TITLE_WORDS = 12


def decode_text(data: bytes) -> str:
    """Decode a text file: UTF-16 with BOM, UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestionError("Dit lijkt geen tekstbestand: de UTF-16-tekst is ongeldig.") from exc
    if b"\x00" in data:
        raise IngestionError("Dit lijkt geen tekstbestand: het bevat binaire gegevens (NUL-bytes).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def load_plain_text(text: str) -> list[TextBlock]:
    """Split plain text into paragraphs on blank lines."""
    blocks: list[TextBlock] = []
    for paragraph in _BLANK_LINES.split(_normalize_newlines(text)):
        cleaned = reflow(clean_text(paragraph))
        if cleaned:
            blocks.append(TextBlock(cleaned))
    return blocks


def titled_plain_text(text: str) -> list[TextBlock]:
    """Paragraphs of plain text; a short first line on its own (no sentence end) is the heading, so
    it becomes the title instead of the first line of the text."""
    blocks = load_plain_text(text)
    if len(blocks) > 1 and _is_title_line(blocks[0].text):
        heading = blocks[0].text
        return [
            TextBlock(heading, (heading,), is_heading=True),
            *(TextBlock(block.text, (heading,)) for block in blocks[1:]),
        ]
    return blocks


def _is_title_line(line: str) -> bool:
    words = line.split()
    return "\n" not in line and 0 < len(words) <= _MAX_TITLE_WORDS and not _SENTENCE_END.search(line)


def load_markdown(text: str) -> list[TextBlock]:
    """Split Markdown into blocks: headings make the path, paragraphs split on blank lines."""
    return read_markdown(text)[1]


def markdown_title(text: str) -> str:
    """The text of the first level-1 heading, "" when there is none."""
    return read_markdown(text)[0]


def read_markdown(text: str) -> tuple[str, list[TextBlock]]:
    """Parse Markdown into (title of the first level-1 heading or "", blocks).

    The Markdown is rendered to HTML (markdown-it, CommonMark with tables) and read like any HTML
    page, so what a reader would not see never gets in: HTML comments, raw HTML hidden by CSS.
    """
    renderer = MarkdownIt("commonmark", {"html": True}).enable("table")
    return load_rendered_markdown(renderer.render(_strip_front_matter(_normalize_newlines(text))))


def _strip_front_matter(text: str) -> str:
    """Drop a YAML front matter block at the very start."""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            newline = text.find("\n", end + 4)
            return "" if newline == -1 else text[newline + 1 :]
    return text


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
