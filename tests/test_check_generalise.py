"""Round 4 of the check's method: mechanisms meant to hold on dossiers the rules were never developed on.

Own short passages and registers (no dossier text): an agreement the client denies, publication on a social
platform, a safeguard recorded once per recipient, a register activity on basis f without a balancing test,
a supplier the register's activity lacks (register not kept up to date), the opt-out requirements of REC-04,
broad defaults (PBD-02) and limitations read only in sentences about the question's subject.
"""

from __future__ import annotations

from datetime import date

from assistant.features.check.checklist import load_shipped_checklist
from assistant.features.check.crosscheck import all_findings
from assistant.features.check.evidence import agreement_denied
from assistant.features.check.judge import judge
from assistant.features.check.known import ClientKnowledge, known_answer
from assistant.features.check.model import (
    STATUS_COMPLIES,
    STATUS_FAILS,
    STATUS_PARTIAL,
    CheckAnswer,
    DocumentPassage,
)
from assistant.features.check.outside_eea import mentions
from assistant.features.privacy.model import Activity, Controller, Recipient, Register, Transfer

CHECKLIST = load_shipped_checklist()
TODAY = date(2026, 6, 1)
CLIENT = "Bakkerij Noord"


def _register(*activities: Activity) -> Register:
    return Register(CLIENT, Controller(name="Bakkerij Noord B.V."), list(activities))


def _silent(question_id: str) -> CheckAnswer:
    return CheckAnswer(question_id, STATUS_FAILS, "", "")


def test_an_agreement_the_client_denies_is_no_agreement():
    table = "| leverancier | dienst | verwerkersovereenkomst |\n| RoosterApp V.O.F. | roosters | nee |"
    assert agreement_denied(table, "roosterapp v o f")
    assert agreement_denied("Een verwerkersovereenkomst met RoosterApp is er niet.", "roosterapp")
    assert agreement_denied("De verwerkersovereenkomst met RoosterApp is nog niet ondertekend.", "roosterapp")
    assert not agreement_denied("| KassaNet B.V. | kassasysteem | ja (2023) |", "kassanet b v")
    signed = (
        "In deze verwerkersovereenkomst verplicht KassaNet zich de gegevens niet voor eigen "
        "doelen te gebruiken."
    )
    assert not agreement_denied(signed, "kassanet")


def test_publishing_on_a_social_platform_is_no_transfer_but_a_pixel_is():
    posted = mentions("Foto's van de open dag plaatsen wij op Instagram en Facebook.")
    assert posted and not any(m.transfer for m in posted)
    pixel = mentions("Op de website staat de Facebook pixel om advertenties te meten.")
    assert pixel and all(m.transfer for m in pixel)


def test_a_safeguard_is_per_recipient_and_nog_uitzoeken_is_none():
    mailer = [Recipient("PostRaket Inc.", "verwerker", "Verenigde Staten")]
    newsletter = Activity(
        name="Nieuwsbrief",
        purpose="nieuwsbrief",
        legal_basis="a",
        recipients=mailer,
        transfers=[Transfer("Verenigde Staten", "PostRaket Inc.", "EU-US Data Privacy Framework")],
    )
    offers = Activity(name="Aanbiedingen", purpose="aanbiedingen", legal_basis="f", recipients=mailer)
    question = CHECKLIST.get("DGF-02")
    covered = known_answer(
        question, ClientKnowledge(CLIENT, _register(newsletter, offers)), _silent("DGF-02")
    )
    assert covered is not None and covered.status == STATUS_COMPLIES
    pending = Activity(
        name="Nieuwsbrief",
        purpose="nieuwsbrief",
        legal_basis="a",
        recipients=mailer,
        transfers=[Transfer("Verenigde Staten", "PostRaket Inc.", "nog uitzoeken")],
    )
    open_ = known_answer(question, ClientKnowledge(CLIENT, _register(pending, offers)), _silent("DGF-02"))
    assert open_ is not None and open_.status == STATUS_FAILS


def test_legitimate_interest_without_balancing_test_in_the_register_is_partial():
    cameras = Activity(
        name="Camera's",
        purpose="veiligheid",
        legal_basis="f",
        balancing_test="vastgelegd in het camerabeleid",
    )
    campaign = Activity(name="Winactie oud-klanten", purpose="klanten terugwinnen", legal_basis="f")
    question = CHECKLIST.get("GRS-03")
    answer = known_answer(question, ClientKnowledge(CLIENT, _register(cameras, campaign)), _silent("GRS-03"))
    assert answer is not None and answer.status == STATUS_PARTIAL
    assert "Winactie oud-klanten" in answer.rationale and "Camera's" not in answer.subjects
    all_done = known_answer(question, ClientKnowledge(CLIENT, _register(cameras)), _silent("GRS-03"))
    assert all_done is not None and all_done.status == STATUS_COMPLIES  # on file for every activity


def test_a_supplier_the_registers_activity_lacks_means_the_register_is_not_up_to_date():
    bakery = Activity(
        name="Bezorging",
        purpose="bestellingen bezorgen",
        legal_basis="b",
        recipients=[Recipient("KassaNet B.V.", "verwerker", "Nederland")],
    )
    passage = DocumentPassage(
        "Werkwijze bezorging",
        "Voor de bezorging gebruiken wij de routeplanner van RitSlim B.V.",
        "c1",
        -1,
        "",
    )
    findings = all_findings([passage], _register(bakery), {}, CLIENT)
    assert [f.status for f in findings["REG-03"]] == [STATUS_PARTIAL]
    assert "RitSlim B.V." in findings["REG-03"][0].reason and "Bezorging" in findings["REG-03"][0].subjects
    loose = DocumentPassage(
        "Algemeen", "Onze accountant is Cijfers B.V., die de jaarrekening verzorgt.", "c2", -1, ""
    )
    assert "REG-03" not in all_findings([loose], _register(bakery), {}, CLIENT)  # tied to no activity


def test_opt_out_needs_a_link_in_every_message_and_prompt_handling():
    question = CHECKLIST.get("REC-04")
    slow = (
        "Afmelden voor de nieuwsbrief kan per e-mail aan de klantenservice. "
        "Wij verwerken de afmelding binnen vier weken."
    )
    verdict = judge(question, [slow], TODAY)
    assert verdict.status == STATUS_PARTIAL and "afmelding direct verwerkt" in verdict.missing
    good = "Onderaan elke nieuwsbrief staat een afmeldlink; wie zich afmeldt, krijgt direct geen mails meer."
    assert judge(question, [good], TODAY).status == STATUS_COMPLIES


def test_broad_defaults_are_a_weakness_of_privacy_by_default():
    question = CHECKLIST.get("PBD-02")
    broad = "Standaard zien alle medewerkers van de winkel alle bestellingen van een klant."
    assert judge(question, [broad], TODAY).status == STATUS_PARTIAL
    ticked = "Het vakje voor aanbiedingen van partners staat standaard aangevinkt."
    assert judge(question, [ticked], TODAY).status == STATUS_PARTIAL


def test_a_limitation_counts_only_in_a_sentence_about_the_subject():
    question = CHECKLIST.get("CAM-01")
    policy = (
        "Het camerabeleid noemt het doel: veiligheid. Camerabeelden worden 72 uur bewaard; "
        "alleen de manager bekijkt ze. Bij de ingang hangt een bord. "
        "Voor de kassa is nog niet bekeken hoe gegevens worden verwijderd."
    )
    verdict = judge(question, [policy], TODAY)
    assert not any("niet gebeurt" in r for r in verdict.reasons)
