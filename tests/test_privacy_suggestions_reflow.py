"""Suggestions on real document text: hard-wrapped PDF and Markdown lines, retention tables, and
accepting without silent overwrites or a suggestion landing on another activity."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pdf_factory import make_pdf
from pypdf import PdfReader

from assistant.app import App
from assistant.features.privacy.errors import RegisterError
from assistant.features.privacy.model import Activity, Controller, Register
from assistant.features.privacy.reflow import reflow, table_rows
from assistant.features.privacy.service import PrivacyService
from assistant.features.privacy.suggestions import (
    DATA,
    RETENTION,
    Suggestion,
    SuggestionConflict,
    apply_suggestion,
    pattern_suggestions,
)
from ingestion.loader import load_file
from knowledge.retrieval import ScoredChunk

CLIENT = "Huisartsenpraktijk Linde"
SCOPE = f"klant:{CLIENT}"

#: A process description as a PDF prints it: every line hard-wrapped, one word hyphenated.
WRAPPED = [
    "Werkinstructie inschrijving",
    "Voor de inschrijving van patiënten verwerken wij de voornaam, de",
    "achternaam, het BSN, de geboortedatum en het adres van de patiënt.",
    "Wij bewaren de inschrijvingsgegevens tot vijf jaar na het uitschrij-",
    "ven van de patiënt.",
]
#: A retention table whose columns became lines in the PDF text.
TABLE = [
    "Bewaartermijnen",
    "Activiteit",
    "Bewaartermijn",
    "Inschrijving",
    "5 jaar na uitschrijving",
    "Patiëntendossier",
    "20 jaar na de laatste behandeling",
    "Facturen",
    "7 jaar",
]


def _chunks(path: Path, raw: bool = False) -> list[ScoredChunk]:
    """Chunks as ingestion makes them, or (``raw``) each page's text as pypdf extracts it, line breaks
    and all (what a PDF gives when no loader has reflowed it)."""
    if raw:
        pages = [page.extract_text() for page in PdfReader(path).pages]
        meta = {"doc_id": "d1", "document": path.stem, "page": 1}
        return [ScoredChunk(f"p{i}", text, meta, 1.0) for i, text in enumerate(pages)]
    parsed = load_file(path)
    return [
        ScoredChunk(f"c{i}", c.page_content, {**c.metadata, "doc_id": "d1", "document": parsed.title}, 1.0)
        for i, c in enumerate(parsed.chunks)
    ]


def _values(found: list[Suggestion], kind: str) -> list[tuple[str, str]]:
    return [(s.activity, s.value) for s in found if s.kind == kind]


@pytest.mark.parametrize("raw", [True, False], ids=["pypdf-tekst", "ingestie"])
def test_hard_wrapped_pdf_gives_whole_sentences(tmp_path: Path, raw: bool) -> None:
    pdf = tmp_path / "inschrijving.pdf"
    pdf.write_bytes(make_pdf([WRAPPED], title="Werkinstructie inschrijving"))
    found = pattern_suggestions(_chunks(pdf, raw), [])
    data = [value for _, value in _values(found, DATA)]
    assert {"voornaam", "achternaam", "BSN", "geboortedatum", "adres van de patiënt"} <= set(data)
    assert "de" not in data and all(len(v) > 2 for v in data)
    retention = _values(found, RETENTION)
    assert retention == [("Inschrijving van patiënten", "vijf jaar na het uitschrijven van de patiënt")]
    quote = next(s for s in found if s.kind == RETENTION).evidence.quote
    assert quote == "Wij bewaren de inschrijvingsgegevens tot vijf jaar na het uitschrijven van de patiënt."


def test_hard_wrapped_markdown_is_reflowed_before_sentences(tmp_path: Path) -> None:
    doc = tmp_path / "inschrijving.md"
    doc.write_text("# Werkinstructie inschrijving\n\n" + "\n".join(WRAPPED[1:]) + "\n", encoding="utf-8")
    found = pattern_suggestions(_chunks(doc), [])
    data = [value for _, value in _values(found, DATA)]
    assert "de" not in data and {"voornaam", "achternaam"} <= set(data)
    assert _values(found, RETENTION) == [
        ("Inschrijving van patiënten", "vijf jaar na het uitschrijven van de patiënt")
    ]


def test_reflow_keeps_list_items_headings_and_labels_apart() -> None:
    text = "Doel\nDoel: de patiënt\ninschrijven.\nWij vragen:\n- naam en\n  adres\n- e-\n  mailadres\n\nNieuw"
    assert reflow(text) == [
        "Doel",
        "Doel: de patiënt inschrijven.",
        "Wij vragen:",
        "- naam en adres",
        "- e-mailadres",
        "Nieuw",
    ]


@pytest.mark.parametrize("raw", [True, False], ids=["pypdf-tekst", "ingestie"])
def test_retention_table_in_pdf_and_markdown(tmp_path: Path, raw: bool) -> None:
    pdf = tmp_path / "bewaarbeleid.pdf"
    pdf.write_bytes(make_pdf([TABLE], title="Bewaarbeleid"))
    known = ["Inschrijving", "Patiëntendossier"]
    rows = _values(pattern_suggestions(_chunks(pdf, raw), known), RETENTION)
    assert rows == [
        ("Inschrijving", "5 jaar na uitschrijving"),
        ("Patiëntendossier", "20 jaar na de laatste behandeling"),
        ("Facturen", "7 jaar"),
    ]
    markdown = tmp_path / "bewaarbeleid.md"
    markdown.write_text(
        "# Bewaarbeleid\n\n| Gegevens | Bewaartermijn | Grondslag |\n|---|---|---|\n"
        "| Patiëntendossier | 20 jaar na de laatste behandeling | WGBO |\n| Facturen | 7 jaar | fiscaal |\n",
        encoding="utf-8",
    )
    rows = _values(pattern_suggestions(_chunks(markdown), known), RETENTION)
    assert rows == [("Patiëntendossier", "20 jaar na de laatste behandeling"), ("Facturen", "7 jaar")]
    assert table_rows(["Activiteit Bewaartermijn", "Wachtlijst", "2 jaar na plaatsing"]) == [
        ("Wachtlijst", "2 jaar na plaatsing", "Wachtlijst 2 jaar na plaatsing")
    ]


def _register() -> Register:
    return Register(
        CLIENT,
        Controller(name="Huisartsenpraktijk Linde", email="info@linde.example"),
        [
            Activity("Patiëntendossier", retention="20 jaar na de laatste behandeling (WGBO)"),
            Activity("Inschrijving"),
        ],
    )


def _suggestion(activity: str, value: str) -> Suggestion:
    from assistant.features.privacy.model import SourceRef

    return Suggestion(RETENTION, activity, value, SourceRef("Oud protocol", 2, f"Wij bewaren {value}."))


def test_conflicting_value_is_never_overwritten_silently() -> None:
    register = _register()
    with pytest.raises(SuggestionConflict) as caught:
        apply_suggestion(register, _suggestion("Patiëntendossier", "15 jaar"))
    assert (
        caught.value.current == "20 jaar na de laatste behandeling (WGBO)"
        and caught.value.proposed == "15 jaar"
    )
    assert register.activity("Patiëntendossier").retention == "20 jaar na de laatste behandeling (WGBO)"
    apply_suggestion(register, _suggestion("Patiëntendossier", "15 jaar"), choice="huidig")
    assert register.activity("Patiëntendossier").retention.startswith("20 jaar")
    apply_suggestion(register, _suggestion("Patiëntendossier", "15 jaar"), choice="nieuw")
    assert register.activity("Patiëntendossier").retention == "15 jaar"


def test_suggestion_never_lands_on_another_activity() -> None:
    register = _register()
    with pytest.raises(RegisterError, match="hoort daar"):
        apply_suggestion(register, _suggestion("Patiëntendossier", "15 jaar"), activity="Inschrijving")
    assert register.activity("Inschrijving").retention == ""
    # a table label that is no activity of the register may be mapped by the consultant
    apply_suggestion(register, _suggestion("Inschrijfformulieren", "5 jaar"), activity="Inschrijving")
    assert register.activity("Inschrijving").retention == "5 jaar"


def test_one_document_about_two_activities_binds_each_term_to_its_own(tmp_path: Path) -> None:
    doc = tmp_path / "bewaren.md"
    doc.write_text(
        "# Bewaarbeleid\n\nVoor de wachtlijst verwerken wij naam en geboortedatum.\n\n"
        "Gegevens over de opvang bewaren wij 7 jaar na afloop van het contract.\n",
        encoding="utf-8",
    )
    found = pattern_suggestions(_chunks(doc), ["Wachtlijst", "Opvang"])
    assert _values(found, RETENTION) == [("Opvang", "7 jaar na afloop van het contract")]


@pytest.fixture
def service(app: App, tmp_path: Path) -> Iterator[PrivacyService]:
    pdf = tmp_path / "protocol.pdf"
    pdf.write_bytes(
        make_pdf(
            [
                [
                    "Oud protocol dossiers",
                    "Patiëntendossier",
                    "Wij bewaren het patiëntendossier 15 jaar na",
                    "de laatste behandeling.",
                ]
            ],
            title="Oud protocol",
        )
    )
    report = app.ingest.ingest([pdf], SCOPE, actor="test")
    assert report.added == 1, report.summary()
    svc = app.privacy
    svc.save_register(_register(), "anna")
    yield svc
    svc.close()


def test_accepting_a_conflicting_suggestion_asks_first(service: PrivacyService) -> None:
    run = service.find_suggestions(CLIENT, "anna")
    older = next(s for s in run.suggestions if s.kind == RETENTION)
    assert (older.activity, older.value) == ("Patiëntendossier", "15 jaar na de laatste behandeling")
    conflict = service.suggestion_conflict(older.id)
    assert conflict is not None and conflict.current.startswith("20 jaar")
    with pytest.raises(SuggestionConflict, match="Er wordt niets overschreven"):
        service.accept_suggestion(older.id, "anna")
    assert service.register(CLIENT).activity("Patiëntendossier").retention.startswith("20 jaar")
    assert service.suggestions(CLIENT)[0].status == "open"
    service.accept_suggestion(older.id, "anna", choice="huidig")
    assert service.register(CLIENT).activity("Patiëntendossier").retention.startswith("20 jaar")
    assert service.suggestions(CLIENT, "afgewezen")[0].id == older.id
    trail = [e.detail for e in service.audit_trail(CLIENT)]
    assert any("huidige waarde" in d for d in trail)
