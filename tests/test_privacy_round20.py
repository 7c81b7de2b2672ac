"""Round 20, privacy: an uploaded statement that says all data come from the reader while the register
records another source, or that names none of the register's third-party recipients; analytics cookies and
"improving our service" as processing on legitimate interest; what is no source (the organisation itself, a
contract's other party, a credit check not done, a claim handed over); medical papers put in a file; a list
sent to a park's manager and a municipality's department; a document that requires consent for an activity
the register bases on something else (own text, no dossier text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.features.check.model import DocumentPassage
from assistant.features.privacy.completeness import check_file, check_text
from assistant.features.privacy.model import Activity, Controller, Recipient, Register
from assistant.features.privacy.other_sources import find_other_sources
from assistant.features.privacy.register_conflicts import CONSENT_NEEDED, find_conflicts
from assistant.features.privacy.register_recipients import unrecorded_recipients
from assistant.features.privacy.register_special import unrecorded_special_data

_STATEMENT = """# Privacyverklaring Woonstichting Veldzicht

## Wie zijn wij

Woonstichting Veldzicht, Kerkplein 4, 7021 AB Zelhem, KvK 41000001, privacy@veldzicht.example.

## Welke gegevens gebruiken wij

Voor het toewijzen van een woning gebruiken wij uw naam, adres, inkomen en gezinssamenstelling. Dat is
nodig om de huurovereenkomst met u te sluiten.

## Waar komen uw gegevens vandaan?

{source}

## Wie krijgen uw gegevens nog meer?

{recipients} Ons woonruimtesysteem wordt beheerd door onze softwareleverancier.

## Hoe lang bewaren wij uw gegevens

Gegevens van kandidaten die de woning niet krijgen, bewaren wij zes maanden.
"""

_ONLY_YOU = "Wij gebruiken alleen gegevens die u zelf aan ons geeft."
_VAGUE = "Wij delen uw gegevens met partijen die wij inschakelen, zoals onderhoudsbedrijven."


def _register(source: str = "de Belastingdienst (inkomensindicatie)") -> Register:
    letting = Activity(
        "Woningtoewijzing",
        purpose="woningen toewijzen",
        legal_basis="b",
        data_categories=["naam", "adres", "inkomen", "gezinssamenstelling"],
        recipients=[
            Recipient("Corpora ICT B.V."),
            Recipient("Huurcommissie (bij bezwaar)", kind="ontvanger"),
        ],
        retention="6 maanden",
        source=source,
    )
    arrears = Activity(
        "Huurachterstanden en incasso",
        purpose="achterstanden innen",
        legal_basis="b",
        data_categories=["naam", "huurachterstand"],
        recipients=[
            Recipient("Gerechtsdeurwaarders Nijhof & Van Eerden", kind="verwerkingsverantwoordelijke"),
            Recipient("Gemeente Bronckhorst (vroegsignalering)", kind="ontvanger"),
        ],
        retention="7 jaar",
    )
    staff = Activity(
        "Personeelsadministratie",
        purpose="salaris betalen",
        legal_basis="c",
        data_subjects=["medewerkers"],
        recipients=[Recipient("Pensioenfonds PWRI", kind="ontvanger"), Recipient("UWV", kind="ontvanger")],
        retention="7 jaar",
    )
    controller = Controller(
        name="Woonstichting Veldzicht", address="Kerkplein 4, 7021 AB Zelhem", kvk="41000001"
    )
    return Register("Woonstichting Veldzicht", controller, [letting, arrears, staff])


def _check(tmp_path: Path, register: Register, source: str = _ONLY_YOU, recipients: str = _VAGUE) -> dict:
    path = tmp_path / "privacyverklaring.md"
    path.write_text(_STATEMENT.format(source=source, recipients=recipients), encoding="utf-8")
    return {r.key: (r.status, r.note) for r in check_file(path, register).results}


def test_a_statement_saying_all_data_come_from_the_reader_lacks_the_registers_source(tmp_path: Path) -> None:
    found = _check(tmp_path, _register())
    for key in ("bron", "categorieen"):
        status, note = found[key]
        assert status == "ontbreekt" and "Belastingdienst" in note


def test_the_claim_stands_where_the_register_records_no_other_source(tmp_path: Path) -> None:
    status, _ = _check(tmp_path, _register(source=""))["bron"]
    assert status != "ontbreekt"


def test_a_statement_that_names_the_other_source_has_it(tmp_path: Path) -> None:
    source = (
        "De meeste gegevens krijgen wij van u zelf. "
        "Uw inkomensindicatie vragen wij op bij de Belastingdienst."
    )
    status, _ = _check(tmp_path, _register(), source=source)["bron"]
    assert status == "aanwezig"


def test_a_statement_naming_none_of_the_registers_third_parties_is_weak(tmp_path: Path) -> None:
    status, note = _check(tmp_path, _register())["ontvangers"]
    assert status == "zwak"
    assert "Gerechtsdeurwaarders Nijhof" in note and "Gemeente Bronckhorst" in note
    # the staff's pension fund belongs in a statement for the staff
    assert "Pensioenfonds" not in note and "UWV" not in note


def test_naming_the_kinds_of_third_party_is_enough(tmp_path: Path) -> None:
    recipients = (
        "Bij een achterstand geven wij uw gegevens aan de deurwaarder en, voor hulp bij schulden, aan de "
        "gemeente. Maakt u bezwaar, dan krijgt de Huurcommissie uw dossier."
    )
    status, _ = _check(tmp_path, _register(), recipients=recipients)["ontvangers"]
    assert status == "aanwezig"


def test_an_abbreviation_names_the_recipient() -> None:
    register = Register(
        "Rijschool Stuur",
        Controller(name="Rijschool Stuur"),
        [
            Activity(
                "Examens",
                purpose="examens aanvragen",
                legal_basis="b",
                recipients=[Recipient("CBR", kind="ontvanger"), Recipient("KNHB", kind="ontvanger")],
            )
        ],
    )
    text = (
        "# Privacyverklaring Rijschool Stuur\n\n## Met wie delen wij gegevens\n\n"
        "Wij delen je gegevens met het CBR en de KNHB en met onze hostingpartij."
    )
    statuses = {r.key: r.status for r in check_text(text, register).results}
    assert statuses["ontvangers"] == "aanwezig"


_COOKIE_STATEMENT = """# Privacyverklaring Coach Anna

