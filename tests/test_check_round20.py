"""Round 20, Compliancy Check, from the dossiers of H (measured blind last round, read now): the client's own
words that a clean-up function was never switched on or a folder was never cleaned up, a separable verb's
past participle read as the verb of a key term ("opgeschoond" for "opschoon"), consent presumed where the
person made no choice (GRS-02), the 72 hours counted from a meeting's decision (LEK-01) and the unreported
breaches as LEK-02's core, a private computer and ordinary e-mail (BEV-03), migration 20.

The sentences are our own, in the shapes the writers used, not theirs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from check_support import checklist_before_migration

from assistant.features.check.checklist import key_terms_match, load_shipped_checklist
from assistant.features.check.judge import judge, limitations, red_flags
from assistant.features.check.known import ClientKnowledge, known_answer
from assistant.features.check.model import (
    STATUS_COMPLIES,
    STATUS_FAILS,
    STATUS_NOT_APPLICABLE,
    STATUS_PARTIAL,
    CheckAnswer,
    DocumentPassage,
)
from assistant.features.privacy.model import Activity, Controller, Register
from assistant.features.privacy.register_special import unrecorded_special_data

CHECKLIST = load_shipped_checklist()


@pytest.mark.parametrize(
    "sentence",
    [
        "Het pakket heeft een functie om oude uploads te verwijderen, maar die is nooit aangezet.",
        "De map met gescande paspoorten op de gedeelde schijf is sinds 2018 niet opgeschoond.",
    ],
)
def test_the_clients_own_words_of_round_20_limit_the_clean_up(sentence: str) -> None:
    found = limitations(CHECKLIST.get("BWT-02"), [sentence], CHECKLIST.questions)
    assert found == [sentence]


def test_a_clean_up_procedure_with_a_folder_never_cleaned_up_is_partial() -> None:
    text = (
        "Na afloop van de bewaartermijn verwijderen wij de gegevens. Elk jaar in januari schonen wij het "
        "systeem op en maken daar een verslag van. De map met gescande paspoorten op de gedeelde schijf is "
        "sinds 2018 niet opgeschoond."
    )
    verdict = judge(CHECKLIST.get("BWT-02"), [text], neighbours=CHECKLIST.questions)
    assert verdict.status == STATUS_PARTIAL and verdict.shortfalls


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("De oude bestanden zijn vorig jaar opgeschoond.", True),  # "opschoon" as a participle
        ("Alle cliënten zijn aangemeld bij het portaal.", True),  # "aanmelden" → "aangemeld"
        ("Wij schonen de schijf niet op.", False),  # a separated particle is not the participle
    ],
)
def test_a_separable_verbs_participle_is_the_verb(text: str, matches: bool) -> None:
    entry = "aanmelden" if "aangemeld" in text else "opschoon"
    assert key_terms_match(text, [entry]) is matches


@pytest.mark.parametrize(
    ("question_id", "sentence", "flagged"),
    [
        (
            "GRS-02",
            "Heeft de klant er geen duidelijke mening over of is het druk, zet de toestemming dan op ja.",
            True,
        ),
        (
            "GRS-02",
            "Wie niet reageert op onze brief, daarvan gaan we ervan uit dat hij toestemming geeft.",
            True,
        ),
        (
            "GRS-02",
            "De klant vinkt zelf aan of hij toestemming geeft; zonder vinkje sturen wij niets.",
            False,
        ),
        (
            "LEK-01",
            "De termijn van 72 uur gaat in op het moment dat de directie heeft vastgesteld "
            "dat het een datalek is.",
            True,
        ),
        ("LEK-01", "De termijn van 72 uur begint op het moment dat wij het lek ontdekken.", False),
        (
            "BEV-03",
            "Wie thuis werkt, mag daarvoor de eigen computer gebruiken, zolang er een virusscanner op staat.",
            True,
        ),
        ("BEV-03", "Het behandeloverzicht sturen we als bijlage met gewone e-mail naar het wijkteam.", True),
        ("BEV-03", "De uitwisseling gaat via het beveiligde portaal, nooit via gewone e-mail.", False),
        ("BEV-03", "Medewerkers gebruiken hun eigen telefoon voor de tweestapsverificatie.", False),
        ("BEV-03", "Medewerkers mogen geen eigen laptop gebruiken.", False),
    ],
)
def test_round_20_weaknesses(question_id: str, sentence: str, flagged: bool) -> None:
    assert bool(red_flags(CHECKLIST.get(question_id), [sentence])) is flagged


def test_migration_20_adopts_the_weaknesses_in_unedited_questions(tmp_path: Path) -> None:
    from assistant.features.check.checklist_store import ChecklistStore

    def as_previous_release(items: list[dict[str, Any]]) -> None:
        for item in items:  # release 19 knew neither weakness
            if item["id"] in ("GRS-02", "LEK-01"):
                item["red_flags"] = [
                    f for f in item["red_flags"] if "vastgesteld" not in f and "mening" not in f
                ]
            if item["id"] == "BEV-03":  # nor a private computer or ordinary e-mail
                item["red_flags"] = [f for f in item["red_flags"] if "gewone" not in f and "prive)" not in f]
            if item["id"] == "LEK-02":  # nor the unreported breaches as its core, and asked for the facts
                item["requirements"] = [r for r in item["requirements"] if not r.get("essential")]
                for requirement in item["requirements"]:
                    requirement["optional"] = False

    path = tmp_path / "compliancy.sqlite3"
    checklist_before_migration(path, 20, as_previous_release, ("GOV-01", "Eigen vraag over beleid"))
    store = ChecklistStore(path)
    assert "ronde 20" in store.versions()[-1].note
    assert store.current().get("GRS-02") == CHECKLIST.get("GRS-02")
    assert store.current().get("LEK-01") == CHECKLIST.get("LEK-01")
    assert store.current().get("LEK-02") == CHECKLIST.get("LEK-02")
    assert store.current().get("BEV-03") == CHECKLIST.get("BEV-03")
    assert store.current().get("GOV-01").question == "Eigen vraag over beleid"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # what the question asks, without a list of what each entry holds: consultants accept it
        ("Elk lek, ook als het niet wordt gemeld, komt in het datalekregister van de FG.", STATUS_COMPLIES),
        (
            "Ieder datalek, gemeld of niet, komt in het datalekregister op de gedeelde schijf.",
            STATUS_COMPLIES,
        ),
        # a register with facts and measures, but nothing about the breaches that were not reported
        (
            "De privacycoördinator houdt een datalekregister bij met de feiten, de gevolgen en "
            "de maatregelen.",
            STATUS_PARTIAL,
        ),
        # the client's own admission
        (
            "Ieder datalek, gemeld of niet, komt in het datalekregister. Die foto op Instagram heb ik "
            "niet in het datalekregister gezet, volgens mij is dat alleen voor hacks.",
            STATUS_PARTIAL,
        ),
    ],
)
def test_lek_02_asks_for_the_unreported_breaches(text: str, status: str) -> None:
    assert judge(CHECKLIST.get("LEK-02"), [text], neighbours=CHECKLIST.questions).status == status


def _housing() -> Register:
    letting = Activity(
        "Woningtoewijzing", purpose="woningen toewijzen", legal_basis="b", data_categories=["naam"]
    )
    return Register("Woonstichting Veldzicht", Controller(name="Woonstichting Veldzicht"), [letting])


_NO_EVIDENCE = CheckAnswer("GRS-04", STATUS_FAILS, "geen bewijs", "Geen passage gevonden.")


def test_special_data_the_documents_show_without_an_exception_make_grs_04_partial() -> None:
    register = _housing()
    question = CHECKLIST.get("GRS-04")
    # the register records no special data: nothing to except
    answer = known_answer(question, ClientKnowledge("Woonstichting Veldzicht", register), _NO_EVIDENCE)
    assert answer is not None and answer.status == STATUS_NOT_APPLICABLE
    sentence = (
        "De medische stukken die de aanvrager meestuurt, zetten wij bij de aanvraag in het klantdossier."
    )
    passage = DocumentPassage(
        "Procesbeschrijving woningtoewijzing", f"Procesbeschrijving woningtoewijzing > U\n{sentence}"
    )
    special = unrecorded_special_data([passage], register)
    known = ClientKnowledge("Woonstichting Veldzicht", register, special=special)
    answer = known_answer(question, known, _NO_EVIDENCE)
    assert answer is not None and answer.status == STATUS_PARTIAL
    assert "Woningtoewijzing" in answer.rationale and "art. 9 lid 2" in answer.rationale
    assert [e.quote for e in answer.evidence] == [sentence]
