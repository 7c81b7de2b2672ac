"""Correct typos in a question's words against the knowledge base's own vocabulary.

"wat moet ik doen bij een datalk?" must be answered like "… bij een datalek?". A word is
corrected only when it is unknown: its stem occurs in no indexed passage of the searched
scopes, it is not a word of the glossary or of an answer card, and it is not a compound of
known parts ("klantgegevens"). Words shorter than ``min_length`` letters, numbers, article
references and capitalised words inside a sentence (client and product names, acronyms) are
never touched.

The dictionary is the lexical index's own vocabulary: FTS5's ``fts5vocab`` holds every stem with
the number of passages containing it. It is read once per scope and read again only when the
scope's index changed (its row map's highest row and row count), so a question costs set lookups,
never a scan. Because the index stores stems, candidates are generated on the surface word
(Norvig-style: every deletion, transposition, substitution and insertion, edit distance 1) and
kept when their stem is known; the candidate whose stem is in the most passages wins, so what the
user sees is a real word one edit from theirs. A compound is corrected in the part that holds the
typo ("inzagevezoek" → "inzage" + "verzoek"). Long words (``long_word`` letters or more) with no
candidate at distance 1 are matched at distance 2 against the stems with rapidfuzz.
"""

from __future__ import annotations

import re
import string
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from knowledge.knowledge_base import KnowledgeBase
from knowledge.scopes import normalize_scope
from knowledge.text_analysis import DUTCH_STOPWORDS, fold, stem

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
_LETTERS = string.ascii_lowercase
MIN_PASSAGES = 5  # a correction outside the glossary and the cards must be this common
_SENTENCE_END = re.compile(r"[.?!:;]\s*$")


@dataclass(frozen=True)
class Correction:
    """One word as typed and the word searched instead."""

    original: str
    corrected: str


@dataclass(frozen=True)
class CorrectedQuestion:
    """The question with its typos corrected, and what was changed."""

    text: str
    corrections: tuple[Correction, ...] = ()


def known_words(words: Iterable[str]) -> frozenset[str]:
    """Words in the form :meth:`SpellingCorrector.correct` compares them (folded), computed once."""
    return frozenset(fold(w) for w in words)


class SpellingCorrector:
    """Typo correction against the stems of the searched scopes plus a list of extra words."""

    def __init__(
        self, kb: KnowledgeBase, min_length: int = 6, long_word: int = 12, min_compound_part: int = 4
    ) -> None:
        self.kb = kb
        self.min_length = min_length
        self.long_word = long_word
        self.min_compound_part = min_compound_part
        self._lock = threading.Lock()
        self._vocabularies: dict[str, tuple[tuple[int, int], dict[str, int]]] = {}

    def correct(
        self, question: str, scopes: list[str], known: frozenset[str] = frozenset()
    ) -> CorrectedQuestion:
        """``question`` with each unknown word replaced by its best known neighbour.

        ``known`` are further words (folded, see :func:`known_words`) that count as spelled right.
        """
        vocabulary = self._vocabulary([normalize_scope(s) for s in scopes])
        lookup = _Lookup(vocabulary, set(known), self.min_compound_part)
        pieces: list[str] = []
        corrections: list[Correction] = []
        last = 0
        for match in _WORD.finditer(question):
            word = match.group(0)
            replacement = self._candidate(word, question[: match.start()], lookup)
            if replacement is None:
                continue
            pieces += [question[last : match.start()], replacement]
            last = match.end()
            corrections.append(Correction(word, replacement))
        if not corrections:
            return CorrectedQuestion(question)
        return CorrectedQuestion("".join([*pieces, question[last:]]), tuple(corrections))

    def _candidate(self, word: str, before: str, lookup: _Lookup) -> str | None:
        """The correction of one word, or None when it stays as it is."""
        folded = fold(word)
        if (
            len(folded) < self.min_length
            or not folded.isalpha()
            or folded in DUTCH_STOPWORDS
            or any(ch.isupper() for ch in word[1:])  # acronyms, names in capitals
            or (word[:1].isupper() and before.strip() and not _SENTENCE_END.search(before))  # a name
            or lookup.known(folded)
            or self._inflected(folded, lookup)
        ):
            return None
        best = lookup.best(_edits(folded))
        if best is None:
            best = self._compound_candidate(folded, lookup)
        if best is None and len(folded) >= self.long_word:
            best = lookup.far(folded)
        if best is None:
            return None
        return best.capitalize() if word[:1].isupper() else best

    def _inflected(self, word: str, lookup: _Lookup) -> bool:
        """A known word plus an ending ("veroordeeld", "mankeert"): a form, not a typo.

        Such words are missing from the index only because no passage uses that form; "correcting"
        them to the bare form ("veroordeel") changes what the question says.
        """
        return any(len(word) - cut >= self.min_length - 1 and lookup.frequency(word[:-cut]) for cut in (1, 2))

    def _compound_candidate(self, word: str, lookup: _Lookup) -> str | None:
        """A compound of a known head and a tail one edit from a known word ("inzage" + "vezoek").

        Only the tail is corrected: it names what the compound is ("verzoek"); correcting an
        unknown head would turn words of other fields ("opzegtermijn") into nonsense.
        """
        n = self.min_compound_part
        tails: dict[str, str] = {}  # corrected compound → its corrected tail
        for i in range(n, len(word) - n + 1):
            head, tail = word[:i], word[i:]
            if lookup.known_part(head, head_part=True):
                tails.update({head + fixed: fixed for fixed in _edits(tail) if len(fixed) >= n})
        return lookup.best(tails, key=tails.__getitem__)

    def _vocabulary(self, scopes: list[str]) -> dict[str, int]:
        """Stem → number of passages in the scopes, from each scope's cached vocabulary."""
        merged: dict[str, int] = {}
        for scope in scopes:
            for term, count in self._scope_vocabulary(scope).items():
                merged[term] = merged.get(term, 0) + count
        return merged

    def _scope_vocabulary(self, scope: str) -> dict[str, int]:
        self.kb.ensure_scope(scope)
        stamp = self.kb.lexical.stamp(scope)
        cached = self._vocabularies.get(scope)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        with self._lock:
            vocabulary = self.kb.lexical.vocabulary(scope)
            self._vocabularies[scope] = (stamp, vocabulary)
        return vocabulary


