"""Cross-checks of the client's documents with the register and the known services outside the EEA.

Own short passages and registers (no dossier text): a known non-EEA service named while the client claims
EU-only, processors named in documents but missing from the register or without an agreement, vague
retention terms, and optional (``aanvullend``) requirements.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from check_support import checklist_before_migration

from assistant.features.check.checklist import load_shipped_checklist, parse_checklist
from assistant.features.check.crosscheck import (
    all_findings,
    apply_findings,
    named_processors,
    vague_retention,
)
from assistant.features.check.judge import judge
from assistant.features.check.model import (
    LABEL_CROSS_CHECK,
    STATUS_COMPLIES,
    STATUS_FAILS,
    STATUS_NOT_APPLICABLE,
    STATUS_PARTIAL,
    CheckAnswer,
    DocumentPassage,
    Evidence,
)
from assistant.features.check.outside_eea import known_services, mentions
from assistant.features.privacy.model import Activity, Controller, Recipient, Register, Transfer

CHECKLIST = load_shipped_checklist()
CLIENT = "Zorg Oost"


def _register(*activities: Activity) -> Register:
    return Register(CLIENT, Controller(name="Stichting Zorg Oost"), list(activities))


def _app_activity(**extra: object) -> Activity:
    values: dict[str, object] = {
        "name": "Bewonersportaal",
        "purpose": "bewoners zien hun afspraken",
        "legal_basis": "b",
        "retention": "2 jaar",
        "recipients": [Recipient("PortaalBouw B.V.", "verwerker", "Nederland")],
        **extra,
    }
    return Activity(**values)  # type: ignore[arg-type]


def _doc(text: str, document: str = "Werkwijze bewonersportaal") -> DocumentPassage:
    return DocumentPassage(document, text, "c1", -1, document)


PORTAL = _doc(
    "Het bewonersportaal is gebouwd door PortaalBouw B.V. Voor de pushmeldingen gebruikt PortaalBouw "
    "Firebase Cloud Messaging; daarbij gaan de naam en de tekst van de melding naar Google."
)
EU_ONLY = _doc("Alle gegevens van Zorg Oost blijven binnen de Europese Economische Ruimte.", "Privacybeleid")


def _answer(question_id: str, status: str = STATUS_COMPLIES) -> CheckAnswer:
    return CheckAnswer(question_id, status, "uit het register", "Eerder oordeel.")


def test_the_shipped_service_list_loads_and_matches_whole_words():
    names = {s.name for s in known_services()}
    assert {"Google Firebase", "Mailchimp", "Microsoft 365", "Amazon Web Services"} <= names
    assert [m.service.name for m in mentions("Nieuwsbrieven versturen wij met Mailchimp.")] == ["Mailchimp"]
    assert mentions("Verwijzingen komen binnen via Zorgmail.") == []  # not Gmail
    # an EU Data Boundary is a point of attention, not a transfer; an EU region named in the sentence neither
    assert not mentions("Medewerkers werken in Microsoft 365.")[0].transfer
    assert not mentions("De database draait bij Amazon Web Services in Frankfurt.")[0].transfer
    assert mentions("De database draait bij Amazon Web Services.")[0].transfer


def test_non_eea_service_named_while_eu_only_is_claimed_fails_transfers():
    findings = all_findings([PORTAL, EU_ONLY], _register(_app_activity()), {}, CLIENT)
    dgf01 = apply_findings(CHECKLIST.get("DGF-01"), _answer("DGF-01"), findings["DGF-01"], CLIENT)
    assert dgf01.status == STATUS_FAILS and dgf01.label == LABEL_CROSS_CHECK
    assert "Google Firebase (Google LLC, Verenigde Staten)" in dgf01.rationale
    assert "blijven binnen de Europese Economische Ruimte" in dgf01.rationale
    assert any("Firebase" in e.quote for e in dgf01.evidence)  # the passage naming the service
    dgf02 = apply_findings(
        CHECKLIST.get("DGF-02"), _answer("DGF-02", STATUS_NOT_APPLICABLE), findings["DGF-02"], CLIENT
    )
    assert dgf02.status == STATUS_FAILS
    reg02 = apply_findings(CHECKLIST.get("REG-02"), _answer("REG-02"), findings["REG-02"], CLIENT)
    assert reg02.status == STATUS_PARTIAL and "doorgifte naar Google Firebase" in reg02.rationale


def test_non_eea_service_named_while_silent_is_partial_and_recorded_transfer_is_fine():
    silent = all_findings([PORTAL], _register(_app_activity()), {}, CLIENT)
    assert silent["DGF-01"][0].status == STATUS_PARTIAL
    recorded = _app_activity(
        recipients=[
            Recipient("PortaalBouw B.V.", "verwerker", "Nederland"),
            Recipient("Google (Firebase)", "subverwerker", "Verenigde Staten"),
        ],
        transfers=[Transfer("Verenigde Staten", "Google (Firebase)", "EU-VS Data Privacy Framework")],
    )
    known = all_findings([PORTAL, EU_ONLY], _register(recorded), {}, CLIENT)
    assert "DGF-01" not in known and "DGF-02" not in known
    unsafe = _app_activity(
        recipients=[Recipient("Google (Firebase)", "subverwerker", "Verenigde Staten")],
        transfers=[Transfer("Verenigde Staten", "Google (Firebase)", "")],
    )
    assert all_findings([PORTAL], _register(unsafe), {}, CLIENT)["DGF-02"][0].status == STATUS_PARTIAL


#: A processor's own annex that acknowledges a transfer the client does not know of (own words).
ANNEX = _doc(
    "Bijlage 2 — Subverwerkers. Amazon Web Services EMEA SARL slaat de foto's op in de AWS-regio US East, "
    "Verenigde Staten, op basis van standaardcontractbepalingen.",
    "Verwerkersovereenkomst PortaalBouw",
)


def test_a_transfer_only_the_processors_agreement_knows_is_not_noticed_by_the_client():
    findings = all_findings([EU_ONLY, ANNEX], _register(_app_activity()), {}, CLIENT)
    dgf01 = apply_findings(CHECKLIST.get("DGF-01"), _answer("DGF-01"), findings["DGF-01"], CLIENT)
    assert dgf01.status == STATUS_FAILS
    assert "alleen in de overeenkomst van de verwerker" in dgf01.rationale
    assert "Verwerkersovereenkomst PortaalBouw" in dgf01.rationale
    assert any(e.document == "Verwerkersovereenkomst PortaalBouw" for e in dgf01.evidence)
    # the agreement names a safeguard: the client has not assessed it, which is a partial answer
    dgf02 = apply_findings(CHECKLIST.get("DGF-02"), _answer("DGF-02"), findings["DGF-02"], CLIENT)
    assert dgf02.status == STATUS_PARTIAL and "niet zelf beoordeeld" in dgf02.rationale
    assert "Amazon Web Services" in " ".join(f.reason for f in findings["REG-02"])


def test_a_transfer_the_client_itself_acknowledges_or_records_is_no_unnoticed_one():
    own = _doc(
        "De foto's van het portaal staan bij Amazon Web Services in de Verenigde Staten.", "Privacybeleid"
    )
    assert "DGF-01" not in all_findings([EU_ONLY, ANNEX, own], _register(_app_activity()), {}, CLIENT)
    # no claim that the data stay in the EU: the agreement's annex is the client's record of it
    assert "DGF-01" not in all_findings([ANNEX], _register(_app_activity()), {}, CLIENT)
    recorded = _app_activity(transfers=[Transfer("Verenigde Staten", "Amazon Web Services", "SCC")])
    assert "DGF-01" not in all_findings([EU_ONLY, ANNEX], _register(recorded), {}, CLIENT)


def test_a_finding_never_lifts_a_gap():
    findings = all_findings([PORTAL], _register(_app_activity()), {}, CLIENT)
    worse = apply_findings(
        CHECKLIST.get("DGF-01"), _answer("DGF-01", STATUS_FAILS), findings["DGF-01"], CLIENT
    )
    assert worse.status == STATUS_FAILS and "Firebase" in worse.rationale
    assert apply_findings(CHECKLIST.get("DGF-01"), _answer("DGF-01"), [], CLIENT) == _answer("DGF-01")


def test_processors_named_in_documents_but_missing_from_the_register():
    table = _doc(
        "Overzicht leveranciers\n"
        "| leverancier | dienst | verwerkersovereenkomst |\n"
        "|---|---|---|\n"
        "| PortaalBouw B.V. | bewonersportaal | ja |\n"
        "| Archiefdienst Noord | vernietigen papieren dossiers | nee |\n"
        "| Arbodienst Midden | verzuim | n.v.t., zelf verantwoordelijke |\n",
        "Overzicht leveranciers",
    )
    hosting = _doc(
        "Het portaal draait bij HostPlaats B.V. in Groningen. De subverwerkers van HostPlaats staan in "
        "bijlage 2 (back-up bij Kluis B.V.).",
        "Werkwijze bewonersportaal",
    )
    counts = _doc(
        "Datalekken in 2025\n"
        "| Soort incident | Aantal | Gemeld AP |\n"
        "|---|---|---|\n"
        "| Incident bij verwerker (configuratiefout) | 1 | 1 |\n"
        "| **Totaal** | **17** | **2** |\n",
        "Procedure datalekken",
    )
    names = [p.name for p in named_processors([table, hosting, counts], [CLIENT])]
    # no subprocessor, no arbo; a row of counts that names a processor is no header of a supplier column
    assert names == ["PortaalBouw B.V.", "Archiefdienst Noord", "HostPlaats B.V."]
    agreement = Evidence("Verwerkersovereenkomst HostPlaats", -1, "", "", "c9", 1.0, "klant:zorg-oost")
    findings = all_findings(
        [table, hosting], _register(_app_activity()), {"HostPlaats B.V.": agreement}, CLIENT
    )
    reg02 = apply_findings(CHECKLIST.get("REG-02"), _answer("REG-02"), findings["REG-02"], CLIENT)
    assert reg02.status == STATUS_PARTIAL
    assert "Archiefdienst Noord" in reg02.rationale and "HostPlaats B.V." in reg02.rationale
    assert "bij verwerking 'Bewonersportaal'" in reg02.rationale  # HostPlaats: named in the portal's document
    assert "PortaalBouw" not in reg02.rationale.split("Eerder voorstel")[0]  # in the register
    vwk01 = apply_findings(CHECKLIST.get("VWK-01"), _answer("VWK-01"), findings["VWK-01"], CLIENT)
    assert vwk01.status == STATUS_PARTIAL and "Archiefdienst Noord" in vwk01.rationale
    assert "HostPlaats" not in vwk01.rationale.split("Eerder voorstel")[0]  # its agreement was found


def test_vague_retention_names_the_categories():
    activity = _app_activity(retention="afspraken 2 jaar; berichten niet langer dan noodzakelijk")
    table = _doc(
        "Bewaarbeleid. Wij bewaren geen gegevens langer dan nodig.\n"
        "| gegevens | bewaartermijn | grond |\n"
        "|---|---|---|\n"
        "| Afspraken | 2 jaar | eigen beleid |\n"
        "| Chatberichten | zolang nodig | - |\n",
        "Bewaarbeleid",
    )
    joined = _doc(  # a PDF table whose lines were joined
        "BEWAARTERMIJNEN Gegevens | Termijn | Grond Facturen | 7 jaar | fiscale plicht Foto's | zo lang als "
        "nodig | - Klachten | 5 jaar | eigen beleid",
        "Bewaarbeleid (pdf)",
    )
    found = vague_retention([table, joined], _register(activity))
    assert found == [
        ("Bewonersportaal", "berichten niet langer dan noodzakelijk"),
        ("Chatberichten", "zolang nodig"),
        ("Foto's", "zo lang als nodig"),
    ]  # the general sentence "niet langer dan nodig" above the table is no category
    findings = all_findings([table], _register(activity), {}, CLIENT)
    bwt01 = apply_findings(CHECKLIST.get("BWT-01"), _answer("BWT-01"), findings["BWT-01"], CLIENT)
    assert bwt01.status == STATUS_PARTIAL and "Chatberichten" in bwt01.rationale
    assert "Bewonersportaal" in findings["REG-02"][0].reason
    assert "BWT-01" not in all_findings([_doc("Wij bewaren niets langer dan nodig.")], None, {}, CLIENT)


def test_optional_requirement_is_named_but_not_required():
    question = CHECKLIST.get("BEV-02")
    verdict = judge(question, ["Autorisaties zijn per rol ingericht in het systeem."], date(2026, 6, 1))
    assert verdict.status == STATUS_COMPLIES
    assert "periodieke controle van de rechten (aanvullend)" in verdict.missing
    assert "Niet gevonden: periodieke controle van de rechten (aanvullend)" in verdict.explanation()
    text = """
