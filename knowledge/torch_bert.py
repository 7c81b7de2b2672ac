"""multilingual-e5-small's encoder (BERT) as a small torch module of our own.

The module names follow transformers' ``BertModel`` (``embeddings.word_embeddings``,
``encoder.layer[i].attention.self.query``, ``.intermediate.dense``, ``.output.LayerNorm`` …) so
the precision changes of :mod:`knowledge.torch_e5` swap the same layers, and the forward pass
computes what ``BertModel`` computes for one segment without dropout. Not importing transformers
and sentence-transformers keeps about 225 MB out of the serving process, and the weights are read
from the model folder tensor by tensor (no memory map of a 470 MB fp32 file): see
:func:`build_encoder`.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from knowledge.e5_model_folder import dequantise
from knowledge.torch_layers import Q4Embedding

_DTYPES = {"F32": np.float32, "F16": np.float16, "U8": np.uint8}


def read_tensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a safetensors file, read into memory one by one (no memory map)."""
    tensors: dict[str, np.ndarray] = {}
    with path.open("rb") as handle:
        (header_size,) = struct.unpack("<Q", handle.read(8))
        header: dict[str, Any] = json.loads(handle.read(header_size))
        for name, info in header.items():
            if name == "__metadata__":
                continue
            begin, end = (int(n) for n in info["data_offsets"])
            array = np.empty([int(n) for n in info["shape"]], dtype=_DTYPES[str(info["dtype"])])
            handle.seek(8 + header_size + begin)
            if handle.readinto(array.reshape(-1).view(np.uint8).data) != end - begin:
                raise ValueError(f"{path}: tensor {name} is afgekapt.")
            tensors[name] = array
    return tensors


class SelfAttention(nn.Module):
    """BERT self-attention in fp32 (the fp32 and int8 precisions; bf16 fuses it)."""

    def __init__(self, hidden: int, heads: int) -> None:
        super().__init__()
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.num_attention_heads = heads
        self.attention_head_size = hidden // heads

    def forward(self, hidden_states: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, None]:
        """The attention context; ``attention_mask`` is boolean (batch, 1, 1, length), True = read."""
        batch, length, width = hidden_states.shape
        shaped = [
            layer(hidden_states).view(batch, length, self.num_attention_heads, -1).transpose(1, 2)
            for layer in (self.query, self.key, self.value)
        ]
        query, key, value = shaped
        context = nn.functional.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask)
        return context.transpose(1, 2).reshape(batch, length, width), None