class _Lookup:
    """Known-word checks for one question."""

    def __init__(self, stems: dict[str, int], extra: set[str], min_part: int) -> None:
        self.stems = stems
        self.extra = extra
        self.extra_stems = {stem(w) for w in extra}
        self.min_part = min_part

    def frequency(self, word: str) -> int:
        """Passages holding the word's stem (1 for a glossary or card word the passages lack)."""
        word_stem = stem(word)
        found = self.stems.get(word_stem, 0)
        return found or (1 if word in self.extra or word_stem in self.extra_stems else 0)

    def trusted(self, candidate: str) -> int:
        """The frequency of a candidate correction, 0 when it is no safe replacement.

        A glossary or card word is safe. Otherwise its stem must be in ``MIN_PASSAGES`` passages and
        cover most of the word: "mitten" (stem "mit") or "lekken" (stem "lek") are no corrections
        of "ritten" and "lekker", words of other fields the knowledge base happens not to hold.
        """
        if candidate in self.extra:
            return max(self.frequency(candidate), 1)
        found = self.stems.get(stem(candidate), 0)
        covers = len(stem(candidate)) >= 0.8 * len(candidate)
        return found if found >= MIN_PASSAGES and covers else 0

    def known_part(self, part: str, head_part: bool) -> bool:
        """Whether a compound part is a known word (a head may end in the linking "s")."""
        if len(part) < self.min_part:
            return False
        if self.frequency(part):
            return True
        return (
            head_part and part.endswith("s") and len(part) > self.min_part and bool(self.frequency(part[:-1]))
        )

    def known(self, word: str) -> bool:
        """A known word, or a compound of two known parts."""
        if self.frequency(word):
            return True
        n = self.min_part
        return any(
            self.known_part(word[:i], True) and self.known_part(word[i:], False)
            for i in range(n, len(word) - n + 1)
        )

    def best(self, candidates: Iterable[str], key: Callable[[str], str] | None = None) -> str | None:
        """The known candidate in the most passages.

        Ties (forms of one stem) go to a glossary or card word, then to the shortest form, then
        alphabetically, so the same typo always gets the same correction. ``key`` picks the part of
        a candidate whose frequency counts (a compound's tail).
        """
        scored = [(self.trusted(key(c) if key else c), c) for c in candidates]
        kept = [(df, c) for df, c in scored if df > 0]
        if not kept:
            return None
        return min(kept, key=lambda pair: (-pair[0], pair[1] not in self.extra, len(pair[1]), pair[1]))[1]

    def far(self, word: str) -> str | None:
        """A stem at edit distance 2 for a long word, written as the word with its own ending."""
        word_stem = stem(word)
        matches = process.extract(
            word_stem, list(self.stems), scorer=Levenshtein.distance, score_cutoff=2, limit=10
        )
        if not matches:
            return None
        ending = word[len(word_stem) :] if word.startswith(word_stem) else ""
        written = [(int(m[1]), -self.trusted(m[0] + ending), m[0] + ending, m[0]) for m in matches]
        kept = [w for w in written if w[1] < 0 and stem(w[2]) == w[3]]  # a real form of the known stem
        return min(kept)[2] if kept else None


def _edits(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS if c != b[0]}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | transposes | replaces | inserts) - {word}
