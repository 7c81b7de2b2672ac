"""The starter knowledge pack: short Dutch guidance notes shipped in ``knowledge/starter``.

A note is Markdown with a fixed header (see ``knowledge/starter/README.md``)::

    # Datalekken en de 72-uurstermijn

    Artikelen: art. 4 punt 12 AVG, art. 33 AVG, art. 34 AVG
    Datum: 2026-11-29
    Status: concept — door kennisbeheerder te valideren

    ## Melden binnen 72 uur
    ...

The body is chunked along its ``##`` headings by the ordinary document chunker, so every
chunk starts with "title > section"; a last line "Grondslag: ..." lists the note's
articles so both the lexical and the dense index connect the guidance to the law.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from langchain_core.documents import Document

from ingestion.document_chunker import HEADING_SEPARATOR, chunk_blocks
from ingestion.errors import ConfigError
from ingestion.model import ParsedDocument
from ingestion.text_loader import read_markdown

#: The notes shipped with the package.
STARTER_DIR: Path = Path(str(resources.files("knowledge").joinpath("starter")))
NOTE_KIND = "richtlijn"
_HEADER_FIELDS = ("Artikelen", "Datum", "Status")


@dataclass(frozen=True)
class StarterNote:
    """One parsed guidance note."""

    source: str
    title: str
    articles: list[str]
    date: date
    status: str
    body: str


def note_files(folder: Path) -> list[Path]:
    """The note files of a pack folder in name order (README.md is not a note)."""
    return sorted(p for p in folder.glob("*.md") if p.name.lower() != "readme.md")


def parse_note(text: str, source: str) -> StarterNote:
    """Parse a note's title, header lines and body; raise ConfigError when malformed."""
    lines = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    position = _skip_blank(lines, 0)
    if position >= len(lines) or not lines[position].startswith("# "):
        raise _malformed(source, "de eerste regel moet de titel zijn ('# <titel>')")
    title = lines[position][2:].strip()
    if not title:
        raise _malformed(source, "de titel is leeg")
    values: dict[str, str] = {}
    for name in _HEADER_FIELDS:
        position = _skip_blank(lines, position + 1)
        line = lines[position] if position < len(lines) else ""
        label, colon, value = line.partition(":")
        if not colon or label.strip() != name or not value.strip():
            raise _malformed(source, f"regel '{name}: ...' ontbreekt of is leeg")
        values[name] = value.strip()
    articles = [a.strip() for a in values["Artikelen"].split(",") if a.strip()]
    try:
        note_date = date.fromisoformat(values["Datum"])
    except ValueError as exc:
        raise _malformed(source, f"'{values['Datum']}' is geen datum als 2026-11-29") from exc
    body = "\n".join(lines[position + 1 :]).strip()
    if not body:
        raise _malformed(source, "de notitie heeft geen tekst")
    return StarterNote(source, title, articles, note_date, values["Status"], body)


def note_document(note: StarterNote) -> ParsedDocument:
    """Chunk a note along its ``##`` headings into a ParsedDocument of kind "richtlijn"."""
    _, blocks = read_markdown(f"# {note.title}\n\n{note.body}")
    grounds = f"Grondslag: {', '.join(note.articles)}"
    chunks = [
        _with_grounds(chunk, note, grounds)
        for chunk in chunk_blocks(blocks, note.title, note.source, NOTE_KIND)
    ]
    return ParsedDocument(source=note.source, title=note.title, kind=NOTE_KIND, chunks=chunks)


def _with_grounds(chunk: Document, note: StarterNote, grounds: str) -> Document:
    """Add the "Grondslag" line and the note's citation, status and articles to a chunk."""
    section = str(chunk.metadata.get("heading", "")).split(HEADING_SEPARATOR)[1:]
    state = "gevalideerd" if note.status.lower().startswith("gevalideerd") else "concept"
    citation = f"Kennisnotitie ({state}): {note.title}" + (f" — {section[-1]}" if section else "")
    metadata = {
        **chunk.metadata,
        "citation": citation,
        "status": note.status,
        "articles": ", ".join(note.articles),
    }
    return Document(page_content=f"{chunk.page_content}\n{grounds}", metadata=metadata)


def _skip_blank(lines: list[str], position: int) -> int:
    while position < len(lines) and not lines[position].strip():
        position += 1
    return position


def _malformed(source: str, reason: str) -> ConfigError:
    return ConfigError(f"De kennisnotitie {source} is ongeldig: {reason}.")
