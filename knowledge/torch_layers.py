"""Small torch modules for the lower-precision e5 model (imported only where torch is installed)."""

from __future__ import annotations

import warnings

import torch
from torch import nn


class LowPrecisionLinear(nn.Module):
    """A linear layer computed in ``dtype`` (bf16 or fp32), returning fp32."""

    def __init__(self, linear: nn.Linear, dtype: torch.dtype) -> None:
        super().__init__()
        self.weight = nn.Parameter(linear.weight.detach().to(dtype), requires_grad=False)
        self.bias = nn.Parameter(linear.bias.detach().clone(), requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x W^T + b`` with the product in the weight's precision."""
        return nn.functional.linear(x.to(self.weight.dtype), self.weight).float() + self.bias


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


class HalfEmbedding(nn.Module):
    """An embedding table stored in fp16, looked up in fp32."""

    def __init__(self, weight: torch.Tensor) -> None:
        super().__init__()
        self.weight = nn.Parameter(weight.detach().half(), requires_grad=False)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """The fp32 rows of ``ids``."""
        return nn.functional.embedding(ids, self.weight).float()
