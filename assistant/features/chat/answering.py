"""Use case: answer a question from the knowledge base without an LLM (extractive).

An answer opens with a short, direct answer from validated knowledge where there is one (an
answer card whose question is the user's question), then the steps when the card has them, then
the legal basis: quotes of the provisions that carry the rule, each with its exact citation (down
to the point), chosen by what the question asks (:mod:`assistant.features.chat.intent`): the
sentence with the term, the permission or duty, or the whole list. Without a card the answer
names the article of its first quote and quotes the best passages. When retrieval finds nothing
that supports an answer, it refuses.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.features.cards.matcher import CardMatcher
from assistant.features.cards.model import VALIDATED, AnswerCard, CardMatch, Provision
from assistant.features.chat.boundaries import AdjacentTopics, DomainGate
from assistant.features.chat.followup import content_words
from assistant.features.chat.intent import Intent, answer_strength, carries, intents
from assistant.features.chat.question_parts import split_question
from assistant.features.chat.refusal import RefusalPolicy
from assistant.features.chat.sentences import Sentence, split_sentences
from ingestion.citations import law_citation
from knowledge.retrieval import HybridRetriever, RetrievalResult, ScoredChunk
from knowledge.scopes import CLIENT_PREFIX
from knowledge.spelling import CorrectedQuestion, SpellingCorrector, known_words
from knowledge.text_analysis import analyze, tokenize

REFUSAL_TEXT = (
    "Deze vraag kan ik niet beantwoorden: de kennisbank bevat geen passages die erover gaan. "
    "Stel een vraag over de AVG, over privacybeleid of over de documenten van uw organisatie."
)
PART_REFUSAL = "Op dit deel van de vraag vond ik in de kennisbank geen antwoord."
CLOSING = "Dit antwoord bestaat uit letterlijke passages; lees de bron na voor de volledige context."
MAX_QUOTES = 3
MIN_OWN_WORDS = 4  # a later part with fewer content words is searched with the first part
MAX_LIST_WORDS = 450  # longer lists (rare) fall back to the best point
_LIST_POINT = re.compile(r"\n[a-z]\)\s.*\n[a-z]\)\s")
_NAMED_ARTICLE = re.compile(r"\bart\.\s*(\d{1,2})\b[^()]*?\bAVG\b")
_CARD_QUESTION = re.compile(r"Antwoordkaart „([^”]+)”")  # in AnswerCard.source_line
_DEFINED_TERM = re.compile(r"\d+\)\s*„([^”]+)”\s*:")  # a definition point: 1) „persoonsgegevens”: …


@dataclass(frozen=True)
class Citation:
    """One quoted passage with its exact source."""

    citation: str
    law: str
    article: str
    paragraph: str
    point: str
    document: str
    quote: str
    chunk_id: str = ""
    page: int = -1


@dataclass
class Answer:
    """An answer (or refusal) with its citations."""

    question: str
    text: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    sources: list[ScoredChunk] = field(default_factory=list)
    card: AnswerCard | None = None  # the answer card whose short answer leads, if one matched

    def to_json(self) -> dict[str, Any]:
        """The public JSON shape of ``ask --json``."""
        keys = ("citation", "law", "article", "paragraph", "point", "document", "quote")
        return {
            "answer": self.text,
            "refused": self.refused,
            "citations": [{k: asdict(c)[k] for k in keys} for c in self.citations],
        }


@dataclass
class _Body:
    """The answer to one ask: lead lines, the quotes' heading, the quotes and the passages used."""

    lines: list[str]
    heading: str
    citations: list[Citation]
    passages: list[ScoredChunk]
    card: AnswerCard | None = None


def correction_line(corrected: CorrectedQuestion) -> str:
    """The Dutch line that says which words were searched instead of the typed ones."""
    said = ", ".join(f"*{c.corrected}* (in plaats van '{c.original}')" for c in corrected.corrections)
    return f"Gezocht op: {said}."


