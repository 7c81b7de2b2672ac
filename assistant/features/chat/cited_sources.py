"""Cited passages as the sources panel shows and the conversation store keeps them.

Each source carries the quote and a little of the passage around it (``before``, the
``marked`` part as found in the passage, ``after``), so a reopened conversation shows the
same panel without the knowledge base: documents may have changed or been removed since.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from assistant.features.chat.answering import Answer, Citation
from knowledge.retrieval import ScoredChunk

CONTEXT_CHARS = 220


@dataclass(frozen=True)
class CitedSource:
    """One cited passage: label, document, page, the quote and its surrounding words."""

    citation: str
    document: str
    page: int
    quote: str
    before: str = ""
    marked: str = ""
    after: str = ""
    doc_id: str = ""
    chunk_id: str = ""  # the cited passage (opened in its context); "" in answers stored before

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CitedSource:
        """The source stored by :meth:`to_json` (unknown keys are ignored)."""
        return cls(
            citation=str(data.get("citation", "")),
            document=str(data.get("document", "")),
            page=int(data.get("page", -1)),
            quote=str(data.get("quote", "")),
            before=str(data.get("before", "")),
            marked=str(data.get("marked", "")),
            after=str(data.get("after", "")),
            doc_id=str(data.get("doc_id", "")),
            chunk_id=str(data.get("chunk_id", "")),
        )


def cited_sources(answer: Answer) -> list[CitedSource]:
    """The answer's citations, each with the words around its quote in the passage."""
    chunks = {chunk.chunk_id: chunk for chunk in answer.sources}
    return [source_of(c, chunks.get(c.chunk_id)) for c in answer.citations]


def source_of(citation: Citation, chunk: ScoredChunk | None = None) -> CitedSource:
    """One citation as a source, with context from its passage when the passage is known."""
    before, marked, after = quote_context(passage_body(chunk), citation.quote) if chunk else ("", "", "")
    doc_id = citation.chunk_id.rsplit(":", 2)[0] if citation.chunk_id.count(":") >= 2 else ""
    return CitedSource(
        citation.citation,
        citation.document,
        citation.page,
        citation.quote,
        before,
        marked,
        after,
        doc_id,
        citation.chunk_id,
    )


def passage_body(chunk: ScoredChunk) -> str:
    """The passage text without its heading line, whitespace collapsed."""
    lines = chunk.text.strip().split("\n")
    meta = chunk.metadata
    if len(lines) > 1 and (meta.get("article") or meta.get("recital") or meta.get("heading")):
        lines = lines[1:]
    return " ".join(" ".join(lines).split())


def quote_context(passage: str, quote: str, chars: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """The quote as found in the passage with up to ``chars`` characters before and after it.

    Returns ``(before, marked, after)``, all "" when the quote is not in the passage. A
    quoted list point ("intro … f) text") is found by its point text. Cut-off context
    starts or ends at a word boundary and is marked with "…".
    """
    quote = " ".join(quote.split())
    start = passage.find(quote)
    if start < 0 and " … " in quote:
        quote = quote.rsplit(" … ", 1)[1]
        start = passage.find(quote)
    if start < 0 or not quote:
        return "", "", ""
    before = passage[:start]
    after = passage[start + len(quote) :]
    if len(before) > chars:
        before = "… " + before[-chars:].split(" ", 1)[-1]
    if len(after) > chars:
        after = after[:chars].rsplit(" ", 1)[0] + " …"
    return before, quote, after
