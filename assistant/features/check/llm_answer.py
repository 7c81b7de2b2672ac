"""A language model's proposed status and rationale for one question, checked against the evidence.

The model sees only the evidence found in the client's own documents (numbered, delimited
as data, like answers: :mod:`assistant.llm.answer_prompt`) and must reply::

    STATUS: voldoet deels
    TOELICHTING: ... [1] ...

The reply is trusted no further than the evidence. It is cleaned like any model output
(:func:`assistant.llm.citation_check.check_answer`) and accepted only when its status is one
of the four statuses, it cites at least one passage, and it cites *no* passage that was not
given: a rationale resting on evidence that does not exist is not a rationale. Otherwise, and
on any model error, the evidence-based proposal stands, with a notice saying why.
The cited evidence is put first, in the order of the renumbered citations, so ``[n]`` in
the rationale is the n-th evidence item.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.features.check.checklist import ChecklistQuestion
from assistant.features.check.model import LABEL_LLM, SOURCE_LLM, STATUSES, CheckAnswer, Evidence
from assistant.llm.citation_check import check_answer
from knowledge.text_analysis import fold
from prompts import load_prompt

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

logger = logging.getLogger(__name__)

NOTICE_INVALID_CITATION = (
    "Het taalmodel verwees naar bewijs dat niet bestaat; de status hieronder komt uit het gevonden bewijs."
)
NOTICE_NO_CITATION = (
    "Het taalmodel onderbouwde zijn voorstel niet met het gevonden bewijs; de status hieronder komt uit "
    "het gevonden bewijs."
)
NOTICE_BAD_STATUS = "Het taalmodel gaf geen geldige status; de status hieronder komt uit het gevonden bewijs."
NOTICE_UNREACHABLE = (
    "Het taalmodel is niet bereikbaar of reageerde niet op tijd; de status hieronder komt uit het "
    "gevonden bewijs."
)

_STATUS_LINE = re.compile(r"^\W*status\W*:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_RATIONALE = re.compile(r"^\W*toelichting\W*:\s*", re.IGNORECASE | re.MULTILINE)


class LlmAssessor:
    """Proposes a status and rationale with a chat model; falls back to the evidence-based proposal."""

    def __init__(self, model: BaseChatModel) -> None:
        self.model = model

    def assess(self, question: ChecklistQuestion, fallback: CheckAnswer) -> CheckAnswer:
        """The model's checked proposal, or ``fallback`` with a notice."""
        evidence = fallback.evidence
        if not evidence:
            return fallback
        try:
            reply = str(self.model.invoke(build_check_messages(question, evidence)).text)
        except Exception as exc:  # noqa: BLE001 - any client error means: no usable proposal
            logger.warning("Taalmodel gaf een fout: %s: %s", type(exc).__name__, exc)
            return _with_notice(fallback, NOTICE_UNREACHABLE)
        return checked_proposal(reply, fallback)


def checked_proposal(reply: str, fallback: CheckAnswer) -> CheckAnswer:
    """Accept a model reply only when its status and citations hold (see the module docstring)."""
    evidence = fallback.evidence
    status = parse_status(reply)
    if status is None:
        return _with_notice(fallback, NOTICE_BAD_STATUS)
    rationale, check = check_answer(_rationale_text(reply), len(evidence))
    if check.removed:
        return _with_notice(fallback, NOTICE_INVALID_CITATION)
    if not check.order or not rationale:
        return _with_notice(fallback, NOTICE_NO_CITATION)
    cited = [evidence[n - 1] for n in check.order]
    rest = [e for i, e in enumerate(evidence, start=1) if i not in check.order]
    return CheckAnswer(
        question_id=fallback.question_id,
        status=status,
        label=LABEL_LLM,
        rationale=rationale,
        evidence=[*cited, *rest],
        source=SOURCE_LLM,
    )


def parse_status(reply: str) -> str | None:
    """The status named on the reply's STATUS line, None when absent or not one of the four."""
    match = _STATUS_LINE.search(strip_emphasis(reply))
    if not match:
        return None
    value = " ".join(re.sub(r"[^a-z ]+", " ", fold(match.group(1))).split())
    return value if value in STATUSES else None


def strip_emphasis(text: str) -> str:
    """Markdown emphasis markers removed ("**STATUS:**" → "STATUS:")."""
    return text.replace("**", "").replace("__", "")


def _rationale_text(reply: str) -> str:
    text = strip_emphasis(reply)
    match = _RATIONALE.search(text)
    if match:
        return text[match.end() :].strip()
    return _STATUS_LINE.sub("", text).strip()


def build_check_messages(question: ChecklistQuestion, evidence: list[Evidence]) -> list[BaseMessage]:
    """System rules plus the question, its articles, what good evidence is, and the numbered passages."""
    from langchain_core.messages import HumanMessage, SystemMessage

    user = load_prompt("check_user").format(
        question_id=question.id,
        theme=question.theme,
        question=_defuse(question.question),
        articles=", ".join(question.articles),
        good_evidence=_defuse(question.good_evidence),
        passages=format_evidence(evidence),
    )
    return [SystemMessage(load_prompt("check_system").strip()), HumanMessage(user.strip())]


def format_evidence(evidence: list[Evidence]) -> str:
    """The evidence numbered 1..n between markers; marker look-alikes inside are defused."""
    blocks = []
    for number, item in enumerate(evidence, start=1):
        label = _defuse(item.citation or item.source_label())
        text = _defuse(item.passage or item.quote)
        blocks.append(f"<<<PASSAGE {number}: {label}>>>\n{text}\n<<<EINDE PASSAGE {number}>>>")
    return "\n\n".join(blocks)


def _defuse(text: str) -> str:
    return text.replace("<<<", "‹‹‹").replace(">>>", "›››")


def _with_notice(answer: CheckAnswer, notice: str) -> CheckAnswer:
    return replace(answer, notices=[*answer.notices, notice])
