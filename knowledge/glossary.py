"""Bridge staff jargon to the words of the law by query expansion.

The glossary ships as ``knowledge/data/glossary.toml``; a ``glossary.toml`` in the
data directory extends it. Matching is on folded whole words, so "FG" matches
"fg" but not "afgifte"; a jargon word of five or more letters also matches as the
start of a compound ("camera" in "camerabeelden").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ingestion.errors import ConfigError
from knowledge.text_analysis import fold


@dataclass(frozen=True)
class GlossaryTerm:
    """One entry: jargon phrases and the legal wording they stand for."""

    jargon: tuple[str, ...]
    legal: str


class Glossary:
    """Finds jargon in a question and returns the legal wording to add."""

    def __init__(self, terms: list[GlossaryTerm]) -> None:
        self.terms = terms
        self._patterns = [(re.compile("|".join(_jargon_pattern(j) for j in t.jargon)), t) for t in terms]

    def expansions(self, question: str) -> list[str]:
        """Legal wordings for the jargon found in ``question``, in glossary order, without repeats."""
        folded = fold(question)
        found: list[str] = []
        for pattern, term in self._patterns:
            if pattern.search(folded) and term.legal not in found:
                found.append(term.legal)
        return found

    def jargon_in(self, text: str) -> list[str]:
        """The jargon words and phrases of the glossary that ``text`` holds (folded, without repeats)."""
        folded = fold(text)
        found: list[str] = []
        for pattern, _ in self._patterns:
            for hit in pattern.finditer(folded):
                if hit.group(0) not in found:
                    found.append(hit.group(0))
        return found

    def expand(self, question: str) -> str:
        """The question followed by the legal wording of its jargon."""
        extra = self.expansions(question)
        return f"{question} ({'; '.join(extra)})" if extra else question


def _jargon_pattern(jargon: str) -> str:
    """Whole-word match; a single word of 5+ letters also matches as the start of a compound."""
    folded = fold(jargon)
    if " " not in folded and len(folded) >= 5:
        return rf"\b{re.escape(folded)}\w*"
    return rf"\b{re.escape(folded)}\b"


def parse_glossary(text: str, origin: str) -> list[GlossaryTerm]:
    """Parse glossary TOML; raise ConfigError with a Dutch message when malformed."""
    try:
        data = tomllib.loads(text)
        return [
            GlossaryTerm(jargon=tuple(str(j) for j in entry["jargon"]), legal=str(entry["legal"]))
            for entry in data.get("term", [])
        ]
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise ConfigError(f"De woordenlijst {origin} is ongeldig: {exc}") from exc


def load_glossary(extra_file: Path | None = None) -> Glossary:
    """The shipped glossary plus the entries of ``extra_file`` when it exists."""
    shipped = resources.files("knowledge").joinpath("data/glossary.toml").read_text(encoding="utf-8")
    terms = parse_glossary(shipped, "van het project")
    if extra_file is not None and extra_file.exists():
        terms += parse_glossary(extra_file.read_text(encoding="utf-8"), str(extra_file))
    return Glossary(terms)
