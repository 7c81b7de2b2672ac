"""Chunk a :class:`LawText` along its structure: one chunk per lid.

Each chunk starts with the article heading ("Artikel 6 — Rechtmatigheid van de
verwerking") so both the lexical and the dense index see the article title. List
points stay on their own line ("f) de verwerking is ..."), which lets the answerer
cite the exact point a quoted sentence comes from. A lid too long for the embedder
is split per point, each piece repeating the lid's opening words so it stands alone.
"""

from __future__ import annotations

import re

from langchain_core.documents import Document

from ingestion.citations import law_citation
from ingestion.model import Article, LawParagraph, LawText, Segment

#: Above this many words a lid is split per point (multilingual-e5 reads at most 512 tokens).
MAX_CHUNK_WORDS = 280

_POINT_LINE = re.compile(r"^([a-z]|\d{1,2}|[ivx]{1,5})\)\s")


def article_heading(article: Article) -> str:
    """The first line of every chunk of an article."""
    return f"Artikel {article.number} — {article.title}" if article.title else f"Artikel {article.number}"


def render_segment(segment: Segment) -> str:
    """Text of one segment as it appears in a chunk, the point label first."""
    return f"{segment.point}) {segment.text}" if segment.point else segment.text


def point_of_line(line: str) -> str:
    """The point label a chunk line starts with ("f" for "f) de verwerking ..."), else ""."""
    match = _POINT_LINE.match(line)
    return match.group(1) if match else ""


def chunk_law(law_text: LawText, source: str, kind: str = "wet") -> list[Document]:
    """Turn a parsed law into chunks with citation metadata."""
    chunks: list[Document] = []
    for article in law_text.articles:
        for paragraph in article.paragraphs:
            for body, point in _paragraph_pieces(paragraph):
                text = f"{article_heading(article)}\n{body}"
                chunks.append(
                    _chunk(law_text, source, kind, text, article.number, paragraph.number, point, "")
                )
    for recital in law_text.recitals:
        text = f"Overweging {recital.number}\n{recital.text}"
        chunks.append(_chunk(law_text, source, kind, text, "", "", "", recital.number))
    for index, chunk in enumerate(chunks):
        chunk.metadata["chunk_index"] = index
    return chunks


def _paragraph_pieces(paragraph: LawParagraph) -> list[tuple[str, str]]:
    """(body, point) pairs: the whole lid, or one piece per point when the lid is too long."""
    prefix = f"{paragraph.number}. " if paragraph.number else ""
    lines = [render_segment(s) for s in paragraph.segments if s.text.strip()]
    if not lines:
        return []
    whole = prefix + "\n".join(lines)
    if _word_count(whole) <= MAX_CHUNK_WORDS or not any(s.point for s in paragraph.segments):
        return [(piece, "") for piece in _split_long(whole)]
    intro = [render_segment(s) for s in paragraph.segments if not s.point]
    lead = prefix + (intro[0] if intro and not paragraph.segments[0].point else "")
    pieces: list[tuple[str, str]] = []
    seen_point = False
    for segment in paragraph.segments:
        if segment.point:
            seen_point = True
            body = f"{lead}\n{render_segment(segment)}" if lead.strip() else prefix + render_segment(segment)
            pieces.extend((piece, segment.point) for piece in _split_long(body))
        elif seen_point:  # a closing alinea after the list
            pieces.extend((piece, "") for piece in _split_long(prefix + segment.text))
    return pieces


def _split_long(text: str) -> list[str]:
    """Split text above the word limit on sentence boundaries; shorter text is returned whole."""
    if _word_count(text) <= MAX_CHUNK_WORDS:
        return [text]
    sentences = re.split(r"(?<=[.;:])\s+", text)
    pieces: list[str] = []
    current: list[str] = []
    for sentence in sentences:
        if current and _word_count(" ".join([*current, sentence])) > MAX_CHUNK_WORDS:
            pieces.append(" ".join(current))
            current = []
        current.append(sentence)
    if current:
        pieces.append(" ".join(current))
    return pieces


def _word_count(text: str) -> int:
    return len(text.split())


def _chunk(
    law_text: LawText,
    source: str,
    kind: str,
    text: str,
    article: str,
    paragraph: str,
    point: str,
    recital: str,
) -> Document:
    metadata: dict[str, str | int] = {
        "kind": kind,
        "law": law_text.law,
        "article": article,
        "paragraph": paragraph,
        "point": point,
        "recital": recital,
        "citation": law_citation(law_text.law, article, paragraph, point, recital),
        "document": law_text.title,
        "source": source,
        "heading": f"Artikel {article}" if article else "",
        "page": -1,
        "chunk_index": 0,
    }
    return Document(page_content=text, metadata=metadata)
