"""Chunk ordinary documents along headings and paragraphs.

Consecutive blocks under the same heading path and page are packed into one chunk
of at most :data:`MAX_CHUNK_WORDS` words and ``MAX_CHUNK_CHARS`` characters
(:mod:`ingestion.text_budget`); a block is only split when it alone is too long, then on
sentence boundaries. Every chunk starts with its heading path on one
line ("Bewaartermijnen > Klantgegevens") so both indexes see the section it is in.
"""

from __future__ import annotations

import re

from langchain_core.documents import Document

from ingestion.citations import document_citation
from ingestion.model import TextBlock
from ingestion.text_budget import MAX_CHUNK_CHARS
from ingestion.text_cleaning import word_count

#: Body words per chunk (the heading line comes on top); well under multilingual-e5's 512 tokens.
MAX_CHUNK_WORDS = 220
HEADING_SEPARATOR = " > "

# A sentence ends at . ! ? ; or : (perhaps with a closing quote) followed by a space and a capital,
# so "o.a. de" and "art. 6" stay whole; a sentence still too long falls back to any such mark.
_SENTENCE_BOUNDARY = re.compile(r"(?:(?<=[.!?;:])|(?<=[.!?;:]['\"”’)]))\s+(?=[\"'“‘(A-ZÀ-Ý•\-–])")
_ANY_BOUNDARY = re.compile(r"(?<=[.!?;:])\s+")


def chunk_blocks(blocks: list[TextBlock], title: str, source: str, kind: str = "document") -> list[Document]:
    """Turn the blocks of one document into chunks with citation metadata."""
    packer = _Packer()
    pending_heading: TextBlock | None = None
    for block in blocks:
        if block.is_heading:
            pending = pending_heading
            if pending is not None and not _is_ancestor(pending.heading_path, block.heading_path):
                packer.add_heading_only(pending)
            packer.flush()
            pending_heading = block
            continue
        text = block.text.strip()
        if not text:
            continue
        pending_heading = None
        packer.add(text, block.heading_path, block.page)
    if pending_heading is not None:
        packer.add_heading_only(pending_heading)
    packer.flush()
    return [
        _document(text, path, page, index, title, source, kind)
        for index, (text, path, page) in enumerate(packer.chunks)
    ]


def split_sentences(text: str, limit: int = MAX_CHUNK_WORDS) -> list[str]:
    """Split text longer than ``limit`` words into pieces on line and sentence boundaries."""
    if word_count(text) <= limit:
        return [text]
    units: list[tuple[str, str]] = []  # (separator before the unit, unit)
    for line in text.split("\n"):
        separator = "\n"
        for sentence in _SENTENCE_BOUNDARY.split(line):
            for unit in _split_long_sentence(sentence.strip(), limit):
                if unit:
                    units.append((separator, unit))
                    separator = " "
    pieces: list[str] = []
    current = ""
    for separator, unit in units:
        if current and word_count(current) + word_count(unit) > limit:
            pieces.append(current)
            current = ""
        current = f"{current}{separator}{unit}" if current else unit
    if current:
        pieces.append(current)
    return pieces


def heading_line(path: tuple[str, ...]) -> str:
    """The heading path as the first line of a chunk."""
    return HEADING_SEPARATOR.join(path)


class _Packer:
    """Packs block texts into chunks of (text lines, heading path, page)."""

    def __init__(self) -> None:
        self.chunks: list[tuple[list[str], tuple[str, ...], int]] = []
        self._lines: list[str] = []
        self._words = 0
        self._chars = 0
        self._key: tuple[tuple[str, ...], int] | None = None

    def add(self, text: str, path: tuple[str, ...], page: int) -> None:
        if (path, page) != self._key:
            self.flush()
            self._key = (path, page)
        words = word_count(text)
        if words > MAX_CHUNK_WORDS or len(text) > MAX_CHUNK_CHARS:
            self.flush()
            for piece in split_sentences(text):
                self.chunks.extend(([part], path, page) for part in _fit_chars(piece))
            return
        if self._words + words > MAX_CHUNK_WORDS or self._chars + len(text) + 1 > MAX_CHUNK_CHARS:
            self.flush()
        self._lines.append(text)
        self._words += words
        self._chars += len(text) + 1

    def add_heading_only(self, heading: TextBlock) -> None:
        """A section without body text still gets a chunk (its heading path), so nothing is lost."""
        self.flush()
        self.chunks.append(([], heading.heading_path, heading.page))

    def flush(self) -> None:
        if self._lines and self._key is not None:
            self.chunks.append((self._lines, *self._key))
        self._lines = []
        self._words = 0
        self._chars = 0


def _is_ancestor(path: tuple[str, ...], other: tuple[str, ...]) -> bool:
    return len(other) > len(path) and other[: len(path)] == path


def _fit_chars(text: str, limit: int = MAX_CHUNK_CHARS) -> list[str]:
    """Split ``text`` on spaces into pieces of at most ``limit`` characters (a longer word is cut)."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for word in text.split(" "):
        while len(word) > limit:
            pieces.extend([current] if current else [])
            pieces.append(word[:limit])
            current, word = "", word[limit:]
        if current and len(current) + 1 + len(word) > limit:
            pieces.append(current)
            current = ""
        current = f"{current} {word}" if current else word
    if current:
        pieces.append(current)
    return [piece for piece in pieces if piece.strip()]


def _split_long_sentence(text: str, limit: int) -> list[str]:
    """A sentence over ``limit`` words: split on any sentence mark, then on words."""
    if word_count(text) <= limit:
        return [text]
    return [piece for part in _ANY_BOUNDARY.split(text) for piece in _split_words(part, limit)]


def _split_words(text: str, limit: int) -> list[str]:
    """Hard split of a single sentence that is itself longer than ``limit`` words."""
    words = text.split()
    if len(words) <= limit:
        return [text]
    return [" ".join(words[i : i + limit]) for i in range(0, len(words), limit)]


def _document(
    lines: list[str], path: tuple[str, ...], page: int, index: int, title: str, source: str, kind: str
) -> Document:
    heading = heading_line(path)
    text = "\n".join([heading, *lines] if heading else lines)
    metadata: dict[str, str | int] = {
        "kind": kind,
        "law": "",
        "article": "",
        "paragraph": "",
        "point": "",
        "recital": "",
        "citation": document_citation(title, page, heading),
        "document": title,
        "source": source,
        "heading": heading,
        "page": page,
        "chunk_index": index,
    }
    return Document(page_content=text, metadata=metadata)
