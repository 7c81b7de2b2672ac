"""No fact without a source: the draft, the register's own warnings, the honest completeness check,
approval rules (open gaps, four eyes) and the Word export (A4, page numbers, no login names)."""

from __future__ import annotations

import argparse
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
import yaml

from assistant.features.accounts.users import ScryptParams, UserStore
from assistant.features.privacy.completeness import (
    MISSING,
    NOT_APPLICABLE,
    PRESENT,
    WEAK,
    check_text,
)
from assistant.features.privacy.errors import ReviewError
from assistant.features.privacy.model import Activity, Controller, Register, validate
from assistant.features.privacy.register_io import import_register
from assistant.features.privacy.review import APPROVED
from assistant.features.privacy.service import PrivacyService
from assistant.features.privacy.statement import build_draft
from assistant.interfaces.cli.actor import add_options
from assistant.interfaces.cli.privacy import HANDLERS, add_parsers
from assistant.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "privacy"
WEBSHOP = FIXTURES / "webshop-zonnig.yaml"
CLIENT = "Webshop Zonnig"
PASSWORD = "correct paard batterij niet"

DEFAULT_CLAIMS = (
    "afgewogen tegen uw privacy",
    "Wij nemen geen besluiten",
    "Wij hebben geen functionaris",
    "Wij geven uw gegevens niet door",
    "Wij delen uw gegevens niet",
)


def kinderopvang() -> Register:
    """A register that is silent on the balancing test, automated decisions, FG and transfers."""
    return Register(
        "Kinderopvang Klimrek",
        Controller(name="Kinderopvang Klimrek B.V.", email="privacy@klimrek.example"),
        [
            Activity(
                name="Wachtlijst",
                purpose="wij plaatsen kinderen op de wachtlijst",
                legal_basis="f",
                legitimate_interest="wij willen plaatsen eerlijk verdelen",
                data_categories=["naam", "geboortedatum"],
                data_subjects=["ouders", "kinderen"],
                retention="1 jaar na plaatsing",
            ),
            Activity(
                name="Opvangcontract",
                purpose="wij voeren het opvangcontract uit",
                legal_basis="b",
                data_categories=["naam", "adres"],
                data_subjects=["ouders"],
                retention="7 jaar na afloop van het contract",
            ),
        ],
    )


# --- 5. the draft states nothing the register does not carry ---------------------------------


def test_silent_register_gives_placeholders_and_no_default_claims() -> None:
    draft = build_draft(kinderopvang())
    text = draft.markdown()
    for claim in DEFAULT_CLAIMS:
        assert claim not in text, claim
    for key in ("gerechtvaardigd_belang", "geautomatiseerde_besluiten", "fg", "doorgifte", "ontvangers"):
        assert "[AANVULLEN" in draft.section(key).text, key
    assert "belangenafweging voor Wachtlijst" in draft.section("gerechtvaardigd_belang").text
    assert "Wachtlijst en Opvangcontract" in draft.section("geautomatiseerde_besluiten").text


def test_recorded_facts_are_stated() -> None:
    register = kinderopvang()
    waitlist, contract = register.activities
    waitlist.balancing_test = "vastgelegd in de notitie van 3 maart 2026"
    waitlist.automated_decisions = "het wachtlijstprogramma bepaalt de volgorde op basis van de aanmelddatum"
    contract.automated_decisions = "nee"
    waitlist.transfers_outside_eea = contract.transfers_outside_eea = "nee"
    register.controller.fg_assessment = "nee, kleinschalig en geen kernactiviteit"
    draft = build_draft(register)
    assert "Wij hebben dit belang afgewogen tegen uw privacy." in draft.section("gerechtvaardigd_belang").text
    automated = draft.section("geautomatiseerde_besluiten").text
    assert "Het wachtlijstprogramma bepaalt de volgorde" in automated and "Wij nemen geen" not in automated
    assert "[AANVULLEN" not in automated
    assert draft.section("fg").text.startswith("Wij hebben geen functionaris")
    assert draft.section("doorgifte").text.startswith("Wij geven uw gegevens niet door")


def test_fg_required_by_the_register_is_never_denied() -> None:
    register = kinderopvang()
    register.controller.fg_assessment = "nee"
    register.activities[0].special_categories = ["gezondheid van het kind"]
    register.activities[0].art9_exception = "h"
    register.activities[0].large_scale = "ja"
    text = build_draft(register).section("fg").text
    assert "Wij hebben geen" not in text and "art. 37 lid 1 sub c AVG" in text and "[AANVULLEN" in text


