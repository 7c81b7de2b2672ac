"""The web UI: `avg-assistent serve` as a subprocess on a temp data dir, driven with gradio_client."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import free_port, wait_for_http
from fake_llm_servers import FakeLLMServer
from gradio_client import Client
from gradio_client.utils import StatusUpdate

from assistant.chat_view import message_html
from assistant.conversation_store import STORE_FILE, ConversationStore
from assistant.conversations import ChatService, Turn
from assistant.ui_chat import ERROR_TEXT, ChatSession, ChatTab
from ingestion.errors import ScopeError

POLICY = (
    "# Datalekbeleid\n\n## Melden\n\n"
    "Een datalek melden wij binnen 72 uur aan de Autoriteit Persoonsgegevens.\n\n"
    "## Bewaren\n\nPersoneelsdossiers bewaren wij twee jaar na uitdiensttreding.\n"
)
QUESTION = "Hoe snel melden we een datalek?"


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a server on ``data_dir``: no developer settings, no starter pack."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AVG_")}
    env.update(
        AVG_DATA_DIR=str(data_dir),
        AVG_CONFIG_FILE=str(data_dir.parent / "geen.toml"),
        AVG_LOAD_STARTER_PACK="false",
        **extra,
    )
    return env


def ingest(data_dir: Path, *paths: Path, scope: str = "algemeen") -> None:
    """Ingest files with the real CLI."""
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest", *map(str, paths), "--scope", scope],
        env=server_env(data_dir),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def write_policy(folder: Path) -> Path:
    """The small policy document every web test searches."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "beleid.md"
    path.write_text(POLICY, encoding="utf-8")
    return path


@contextmanager
def running_server(data_dir: Path, **extra_env: str) -> Iterator[str]:
    """`avg-assistent serve` on a free port; yields its URL and stops it afterwards."""
    port = free_port()
    log_path = data_dir.parent / f"serve-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)],
            env=server_env(data_dir, **extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            wait_for_http(url, process, timeout=180)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)
    assert "Traceback" not in log_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("web")
    data = root / "data"
    ingest(data, write_policy(root / "docs"))
    return data


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[str]:
    with running_server(data_dir) as url:
        yield url


def text_of(message: dict) -> str:
    """The text of a chatbot message as gradio_client returns it."""
    content = message["content"]
    if isinstance(content, list):
        return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return str(content)


def warnings_of(job: object) -> list[tuple[str, str]]:
    """The gr.Info / gr.Warning messages a gradio_client job received."""

    async def collect() -> list[tuple[str, str]]:
        logs = []
        async for update in job:  # type: ignore[attr-defined]
            if isinstance(update, StatusUpdate) and update.log:
                logs.append(update.log)
        return logs

    return asyncio.run(collect())


def test_chat_page_answers_with_sources(server: str) -> None:
    with urllib.request.urlopen(server, timeout=10) as response:
        page = response.read().decode()
    assert "AVG-assistent" in page
    client = Client(server, verbose=False)
    client.predict("Wat is een datalek?", "algemeen", api_name="/ask")  # warm-up
    started = time.monotonic()
    history, sources, notices, cleared, listing = client.predict(QUESTION, "algemeen", api_name="/ask")
    elapsed = time.monotonic() - started

    assert cleared == "" and notices == ""
    assert history[-2]["role"] == "user" and text_of(history[-2]) == QUESTION
    assert history[-1]["role"] == "assistant" and "72 uur" in text_of(history[-1])
    assert "Datalekbeleid" in sources and "<mark>" in sources and "72 uur" in sources
    assert listing["choices"][0][0].startswith("Wat is een datalek?")  # one conversation, titled
    assert elapsed < 3.0, f"answer took {elapsed:.2f} s"


def test_empty_question_gives_dutch_warning_and_no_answer(server: str) -> None:
    client = Client(server, verbose=False)
    job = client.submit("   ", "algemeen", api_name="/ask")
    assert ("Typ eerst een vraag.", "warning") in warnings_of(job)
    history, sources, notices, _, _ = job.result()
    assert history == [] and notices == ""
    assert "Nog geen vraag gesteld" in sources


