"""Recipients and other sources in the words statements use: a section "Met wie delen we …", a
processor "die namens ons … verwerkt", data "die we van … krijgen" (our own sentences)."""

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
        "## Politie\n\nCamerabeelden geven we alleen aan de politie, na een aangifte.",
        "## Anderen\n\nUw adresgegevens worden gedeeld met het bezorgbedrijf dat de taarten rondbrengt.",
    ],
)
def test_recipient_sections_in_ordinary_words_are_present(section: str) -> None:
    report = check_text(INTRO + section)
    assert report.status("ontvangers") == "aanwezig", report.result("ontvangers")


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
