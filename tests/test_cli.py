"""The avg-assistent command line, run as a real subprocess on a temp data dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS_HTML, needs_corpus


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AVG_DATA_DIR": str(data_dir), "AVG_CONFIG_FILE": str(data_dir / "geen.toml")}
    return subprocess.run(
        [sys.executable, "-m", "assistant.interfaces.cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.fixture
def messy_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "aanlevering"
    folder.mkdir()
    (folder / "bewaarbeleid.md").write_text(
        "# Bewaarbeleid Webshop Noord\n\n## Klantgegevens\n\n"
        "Klantgegevens van de webshop bewaren wij zeven jaar na de laatste bestelling.\n",
        encoding="utf-8",
    )
    (folder / "leeg.txt").write_bytes(b"")
    (folder / "kapot.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    (folder / "plaatje.xyz").write_bytes(b"\x00\x01")
    return folder


def test_ingest_reports_progress_summary_and_dutch_reasons(tmp_path: Path, messy_folder: Path) -> None:
    data = tmp_path / "data"
    result = run_cli(data, "ingest", str(messy_folder), "--scope", "klant:Webshop Noord")
    assert result.returncode == 0, result.stderr
    assert "Documenten: 1 (nieuw 1" in result.stdout
    assert "Overgeslagen bestanden: 3" in result.stdout
    assert "leeg.txt: Het bestand is leeg." in result.stdout
    assert "kapot.pdf" in result.stdout and "beschadigd" in result.stdout
    assert "plaatje.xyz" in result.stdout and "niet ondersteund" in result.stdout
    assert "Bestanden" in result.stderr  # the progress bar
    assert "Traceback" not in result.stderr

    again = run_cli(data, "ingest", str(messy_folder), "--scope", "klant:Webshop Noord")
    assert "ongewijzigd 1" in again.stdout and "Passages toegevoegd: 0" in again.stdout


def test_ask_in_client_scope_and_refusal(tmp_path: Path, messy_folder: Path) -> None:
    data = tmp_path / "data"
    run_cli(data, "ingest", str(messy_folder / "bewaarbeleid.md"), "--scope", "klant:Webshop Noord")
    result = run_cli(
        data, "ask", "Hoe lang bewaart de webshop klantgegevens?", "--client", "Webshop Noord", "--json"
    )
    payload = json.loads(result.stdout)
    assert payload["refused"] is False
    assert payload["citations"][0]["document"] == "Bewaarbeleid Webshop Noord"
    assert "zeven jaar" in payload["citations"][0]["quote"]

    outside = run_cli(data, "ask", "Hoe lang bewaart de webshop klantgegevens?", "--json")
    assert all(c["document"] != "Bewaarbeleid Webshop Noord" for c in json.loads(outside.stdout)["citations"])

    refused = json.loads(run_cli(data, "ask", "Hoe maak ik pannenkoeken?", "--json").stdout)
    assert refused == {"answer": refused["answer"], "refused": True, "citations": []}
    assert "niet beantwoorden" in refused["answer"]


def test_invalid_scope_is_a_dutch_error(tmp_path: Path, messy_folder: Path) -> None:
    result = run_cli(tmp_path / "data", "ingest", str(messy_folder), "--scope", "iedereen")
    assert result.returncode == 2
    assert "Ongeldige scope" in result.stderr and "Traceback" not in result.stderr


@needs_corpus
def test_law_ingest_ask_and_eval(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ingest = run_cli(data, "ingest", str(CORPUS_HTML / "chapter-4.html"))
    assert ingest.returncode == 0 and "nieuw 1" in ingest.stdout

    answer = json.loads(
        run_cli(data, "ask", "Binnen welke termijn moet een datalek gemeld worden?", "--json").stdout
    )
    assert answer["refused"] is False
    first = answer["citations"][0]
    assert (first["citation"], first["law"], first["article"], first["paragraph"]) == (
        "art. 33 lid 1 AVG",
        "AVG",
        "33",
        "1",
    )
    assert "72 uur" in first["quote"]

    questions = tmp_path / "vragen.jsonl"
    questions.write_text(
        json.dumps({"id": "a", "query": "Wanneer is een DPIA verplicht?", "law": "AVG", "articles": ["35"]})
        + "\n"
        + json.dumps({"id": "b", "query": "Hoe maak ik pannenkoeken?", "law": "AVG", "articles": []})
        + "\n",
        encoding="utf-8",
    )
    result = run_cli(data, "eval", "--queries", str(questions), "--json")
    metrics = json.loads(result.stdout)
    assert set(metrics) == {"n", "recall@5", "recall@10", "mrr@10", "in_scope", "out_of_scope", "latency_ms"}
    assert metrics["n"] == 2 and metrics["recall@5"] == 1.0
    assert metrics["in_scope"] == {"n": 1, "answered": 1}
    assert metrics["out_of_scope"] == {"n": 1, "refused": 1}
    assert metrics["latency_ms"]["p95"] > 0

    # Article 99 is not in the knowledge base (only chapter 4 is), so that question must be missed.
    with questions.open("a", encoding="utf-8") as handle:
        handle.write(
            json.dumps({"id": "c", "query": "Sinds wanneer geldt de AVG?", "law": "AVG", "articles": ["99"]})
            + "\n"
        )
    text = run_cli(data, "eval", "--queries", str(questions), "--details")
    assert text.returncode == 0, text.stderr
    assert "Vragen die misgingen: 1" in text.stdout
    assert "Gemist [c] verwacht art. 99; top 5: " in text.stdout
    assert "Sinds wanneer geldt de AVG?" in text.stdout and "[a]" not in text.stdout
    detailed = run_cli(data, "eval", "--queries", str(questions), "--json", "--details")
    rows = json.loads(detailed.stdout)["details"]
    assert [(r["id"], r["problem"]) for r in rows] == [("a", None), ("b", None), ("c", "gemist")]
    assert rows[0]["ranked"][0] == "35" and rows[1]["refused"] is True and "99" not in rows[2]["ranked"]


def test_eval_missing_file_is_a_dutch_error(tmp_path: Path) -> None:
    result = run_cli(tmp_path / "data", "eval", "--queries", str(tmp_path / "bestaat-niet.jsonl"))
    assert result.returncode == 2 and "bestaat niet" in result.stderr
