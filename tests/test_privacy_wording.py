"""Elements in the words statements use (our own sentences): recipients ("Met wie delen we …", a
processor "die namens ons … verwerkt"), data "die we van … krijgen", consent withdrawn with a
pronoun, transfers "buiten Europa", and retention judged per purpose in the retention section."""

from __future__ import annotations

import pytest

from assistant.features.privacy.completeness import check_text

INTRO = "# Privacyverklaring Bakkerij De Korenbloem\n\nBakkerij De Korenbloem, Dorpsstraat 1, Ede.\n\n"


@pytest.mark.parametrize(
    "section",
    [
        "## Met wie delen we je gegevens?\n\n- Onze boekhouder, voor de jaarrekening.\n"
        "- Het bezorgbedrijf dat je bestelling brengt.",
        "## Delen\n\nBestellingen bewaren wij in het kassasysteem van onze leverancier, die de gegevens "
        "namens ons opslaat.",
        "## Politie\n\nCamerabeelden geven we alleen aan de politie, na een aangifte. De beelden staan bij "
        "onze beveiliger, die ze namens ons bewaart.",
        "## Anderen\n\nUw adresgegevens worden gedeeld met het bezorgbedrijf dat de taarten rondbrengt.",
    ],
)
def test_recipient_sections_in_ordinary_words_are_present(section: str) -> None:
    report = check_text(INTRO + section)
    assert report.status("ontvangers") == "aanwezig", report.result("ontvangers")


def test_recipients_without_the_processors_are_weak() -> None:
    """Art. 13 lid 1 sub e: the recipients include the processors (software, hosting, mail) that hold the
    data; a statement that names only the police leaves them out (labellers of real statements: "zwak")."""
    report = check_text(
        INTRO + "## Politie\n\nCamerabeelden geven we alleen aan de politie, na een aangifte."
    )
    assert report.status("ontvangers") == "zwak"
    assert "verwerkers" in report.result("ontvangers").note


@pytest.mark.parametrize(
    "section",
    [
        "## Bestellen\n\nWij gebruiken uw adres om de bestelling te bezorgen.",
        "## Verkopen\n\nWij verkopen uw gegevens niet.",
    ],
)
def test_no_recipient_named_is_not_present(section: str) -> None:
    assert check_text(INTRO + section).status("ontvangers") != "aanwezig"


def test_data_we_get_from_someone_else_in_inverted_order_is_found() -> None:
    text = INTRO + (
        "## Zakelijke klanten\n\nVoor bedrijfslunches noteren we de namen van de deelnemers. Die gegevens "
        "krijgen we van de werkgever die de lunch bestelt."
    )
    report = check_text(text)
    assert report.status("categorieen") != "niet van toepassing"
    assert report.status("bron") != "niet van toepassing"


def test_data_we_get_with_the_source_named_first_is_found_but_not_data_from_you() -> None:
    text = INTRO + (
        "## Uw oven op afstand\n\nIs uw oven verbonden met de app van de fabrikant, dan ontvangen wij van "
        "de fabrikant (Ovenwerk GmbH) gegevens over uw oven: de temperatuur en storingsmeldingen."
    )
    report = check_text(text)
    assert report.status("categorieen") != "niet van toepassing"
    assert report.status("bron") != "niet van toepassing"
    from_you = (
        INTRO + "## Bestellen\n\nBij een bestelling ontvangen wij van u gegevens zoals uw naam en adres."
    )
    assert check_text(from_you).status("bron") == "niet van toepassing"


def test_withdrawal_with_a_pronoun_far_from_the_word_consent_is_present() -> None:
    text = INTRO + (
        "## Uw rechten\n\nHeeft u ons toestemming gegeven, bijvoorbeeld voor de nieuwsbrief of voor de "
        "foto's van de taartenworkshop op onze website, dan kunt u die altijd weer intrekken."
    )
    assert check_text(text).status("toestemming_intrekken") == "aanwezig"


def test_transfer_outside_europe_with_its_mechanism_is_present() -> None:
    text = INTRO + (
        "## Gegevens buiten Europa\n\nOnze nieuwsbriefdienst is gevestigd in de Verenigde Staten en is "
        "gecertificeerd onder het EU-VS Data Privacy Framework."
    )
    assert check_text(text).status("doorgifte") == "aanwezig"


