"""Split chunk text into quotable units and map each to the point it belongs to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion.law_chunker import point_of_line

_LID_PREFIX = re.compile(r"^(\d{1,3}[a-z]?)\.\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z„\"(])")


@dataclass(frozen=True)
class Sentence:
    """A quotable piece of a chunk; ``point`` is set when it comes from a list point."""

    text: str
    point: str
    position: int
    lead: str = ""

    @property
    def quote(self) -> str:
        """The sentence as quoted: a list point is preceded by the words that introduce the list."""
        return f"{self.lead} … {self.text}" if self.point and self.lead else self.text


def split_sentences(chunk_text: str, has_heading: bool) -> list[Sentence]:
    """Quotable sentences of a chunk, skipping its heading line."""
    lines = chunk_text.split("\n")
    if has_heading and len(lines) > 1:
        lines = lines[1:]
    sentences: list[Sentence] = []
    lead = ""
    for line in lines:
        line = _LID_PREFIX.sub("", line.strip())
        if not line:
            continue
        point = point_of_line(line)
        parts = [p.strip() for p in _SENTENCE_END.split(line) if len(p.strip()) >= 12]
        for part in parts:
            sentences.append(Sentence(part, point, len(sentences), lead if point else ""))
        if not point and parts:
            lead = parts[-1]
    return sentences
