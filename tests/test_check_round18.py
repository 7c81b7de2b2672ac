"""Round 18, Compliancy Check, from the dossiers of T and U (measured blind last round, read now):

* processing the documents place in a country outside the EEA that the register records no transfer to,
  also by a city and also where the client reasons it away ("volgens ons geen doorgifte");
* the client's own words that a measure is not carried out: "nooit uit gehaald", "geen enkel dossier
  verwijderd", "weer uitgezet", "zetten we niet in het register";
* LEK-01: the 72 hours counted from the moment all facts are known (migration 18).

The sentences are our own, in the shapes the writers used, not theirs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from check_support import checklist_before_migration

from assistant.features.check.checklist import load_shipped_checklist
from assistant.features.check.crosscheck import described_transfer_findings
from assistant.features.check.judge import limitations, red_flags
from assistant.features.check.model import STATUS_FAILS, STATUS_PARTIAL, DocumentPassage
from assistant.features.privacy.model import Activity, Controller, Recipient, Register, Transfer

_REMOTE = (
    "Twee van onze notulisten werken vanuit Manilla; omdat zij alleen inloggen op onze eigen server in "
    "Zwolle, is dat volgens ons geen doorgifte."
)


def _register(*transfers: Transfer) -> Register:
    minutes = Activity(
        "Notulen en verslagen",
        purpose="verslagen van cliëntgesprekken maken",
        legal_basis="b",
        recipients=[Recipient("Verslagwerk B.V.")],
        transfers=list(transfers),
    )
    return Register("Bureau Vechtdal", Controller(name="Bureau Vechtdal"), [minutes])


def _passages(text: str) -> list[DocumentPassage]:
    return [DocumentPassage("Werkinstructie verslaglegging", text, "c1", -1, "Werkinstructie verslaglegging")]


@pytest.mark.parametrize(
    "recorded",
    [
        (),  # the register records no transfer at all
        (Transfer("Verenigde Staten", "Mailbode Inc.", "EU-VS Data Privacy Framework"),),  # only another one
    ],
)
def test_remote_work_from_a_city_outside_the_eea_is_a_transfer_the_register_lacks(
    recorded: tuple[Transfer, ...],
) -> None:
    findings = described_transfer_findings(_passages(_REMOTE), _register(*recorded))
    assert findings["DGF-01"].status == STATUS_PARTIAL and "Manilla" in findings["DGF-01"].reason
    assert findings["DGF-02"].status == STATUS_FAILS


def test_a_transfer_the_register_records_for_that_country_leaves_nothing_over() -> None:
    recorded = Transfer("Filipijnen", "Verslagwerk B.V.", "standaardcontractbepalingen")
    assert described_transfer_findings(_passages(_REMOTE), _register(recorded)) == {}


@pytest.mark.parametrize(
    "sentence",
    [
        # a US provider while the register records the US transfer: the known answers judge it
        "De techniek komt van een Amerikaans bedrijf met servers in de Verenigde Staten.",
        # a denial without anyone reaching the data from there
        "Onze leverancier heeft een kantoor in Kaapstad, maar gegevens worden niet buiten de EER verwerkt.",
        # a city that is no place of processing
        "Een van onze cliënten verhuist volgende maand naar Toronto.",
    ],
)
def test_no_described_transfer_where_the_register_has_it_or_nothing_goes_there(sentence: str) -> None:
    recorded = Transfer("Verenigde Staten", "Mailbode Inc.", "EU-VS Data Privacy Framework")
    assert described_transfer_findings(_passages(sentence), _register(recorded)) == {}


CHECKLIST = load_shipped_checklist()


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        (
            "BWT-02",
            "Ondanks de bewaartermijn zijn de oude aanmeldingen er sinds 2021 nooit uit gehaald.",
        ),
        ("BWT-02", "Sinds de verhuizing van het archief is er geen enkel afgesloten dossier vernietigd."),
        ("BEV-03", "De tweefactorauthenticatie van het planningssysteem hebben we vorig jaar weer uitgezet."),
        (
            "LEK-02",
            "Kleine incidenten, zoals een verkeerd gestuurde mail, zetten we niet in het datalekregister.",
        ),
    ],
)
def test_the_clients_own_words_of_round_18_limit_the_measure(question_id: str, sentence: str) -> None:
    found = limitations(CHECKLIST.get(question_id), [sentence], CHECKLIST.questions)
    assert found and sentence.startswith(found[0])


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        (
            "BWT-02",
            "Verlopen dossiers worden elk jaar in januari verwijderd; er is nog nooit een klacht geweest.",
        ),
        ("BEV-03", "De tweefactorauthenticatie staat voor alle accounts aan en is nooit uitgezet geweest."),
    ],
)
def test_a_measure_in_place_is_no_limitation_of_round_18(question_id: str, sentence: str) -> None:
    assert limitations(CHECKLIST.get(question_id), [sentence], CHECKLIST.questions) == []


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("De privacyofficer meldt het lek bij de AP uiterlijk 72 uur nadat alle feiten bekend zijn.", True),
        ("Wij melden een lek binnen 72 uur vanaf het moment dat het lek is bevestigd.", True),
        ("Wij melden een lek binnen 72 uur na ontdekking, ook als nog niet alle feiten bekend zijn.", False),
    ],
)
def test_the_72_hours_run_from_the_discovery_not_from_all_facts(sentence: str, flagged: bool) -> None:
    assert bool(red_flags(CHECKLIST.get("LEK-01"), [sentence])) is flagged


def test_migration_18_brings_the_term_misconception_into_unedited_questions(tmp_path: Path) -> None:
    from assistant.features.check.checklist_store import ChecklistStore

    def as_previous_release(items: list[dict[str, Any]]) -> None:
        for item in items:  # release 17 counted only from the end of an investigation
            if item["id"] == "LEK-01":
                item["red_flags"][0] = item["red_flags"][0].replace(
                    "|alle feiten|vaststaat|vast staat|bevestigd", ""
                )

    path = tmp_path / "compliancy.sqlite3"
    checklist_before_migration(path, 18, as_previous_release, ("GOV-01", "Eigen vraag over beleid"))
    store = ChecklistStore(path)
    assert "ronde 18" in store.versions()[-1].note
    assert store.current().get("LEK-01") == CHECKLIST.get("LEK-01")
    assert store.current().get("GOV-01").question == "Eigen vraag over beleid"
