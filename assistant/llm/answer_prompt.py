"""The messages for a generated answer: rules, the question and numbered, delimited passages.

Passages are data, not instructions: each sits between ``<<<PASSAGE n: label>>>`` and
``<<<EINDE PASSAGE n>>>``, and marker look-alikes inside a passage or the question are
defused, so retrieved text cannot close its own block and pose as the prompt.
"""

from __future__ import annotations

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from assistant.llm.injection import defuse as _defuse
from knowledge.retrieval import ScoredChunk
from prompts import load_prompt

NO_ANSWER_SENTENCE = "De gevonden passages beantwoorden deze vraag niet."


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


def build_messages(question: str, passages: list[ScoredChunk]) -> list[BaseMessage]:
    """System rules plus the user message with the question and the numbered passages."""
    user = load_prompt("answer_user").format(
        question=_defuse(question.strip()), passages=format_passages(passages)
    )
    return [SystemMessage(load_prompt("answer_system").strip()), HumanMessage(user.strip())]
