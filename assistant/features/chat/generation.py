"""Use case: answer a question in the model's own words, with checked citations.

The generative answerer wraps the extractive :class:`Answerer` and never trusts the
model more than the sources:

1. retrieve; when the refusal policy refuses, that refusal is the answer (no model call);
2. the best passages (the ones the extractive answer would quote) go to the model,
   numbered 1..n between markers (:mod:`assistant.llm.answer_prompt`), with the shape the
   extractive answer has (short answer, steps when asked, legal basis) and, when an answer card
   matched, the card's short answer and steps to build on (the answer then names the card);
3. tokens stream out through :class:`StreamFilter`: markup is removed and only
   citations of passages 1..n survive, renumbered in order of use;
4. the complete answer is checked again. Citations of passages that were not given
   are dropped with a notice; an answer without any valid citation, a model error or a
   timeout gives the extractive answer instead, with a notice saying so.

The stream is a sequence of typed events. A UI appends :class:`TextDelta` text as it
comes, shows :class:`Notice` and :class:`Sources` in their own places, and on
:class:`Final` replaces the streamed text with ``final.answer.text`` (which differs
after a fallback, and carries the sources list).
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from assistant.features.chat.answering import Answer, Answerer, Citation, correction_line
from assistant.features.chat.intent import Intent, intents
from assistant.llm.answer_prompt import NO_ANSWER_SENTENCE, CardGuidance, Guidance, build_messages
from assistant.llm.citation_check import StreamFilter, check_answer
from knowledge.retrieval import ScoredChunk

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

logger = logging.getLogger(__name__)

NOTICE_REMOVED = "Let op: verwijzingen naar niet-bestaande bronnen zijn verwijderd."
NOTICE_UNCHECKED = (
    "Het taalmodel gaf geen controleerbaar antwoord met bronnen; hieronder het antwoord uit de bronnen zelf."
)
NOTICE_UNREACHABLE = (
    "Het taalmodel is niet bereikbaar of reageerde niet op tijd; hieronder het antwoord uit de bronnen zelf."
)
NOTICE_NOT_ANSWERED = (
    "Volgens het taalmodel beantwoorden de gevonden passages deze vraag niet; hieronder de passages "
    "die er het dichtst bij komen."
)
NOTICE_TRUNCATED = "Let op: het antwoord van het taalmodel was te lang en is afgebroken."
QUOTE_CHARS = 300


@dataclass(frozen=True)
class TextDelta:
    """The next piece of (already filtered) answer text."""

    text: str


@dataclass(frozen=True)
class Sources:
    """The passages the answer cites, numbered [1].. in this order."""

    citations: list[Citation]


@dataclass(frozen=True)
class Notice:
    """A Dutch remark for the user about how the answer came about."""

    text: str


@dataclass(frozen=True)
class Final:
    """The complete answer; its text replaces everything streamed before."""

    answer: Answer


AnswerEvent = TextDelta | Sources | Notice | Final


class GenerativeAnswerer:
    """Answers written by a chat model from retrieved passages, falling back to extractive answers."""

    def __init__(self, extractive: Answerer, model: BaseChatModel, max_chars: int = 6000) -> None:
        self.extractive = extractive
        self.model = model
        self.max_chars = max_chars

    def answer(self, question: str, scopes: list[str]) -> Answer:
        """The final answer, with any notices above its text."""
        notices: list[str] = []
        final: Answer | None = None
        for event in self.stream(question, scopes):
            if isinstance(event, Notice):
                notices.append(event.text)
            elif isinstance(event, Final):
                final = event.answer
        assert final is not None, "stream() always ends with Final"
        if not notices:
            return final
        return replace(final, text="\n".join(notices) + "\n\n" + final.text)

    def stream(self, question: str, scopes: list[str]) -> Iterator[AnswerEvent]:
        """Answer events for ``question`` in the given scopes, ending with :class:`Final`."""
        corrected = self.extractive.correct(question, scopes)
        if corrected.corrections:
            yield Notice(correction_line(corrected))
            question = corrected.text
        result = self.extractive.retriever.retrieve(question, scopes, k=self.extractive.top_k)
        fallback = self.extractive.answer_from(result)
        if fallback.refused or not fallback.sources:
            yield Final(fallback)
            return
        yield from self._generate(question, fallback)

    def _generate(self, question: str, fallback: Answer) -> Iterator[AnswerEvent]:
        passages = fallback.sources
        stream_filter = StreamFilter(len(passages))
        tokens = self._tokens(build_messages(question, passages, guidance(question, fallback)))
        truncated = False
        try:
            while True:
                try:
                    token = next(tokens, None)
                except Exception as exc:  # noqa: BLE001 - every client error means: no usable answer
                    logger.warning("Taalmodel gaf een fout: %s: %s", type(exc).__name__, exc)
                    yield from _fall_back(NOTICE_UNREACHABLE, fallback)
                    return
                if token is None:
                    break
                delta = stream_filter.feed(token)
                if delta:
                    yield TextDelta(delta)
                if len(stream_filter.raw) > self.max_chars:
                    truncated = True
                    break
        finally:
            tokens.close()
        tail = stream_filter.flush()
        if tail:
            yield TextDelta(tail)
        yield from self._checked(question, stream_filter.raw, fallback, truncated)

    def _tokens(self, messages: list[BaseMessage]) -> Generator[str, None, None]:
        for chunk in self.model.stream(messages):
            text = str(chunk.text)
            if text:
                yield text

    def _checked(self, question: str, raw: str, fallback: Answer, truncated: bool) -> Iterator[AnswerEvent]:
        passages = fallback.sources
        text, check = check_answer(raw, len(passages))
        if not check.order:
            said_no = _normalized(NO_ANSWER_SENTENCE) in _normalized(text)
            yield from _fall_back(NOTICE_NOT_ANSWERED if said_no else NOTICE_UNCHECKED, fallback)
            return
        if check.removed:
            yield Notice(NOTICE_REMOVED)
        if truncated:
            yield Notice(NOTICE_TRUNCATED)
        quotes = {c.chunk_id: c for c in fallback.citations}
        citations = [_citation(passages[n - 1], quotes) for n in check.order]
        yield Sources(citations)
        body = f"{_with_card_line(text, fallback)}\n\n{format_sources(citations)}"
        yield Final(
            Answer(question, body, refused=False, citations=citations, sources=passages, card=fallback.card)
        )


def guidance(question: str, fallback: Answer) -> Guidance:
    """What the model is told besides the passages: steps or a whole list asked for, the matched card."""
    wanted = intents(question)
    card = fallback.card
    return Guidance(
        steps=Intent.STEPS in wanted,
        whole_list=Intent.LIST in wanted,
        card=CardGuidance(card.question, card.short_answer, card.status_label, card.steps)
        if card is not None
        else None,
    )


def _with_card_line(text: str, fallback: Answer) -> str:
    """The model's text with the answer card it built on named under its first paragraph."""
    card = fallback.card
    if card is None:
        return text
    first, sep, rest = text.partition("\n\n")
    return f"{first}\n{card.source_line}{sep}{rest}"