def _render(question: str, parts: list[tuple[str, _Body | None]]) -> Answer:
    """One answer text of one or more answered asks, quotes numbered across the whole answer."""
    answered = [body for _, body in parts if body is not None]
    if not answered:
        return Answer(question, REFUSAL_TEXT, refused=True)
    numbered: dict[tuple[str, str], int] = {}
    citations: list[Citation] = []
    lines: list[str] = []
    several = len(parts) > 1
    if several:
        lines += [f"Uw vraag bestaat uit {len(parts)} delen; elk deel wordt apart beantwoord.", ""]
    for index, (ask, body) in enumerate(parts, start=1):
        if several:
            lines += [f"Deel {index}: {ask}"]
        if body is None:
            lines += [PART_REFUSAL, ""]
            continue
        lines += [*body.lines, "", body.heading]
        for citation in body.citations:
            key = (citation.chunk_id, citation.quote)
            if key not in numbered:
                citations.append(citation)
                numbered[key] = len(citations)
            lines.append(f"{numbered[key]}. „{citation.quote}” ({citation.citation})")
        lines.append("")
    lines += ["Bronnen:"]
    lines += [f"[{n}] {c.citation} — {c.document}" for n, c in enumerate(citations, start=1)]
    lines += ["", CLOSING]
    sources = _unique([p for body in answered for p in body.passages])
    card = answered[0].card  # the card that leads (of the first answered part)
    return Answer(question, "\n".join(lines), refused=False, citations=citations, sources=sources, card=card)


def _said(body: _Body | None) -> str:
    """The text of an answered part that later parts should not repeat (its lines and quotes)."""
    return "" if body is None else "\n".join([*body.lines, *(c.quote for c in body.citations)])


def _unique(chunks: list[ScoredChunk]) -> list[ScoredChunk]:
    """The chunks without repeats, in order."""
    seen: set[str] = set()
    kept = []
    for chunk in chunks:
        if chunk.chunk_id not in seen:
            seen.add(chunk.chunk_id)
            kept.append(chunk)
    return kept