Coach Anna, Brink 2, 7411 AB Deventer, anna@coach.example. Ik gebruik je naam en telefoonnummer om
afspraken te maken; dat is nodig voor de overeenkomst.

{cookies}
"""


@pytest.mark.parametrize(
    ("cookies", "status"),
    [
        ("Ik gebruik analytische cookies om te zien hoe bezoekers de site gebruiken.", "ontbreekt"),
        ("Ik gebruik je e-mailadres ook voor verbetering van onze dienstverlening.", "ontbreekt"),
        ("Er worden geen tracking- of analysecookies gebruikt.", "niet van toepassing"),
        (
            "Ik gebruik alleen functionele en analytische cookies die geen inbreuk maken op je privacy.",
            "niet van toepassing",
        ),
    ],
)
def test_analytics_cookies_rest_on_a_legitimate_interest_the_statement_owes(
    cookies: str, status: str
) -> None:
    statuses = {r.key: r.status for r in check_text(_COOKIE_STATEMENT.format(cookies=cookies)).results}
    assert statuses["gerechtvaardigd_belang"] == status


def _pharmacy() -> Register:
    return Register(
        "Apotheek Lindeboom",
        Controller(name="Apotheek Lindeboom"),
        [
            Activity(
                "Herhaalservice en app",
                purpose="herhaalrecepten aanvragen",
                legal_basis="b",
                data_categories=["naam", "medicatie"],
            ),
            Activity(
                "Landelijk Schakelpunt (LSP)",
                purpose="medicatiegegevens beschikbaar stellen aan andere zorgverleners",
                legal_basis="c",
                data_categories=["medicatie"],
            ),
        ],
    )


@pytest.mark.parametrize(
    "sentence",
    [
        # the organisation itself
        "Via de herhaalservice in de app stuurt de apotheek het verzoek door naar de huisarts.",
        # a contract's other party receives the data from the client ("Opdrachtgever")
        "Voor de herhaalservice en app krijgt Opdrachtnemer toegang tot persoonsgegevens van patiënten van "
        "Opdrachtgever, zoals naam en adres.",
        # a credit check the client does not do
        "Bij betaling in termijnen voor de herhaalservice doen wij geen kredietcheck en geen BKR-toets.",
        # a claim handed over, not data received
        "Bij een betalingsachterstand voor de app dragen wij de vordering over aan Incassodesk Zuid B.V.",
        # arrears reported to the municipality
        "Sinds 2021 moeten verhuurders betalingsachterstanden doorgeven aan de gemeente.",
    ],
)
def test_no_other_source(sentence: str) -> None:
    passage = DocumentPassage("Werkinstructie herhaalservice en app", sentence)
    assert find_other_sources([passage], _pharmacy()) == []


def test_the_previous_club_is_another_source_even_for_a_club() -> None:
    register = Register(
        "Hockeyvereniging De Slag",
        Controller(name="Hockeyvereniging De Slag"),
        [Activity("Ledenadministratie", purpose="leden", legal_basis="b", data_categories=["naam"])],
    )
    passage = DocumentPassage(
        "Werkwijze ledenadministratie", "Van de vorige vereniging ontvangen wij de overschrijvingsgegevens."
    )
    assert [f.party for f in find_other_sources([passage], register)] == ["de vorige vereniging"]


def _letting() -> Register:
    return Register(
        "Woonstichting Veldzicht",
        Controller(name="Woonstichting Veldzicht"),
        [
            Activity(
                "Woningtoewijzing",
                purpose="woningen toewijzen",
                legal_basis="b",
                data_categories=["naam", "inkomen"],
            ),
            Activity(
                "Salarisadministratie voor klanten",
                purpose="salaris",
                legal_basis="b",
                data_categories=["naam", "loon"],
            ),
        ],
    )


@pytest.mark.parametrize(
    ("document", "sentence", "activity"),
    [
        (
            "Procesbeschrijving woningtoewijzing",
            "De medische stukken die de aanvrager meestuurt, zetten wij bij de aanvraag in het klantdossier.",
            "Woningtoewijzing",
        ),
        (
            "Procesbeschrijving salarisadministratie voor klanten",
            "Klanten mailen ziekmeldingen vaak met een doktersverklaring erbij; "
            "die slaan we op bij de werknemer.",
            "Salarisadministratie voor klanten",
        ),
    ],
)
def test_medical_papers_put_in_a_file_are_health_data(document: str, sentence: str, activity: str) -> None:
    # a chunk's text starts with its heading path, as the ingestion writes it
    passage = DocumentPassage(document, f"{document} > Werkwijze\n{sentence}")
    found = unrecorded_special_data([passage], _letting())
    assert [s.activity for s in found] == [activity]


def test_a_list_sent_to_a_parks_manager_and_a_municipalitys_department_has_two_recipients() -> None:
    register = Register(
        "Uitzendbureau Flex",
        Controller(name="Uitzendbureau Flex B.V."),
        [
            Activity(
                "Huisvesting arbeidsmigranten",
                purpose="huisvesting regelen",
                legal_basis="b",
                data_categories=["naam", "geboortedatum"],
                recipients=[Recipient("Microsoft 365")],
            )
        ],
    )
    sentence = (
        "Voor de huisvesting arbeidsmigranten stuurt de coördinator de bewonerslijst naar de beheerder van "
        "Parc De Leemkuil en naar de afdeling belastingen van de gemeente Waalwijk."
    )
    found = unrecorded_recipients(
        [DocumentPassage("Notitie huisvesting arbeidsmigranten", sentence)], register
    )
    assert sorted(party for _, party, _, _ in found) == ["Parc De Leemkuil", "gemeente"]


@pytest.mark.parametrize(
    ("sentence", "conflict"),
    [
        (
            "Zonder toestemming van de patiënt mogen wij zijn medicatiegegevens "
            "niet via het LSP beschikbaar stellen.",
            True,
        ),
        ("Voor het LSP is toestemming van de patiënt nodig.", True),
        # a colleague's approval, a question, consent for a handing over
        ("Inzage in het LSP gebeurt alleen na toestemming van de leidinggevende.", False),
        ("Ze vraagt of we voor het LSP eigenlijk toestemming nodig hebben.", False),
        ("Het LSP delen wij met de huisarts alleen met toestemming van de patiënt.", False),
    ],
)
def test_consent_required_by_a_document_against_another_basis(sentence: str, conflict: bool) -> None:
    found = [
        c
        for c in find_conflicts([DocumentPassage("Werkinstructie LSP", sentence)], _pharmacy())
        if c.field == "grondslag"
    ]
    assert bool(found) is conflict
    if conflict:
        assert found[0].document_value == CONSENT_NEEDED and "toestemming nodig" in found[0].message()


def test_consent_recorded_as_the_art9_exception_is_no_conflict() -> None:
    register = _pharmacy()
    lsp = register.activity("Landelijk Schakelpunt (LSP)")
    assert lsp is not None
    lsp.art9_exception = "a"
    sentence = "Voor het LSP is toestemming van de patiënt nodig."
    assert [
        c
        for c in find_conflicts([DocumentPassage("Werkinstructie LSP", sentence)], register)
        if c.field == "grondslag"
    ] == []


def test_consent_beside_a_legitimate_interest_is_a_safeguard_not_a_conflict() -> None:
    register = Register(
        "Kliniek Meerzicht",
        Controller(name="Kliniek Meerzicht"),
        [
            Activity(
                "Wetenschappelijk onderzoek", purpose="onderzoek", legal_basis="f", data_categories=["naam"]
            )
        ],
    )
    sentence = "Wij gebruiken gegevens voor wetenschappelijk onderzoek alleen met uw toestemming."
    found = find_conflicts([DocumentPassage("Werkwijze wetenschappelijk onderzoek", sentence)], register)
    assert [c for c in found if c.field == "grondslag"] == []


def test_an_abbreviation_the_sentence_names_binds_it_to_its_activity() -> None:
    from assistant.features.privacy.suggestions import best_known_activity

    known = ["Medicatieverstrekking en medicatiebewaking", "Landelijk Schakelpunt (LSP)"]
    sentence = "Zonder toestemming mogen wij de medicatiegegevens niet via het LSP beschikbaar stellen."
    assert best_known_activity(sentence, known, unique=True) == "Landelijk Schakelpunt (LSP)"
    # an abbreviation every text may name decides nothing
    known = ["Medicatieverstrekking en medicatiebewaking", "Verzoeken onder de AVG"]
    sentence = "Volgens de AVG bewaren wij medicatiegegevens twintig jaar."
    assert best_known_activity(sentence, known, unique=True) == "Medicatieverstrekking en medicatiebewaking"


def test_the_warning_says_whether_the_categories_name_the_health_data_at_all() -> None:
    sentence = (
        "De medische stukken die de aanvrager meestuurt, zetten wij bij de aanvraag in het klantdossier."
    )
    passage = DocumentPassage(
        "Procesbeschrijving woningtoewijzing", f"Procesbeschrijving woningtoewijzing > W\n{sentence}"
    )
    register = _letting()
    [found] = unrecorded_special_data([passage], register)
    assert "ook niet bij de categorieën persoonsgegevens" in found.message()
    letting = register.activity("Woningtoewijzing")
    assert letting is not None
    letting.data_categories.append("medische stukken bij urgentie")
    [found] = unrecorded_special_data([passage], register)
    assert "categorieën" not in found.message()


def _clinic(research_recipients: list[Recipient]) -> Register:
    return Register(
        "Kliniek Meerzicht",
        Controller(name="Kliniek Meerzicht"),
        [
            Activity(
                "Laboratorium en uitslagen",
                purpose="uitslagen",
                legal_basis="b",
                recipients=[Recipient("Hofstad UMC", kind="ontvanger")],
            ),
            Activity(
                "Wetenschappelijk onderzoek",
                purpose="onderzoek",
                legal_basis="f",
                recipients=research_recipients,
            ),
        ],
    )


@pytest.mark.parametrize(
    ("recipients", "reported"),
    [
        ([], True),  # the research records no recipient at all: the export's receiver is missing
        ([Recipient("Statistiekbureau Noord", kind="verwerker")], False),  # the sentence may be the lab's
    ],
)
def test_a_party_named_for_another_activity_is_missing_where_an_activity_records_none(
    recipients: list[Recipient], reported: bool
) -> None:
    sentence = (
        "Voor het wetenschappelijk onderzoek stuurt de coördinator elk kwartaal een export naar de afdeling "
        "Voortplantingsgeneeskunde van Hofstad UMC."
    )
    found = unrecorded_recipients(
        [DocumentPassage("Werkwijze wetenschappelijk onderzoek", sentence)], _clinic(recipients)
    )
    assert [(a, p) for a, p, _, _ in found] == (
        [("Wetenschappelijk onderzoek", "Hofstad UMC")] if reported else []
    )
