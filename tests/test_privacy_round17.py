"""Round 17, completeness of an uploaded statement: one that tells its readers it relies on their consent owes
them how to withdraw it, whatever the register records (own text, no dossier text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.features.privacy.completeness import check_file
from assistant.features.privacy.model import Activity, Controller, Register


def _register_without_consent() -> Register:
    return Register(
        client="Dagbesteding De Hoeve",
        controller=Controller(name="Stichting De Hoeve"),
        activities=[Activity("Zorgplan", purpose="begeleiding plannen", legal_basis="b")],
    )


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        # consent named as the basis, no word on withdrawing it: the element applies and is missing
        ("Foto's van deelnemers plaatsen wij alleen met toestemming van de deelnemer.", "ontbreekt"),
        ("Op basis van uw toestemming sturen wij u de nieuwsbrief.", "ontbreekt"),
        # consent named only to say nothing happens without it: the register decides (no consent)
        ("Zonder uw toestemming geven wij niets door aan anderen.", "niet van toepassing"),
    ],
)
def test_an_uploaded_statement_that_relies_on_consent_owes_its_withdrawal(
    tmp_path: Path, sentence: str, status: str
) -> None:
    statement = tmp_path / "privacyverklaring.md"
    statement.write_text(f"# Privacyverklaring\n\n## Wat wij doen\n\n{sentence}\n", encoding="utf-8")
    report = check_file(statement, _register_without_consent())
    assert report.result("toestemming_intrekken").status == status
