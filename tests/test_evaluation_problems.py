"""Which questions ``eval --details`` reports, and how."""

from __future__ import annotations

import pytest

from assistant.ops.evaluation import format_problems, problem_kind


@pytest.mark.parametrize(
    ("gold", "ranked", "refused", "expected"),
    [
        (("33",), ["33", "34"], False, None),
        (("33", "34"), ["33", "5", "6", "7", "8", "34"], False, "deels"),  # 34 only at rank 6
        (("33",), ["1", "2", "3", "4", "5", "33"], False, "gemist"),
        (("33",), ["33"], True, "geweigerd"),
        ((), ["6"], False, "beantwoord"),
        ((), [], True, None),
    ],
)
def test_problem_kind(gold: tuple[str, ...], ranked: list[str], refused: bool, expected: str | None) -> None:
    assert problem_kind(gold, ranked, refused) == expected


def test_format_problems_lists_only_what_went_wrong() -> None:
    details = [
        {"id": "ok", "query": "Goed", "gold": ["33"], "ranked": ["33"], "problem": None},
        {"id": "x1", "query": "Hoe maak ik soep?", "gold": [], "ranked": ["6", "7"], "problem": "beantwoord"},
    ]
    assert format_problems(details) == [
        "Onterecht beantwoord [x1] verwacht weigering (buiten scope); top 5: 6, 7\n    Hoe maak ik soep?"
    ]
