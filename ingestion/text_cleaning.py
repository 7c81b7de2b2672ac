"""Text helpers shared by every document loader: cleaning and heading paths."""

from __future__ import annotations

import re
import unicodedata

# Characters that render as nothing but can carry hidden text or reorder what is shown:
# zero-width space/joiners, word joiner, BOM, soft hyphen, combining grapheme joiner, Mongolian
# vowel separator, Hangul fillers, bidirectional marks/embeddings/overrides/isolates, invisible
# math operators, deprecated format characters, variation selectors and Unicode "tag" characters
# (U+E0000 block: invisible ASCII look-alikes used to smuggle instructions).
_INVISIBLE_RANGES = (
    *((code, code) for code in (0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x180E, 0x3164, 0xFEFF, 0xFFA0)),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0xFE00, 0xFE0F),
    (0xE0000, 0xE007F),
    (0xE0100, 0xE01EF),
)
_INVISIBLE = dict.fromkeys(code for low, high in _INVISIBLE_RANGES for code in range(low, high + 1))
# Control characters except newline and tab (tab is collapsed to a space below).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INLINE_SPACE = re.compile(r"[^\S\n]+")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
LIST_ITEM = re.compile(r"^(?:[-•–*▪◦·+]\s|\d{1,2}[.)]\s|[a-z][.)]\s)")
_TABLE_ROW = re.compile(r"^\|")


def clean_text(text: str) -> str:
    """Drop invisible and control characters, NFC-normalize and collapse spaces within each line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = text.translate(_INVISIBLE)
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    lines = [_INLINE_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def push_heading(stack: list[tuple[int, str]], level: int, text: str) -> tuple[str, ...]:
    """Put a heading of ``level`` on the stack (dropping same or deeper ones); return the new path."""
    while stack and stack[-1][0] >= level:
        stack.pop()
    stack.append((level, text))
    return tuple(heading for _, heading in stack)


def word_count(text: str) -> int:
    """Number of whitespace-separated words."""
    return len(text.split())


def join_wrapped(lines: list[str]) -> str:
    """Join wrapped lines with spaces, undoing end-of-line hyphenation ("bewaar-" + "termijn")."""
    text = lines[0]
    for line in lines[1:]:
        if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and line[:1].islower():
            text = text[:-1] + line
        else:
            text += " " + line
    return text


def reflow(text: str) -> str:
    """Join hard-wrapped lines of a paragraph into one line; list items and table rows keep their own.

    Editors and e-mail wrap paragraphs at a fixed width; a line break there is not a sentence
    end, and quoting "…naar het" as a sentence misleads. A line that starts a list item or a
    table row starts a new line; the lines wrapped after it join it.
    """
    joined: list[list[str]] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        starts_item = bool(LIST_ITEM.match(line) or _TABLE_ROW.match(line))
        if joined and not starts_item and not _TABLE_ROW.match(joined[-1][0]):
            joined[-1].append(line)
        else:
            joined.append([line])
    return "\n".join(join_wrapped(group) for group in joined)
