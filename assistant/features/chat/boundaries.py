"""Where the knowledge base's answers stop: questions outside privacy, and privacy questions that
another law settles.

* :class:`DomainGate` — a question is a privacy question when it holds one of the words of
  ``knowledge/data/domain.toml`` (plus the data directory's own ``domain.toml``). Questions
  without one (opzegtermijn, vakantiedagen, btw, Outlook) are refused, however close their
  wording is to a passage: dense similarity and shared words cannot tell "welke opzegtermijn
  geldt" from "welke bewaartermijn geldt" (measured: 10 of 16 near-domain office questions
  were answered before this gate).
* :class:`AdjacentTopics` — privacy questions that the AVG does not settle by itself (BSN,
  cookies, medical records, fiscal retention) get the AVG's rule plus "dit regelt de AVG niet
  zelf: …" from ``knowledge/data/adjacent.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ingestion.errors import ConfigError

DOMAIN_FILE = "domain.toml"
ADJACENT_FILE = "adjacent.toml"


def _shipped(name: str) -> str:
    return resources.files("knowledge").joinpath("data", name).read_text(encoding="utf-8")


def _read(name: str, extra_dir: Path | None) -> list[dict[str, Any]]:
    documents = [tomllib.loads(_shipped(name))]
    extra = extra_dir / name if extra_dir is not None else None
    if extra is not None and extra.exists():
        try:
            documents.append(tomllib.loads(extra.read_text(encoding="utf-8")))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{extra} is geen geldige TOML ({exc}).") from exc
    return documents


def _compile(pattern: str, origin: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"Patroon '{pattern}' in {origin} is ongeldig ({exc}).") from exc


def _normal(question: str) -> str:
    return " ".join(question.lower().split())


class DomainGate:
    """Decides whether a question is about privacy at all."""

    def __init__(self, patterns: list[re.Pattern[str]]) -> None:
        self.patterns = patterns

    @classmethod
    def load(cls, extra_dir: Path | None = None) -> DomainGate:
        """The shipped words plus those in ``extra_dir/domain.toml``."""
        patterns = [
            _compile(str(p), DOMAIN_FILE)
            for doc in _read(DOMAIN_FILE, extra_dir)
            for p in doc.get("patterns", [])
        ]
        return cls(patterns)

    def admits(self, question: str) -> bool:
        """Whether the question holds a privacy word."""
        text = _normal(question)
        return any(p.search(text) for p in self.patterns)


@dataclass(frozen=True)
class AdjacentTopic:
    """A privacy topic another law settles, with the text that says so."""

    name: str
    patterns: tuple[re.Pattern[str], ...]
    requires: tuple[re.Pattern[str], ...]
    text: str

    def matches(self, text: str) -> bool:
        """Whether the (normalised) question is about this topic."""
        return any(p.search(text) for p in self.patterns) and (
            not self.requires or any(p.search(text) for p in self.requires)
        )


class AdjacentTopics:
    """The adjacent topics a question touches."""

    def __init__(self, topics: list[AdjacentTopic]) -> None:
        self.topics = topics

    @classmethod
    def load(cls, extra_dir: Path | None = None) -> AdjacentTopics:
        """The shipped topics plus those in ``extra_dir/adjacent.toml``."""
        topics = []
        for doc in _read(ADJACENT_FILE, extra_dir):
            for item in doc.get("topic", []):
                topics.append(
                    AdjacentTopic(
                        str(item["name"]),
                        tuple(_compile(str(p), ADJACENT_FILE) for p in item.get("patterns", [])),
                        tuple(_compile(str(p), ADJACENT_FILE) for p in item.get("requires", [])),
                        str(item["text"]),
                    )
                )
        return cls(topics)

    def notes(self, question: str) -> list[str]:
        """The texts of the topics the question touches, in file order."""
        text = _normal(question)
        return [t.text for t in self.topics if t.matches(text)]