class Answerer:
    """Extractive answers with citations."""

    def __init__(
        self,
        retriever: HybridRetriever,
        top_k: int = 5,
        policy: RefusalPolicy | None = None,
        cards: CardMatcher | None = None,
        domain: DomainGate | None = None,
        adjacent: AdjacentTopics | None = None,
        spelling: SpellingCorrector | None = None,
    ) -> None:
        self.retriever = retriever
        self.top_k = top_k
        self.policy = policy or RefusalPolicy()
        self.cards = cards
        self.domain = domain
        self.adjacent = adjacent
        self.spelling = spelling
        self._words: frozenset[str] = frozenset()
        self._words_of: tuple[str, ...] | None = None

    def answer(
        self, question: str, scopes: list[str], context: str = "", previous_answer: str = ""
    ) -> Answer:
        """Answer ``question`` from the given scopes.

        Typos are corrected first (shown above the answer); a question with several asks is
        answered part by part. ``context`` is what a follow-up leans on (the earlier question): it
        is searched along, but the card and the quotes follow the question's own words, and a card
        that already answered ``previous_answer`` is not given again.
        """
        corrected = self.correct(question, scopes)
        parts = split_question(corrected.text)
        if len(parts) == 1:
            result = self._retrieve(corrected.text, context, scopes)
            body = self._body(result, corrected.text, previous_answer)
            answer = _render(question, [(corrected.text, body)])
        else:
            answer = _render(question, self._answer_parts(parts, context, scopes))
        if corrected.corrections:
            answer.text = correction_line(corrected) + "\n\n" + answer.text
        return answer

    def correct(self, question: str, scopes: list[str]) -> CorrectedQuestion:
        """``question`` with typos in unknown words corrected (unchanged without a corrector)."""
        if self.spelling is None:
            return CorrectedQuestion(question)
        return self.spelling.correct(question, scopes, self._known_words())

    def answer_from(self, result: RetrievalResult) -> Answer:
        """Build the extractive answer for a retrieval result (one ask, no correction)."""
        return _render(result.question, [(result.question, self._body(result, result.question))])

    def _retrieve(self, ask: str, context: str, scopes: list[str]) -> RetrievalResult:
        query = f"{context} {ask}" if context else ask
        return self.retriever.retrieve(query, scopes, k=self.top_k)

    def _answer_parts(
        self, parts: list[str], context: str, scopes: list[str]
    ) -> list[tuple[str, _Body | None]]:
        """Each ask answered on its own; a short later ask is searched with the first one as context."""
        answered: list[tuple[str, _Body | None]] = []
        said = ""
        for index, part in enumerate(parts):
            part_context = context
            if not index:  # the later asks tell what the first is about ("… en binnen welke termijn?")
                result = self.retriever.retrieve(" ".join([context, *parts]).strip(), scopes, k=self.top_k)
                answered.append((part, self._body(result, part, said)))
                said += _said(answered[-1][1])
                continue
            if len(content_words(part)) < MIN_OWN_WORDS:
                part_context = f"{context} {parts[0]}".strip()
            body = self._body(self._retrieve(part, part_context, scopes), part, said)
            answered.append((part, body))
            said += _said(body)
        return answered

    def _card(self, question: str, avoid: str) -> CardMatch | None:
        """The card for ``question``, unless it already answered (its question is in ``avoid``)."""
        match = self.cards.match(question) if self.cards is not None else None
        if match is not None and avoid and f"„{match.card.question}”" in avoid:
            return None
        return match

    def _known_words(self) -> frozenset[str]:
        """Words of the glossary and of the answer cards' questions: known even when no passage has them."""
        phrasings = tuple(self.cards.phrasings()) if self.cards is not None else ()
        if self._words_of != phrasings:
            glossary = [j for term in self.retriever.glossary.terms for j in term.jargon]
            self._words = known_words(w for text in [*glossary, *phrasings] for w in tokenize(text))
            self._words_of = phrasings
        return self._words

    def _body(self, result: RetrievalResult, ask: str, avoid: str = "") -> _Body | None:
        """The answer to one ask, without sources list and closing line; None when refused.

        ``avoid`` is what was already answered (the previous answer of a follow-up, the earlier
        parts of a question): its card is not given again and its quotes give way to others.
        """
        match = self._card(ask, avoid)
        if match is None and result.question != ask:  # a follow-up: its own words with the earlier topic
            earlier = " ".join(_CARD_QUESTION.findall(avoid)) + " " + result.question.removesuffix(ask)
            topic = self.retriever.glossary.jargon_in(earlier)
            match = self._card(f"{ask.rstrip(' ?')} over het {topic[0]}?", avoid) if topic else None
            match = match or self._card(result.question, avoid)
        validated = match is not None and match.card.status == VALIDATED  # a kennisbeheerder answered it
        if (
            self.domain is not None
            and not validated
            and not self.domain.admits(result.question)
            and not _own_or_defined(result)
        ):
            return None
        if match is None and self.policy.should_refuse(result):
            return None
        wanted = intents(ask)
        passages = _diverse_top(result, self.top_k, wanted)
        weights = self._term_weights(ask, result)
        citations = self._card_quotes(match, weights, wanted) if match else []
        if not citations:
            quoted = [self._best_quote(chunk, weights, wanted) for chunk in passages]
            fresh = [c for c in quoted if not avoid or c.quote not in avoid]
            citations = (fresh if len(fresh) >= min(2, len(quoted)) else quoted)[:MAX_QUOTES]
        elif passages and passages[0].leading:  # the client's own document still speaks first
            citations.insert(0, self._best_quote(passages[0], weights, wanted))
        lines = _card_lines(match) if match else [_lead_sentence(result, passages, citations)]
        covered = match is not None and "niet zelf" in match.card.short_answer  # the card already says so
        for note in self.adjacent.notes(ask) if self.adjacent is not None and not covered else []:
            lines += ["", note]
        heading = "Wettelijke basis en bronnen:" if match else "Uit de bronnen:"
        return _Body(lines, heading, citations, passages, match.card if match else None)

    def _lid_sentences(self, chunk: ScoredChunk) -> list[Sentence]:
        """All sentences of the lid a per-point chunk belongs to (a long lid is stored point by point)."""
        meta = chunk.metadata
        if not (meta.get("law") and meta.get("article") and meta.get("paragraph")):
            return []
        pieces = self.retriever.provision_chunks(meta["law"], meta["article"], meta["paragraph"])
        sentences: list[Sentence] = []
        for piece in pieces:
            parts = split_sentences(piece.text, True)
            sentences += [s for s in parts if s.point] if sentences else parts
        return sentences

    def _term_weights(self, question: str, result: RetrievalResult) -> dict[str, float]:
        """IDF-like weights of the question's stems (glossary wording weighs half)."""
        weights: dict[str, float] = {}
        for stem in analyze(question):
            weights[stem] = 1.0
        for expansion in result.expansions:
            for stem in analyze(expansion):
                weights.setdefault(stem, 0.5)
        total = max(1, len(result.chunks))
        counts: dict[str, int] = {}
        for chunk in result.chunks:
            for stem in set(analyze(chunk.text)):
                counts[stem] = counts.get(stem, 0) + 1
        return {s: w * math.log(1 + total / (1 + counts.get(s, 0))) for s, w in weights.items()}

    def _card_quotes(
        self, match: CardMatch, weights: dict[str, float], wanted: set[Intent]
    ) -> list[Citation]:
        """Quotes of the provisions the card names, in the card's order (at most three)."""
        quotes: list[Citation] = []
        for provision in match.card.provisions:
            if len(quotes) >= MAX_QUOTES:
                break
            quote = self._provision_quote(provision, weights, wanted)
            if quote is not None and all(
                q.chunk_id != quote.chunk_id or q.quote != quote.quote for q in quotes
            ):
                quotes.append(quote)
        return quotes

    def _provision_quote(
        self, provision: Provision, weights: dict[str, float], wanted: set[Intent]
    ) -> Citation | None:
        """The quote of one provision of the AVG: its point, or the sentence (or list) the question needs."""
        chunks = self.retriever.provision_chunks("AVG", provision.article, provision.paragraph)
        point = provision.point
        if not chunks and provision.paragraph and not provision.point:  # "4(11)": art. 4 has points, no leden
            chunks = [
                c
                for c in self.retriever.provision_chunks("AVG", provision.article)
                if c.metadata.get("point") == provision.paragraph
            ]
            point = provision.paragraph
        if not chunks:
            return None
        if point:
            chunk = next((c for c in chunks if c.metadata.get("point") == point), chunks[0])
            return self._best_quote(chunk, weights, wanted, point=point)
        return self._best_quote(chunks[0], weights, wanted)

    def _best_quote(
        self,
        chunk: ScoredChunk,
        weights: dict[str, float],
        wanted: set[Intent] | None = None,
        point: str = "",
    ) -> Citation:
        meta = chunk.metadata
        wanted = wanted or set()
        has_heading = bool(meta.get("article") or meta.get("recital") or meta.get("heading"))
        sentences = split_sentences(chunk.text, has_heading) or [Sentence(chunk.text.strip(), "", 0)]
        if meta.get("point"):  # a per-point piece of a long lid: its opening words are context, not the quote
            sentences = [s for s in sentences if s.point] or sentences
        pointed = [s for s in sentences if point and s.point == point]
        listed = ""
        if Intent.LIST in wanted and not pointed:
            listed = _whole_list(self._lid_sentences(chunk) if meta.get("point") else sentences)
        best = pointed[0] if pointed else max(sentences, key=lambda s: _sentence_score(s, weights, wanted))
        quote = listed or best.quote
        point = "" if listed else (meta.get("point", "") or best.point)
        law = meta.get("law", "")
        if law and meta.get("article"):
            label = law_citation(law, meta["article"], meta.get("paragraph", ""), point)
        else:
            label = meta.get("citation", "") or meta.get("document", "")
        return Citation(
            citation=label,
            law=law,
            article=meta.get("article", ""),
            paragraph=meta.get("paragraph", ""),
            point=point,
            document=meta.get("document", ""),
            quote=quote,
            chunk_id=chunk.chunk_id,
            page=int(meta.get("page", -1)),
        )