def test_rights_follow_the_legal_basis() -> None:
    register = kinderopvang()
    register.activities.append(Activity(name="Nieuwsbrief", legal_basis="a"))
    register.activities.append(Activity(name="Kinderopvangtoeslag", legal_basis="c"))
    rights = build_draft(register).section("rechten").text
    lines = {line.split("**")[1]: line for line in rights.splitlines() if line.startswith("- **")}
    assert {"Inzage", "Rectificatie", "Wissing", "Beperking"} <= set(lines)
    assert lines["Bezwaar"].endswith("Dit geldt voor: wachtlijst.")  # f only, not a/b/c
    assert lines["Overdraagbaarheid"].endswith("Dit geldt voor: opvangcontract en nieuwsbrief.")
    assert lines["Toestemming intrekken"].endswith("Dit geldt voor: nieuwsbrief.")
    assert "kinderopvangtoeslag" not in rights  # legal obligation: neither portability nor objection
    only_contract = Register(
        "X", Controller(name="X", email="x@x.example"), [Activity("Levering", legal_basis="b")]
    )
    assert "**Bezwaar**" not in build_draft(only_contract).section("rechten").text


def test_art14_information_for_data_from_another_source() -> None:
    register = kinderopvang()
    register.activities[1].source = "de gemeente (toeslagenregister)"
    draft = build_draft(register)
    assert "naam en adres" in draft.section("categorieen").text
    assert "De gemeente (toeslagenregister)." in draft.section("bron").text


def test_register_warns_when_its_facts_call_for_more() -> None:
    register = kinderopvang()
    waitlist = register.activities[0]
    waitlist.automated_decisions = "het programma wijst plaatsen toe"
    waitlist.special_categories = ["gezondheidsgegevens"]
    waitlist.art9_exception = "h"
    waitlist.large_scale = "ja"
    messages = [str(p) for p in validate(register)]
    assert any("belangenafweging" in m and "Wachtlijst" in m for m in messages)
    assert any("DPIA is nodig" in m and "art. 35 lid 3 sub a" in m and "sub b" in m for m in messages)
    assert any("zonder FG" in m and "art. 37 lid 1 sub c AVG" in m for m in messages)
    waitlist.balancing_test, waitlist.dpia = "vastgelegd 2026-03-03", "uitgevoerd in 2026"
    register.controller.fg_name = "Femke de Vries"
    messages = [str(p) for p in validate(register)]
    assert not any("belangenafweging" in m or "DPIA" in m or "FG" in m for m in messages)


def test_new_fields_travel_through_yaml_and_the_store(tmp_path: Path) -> None:
    source = tmp_path / "klimrek.yaml"
    data = {
        "klant": "Kinderopvang Klimrek",
        "organisatie": {"naam": "Klimrek", "email": "p@k.example", "fg_beoordeling": "nee"},
        "verwerkingen": [
            {
                "naam": "Wachtlijst",
                "grondslag": "f",
                "belangenafweging": "notitie 3 maart",
                "dpia": "nee",
                "grootschalig": "nee",
                "doorgifte_buiten_eer": False,  # YAML no/false
                "geautomatiseerde_besluiten": "wachtlijstprogramma",  # a synonym of the field
                "bron": "de gemeente",  # synonym of herkomst
            }
        ],
    }
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    service = PrivacyService(tmp_path / "data")
    try:
        service.import_register(source, "anna")
        stored = service.register("Kinderopvang Klimrek")
        activity = stored.activities[0]
        assert (activity.balancing_test, activity.dpia, activity.large_scale) == (
            "notitie 3 maart",
            "nee",
            "nee",
        )
        assert activity.transfers_outside_eea == "nee" and activity.has_transfers == "nee"
        assert activity.automated_decisions == "wachtlijstprogramma" and activity.source == "de gemeente"
        assert stored.controller.fg_assessment == "nee"
        row = service.db.query("SELECT data FROM activities")[0]["data"]
        assert json.loads(row)["schema"] == 2
        for suffix in ("yaml", "csv", "xlsx"):
            out = tmp_path / f"uit.{suffix}"
            service.export_register("Kinderopvang Klimrek", out)
            again = import_register(out, client="Kinderopvang Klimrek", base=stored)
            assert again.activities[0].to_dict() == activity.to_dict(), suffix
            assert again.controller.fg_assessment == "nee", suffix
    finally:
        service.close()


# --- 6. the completeness check is honest -------------------------------------------------------


