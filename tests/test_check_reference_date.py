"""A dated answer key: the check compares a periodic activity's last record with the key's date, not today."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.features.check.checklist import load_shipped_checklist
from assistant.features.check.model import STATUS_COMPLIES, STATUS_PARTIAL, Evidence
from assistant.features.check.service import evidence_proposal
from assistant.ops.check_evaluation import reference_date
from ingestion.errors import ConfigError

CHECKLIST = load_shipped_checklist()
RESTORE = (
    "Elke nacht maken wij een back-up, die versleuteld op een tweede locatie buiten het kantoor staat. "
    "De laatste hersteltest was in maart 2024; het verslag daarvan staat in het logboek."
)


def _evidence(text: str) -> Evidence:
    return Evidence(
        "Informatiebeveiliging", 1, "Informatiebeveiliging, p. 1", text, "c1", 0.9, "klant:x", text
    )


def test_the_same_record_is_recent_in_2025_and_stale_in_2028():
    question = CHECKLIST.get("BEV-04")
    assert question.periodic
    then = evidence_proposal(question, [_evidence(RESTORE)], today=date(2025, 6, 1))
    later = evidence_proposal(question, [_evidence(RESTORE)], today=date(2028, 6, 1))
    assert then.status == STATUS_COMPLIES, then.rationale
    assert later.status == STATUS_PARTIAL and "2024" in later.rationale


@pytest.mark.parametrize(
    ("value", "expected"),
    [(date(2026, 11, 20), date(2026, 11, 20)), ("2026-11-20", date(2026, 11, 20)), (None, None), ("", None)],
)
def test_peildatum_of_an_answer_key(value: object, expected: date | None):
    assert reference_date({"klant": "X", "peildatum": value}, Path("dossier")) == expected


def test_a_bad_peildatum_is_a_dutch_error():
    with pytest.raises(ConfigError, match="'peildatum' moet een datum zijn"):
        reference_date({"klant": "X", "peildatum": "vorige week"}, Path("dossier"))
