"""Functions for backward formulas that work on NumPy arrays (plain backward) and on Tensors
(``create_graph=True``), so each derivative is written once and is itself differentiable."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._tensor.tensor import Tensor, wrap_array
from ..graph.fpstate import quiet_fp, restore_fp

__all__ = [
    "is_tensor",
    "times_grad",
    "sin",
    "cos",
    "exp",
    "log",
    "tanh",
    "sign",
    "where",
    "ones_like",
    "expand_to",
    "swap_last",
    "quiet",
    "data",
    "zeros_of",
]


def is_tensor(x: Any) -> bool:
    """True when a formula runs on Tensors (i.e. under create_graph)."""
    return isinstance(x, Tensor)


def _unary(np_fn: Any, method: str) -> Any:
    def fn(x: Any) -> Any:
        return getattr(x, method)() if isinstance(x, Tensor) else np_fn(x)

    fn.__name__ = method
    fn.__doc__ = f"``{method}`` of an array or a Tensor."
    return fn


sin = _unary(np.sin, "sin")
cos = _unary(np.cos, "cos")
exp = _unary(np.exp, "exp")
log = _unary(np.log, "log")
tanh = _unary(np.tanh, "tanh")


_IN_PLACE_MIN = 16384  # elements: 64 KiB of float32


def times_grad(fresh: Any, grad: Any) -> Any:
    """``grad * fresh``, where ``fresh`` is a temporary the formula just made: on large arrays the
    product goes into ``fresh``'s memory, as each new large gradient takes fresh pages from the
    OS, which costs more than the multiply itself. Small arrays skip it: ``out=`` costs more than
    their allocation (benchmarks/bench_core.py's 1M-element row measures both)."""
    if (
        type(fresh) is np.ndarray
        and fresh.size > _IN_PLACE_MIN
        and type(grad) is np.ndarray
        and grad.shape == fresh.shape
        and grad.dtype == fresh.dtype
        and fresh.flags.writeable
    ):
        return np.multiply(fresh, grad, out=fresh)
    return grad * fresh


def sign(x: Any) -> Any:
    """Sign of an array or Tensor, PyTorch's: NaN gives 0 and -0.0 gives +0.0 (np.sign keeps
    both); never differentiable, so a Tensor's is detached."""
    if isinstance(x, Tensor):
        return x.sign().detach()
    if x.dtype.kind == "f":  # PyTorch's (x > 0) - (x < 0)
        out = np.asarray(x > 0).astype(x.dtype)
        out -= x < 0
        return out
    return np.sign(x)


def where(cond: Any, a: Any, b: Any) -> Any:
    """Elementwise select; ``cond`` may be an array or a bool Tensor."""
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        from .. import where as t_where

        return t_where(cond, a, b)
    return np.where(cond._data if isinstance(cond, Tensor) else cond, a, b)


def ones_like(x: Any) -> Any:
    """Ones with the shape and dtype of ``x``."""
    data = x._data if isinstance(x, Tensor) else x
    return np.ones_like(data)


def expand_to(g: Any, shape: tuple) -> Any:
    """Broadcast ``g`` to ``shape``: a Tensor expand, or for arrays a filled copy when small
    (np.broadcast_to's Python code costs more than a small copy, which also needs no later copy at
    a leaf; bench_core's tutorial row) and a read-only view when large (no memory traffic)."""
    if isinstance(g, Tensor):
        return g.expand(shape)
    if math.prod(shape) <= _SMALL:
        out = np.empty(shape, g.dtype)
        out[...] = g
        return out
    return np.broadcast_to(g, shape)


_SMALL = 65536


def swap_last(x: Any) -> Any:
    """The matrix transpose of an array (a view, which BLAS reads without copying) or a Tensor."""
    if type(x) is np.ndarray:
        return x.T if x.ndim == 2 else np.swapaxes(x, -1, -2)
    return x.transpose(-1, -2)


def quiet(fn: Any, *args: Any) -> Any:
    """``fn(*args)`` with NumPy's floating-point warnings off (nan/inf results stay silent)."""
    token = quiet_fp()
    try:
        return fn(*args)
    finally:
        restore_fp(token)


def data(x: Any) -> Any:
    """The array behind ``x`` (for masks and other non-differentiable constants)."""
    return x._data if isinstance(x, Tensor) else x


def zeros_of(grad: Any) -> Any:
    """A zero gradient like ``grad``: an array, or a constant Tensor under create_graph."""
    if isinstance(grad, Tensor):
        return wrap_array(np.zeros_like(grad._data))
    return np.zeros_like(grad)
