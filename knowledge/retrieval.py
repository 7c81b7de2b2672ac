"""Hybrid retrieval: Dutch BM25 and e5 vectors fused by calibrated scores, then per article.

Why not plain reciprocal-rank fusion: RRF throws away how *confident* each signal
is, and on the AVG it gained nothing over either signal alone. Here each list is
turned into comparable scores first:

* lexical BM25 scores are divided by the best score of the query (1.0 = best match);
* dense cosine similarities are rescaled between a floor (the similarity of the
  ``dense_floor_rank``-th hit, what "unrelated" looks like for this query) and the
  best hit.

A chunk's fused score is a weighted sum. Law chunks are then aggregated per article
(best paragraph plus a damped share of the next ones), because a question is about an
article far more often than about one lid. Jargon is bridged with the glossary:
its legal wording is added to the lexical query and to the text the dense query
embeds. Compound words unknown to the index ("klantgegevens") are split into known
parts ("klant" + "gegevens") for the lexical query. Long statement-like input (25+
words) is embedded in e5's passage role, short questions in its query role.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from knowledge.clients import client_name
from knowledge.embeddings import IdentifiedEmbeddings
from knowledge.glossary import Glossary
from knowledge.knowledge_base import KnowledgeBase
from knowledge.scopes import GENERAL_SCOPE, normalize_scope
from knowledge.text_analysis import DUTCH_STOPWORDS, analyze, stem, tokenize


@dataclass(frozen=True)
class RetrievalConfig:
    """Tunable parameters of hybrid retrieval (defaults chosen on the method, see docs)."""

    candidates: int = 60
    dense_weight: float = 0.6
    lexical_weight: float = 0.4
    dense_floor_rank: int = 40
    article_decay: float = 0.6
    article_extra: int = 2
    min_compound_part: int = 4
    passage_role_min_words: int = 25
    guidance_weight: float = 0.5
    own_document_margin: float = 0.03
    own_document_passages: int = 1


@dataclass
class ScoredChunk:
    """A retrieved chunk with its fused score and per-signal evidence."""

    chunk_id: str
    text: str
    metadata: dict[str, Any]
    score: float
    dense: float = 0.0
    lexical: float = 0.0
    dense_similarity: float = 0.0
    leading: bool = False  # a client's own passage put first (see HybridRetriever._own_documents_first)


@dataclass
class ArticleHit:
    """A law article ranked by the aggregated scores of its chunks."""

    law: str
    article: str
    title: str
    score: float
    chunks: list[ScoredChunk] = field(default_factory=list)


@dataclass
class RetrievalResult:
    """Ranked chunks and articles, plus the signals used to decide whether to answer."""

    question: str
    chunks: list[ScoredChunk]
    articles: list[ArticleHit]
    top_dense_similarity: float
    lexical_coverage: float
    expansions: list[str]


_CITED_ARTICLE = re.compile(r"art\.\s*(\d+[a-z]?)(?=\s).*?\b([A-Z][A-Za-z]*)\s*$")


def cited_articles(text: str) -> list[tuple[str, str]]:
    """(law, article) pairs of a comma-separated citation list: "art. 33 lid 1 AVG, art. 34 AVG"."""
    pairs: list[tuple[str, str]] = []
    for item in text.split(","):
        match = _CITED_ARTICLE.search(item.strip())
        if match:
            pairs.append((match.group(2), match.group(1)))
    return pairs


def _chunk_order(chunk_id: str) -> tuple[str, int]:
    """Document, then position: chunk ids end in their index within the document."""
    head, _, index = chunk_id.rpartition(":")
    return head, int(index) if index.isdigit() else 0


def _by_score(chunk: ScoredChunk) -> tuple[float, str]:
    """Best first; equal scores by chunk id, so the ranking does not depend on set order
    (which changes from process to process with Python's string hashing)."""
    return (-chunk.score, chunk.chunk_id)


class TermStatistics:
    """Document frequencies of stems in a set of scopes, cached for one question.

    Retrieval asks for frequencies several times (unknown words, compound parts, stems in
    most chunks, coverage); :meth:`prefetch` answers them all with one lookup per scope.
    """

    def __init__(self, kb: KnowledgeBase, scopes: list[str]) -> None:
        self._kb = kb
        self._scopes = scopes
        self._known: dict[str, int] = {}

    def prefetch(self, stems: Iterable[str]) -> None:
        """Look up all of ``stems`` not looked up yet."""
        missing = {s for s in stems if s not in self._known}
        if not missing:
            return
        totals = dict.fromkeys(missing, 0)
        for scope in self._scopes:
            for term, df in self._kb.lexical.document_frequencies(scope, missing).items():
                totals[term] += df
        self._known.update(totals)

    def frequencies(self, stems: Iterable[str]) -> dict[str, int]:
        """How many chunks of the scopes contain each stem."""
        wanted = list(stems)
        self.prefetch(wanted)
        return {s: self._known[s] for s in wanted}


class HybridRetriever:
    """Lexical + dense retrieval over one or more scopes."""

    def __init__(
        self,
        kb: KnowledgeBase,
        embedder: IdentifiedEmbeddings,
        glossary: Glossary,
        config: RetrievalConfig | None = None,
    ) -> None:
        self.kb = kb
        self.embedder = embedder
        self.glossary = glossary
        self.config = config or RetrievalConfig()

    def retrieve(self, question: str, scopes: list[str], k: int = 10) -> RetrievalResult:
        """Rank chunks and articles for ``question`` in the given scopes."""
        scopes = [normalize_scope(s) for s in scopes]
        for scope in scopes:
            self.kb.ensure_scope(scope)
        expansions = self.glossary.expansions(question)
        dense_text = f"{question} ({'; '.join(expansions)})" if expansions else question
        vector = self._embed_question(dense_text)
        total = self._chunk_total(scopes)
        terms = TermStatistics(self.kb, scopes)
        terms.prefetch(self._candidate_stems(question, expansions))
        stems = self._discriminating(self._lexical_stems(question, expansions, terms), terms, total)

        dense_hits: dict[str, tuple[float, str]] = {}
        lexical_rows: list[tuple[str, str, float, str]] = []
        for scope in scopes:
            for chunk_id, similarity in self.kb.vectors.search(scope, vector, self.config.candidates):
                dense_hits[chunk_id] = (similarity, scope)
            for chunk_id, doc_id, score in self.kb.lexical.search(scope, stems, self.config.candidates):
                lexical_rows.append((chunk_id, doc_id, score, scope))
        current = self.kb.current_hashes(scopes, {doc_id for _, doc_id, _, _ in lexical_rows})
        lexical_hits = {cid: (score, scope) for cid, doc, score, scope in lexical_rows if doc in current}

        fused = self._fuse(dense_hits, lexical_hits)
        texts = self._fetch(fused, dense_hits, lexical_hits)
        unseen = {str(meta.get("doc_id", "")) for _, meta in texts.values()} - set(current)
        current.update(self.kb.current_hashes(scopes, unseen))
        chunks = [
            c
            for c in fused
            if c.chunk_id in texts
            and current.get(texts[c.chunk_id][1].get("doc_id", ""))
            == texts[c.chunk_id][1].get("content_hash")
        ]
        for chunk in chunks:
            chunk.text, chunk.metadata = texts[chunk.chunk_id]
        top_similarity = max((d for d, _ in dense_hits.values()), default=0.0)
        if len({client_name(s) is None for s in scopes}) == 2:  # a client's documents next to general ones
            chunks = self._own_documents_first(chunks, top_similarity)
        articles = self._aggregate(chunks)
        coverage = self._coverage(question, terms, total)
        return RetrievalResult(
            question, chunks[: max(k, 20)], articles[:k], top_similarity, coverage, expansions
        )

    def provision_chunks(
        self, law: str, article: str, paragraph: str = "", scopes: list[str] | None = None
    ) -> list[ScoredChunk]:
        """The current chunks of one article (or one lid of it) of ``law``, in text order.

        For quoting a provision a validated answer names, whatever the question's words matched.
        """
        found: list[ScoredChunk] = []
        for scope in [normalize_scope(s) for s in scopes or [GENERAL_SCOPE]]:
            conditions: list[dict[str, Any]] = [{"law": law}, {"article": article}]
            if paragraph:
                conditions.append({"paragraph": paragraph})
            page = self.kb.vectors.page(scope, ["documents", "metadatas"], where={"$and": conditions})
            metas = page.get("metadatas") or []
            texts = page.get("documents") or []
            current = self.kb.current_hashes([scope], {str(m.get("doc_id", "")) for m in metas})
            for chunk_id, text, meta in zip(page["ids"], texts, metas, strict=True):
                if current.get(str(meta.get("doc_id", ""))) == meta.get("content_hash"):
                    found.append(ScoredChunk(chunk_id, text, dict(meta), 0.0))
        return sorted(found, key=lambda c: _chunk_order(c.chunk_id))

    def _own_documents_first(self, chunks: list[ScoredChunk], top_similarity: float) -> list[ScoredChunk]:
        """Put a client's own passages first when they are about as close to the question as the best.

        A question asked for a client ("Hoe lang bewaren we klantgegevens?") is first about that
        client's own practice; the law and guidance explain it. The fused score undervalues a
        client's passages: BM25 in the client's small index computes IDF over a handful of
        passages, so its scores are not comparable with the general index's. Dense similarity is
        comparable across scopes, so it decides: the client's best passage (``own_document_passages``)
        leads the ranking when it is within ``own_document_margin`` of the best similarity.
        """
        config = self.config
        own = [
            c
            for c in chunks
            if client_name(str(c.metadata.get("scope", ""))) is not None
            and c.dense_similarity >= top_similarity - config.own_document_margin
        ][: config.own_document_passages]
        if not own:
            return chunks
        lead = max(c.score for c in chunks)
        for rank, chunk in enumerate(own):
            chunk.score = lead + (len(own) - rank) * 1e-3
            chunk.leading = True
        return sorted(chunks, key=_by_score)

    def _embed_question(self, text: str) -> list[float]:
        """Embed a question; long statement-like text is embedded in the passage role.

        e5 is trained asymmetrically: short questions match passages best as "query: ",
        but a long piece of text (a pasted clause, a recital, a paragraph of a policy) is
        itself a passage and matches other passages better symmetrically.
        """
        if len(text.split()) >= self.config.passage_role_min_words:
            as_passage = getattr(self.embedder, "embed_query_as_passage", None)
            return as_passage(text) if as_passage else self.embedder.embed_documents([text])[0]
        return self.embedder.embed_query(text)

    def _candidate_stems(self, question: str, expansions: list[str]) -> set[str]:
        """Every stem whose frequency retrieval may ask for: one vocabulary lookup per question."""
        candidates = set(analyze(question))
        for text in expansions:
            candidates.update(analyze(text))
        for token in self._content_tokens(question):
            candidates.update(self._compound_splits(token)[1])
        return candidates

    def lexical_stems(self, question: str, scopes: list[str]) -> list[str]:
        """The stems the lexical query of ``question`` searches for (before dropping common ones)."""
        scopes = [normalize_scope(s) for s in scopes]
        expansions = self.glossary.expansions(question)
        return self._lexical_stems(question, expansions, TermStatistics(self.kb, scopes))

    def _lexical_stems(self, question: str, expansions: list[str], terms: TermStatistics) -> list[str]:
        """Stems of the question and its glossary wording, plus known parts of unknown compounds."""
        stems = analyze(question)
        for text in expansions:
            stems.extend(analyze(text))
        for parts in self._token_parts(question, terms).values():
            stems.extend(p for p in parts if p not in stems)
        return stems

    @staticmethod
    def _content_tokens(question: str) -> list[str]:
        return [t for t in tokenize(question) if t not in DUTCH_STOPWORDS and len(t) > 1]

    def _token_parts(self, question: str, terms: TermStatistics) -> dict[str, list[str]]:
        """Each content word of the question → its stem when indexed, else its known compound parts."""
        tokens = self._content_tokens(question)
        frequencies = terms.frequencies([stem(t) for t in tokens])
        return {
            token: [stem(token)] if frequencies.get(stem(token), 0) else self._split_compound(token, terms)
            for token in tokens
        }

    def _compound_splits(self, token: str) -> tuple[list[tuple[str, str]], set[str]]:
        """Head/tail splits of ``token`` (longest tail first) and the stems of all their parts."""
        n = self.config.min_compound_part
        splits = [(token[:i], token[i:]) for i in range(n, len(token) - n)]
        stems = {stem(head.rstrip("s") if len(head) > n else head) for head, _ in splits}
        stems.update(stem(tail) for _, tail in splits)
        return splits, stems

    def _split_compound(self, token: str, terms: TermStatistics) -> list[str]:
        """Stems of the known parts of an unknown compound ("klantgegevens" → "klant", "gegeven")."""
        n = self.config.min_compound_part
        splits, stems = self._compound_splits(token)
        frequencies = terms.frequencies(stems)
        for head, tail in splits:  # longest tail first
            tail_stem = stem(tail)
            if frequencies.get(tail_stem, 0) > 0:
                head_stem = stem(head.rstrip("s") if len(head) > n else head)
                return [tail_stem, head_stem] if frequencies.get(head_stem, 0) > 0 else [tail_stem]
        return []

    def _chunk_total(self, scopes: list[str]) -> int:
        """Number of searchable chunks in the scopes (from the registry: cheap at any size)."""
        placeholders = ",".join("?" for _ in scopes)
        rows = self.kb.db.query(
            f"SELECT coalesce(sum(chunk_count), 0) AS n FROM documents WHERE status = 'ready' "
            f"AND scope IN ({placeholders})",
            tuple(scopes),
        )
        return int(rows[0]["n"])

    def _discriminating(self, stems: list[str], terms: TermStatistics, total: int) -> list[str]:
        """Drop stems found in more than half of the chunks.

        FTS5's BM25 gives such terms an IDF of ~0, so they do not change the ranking, but
        matching them makes SQLite score most of the index (0.24 s at 100,000 chunks).
        """
        frequencies = terms.frequencies(stems)
        kept = [s for s in stems if frequencies.get(s, 0) <= total / 2]
        return kept or stems

    def _coverage(self, question: str, terms: TermStatistics, total: int) -> float:
        """IDF-weighted share of the question's content words that occur in the scopes.

        Rare words weigh more: "pannenkoeken" missing outweighs a common "maak" being found.
        Compound parts do not count: "reiskosten" containing the indexed "kosten" says
        nothing about whether the question is about this knowledge base.
        """
        stems = sorted(set(analyze(question)))
        if not stems:
            return 0.0
        frequencies = terms.frequencies(stems)
        weights = {s: math.log(1 + max(total, 1) / (frequencies.get(s, 0) + 0.5)) for s in stems}
        found = sum(w for s, w in weights.items() if frequencies.get(s, 0))
        return found / sum(weights.values())

    def _fuse(
        self, dense_hits: dict[str, tuple[float, str]], lexical_hits: dict[str, tuple[float, str]]
    ) -> list[ScoredChunk]:
        config = self.config
        dense_norm: dict[str, float] = {}
        if dense_hits:
            ordered = sorted((s for s, _ in dense_hits.values()), reverse=True)
            top = ordered[0]
            floor = ordered[min(config.dense_floor_rank, len(ordered)) - 1]
            span = max(top - floor, 1e-6)
            dense_norm = {cid: max(0.0, (s - floor) / span) for cid, (s, _) in dense_hits.items()}
        lexical_norm: dict[str, float] = {}
        if lexical_hits:
            best = max(s for s, _ in lexical_hits.values())
            lexical_norm = {cid: s / best for cid, (s, _) in lexical_hits.items()} if best > 0 else {}
        fused: list[ScoredChunk] = []
        for chunk_id in set(dense_norm) | set(lexical_norm):
            d = dense_norm.get(chunk_id, 0.0)
            lx = lexical_norm.get(chunk_id, 0.0)
            fused.append(
                ScoredChunk(
                    chunk_id=chunk_id,
                    text="",
                    metadata={},
                    score=config.dense_weight * d + config.lexical_weight * lx,
                    dense=d,
                    lexical=lx,
                    dense_similarity=dense_hits.get(chunk_id, (0.0, ""))[0],
                )
            )
        fused.sort(key=_by_score)
        return fused

    def _fetch(
        self,
        fused: list[ScoredChunk],
        dense_hits: dict[str, tuple[float, str]],
        lexical_hits: dict[str, tuple[float, str]],
    ) -> dict[str, tuple[str, dict[str, Any]]]:
        by_scope: dict[str, list[str]] = defaultdict(list)
        for chunk in fused:
            scope = (dense_hits.get(chunk.chunk_id) or lexical_hits[chunk.chunk_id])[1]
            by_scope[scope].append(chunk.chunk_id)
        texts: dict[str, tuple[str, dict[str, Any]]] = {}
        for scope, ids in by_scope.items():
            texts.update(self.kb.vectors.get(scope, ids))
        return texts

    def _aggregate(self, chunks: list[ScoredChunk]) -> list[ArticleHit]:
        groups: dict[tuple[str, str], list[ScoredChunk]] = defaultdict(list)
        for chunk in chunks:
            law, article = chunk.metadata.get("law", ""), chunk.metadata.get("article", "")
            if law and article:
                groups[(law, article)].append(chunk)
        hits: list[ArticleHit] = []
        for (law, article), members in groups.items():
            members.sort(key=_by_score)
            score = members[0].score + self.config.article_decay * sum(
                c.score for c in members[1 : 1 + self.config.article_extra]
            ) / max(1, self.config.article_extra)
            title = members[0].text.partition("\n")[0]
            hits.append(ArticleHit(law=law, article=article, title=title, score=score, chunks=members))
        support = self._guidance_support(chunks)
        for hit in hits:
            hit.score += self.config.guidance_weight * support.get((hit.law, hit.article), 0.0)
        hits.sort(key=lambda h: (-h.score, h.law, h.article))  # ties broken the same way every run
        return hits

    def _guidance_support(self, chunks: list[ScoredChunk]) -> dict[tuple[str, str], float]:
        """Articles that retrieved guidance passages rest on, with the best such passage's score.

        Guidance is written in staff language and names the articles it rests on
        (metadata "articles": "art. 33 AVG, art. 34 AVG"), so a guidance hit is evidence
        for those articles.
        """
        support: dict[tuple[str, str], float] = {}
        for chunk in chunks:
            for law, article in cited_articles(str(chunk.metadata.get("articles", ""))):
                support[(law, article)] = max(support.get((law, article), 0.0), chunk.score)
        return support
