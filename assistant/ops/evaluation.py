"""Use case: measure retrieval on a JSONL question set (``avg-assistent eval``).

Each line: ``{"id", "query", "law", "articles": [...]}``; an empty ``articles`` list
marks an out-of-scope question that must be refused. Ranking is over distinct
(law, article) pairs of law chunks. recall@k is the share of a question's gold
articles found in the top k, averaged over in-scope questions; mrr@10 uses the
first gold article. Latency is retrieval time per question after a warm-up query.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from assistant.features.chat.answering import Answerer
from ingestion.errors import ConfigError

_T = TypeVar("_T")


@dataclass(frozen=True)
class EvalQuestion:
    """One line of an evaluation file."""

    id: str
    query: str
    law: str
    articles: tuple[str, ...]


def read_jsonl(path: Path, make: Callable[[int, dict[str, Any]], _T], what: str) -> list[_T]:
    """One ``make(line number, object)`` per non-blank line of a JSONL file; Dutch errors naming ``what``."""
    if not path.exists():
        raise ConfigError(f"Evaluatiebestand {path} bestaat niet.")
    items: list[_T] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(make(number, json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ConfigError(f"Regel {number} van {path} is geen geldige {what} ({exc}).") from exc
    return items


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read a JSONL evaluation file; Dutch errors for malformed lines."""
    return read_jsonl(
        path,
        lambda number, item: EvalQuestion(
            str(item.get("id", number)),
            item["query"],
            item.get("law", "AVG"),
            tuple(str(a) for a in item.get("articles", [])),
        ),
        "evaluatievraag",
    )


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))
    return ordered[index]


PROBLEM_LABELS = {
    "gemist": "Gemist",
    "deels": "Deels gevonden",
    "geweigerd": "Onterecht geweigerd",
    "beantwoord": "Onterecht beantwoord",
}


def problem_kind(gold: tuple[str, ...], ranked: list[str], refused: bool) -> str | None:
    """What went wrong with one question, as a key of ``PROBLEM_LABELS``; None when nothing did.

    An in-scope question that was refused counts as refused even when its articles ranked well,
    because the user saw no answer; otherwise the top 5 decide, as recall@5 does.
    """
    if not gold:
        return "beantwoord" if not refused else None
    if refused:
        return "geweigerd"
    found = set(gold) & set(ranked[:5])
    if not found:
        return "gemist"
    return "deels" if len(found) < len(set(gold)) else None


def format_problems(details: list[dict[str, Any]]) -> list[str]:
    """Dutch lines, one per question that went wrong, for ``eval --details``."""
    lines: list[str] = []
    for row in details:
        kind = row.get("problem")
        if kind is None:
            continue
        expected = f"art. {', '.join(row['gold'])}" if row["gold"] else "weigering (buiten scope)"
        found = ", ".join(row["ranked"][:5]) or "niets"
        lines.append(
            f"{PROBLEM_LABELS[kind]} [{row['id']}] verwacht {expected}; top 5: {found}\n    {row['query']}"
        )
    return lines


def evaluate(
    answerer: Answerer, questions: list[EvalQuestion], scopes: list[str], k: int = 10
) -> dict[str, Any]:
    """Run every question and return the metrics dict printed by ``eval --json``."""
    retriever = answerer.retriever
    if questions:
        retriever.retrieve(questions[0].query, scopes, k=k)  # warm-up: load models and caches
    recalls5: list[float] = []
    recalls10: list[float] = []
    reciprocal: list[float] = []
    latencies: list[float] = []
    answered = refused = 0
    details: list[dict[str, Any]] = []
    for question in questions:
        started = time.perf_counter()
        result = retriever.retrieve(question.query, scopes, k=max(k, 10))
        latencies.append((time.perf_counter() - started) * 1000)
        is_refused = answerer.policy.should_refuse(result)
        ranked = [hit.article for hit in result.articles if hit.law == question.law]
        details.append(
            {
                "id": question.id,
                "query": question.query,
                "gold": list(question.articles),
                "ranked": ranked[:10],
                "refused": is_refused,
                "problem": problem_kind(question.articles, ranked, is_refused),
            }
        )
        if not question.articles:
            refused += int(is_refused)
            continue
        answered += int(not is_refused)
        gold = set(question.articles)
        recalls5.append(len(gold & set(ranked[:5])) / len(gold))
        recalls10.append(len(gold & set(ranked[:10])) / len(gold))
        first = next((i for i, a in enumerate(ranked[:10], start=1) if a in gold), None)
        reciprocal.append(1.0 / first if first else 0.0)
    in_scope = sum(1 for q in questions if q.articles)
    return {
        "n": len(questions),
        "recall@5": round(statistics.fmean(recalls5), 4) if recalls5 else 0.0,
        "recall@10": round(statistics.fmean(recalls10), 4) if recalls10 else 0.0,
        "mrr@10": round(statistics.fmean(reciprocal), 4) if reciprocal else 0.0,
        "in_scope": {"n": in_scope, "answered": answered},
        "out_of_scope": {"n": len(questions) - in_scope, "refused": refused},
        "latency_ms": {
            "p50": round(_percentile(latencies, 0.5), 1),
            "p95": round(_percentile(latencies, 0.95), 1),
        },
        "details": details,
    }