def test_placeholders_are_missing_never_present() -> None:
    register = kinderopvang()
    register.activities[0].transfers_outside_eea = "ja"  # says yes, but names no transfer
    register.activities[0].recipients = []
    draft = build_draft(register)
    exported = draft.markdown()
    gaps = exported.count("[AANVULLEN")
    assert gaps >= 5
    report = check_text(exported)
    assert report.placeholders == gaps and not report.complete
    for key in ("gerechtvaardigd_belang", "geautomatiseerde_besluiten", "fg", "ontvangers"):
        assert report.status(key) == MISSING, key
    gapped = {s.key for s in draft.sections if s.has_placeholder}
    assert not [k for k in gapped if report.status(k) == PRESENT]
    assert "Nog" in report.to_markdown() and report.to_json()["volledig"] is False


def test_placeholder_text_satisfies_no_element() -> None:
    text = (
        "# Doorgifte\n\nWij geven gegevens door buiten de EER: [AANVULLEN: waarborg voor de doorgifte "
        "(art. 46 AVG)].\n\n# Bewaren\n\nWij bewaren uw gegevens [AANVULLEN: 7 jaar na de bestelling]."
    )
    report = check_text(text)
    assert report.status("doorgifte") == MISSING
    assert report.status("bewaartermijnen") == MISSING
    assert "art. 46" not in report.result("doorgifte").evidence


def test_vague_retention_and_safeguard_are_weak() -> None:
    vague = check_text("# Bewaren\n\nWij bewaren uw gegevens niet langer dan noodzakelijk.")
    assert vague.status("bewaartermijnen") == WEAK
    assert "termijn of een concreet criterium" in vague.result("bewaartermijnen").note
    only_vague = check_text("# Hoe lang\n\nUw gegevens worden niet langer dan noodzakelijk gehouden.")
    assert only_vague.status("bewaartermijnen") == WEAK
    concrete = check_text("# Bewaren\n\nWij bewaren facturen 7 jaar vanwege de fiscale bewaarplicht.")
    assert concrete.status("bewaartermijnen") == PRESENT
    safeguard = check_text("# Doorgifte\n\nMailchimp zit buiten de EER; wij hebben passende waarborgen.")
    assert safeguard.status("doorgifte") == WEAK
    scc = check_text("# Doorgifte\n\nMailchimp zit buiten de EER; wij gebruiken modelcontractbepalingen.")
    assert scc.status("doorgifte") == PRESENT


def test_no_transfers_said_is_present_from_the_register_not_applicable_never_weak() -> None:
    # Saying there are none is the information owed: consultants label it present.
    said = check_text("# Doorgifte\n\nWij geven uw gegevens niet door aan landen buiten de EER.")
    assert said.status("doorgifte") == PRESENT
    assert "zegt dat dit niet voorkomt" in said.result("doorgifte").note
    register = kinderopvang()
    for activity in register.activities:
        activity.transfers_outside_eea = "nee"
    silent = check_text("# Over ons\n\nWij zijn Klimrek.", register)
    assert silent.status("doorgifte") == NOT_APPLICABLE
    mentioned = check_text("# Doorgifte\n\nWij werken met partijen buiten de EER.", register)
    assert mentioned.status("doorgifte") == NOT_APPLICABLE


def test_uploaded_file_is_checked_not_the_register(tmp_path: Path) -> None:
    service = PrivacyService(tmp_path / "data")
    try:
        service.import_register(WEBSHOP, "anna")
        register = service.register(CLIENT)
        register.activity("Klantenservice").retention = ""  # a gap in the register, not in the file
        service.save_register(register, "anna")
        upload = tmp_path / "verklaring.md"
        upload.write_text(
            build_draft(service.register(CLIENT))
            .markdown()
            .replace("[AANVULLEN: bewaartermijn voor Klantenservice]", "2 jaar na het laatste contact"),
            encoding="utf-8",
        )
        report = service.check_file(upload, CLIENT, semantic=False)
        assert report.status("bewaartermijnen") == PRESENT
        assert "register" not in report.result("bewaartermijnen").note
        draft = service.create_draft(CLIENT, "anna")
        assert service.check_draft(draft.id).status("bewaartermijnen") == MISSING
    finally:
        service.close()


# --- approval rules ----------------------------------------------------------------------------


def test_approval_refused_while_placeholders_remain(tmp_path: Path) -> None:
    service = PrivacyService(tmp_path / "data")
    try:
        service.save_register(kinderopvang(), "anna")
        record = service.create_draft("Kinderopvang Klimrek", "anna")
        service.review.submit(record.id, "anna")
        with pytest.raises(ReviewError, match=r"Goedkeuren kan niet: er staan nog \d+ open plek") as caught:
            service.review.approve(record.id, "bram")
        assert "'Besluiten door een computer' (1)" in str(caught.value)
        assert service.review.get(record.id).status != APPROVED
    finally:
        service.close()


