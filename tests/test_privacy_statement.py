"""The draft privacyverklaring, its completeness check and its Markdown/Word export."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from assistant.features.privacy.completeness import (
    MISSING,
    NOT_APPLICABLE,
    PRESENT,
    WEAK,
    check_draft,
    check_file,
    check_text,
)
from assistant.features.privacy.export import DRAFT_MARK, ExportInfo, to_docx, to_markdown
from assistant.features.privacy.model import Register
from assistant.features.privacy.register_io import import_register
from assistant.features.privacy.statement import PLACEHOLDER_MARK, build_draft
from ingestion.loader import load_file

FIXTURES = Path(__file__).parent / "fixtures" / "privacy"
WEBSHOP = FIXTURES / "webshop-zonnig.yaml"
FIETSENMAKER = FIXTURES / "privacyverklaring-fietsenmaker.html"

#: Every element of art. 13 with the citation its section must carry.
ART13 = {
    "identiteit": "art. 13 lid 1 sub a AVG",
    "fg": "art. 13 lid 1 sub b AVG",
    "doelen": "art. 13 lid 1 sub c AVG",
    "gerechtvaardigd_belang": "art. 13 lid 1 sub d AVG",
    "ontvangers": "art. 13 lid 1 sub e AVG",
    "doorgifte": "art. 13 lid 1 sub f AVG",
    "bewaartermijnen": "art. 13 lid 2 sub a AVG",
    "rechten": "art. 13 lid 2 sub b AVG",
    "toestemming_intrekken": "art. 13 lid 2 sub c AVG",
    "klacht": "art. 13 lid 2 sub d AVG",
    "verplichting": "art. 13 lid 2 sub e AVG",
    "geautomatiseerde_besluiten": "art. 13 lid 2 sub f AVG",
}


@pytest.fixture
def register() -> Register:
    return import_register(WEBSHOP)


def _text(register: Register, key: str) -> str:
    section = build_draft(register).section(key)
    assert section is not None, key
    return section.text


def test_draft_has_every_art13_element_citing_its_article(register: Register) -> None:
    draft = build_draft(register)
    for key, article in ART13.items():
        section = draft.section(key)
        assert section is not None, key
        assert f"({article})" in section.text, key
        assert section.article == article
    assert draft.notices == []
    assert PLACEHOLDER_MARK not in draft.markdown()
    assert draft.title == "Privacyverklaring Webshop Zonnig B.V."


def test_draft_states_the_register_facts(register: Register) -> None:
    draft = build_draft(register)
    identity = draft.section("identiteit").text
    assert "Webshop Zonnig B.V." in identity and "privacy@webshopzonnig.nl" in identity
    assert "Zonnebloemstraat 12, 3511 AB Utrecht" in identity and "030 123 4567" in identity
    fg = draft.section("fg").text
    assert "Fenna Groen" in fg and "fg@webshopzonnig.nl" in fg
    purposes = draft.section("doelen").text
    assert "**Nieuwsbrief.**" in purposes and "toestemming (art. 6 lid 1 sub a AVG)" in purposes
    assert "uitvoering van een overeenkomst (art. 6 lid 1 sub b AVG)" in purposes
    assert "gerechtvaardigd belang (art. 6 lid 1 sub f AVG)" in purposes
    assert "naam, adres, e-mailadres, telefoonnummer, bestelgegevens en betaalgegevens" in purposes
    interest = draft.section("gerechtvaardigd_belang").text
    assert "Klantenservice" in interest and "vragen en klachten goed kunnen afhandelen" in interest
    recipients = draft.section("ontvangers").text
    for name in ("Postduif Mailings", "PayFlow Inc.", "PakketSnel B.V.", "HelpDeskly"):
        assert name in recipients
    assert "(verwerker, Verenigde Staten)" in recipients
    transfer = draft.section("doorgifte").text
    assert "**PayFlow Inc.** in de Verenigde Staten" in transfer
    assert "modelcontractbepalingen van de Europese Commissie" in transfer
    retention = draft.section("bewaartermijnen").text
    assert "**Nieuwsbrief**: tot u zich afmeldt voor de nieuwsbrief." in retention
    assert "**Bestellingen**: 7 jaar na de bestelling, vanwege de fiscale bewaarplicht." in retention
    assert "**Klantenservice**: 2 jaar na het laatste contact." in retention
    rights = draft.section("rechten").text.lower()
    for right in ("inzage", "rectificatie", "wissing", "beperking", "overdraagbaarheid", "bezwaar"):
        assert f"**{right}**" in rights
    assert "nieuwsbrief" in draft.section("toestemming_intrekken").text
    assert "Autoriteit Persoonsgegevens" in draft.section("klacht").text
    assert "Zonder deze gegevens kunnen wij uw bestelling niet leveren." in draft.section("verplichting").text
    assert "geen besluiten" in draft.section("geautomatiseerde_besluiten").text
    assert "Inloggen met tweestapsverificatie" in draft.section("beveiliging").text
    # Art. 14 sections only appear when data comes from elsewhere.
    assert draft.section("bron") is None and draft.section("categorieen") is None


def test_conditional_sections_follow_the_register(register: Register) -> None:
    for activity in register.activities:
        activity.legal_basis = "b"
        activity.transfers = []
        activity.transfers_outside_eea = "nee"
        activity.recipients = [r for r in activity.recipients if not r.country or r.country == "Ierland"]
    draft = build_draft(register)
    assert draft.section("gerechtvaardigd_belang") is None
    assert draft.section("toestemming_intrekken") is None
    assert "Wij geven uw gegevens niet door aan landen buiten" in draft.section("doorgifte").text


def test_data_from_another_source_adds_art14(register: Register) -> None:
    orders = register.activity("Bestellingen")
    assert orders is not None
    orders.source = "het kredietbureau Krediet Check B.V."
    draft = build_draft(register)
    assert "art. 13 lid 1 sub a AVG en art. 14 lid 1 sub a AVG" in draft.section("identiteit").text
    assert "(art. 14 lid 2 sub f AVG)" in draft.section("bron").text
    assert "Krediet Check B.V." in draft.section("bron").text
    assert "(art. 14 lid 1 sub d AVG)" in draft.section("categorieen").text
    report = check_draft(draft, register)
    assert report.status("bron") == PRESENT and report.status("categorieen") == PRESENT


def test_contact_details_are_asked_for_when_the_register_has_only_an_address_or_a_name(
    register: Register,
) -> None:
    controller = register.controller
    assert controller.email or controller.phone
    controller.email = controller.phone = ""  # the address stays: no way to ask a question about privacy
    controller.fg_name, controller.fg_email, controller.fg_phone = "Mr. J. de Vries", "", ""
    draft = build_draft(register)
    assert "[AANVULLEN: e-mailadres of telefoonnummer van de organisatie" in draft.section("identiteit").text
    fg = draft.section("fg").text
    assert "Mr. J. de Vries" in fg and "[AANVULLEN: e-mailadres of telefoonnummer van de FG]" in fg
    report = check_draft(draft, register)
    assert report.status("identiteit") == MISSING and report.status("fg") == MISSING


def test_complete_draft_passes_the_completeness_check(register: Register) -> None:
    report = check_draft(build_draft(register), register)
    statuses = {r.key: r.status for r in report.results}
    assert {k: v for k, v in statuses.items() if v not in (PRESENT, NOT_APPLICABLE)} == {}
    assert statuses["bron"] == NOT_APPLICABLE and statuses["categorieen"] == NOT_APPLICABLE
    assert report.complete


def test_removing_the_retention_period_is_reported_missing(register: Register) -> None:
    newsletter = register.activity("Nieuwsbrief")
    assert newsletter is not None
    newsletter.retention = ""
    draft = build_draft(register)
    assert "[AANVULLEN: bewaartermijn voor Nieuwsbrief]" in draft.section("bewaartermijnen").text
    assert any("Hoe lang bewaren wij uw gegevens?" in n for n in draft.notices)
    report = check_draft(draft, register)
    result = report.result("bewaartermijnen")
    assert result.status == MISSING
    assert "Nieuwsbrief" in result.note and result.article.startswith("art. 13 lid 2 sub a AVG")
    assert not report.complete
    # An approved text checked against the changed register shows the gap too.
    full = import_register(WEBSHOP)
    assert check_draft(build_draft(full), register).status("bewaartermijnen") == MISSING


def test_markdown_export_has_version_line_and_draft_mark(register: Register) -> None:
    draft = build_draft(register)
    text = to_markdown(draft, ExportInfo(status="concept", version=2, date="2026-05-01"))
    assert text.startswith("# Privacyverklaring Webshop Zonnig B.V.\n\n_Versie 2, concept, 2026-05-01_")
    assert DRAFT_MARK in text
    assert text.count("\n## ") == len(draft.sections)
    final = to_markdown(draft, ExportInfo(status="goedgekeurd", version=3))
    assert DRAFT_MARK not in final


def test_docx_opens_and_contains_title_page_and_sections(register: Register, tmp_path: Path) -> None:
    draft = build_draft(register)
    data = to_docx(draft, ExportInfo(status="goedgekeurd", version=1, date="2026-05-01", approved_by="Bram"))
    document = docx.Document(io.BytesIO(data))
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title" and paragraphs[0].text == draft.title
    assert paragraphs[1].text == "Webshop Zonnig B.V."
    body = "\n".join(p.text for p in paragraphs)
    assert "Goedgekeurd door: Bram" in body and "Versie: 1" in body and DRAFT_MARK not in body
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.title for s in draft.sections]
    bullets = [p for p in paragraphs if p.style.name == "List Bullet"]
    retention = next(p for p in bullets if p.text.startswith("Bestellingen: 7 jaar"))
    assert retention.runs[0].bold and retention.runs[0].text == "Bestellingen"
    assert document.core_properties.title == draft.title
    # Our own loader reads it back, and the completeness check finds every element.
    path = tmp_path / "verklaring.docx"
    path.write_bytes(data)
    assert load_file(path).title == draft.title
    report = check_file(path, register)
    assert [r.key for r in report.results if r.status not in (PRESENT, NOT_APPLICABLE)] == []


def test_unapproved_docx_carries_the_draft_mark(register: Register) -> None:
    document = docx.Document(io.BytesIO(to_docx(build_draft(register), ExportInfo(status="concept"))))
    assert DRAFT_MARK in "\n".join(p.text for p in document.paragraphs)


def test_uploaded_html_statement_finds_present_weak_and_missing() -> None:
    report = check_file(FIETSENMAKER)
    assert report.source == "Privacyverklaring Fietsenmaker De Spaak"
    assert report.status("identiteit") == PRESENT
    assert report.status("doelen") == PRESENT
    assert report.status("ontvangers") == PRESENT
    assert report.status("bewaartermijnen") == WEAK  # "niet langer dan nodig": no period
    rights = report.result("rechten")
    # only contract (b) is named: objection (art. 21, for e/f) is not required, portability is
    assert rights.status == WEAK and rights.note.startswith("niet gevonden: beperking, overdraagbaarheid")
    assert "bezwaar" not in rights.note
    for key in ("klacht", "verplichting"):
        assert report.status(key) == MISSING, key
    # a small shop that says nothing about an FG, automated decisions or a service outside the EEA:
    # n.v.t., to be checked
    for key in ("fg", "geautomatiseerde_besluiten", "doorgifte"):
        assert report.status(key) == NOT_APPLICABLE, key
        assert "controleer dit" in report.result(key).note
    assert "Bewaartermijnen" in report.to_markdown()
    assert report.to_json()["volledig"] is False


BAKKERIJ = [
    ("Title", "Privacyverklaring Bakkerij Korrel"),
    ("Heading 1", "Over ons"),
    (
        "Normal",
        "Bakkerij Korrel is verantwoordelijk voor uw persoonsgegevens. "
        "Contact: Broodstraat 1, 7411 AB Deventer, info@korrel.example.",
    ),
    ("Heading 1", "Functionaris voor gegevensbescherming"),
    ("Normal", "Onze functionaris voor gegevensbescherming is bereikbaar via fg@korrel.example."),
    ("Heading 1", "Waarvoor gebruiken wij uw gegevens?"),
    ("Normal", "Wij gebruiken uw naam en adres voor het bezorgen van uw bestelling."),
    ("Heading 1", "Bewaartermijn"),
    ("Normal", "Wij bewaren bestelgegevens 7 jaar vanwege de fiscale bewaarplicht."),
    ("Heading 1", "Uw rechten"),
    (
        "Normal",
        "U heeft recht op inzage, rectificatie, wissing en beperking van uw gegevens, op overdraagbaarheid "
        "van uw gegevens en u kunt bezwaar maken.",
    ),
    ("Heading 1", "Ontevreden?"),
    (
        "Normal",
        "Heeft u een probleem met de manier waarop wij uw privacy behandelen? "
        "Dan kunt u terecht bij de landelijke privacywaakhond in Den Haag.",
    ),
]


@pytest.fixture
def bakkerij_docx(tmp_path: Path) -> Path:
    """An existing Word privacyverklaring: no legal basis, no recipients, the complaint in other words."""
    document = docx.Document()
    for style, text in BAKKERIJ:
        document.add_paragraph(text, style=style)
    path = tmp_path / "privacyverklaring-bakkerij.docx"
    document.save(str(path))
    return path


def test_uploaded_docx_statement_with_patterns_only(bakkerij_docx: Path) -> None:
    report = check_file(bakkerij_docx)
    for key in ("identiteit", "fg", "bewaartermijnen", "rechten"):
        assert report.status(key) == PRESENT, key
    purposes = report.result("doelen")
    assert purposes.status == WEAK and purposes.note == "niet gevonden: grondslag"
    for key in ("ontvangers", "klacht", "verplichting"):
        assert report.status(key) == MISSING, key


def test_semantic_similarity_flags_a_paraphrase_but_never_passes_it(bakkerij_docx: Path, embedder) -> None:
    report = check_file(bakkerij_docx, embedder=embedder)
    complaint = report.result("klacht")
    assert complaint.status == WEAK
    assert "privacywaakhond" in complaint.evidence and "controleer dit" in complaint.note
    # Elements no passage is about stay missing; nothing becomes "aanwezig" by similarity.
    assert report.status("ontvangers") == MISSING and report.status("verplichting") == MISSING
    plain = check_file(bakkerij_docx)
    assert [r.key for r in report.results if r.status == PRESENT] == [
        r.key for r in plain.results if r.status == PRESENT
    ]


def test_check_text_splits_markdown_sections(register: Register) -> None:
    markdown = build_draft(register).markdown()
    report = check_text(markdown, register)
    assert report.complete
    no_complaint = re.sub(r"## Klacht indienen\n\n[^\n]*\n", "", markdown)
    complaint = check_text(no_complaint, register).result("klacht")
    # "klachten" still occurs (customer service), the Autoriteit Persoonsgegevens no longer does:
    # complaints to the organisation itself are not the element (a complaint to the supervisor)
    assert complaint.status == MISSING
