"""Round 18, Compliancy Check, from the dossiers of T and U (measured blind last round, read now):

* processing the documents place in a country outside the EEA that the register records no transfer to,
  also by a city and also where the client reasons it away ("volgens ons geen doorgifte");
* the client's own words that a measure is not carried out: "nooit uit gehaald", "geen enkel dossier
  verwijderd", "weer uitgezet", "zetten we niet in het register";
* LEK-01: the 72 hours counted from the moment all facts are known (migration 18).

The sentences are our own, in the shapes the writers used, not theirs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from check_support import checklist_before_migration

from assistant.features.check.checklist import load_shipped_checklist
from assistant.features.check.crosscheck import described_transfer_findings
from assistant.features.check.judge import limitations, red_flags
from assistant.features.check.model import STATUS_FAILS, STATUS_PARTIAL, DocumentPassage
from assistant.features.privacy.model import Activity, Controller, Recipient, Register, Transfer

_REMOTE = (
    "Twee van onze notulisten werken vanuit Manilla; omdat zij alleen inloggen op onze eigen server in "
    "Zwolle, is dat volgens ons geen doorgifte."
)


def _register(*transfers: Transfer) -> Register:
    minutes = Activity(
        "Notulen en verslagen",
        purpose="verslagen van cliëntgesprekken maken",
        legal_basis="b",
        recipients=[Recipient("Verslagwerk B.V.")],
        transfers=list(transfers),
    )
    return Register("Bureau Vechtdal", Controller(name="Bureau Vechtdal"), [minutes])


def _passages(text: str) -> list[DocumentPassage]:
    return [DocumentPassage("Werkinstructie verslaglegging", text, "c1", -1, "Werkinstructie verslaglegging")]


@pytest.mark.parametrize(
    "recorded",
    [
        (),  # the register records no transfer at all
        (Transfer("Verenigde Staten", "Mailbode Inc.", "EU-VS Data Privacy Framework"),),  # only another one
    ],
)
def test_remote_work_from_a_city_outside_the_eea_is_a_transfer_the_register_lacks(
    recorded: tuple[Transfer, ...],
) -> None:
    findings = described_transfer_findings(_passages(_REMOTE), _register(*recorded))
    assert findings["DGF-01"].status == STATUS_PARTIAL and "Manilla" in findings["DGF-01"].reason
    assert findings["DGF-02"].status == STATUS_FAILS
    # the reason says what the register lacks: a transfer at all, or one to this country
    lacks = "geen doorgifte naar de Filipijnen vastlegt" if recorded else "geen doorgifte vastlegt"
    assert f"terwijl het register {lacks}." in findings["DGF-01"].reason


def test_a_transfer_the_register_records_for_that_country_leaves_nothing_over() -> None:
    recorded = Transfer("Filipijnen", "Verslagwerk B.V.", "standaardcontractbepalingen")
    assert described_transfer_findings(_passages(_REMOTE), _register(recorded)) == {}


@pytest.mark.parametrize(
    "sentence",
    [
        # a US provider while the register records the US transfer: the known answers judge it
        "De techniek komt van een Amerikaans bedrijf met servers in de Verenigde Staten.",
        # a denial without anyone reaching the data from there
        "Onze leverancier heeft een kantoor in Kaapstad, maar gegevens worden niet buiten de EER verwerkt.",
        # a city that is no place of processing
        "Een van onze cliënten verhuist volgende maand naar Toronto.",
    ],
)
def test_no_described_transfer_where_the_register_has_it_or_nothing_goes_there(sentence: str) -> None:
    recorded = Transfer("Verenigde Staten", "Mailbode Inc.", "EU-VS Data Privacy Framework")
    assert described_transfer_findings(_passages(sentence), _register(recorded)) == {}


CHECKLIST = load_shipped_checklist()


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        (
            "BWT-02",
            "Ondanks de bewaartermijn zijn de oude aanmeldingen er sinds 2021 nooit uit gehaald.",
        ),
        ("BWT-02", "Sinds de verhuizing van het archief is er geen enkel afgesloten dossier vernietigd."),
        ("BEV-03", "De tweefactorauthenticatie van het planningssysteem hebben we vorig jaar weer uitgezet."),
        (
            "LEK-02",
            "Kleine incidenten, zoals een verkeerd gestuurde mail, zetten we niet in het datalekregister.",
        ),
    ],
)
def test_the_clients_own_words_of_round_18_limit_the_measure(question_id: str, sentence: str) -> None:
    found = limitations(CHECKLIST.get(question_id), [sentence], CHECKLIST.questions)
    assert found and sentence.startswith(found[0])


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        (
            "BWT-02",
            "Verlopen dossiers worden elk jaar in januari verwijderd; er is nog nooit een klacht geweest.",
        ),
        ("BEV-03", "De tweefactorauthenticatie staat voor alle accounts aan en is nooit uitgezet geweest."),
    ],
)
def test_a_measure_in_place_is_no_limitation_of_round_18(question_id: str, sentence: str) -> None:
    assert limitations(CHECKLIST.get(question_id), [sentence], CHECKLIST.questions) == []


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("De privacyofficer meldt het lek bij de AP uiterlijk 72 uur nadat alle feiten bekend zijn.", True),
        ("Wij melden een lek binnen 72 uur vanaf het moment dat het lek is bevestigd.", True),
        ("Wij melden een lek binnen 72 uur na ontdekking, ook als nog niet alle feiten bekend zijn.", False),
    ],
)
def test_the_72_hours_run_from_the_discovery_not_from_all_facts(sentence: str, flagged: bool) -> None:
    assert bool(red_flags(CHECKLIST.get("LEK-01"), [sentence])) is flagged


def test_migration_18_brings_the_term_misconception_into_unedited_questions(tmp_path: Path) -> None:
    from assistant.features.check.checklist_store import ChecklistStore

    def as_previous_release(items: list[dict[str, Any]]) -> None:
        for item in items:  # release 17 counted only from the end of an investigation
            if item["id"] == "LEK-01":
                item["red_flags"][0] = item["red_flags"][0].replace(
                    "|alle feiten|vaststaat|vast staat|bevestigd", ""
                )

    path = tmp_path / "compliancy.sqlite3"
    checklist_before_migration(path, 18, as_previous_release, ("GOV-01", "Eigen vraag over beleid"))
    store = ChecklistStore(path)
    assert "ronde 18" in store.versions()[-1].note
    assert store.current().get("LEK-01") == CHECKLIST.get("LEK-01")
    assert store.current().get("GOV-01").question == "Eigen vraag over beleid"


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("Een DPIA is niet nodig: de app bewaart alleen gehashte apparaatnummers en die zijn anoniem.", True),
        (
            "De scores gaan gepseudonimiseerd naar het kenniscentrum, dus dat zijn geen persoonsgegevens.",
            True,
        ),
        ("De nummers worden gehasht opgeslagen; ze zijn dus niet anoniem en vallen onder de AVG.", False),
        ("Voor de bezoekerstelling hebben wij een DPIA uitgevoerd.", False),
    ],
)
def test_pseudonymised_data_taken_for_anonymous_data_is_a_weak_dpia_reasoning(
    sentence: str, flagged: bool
) -> None:
    assert bool(red_flags(CHECKLIST.get("DPIA-03"), [sentence])) is flagged


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        # one sentence in two clauses: the weakness is only in both together
        (
            "Het restrisico blijft na alle maatregelen hoog; het bestuur accepteert dat en ziet geen reden "
            "om de Autoriteit Persoonsgegevens te raadplegen.",
            True,
        ),
        ("Het restrisico is na de maatregelen laag; raadpleging van de AP is daarom niet nodig.", False),
        ("Het restrisico blijft hoog; daarom hebben wij de AP vooraf geraadpleegd.", False),
    ],
)
def test_a_high_residual_risk_without_consulting_the_ap_across_a_semicolon(
    sentence: str, flagged: bool
) -> None:
    assert bool(red_flags(CHECKLIST.get("DPIA-02"), [sentence])) is flagged


@pytest.mark.parametrize(
    ("question_id", "sentence", "flagged"),
    [
        # the 72 hours that only start when an investigation is done
        ("LEK-01", "De meldtermijn van 72 uur gaat pas lopen als het onderzoek van de FG is afgerond.", True),
        ("LEK-01", "De termijn van 72 uur loopt vanaf het moment dat iemand het lek ontdekt.", False),
        # a processor that may keep using the data for its own product
        (
            "VWK-02",
            "Verwerker mag geanonimiseerde gegevens blijven gebruiken voor het verbeteren van de app.",
            True,
        ),
        ("VWK-02", "Verwerker mag de gegevens niet gebruiken voor het verbeteren van zijn diensten.", False),
        # no unsubscribe link in the marketing messages
        (
            "REC-04",
            "De afmeldlink onderaan de nieuwsbrief hebben we weggelaten om afmeldingen te beperken.",
            True,
        ),
        ("REC-04", "Onderaan elke nieuwsbrief staat een afmeldlink; afmeldingen verwerken we direct.", False),
        # requests refused as a rule
        (
            "REC-01",
            "Verzoeken om inzage van geobserveerde personen wijzen wij af, omdat het dossier van de klant is",
            True,
        ),
        ("REC-01", "Inzageverzoeken van oud-klanten worden standaard afgewezen.", True),
        ("REC-01", "Verzoeken wijzen wij alleen af als de wet dat toestaat, met een motivering.", False),
        # an FG who also holds a management position
        ("FG-02", "Onze FG is daarnaast hoofd ICT; zo blijven de lijnen kort.", True),
        ("FG-02", "De operationeel directeur is tevens onze functionaris gegevensbescherming.", True),
        ("FG-02", "De FG is ook bereikbaar via de manager van de afdeling.", False),
        ("FG-02", "De FG rapporteert rechtstreeks aan de directeur en is onafhankelijk.", False),
        # data about health taken for no health data
        ("GRS-04", "Allergieën zijn geen medische gegevens; het gaat alleen om wat iemand mag eten.", True),
        ("GRS-04", "Allergieën zijn gezondheidsgegevens; daarvoor vragen wij toestemming.", False),
    ],
)
def test_known_weaknesses_of_round_18(question_id: str, sentence: str, flagged: bool) -> None:
    assert bool(red_flags(CHECKLIST.get(question_id), [sentence])) is flagged


def test_a_confidentiality_statement_no_longer_signed_limits_the_measure() -> None:
    sentence = "Sinds het nieuwe formulier tekenen stagiairs geen geheimhoudingsverklaring meer."
    assert limitations(CHECKLIST.get("BWS-02"), [sentence], CHECKLIST.questions) == [sentence]


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        ("BWT-02", "De automatische opschoning van oude offertes staat in het CRM uit."),
        ("BEV-04", "De hersteltest van de back-up van het kassasysteem is voor de derde keer uitgesteld."),
    ],
)
def test_a_measure_switched_off_in_a_system_or_postponed_limits_it(question_id: str, sentence: str) -> None:
    assert limitations(CHECKLIST.get(question_id), [sentence], CHECKLIST.questions) == [sentence]


def test_everyone_of_a_group_seeing_all_of_something_through_a_system_is_too_broad_access() -> None:
    sentence = "Alle chauffeurs kunnen in de planningsapp de adressen van alle klanten zien."
    assert red_flags(CHECKLIST.get("BEV-02"), [sentence]) == [sentence]
