"""An answer card: a question (with the other ways staff ask it), a short answer, steps and provisions.

Cards are stored as explicit JSON (``schema`` 1) so a later release can read what an earlier
one wrote. Provisions use the answer key's notation: "33(1)", "6(1)(f)", "4(11)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ingestion.errors import AvgError

SCHEMA_VERSION = 1
CONCEPT = "concept"
VALIDATED = "gevalideerd"
RETIRED = "ingetrokken"
STATUSES = (CONCEPT, VALIDATED, RETIRED)
STATUS_LABELS = {CONCEPT: "concept", VALIDATED: "gevalideerd", RETIRED: "ingetrokken"}
_PROVISION = re.compile(r"^(\d{1,3})(?:\((\d{1,2}[a-z]?)\))?(?:\(([a-z0-9]{1,4})\))?$")


class CardError(AvgError):
    """An answer card is not valid as written (Dutch message)."""


@dataclass(frozen=True)
class Provision:
    """An article, optionally a lid and a point of it."""

    article: str
    paragraph: str = ""
    point: str = ""

    @classmethod
    def parse(cls, text: str) -> Provision:
        """ "33(1)" → Provision("33", "1"); Dutch error for anything else."""
        match = _PROVISION.match(text.replace(" ", ""))
        if not match:
            raise CardError(f"'{text}' is geen bepaling in de vorm 33(1) of 6(1)(f).")
        article, paragraph, point = match.groups()
        return cls(article, paragraph or "", point or "")

    def __str__(self) -> str:
        return (
            self.article
            + (f"({self.paragraph})" if self.paragraph else "")
            + (f"({self.point})" if self.point else "")
        )


@dataclass(frozen=True)
class AnswerCard:
    """A validated (or draft) answer to a question staff ask."""

    question: str
    short_answer: str
    variants: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    provisions: tuple[Provision, ...] = ()
    status: str = CONCEPT
    owner: str = ""
    date: str = ""
    id: int = 0
    source_key: str = ""

    @property
    def status_label(self) -> str:
        """The status as users read it ("gevalideerd")."""
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def source_line(self) -> str:
        """The line under a short answer that names the card it comes from and its status."""
        return f"(Antwoordkaart „{self.question}” — {self.status_label})"

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The question and its variants: what a user's question is compared with."""
        return (self.question, *self.variants)

    def to_json(self) -> dict[str, Any]:
        """The stored, Dutch-keyed form."""
        return {
            "schema": SCHEMA_VERSION,
            "vraag": self.question,
            "varianten": list(self.variants),
            "kort_antwoord": self.short_answer,
            "stappen": list(self.steps),
            "artikelen": [str(p) for p in self.provisions],
            "status": self.status,
            "eigenaar": self.owner,
            "datum": self.date,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], id: int = 0, source_key: str = "") -> AnswerCard:  # noqa: A002
        """Read the Dutch-keyed form (as written by :meth:`to_json` or in the shipped YAML)."""
        card = cls(
            question=" ".join(str(data.get("vraag", "")).split()),
            short_answer=str(data.get("kort_antwoord", "")).strip(),
            variants=tuple(
                " ".join(str(v).split()) for v in data.get("varianten", []) or [] if str(v).strip()
            ),
            steps=tuple(str(s).strip() for s in data.get("stappen", []) or [] if str(s).strip()),
            provisions=tuple(Provision.parse(str(p)) for p in data.get("artikelen", []) or []),
            status=str(data.get("status", CONCEPT)),
            owner=str(data.get("eigenaar", "")),
            date=str(data.get("datum", "")),
            id=id,
            source_key=source_key,
        )
        card.validate()
        return card

    def validate(self) -> None:
        """Dutch errors for a card that cannot be used."""
        if len(self.question) < 8:
            raise CardError("Vul de vraag van de antwoordkaart in.")
        if len(self.short_answer) < 10:
            raise CardError("Vul het korte antwoord in (één tot drie zinnen).")
        if self.status not in STATUSES:
            raise CardError(f"Onbekende status '{self.status}'. Kies uit: {', '.join(STATUSES)}.")


@dataclass(frozen=True)
class CardMatch:
    """A card that answers a question, with how similar the closest phrasing was."""

    card: AnswerCard
    similarity: float
    phrasing: str = field(default="")
