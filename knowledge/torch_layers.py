"""Two small torch modules for the int8 e5 model (imported only where torch is installed)."""

from __future__ import annotations

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


class HalfEmbedding(nn.Module):
    """An embedding table stored in fp16, looked up in fp32."""

    def __init__(self, weight: torch.Tensor) -> None:
        super().__init__()
        self.weight = nn.Parameter(weight.detach().half(), requires_grad=False)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """The fp32 rows of ``ids``."""
        return nn.functional.embedding(ids, self.weight).float()