RETENTION_VAGUE = (
    "## Hoe lang bewaren we je gegevens?\n\nWij bewaren je gegevens niet langer dan noodzakelijk.\n\n"
    "## Jouw rechten\n\nGaf je toestemming om je bestelhistorie een jaar te bewaren, "
    "dan kun je die intrekken."
)
RETENTION_ITEMS = (
    "## Hoe lang bewaren wij uw gegevens\n\n- Bestellingen: zeven jaar, voor de belastingdienst.\n"
    "- Klantenkaart: tot u zich afmeldt.\n- Gegevens over uw aankopen bewaren wij zolang dat nodig is."
)
RETENTION_FULL = (
    "## Hoe lang bewaren wij uw gegevens\n\n- Bestellingen: zeven jaar, voor de belastingdienst.\n"
    "- Camerabeelden: vier weken."
)


def test_a_vague_retention_section_is_weak_despite_a_term_elsewhere() -> None:
    result = check_text(INTRO + RETENTION_VAGUE).result("bewaartermijnen")
    assert result.status == "zwak" and "paragraaf over bewaren" in result.note


def test_an_item_without_a_term_in_the_retention_list_is_weak() -> None:
    result = check_text(INTRO + RETENTION_ITEMS).result("bewaartermijnen")
    assert result.status == "zwak" and "aankopen" in result.note


def test_a_term_per_item_is_present() -> None:
    assert check_text(INTRO + RETENTION_FULL).status("bewaartermijnen") == "aanwezig"


def test_a_general_rule_with_one_or_two_terms_beside_it_is_weak() -> None:
    """ "Niet langer dan nodig" in prose is the rule for every purpose the section gives no term; with
    only invoices and camera images timed, most purposes have none."""
    section = (
        "## Hoe lang bewaren wij uw gegevens\n\nWij bewaren uw gegevens niet langer dan nodig is. "
        "Camerabeelden bewaren wij vier weken. Facturen bewaren wij zeven jaar, omdat de wet dat eist."
    )
    result = check_text(INTRO + section).result("bewaartermijnen")
    assert result.status == "zwak" and "niet langer dan nodig" in result.note
    also_denied = section.replace("Wij bewaren uw gegevens niet", "Wij bewaren geen gegevens")
    assert check_text(INTRO + also_denied).status("bewaartermijnen") == "zwak"


def test_a_general_lead_in_to_a_list_of_terms_is_present() -> None:
    """The same general words as the lead-in of a list of terms per kind of data are no gap."""
    section = (
        "## Hoe lang bewaren wij uw gegevens\n\nWij bewaren uw gegevens niet langer dan nodig:\n\n"
        "- Bestellingen: zeven jaar, voor de belastingdienst.\n- Camerabeelden: vier weken.\n"
    )
    assert check_text(INTRO + section).status("bewaartermijnen") == "aanwezig"
    three_terms = (
        "## Hoe lang bewaren wij uw gegevens\n\nWij bewaren uw gegevens niet langer dan nodig. "
        "Camerabeelden bewaren wij vier weken, bestellingen zeven jaar en de klantenkaart tot u zich afmeldt."
    )
    assert check_text(INTRO + three_terms).status("bewaartermijnen") == "aanwezig"


@pytest.mark.parametrize(
    "section",
    [
        "## Examens\n\nVan het CBR krijgen we de uitslag van je examen.",
        "## Competitie\n\n**KNVB.** Van de KNVB ontvangen wij gegevens over wedstrijden en schorsingen.",
        "## Gegevens die we van het CBR krijgen\n\nDe uitslag van je examen.",
        "## Crew\n\nGegevens van crew krijgen we in eerste instantie van hun werkgever (naam en functie).",
    ],
)
def test_the_source_at_the_head_of_the_sentence_is_found(section: str) -> None:
    report = check_text(INTRO + section)
    assert report.status("categorieen") != "niet van toepassing"
    assert report.status("bron") != "niet van toepassing"


def test_data_from_you_or_through_our_website_is_no_other_source() -> None:
    for section in (
        "## Bestellen\n\nVan u krijgen wij uw naam en adres.",
        "## Bestellen\n\nUw bestelling ontvangen we van het formulier op onze site.",
    ):
        assert check_text(INTRO + section).status("bron") == "niet van toepassing", section


def test_silence_on_automated_decisions_is_to_be_checked_and_a_hint_is_missing() -> None:
    """Art. 13 lid 2 sub f asks for the information where automated decisions exist: a statement that never
    touches them is "niet van toepassing — controleer dit" (both labellers of real statements: "uit de aard
    blijkt dat er geen zijn"); one that mentions profiling or a score without the information misses it."""
    silent = check_text(INTRO + "## Bestellen\n\nWij gebruiken uw adres om de bestelling te bezorgen.")
    assert silent.status("geautomatiseerde_besluiten") == "niet van toepassing"
    assert "controleer dit" in silent.result("geautomatiseerde_besluiten").note
    hinted = check_text(
        INTRO + "## Bestellen\n\nWij controleren uw kredietwaardigheid voordat u op rekening kunt betalen."
    )
    assert hinted.status("geautomatiseerde_besluiten") == "ontbreekt"
    said = check_text(
        INTRO + "## Besluiten\n\nWij nemen geen besluiten die alleen door een computer worden genomen."
    )
    assert said.status("geautomatiseerde_besluiten") == "aanwezig"