def _card_lines(match: CardMatch) -> list[str]:
    """The card's short answer, where it comes from and its steps."""
    card = match.card
    lines = [card.short_answer, card.source_line]
    if card.steps:
        lines += ["", "Wat u doet:"]
        lines += [f"{number}. {step}" for number, step in enumerate(card.steps, start=1)]
    return lines


def _lead_sentence(result: RetrievalResult, passages: list[ScoredChunk], citations: list[Citation]) -> str:
    """One line naming the client's own document (when it leads) and the article of the first quote."""
    own = ""
    if passages and passages[0].leading:
        own = f"In de eigen documenten: {passages[0].metadata.get('document', '')}. "
    titles = {(a.law, a.article): a.title.partition(" — ")[2] for a in result.articles}
    named = _note_article(citations[0]) if citations and not citations[0].article else None
    first = named or next(((c.law, c.article) for c in citations if c.article and c.law), None)
    if first is None and result.articles:
        first = (result.articles[0].law, result.articles[0].article)
    if first is None:
        return own or "Uit de kennisbank:"
    law, article = first
    title = titles.get(first, "")
    frame = "Het wettelijk kader staat" if own else "Het antwoord staat"
    return f"{own}{frame} vooral in art. {article} {law}" + (f" ({title})." if title else ".")


def _note_article(citation: Citation) -> tuple[str, str] | None:
    """The first AVG article a quoted knowledge note names ("… (art. 33 lid 1 AVG)"), if any."""
    match = _NAMED_ARTICLE.search(citation.quote)
    return ("AVG", match.group(1)) if match else None


