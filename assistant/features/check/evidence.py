"""Find evidence for a checklist question in one client's own documents, and only there.

Retrieval runs on exactly one scope, the client's (never ``algemeen``: the law and our
guidance say what *should* be done, not what the client does). A passage counts as
evidence only when it passes two checks:

* its fused retrieval score reaches ``min_score``. Fused scores are relative to the best hit
  of the query, so this drops the tail but cannot tell whether the best hit is relevant at all
  (in a client scope without any relevant text the best hit still scores near 1);
* it contains the question's key terms (:func:`assistant.features.check.checklist.key_terms_match`), which
  decides relevance in absolute terms: a retention question needs a passage that talks about
  retention, however well an unrelated passage happens to rank.

Passages whose body (not only their heading line) has the key terms rank first; the quote
is the passage's sentence with the most key terms and question words.

Which documents count at all depends on the question (:mod:`assistant.features.check.document_kinds`): a
processing agreement says nothing about the organisation's own way of working, and its privacy statement is
evidence only for transparency questions.

A passage in which the client writes that the subject is absent ("een DPIA is niet uitgevoerd") is
evidence too, with polarity *negatief* and that sentence as quote (:mod:`assistant.features.check.polarity`);
it counts even when the other key terms are missing, and ranks before the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence, Set
from dataclasses import dataclass

from assistant.features.check.checklist import ChecklistQuestion, key_terms_match, matched_terms
from assistant.features.check.document_kinds import counts_for, is_processing_agreement
from assistant.features.check.judge import red_flags
from assistant.features.check.model import POLARITY_ADMITS_GAP, POLARITY_SUPPORTS, Evidence
from assistant.features.check.polarity import admissions, names_subject
from assistant.features.privacy.register_recipients import company_key
from knowledge.registry import STATUS_READY
from knowledge.retrieval import HybridRetriever, ScoredChunk
from knowledge.scopes import client_scope
from knowledge.text_analysis import analyze, fold, plain_words

QUOTE_CHARS = 400
SHORT_QUOTE = 120
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u00C0-\u00DD„\"(])")


@dataclass(frozen=True)
class EvidenceConfig:
    """Thresholds of evidence finding (defaults chosen on the test clients, see the module docstring)."""

    min_score: float = 0.35
    max_evidence: int = 3
    candidates: int = 10
    #: also read every passage of the client that retrieval did not rank (key terms or an admission)
    scan_all: bool = True


class EvidenceFinder:
    """Evidence for checklist questions from one client's scope."""

    def __init__(self, retriever: HybridRetriever, config: EvidenceConfig | None = None) -> None:
        self.retriever = retriever
        self.config = config or EvidenceConfig()

    def find(
        self,
        question: ChecklistQuestion,
        client: str,
        limit: int | None = None,
        neighbours: Sequence[ChecklistQuestion] = (),
    ) -> list[Evidence]:
        """The best passages of ``client``'s documents that bear on ``question`` (may be empty).

        ``limit`` (default ``max_evidence``) caps the number; the judge reads more than the report shows.
        ``neighbours`` (the other questions of the checklist) take the admissions about their own, more
        specific subject (:func:`assistant.features.check.polarity.admissions`).
        """
        scope = client_scope(client)
        result = self.retriever.retrieve(search_text(question), [scope], k=self.config.candidates)
        found: list[tuple[bool, bool, ScoredChunk, list[str]]] = []
        for chunk in result.chunks:
            if chunk.score < self.config.min_score:
                break
            if chunk.metadata.get("scope") != scope:  # defence in depth: one client's scope only
                continue
            if not counts_for(question, str(chunk.metadata.get("document", ""))):
                continue  # a processing agreement for the client's own practice; the privacy statement
            admitted = admissions(_body(chunk), question, neighbours)
            if admitted or _on_subject(chunk, question):
                body_match = key_terms_match(_body(chunk), question.key_terms)
                found.append((bool(admitted), body_match, chunk, admitted))
        # Admissions first, then passages whose own text (not only their heading) has the key terms.
        found.sort(key=lambda item: (item[0], item[1], item[2].score), reverse=True)
        if self.config.scan_all:
            found += self._scan(question, scope, {item[2].chunk_id for item in found}, neighbours)
            found.sort(key=lambda item: item[0], reverse=True)  # an admission first, wherever it was found
        return [
            _evidence(chunk, question, matched_terms(chunk.text, question.key_terms), scope, admitted)
            for _, _, chunk, admitted in found[: limit or self.config.max_evidence]
        ]

    def _scan(
        self,
        question: ChecklistQuestion,
        scope: str,
        seen: set[str],
        neighbours: Sequence[ChecklistQuestion] = (),
    ) -> list[tuple[bool, bool, ScoredChunk, list[str]]]:
        """Passages of the client's documents that retrieval did not rank but whose own text has the key
        terms in their own text (a client dossier is small: every passage is read, as a consultant would).

        They come after the ranked passages. An admission in them counts when its sentence is about this
        question's subject and not more about a neighbour's (:func:`admissions`, which also needs the key
        terms in the sentence): "Met Rapido Koeriers is nog geen verwerkersovereenkomst getekend" in a list
        of action points that retrieval ranked low for the question. A passage with one of the question's
        known weaknesses counts too, without the key terms, unless the sentence is about another question's
        subject: "het wachtwoord hangt in de backoffice" for access control, read first like an admission."""
        found: list[tuple[bool, bool, ScoredChunk, list[str]]] = []
        for _, chunk in self.stored_passages(scope, seen):
            if not counts_for(question, str(chunk.metadata.get("document", ""))):
                continue
            body = _body(chunk)
            on_subject = key_terms_match(body, question.key_terms) and names_subject(chunk.text, question)
            # a known weakness of this question is about its subject in any wording ("het wachtwoord hangt in
            # de backoffice" for access, without the key terms): read first, like an admission
            flagged = bool(question.red_flags) and any(
                not _about_another_subject(sentence, question, neighbours)
                for sentence in red_flags(question, [body])
            )
            if not (on_subject or flagged):
                continue
            admitted = admissions(body, question, neighbours) if on_subject else []
            found.append((bool(admitted) or flagged, True, chunk, admitted))
        return found

    def stored_passages(self, scope: str, seen: Set[str] = frozenset()) -> Iterator[tuple[str, ScoredChunk]]:
        """(document title, passage) for every passage of the scope's ready documents not in ``seen``, in
        document order."""
        kb = self.retriever.kb
        for record in kb.registry.list(scope, STATUS_READY):
            for stored in kb.versions.chunks(record.id, record.version):
                if stored.chunk_id not in seen:
                    title = str(stored.metadata.get("document") or record.title)
                    yield (
                        title,
                        ScoredChunk(stored.chunk_id, stored.text, {**stored.metadata, "scope": scope}, 0.0),
                    )

    def dedicated(
        self, question: ChecklistQuestion, client: str, found: Sequence[Evidence]
    ) -> list[Evidence]:
        """The other passages of a document among ``found`` whose title names the question's subject (a
        "Datalekprocedure" for the breach questions, a "Bewaarbeleid" for retention): the whole document is
        about the subject, so what it says in its other sections (who assesses, where a breach is reported)
        is part of the measure, as a consultant reads it. For the judge only, after ``found``."""
        scope = client_scope(client)
        subject = question.key_terms[:1]
        titles = {e.document for e in found if subject and matched_terms(e.document, subject)}
        if not titles:
            return []
        return [
            _evidence(chunk, question, matched_terms(chunk.text, question.key_terms), scope, [])
            for title, chunk in self.stored_passages(scope, {e.chunk_id for e in found})
            if title in titles
        ]

    def agreement(self, processor: str, client: str) -> Evidence | None:
        """A passage of ``client``'s documents with a processing agreement that names ``processor``."""
        scope = client_scope(client)
        wanted = plain_words(processor)
        bare = re.sub(r"\b(b ?v|n ?v|bv|nv|v ?o ?f|vof|c ?v|inc|gmbh|ltd)\b", "", wanted)
        wanted = " ".join(bare.split()) or wanted
        # A register names "Suitelogic B.V. (HotelSuite)" or "Reservo GmbH, Keulen"; the documents name the
        # company: without the bracketed product and the place after a comma.
        # (brackets first: "Woonsoft Systems B.V. (Vastgoed365, Mijn Heidezoom)" has its comma inside them)
        company = company_key(re.sub(r"\(.*?\)", " ", processor).split(",")[0])
        names = [n for n in dict.fromkeys([wanted, company]) if len(n) >= 3]
        result = self.retriever.retrieve(
            f"verwerkersovereenkomst {processor}", [scope], k=self.config.candidates
        )
        for chunk in result.chunks:
            if chunk.metadata.get("scope") != scope:
                continue
            text = plain_words(chunk.text)
            title = plain_words(str(chunk.metadata.get("document", "")))
            name = next((n for n in names if f" {n} " in f" {text} "), "")
            if name and ("verwerkersovereenkomst" in text or "verwerkersovereenkomst" in title):
                if agreement_denied(chunk.text, name):
                    return None  # the client writes that there is no (signed) agreement with this processor
                if is_processing_agreement(title) and unsigned(f"{title} {text[:400]}"):
                    return None  # a draft: "CONCEPT v0.3 — nog niet ondertekend"
                return _evidence(
                    chunk, _AGREEMENT, matched_terms(chunk.text, _AGREEMENT.key_terms), scope, []
                )
        return None


