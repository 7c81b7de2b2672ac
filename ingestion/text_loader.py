"""Plain text and Markdown: decoding, paragraphs and ATX/setext headings."""

from __future__ import annotations

import re

from ingestion.errors import IngestionError
from ingestion.model import TextBlock
from ingestion.text_cleaning import clean_text, push_heading, reflow

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_INLINE_CODE = re.compile(r"`([^`\n]+)`")


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


def load_markdown(text: str) -> list[TextBlock]:
    """Split Markdown into blocks: headings make the path, paragraphs split on blank lines."""
    return read_markdown(text)[1]


def markdown_title(text: str) -> str:
    """The text of the first level-1 heading, "" when there is none."""
    return read_markdown(text)[0]


def read_markdown(text: str) -> tuple[str, list[TextBlock]]:
    """Parse Markdown into (title of the first level-1 heading or "", blocks)."""
    title = ""
    blocks: list[TextBlock] = []
    stack: list[tuple[int, str]] = []
    path: tuple[str, ...] = ()
    paragraph: list[str] = []

    def flush() -> None:
        cleaned = reflow(clean_text(_strip_inline("\n".join(paragraph))))
        paragraph.clear()
        if cleaned:
            blocks.append(TextBlock(cleaned, path))

    def heading(level: int, raw: str) -> None:
        nonlocal path, title
        text = clean_text(_strip_inline(raw))
        if text:
            path = push_heading(stack, level, text)
            blocks.append(TextBlock(text, path, is_heading=True))
            if level == 1 and not title:
                title = text

    lines = _strip_front_matter(_normalize_newlines(text)).split("\n")
    fence = ""
    for line in lines:
        if fence:  # inside fenced code: keep lines as they are, blank ones included
            if line.strip().startswith(fence):
                fence = ""
                _flush_code(paragraph, blocks, path)
            else:
                paragraph.append(line)
            continue
        fence_match = _FENCE.match(line)
        if fence_match:
            flush()
            fence = fence_match.group(1)
            continue
        atx = _ATX_HEADING.match(line)
        if atx:
            flush()
            heading(len(atx.group(1)), atx.group(2) or "")
        elif not line.strip():
            flush()
        elif paragraph and _SETEXT_UNDERLINE.match(line):
            raw = "\n".join(paragraph)
            paragraph.clear()
            heading(1 if line.strip().startswith("=") else 2, raw)
        elif _THEMATIC_BREAK.match(line):
            flush()
        else:
            paragraph.append(line)
    if fence:
        _flush_code(paragraph, blocks, path)
    flush()
    return title, blocks


def _flush_code(lines: list[str], blocks: list[TextBlock], path: tuple[str, ...]) -> None:
    """Emit fenced code as one block, keeping its line structure."""
    cleaned = clean_text("\n".join(lines))
    lines.clear()
    if cleaned:
        blocks.append(TextBlock(cleaned, path))


def _strip_inline(text: str) -> str:
    """Remove the most common inline Markdown markup, keeping the visible text."""
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _INLINE_CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    return _EMPHASIS.sub(r"\1", text)


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
