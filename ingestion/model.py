"""Data shapes shared by the loaders and chunkers.

Loaders produce one of two intermediate shapes:

* :class:`LawText` for legislation (EUR-Lex HTML, Formex XML): articles with their
  paragraphs (leden) and points, plus recitals (overwegingen);
* :class:`TextBlock` lists for every other document (PDF, DOCX, HTML, Markdown,
  text): running text with the heading path and page it was found under.

Chunkers turn either shape into LangChain ``Document``s whose metadata follows
:data:`CHUNK_METADATA_KEYS`, so the knowledge store never needs to know which loader
made a chunk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from langchain_core.documents import Document

#: Metadata every chunk carries (Chroma only stores scalars: "" and -1 mean "not applicable").
CHUNK_METADATA_KEYS: tuple[str, ...] = (
    "kind",  # "wet" for law text, otherwise the document kind ("document", "richtlijn", ...)
    "law",  # short name of the law ("AVG"), "" for other documents
    "article",  # article number as written ("6", "4"), ""
    "paragraph",  # lid number ("1"), ""
    "point",  # point label ("f", "1"), ""
    "recital",  # overweging number ("39"), ""
    "citation",  # ready citation label: "art. 6 lid 1 sub f AVG", "overweging 39 AVG", "Beleid p. 3"
    "document",  # document title
    "source",  # file name the chunk came from
    "heading",  # heading path joined with " > ", ""
    "page",  # 1-based page number, -1 when unknown
    "chunk_index",  # position of the chunk in its document
)


@dataclass(frozen=True)
class Segment:
    """A run of text inside a paragraph; ``point`` is set when it belongs to a list point."""

    text: str
    point: str = ""


@dataclass
class LawParagraph:
    """One lid of an article; ``number`` is "" for an article without numbered leden."""

    number: str
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Article:
    """One article: number as written ("6"), its title and its leden."""

    number: str
    title: str
    paragraphs: list[LawParagraph] = field(default_factory=list)
    chapter: str = ""


@dataclass(frozen=True)
class Recital:
    """One overweging of the preamble."""

    number: str
    text: str


@dataclass
class LawText:
    """A piece of legislation as parsed from EUR-Lex HTML or Formex XML."""

    law: str
    title: str
    articles: list[Article] = field(default_factory=list)
    recitals: list[Recital] = field(default_factory=list)


@dataclass(frozen=True)
class TextBlock:
    """A paragraph of an ordinary document with where it was found."""

    text: str
    heading_path: tuple[str, ...] = ()
    page: int = -1
    is_heading: bool = False


@dataclass
class ParsedDocument:
    """What ingestion hands to the knowledge store for one file."""

    source: str
    title: str
    kind: str
    chunks: list[Document]
    law: str = ""
