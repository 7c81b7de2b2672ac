"""Make model output safe plain text and keep only citations of passages the model was given.

Model output is untrusted: a passage can carry injected instructions, and a model can
invent sources. Three rules, applied to the whole text and, incrementally, to the stream:

* markup is removed: HTML tags (``<script>``, ``<style>`` and ``<think>`` blocks with their
  content), markdown images, reference definitions; markdown links keep only their text;
* a citation ``[n]`` (or ``[n, m]``) survives only when ``1 <= n <= passage count``;
* surviving citations are renumbered in order of first use, so the answer's sources list
  is ``[1]``, ``[2]``, ... without gaps.

:class:`StreamFilter` applies the same rules to a growing text. It holds back the tail
that could still become markup or a citation (an open ``<`` or ``[``, a trailing ``!``),
so an image or a dangling citation is never shown, not even for a moment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HIDDEN_BLOCK = re.compile(
    r"<(script|style|think|iframe|object)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL
)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^<>]*(?:>|$)")
_IMAGE = re.compile(r"!\[[^\[\]]*\](?:\([^()]*\)|\[[^\[\]]*\])")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_REFERENCE_DEFINITION = re.compile(r"^[ \t]*\[[^\[\]]+\]:[^\n]*(?:\n|$)", re.MULTILINE)
_CITATION = re.compile(r"[ \t]*\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")
_NUMBER = re.compile(r"\d{1,3}")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"[ \t]+([.,;:!?)])")
_MANY_SPACES = re.compile(r"[ \t]{2,}")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")

HOLD_LIMIT = 300
"""An open ``<`` or ``[`` further back than this is plain text; the stream goes on."""


def strip_markup(text: str) -> str:
    """Plain text: HTML removed, images dropped, links reduced to their text."""
    text = _HIDDEN_BLOCK.sub("", text)
    text = _COMMENT.sub("", text)
    text = _TAG.sub("", text)
    text = _IMAGE.sub("", text)
    text = _REFERENCE_DEFINITION.sub("", text)
    return _LINK.sub(_link_text, text)


def _link_text(match: re.Match[str]) -> str:
    label = match.group(1)
    return f"[{label}]" if _CITATION.fullmatch(f"[{label}]") else label


@dataclass
class CitationCheck:
    """The outcome of checking citations against ``passage_count`` passages.

    ``order`` lists the cited passage numbers (1-based, as in the prompt) in order of
    first use; passage ``order[i]`` is cited as ``[i + 1]`` in the checked text.
    """

    passage_count: int
    order: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)

    def rewrite(self, text: str) -> str:
        """Drop citations of unknown passages and renumber the others (records what it saw)."""
        return _CITATION.sub(self._replace, text)

    def _replace(self, match: re.Match[str]) -> str:
        kept: list[int] = []
        for number in (int(n) for n in _NUMBER.findall(match.group(1))):
            if not 1 <= number <= self.passage_count:
                if number not in self.removed:
                    self.removed.append(number)
                continue
            if number not in self.order:
                self.order.append(number)
            shown = self.order.index(number) + 1
            if shown not in kept:
                kept.append(shown)
        if not kept:
            return ""
        leading = match.group(0)[: match.group(0).index("[")]
        return f"{leading}[{', '.join(str(n) for n in sorted(kept))}]"


def tidy(text: str) -> str:
    """Whitespace left behind by removals: no space before punctuation, no double spaces."""
    text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
    text = _MANY_SPACES.sub(" ", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _MANY_BLANK_LINES.sub("\n\n", text).strip()


def check_answer(text: str, passage_count: int) -> tuple[str, CitationCheck]:
    """The safe, checked text of a complete model answer and what the check found."""
    check = CitationCheck(passage_count)
    return tidy(check.rewrite(strip_markup(text))), check


class StreamFilter:
    """Incremental :func:`check_answer`: feed raw model tokens, get safe text to show."""

    def __init__(self, passage_count: int) -> None:
        self.passage_count = passage_count
        self.raw = ""
        self._shown = ""
        self._diverged = False

    @property
    def shown(self) -> str:
        """All text handed out so far."""
        return self._shown

    def feed(self, token: str) -> str:
        """Add a raw token; return the newly safe text (may be empty)."""
        self.raw += token
        return self._advance(self.raw[: _stable_length(self.raw)])

    def flush(self) -> str:
        """The model is done: return whatever safe text was held back."""
        return self._advance(self.raw)

    def _advance(self, stable: str) -> str:
        if self._diverged:
            return ""
        check = CitationCheck(self.passage_count)
        clean = check.rewrite(strip_markup(stable))
        if not clean.startswith(self._shown):
            # Markup completed far behind the cut changed text already shown; stop streaming
            # and let the final, checked answer replace what was shown.
            self._diverged = True
            return ""
        delta = clean[len(self._shown) :]
        self._shown = clean
        return delta


def _stable_length(raw: str) -> int:
    """Length of the prefix of ``raw`` that no later token can turn into markup or a citation."""
    cut = len(raw)
    window_start = max(0, cut - HOLD_LIMIT)
    last_open_angle = raw.rfind("<", window_start)
    if last_open_angle >= 0 and ">" not in raw[last_open_angle:]:
        cut = min(cut, last_open_angle)
    last_open_bracket = raw.rfind("[", window_start)
    if last_open_bracket >= 0 and "]" not in raw[last_open_bracket:]:
        cut = min(cut, last_open_bracket)
    link_start = raw.rfind("](", window_start)
    if link_start >= 0 and ")" not in raw[link_start:]:
        cut = min(cut, _bracket_start(raw, link_start, window_start))
    if raw[:cut].endswith("]"):
        cut = _bracket_start(raw, cut - 1, window_start)
    line_start = raw.rfind("\n", 0, cut) + 1
    if _may_be_definition(raw[line_start:cut]):
        cut = line_start
    while cut > 0 and raw[cut - 1] in " \t!":
        cut -= 1
    return cut


def _may_be_definition(line: str) -> bool:
    """True when an unfinished line can still turn out a reference definition ``[1]: http://...``."""
    if not line.lstrip(" \t").startswith("[") or len(line) >= HOLD_LIMIT:
        return False
    close = line.find("]")
    return close < 0 or close == len(line) - 1 or line[close + 1] == ":"


def _bracket_start(raw: str, close: int, floor: int) -> int:
    """Position of the ``[`` that the ``]`` at ``close`` closes (``close`` when none)."""
    start = raw.rfind("[", floor, close)
    if start < 0:
        return close
    if start > 0 and raw[start - 1] == "!":
        start -= 1
    return start