def format_sources(citations: list[Citation]) -> str:
    """The numbered sources list under an answer."""
    lines = ["Bronnen:"]
    for number, citation in enumerate(citations, start=1):
        document = f" — {citation.document}" if citation.document else ""
        lines.append(f"[{number}] {citation.citation}{document}")
    return "\n".join(lines)


def _fall_back(notice: str, fallback: Answer) -> Iterator[AnswerEvent]:
    yield Notice(notice)
    yield Sources(fallback.citations)
    yield Final(fallback)


def _citation(chunk: ScoredChunk, quotes: dict[str, Citation]) -> Citation:
    """A cited passage: labelled as the model saw it, quoting its best sentence (else its start).

    The extractive quote may narrow its label to one point ("sub c"); the model cited the
    whole passage, so the label stays the passage's own.
    """
    meta = chunk.metadata
    if chunk.chunk_id in quotes:
        quoted = quotes[chunk.chunk_id]
        label = str(meta.get("citation") or quoted.citation)
        return replace(quoted, citation=label, point=str(meta.get("point", "")))
    return Citation(
        citation=str(meta.get("citation") or meta.get("document") or ""),
        law=str(meta.get("law", "")),
        article=str(meta.get("article", "")),
        paragraph=str(meta.get("paragraph", "")),
        point=str(meta.get("point", "")),
        document=str(meta.get("document", "")),
        quote=_opening(chunk),
        chunk_id=chunk.chunk_id,
        page=int(meta.get("page", -1)),
    )


def _opening(chunk: ScoredChunk) -> str:
    """The first QUOTE_CHARS characters of the passage body (without its heading line)."""
    lines = chunk.text.strip().split("\n")
    meta = chunk.metadata
    if len(lines) > 1 and (meta.get("article") or meta.get("recital") or meta.get("heading")):
        lines = lines[1:]
    text = " ".join(" ".join(lines).split())
    if len(text) <= QUOTE_CHARS:
        return text
    return text[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"


def _normalized(text: str) -> str:
    return " ".join(text.lower().replace(".", " ").split())