#: A sentence about the agreement that says it is absent or not (yet) in force.
_AGREEMENT_DENIED = re.compile(
    r"\b(?:is|zijn) er (?:nog )?niet\b|\bgeen (?:\w+ )?(?:verwerkers)?overeenkomst|\bontbreek?t|\bontbreken\b"
    r"|\bniet (?:\w+ )?(?:ondertekend|getekend|gesloten|afgesloten|vastgelegd|geregeld)\b"
    # "Een aparte verwerkersovereenkomst heeft Brightleaf niet", "… hebben we nog niet"
    r"|\b(?:heeft|hebben|heb)\b(?: \w+){0,4} (?:nog )?niet\b"
)
#: A column headed by the usual abbreviation of the agreement ("VO", "DPA").
_AGREEMENT_HEADS = frozenset({"vo", "vwo", "dpa", "vo getekend", "vo aanwezig"})
#: A table cell that says there is none.
_NO_CELL = re.compile(r"^(?:nee|neen|geen|ontbreekt|nog niet\b.*|in behandeling|concept)$")
#: ... and, in the column headed by the agreement, one that starts so ("Nee — hebben we niet vastgelegd",
#: "CONCEPT ligt er, nog niet ondertekend") ...
_NO_AGREEMENT_CELL = re.compile(r"^(?:nee|neen|geen|ontbreekt|nog niet|niet|concept|onbekend|onduidelijk)\b")
#: ... or that is unsure ("ja denk ik? navragen", "weet niet of privacy erin staat", "geen apart papier").
_UNSURE_CELL = re.compile(
    r"\?|\bdenk\b|\bnavragen\b|\bnagaan\b|\bweet (?:ik |we |wij )?niet\b|\bonbekend\b|\bgeen apart\b"
)
#: A processing agreement that is a draft: "CONCEPT v0.3 — nog niet ondertekend".
_UNSIGNED = re.compile(r"\bconcept\b|\bnog niet (?:onder)?getekend\b|\bniet (?:onder)?getekend\b")


