"""Activation modules: ``ReLU``, ``Tanh``, ``Sigmoid``, ``Softmax``, ``LogSoftmax``."""

from __future__ import annotations

from typing import Any

from .._tensor.tensor import Tensor
from . import functional as F
from .module import Module

__all__ = ["ReLU", "Tanh", "Sigmoid", "Softmax", "LogSoftmax"]


class ReLU(Module):
    """``max(x, 0)`` elementwise."""

    def __init__(self, inplace: bool = False) -> None:
        """``inplace=True`` overwrites the input."""
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        """Apply ReLU."""
        return F.relu(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        """``inplace=True`` when set."""
        return "inplace=True" if self.inplace else ""


class Tanh(Module):
    """Hyperbolic tangent elementwise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """No settings."""
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        """Apply tanh."""
        return input.tanh()


class Sigmoid(Module):
    """Logistic sigmoid elementwise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """No settings."""
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        """Apply the sigmoid."""
        return input.sigmoid()


class _AlongDim(Module):
    """A module that applies ``_function`` along one ``dim`` (softmax, log_softmax)."""

    _function: Any = None

    def __init__(self, dim: int | None = None) -> None:
        """``dim`` is the axis that is normalised (None: PyTorch's implicit choice, with a warning)."""
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        """Apply the function along ``dim``."""
        # _stacklevel=5 points the implicit-dim warning at the caller of the module.
        return self._function(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        """``dim=...``."""
        return f"dim={self.dim}"


class Softmax(_AlongDim):
    """Softmax along ``dim``."""

    _function = staticmethod(F.softmax)


class LogSoftmax(_AlongDim):
    """Log of softmax along ``dim``, computed stably."""

    _function = staticmethod(F.log_softmax)