@pytest.mark.parametrize(
    "sentence",
    [
        "Wij kunnen uw persoonsgegevens verwerken indien wij een gerechtvaardigd belang hebben dat zwaarder "
        "weegt dan uw privacybelangen.",
        "In de regel delen we je gegevens nooit met derden tenzij er een gerechtvaardigd belang is.",
    ],
)
def test_a_legitimate_interest_named_only_in_general_is_weak(sentence: str) -> None:
    """Art. 13 lid 1 sub d asks which interest, for which processing: a condition ("indien wij een
    gerechtvaardigd belang hebben") names none."""
    report = check_text(INTRO + "## Grondslagen\n\n" + sentence)
    assert report.status("gerechtvaardigd_belang") == "zwak"
    assert "algemene zin" in report.result("gerechtvaardigd_belang").note


def test_a_legitimate_interest_with_its_purpose_is_present() -> None:
    report = check_text(
        INTRO
        + "## Nieuwsbrief\n\nWij sturen klanten een nieuwsbrief op basis van ons gerechtvaardigd belang "
        "om hen te informeren over nieuwe producten. U kunt bezwaar maken tegen verwerking op basis van ons "
        "gerechtvaardigd belang."
    )
    assert report.status("gerechtvaardigd_belang") == "aanwezig"


@pytest.mark.parametrize(
    ("section", "status"),
    [
        ("Wij zijn wettelijk verplicht uw gegevens zeven jaar te bewaren.", "ontbreekt"),
        ("Als de politie erom vraagt, zijn wij verplicht deze gegevens af te geven.", "ontbreekt"),
        ("Uw telefoonnummer is optioneel.", "zwak"),
        ("Voor de inschrijving zijn wij wettelijk verplicht uw identiteit vast te stellen.", "zwak"),
        ("Zonder uw naam en adres kunnen wij de bestelling niet bezorgen.", "aanwezig"),
        ("U hoeft uw geboortedatum niet te geven; zonder die datum krijgt u geen kaart.", "aanwezig"),
    ],
)
def test_whether_the_person_must_give_the_data(section: str, status: str) -> None:
    """Art. 13 lid 2 sub e is about the person's duty to give data and what follows if they do not; the
    organisation's own duties (to keep records, to hand data to the police) are not that information."""
    report = check_text(INTRO + "## Uw gegevens\n\n" + section)
    assert report.status("verplichting") == status, report.result("verplichting")


def test_silence_on_transfers_depends_on_a_service_outside_the_eea() -> None:
    """Art. 13 lid 1 sub f applies where a transfer is intended: silence is "niet van toepassing — controleer
    dit" unless the statement names a service known to sit outside the EEA (labellers of real statements)."""
    silent = check_text(INTRO + "## Nieuwsbrief\n\nWij sturen leden een nieuwsbrief per e-mail.")
    assert silent.status("doorgifte") == "niet van toepassing"
    assert "controleer dit" in silent.result("doorgifte").note
    hinted = check_text(INTRO + "## Nieuwsbrief\n\nWij versturen de nieuwsbrief met Mailchimp.")
    assert hinted.status("doorgifte") == "ontbreekt"
    app_store = check_text(INTRO + "## App\n\nU downloadt de app in de App Store of Google Play Store.")
    assert app_store.status("doorgifte") == "niet van toepassing"


def test_silence_on_legitimate_interest_depends_on_processing_that_rests_on_it() -> None:
    """No basis named at all is no reason to expect a legitimate interest; cameras or analytics are."""
    plain = check_text(INTRO + "## Lessen\n\nWij gebruiken uw adres om de lesfacturen te sturen.")
    assert plain.status("gerechtvaardigd_belang") == "niet van toepassing"
    cameras = check_text(INTRO + "## Winkel\n\nIn de winkel hangen camera's; de beelden bewaren wij kort.")
    assert cameras.status("gerechtvaardigd_belang") == "ontbreekt"
    denied = check_text(INTRO + "## Website\n\nWij maken geen gebruik van analytics of tracking cookies.")
    assert denied.status("gerechtvaardigd_belang") == "niet van toepassing"
