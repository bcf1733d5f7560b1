"""PyTorch's ``torch.autograd`` namespace: Function, backward, grad, checks, functional, profiler."""

from __future__ import annotations

from ..engine import backward, grad
from ..function import Function, FunctionCtx, once_differentiable
from . import profiler
from .gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = ["Function", "FunctionCtx", "once_differentiable", "backward", "grad", "gradcheck", "gradgradcheck", "GradcheckError", "profiler"]