class Output(nn.Module):
    """A projection added to the residual, then layer-normalised."""

    def __init__(self, width_in: int, width_out: int, eps: float) -> None:
        super().__init__()
        self.dense = nn.Linear(width_in, width_out)
        self.LayerNorm = nn.LayerNorm(width_out, eps=eps)

    def forward(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        """``LayerNorm(dense(x) + residual)``."""
        normalised: torch.Tensor = self.LayerNorm(self.dense(x) + residual)
        return normalised


class Attention(nn.Module):
    """Self-attention and its output projection."""

    def __init__(self, hidden: int, heads: int, eps: float) -> None:
        super().__init__()
        self.self = SelfAttention(hidden, heads)
        self.output = Output(hidden, hidden, eps)


class Intermediate(nn.Module):
    """The feed-forward's first half (its GELU is applied by :class:`Layer`)."""

    def __init__(self, hidden: int, intermediate: int) -> None:
        super().__init__()
        self.dense = nn.Linear(hidden, intermediate)


class Layer(nn.Module):
    """One encoder layer: attention, then the feed-forward, each with residual and layer norm."""

    def __init__(self, hidden: int, heads: int, intermediate: int, eps: float) -> None:
        super().__init__()
        self.attention = Attention(hidden, heads, eps)
        self.intermediate = Intermediate(hidden, intermediate)
        self.output = Output(intermediate, hidden, eps)

    def forward(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The layer's output (fp32) for ``hidden`` (fp32)."""
        attended = self.attention.output(self.attention.self(hidden, mask)[0], hidden)
        inner = nn.functional.gelu(self.intermediate.dense(attended))
        output: torch.Tensor = self.output(inner, attended)
        return output


class Embeddings(nn.Module):
    """Word + token type (always 0) + position embeddings, layer-normalised."""

    def __init__(self, words: nn.Module, positions: int, types: int, hidden: int, eps: float) -> None:
        super().__init__()
        self.word_embeddings = words
        self.position_embeddings = nn.Embedding(positions, hidden)
        self.token_type_embeddings = nn.Embedding(types, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        """The embedded tokens (fp32), in BertEmbeddings' order of additions."""
        positions = torch.arange(input_ids.shape[1])
        summed = self.word_embeddings(input_ids) + self.token_type_embeddings.weight[0]
        normalised: torch.Tensor = self.LayerNorm(summed + self.position_embeddings(positions))
        return normalised


class Encoder(nn.Module):
    """The stack of layers."""

    def __init__(self, layers: list[Layer]) -> None:
        super().__init__()
        self.layer = nn.ModuleList(layers)


class BertEncoder(nn.Module):
    """Embeddings and encoder; returns the last hidden state (fp32)."""

    def __init__(self, embeddings: Embeddings, encoder: Encoder, hidden: int) -> None:
        super().__init__()
        self.embeddings = embeddings
        self.encoder = encoder
        self.hidden_size = hidden

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """The last hidden state of ``input_ids`` (batch, length); ``attention_mask`` 0 marks padding."""
        mask = attention_mask.bool()[:, None, None, :]
        hidden: torch.Tensor = self.embeddings(input_ids)
        for layer in self.encoder.layer:
            hidden = layer(hidden, mask)
        return hidden


def build_encoder(
    folder: Path, weights_file: str, prepare_layer: Callable[[nn.Module], None] | None = None
) -> BertEncoder:
    """The encoder of the model folder, fp32 (word embeddings kept 4-bit, exact).

    ``prepare_layer`` (e.g. lowering to bf16) is applied to each layer as soon as its weights are
    in, so the fp32 matrices of all layers are never in memory together.
    """
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    hidden, eps = int(config["hidden_size"]), float(config["layer_norm_eps"])
    tensors = read_tensors(folder / weights_file)
    words = Q4Embedding(
        torch.from_numpy(tensors.pop("embeddings.word_embeddings.weight.nibbles")),
        torch.from_numpy(tensors.pop("embeddings.word_embeddings.weight.scales")),
    )
    with torch.device("meta"):  # no memory for initial values: the folder's tensors replace them
        embeddings = Embeddings(
            nn.Identity(), int(config["max_position_embeddings"]), int(config["type_vocab_size"]), hidden, eps
        )
        layers = [
            Layer(hidden, int(config["num_attention_heads"]), int(config["intermediate_size"]), eps)
            for _ in range(int(config["num_hidden_layers"]))
        ]
    _load(embeddings, "embeddings.", tensors)
    embeddings.word_embeddings = words
    for index, layer in enumerate(layers):
        _load(layer, f"encoder.layer.{index}.", tensors)
        if prepare_layer is not None:
            prepare_layer(layer)
    if tensors:
        raise ValueError(f"{folder}: onbekende gewichten in het model: {sorted(tensors)[:3]}.")
    return BertEncoder(embeddings, Encoder(layers), hidden).eval()


def _load(module: nn.Module, prefix: str, tensors: dict[str, np.ndarray]) -> None:
    """Give ``module`` the tensors named ``prefix…`` (4-bit matrices dequantised), taking them out."""
    state: dict[str, torch.Tensor] = {}
    for name in [name for name in tensors if name.startswith(prefix)]:
        if name.endswith(".scales"):
            continue
        array = tensors.pop(name)
        if name.endswith(".nibbles"):
            name = name.removesuffix(".nibbles")
            array = dequantise(array, tensors.pop(f"{name}.scales"))
        state[name.removeprefix(prefix)] = torch.from_numpy(array)
    module.load_state_dict(state, strict=True, assign=True)
