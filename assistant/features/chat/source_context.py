"""Open a cited source: the whole passage in its context, read-only, within the user's rights.

A source is opened from an answer in the user's own conversation (message id and the
source's number), never by a passage id the browser makes up. The context is taken from the
document's stored version (:class:`knowledge.versions.VersionStore`), so an answer about a
replaced document still opens the text it quoted:

* a law citation: the whole article, the cited lid (or point) marked;
* a passage under a heading (a guidance note, a client document's section): that section;
* a passage with a page but no heading: the page;
* otherwise the passages around it.

The document's scope must be one the user may search now (a withdrawn client's source is
refused in Dutch). Lines repeated by the chunker (a long lid split per point repeats its
opening words) are shown once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.features.accounts.access import AccessDenied, allowed_scopes
from assistant.features.accounts.users import User
from assistant.features.chat.cited_sources import CitedSource
from assistant.features.chat.conversation_store import ConversationStore
from ingestion.errors import AvgError
from knowledge.knowledge_base import KnowledgeBase
from knowledge.versions import VERSION_CURRENT, StoredChunk, VersionRecord

MAX_PASSAGES = 40
NEIGHBOURS = 2
NOT_YOURS = "Deze bron hoort niet bij een van uw gesprekken."
GONE = "Deze bron is niet meer in de kennisbank te vinden (het document is gewist)."
NO_ACCESS = "U hebt geen toegang (meer) tot de kennisbank waarin deze bron staat."


@dataclass(frozen=True)
class ContextPassage:
    """One passage of the context; ``cited`` for the passage the answer quoted."""

    text: str
    cited: bool = False


@dataclass(frozen=True)
class SourceContext:
    """A cited passage with its surroundings, ready to show read-only."""

    title: str
    citation: str
    document: str
    scope: str
    version: int
    current: bool
    quote: str
    passages: list[ContextPassage] = field(default_factory=list)
    page: int = -1  # the cited page of a paged document (the original file is not kept)


class SourceViewer:
    """Opens sources of the user's own answers in their context."""

    def __init__(self, kb: KnowledgeBase, store: ConversationStore) -> None:
        self.kb = kb
        self.store = store

    def open(self, user: User, message_id: int, number: int) -> SourceContext:
        """Source ``number`` (1-based) of answer ``message_id``; Dutch errors when not allowed or gone."""
        found = self.store.message(int(message_id))
        if found is None or found[0].user != user.username:
            raise AvgError(NOT_YOURS)
        conversation, message = found
        allowed = set(allowed_scopes(user))
        if conversation.scope not in allowed or message.scope not in allowed:
            raise AccessDenied(NO_ACCESS)
        if message.role != "assistant" or not 1 <= int(number) <= len(message.citations):
            raise AvgError("Deze bron bestaat niet bij dit antwoord.")
        source = CitedSource.from_json(message.citations[int(number) - 1])
        version, chunk = self._locate(source)
        if version.scope not in allowed:
            raise AccessDenied(NO_ACCESS)
        chunks = self.kb.versions.chunks(version.doc_id, version.version)
        title, chosen = _context(chunk, chunks)
        return SourceContext(
            title=title,
            citation=source.citation,
            document=version.title,
            scope=version.scope,
            version=version.version,
            current=version.status == VERSION_CURRENT,
            quote=source.marked or source.quote,
            passages=_passages(chunk, chosen),
            page=int(chunk.metadata.get("page") or -1),
        )

    def _locate(self, source: CitedSource) -> tuple[VersionRecord, StoredChunk]:
        """The stored version and chunk of a source (older answers: found by their quote)."""
        if source.chunk_id:
            found = self.kb.versions.find_chunk(source.chunk_id)
            if found is not None:
                return found
        if source.doc_id:
            quote = " ".join((source.marked or source.quote).split())
            for version in self.kb.versions.list(source.doc_id):
                for chunk in self.kb.versions.chunks(source.doc_id, version.version):
                    if quote and quote in " ".join(chunk.text.split()):
                        return version, chunk
        raise AvgError(GONE)


def _context(chunk: StoredChunk, chunks: list[StoredChunk]) -> tuple[str, list[StoredChunk]]:
    """The title of the context and its chunks in document order."""
    meta = chunk.metadata
    article, recital = str(meta.get("article") or ""), str(meta.get("recital") or "")
    heading, page = str(meta.get("heading") or ""), int(meta.get("page") or -1)
    if article and not recital:
        same = [
            c
            for c in chunks
            if str(c.metadata.get("article") or "") == article and not c.metadata.get("recital")
        ]
        first_line = chunk.text.strip().split("\n", 1)[0]
        return first_line or f"Artikel {article}", same
    if heading:
        return heading, [c for c in chunks if str(c.metadata.get("heading") or "") == heading]
    if page > 0:
        return f"Pagina {page}", [c for c in chunks if int(c.metadata.get("page") or -1) == page]
    return "Passages rond de bron", [c for c in chunks if abs(c.position - chunk.position) <= NEIGHBOURS]


def _passages(cited: StoredChunk, chunks: list[StoredChunk]) -> list[ContextPassage]:
    """The chunks' text without their heading lines, each line once, the cited chunk marked."""
    if cited.chunk_id not in {c.chunk_id for c in chunks}:
        chunks = [*chunks, cited]
    if len(chunks) > MAX_PASSAGES:
        index = next(i for i, c in enumerate(chunks) if c.chunk_id == cited.chunk_id)
        start = max(0, min(index - MAX_PASSAGES // 2, len(chunks) - MAX_PASSAGES))
        chunks = chunks[start : start + MAX_PASSAGES]
    seen: set[str] = set()
    passages: list[ContextPassage] = []
    for chunk in chunks:
        lines = [" ".join(line.split()) for line in _body(chunk).split("\n")]
        fresh = [line for line in lines if line and line not in seen]
        seen.update(fresh)
        if fresh:
            passages.append(ContextPassage("\n".join(fresh), chunk.chunk_id == cited.chunk_id))
    return passages


def _body(chunk: StoredChunk) -> str:
    """The chunk's text without the heading line the chunker put on top."""
    meta = chunk.metadata
    lines = chunk.text.strip().split("\n")
    if len(lines) > 1 and (meta.get("article") or meta.get("recital") or meta.get("heading")):
        lines = lines[1:]
    return "\n".join(lines)
