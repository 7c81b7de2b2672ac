"""The messages for a generated answer: rules, the question, guidance and numbered, delimited passages.

The model is asked for the answer shape of the extractive answer: a short answer first, the
steps when the question asks what to do, then the legal basis, each claim citing a passage
[n]. The guidance tells it whether steps are asked for and, when an answer card of the
knowledge base matched, gives the card's short answer and steps to build on.

Passages are data, not instructions: each sits between ``<<<PASSAGE n: label>>>`` and
``<<<EINDE PASSAGE n>>>``, and marker look-alikes inside a passage, the question or a card
are defused, so retrieved text cannot close its own block and pose as the prompt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from assistant.llm.injection import defuse as _defuse
from knowledge.retrieval import ScoredChunk
from prompts import load_prompt

NO_ANSWER_SENTENCE = "De gevonden passages beantwoorden deze vraag niet."
STEPS_WANTED = 'Deze vraag vraagt wat u moet doen: geef de stappen onder "Wat u doet:".'
STEPS_NOT_WANTED = 'Deze vraag vraagt niet om stappen: laat "Wat u doet:" weg.'
LIST_WANTED = 'Deze vraag vraagt om een opsomming: noem onder "Wettelijke basis:" alle onderdelen.'


@dataclass(frozen=True)
class CardGuidance:
    """An answer card of the knowledge base that matched the question (validated or concept)."""

    question: str
    short_answer: str
    status: str
    steps: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Guidance:
    """What the question asks for, and the matching answer card if any."""

    steps: bool = False
    whole_list: bool = False
    card: CardGuidance | None = None

    def text(self) -> str:
        """The guidance block of the user message."""
        lines = [STEPS_WANTED if self.steps or (self.card and self.card.steps) else STEPS_NOT_WANTED]
        if self.whole_list:
            lines.append(LIST_WANTED)
        if self.card is not None:
            card = self.card
            lines += [
                "",
                f"Antwoordkaart van het kennisbureau ({card.status}) "
                f"bij de vraag „{_defuse(card.question)}”:",
                f"Kort antwoord: {_defuse(card.short_answer)}",
            ]
            if card.steps:
                lines.append("Stappen:")
                lines += [f"{n}. {_defuse(step)}" for n, step in enumerate(card.steps, start=1)]
        return "\n".join(lines)


def passage_label(chunk: ScoredChunk) -> str:
    """The source of a passage as shown to the model: citation — document (page)."""
    meta = chunk.metadata
    citation = str(meta.get("citation") or "")
    document = str(meta.get("document") or "")
    parts = [p for p in (citation, document) if p]
    label = " — ".join(dict.fromkeys(parts)) or "bron zonder titel"
    page = int(meta.get("page", -1) or -1)
    return f"{label}, p. {page}" if page > 0 else label


def format_passages(passages: list[ScoredChunk]) -> str:
    """The passages numbered 1..n between their markers."""
    blocks = []
    for number, chunk in enumerate(passages, start=1):
        blocks.append(
            f"<<<PASSAGE {number}: {_defuse(passage_label(chunk))}>>>\n"
            f"{_defuse(chunk.text.strip())}\n"
            f"<<<EINDE PASSAGE {number}>>>"
        )
    return "\n\n".join(blocks)


def build_messages(
    question: str, passages: list[ScoredChunk], guidance: Guidance | None = None
) -> list[BaseMessage]:
    """System rules plus the user message with the question, the guidance and the numbered passages."""
    user = load_prompt("answer_user").format(
        question=_defuse(question.strip()),
        guidance=(guidance or Guidance()).text(),
        passages=format_passages(passages),
    )
    return [SystemMessage(load_prompt("answer_system").strip()), HumanMessage(user.strip())]
