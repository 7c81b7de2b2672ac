"""Questions that had nothing to judge by (DPIA-01, DPIA-03, REC-02, PBD-02); ``re:`` after plain terms.

Without requirements the judge could only say *onbekend* once a passage mentioned the subject, and
*onbekend* is no gap in the report; a consultant reading the same passage records what is missing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from check_support import checklist_before_migration

from assistant.features.check.checklist import (
    ChecklistError,
    key_terms_match,
    load_shipped_checklist,
    parse_checklist,
)
from assistant.features.check.judge import judge
from assistant.features.check.known import ClientKnowledge, known_answer
from assistant.features.check.model import (
    STATUS_COMPLIES,
    STATUS_FAILS,
    STATUS_PARTIAL,
    CheckAnswer,
    Evidence,
)
from assistant.features.privacy.model import Activity, Controller, Register

CHECKLIST = load_shipped_checklist()
TODAY = date(2026, 6, 1)
CLIENT = "Zorghuis Het Anker"


def test_a_regex_after_plain_alternatives_is_a_regex():
    entry = r"versie|re:\b(19|20)\d\d\b|datum"
    assert key_terms_match("Bijgewerkt in 2025 door de directie.", [entry])
    assert key_terms_match("Zie de datum onderaan.", [entry])  # an alternative after the regex
    assert key_terms_match("Dit is versie 3.", [entry])
    assert not key_terms_match("Bijgewerkt door de directie.", [entry])
    two = r"re:\bdirect\b|re:binnen (een|1) dag"
    assert key_terms_match("Wij verwerken het binnen 1 dag.", [two])


def test_an_invalid_regex_among_key_terms_is_refused_in_dutch():
    text = "vragen:\n  - id: X-01\n    thema: T\n    vraag: V?\n    maatregel: M\n    inspanning_dagen: 1\n"
    with pytest.raises(ChecklistError, match="geen geldige reguliere expressie"):
        parse_checklist(text + '    kernbegrippen: ["rooster|re:(open"]\n')


@pytest.mark.parametrize(
    ("question_id", "mentioned", "shown"),
    [
        (
            "DPIA-01",
            "Voor het elektronisch dossier is in 2023 een DPIA uitgevoerd.",
            "Elke nieuwe verwerking toetsen we met een voortoets aan de DPIA-criteria; de conclusie "
            "leggen we vast in het register.",
        ),
        (
            "REC-02",
            "Een verzoek om inzage sturen we door naar de directeur; die reageert zo snel mogelijk.",
            "Een verzoek om inzage beantwoorden we binnen een maand; alle verzoeken houden we bij "
            "in een logboek.",
        ),
        (
            "PBD-02",
            "Standaard vragen we naar naam en adres.",
            "Het aanmeldformulier vraagt alleen noodzakelijke gegevens; de nieuwsbrief staat standaard uit.",
        ),
    ],
)
def test_a_mention_without_what_good_evidence_needs_is_partial(question_id: str, mentioned: str, shown: str):
    question = CHECKLIST.get(question_id)
    assert judge(question, [mentioned], TODAY).status == STATUS_PARTIAL
    assert judge(question, [shown], TODAY).status == STATUS_COMPLIES


def _evidence(text: str) -> Evidence:
    return Evidence("DPIA-overzicht", 1, "DPIA-overzicht, p. 1", text, "c1", 0.9, f"klant:{CLIENT}", text)


def _register() -> Register:
    health = Activity(
        name="Cliëntdossier",
        purpose="zorg",
        special_categories=["gezondheid"],
        automated_decisions="ja: planning kiest de zorgverlener",
    )
    cameras = Activity(
        name="Cameratoezicht entree",
        purpose="veiligheid met camera's",
        special_categories=["gezondheid"],
    )
    return Register(CLIENT, Controller(name="Stichting Het Anker"), [health, cameras])


def test_dpia_duty_from_the_register_and_a_dpia_for_only_one_activity_is_partial():
    question = CHECKLIST.get("DPIA-03")
    found = _evidence("Voor het cliëntdossier is in 2024 een DPIA uitgevoerd en het rapport vastgesteld.")
    documents = CheckAnswer("DPIA-03", STATUS_COMPLIES, "", "", [found])
    answer = known_answer(question, ClientKnowledge(CLIENT, _register()), documents)
    assert answer is not None and answer.status == STATUS_PARTIAL
    assert "Cameratoezicht entree" in answer.rationale and answer.subjects == ["Cameratoezicht entree"]
    both = _evidence(
        "Voor het cliëntdossier en het cameratoezicht zijn DPIA's uitgevoerd; de rapporten zijn vastgesteld."
    )
    answer = known_answer(
        question,
        ClientKnowledge(CLIENT, _register()),
        CheckAnswer("DPIA-03", STATUS_COMPLIES, "", "", [both]),
    )
    assert answer is not None and answer.status == STATUS_COMPLIES


def test_dpia_duty_and_a_dpia_only_mentioned_is_no_longer_onbekend():
    question = CHECKLIST.get("DPIA-03")
    mentioned = _evidence("Een DPIA voor het cliëntdossier en de camera's staat op de planning.")
    documents = CheckAnswer("DPIA-03", "onbekend", "", "", [mentioned])
    answer = known_answer(question, ClientKnowledge(CLIENT, _register()), documents)
    assert answer is not None and answer.status == STATUS_PARTIAL
    silent = known_answer(
        question, ClientKnowledge(CLIENT, _register()), CheckAnswer("DPIA-03", STATUS_FAILS, "", "")
    )
    assert silent is not None and silent.status == STATUS_FAILS


def test_migration_6_gives_unedited_questions_their_requirements(tmp_path: Path):
    from assistant.features.check.checklist_store import ChecklistStore

    judged = {"DPIA-01", "DPIA-03", "REC-02", "PBD-02"}

    def without_requirements(items: list[dict[str, Any]]) -> None:
        for item in items:  # as an install of the previous release stored them
            if item["id"] in judged:
                item["requirements"] = []

    path = tmp_path / "compliancy.sqlite3"
    checklist_before_migration(path, 6, without_requirements, ("REC-02", "Eigen vraag over verzoeken"))

    store = ChecklistStore(path)
    assert [(v.version, v.author) for v in store.versions()] == [
        (1, "meegeleverd"),
        (2, "Kennisbeheerder K"),
        (3, "meegeleverd"),
    ]
    current = store.current()
    for question_id in ("DPIA-01", "DPIA-03", "PBD-02"):
        assert current.get(question_id) == CHECKLIST.get(question_id)
    assert current.get("REC-02").question == "Eigen vraag over verzoeken"
    assert current.get("REC-02").requirements == []
    assert "REC-02" in store.versions()[-1].note
    assert [v.version for v in ChecklistStore(path).versions()] == [1, 2, 3]  # again: nothing changes
