"""The chat model behind generated answers: Ollama or any OpenAI-compatible server, or none.

Both are LangChain chat models talking HTTP to a server the user runs; nothing is
downloaded here (Ollama's model check on start-up stays off, no tokenizer is fetched).
A model that misbehaves costs at most ``llm_timeout_s`` of silence: retries are off,
so a failure falls back to the extractive answer at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.settings import Settings
from ingestion.errors import ConfigError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

OLLAMA_DEFAULT_URL = "http://127.0.0.1:11434"
_PLACEHOLDER_KEY = "lokaal"


def llm_base_url(settings: Settings) -> str:
    """The server address for the configured backend ("" for none), without trailing slash."""
    if settings.llm_backend == "ollama":
        return (settings.llm_base_url or OLLAMA_DEFAULT_URL).rstrip("/")
    return settings.llm_base_url.rstrip("/")


def build_chat_model(settings: Settings) -> BaseChatModel | None:
    """The configured chat model, or None when answers stay extractive."""
    if settings.llm_backend == "none":
        return None
    if not settings.llm_model:
        raise ConfigError(
            f"Stel AVG_LLM_MODEL in: de naam van het model op de {settings.llm_backend}-server "
            "(bijv. 'qwen2.5:7b-instruct'), of zet AVG_LLM_BACKEND=none voor antwoorden zonder taalmodel."
        )
    if settings.llm_backend == "ollama":
        return _ollama(settings)
    if not settings.llm_base_url:
        raise ConfigError(
            "Stel AVG_LLM_BASE_URL in op het adres van de OpenAI-compatibele server, inclusief /v1 "
            "(bijv. http://127.0.0.1:8080/v1)."
        )
    return _openai(settings)


def _ollama(settings: Settings) -> BaseChatModel:
    try:
        from langchain_ollama import ChatOllama
    except ImportError as exc:
        raise ConfigError(_missing_extra("langchain-ollama")) from exc
    return ChatOllama(
        base_url=llm_base_url(settings),
        model=settings.llm_model,
        temperature=settings.llm_temperature,
        validate_model_on_init=False,
        client_kwargs={"timeout": settings.llm_timeout_s},
    )


def _openai(settings: Settings) -> BaseChatModel:
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise ConfigError(_missing_extra("langchain-openai")) from exc
    return ChatOpenAI(
        base_url=llm_base_url(settings),
        api_key=settings.llm_api_key or _PLACEHOLDER_KEY,
        model=settings.llm_model,
        temperature=settings.llm_temperature,
        timeout=settings.llm_timeout_s,
        max_retries=0,
        use_responses_api=False,
        stream_usage=False,
    )


def _missing_extra(package: str) -> str:
    return (
        f"{package} is niet geïnstalleerd. Installeer de taalmodel-ondersteuning met "
        "'.venv/bin/pip install -e \".[llm]\"', of zet AVG_LLM_BACKEND=none."
    )
