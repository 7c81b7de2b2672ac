"""The check judges found evidence like a consultant: requirements, periodic activity, limitations, n.v.t.

Unit tests on the judge with the shipped checklist's questions and own short passages, plus the
measurement on the development dossiers (floors actually reached; the test fails when the method
regresses).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from assistant.features.check.checklist import load_shipped_checklist, parse_checklist
from assistant.features.check.judge import judge, limitations, red_flags
from assistant.features.check.known import ClientKnowledge, known_answer
from assistant.features.check.model import (
    STATUS_COMPLIES,
    STATUS_NOT_APPLICABLE,
    STATUS_PARTIAL,
    CheckAnswer,
    Evidence,
)
from assistant.features.check.polarity import admissions
from assistant.features.check.service import evidence_proposal
from assistant.features.privacy.model import Activity, Controller, Register
from assistant.ops.check_evaluation import evaluate_dossier, totals

FIXTURES = Path(__file__).parent / "fixtures" / "check"
CHECKLIST = load_shipped_checklist()
TODAY = date(2026, 6, 1)


def _evidence(text: str, document: str = "Procedure") -> Evidence:
    return Evidence(document, -1, document, text[:100], "c1", 0.9, "klant:x", passage=text)


def test_requirement_coverage_names_the_missing_element():
    question = CHECKLIST.get("LEK-04")
    partial = judge(question, ["De leverancier meldt een datalek binnen 48 uur aan ons."], TODAY)
    assert partial.status == STATUS_PARTIAL
    assert "informatie die de verwerker dan verstrekt" in partial.missing
    assert "concrete meldtermijn van de verwerker" in partial.found
    full = judge(
        question,
        [
            "De verwerker meldt een datalek binnen 24 uur, met de aard van het incident "
            "en de betrokken gegevens."
        ],
        TODAY,
    )
    assert full.status == STATUS_COMPLIES and not full.missing
    answer = evidence_proposal(
        question, [_evidence("De leverancier meldt een datalek binnen 48 uur aan ons.")]
    )
    assert answer.status == STATUS_PARTIAL
    assert "Niet gevonden: informatie die de verwerker dan verstrekt" in answer.rationale


def test_promise_without_record_is_partial_and_a_frequency_complies():
    question = CHECKLIST.get("BEV-04")
    promise = "Wij zullen een back-up op een externe locatie maken en het terugzetten testen."
    assert judge(question, [promise], TODAY).status == STATUS_PARTIAL
    stale = (
        "Elke nacht wordt een back-up gemaakt naar een datacenter. Het terugzetten is voor het laatst "
        "getest in 2021."
    )
    verdict = judge(question, [stale], TODAY)
    assert verdict.status == STATUS_PARTIAL and "2021" in verdict.explanation()
    done = (
        "Elke nacht wordt een back-up gemaakt naar een datacenter. Eens per kwartaal zetten wij een "
        "back-up terug om het herstel te testen."
    )
    assert judge(question, [done], TODAY).status == STATUS_COMPLIES


def test_limitation_and_known_weakness_are_partial():
    training = CHECKLIST.get("BWS-01")
    text = (
        "Nieuwe medewerkers krijgen jaarlijks een training. Verdere voorlichting over privacy geven wij niet."
    )
    assert judge(training, [text], TODAY).status == STATUS_PARTIAL
    sub = CHECKLIST.get("VWK-03")
    clause = (
        "De verwerker mag subverwerkers inschakelen zonder voorafgaande toestemming; "
        "de lijst staat in bijlage 2."
    )
    verdict = judge(sub, [clause], TODAY)
    assert verdict.status == STATUS_PARTIAL and "Zwakte" in verdict.explanation()
    ok = "Bijlage 2 is de lijst van subverwerkers; nieuwe subverwerkers meldt de verwerker vooraf."
    assert judge(sub, [ok], TODAY).status == STATUS_COMPLIES


def test_a_limiting_clause_finds_no_requirement():
    backups = CHECKLIST.get("BEV-04")
    text = (
        "Wij maken elke nacht een back-up naar een tweede locatie, maar het terugzetten van een back-up "
        "hebben we nooit getest."
    )
    verdict = judge(backups, [text], TODAY, CHECKLIST.questions)
    assert verdict.status == STATUS_PARTIAL
    assert "hersteltest" in verdict.missing and "hersteltest" not in verdict.found
    assert "frequentie van de back-up" in verdict.found  # the clause before "maar" still counts
    restored = "Wij maken elke nacht een back-up; het terugzetten testen wij elk kwartaal."
    assert "hersteltest" in judge(backups, [restored], TODAY, CHECKLIST.questions).found


def test_limitations_and_weaknesses_in_a_clients_words():
    def limited(question_id: str, text: str) -> bool:
        return bool(limitations(CHECKLIST.get(question_id), [text], CHECKLIST.questions))

    assert limited("BEV-04", "Er is tot op heden geen hersteltest uitgevoerd van de back-up van de server.")
    assert limited("DPIA-02", "De DPIA voor het fraudeonderzoek is nog steeds een concept.")
    assert limited("DPIA-02", "Bij de DPIA is het onderdeel over noodzaak nog niet ingevuld.")
    assert limited("BWT-02", "De automatische opschoning van oude dossiers staat nog niet aan.")
    assert not limited("BWT-02", "De automatische opschoning van oude dossiers staat aan sinds maart.")
    requests = CHECKLIST.get("REC-02")
    slow = "De afhandeltermijn voor een verzoek om inzage is zes weken na ontvangst."
    assert judge(requests, [slow], TODAY).status == STATUS_PARTIAL
    month = "Een verzoek om inzage beantwoorden wij binnen een maand; verlengen kan met twee maanden."
    assert not red_flags(requests, [month])
    identity = CHECKLIST.get("REC-03")
    kept = "Vraag de klant altijd om een kopie van het paspoort en bewaar die kopie bij het verzoek."
    assert red_flags(identity, [kept])
    assert red_flags(identity, ["De kopie van het identiteitsbewijs wordt bij het verzoek bewaard."])
    assert not red_flags(identity, ["Een kopie van het identiteitsbewijs wordt niet bewaard."])
    assert limited("BEV-03", "Tweestapsverificatie staat uit, want dat werkt niet met de gedeelde tablet.")
    assert limited("BEV-04", "Van de back-up is sinds 2023 geen volledige hersteltest meer gedaan.")
    assert limited("BWS-02", "In de overeenkomst met zzp-docenten staat niets over geheimhouding.")
    assert limited("LEK-02", "Datalekken die niet bij de AP worden gemeld, registreren wij niet apart.")
    children = CHECKLIST.get("KIN-01")
    assert red_flags(children, ["Leerlingen vanaf 12 jaar tekenen het toestemmingsformulier zelf."])
    assert red_flags(children, ["Een account kan vanaf 13 jaar; we vragen geen toestemming van ouders."])
    assert not red_flags(children, ["Vanaf 16 jaar geven jongeren zelf toestemming."])
    officer = CHECKLIST.get("FG-01")
    assert red_flags(officer, ["Omdat wij minder dan 250 medewerkers hebben, is een FG niet verplicht."])
    assert not red_flags(officer, ["Wij hebben 250 medewerkers en verwerken geen gezondheidsgegevens."])


def test_rules_and_conditions_are_no_admissions():
    access = CHECKLIST.get("BEV-02")
    assert not admissions("Medewerkers hebben geen toegang tot dossiers die zij niet nodig hebben.", access)
    leak = CHECKLIST.get("LEK-02")
    assert not admissions("Ieder datalek, ook als het niet bij de AP wordt gemeld, leggen wij vast.", leak)
    assert admissions("Een overzicht van incidenten houden wij niet bij.", leak)


def _register() -> Register:
    activity = Activity(name="Huurdersselectie", purpose="selectie van huurders", legal_basis="b")
    return Register("x", Controller(name="X B.V."), [activity])


def test_not_applicable_from_register_refused_when_documents_describe_it():
    question = CHECKLIST.get("ADM-01")
    known = ClientKnowledge("x", _register())
    silent = CheckAnswer(question.id, "voldoet niet", "", "")
    assert known_answer(question, known, silent).status == STATUS_NOT_APPLICABLE  # type: ignore[union-attr]
    text = "Kandidaten met een score onder de drempel krijgen automatisch een afwijzing."
    described = evidence_proposal(question, [_evidence(text)])
    assert known_answer(question, known, described) is None
    assert described.status == STATUS_PARTIAL  # no human intervention, no explanation shown


def test_requirements_round_trip_through_yaml():
    again = parse_checklist(CHECKLIST.to_yaml())
    assert again.get("LEK-04").requirements == CHECKLIST.get("LEK-04").requirements
    assert again.get("BEV-04").periodic and again.get("VWK-03").red_flags


def test_measurement_on_the_development_dossiers(embedder, tmp_path: Path):
    names = ("thuiszorg", "makelaardij", "tandarts", "webshop")
    results = [evaluate_dossier(FIXTURES / name, embedder, tmp_path / name) for name in names]
    summary = totals(results)
    # floors just under what is reached (README, round 4: recall 88.8% (87/98), precision 94.6% (87/92),
    # planted 34/36); round 3: 85.7%, 92.3%, 33/36; before the cross-checks 80%, 90%, 29/36. Round 7:
    # precision 93.6% — LEK-04 asks the breach term in every agreement, and the webshop's key (an early
    # fixture) accepts the one agreement shown although the register names two more processors. Round 8:
    # precision 91.6% — a processing agreement is no evidence of the client's own practice, and the
    # dentist's rules of conduct (BWS-02) and the home care's internal assessment of a breach (LEK-01)
    # were found only in a processor's agreement (right for the wrong reason before). Round 13: precision
    # 90.7% — an admission in a passage retrieval did not rank counts now (caught three planted missing
    # agreements on read dossiers), and the estate agent's "Op welke waarborg de doorgifte naar LeadNest
    # berust, hebben wij niet nagegaan" reads as DGF-01's (its key: DGF-01 voldoet, the safeguard is DGF-02).
    # Round 14: recall 87.8% — the other sections of a document about the subject are read (the estate
    # agent's processing agreement shows every clause VWK-02 asks; its key says deels for the agreements not
    # shown), and "De HuurScore … geven wij niet door" no longer limits TRA-02 (it names no source).
    assert summary["recall"] >= 0.87
    assert summary["precisie"] >= 0.90
    assert summary["gevangen_aandeel"] >= 0.94


def test_measurement_on_all_five_dossiers(embedder, tmp_path: Path):
    """All five development dossiers (sportschool, once measured as held-out, is a development dossier)."""
    names = ("thuiszorg", "makelaardij", "tandarts", "webshop", "sportschool")
    results = [evaluate_dossier(FIXTURES / name, embedder, tmp_path / name) for name in names]
    summary = totals(results)
    # reached in round 4: recall 88.6% (109/123), precision 95.6% (109/114), planted 44/48 (91.7%);
    # sportschool alone 10/12, 88%, 100% (round 3: all five 81.3%, 91.7%, 42/48; sportschool 9/12, 64%,
    # 88.9%); round 7: precision 94.8% (the webshop's LEK-04, see above); round 8: 93.2% (processing
    # agreements are no evidence of the client's own practice, see above); round 13: 92.4% (the estate
    # agent's DGF-01, see above); round 14: recall 87.0% (the estate agent's VWK-02 and TRA-02, see above)
    assert summary["recall"] >= 0.87
    assert summary["precisie"] >= 0.92
    assert summary["gevangen_aandeel"] >= 0.91


def test_requirement_vocabulary_accepts_common_phrasing():
    access = "Autorisaties zijn per rol ingesteld. Bij uitdiensttreding blokkeert de beheerder het account."
    assert judge(CHECKLIST.get("BEV-02"), [access], TODAY).status == STATUS_COMPLIES
    requests = (
        "Een verzoek om inzage stuur je door aan de officemanager; zij beantwoordt het en registreert "
        "elk verzoek."
    )
    assert judge(CHECKLIST.get("REC-01"), [requests], TODAY).status == STATUS_COMPLIES
    secrecy = "Alle medewerkers, ook uitzendkrachten en stagiairs, tekenen een geheimhoudingsverklaring."
    verdict = judge(CHECKLIST.get("BWS-02"), [secrecy], TODAY)
    assert verdict.status == STATUS_COMPLIES and verdict.missing == ["gedragsregels voor persoonsgegevens"]