def _whole_list(sentences: list[Sentence]) -> str:
    """A lid's list quoted whole: its opening words and every point, when it has points and stays short."""
    points = [s for s in sentences if s.point]
    if len(points) < 2:
        return ""
    lead = points[0].lead
    text = " ".join([lead, *(s.text for s in points)]).strip()
    return text if len(text.split()) <= MAX_LIST_WORDS else ""


def _sentence_score(
    sentence: Sentence, weights: dict[str, float], wanted: set[Intent] | None = None
) -> float:
    """Weighted overlap with the question; a stem sharing a long prefix counts half (stemmer misses)."""
    stems = set(analyze(sentence.text))
    overlap = 0.0
    for term, weight in weights.items():
        if term in stems:
            overlap += weight
        elif len(term) >= 6 and any(
            min(len(s), len(term)) >= 6 and (s.startswith(term) or term.startswith(s)) for s in stems
        ):
            overlap += weight / 2
    score = overlap / math.pow(max(len(stems), 4), 0.3) * (1.0 if sentence.position == 0 else 0.85)
    if wanted and carries(sentence.text, wanted):
        score *= 1.5  # the sentence holds what the question asks for: a term, a duty, a condition
    return score * 0.5 if sentence.text.endswith(":") else score  # a list's opening words alone say little


def _diverse_top(result: RetrievalResult, limit: int, wanted: set[Intent] | None = None) -> list[ScoredChunk]:
    """Best passages in article order: an article's best chunk carries the article's score.

    At most two chunks per article; chunks of other documents compete with their own score.
    A client's own passages that retrieval put first (``leading``) stay first.
    """
    leading = [c for c in result.chunks if c.leading]
    ranked: list[tuple[float, ScoredChunk]] = [(math.inf, c) for c in leading]
    asked = set(analyze(result.question))
    for hit in result.articles:
        members = _definition_first(hit.chunks, asked)
        if wanted and Intent.LIST in wanted:
            members = sorted(members, key=lambda c: not _LIST_POINT.search(c.text))  # the lid with the list
        elif wanted:  # a term or amount question: the lid that states the number first
            members = sorted(members, key=lambda c: -answer_strength(c.text, wanted))
        ranked.append((hit.score, members[0]))
        if len(members) > 1 and members[1].score >= 0.8 * hit.chunks[0].score:
            ranked.append((hit.score - 1e-6, members[1]))
    ranked += [(c.score, c) for c in result.chunks if not c.metadata.get("article") and not c.leading]
    ranked.sort(key=lambda pair: pair[0], reverse=True)
    return [chunk for _, chunk in ranked[:limit]]


def _own_or_defined(result: RetrievalResult) -> bool:
    """Questions the domain gate lets through without a privacy word.

    A client's own documents may be asked about anything they contain (the user chose that
    client), and "Wat is een onderneming?" asks for a term the AVG itself defines.
    """
    own = any(str(c.metadata.get("scope", "")).startswith(CLIENT_PREFIX) for c in result.chunks[:3])
    return own or _defines_asked_term(result)


def _defines_asked_term(result: RetrievalResult) -> bool:
    """Whether the question asks what a retrieved passage defines ("Wat is een onderneming?")."""
    if Intent.DEFINITION not in intents(result.question):
        return False
    asked = set(analyze(result.question))
    return any(_defines(chunk, asked) for chunk in result.chunks)


def _definition_first(chunks: list[ScoredChunk], asked: set[str]) -> list[ScoredChunk]:
    """An article's chunks with the definition of a term the question asks about first.

    "Wat is een persoonsgegeven?" must quote art. 4 punt 1, even when the definition of
    "gegevens over gezondheid" (punt 15) scored a little higher on the shared words.
    """
    for index, chunk in enumerate(chunks):
        if _defines(chunk, asked):
            return [chunk, *chunks[:index], *chunks[index + 1 :]]
    return chunks


def _defines(chunk: ScoredChunk, asked: set[str]) -> bool:
    """Whether the chunk is the definition of a term whose every word the question holds."""
    match = _DEFINED_TERM.search(chunk.text)
    term = set(analyze(match.group(1))) if match else set()
    return bool(term) and all(any(_same_word(t, a) for a in asked) for t in term)


def _same_word(one: str, other: str) -> bool:
    """Equal stems, or long stems that differ only in their last two letters (the stemmer makes
    "persoonsgeef" of "persoonsgegeven" but "persoonsgeven" of "persoonsgegevens")."""
    if one == other:
        return True
    shared = len(os.path.commonprefix([one, other]))
    return shared >= 6 and shared >= min(len(one), len(other)) - 2
