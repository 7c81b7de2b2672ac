"""SentencePiece-unigram tokenisation in plain Python, with the ids of the ``tokenizers`` library.

The e5 model folder's ``tokenizer.json`` is a ``tokenizers`` Unigram tokenizer (made by
:mod:`knowledge.e5_model_folder`): special tokens split out of the raw text, runs of spaces
collapsed, Metaspace ("▁" for a space, one prepended, a word starting at every "▁"), then per word
the Viterbi path over the piece scores, with a character no piece covers scored as unknown
(lowest score less 10) and neighbouring unknown characters fused into one ``<unk>``. The Rust
tokenizer holds its 250k pieces in a trie of about 280 MB; this one keeps a dictionary (about
40 MB) and caches the ids of words it has seen. ``tests/test_unigram.py`` checks that the ids equal
those of ``tokenizers`` on varied text (accents, emoji, CJK, numbers, special tokens, spaces).
"""

from __future__ import annotations

import json
import re
from array import array
from pathlib import Path

SPACE = "▁"
UNK_PENALTY = 10.0  # tokenizers' kUnkPenalty
_SPACES = re.compile(" {2,}")
_CACHE_WORDS = 100_000  # words whose ids are kept; the cache starts again when full
_CACHE_LENGTH = 64  # longer words (long numbers, text without spaces) are not cached


class UnigramTokenizer:
    """Token ids of a SentencePiece-unigram vocabulary, as ``tokenizers``' Unigram with Metaspace."""

    def __init__(
        self, pieces: list[str], scores: array[float], unk_id: int, specials: dict[str, int]
    ) -> None:
        self._ids = {piece: index for index, piece in enumerate(pieces)}
        self._scores = scores
        self._longest = max(map(len, pieces))
        self._unk_id = unk_id
        self._unk_score = min(self._scores) - UNK_PENALTY
        self._specials = dict(specials)
        ordered = sorted(specials, key=len, reverse=True)
        pattern = "(" + "|".join(re.escape(special) for special in ordered) + ")"
        self._special_split = re.compile(pattern) if ordered else None
        self._cache: dict[str, tuple[int, ...]] = {}

    @classmethod
    def from_file(cls, path: Path) -> UnigramTokenizer:
        """The tokenizer of a ``tokenizers`` JSON file with a Unigram model."""
        data = json.loads(path.read_text(encoding="utf-8"))
        model = data["model"]
        if model.get("type") != "Unigram" or model.get("byte_fallback"):
            raise ValueError(f"{path} is geen Unigram-tokenizer zonder byte-fallback.")
        specials = {str(t["content"]): int(t["id"]) for t in data.get("added_tokens", []) if t.get("special")}
        unk_id = int(model["unk_id"])
        # The parsed JSON (lists, floats) lies between its strings in Python's small-object arenas,
        # which then stay resident after it is freed (about 50 MB). The pieces are therefore kept
        # as one string and the scores as an array, the JSON freed, and the strings made anew.
        scores = array("d", (float(score) for _, score in model["vocab"]))
        joined = "\n".join(str(piece) for piece, _ in model["vocab"])
        count = len(model["vocab"])
        del data, model
        names = joined.split("\n")
        if len(names) != count:  # a piece holding a newline: keep the parsed strings
            return cls._from_parsed(path, specials, unk_id)
        return cls(names, scores, unk_id, specials)

    @classmethod
    def _from_parsed(cls, path: Path, specials: dict[str, int], unk_id: int) -> UnigramTokenizer:
        vocab = json.loads(path.read_text(encoding="utf-8"))["model"]["vocab"]
        scores = array("d", (float(score) for _, score in vocab))
        return cls([str(piece) for piece, _ in vocab], scores, unk_id, specials)

    def special_id(self, token: str) -> int:
        """The id of a special token such as ``<s>``."""
        return self._specials[token]

    def encode(self, text: str) -> list[int]:
        """The token ids of ``text`` (no ``<s>``/``</s>`` added)."""
        ids: list[int] = []
        parts = self._special_split.split(text) if self._special_split else [text]
        for index, part in enumerate(parts):
            if index % 2:  # a special token, matched in the raw text
                ids.append(self._specials[part])
            elif part:
                for word in self._words(part):
                    ids.extend(self._word_ids(word))
        return ids

    @staticmethod
    def _words(text: str) -> list[str]:
        """Metaspace with prepend "always" and split: each word starts at a "▁"."""
        text = _SPACES.sub(" ", text).replace(" ", SPACE)
        if not text.startswith(SPACE):
            text = SPACE + text
        starts = [i for i, char in enumerate(text) if char == SPACE]
        return [text[start:end] for start, end in zip(starts, [*starts[1:], len(text)], strict=True)]

    def _word_ids(self, word: str) -> tuple[int, ...]:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        ids = self._viterbi(word)
        if len(word) <= _CACHE_LENGTH:
            if len(self._cache) >= _CACHE_WORDS:
                self._cache.clear()
            self._cache[word] = ids
        return ids

    def _viterbi(self, word: str) -> tuple[int, ...]:
        """The best-scoring pieces of ``word`` (tokenizers' ``encode_optimized``, same tie-breaking)."""
        size = len(word)
        best = [0.0] * (size + 1)
        starts = [-1] * (size + 1)
        chosen = [0] * (size + 1)
        pieces, scores, unk = self._ids, self._scores, self._unk_id
        for start in range(size):
            base = best[start]
            single = False
            for end in range(start + 1, min(size, start + self._longest) + 1):
                piece = pieces.get(word[start:end])
                if piece is None:
                    continue
                score = base + scores[piece]
                if starts[end] < 0 or score > best[end]:
                    best[end], starts[end], chosen[end] = score, start, piece
                if end == start + 1:
                    single = True
            if not single:
                score = base + self._unk_score
                end = start + 1
                if starts[end] < 0 or score > best[end]:
                    best[end], starts[end], chosen[end] = score, start, unk
        ids: list[int] = []
        unknown_end = -1  # end of a run of unknown characters being fused, walking backwards
        end = size
        while end > 0:
            start = starts[end]
            if chosen[end] == unk:
                if unknown_end < 0:
                    unknown_end = end
            else:
                if unknown_end >= 0:
                    ids.append(pieces.get(word[end:unknown_end], unk))
                    unknown_end = -1
                ids.append(chosen[end])
            end = start
        if unknown_end >= 0:
            ids.append(pieces.get(word[0:unknown_end], unk))
        ids.reverse()
        return tuple(ids)
