"""Round 22, privacy: the completeness check of an existing statement reads a long retention section as a
whole (a loaded file splits it in chunks), takes terms given per group of people, accepts a foreign
supervisory authority and telephone number, does not take the organisation's own old notification at
the Autoriteit Persoonsgegevens for a right to complain, reads "we hebben … gegevens nodig" and "wie de
gegevens niet wil geven" for the duty to provide, and counts rights only where the text speaks of rights
or requests (own text, no statement from the labelled sets)."""

from __future__ import annotations

from pathlib import Path

from assistant.features.privacy.completeness import check_file, check_text

_FILLER = (
    "Wij bewaren uw persoonsgegevens niet langer dan noodzakelijk is voor de doeleinden waarvoor ze zijn "
    "verzameld, tenzij een langere bewaartermijn wettelijk vereist is, bijvoorbeeld om geschillen op te "
    "lossen of overeenkomsten te handhaven. "
)


def _statuses(tmp_path: Path, text: str) -> dict[str, tuple[str, str]]:
    path = tmp_path / "privacyverklaring.md"
    path.write_text(text, encoding="utf-8")
    return {r.key: (r.status, r.note) for r in check_file(path).results}


def test_a_retention_section_in_chunks_is_read_as_a_whole(tmp_path: Path) -> None:
    long_lead = _FILLER * 6  # longer than one chunk: the terms come in the section's next chunk
    text = (
        "# Privacyverklaring Bureau Lindeboom\n\nBureau Lindeboom, Molenstraat 4, 7411 AB Deventer.\n\n"
        f"## Bewaartermijnen\n\n{long_lead}\n\n"
        "- Gegevens van klanten: tot 3 jaar na het einde van de opdracht.\n"
        "- Facturen: 7 jaar, de fiscale bewaarplicht.\n"
        "- Sollicitatiegegevens: 4 weken na de procedure.\n"
    )
    status, note = _statuses(tmp_path, text)["bewaartermijnen"]
    assert status == "aanwezig", note


def test_a_vague_retention_section_alone_stays_weak(tmp_path: Path) -> None:
    text = (
        "# Privacyverklaring Bureau Lindeboom\n\nBureau Lindeboom, Molenstraat 4, 7411 AB Deventer.\n\n"
        f"## Bewaartermijnen\n\n{_FILLER}\n"
    )
    assert _statuses(tmp_path, text)["bewaartermijnen"][0] == "zwak"


_PER_GROUP = """# Privacyverklaring Harmonie De Eendracht

## Leden
Van leden verwerken wij naam, adres en bankgegevens voor de contributie. Deze gegevens worden opgeslagen
voor de periode:

* Gedurende het lidmaatschap en daarna alleen in de financiële administratie voor maximaal 7 jaar.

## Donateurs
Van donateurs verwerken wij naam en bankgegevens. Deze gegevens worden bewaard:

* Zolang de donatie loopt en daarna alleen in de financiële administratie voor maximaal 7 jaar.

## Bewaartermijn
De harmonie bewaart persoonsgegevens niet langer dan noodzakelijk voor het doel waarvoor ze zijn verstrekt.
"""


def test_terms_per_group_answer_a_general_retention_section() -> None:
    status, note = check_text(_PER_GROUP).status("bewaartermijnen"), ""
    assert status == "aanwezig", note


def test_one_term_in_passing_does_not_answer_a_vague_retention_section() -> None:
    text = _PER_GROUP.split("## Donateurs")[0] + _PER_GROUP[_PER_GROUP.index("## Bewaartermijn") :]
    assert check_text(text).status("bewaartermijnen") == "zwak"


def test_a_foreign_supervisory_authority_is_the_right_to_complain() -> None:
    text = (
        "## Klachten\nJe kunt een klacht indienen bij de Gegevensbeschermingsautoriteit (GBA): "
        "www.gegevensbeschermingsautoriteit.be\n"
    )
    assert check_text(text).status("klacht") == "aanwezig"


def test_the_organisations_own_notification_is_no_right_to_complain() -> None:
    text = (
        "## Melding\nDe vereniging heeft de verwerking van persoonsgegevens gemeld bij de Autoriteit "
        "Persoonsgegevens.\n"
    )
    result = check_text(text).result("klacht")
    assert result.status == "zwak" and "klacht" in result.note


def test_a_complaint_reported_by_the_person_still_counts() -> None:
    text = "## Toezicht\nU kunt een melding doen bij de Autoriteit Persoonsgegevens.\n"
    assert check_text(text).status("klacht") == "aanwezig"


def test_a_foreign_address_with_vat_and_telephone_number_is_an_identity() -> None:
    text = (
        "## Wie zijn wij?\nVerantwoordelijke: Hoeve De Linde BV\nKerkstraat 12\n1745 Opwijk\nBelgië\n"
        "BTW: BE0123456789\nE-mail: info@hoevedelinde.be\nTelefoon: +32 470 12 34 56\n"
    )
    assert check_text(text).status("identiteit") == "aanwezig"


def test_a_name_and_an_email_address_stay_weak() -> None:
    text = "## Wie zijn wij?\nVerantwoordelijke: Hoeve De Linde, e-mail info@hoevedelinde.nl.\n"
    assert check_text(text).status("identiteit") == "zwak"


def test_data_we_need_without_the_consequences_is_a_weak_duty_to_provide() -> None:
    text = (
        "## Bestellen\nOm je bestelling af te leveren en de factuur te sturen hebben we een aantal gegevens "
        "van je nodig.\n"
    )
    result = check_text(text).result("verplichting")
    assert result.status == "zwak" and "gevolgen" in result.note


def test_refusing_to_give_data_with_its_consequence_is_the_duty_to_provide() -> None:
    text = (
        "## Deelname\nAls wij gegevens vragen die nodig zijn voor het kamp en de deelnemer die gegevens niet "
        "wil geven, kan de organisatie weigeren een overeenkomst met de deelnemer aan te gaan.\n"
    )
    assert check_text(text).status("verplichting") == "aanwezig"


def test_rights_words_outside_a_rights_passage_are_no_rights() -> None:
    text = (
        "## Cookies\nCookies worden na een jaar automatisch verwijderd.\n\n"
        "## Buren\nOmwonenden maakten bezwaar tegen de verbouwing.\n"
    )
    assert check_text(text).status("rechten") == "ontbreekt"


def test_rights_named_where_the_text_speaks_of_requests_count() -> None:
    text = (
        "## Uw rechten\nU kunt ons verzoeken uw gegevens in te zien, te corrigeren of te verwijderen. "
        "U kunt ook bezwaar maken.\n"
    )
    assert check_text(text).status("rechten") in {"zwak", "aanwezig"}
    assert check_text(text).result("rechten").status == "zwak"  # beperking is not named


def test_an_interest_the_organisation_has_without_saying_which_is_general() -> None:
    text = (
        "## Grondslagen\nWij verwerken uw gegevens om uw boeking uit te voeren. Sommige gegevens "
        "verwerken wij omdat wij daar een gerechtvaardigd belang bij hebben.\n"
    )
    assert check_text(text).status("gerechtvaardigd_belang") == "zwak"


def test_an_interest_that_is_named_stays_present() -> None:
    text = (
        "## Grondslagen\nDe camerabeelden bij de ingang verwerken wij op grond van ons gerechtvaardigd "
        "belang bij de veiligheid van gasten en personeel.\n"
    )
    assert check_text(text).status("gerechtvaardigd_belang") == "aanwezig"
