"""``torch.autograd.Variable``: the pre-0.4 wrapper, kept as PyTorch keeps it for old notebooks:
calling it returns a Tensor, and every Tensor is an instance of it."""

from __future__ import annotations

import warnings
from typing import Any

from .._tensor.tensor import Tensor
from ..ops._argcheck import type_name

__all__ = ["Variable"]


class VariableMeta(type):
    """Makes ``isinstance(t, Variable)`` true for every Tensor, as in PyTorch."""

    def __instancecheck__(cls, other: Any) -> bool:
        return isinstance(other, Tensor)


class Variable(metaclass=VariableMeta):
    """``Variable(t, requires_grad=...)`` is a leaf Tensor sharing ``t``'s storage (``t.detach()``)."""

    def __new__(
        cls, data: Tensor | None = None, requires_grad: bool = False, volatile: bool = False
    ) -> Tensor:  # type: ignore[misc]
        """A detached alias of ``data`` (an empty tensor without one), with ``requires_grad`` set."""
        if volatile:
            warnings.warn(
                "volatile was removed and now has no effect. Use `with torch.no_grad():` instead.",
                UserWarning,
                stacklevel=2,
            )
        if data is None:
            from ..creation.factories import empty

            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type_name(data)}")
        out = data.detach()
        if requires_grad:
            out.requires_grad = True
        return out