def test_follow_up_reopen_and_delete_a_conversation(server: str, data_dir: Path) -> None:
    client = Client(server, verbose=False)
    client.predict("Hoe lang bewaren we personeelsdossiers?", "algemeen", api_name="/ask")
    history, _, notices, _, listing = client.predict("En daarna?", "algemeen", api_name="/ask")
    assert len(history) == 4 and "Vervolgvraag" in notices
    conversation_id = listing["value"]

    empty, sources, _, _ = client.predict(api_name="/new_conversation")
    assert empty == [] and "Nog geen vraag gesteld" in sources
    reopened, sources, notices, scope = client.predict(conversation_id, api_name="/open_conversation")
    assert [text_of(m) for m in reopened[::2]] == ["Hoe lang bewaren we personeelsdossiers?", "En daarna?"]
    assert "twee jaar" in sources and "Vervolgvraag" in notices

    store = ConversationStore(data_dir / STORE_FILE)
    assert store.get_conversation(int(conversation_id), "anoniem") is not None
    client.predict(api_name="/delete_conversation")
    assert store.get_conversation(int(conversation_id), "anoniem") is None


def test_chat_streams_llm_answer_with_sources(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ingest(data, write_policy(tmp_path / "docs"))
    reply = (
        "Een datalek meldt u binnen 72 uur bij de Autoriteit Persoonsgegevens [1]. "
        "Dat volgt uit het eigen datalekbeleid van de organisatie [1]."
    )
    with FakeLLMServer("ollama") as fake:
        fake.script(reply)
        env = {"AVG_LLM_BACKEND": "ollama", "AVG_LLM_BASE_URL": fake.base_url, "AVG_LLM_MODEL": "nep:latest"}
        with running_server(data, **env) as url:
            client = Client(url, verbose=False)
            job = client.submit(QUESTION, "algemeen", api_name="/ask")
            outputs = list(job)
            history, sources, notices, _, _ = job.result()

    answers = [text_of(output[0][-1]) for output in outputs]
    streamed = [a for a in dict.fromkeys(answers) if "Bezig met zoeken" not in a]
    assert len(streamed) >= 3, answers  # the answer grew in several steps
    assert streamed[0] != streamed[-1] and len(streamed[0]) < len(streamed[-1])
    assert "binnen 72 uur" in text_of(history[-1]) and "[1]" in text_of(history[-1])
    assert "Datalekbeleid" in sources and "<mark>" in sources
    assert notices == ""
    assert fake.chat_requests and QUESTION in fake.chat_requests[-1].prompt_text()


class BrokenChat(ChatService):
    """A chat service whose answers fail: the UI must show a Dutch message, never the error itself."""

    def __init__(self, store: ConversationStore, error: Exception) -> None:
        self.store = store
        self.error = error

    def scopes(self, user: str) -> list[str]:
        return ["algemeen"]

    def ask(self, user: str, question: str, scope: str, conversation_id: int | None = None) -> Iterator[Turn]:
        raise self.error
        yield  # a generator, like the real one


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (RuntimeError("geheime details uit de stack"), ERROR_TEXT),
        (
            ScopeError("De kennisbank 'klant:X' is niet beschikbaar."),
            "De kennisbank 'klant:X' is niet beschikbaar.",
        ),
    ],
)
def test_chat_handler_turns_errors_into_dutch_messages(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, error: Exception, shown: str
) -> None:
    tab = ChatTab(BrokenChat(ConversationStore(tmp_path / STORE_FILE), error))
    outputs = list(tab.ask("Hoe snel melden we een datalek?", "algemeen", ChatSession(), None))  # type: ignore[arg-type]
    history, _, notices, cleared, session, _ = outputs[-1]
    assert history[-1] == {"role": "assistant", "content": message_html(shown)}
    assert message_html(shown) in notices and cleared == "" and session.messages == []
    assert "geheime details" not in str(outputs)
    assert ("geheime details" in caplog.text) == isinstance(error, RuntimeError)  # logged for the admin
