"""Round 19, Compliancy Check, from the dossiers of Z (measured blind last round, read now):

* a subprocessor list laid out in columns places a subprocessor outside the EEA (the text extraction loses
  the columns; the company's name and the country stay in one sentence);
* the client's own words that a retention term was never agreed or a laptop has no encryption;
* CAM-01: a camera policy without a balancing test is incomplete (migration 19), the test in other words
  ("ons belang weegt zwaarder dan de inbreuk") counts; footage kept longer than four weeks.

The sentences are our own, in the shapes the writers used, not theirs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from check_support import checklist_before_migration

from assistant.features.check.checklist import load_shipped_checklist
from assistant.features.check.crosscheck import camera_retention_findings, described_transfer_findings
from assistant.features.check.judge import judge, limitations
from assistant.features.check.model import STATUS_COMPLIES, STATUS_FAILS, STATUS_PARTIAL, DocumentPassage
from assistant.features.privacy.model import Activity, Controller, Recipient, Register

_ANNEX = (
    "BIJLAGE 3 — SUBVERWERKERS Naam Land Taak Hetzner Online GmbH Duitsland hosting Stemlab Inc. Canada "
    "transcriptie van {what} Voor Stemlab Inc. {safeguard}"
)


def _register() -> Register:
    lessons = Activity(
        "Online lessen",
        purpose="lessen en oefeningen aanbieden",
        legal_basis="b",
        recipients=[Recipient("Leerplek B.V.")],
    )
    return Register("Muziekschool Toon", Controller(name="Muziekschool Toon"), [lessons])


def _passages(text: str) -> list[DocumentPassage]:
    return [DocumentPassage("Verwerkersovereenkomst Leerplek", text, "c1", -1, "Verwerkersovereenkomst")]


def test_a_subprocessor_in_a_column_list_outside_the_eea_is_a_transfer_the_register_lacks() -> None:
    text = _ANNEX.format(what="opnamen", safeguard="gelden geen aanvullende afspraken.")
    findings = described_transfer_findings(_passages(text), _register())
    assert findings["DGF-01"].status == STATUS_PARTIAL and "Stemlab Inc." in findings["DGF-01"].reason
    assert findings["DGF-02"].status == STATUS_FAILS


def test_a_safeguard_after_the_subprocessors_row_leaves_the_safeguard_question_open() -> None:
    text = _ANNEX.format(what="opnamen", safeguard="gelden de standaardcontractbepalingen (module 3).")
    findings = described_transfer_findings(_passages(text), _register())
    assert findings["DGF-01"].status == STATUS_PARTIAL and "DGF-02" not in findings


@pytest.mark.parametrize(
    "text",
    [
        # the country of the subprocessor is in the EEA
        "BIJLAGE 3 — SUBVERWERKERS Naam Land Taak Stemlab B.V. Nederland transcriptie van opnamen.",
        # no list of subprocessors: a country beside a company's name is no place of processing
        "Stemlab Inc. uit Canada verkocht ons de software; de gegevens staan bij Leerplek in Nederland.",
    ],
)
def test_no_subprocessor_outside_the_eea_where_the_list_has_none(text: str) -> None:
    assert "DGF-01" not in described_transfer_findings(_passages(text), _register())


CHECKLIST = load_shipped_checklist()


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        ("BWT-01", "Oud-leden bewaren we in de ledenlijst; een einddatum is daar niet voor bepaald."),
        ("BWT-01", "Hoe lang we de opnamen van lessen bewaren: daar is nooit een termijn voor afgesproken."),
        ("BEV-03", "De laptop van de balie is een oud exemplaar zonder BitLocker."),
    ],
)
def test_the_clients_own_words_of_round_19_limit_the_measure(question_id: str, sentence: str) -> None:
    found = limitations(CHECKLIST.get(question_id), [sentence], CHECKLIST.questions)
    assert found and sentence.endswith(found[0][-20:])


_CAMERAS = (
    "Camerareglement. De camera's bij de ingang en de kassa dienen ter beveiliging van bezoekers en "
    "medewerkers. De beelden worden na vier weken overschreven. Alleen de bedrijfsleider mag de beelden "
    "bekijken, na een incident. Bij de ingang hangt een bord met een camerasymbool.{extra}"
)


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        ("", STATUS_PARTIAL),  # purpose, term, access and signs, but no balancing test
        (
            " In de belangenafweging hebben wij de inbreuk op de privacy afgezet tegen diefstal en geweld.",
            STATUS_COMPLIES,
        ),
        # the balancing test in other words, under a heading the passage does not carry
        (" Wij vinden dat ons belang bij veiligheid daarmee zwaarder weegt dan de inbreuk.", STATUS_COMPLIES),
        (" De inbreuk op de privacy van bezoekers staat zo in verhouding tot het doel.", STATUS_COMPLIES),
        (" Wij wegen elke maand af welke camera's wij vervangen.", STATUS_PARTIAL),  # no interests weighed
    ],
)
def test_a_camera_policy_without_a_balancing_test_is_incomplete(extra: str, status: str) -> None:
    verdict = judge(CHECKLIST.get("CAM-01"), [_CAMERAS.format(extra=extra)])
    assert verdict.status == status
    assert ("belangenafweging" in verdict.missing) is (status == STATUS_PARTIAL)


def test_migration_19_makes_the_balancing_test_essential_in_unedited_questions(tmp_path: Path) -> None:
    from assistant.features.check.checklist_store import ChecklistStore

    def as_previous_release(items: list[dict[str, Any]]) -> None:
        for item in items:  # release 18 counted the balancing test as one requirement among five
            if item["id"] == "CAM-01":
                for requirement in item["requirements"]:
                    requirement["essential"] = False

    path = tmp_path / "compliancy.sqlite3"
    checklist_before_migration(path, 19, as_previous_release, ("GOV-01", "Eigen vraag over beleid"))
    store = ChecklistStore(path)
    assert "ronde 19" in store.versions()[-1].note
    assert store.current().get("CAM-01") == CHECKLIST.get("CAM-01")
    assert store.current().get("GOV-01").question == "Eigen vraag over beleid"


def _minutes(text: str) -> list[DocumentPassage]:
    return [DocumentPassage("Notulen teamoverleg", text, "c1", -1, "Notulen teamoverleg")]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        (
            "Camera's: de recorder overschrijft de oudste beelden pas als de schijf vol is, na zestig dagen.",
            True,
        ),
        ("Over de camera's: de beelden blijven drie maanden op de recorder staan.", True),
        ("Over de camera's: de recorder overschrijft de beelden na 28 dagen.", False),
        # footage of an incident may be kept until it is dealt with
        (
            "Camerabeelden van een incident bewaren wij maximaal een jaar, tot de aangifte is afgehandeld.",
            False,
        ),
        # no camera in the passage: other images
        ("De beelden van de open dag staan een jaar op de website.", False),
        # recorded calls beside the cameras are no camera footage
        ("Camera's hangen bij de ingang. Opnamen van telefoongesprekken bewaren wij drie maanden.", False),
    ],
)
def test_camera_footage_kept_longer_than_four_weeks_is_a_weakness(text: str, flagged: bool) -> None:
    findings = camera_retention_findings(_minutes(text))
    assert ("CAM-01" in findings) is flagged
    if flagged:
        assert findings["CAM-01"].status == STATUS_PARTIAL and "vier weken" in findings["CAM-01"].reason
