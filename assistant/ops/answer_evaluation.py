"""Use case: measure whole answers on a JSONL answer key (``avg-assistent eval --answers``).

Each line is a question in the format of ``../shared/eval/answers-dev.jsonl``: ``query``,
``refuse``, ``category`` (in / out / adjacent), ``lead`` (acceptable first-named articles),
``paragraphs`` (answer-bearing provisions: "33(1)", "9(2)(h)") and ``key_facts`` (groups of
alternatives; a correct answer contains one alternative of every group). The answer path is the
one users get (:meth:`Answerer.answer` or the generative answerer), timed per question after a
warm-up. Measured, over the questions that must be answered:

* ``key_facts_all``: share whose answer text holds every group (case-insensitive, whitespace
  collapsed), and ``key_facts_mean``: mean share of groups held;
* ``lead_correct``: share whose first article named in the answer text is one of ``lead``
  (only questions with a ``lead``);
* ``provision_cited``: share with an answer-bearing provision among the citations (a lid
  matches its points; a point must match exactly);
* ``answered`` and, over the questions that must be refused, ``refused``; p50/p95 time.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.features.cards.model import CardError, Provision
from assistant.features.chat.answering import Answer, Citation
from assistant.ops.evaluation import _percentile, read_jsonl

_ARTICLE = re.compile(r"\bart(?:ikel|\.)\s*(\d{1,3})(?![\d.:]\d)\b", re.IGNORECASE)
_OTHER_LAW = re.compile(r"\b(UAVG|Uitvoeringswet|Tw|Telecommunicatiewet|AWR|BW|Burgerlijk|Awb|WGBO|WOR)\b")


@dataclass(frozen=True)
class AnswerQuestion:
    """One line of an answer key."""

    id: str
    query: str
    refuse: bool
    category: str
    lead: tuple[str, ...]
    paragraphs: tuple[str, ...]
    key_facts: tuple[tuple[str, ...], ...]


def load_answer_key(path: Path) -> list[AnswerQuestion]:
    """Read an answer key; Dutch errors for malformed lines."""
    return read_jsonl(path, _answer_question, "antwoordvraag")


def _answer_question(number: int, item: dict[str, Any]) -> AnswerQuestion:
    return AnswerQuestion(
        id=str(item.get("id", number)),
        query=str(item["query"]),
        refuse=bool(item.get("refuse", False)),
        category=str(item.get("category", "out" if item.get("refuse") else "in")),
        lead=tuple(str(a) for a in item.get("lead", [])),
        paragraphs=tuple(str(p) for p in item.get("paragraphs", [])),
        key_facts=tuple(tuple(str(a) for a in group) for group in item.get("key_facts", [])),
    )


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def facts_held(text: str, groups: tuple[tuple[str, ...], ...]) -> list[bool]:
    """Per key-fact group: whether the text holds one of its alternatives."""
    body = _normal(text)
    return [any(_normal(alternative) in body for alternative in group) for group in groups]


def first_article(text: str) -> str:
    """The first AVG article the answer text names ("art. 33 lid 1 AVG" → "33"), "" when none.

    Articles of other laws ("art. 11.7 Tw", "art. 7:454 BW", "art. 46 UAVG") are skipped.
    """
    for match in _ARTICLE.finditer(text):
        rest = re.split(r"[();]|\bart\.", text[match.end() : match.end() + 60])[0]
        if not _OTHER_LAW.search(rest):
            return match.group(1)
    return ""


def provision_cited(citations: list[Citation], provisions: tuple[str, ...]) -> bool:
    """Whether a citation is one of the provisions ("33(1)" matches every point of lid 1)."""
    for text in provisions:
        try:
            p = Provision.parse(text)
        except CardError:
            continue
        for c in citations:
            if c.article != p.article:
                continue
            if p.paragraph and c.paragraph != p.paragraph:
                continue
            if p.point and c.point.lower() != p.point.lower():
                continue
            return True
    return False


def _provision(c: Citation) -> str:
    """A citation in the answer key's notation: "33(1)", "9(2)(h)", or the document's name."""
    if not c.article:
        return c.document
    return c.article + (f"({c.paragraph})" if c.paragraph else "") + (f"({c.point})" if c.point else "")


def evaluate_answers(
    answer: Callable[[str], Answer], questions: list[AnswerQuestion], warmup: bool = True
) -> dict[str, Any]:
    """Answer every question and measure the answers (see the module docstring)."""
    if warmup and questions:
        answer(questions[0].query)
    rows: list[dict[str, Any]] = []
    times: list[float] = []
    for q in questions:
        start = time.perf_counter()
        result = answer(q.query)
        times.append((time.perf_counter() - start) * 1000)
        held = facts_held(result.text, q.key_facts) if not result.refused else [False] * len(q.key_facts)
        rows.append(
            {
                "id": q.id,
                "query": q.query,
                "category": q.category,
                "refuse": q.refuse,
                "refused": result.refused,
                "facts": held,
                "missing_facts": [list(g) for g, ok in zip(q.key_facts, held, strict=True) if not ok],
                "lead": list(q.lead),
                "lead_given": first_article(result.text) if not result.refused else "",
                "paragraphs": list(q.paragraphs),
                "cited": [_provision(c) for c in result.citations],
                "provision_cited": provision_cited(result.citations, q.paragraphs),
                "answer": result.text,
            }
        )
    return _metrics(rows, times)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def _metrics(rows: list[dict[str, Any]], times: list[float]) -> dict[str, Any]:
    answerable = [r for r in rows if not r["refuse"]]
    refusable = [r for r in rows if r["refuse"]]
    with_facts = [r for r in answerable if r["facts"]]
    with_lead = [r for r in answerable if r["lead"]]
    with_provisions = [r for r in answerable if r["paragraphs"]]
    return {
        "n": len(rows),
        "in_scope": {"n": len(answerable), "answered": sum(not r["refused"] for r in answerable)},
        "out_of_scope": {"n": len(refusable), "refused": sum(r["refused"] for r in refusable)},
        "key_facts_all": _share(sum(all(r["facts"]) for r in with_facts), len(with_facts)),
        "key_facts_mean": round(
            sum(sum(r["facts"]) / len(r["facts"]) for r in with_facts) / len(with_facts), 3
        )
        if with_facts
        else 0.0,
        "lead_correct": _share(sum(r["lead_given"] in r["lead"] for r in with_lead), len(with_lead)),
        "provision_cited": _share(sum(r["provision_cited"] for r in with_provisions), len(with_provisions)),
        "latency_ms": {"p50": round(_percentile(times, 0.5), 1), "p95": round(_percentile(times, 0.95), 1)},
        "details": rows,
    }


def answer_problems(rows: list[dict[str, Any]]) -> list[str]:
    """One Dutch block per question that went wrong, with what was expected and what was given."""
    lines: list[str] = []
    for r in rows:
        problems = []
        if r["refuse"] and not r["refused"]:
            problems.append("onterecht beantwoord")
        if not r["refuse"] and r["refused"]:
            problems.append("onterecht geweigerd")
        if not r["refuse"] and not r["refused"]:
            if r["missing_facts"]:
                problems.append("mist: " + "; ".join(" / ".join(g) for g in r["missing_facts"]))
            if r["lead"] and r["lead_given"] not in r["lead"]:
                problems.append(f"eerste artikel {r['lead_given'] or '-'}, verwacht {'/'.join(r['lead'])}")
            if r["paragraphs"] and not r["provision_cited"]:
                problems.append(
                    f"geciteerd {', '.join(r['cited']) or '-'}, verwacht {', '.join(r['paragraphs'])}"
                )
        if problems:
            lines.append(f"- {r['id']} ({r['category']}): {r['query']}\n    " + "\n    ".join(problems))
    return lines
