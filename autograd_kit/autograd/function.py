"""``torch.autograd.function`` as a module, for ``from torch.autograd.function import
once_differentiable`` and friends; the implementation lives in ``autograd_kit.function``."""

from __future__ import annotations

from ..graph.custom_function import once_differentiable
from ..graph.function import Function, FunctionCtx

__all__ = ["Function", "FunctionCtx", "once_differentiable"]
