"""PyTorch's ``torch.autograd`` namespace: Function, backward, grad, checks, functional, profiler,
the ``function`` module and the legacy ``Variable``."""

from __future__ import annotations

from ..graph.custom_function import once_differentiable
from ..graph.function import Function, FunctionCtx
from . import function, functional, profiler
from .anomaly_mode import detect_anomaly, set_detect_anomaly
from .backprop import backward, grad
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .variable import Variable

__all__ = [
    "Function",
    "FunctionCtx",
    "once_differentiable",
    "Variable",
    "function",
    "backward",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "GradcheckError",
    "profiler",
    "functional",
    "detect_anomaly",
    "set_detect_anomaly",
]
