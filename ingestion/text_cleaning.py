"""Text helpers shared by every document loader: cleaning and heading paths."""

from __future__ import annotations

import re
import unicodedata

# Zero-width space/joiners, word joiner, BOM / zero-width no-break space, soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Control characters except newline and tab (tab is collapsed to a space below).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INLINE_SPACE = re.compile(r"[^\S\n]+")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


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