def unsigned(text: str) -> bool:
    """Whether the start of a processing agreement says it is a draft ("CONCEPT — nog niet ondertekend")."""
    return _UNSIGNED.search(fold(text)) is not None


def agreement_denied(text: str, processor: str) -> bool:
    """True when a sentence or table row of ``text`` that names ``processor`` says there is no agreement.

    ``processor`` is the folded name. A row whose cell under a column headed "verwerkersovereenkomst" (or
    "VO") starts with "nee"/"geen"/"nog niet" (other columns, "buiten de EER: nee", say nothing about
    it); without such a header a row "ZwemPlan V.O.F. | app | nee" (a cell just "nee"); or "Een
    verwerkersovereenkomst met X is er niet / is nog niet ondertekend / heeft X niet" deny it.
    """
    column = -1
    for line in text.splitlines():
        if line.count("|") < 2:
            continue
        raw = [c.strip().lower() for c in line.strip().strip("|").split("|")]
        cells = [plain_words(c) for c in raw]
        heads = [
            i
            for i, c in enumerate(cells)
            if ("overeenkomst" in c and len(c.split()) <= 4) or c in _AGREEMENT_HEADS
        ]
        if heads and processor not in plain_words(line):
            column = heads[0]
            continue
        if processor in plain_words(line):
            if 0 < column < len(cells):  # the agreement column is known: only its cell speaks
                if _NO_AGREEMENT_CELL.match(cells[column]) or _UNSURE_CELL.search(raw[column]):
                    return True
            elif any(_NO_CELL.match(c) for c in cells[1:]):
                return True
    for sentence in re.split(r"(?<=[.!?;])\s+|\n+", text):
        words = plain_words(sentence)
        if processor in words and "overeenkomst" in words and _AGREEMENT_DENIED.search(words):
            return True
    return False