def make_accounts(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    users = UserStore(data_dir / "users.sqlite3", kdf=ScryptParams(log2_n=10, r=8, p=1))
    users.add("anna", "consultant", PASSWORD, clients=[CLIENT], display_name="Anna de Adviseur")
    users.add("bram", "consultant", PASSWORD, clients=[CLIENT])


def run_as(settings: Settings, who: str, monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="avg-assistent")
    commands = parser.add_subparsers(dest="command", required=True)
    add_parsers(commands)
    add_options(parser)
    args = parser.parse_args([*argv, "--als", who, "--wachtwoord-stdin"])
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    return HANDLERS[args.command](settings, args)


def test_four_eyes_end_to_end_in_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AVG_FOUR_EYES", "1")
    settings = Settings(data_dir=tmp_path / "data")
    assert settings.four_eyes is True
    make_accounts(settings.data_dir)
    run_as(settings, "bram", monkeypatch, "register", "import", str(WEBSHOP), "--client", CLIENT)
    run_as(settings, "bram", monkeypatch, "privacy", "draft", "--client", CLIENT)
    run_as(settings, "bram", monkeypatch, "privacy", "submit", "1")
    with pytest.raises(ReviewError, match="vier ogen"):
        run_as(settings, "bram", monkeypatch, "privacy", "approve", "1")
    assert run_as(settings, "anna", monkeypatch, "privacy", "approve", "1") == 0


# --- 7. Word export ----------------------------------------------------------------------------


@pytest.fixture
def exported(tmp_path: Path) -> Iterator[tuple[PrivacyService, Path]]:
    make_accounts(tmp_path / "data")
    users = UserStore(tmp_path / "data" / "users.sqlite3")
    service = PrivacyService(
        tmp_path / "data",
        consultancy_name="Adviesbureau Veilig B.V.",
        display_name=lambda name: user.display_name if (user := users.get(name)) else "",
    )
    service.import_register(WEBSHOP, "bram")
    yield service, tmp_path
    service.close()


def _xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")}


def test_word_export_a4_page_numbers_author_concept(exported: tuple[PrivacyService, Path]) -> None:
    service, tmp_path = exported
    record = service.create_draft(CLIENT, "bram")
    path = service.export_docx(record.id, tmp_path / "concept.docx")
    document = docx.Document(str(path))
    section = document.sections[0]
    assert abs(section.page_width.cm - 21.0) < 0.05 and abs(section.page_height.cm - 29.7) < 0.05
    parts = _xml(path)
    footers = " ".join(v for k, v in parts.items() if "footer" in k)
    assert re.search(r"<w:instrText[^>]*>\s*PAGE\s*</w:instrText>", footers)
    assert document.core_properties.author == "Adviesbureau Veilig B.V."
    assert "python-docx" not in parts["docProps/core.xml"]
    assert "CONCEPT" in " ".join(p.text for p in section.header.paragraphs)
    for name, xml in parts.items():
        assert "bram" not in xml, name


def test_word_export_names_the_approver_only_by_display_name(exported: tuple[PrivacyService, Path]) -> None:
    service, tmp_path = exported
    record = service.create_draft(CLIENT, "bram")
    service.review.submit(record.id, "bram")
    service.review.approve(record.id, "anna")
    path = service.export_docx(record.id, tmp_path / "definitief.docx")
    parts = _xml(path)
    text = " ".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Goedgekeurd door: Anna de Adviseur" in text
    header = " ".join(p.text for p in docx.Document(str(path)).sections[0].header.paragraphs)
    assert "CONCEPT" not in header
    for name, xml in parts.items():
        assert not re.search(r"\b(anna|bram)\b", xml), name
    # an approver without a display name is left out, not shown by login name
    other = service.create_draft(CLIENT, "anna")
    service.review.submit(other.id, "anna")
    service.review.approve(other.id, "bram")
    second = service.export_docx(other.id, tmp_path / "tweede.docx")
    assert "Goedgekeurd door" not in " ".join(p.text for p in docx.Document(str(second)).paragraphs)
    for name, xml in _xml(second).items():
        assert not re.search(r"\b(anna|bram)\b", xml), name


def test_cli_accept_asks_on_conflict_then_takes_the_choice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.features.privacy.model import SourceRef
    from assistant.features.privacy.suggestions import RETENTION, Suggestion, SuggestionConflict

    settings = Settings(data_dir=tmp_path / "data")
    make_accounts(settings.data_dir)
    service = PrivacyService(settings.data_dir)
    try:
        service.import_register(WEBSHOP, "anna")
        quote = SourceRef("Oud beleid", 1, "Klantcontact bewaren wij 5 jaar.")
        service.suggestion_store.add(
            CLIENT, [Suggestion(RETENTION, "Klantenservice", "5 jaar", quote)], "anna"
        )
        number = service.suggestions(CLIENT)[0].id
    finally:
        service.close()
    with pytest.raises(SuggestionConflict, match="'2 jaar na het laatste contact'.*'5 jaar'"):
        run_as(settings, "anna", monkeypatch, "register", "accept", str(number))
    assert run_as(settings, "anna", monkeypatch, "register", "accept", str(number), "--kies", "nieuw") == 0
    service = PrivacyService(settings.data_dir)
    try:
        assert service.register(CLIENT).activity("Klantenservice").retention == "5 jaar"
    finally:
        service.close()


@pytest.mark.parametrize(
    ("written", "name", "email", "assessment"),
    [
        ("geen (niet verplicht, beoordeeld in 2023)", "", "", "geen (niet verplicht, beoordeeld in 2023)"),
        ("Nee", "", "", "Nee"),
        ("fg@praktijk.example", "", "fg@praktijk.example", ""),
        ("Mr. A. de Wit", "Mr. A. de Wit", "", ""),
    ],
)
def test_fg_written_as_one_sentence_in_a_hand_kept_register(
    tmp_path: Path, written: str, name: str, email: str, assessment: str
) -> None:
    data = yaml.safe_load(WEBSHOP.read_text(encoding="utf-8"))
    data["organisatie"]["fg"] = written
    data["organisatie"].pop("fg_beoordeling", None)
    path = tmp_path / "register.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    controller = import_register(path).controller
    assert (controller.fg_name, controller.fg_email, controller.fg_assessment) == (name, email, assessment)
    text = build_draft(import_register(path)).section("fg").text
    if assessment:
        assert "Wij hebben geen functionaris" in text or "[AANVULLEN" in text
    else:
        assert (name or email) in text


def test_fg_as_a_list_is_still_refused_in_dutch(tmp_path: Path) -> None:
    data = yaml.safe_load(WEBSHOP.read_text(encoding="utf-8"))
    data["organisatie"]["fg"] = ["a", "b"]
    path = tmp_path / "register.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(Exception, match="Ongeldige fg"):
        import_register(path)


def test_recipient_kinds_written_by_hand_are_read_and_their_remarks_kept(tmp_path: Path) -> None:
    data = yaml.safe_load(WEBSHOP.read_text(encoding="utf-8"))
    recipients = data["verwerkingen"][0]["ontvangers"]
    recipients[:] = [
        {"naam": "Rekenwolk B.V.", "soort": "subverwerker", "land": "Nederland"},
        {"naam": "FIU-Nederland", "soort": "ontvanger (alleen bij een melding)"},
    ]
    path = tmp_path / "register.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    register = import_register(path)
    first, second = register.activities[0].recipients
    assert (first.name, first.kind) == ("Rekenwolk B.V.", "verwerker")
    assert second.kind == "ontvanger" and "alleen bij een melding" in second.name
    assert not [p for p in validate(register) if p.blocking]
    # Any other word does not stop the import: a recipient, the word kept, and a warning to check it.
    recipients[:] = [{"naam": "Bouwbedrijf Steen", "soort": "aannemer"}]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    imported = import_register(path)
    contractor = imported.activities[0].recipients[0]
    assert (contractor.name, contractor.kind) == ("Bouwbedrijf Steen (aannemer)", "ontvanger")
    problems = validate(imported)
    assert not [p for p in problems if p.blocking]
    assert any("'aannemer'" in str(p) and "verwerker" in str(p) for p in problems)


def test_art9_exception_under_the_shorter_key_uitzondering(tmp_path: Path) -> None:
    data = yaml.safe_load(WEBSHOP.read_text(encoding="utf-8"))
    activity = data["verwerkingen"][0]
    activity["bijzondere_gegevens"] = ["gezondheid"]
    activity["uitzondering"] = "h"
    path = tmp_path / "register.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    register = import_register(path)
    assert register.activities[0].art9_exception
    assert not [p for p in validate(register) if "art. 9 lid 2" in str(p) and "zonder uitzondering" in str(p)]
