"""``nn.Dropout``: random zeroing with rescaling during training, identity in eval."""

from __future__ import annotations

from .._tensor.tensor import Tensor
from . import functional as F
from .module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    """During training, zero elements with probability ``p`` and rescale the rest; identity in eval."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        """``p`` must lie in [0, 1]."""
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        """Apply dropout when ``self.training``."""
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        """``p=..., inplace=...``."""
        return f"p={self.p}, inplace={self.inplace}"