versie: 1
vragen:
- id: X-01
  thema: T
  vraag: Is er een rooster?
  maatregel: Maak een rooster.
  inspanning_dagen: 1
  kernbegrippen: [rooster]
  vereisten:
  - naam: rooster per team
    termen: [team]
  - naam: jaarlijks herzien
    aanvullend: true
    termen: [jaarlijks]
"""
    checklist = parse_checklist(text)
    assert [r.optional for r in checklist.get("X-01").requirements] == [False, True]
    again = parse_checklist(checklist.to_yaml())
    assert again.get("X-01").requirements == checklist.get("X-01").requirements
    assert judge(again.get("X-01"), ["Elk team heeft een rooster."]).status == STATUS_COMPLIES
    assert judge(again.get("X-01"), ["Er is een rooster, jaarlijks herzien."]).status == STATUS_PARTIAL


@pytest.mark.parametrize("question_id", ["DGF-01", "DGF-02", "REG-02", "VWK-01", "BWT-01"])
def test_cross_checked_questions_exist_in_the_shipped_checklist(question_id: str):
    assert CHECKLIST.get(question_id).id == question_id


def test_migration_4_marks_optional_requirements_in_unedited_questions(tmp_path):
    """An install that ran migration 3 before ``aanvullend`` existed gets the marks; edited questions stay."""
    from assistant.features.check.checklist_store import ChecklistStore

    def without_optional(items: list[dict[str, Any]]) -> None:
        for item in items:  # the questions as migration 3 wrote them before requirements could be optional
            for requirement in item.get("requirements") or []:
                requirement.pop("optional", None)

    path = tmp_path / "compliancy.sqlite3"
    # a knowledge manager then edited BEV-03 (a question that also has optional-free requirements)
    checklist_before_migration(path, 4, without_optional, ("BEV-03", "Eigen tekst van de kennisbeheerder"))

    store = ChecklistStore(path)
    assert [(v.version, v.author) for v in store.versions()] == [
        (1, "meegeleverd"),
        (2, "Kennisbeheerder K"),
        (3, "meegeleverd"),
    ]
    current = store.current()
    assert [r.optional for r in current.get("BEV-02").requirements] == [False, True, True]
    assert current.get("BEV-02") == CHECKLIST.get("BEV-02")
    assert current.get("BEV-03").question == "Eigen tekst van de kennisbeheerder"
    assert [v.version for v in ChecklistStore(path).versions()] == [1, 2, 3]  # again: nothing changes