_AGREEMENT = ChecklistQuestion(
    "VWK-01", "", "verwerkersovereenkomst", [], "", "", 0, ["verwerkersovereenkomst|verwerker"]
)


def _on_subject(chunk: ScoredChunk, question: ChecklistQuestion) -> bool:
    """Whether the passage has the question's key terms, with its subject in the sense the question means."""
    return key_terms_match(chunk.text, question.key_terms) and names_subject(chunk.text, question)


def search_text(question: ChecklistQuestion) -> str:
    """The retrieval query: the question plus the first wording of each key term."""
    extra = [entry.split("|")[0].strip() for entry in question.key_terms]
    return " ".join([question.question, *extra])


def _about_another_subject(
    sentence: str, question: ChecklistQuestion, neighbours: Sequence[ChecklistQuestion]
) -> bool:
    """Whether ``sentence`` names another question's subject and not this one's: "een DPIA is alleen
    verplicht bij meer dan 250 medewerkers" has the shape of a breach-reporting weakness, but is about the
    DPIA; "zonder toestemming van de ouders nemen wij geen contact op" is about consent, not subprocessors."""
    if key_terms_match(sentence, question.key_terms[:1]):
        return False
    return any(
        key_terms_match(sentence, other.key_terms[:1])
        for other in neighbours
        if other.id != question.id and other.key_terms
    )


def _evidence(
    chunk: ScoredChunk, question: ChecklistQuestion, terms: list[str], scope: str, admitted: list[str]
) -> Evidence:
    meta = chunk.metadata
    quote = _clip(admitted[0]) if admitted else best_quote(chunk, question, terms)
    return Evidence(
        document=str(meta.get("document", "")),
        page=int(meta.get("page", -1) or -1),
        citation=str(meta.get("citation") or meta.get("document") or ""),
        quote=quote,
        chunk_id=chunk.chunk_id,
        score=round(chunk.score, 3),
        scope=scope,
        passage=_body(chunk),
        matched_terms=terms,
        polarity=POLARITY_ADMITS_GAP if admitted else POLARITY_SUPPORTS,
    )


def _clip(sentence: str) -> str:
    return sentence if len(sentence) <= QUOTE_CHARS else sentence[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"


def best_quote(chunk: ScoredChunk, question: ChecklistQuestion, terms: list[str]) -> str:
    """The sentence of the passage that best shows the evidence (wrapped lines joined first)."""
    sentences = [s for s in _SENTENCE_END.split(" ".join(_body(chunk).split())) if s] or [chunk.text.strip()]
    question_stems = set(analyze(question.question))
    term_stems = {s for term in terms for s in analyze(term)}

    def score(position: int) -> float:
        sentence = sentences[position]
        stems = set(analyze(sentence))
        found = len(matched_terms(sentence, terms))
        return 2.0 * found + len(stems & term_stems) + 0.5 * len(stems & question_stems) - 0.01 * position

    best = max(range(len(sentences)), key=score)
    quote = sentences[best]
    if len(quote) < SHORT_QUOTE:  # a short sentence gets its better-scoring neighbour as context
        neighbours = [i for i in (best - 1, best + 1) if 0 <= i < len(sentences)]
        if neighbours:
            other = max(neighbours, key=score)
            first, last = sorted((best, other))
            joined = f"{sentences[first]} {sentences[last]}"
            quote = joined if len(joined) <= QUOTE_CHARS else quote
    return quote if len(quote) <= QUOTE_CHARS else quote[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"


def _body(chunk: ScoredChunk) -> str:
    """The passage text without its heading line."""
    head, _, body = chunk.text.partition("\n")
    return (body if chunk.metadata.get("heading") and body else chunk.text).strip()
