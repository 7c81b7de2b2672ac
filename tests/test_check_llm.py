"""The Compliancy Check with a language model: real LangChain clients against fake Ollama / OpenAI servers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from check_support import DENTIST, ingest_client, make_app
from fake_llm_servers import FakeLLMServer

from assistant.app import App
from assistant.features.check.export import to_markdown
from assistant.features.check.llm_answer import (
    NOTICE_BAD_STATUS,
    NOTICE_INVALID_CITATION,
    NOTICE_NO_CITATION,
    NOTICE_UNREACHABLE,
    checked_proposal,
)
from assistant.features.check.model import (
    LABEL_EVIDENCE,
    LABEL_JUDGED,
    LABEL_LLM,
    LABEL_NO_EVIDENCE,
    SOURCE_LLM,
    STATUS_COMPLIES,
    STATUS_FAILS,
    STATUS_PARTIAL,
    STATUS_UNKNOWN,
    CheckAnswer,
    Evidence,
)
from assistant.features.check.service import CheckService
from assistant.llm.chat_model import build_chat_model
from assistant.settings import Settings

GOOD_REPLY = (
    "STATUS: voldoet\n"
    "TOELICHTING: De praktijk meldt een datalek binnen 72 uur na ontdekking bij de Autoriteit "
    "Persoonsgegevens [1]. De beoordeling van het risico is belegd bij de praktijkmanager [1]."
)
INVENTED_REPLY = (
    "STATUS: voldoet\nTOELICHTING: Er is een datalekprocedure [1] en een jaarlijkse oefening [7]."
)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[App]:
    workdir = tmp_path_factory.mktemp("check-llm")
    application = make_app(workdir / "data", embedder)
    ingest_client(application, DENTIST, "tandarts", workdir)
    yield application
    application.close()


@pytest.fixture
def ollama() -> Iterator[FakeLLMServer]:
    with FakeLLMServer("ollama") as fake:
        yield fake


def _service(app: App, server: FakeLLMServer, data_dir: Path) -> CheckService:
    settings = Settings(
        llm_backend=server.kind,
        llm_base_url=server.base_url,
        llm_model="fake-model:latest",
        llm_timeout_s=10,
    )
    return CheckService(app.retriever, data_dir, build_chat_model(settings), audit=app.audit)


def _without_model(app: App, tmp_path: Path, question_id: str) -> CheckAnswer:
    service = CheckService(app.retriever, tmp_path / "zonder-model", audit=app.audit)
    return service.assess(service.checklists.current().get(question_id), DENTIST)


@pytest.mark.parametrize("kind", ["ollama", "openai"])
def test_good_answer_with_valid_citation_is_accepted(app: App, kind: str, tmp_path: Path):
    with FakeLLMServer(kind) as server:  # type: ignore[arg-type]
        server.script(GOOD_REPLY)
        service = _service(app, server, tmp_path)
        question = service.checklists.current().get("LEK-01")
        answer = service.assess(question, DENTIST)
        prompt = server.chat_requests[-1].prompt_text()
    assert (answer.status, answer.label, answer.source, answer.notices) == (
        STATUS_COMPLIES,
        LABEL_LLM,
        SOURCE_LLM,
        [],
    )
    assert answer.rationale.startswith("De praktijk meldt een datalek") and "[1]" in answer.rationale
    assert answer.evidence[0].document == "Datalekprocedure Tandartspraktijk De Glimlach"
    # The model saw the question, what counts as good evidence and the client's evidence as delimited data.
    assert "LEK-01" in prompt and "Goed bewijs:" in prompt and "<<<PASSAGE 1:" in prompt
    assert "binnen 72 uur na ontdekking" in prompt and "Webshop" not in prompt


def test_answer_citing_evidence_that_does_not_exist_falls_back_with_notice(
    app: App, ollama: FakeLLMServer, tmp_path: Path
):
    ollama.script(INVENTED_REPLY)
    service = _service(app, ollama, tmp_path)
    answer = service.assess(service.checklists.current().get("LEK-01"), DENTIST)
    # the fallback is the proposal without a model: the judged evidence (all requirements found)
    assert (answer.status, answer.label) == (STATUS_COMPLIES, LABEL_JUDGED)
    assert answer.rationale == _without_model(app, tmp_path, "LEK-01").rationale
    assert answer.notices == [NOTICE_INVALID_CITATION]
    assert answer.evidence and "[7]" not in answer.rationale


def test_unreachable_model_falls_back_with_notice(app: App, ollama: FakeLLMServer, tmp_path: Path):
    ollama.script("", status=500)
    service = _service(app, ollama, tmp_path)
    answer = service.assess(service.checklists.current().get("LEK-02"), DENTIST)
    plain = _without_model(app, tmp_path, "LEK-02")
    assert plain.label == LABEL_JUDGED and plain.status != STATUS_UNKNOWN
    assert (answer.status, answer.label, answer.rationale, answer.notices) == (
        plain.status,
        plain.label,
        plain.rationale,
        [NOTICE_UNREACHABLE],
    )


def test_question_without_evidence_never_reaches_the_model(app: App, ollama: FakeLLMServer, tmp_path: Path):
    ollama.script(GOOD_REPLY)
    service = _service(app, ollama, tmp_path)
    answer = service.assess(service.checklists.current().get("DGF-01"), DENTIST)
    assert (answer.status, answer.label) == (STATUS_FAILS, LABEL_NO_EVIDENCE)
    assert ollama.chat_requests == []


def test_run_with_model_is_marked_and_reported(app: App, ollama: FakeLLMServer, tmp_path: Path):
    ollama.script(GOOD_REPLY.replace("voldoet\n", "voldoet deels\n"))
    service = _service(app, ollama, tmp_path)
    current = service.checklists.current()
    service.checklists.save([current.get("LEK-01"), current.get("DGF-01")], "Kennisbeheerder K")
    run = service.run(DENTIST, "Consultant C")
    assert run.used_llm and [a.status for a in run.answers] == [STATUS_PARTIAL, STATUS_FAILS]
    assert len(ollama.chat_requests) == 1
    assert "voorstellen met taalmodel" in to_markdown(service.report(run))


def _fallback(evidence_count: int = 2) -> CheckAnswer:
    evidence = [
        Evidence(f"Document {n}", -1, f"Document {n}", f"Citaat {n}.", f"c{n}", 0.9, "klant:X", f"Tekst {n}.")
        for n in range(1, evidence_count + 1)
    ]
    return CheckAnswer("T-01", STATUS_UNKNOWN, LABEL_EVIDENCE, "Bewijs gevonden.", evidence)


@pytest.mark.parametrize(
    ("reply", "notice"),
    [
        ("STATUS: waarschijnlijk wel\nTOELICHTING: Zie [1].", NOTICE_BAD_STATUS),
        ("Het lijkt in orde [1].", NOTICE_BAD_STATUS),
        ("STATUS: voldoet\nTOELICHTING: Het is in orde.", NOTICE_NO_CITATION),
        ("STATUS: voldoet\nTOELICHTING: Zie [1] en [3].", NOTICE_INVALID_CITATION),
    ],
)
def test_replies_that_do_not_hold_keep_the_evidence_status(reply: str, notice: str):
    answer = checked_proposal(reply, _fallback())
    assert (answer.status, answer.label, answer.notices) == (STATUS_UNKNOWN, LABEL_EVIDENCE, [notice])


def test_cited_evidence_comes_first_and_markup_is_removed():
    reply = "**STATUS:** Voldoet niet\n**TOELICHTING:** Alleen <b>oud</b> beleid [2]; zie ook [2, 1]."
    answer = checked_proposal(reply, _fallback())
    assert answer.status == STATUS_FAILS
    assert answer.rationale == "Alleen oud beleid [1]; zie ook [1, 2]."
    assert [e.document for e in answer.evidence] == ["Document 2", "Document 1"]
