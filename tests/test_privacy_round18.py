"""Round 18, privacy: a legal-basis subsection beside the purposes of its section, a sentence that only limits
the data, and the places a register writes (own text, no dossier text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.features.check.model import DocumentPassage
from assistant.features.privacy.completeness import check_file, check_text
from assistant.features.privacy.countries import in_eea, places_in
from assistant.features.privacy.model import Activity, Controller, Recipient, Register, validate
from assistant.features.privacy.other_sources import find_other_sources, third_party
from assistant.features.privacy.register_binding import bind_activity, compound_head
from assistant.features.privacy.register_conflicts import FIELD_UNRECORDED, find_conflicts

_EVENT = """# Privacyverklaring Zomerfeest Oosterhout

## 1. Wie wij zijn

Stichting Zomerfeest Oosterhout, Dorpsstraat 4, 4901 AB Oosterhout, info@zomerfeest.example.

## 2. Foto's tijdens het feest

### 2.1 Doel

Tijdens het feest maken wij foto's voor:

- een verslag van het feest;
- berichten op onze website.

### 2.2 {basis_heading}

{basis_text}

## 3. Vragen

Wij verwerken uitsluitend persoonsgegevens die noodzakelijk zijn voor de organisatie van het feest.
"""


@pytest.mark.parametrize(
    ("basis_heading", "basis_text", "status"),
    [
        # the subsection beside the purposes names their basis: every purpose has one
        (
            "Rechtsgrond",
            "Wij doen dit op basis van ons gerechtvaardigd belang: het feest bekendmaken.",
            "aanwezig",
        ),
        # a subsection with another subject names no basis: the purposes stay without one
        ("Bewaren", "Wij bewaren de foto's twee jaar.", "zwak"),
    ],
)
def test_a_legal_basis_subsection_covers_the_purposes_of_its_section(
    tmp_path: Path, basis_heading: str, basis_text: str, status: str
) -> None:
    text = _EVENT.format(basis_heading=basis_heading, basis_text=basis_text)
    statement = tmp_path / "privacyverklaring.md"
    statement.write_text(text, encoding="utf-8")
    # the same answer for an uploaded file (heading paths) and a Markdown text (heading levels)
    for report in (check_file(statement), check_text(text)):
        assert report.result("doelen").status == status, report.result("doelen").note


def test_the_title_is_no_section_a_basis_heading_under_it_covers_nothing() -> None:
    text = (
        "# Privacyverklaring\n\n## Doelen\n\nWij gebruiken uw gegevens om:\n\n- u de nieuwsbrief te sturen;\n"
        "- uw bestelling te bezorgen.\n\n## Rechtsgrond\n\nWij verwerken gegevens op basis van de wet.\n"
    )
    report = check_text(text)
    assert report.result("doelen").status == "zwak"


def test_a_sentence_that_limits_the_data_names_no_purpose() -> None:
    text = (
        "# Privacyverklaring\n\n## Onze werkwijze\n\nWij verwerken alleen de persoonsgegevens die nodig zijn "
        "voor het feest.\n\n## Doelen\n\nWij gebruiken uw e-mailadres om u te informeren, op basis van uw "
        "toestemming.\n"
    )
    assert check_text(text).result("doelen").status == "aanwezig"


@pytest.mark.parametrize(
    ("written", "inside"),
    [
        ("Nederland / EU", True),
        ("Duitsland (EU-regio Frankfurt)", True),
        ("Ierland", True),
        ("Verenigde Staten / EU", False),
        ("Zuid-Afrika", False),
        ("onbekend", False),
    ],
)
def test_a_place_written_with_the_eu_beside_an_eea_country_is_inside_the_eea(
    written: str, inside: bool
) -> None:
    assert in_eea(written) is inside


def test_a_city_places_the_data_in_its_country() -> None:
    assert places_in("Het typewerk doet een team in Kaapstad.") == {"zuid-afrika"}
    assert places_in("De helpdesk zit in Manilla en Mumbai.") == {"filipijnen", "india"}
    assert places_in("Onze kantoren staan in Zwolle en Kampen.") == set()


def _register(country: str) -> Register:
    activity = Activity(
        "Nieuwsbrief",
        purpose="nieuws sturen",
        legal_basis="a",
        recipients=[Recipient("Mailbode B.V.", "verwerker", country)],
    )
    return Register("Zomerfeest", Controller(name="Stichting Zomerfeest", email="a@b.example"), [activity])


def test_the_register_warns_of_an_unknown_country_as_unknown_and_not_of_an_eu_place() -> None:
    eu = [p.message for p in validate(_register("Nederland / EU")) if "Mailbode" in p.message]
    assert eu == []
    unknown = [p.message for p in validate(_register("onbekend")) if "Mailbode" in p.message]
    assert any("het land onbekend" in m for m in unknown)
    assert not any("zit in onbekend" in m for m in unknown)
    outside = [p.message for p in validate(_register("Verenigde Staten")) if "Mailbode" in p.message]
    assert any("buiten de EER, maar er is geen doorgifte vastgelegd" in m for m in outside)


# --- the register against the documents: recipients and sources the documents show ---------------------


def _rental() -> Register:
    return Register(
        client="Fietsverhuur De Spaak",
        controller=Controller(name="Fietsverhuur De Spaak B.V."),
        activities=[
            Activity(
                "Parkeerboetes doorbelasten",
                purpose="boetes op naam van de huurder zetten",
                legal_basis="c",
                data_categories=["naam", "adres", "kenteken"],
            ),
            Activity(
                "NPS-metingen",
                purpose="tevredenheid meten",
                legal_basis="f",
                data_categories=["NPS-scores", "e-mailadres"],
                recipients=[Recipient("Enquêtewerk B.V.")],
            ),
            Activity(
                "Werving monteurs",
                purpose="monteurs werven",
                legal_basis="f",
                data_categories=["naam", "cv", "werkervaring"],
            ),
            Activity(
                "Verhuur en planning",
                purpose="fietsen verhuren en bezorgen",
                legal_basis="b",
                data_categories=["naam", "adres", "telefoonnummer", "bezorgadres"],
                recipients=[Recipient("Routeplan B.V.")],
            ),
        ],
    )


def test_a_compound_activity_name_is_named_by_its_head() -> None:
    assert compound_head("parkeerboetes", "boete") and compound_head("verkeersboetes", "boetes")
    assert not compound_head("nieuwsbrief", "brief")  # too common a head
    bound = bind_activity(
        "Wij geven de naam van de huurder door aan de gemeente, zodat de boete klopt.", _rental()
    )
    assert bound is not None and bound.name == "Parkeerboetes doorbelasten"


def test_an_abbreviation_in_capitals_binds_its_activity() -> None:
    bound = bind_activity("Elk kwartaal gaan de NPS-scores naar het hoofdkantoor.", _rental())
    assert bound is not None and bound.name == "NPS-metingen"


@pytest.mark.parametrize(
    ("sentence", "party"),
    [
        # a separable verb with "aan bij"
        ("Elk kwartaal leveren wij de NPS-scores aan bij Stichting Fietsbranche.", "Stichting Fietsbranche"),
        # an application submitted with the data
        (
            "Het verzoek voor de parkeerboete dien je in bij Parkeerbeheer Oost, met naam en adres.",
            "Parkeerbeheer Oost",
        ),
        # a message sent over a chat service
        ("Bij spoed app je de bezorger via WhatsApp het bezorgadres van de huurder.", "WhatsApp"),
    ],
)
def test_a_party_the_documents_send_data_to_is_an_unrecorded_recipient(sentence: str, party: str) -> None:
    conflicts = find_conflicts([DocumentPassage("Werkinstructie", sentence)], _rental())
    assert party in [c.document_value for c in conflicts if c.field == FIELD_UNRECORDED]


@pytest.mark.parametrize(
    ("sentence", "source"),
    [
        ("Anouk zoekt nieuwe monteurs op via LinkedIn en belt ze daarna.", "LinkedIn"),
        ("Kandidaten voor de werving bekijken we ook op sociale media.", "sociale media"),
    ],
)
def test_a_person_looked_up_in_a_public_source_is_data_from_another_source(
    sentence: str, source: str
) -> None:
    assert third_party(sentence) == source
    found = find_other_sources([DocumentPassage("Werving monteurs", sentence)], _rental())
    assert [(f.activity, f.party) for f in found] == [("Werving monteurs", source)]


@pytest.mark.parametrize(
    "sentence",
    ["Onze vacatures plaatsen wij op LinkedIn.", "Zoek de huurder op in het verhuursysteem."],
)
def test_what_is_no_public_source(sentence: str) -> None:
    assert third_party(sentence) == ""


# --- completeness: purposes in the passive, a struck-down safeguard, data "meestal" from the person -----


def test_a_purpose_said_in_the_passive_is_a_purpose_without_its_basis() -> None:
    text = (
        "# Privacyverklaring\n\n## Oud-leden\n\nVan oud-leden worden naam en adres bewaard om hen uit te "
        "nodigen voor reünies.\n"
    )
    result = check_text(text).result("doelen")
    assert result.status == "zwak"  # the purpose is named, its legal basis not


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("Naar de VS geven wij alleen gegevens door aan partijen die gecertificeerd zijn onder het EU-US "
         "Privacy Shield.", "zwak"),
        ("Naar de VS geven wij alleen gegevens door aan partijen met het EU-VS Data Privacy Framework; het "
         "oude Privacy Shield is in 2020 ongeldig verklaard.", "aanwezig"),
    ],
)  # fmt: skip
def test_a_struck_down_safeguard_is_no_safeguard(sentence: str, status: str) -> None:
    text = f"# Privacyverklaring\n\n## Doorgifte buiten de EER\n\n{sentence}\n"
    result = check_text(text).result("doorgifte")
    assert result.status == status, result.note


def test_data_mostly_from_the_person_owe_the_categories_and_a_named_source() -> None:
    text = (
        "# Privacyverklaring\n\n## Welke gegevens\n\nIn de meeste gevallen gaat het om gegevens die de "
        "betrokkene zelf verstrekt, zoals naam, e-mailadres en functie.\n"
    )
    report = check_text(text)
    assert report.result("bron").status == "zwak"  # owed, but the hedge names no source
    silent = check_text("# Privacyverklaring\n\n## Welke gegevens\n\nU geeft ons uw naam en e-mailadres.\n")
    assert silent.result("bron").status == "niet van toepassing"


@pytest.mark.parametrize(
    ("sentence", "party"),
    [
        # a claim handed over after a condition with "niet" (the condition's negation is not the flow's)
        (
            "Betaalt een huurder na twee herinneringen niet, dan dragen we de vordering over aan "
            "Incassobureau Waalkant B.V.",
            "Incassobureau Waalkant",
        ),
        # a department of a named organisation
        (
            "Elke maand gaat een export van de verhuur naar de afdeling Mobiliteit van Gemeente Oosterhout.",
            "Gemeente Oosterhout",
        ),
        # a well-known service with a short name is no colleague by first name
        ("Elke maand uploaden we de bezorgadressen van huurders naar Meta voor advertenties.", "Meta"),
        # an upload of the data
        ("Elke maand uploaden we de bezorgadressen van huurders naar Kaartwerk Online.", "Kaartwerk Online"),
    ],
)
def test_more_ways_data_go_to_an_unrecorded_recipient(sentence: str, party: str) -> None:
    rental = _rental()
    # "onze bank (SEPA-incasso)" names the bank, not a debt collector
    invoices = Activity(
        "Facturen en incasso",
        purpose="huur innen",
        legal_basis="b",
        data_categories=["naam", "IBAN", "openstaande vorderingen"],
        recipients=[Recipient("onze bank (SEPA-incasso)", "ontvanger")],
    )
    rental.activities.append(invoices)
    conflicts = find_conflicts([DocumentPassage("Werkinstructie verhuur en boetes", sentence)], rental)
    assert party in [c.document_value for c in conflicts if c.field == FIELD_UNRECORDED]
