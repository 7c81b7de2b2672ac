"""Round 19, privacy: an uploaded statement measured against the client's register (who is responsible,
who holds the data on the client's behalf) and health data of animals (own text, no dossier text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.features.check.model import DocumentPassage
from assistant.features.privacy.completeness import check_file, identity_differs
from assistant.features.privacy.model import Activity, Controller, Recipient, Register
from assistant.features.privacy.register_special import unrecorded_special_data

_STATEMENT = """# Privacyverklaring Glazenwasserij Helder

## Wie zijn wij

{identity}
Telefoon 030 123 45 67, privacy@helder.example.

## Welke gegevens gebruiken wij en waarom

Wij gebruiken uw naam, adres en telefoonnummer om de ramen te wassen op de afgesproken dag. Dat doen wij
om de overeenkomst met u uit te voeren.

## Met wie delen wij gegevens

Wij geven uw gegevens alleen door aan uw verzekeraar als er schade is.

## Hoe lang bewaren wij gegevens

Facturen bewaren wij zeven jaar, omdat de belastingwet dat vraagt.
"""

_HERE = "Glazenwasserij Helder B.V., Stationsweg 12, 3431 AB Nieuwegein, KvK 12345678."


def _register(recipients: list[Recipient]) -> Register:
    work = Activity(
        "Glazenwassen en facturatie",
        purpose="ramen wassen en factureren",
        legal_basis="b",
        data_categories=["naam", "adres", "telefoonnummer"],
        recipients=recipients,
        retention="7 jaar",
    )
    controller = Controller(
        name="Glazenwasserij Helder B.V.", address="Stationsweg 12, 3431 AB Nieuwegein", kvk="12345678"
    )
    return Register("Glazenwasserij Helder", controller, [work])


def _check(tmp_path: Path, register: Register, identity: str = _HERE) -> dict[str, tuple[str, str]]:
    path = tmp_path / "privacyverklaring.md"
    path.write_text(_STATEMENT.format(identity=identity), encoding="utf-8")
    return {r.key: (r.status, r.note) for r in check_file(path, register).results}


def test_a_recipient_of_another_kind_does_not_name_the_processors(tmp_path: Path) -> None:
    # the insurer is a recipient; the planning software that holds every address is not named
    register = _register([Recipient("verzekeraar", kind="ontvanger"), Recipient("Roosterwijs B.V.")])
    status, note = _check(tmp_path, register)["ontvangers"]
    assert status == "zwak" and "verwerkers" in note


def test_a_statement_that_names_the_registers_processor_names_the_processors(tmp_path: Path) -> None:
    register = _register([Recipient("verzekeraar", kind="ontvanger"), Recipient("Roosterwijs")])
    path = tmp_path / "privacyverklaring.md"
    text = _STATEMENT.format(identity=_HERE).replace(
        "als er schade is.", "als er schade is. Onze planning staat bij Roosterwijs."
    )
    path.write_text(text, encoding="utf-8")
    statuses = {r.key: r.status for r in check_file(path, register).results}
    assert statuses["ontvangers"] == "aanwezig"


@pytest.mark.parametrize(
    ("identity", "status", "said"),
    [
        (_HERE, "aanwezig", ""),
        # the old partnership before the move: another KvK number
        (
            "Glazenwasserij Helder v.o.f., Dorpsstraat 3, 3401 CD IJsselstein, KvK 87654321.",
            "zwak",
            "87654321",
        ),
        # the same company with an old address only
        ("Glazenwasserij Helder B.V., Dorpsstraat 3, 3401 CD IJsselstein.", "zwak", "ander adres"),
    ],
)
def test_a_statement_naming_another_organisation_than_the_register_is_weak(
    tmp_path: Path, identity: str, status: str, said: str
) -> None:
    found, note = _check(tmp_path, _register([Recipient("Roosterwijs B.V.")]), identity)["identiteit"]
    assert found == status and said in note


def test_only_numbers_decide_whether_the_organisation_differs() -> None:
    # no KvK number or postcode in the statement: nothing to compare, nothing said
    assert identity_differs("glazenwasserij helder, privacy@helder.example", "12345678", "3431 AB") == ""
    # a second postcode (a branch) beside the register's own is no other organisation
    branch = "stationsweg 12, 3431 ab nieuwegein; filiaal 3401 cd ijsselstein"
    assert identity_differs(branch, "", "Stationsweg 12, 3431 AB Nieuwegein") == ""


def _kennel() -> Register:
    return Register(
        "Pension Blaf",
        Controller(name="Pension Blaf"),
        [
            Activity(
                "Hondenpension en ophaalservice",
                purpose="honden opvangen en ophalen",
                legal_basis="b",
                data_categories=["naam", "adres", "sleutel", "ras van de hond"],
            )
        ],
    )


def _passage(text: str) -> DocumentPassage:
    return DocumentPassage("Werkinstructie hondenpension en ophaalservice", text, "c1", -1, "")


def test_a_medical_reason_of_the_owner_on_the_card_is_health_data() -> None:
    sentence = (
        "Staat er op de kaart een medische reden, zoals een operatie waardoor de eigenaar niet kan lopen, "
        "breng de hond dan tot in de kamer."
    )
    found = unrecorded_special_data([_passage(sentence)], _kennel())
    assert [s.activity for s in found] == ["Hondenpension en ophaalservice"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Noteer de medicijnen van de hond en de allergieën van de kat op het formulier.",
        "Op het aanmeldformulier vragen wij naar medicijnen of dieet van het huisdier.",
    ],
)
def test_health_data_of_an_animal_are_no_special_data(sentence: str) -> None:
    assert unrecorded_special_data([_passage(sentence)], _kennel()) == []
