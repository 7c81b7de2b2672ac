"""Round 17, from the dossiers of V and W (read; T and U were measured blind):

* data put where a whole group reaches them limit access control (BEV-02);
* known misconceptions: unreported breaches need no record (LEK-02), a processor may use the data for its
  own purposes (VWK-02), a policy or breach procedure still built on the Wbp (GOV-01, LEK-01);
* the client's own words: a clean-up rule that "staat sinds … uit" (BWT-02), a confidentiality agreement a
  group is "niet laten tekenen" or that was "nooit iets … op papier" (BWS-02);
* "een kopie maken wij niet" (the thing first) is what REC-03 asks, not a limitation;
* informing the people by name ("Klanten informeren") is LEK-03's subject;
* the migration that brings these into a knowledge manager's unedited questions.

The sentences are our own, in the shapes the writers used, not theirs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from check_support import checklist_before_migration

from assistant.features.check.checklist import key_terms_match, load_shipped_checklist
from assistant.features.check.judge import limitations, red_flags

CHECKLIST = load_shipped_checklist()
QUESTIONS = CHECKLIST.questions


def _flags(question_id: str, sentence: str) -> list[str]:
    return red_flags(CHECKLIST.get(question_id), [sentence])


def _limits(question_id: str, sentence: str) -> list[str]:
    return limitations(CHECKLIST.get(question_id), [sentence], QUESTIONS)


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        (
            "BEV-02",
            "De intakeverslagen staan in de map Cliënten op de netwerkschijf, zodat alle begeleiders van de "
            "drie locaties erbij kunnen.",
        ),
        (
            "BEV-02",
            "De coördinator plaatst het verslag in de groepsapp, waarin alle vrijwilligers van de vereniging "
            "zitten.",
        ),
        (
            "LEK-02",
            "Een incident dat we niet aan de toezichthouder melden, hoeft de privacyofficer nergens te "
            "registreren.",
        ),
        (
            "VWK-02",
            "Verwerker is gerechtigd de klantgegevens te gebruiken voor eigen doeleinden, zoals "
            "productontwikkeling.",
        ),
        ("VWK-02", "De leverancier mag de bestanden ook voor eigen commerciële doeleinden gebruiken."),
        # a policy or breach procedure still built on the Wbp, which the AVG replaced in 2018
        ("GOV-01", "Dit privacyreglement is vastgesteld op grond van de Wet bescherming persoonsgegevens."),
        ("LEK-01", "Wij melden een datalek binnen 72 uur, zoals de Wbp voorschrijft."),
    ],
)
def test_known_weaknesses_of_round_17(question_id: str, sentence: str) -> None:
    flags = _flags(question_id, sentence)
    assert flags and sentence.startswith(flags[0])


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        # access limited to a role, or a group that may see only its own
        ("BEV-02", "Het dossier staat in een map waar alleen de zorgcoördinator en de directeur bij kunnen."),
        ("BEV-02", "Alle medewerkers hebben een eigen account met rechten die bij hun functie horen."),
        # every breach recorded; the processor's own purposes excluded
        ("LEK-02", "Ook incidenten die we niet hoeven te melden, leggen we vast in het datalekregister."),
        ("VWK-02", "Verwerker gebruikt de persoonsgegevens niet voor eigen doeleinden."),
        ("VWK-02", "De leverancier mag de gegevens nooit voor eigen doeleinden gebruiken."),
        # the Wbp named as the law the AVG replaced
        ("GOV-01", "Sinds mei 2018 geldt de AVG; die verving de Wet bescherming persoonsgegevens."),
        ("LEK-01", "De meldplicht uit de oude Wbp is sinds 2018 opgevolgd door art. 33 AVG."),
    ],
)
def test_what_is_no_weakness_of_round_17(question_id: str, sentence: str) -> None:
    assert _flags(question_id, sentence) == []


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        (
            "BWT-02",
            "De automatische opschoonregel in het ledensysteem staat sinds de overstap in 2023 uit, omdat de "
            "trainers hun oude groepen wilden houden.",
        ),
        (
            "BWS-02",
            "Een geheimhoudingsverklaring laten we de stagiairs niet tekenen; dat vinden we niet nodig.",
        ),
        (
            "BWS-02",
            "Met de ingehuurde medewerkers hebben we nooit iets over geheimhouding op papier gezet.",
        ),
    ],
)
def test_the_clients_own_words_of_round_17_limit_the_measure(question_id: str, sentence: str) -> None:
    found = _limits(question_id, sentence)
    assert found and sentence.startswith(found[0])


def test_a_rule_switched_on_since_is_no_limitation() -> None:
    assert _limits("BWT-02", "De opschoonregel staat sinds januari aan en draait elke maand.") == []


def test_migration_17_brings_the_weaknesses_into_unedited_questions(tmp_path: Path) -> None:
    from assistant.features.check.checklist_store import ChecklistStore

    def as_previous_release(items: list[dict[str, Any]]) -> None:
        for item in items:  # release 16 did not know them
            if item["id"] in ("BEV-02", "LEK-02", "VWK-02"):
                item["red_flags"] = item["red_flags"][:-1]

    path = tmp_path / "compliancy.sqlite3"
    checklist_before_migration(path, 17, as_previous_release, ("VWK-02", "Eigen vraag over verwerkers"))
    store = ChecklistStore(path)
    assert "ronde 17" in store.versions()[-1].note
    assert store.current().get("BEV-02") == CHECKLIST.get("BEV-02")
    assert store.current().get("LEK-02") == CHECKLIST.get("LEK-02")
    assert store.current().get("VWK-02").question == "Eigen vraag over verwerkers"


@pytest.mark.parametrize(
    "sentence",
    [
        "De klant laat aan de balie een rijbewijs zien; een kopie maken wij niet.",
        "Een kopie van een paspoort of identiteitskaart vragen wij niet.",
    ],
)
def test_a_copy_not_made_with_the_thing_first_is_what_rec_03_asks(sentence: str) -> None:
    assert _limits("REC-03", sentence) == []


def test_not_knowing_is_still_a_limitation_with_the_thing_first() -> None:
    sentence = "Of de kopie van het identiteitsbewijs na afloop wordt vernietigd, weten wij niet."
    assert _limits("REC-03", sentence) == [sentence]


def test_informing_the_people_by_name_is_lek_03_s_subject() -> None:
    question = CHECKLIST.get("LEK-03")
    named = "Datalek > Leden informeren: bij een hoog risico bellen wij de betrokken leden zelf op."
    assert key_terms_match(named, question.key_terms)
    assert not key_terms_match("Datalek > De AP informeren binnen 72 uur.", question.key_terms)
