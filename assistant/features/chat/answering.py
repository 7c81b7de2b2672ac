"""Use case: answer a question from the knowledge base without an LLM (extractive).

The answer quotes the most relevant sentences of the best passages, each with its
exact citation (down to the point when the sentence is a list point), followed by
the sources. When retrieval finds nothing that supports an answer, it refuses.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.features.chat.refusal import RefusalPolicy
from assistant.features.chat.sentences import Sentence, split_sentences
from ingestion.citations import law_citation
from knowledge.retrieval import HybridRetriever, RetrievalResult, ScoredChunk
from knowledge.text_analysis import analyze

REFUSAL_TEXT = (
    "Deze vraag kan ik niet beantwoorden: de kennisbank bevat geen passages die erover gaan. "
    "Stel een vraag over de AVG, over privacybeleid of over de documenten van uw organisatie."
)
MAX_QUOTES = 3
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

    def to_json(self) -> dict[str, Any]:
        """The public JSON shape of ``ask --json``."""
        keys = ("citation", "law", "article", "paragraph", "point", "document", "quote")
        return {
            "answer": self.text,
            "refused": self.refused,
            "citations": [{k: asdict(c)[k] for k in keys} for c in self.citations],
        }


class Answerer:
    """Extractive answers with citations."""

    def __init__(
        self, retriever: HybridRetriever, top_k: int = 5, policy: RefusalPolicy | None = None
    ) -> None:
        self.retriever = retriever
        self.top_k = top_k
        self.policy = policy or RefusalPolicy()

    def answer(self, question: str, scopes: list[str]) -> Answer:
        """Answer ``question`` from the given scopes."""
        result = self.retriever.retrieve(question, scopes, k=self.top_k)
        return self.answer_from(result)

    def answer_from(self, result: RetrievalResult) -> Answer:
        """Build the extractive answer for a retrieval result."""
        question = result.question
        if self.policy.should_refuse(result):
            return Answer(question, REFUSAL_TEXT, refused=True)
        passages = _diverse_top(result, self.top_k)
        weights = self._term_weights(question, result)
        citations = [self._best_quote(chunk, weights) for chunk in passages[:MAX_QUOTES]]
        lines = [_lead_sentence(result, passages), ""]
        for number, citation in enumerate(citations, start=1):
            lines.append(f"{number}. „{citation.quote}” ({citation.citation})")
        lines += ["", "Bronnen:"]
        for number, citation in enumerate(citations, start=1):
            lines.append(f"[{number}] {citation.citation} — {citation.document}")
        lines += [
            "",
            "Dit antwoord bestaat uit letterlijke passages; lees de bron na voor de volledige context.",
        ]
        return Answer(question, "\n".join(lines), refused=False, citations=citations, sources=passages)

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

    def _best_quote(self, chunk: ScoredChunk, weights: dict[str, float]) -> Citation:
        meta = chunk.metadata
        has_heading = bool(meta.get("article") or meta.get("recital") or meta.get("heading"))
        sentences = split_sentences(chunk.text, has_heading) or [Sentence(chunk.text.strip(), "", 0)]
        if meta.get("point"):  # a per-point piece of a long lid: its opening words are context, not the quote
            sentences = [s for s in sentences if s.point] or sentences
        best = max(sentences, key=lambda s: _sentence_score(s, weights))
        point = meta.get("point", "") or best.point
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
            quote=best.quote,
            chunk_id=chunk.chunk_id,
            page=int(meta.get("page", -1)),
        )


def _lead_sentence(result: RetrievalResult, passages: list[ScoredChunk]) -> str:
    """One line naming the client's own document (when it leads) and the article that most likely answers."""
    own = ""
    if passages and passages[0].leading:
        own = f"In de eigen documenten: {passages[0].metadata.get('document', '')}. "
    if result.articles:
        best = result.articles[0]
        title = best.title.partition(" — ")[2]
        frame = "Het wettelijk kader staat" if own else "Het antwoord staat"
        return f"{own}{frame} vooral in art. {best.article} {best.law}" + (f" ({title})." if title else ".")
    return own or "Uit de kennisbank:"


def _sentence_score(sentence: Sentence, weights: dict[str, float]) -> float:
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
    return score * 0.5 if sentence.text.endswith(":") else score  # a list's opening words alone say little


def _diverse_top(result: RetrievalResult, limit: int) -> list[ScoredChunk]:
    """Best passages in article order: an article's best chunk carries the article's score.

    At most two chunks per article; chunks of other documents compete with their own score.
    A client's own passages that retrieval put first (``leading``) stay first.
    """
    leading = [c for c in result.chunks if c.leading]
    ranked: list[tuple[float, ScoredChunk]] = [(math.inf, c) for c in leading]
    asked = set(analyze(result.question))
    for hit in result.articles:
        members = _definition_first(hit.chunks, asked)
        ranked.append((hit.score, members[0]))
        if len(members) > 1 and members[1].score >= 0.8 * hit.chunks[0].score:
            ranked.append((hit.score - 1e-6, members[1]))
    ranked += [(c.score, c) for c in result.chunks if not c.metadata.get("article") and not c.leading]
    ranked.sort(key=lambda pair: pair[0], reverse=True)
    return [chunk for _, chunk in ranked[:limit]]


def _definition_first(chunks: list[ScoredChunk], asked: set[str]) -> list[ScoredChunk]:
    """An article's chunks with the definition of a term the question asks about first.

    "Wat is een persoonsgegeven?" must quote art. 4 punt 1, even when the definition of
    "gegevens over gezondheid" (punt 15) scored a little higher on the shared words.
    """
    for index, chunk in enumerate(chunks):
        match = _DEFINED_TERM.search(chunk.text)
        term = set(analyze(match.group(1))) if match else set()
        if term and all(any(_same_word(t, a) for a in asked) for t in term):
            return [chunk, *chunks[:index], *chunks[index + 1 :]]
    return chunks


def _same_word(one: str, other: str) -> bool:
    """Equal stems, or long stems that differ only in their last two letters (the stemmer makes
    "persoonsgeef" of "persoonsgegeven" but "persoonsgeven" of "persoonsgegevens")."""
    if one == other:
        return True
    shared = len(os.path.commonprefix([one, other]))
    return shared >= 6 and shared >= min(len(one), len(other)) - 2
