"""Clamping and elementwise extremes: ``clamp``/``clip``, ``clamp_min``/``clamp_max`` (with in-place
spellings) and ``maximum``/``minimum``. As in PyTorch, clamp passes the input's gradient inside
the bounds *including* the bounds themselves, a tensor bound gets the gradient where it is the
output, numbers vs tensors give different nodes (ClampBackward1 vs ClampBackward0), and ties in
maximum/minimum split the gradient."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor.tensor import Tensor
from ..dtypes import fix_binary_dtype, result_numpy_dtype
from ..graph.function import BuiltinFunction
from . import _math
from ._argcheck import NUMBER_TYPES, broadcasting, invalid_combination, must_be_tensor
from .inplace import apply_inplace

__all__ = [
    "clamp", "clip", "clamp_min", "clamp_max", "clamp_", "clip_", "clamp_min_", "clamp_max_", "maximum", "minimum",
]  # fmt: skip

_where = _math.where
_data = _math.data
_CLAMP_SIGS = (
    "Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None",
    "Tensor input, Number min = None, Number max = None, *, Tensor out = None",
)


def _clip(x: Any, lo: Any, hi: Any) -> np.ndarray:
    # min(max(x, lo), hi), so lo > hi gives hi everywhere, and NaN propagates, as PyTorch.
    out = x if lo is None else np.maximum(x, lo)
    return out if hi is None else np.minimum(out, hi)


def _clamp_self_mask(x: np.ndarray, lo: Any, hi: Any) -> np.ndarray:
    if lo is None:
        return x <= hi
    if hi is None:
        return x >= lo
    return (x >= lo) & (x <= hi)


class Clamp(BuiltinFunction):
    """Bounds given as numbers: ClampBackward1."""

    operands = ("self",)
    ctx_attributes = ("min", "max")
    saves = ("self",)
    formula = "grad_self = grad * (min <= self <= max)"
    node_name = "ClampBackward1"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, lo: Any, hi: Any) -> np.ndarray:
        ctx.min, ctx.max = lo, hi
        out = _clip(x, lo, hi)
        if out.dtype != x.dtype:  # an integer tensor with float bounds is promoted
            out = out.astype(result_numpy_dtype(tuple(v for v in (x, lo, hi) if v is not None)))
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return _where(_clamp_self_mask(_data(x), ctx.min, ctx.max), grad, 0)


class ClampMin(Clamp):
    node_name = "ClampMinBackward0"
    formula = "grad_self = grad * (self >= min)"
    aten_name = "aten::clamp_min"


class ClampMax(Clamp):
    node_name = "ClampMaxBackward0"
    formula = "grad_self = grad * (self <= max)"
    aten_name = "aten::clamp_max"


class ClampTensor(BuiltinFunction):
    """Bounds given as tensors (or a tensor and a number/None): ClampBackward0."""

    operands = ("self", "min", "max")
    saves = ("self", "min", "max")
    formula = "grad_self = grad * (min <= self <= max);  grad_min = grad * (self < min);  grad_max = grad * (self > max)   (min > max: grad_max = grad)"
    node_name = "ClampBackward0"
    aten_name = "aten::clamp"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, lo: Any, hi: Any) -> np.ndarray:
        present = tuple(v for v in (x, lo, hi) if v is not None)
        out = broadcasting(_clip, present, x, lo, hi)
        return out.astype(result_numpy_dtype(present), copy=False)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        x, lo, hi = (_data(v) for v in ctx.saved_tensors)
        edges = ctx.next_functions
        g_lo = g_hi = None
        # PyTorch's clamp_backward_min_max: when min > max the output is max, so max gets it.
        if lo is not None and edges[1][0] is not None:
            below = x < lo if hi is None else (x < lo) & (lo < hi)
            g_lo = _where(below, grad, 0)
        if hi is not None and edges[2][0] is not None:
            above = x > hi if lo is None else (x > hi) | (hi < lo)
            g_hi = _where(above, grad, 0)
        g_x = _where(_clamp_self_mask(x, lo, hi), grad, 0) if edges[0][0] is not None else None
        return g_x, g_lo, g_hi


class ClampMinTensor(BuiltinFunction):
    operands = ("self", "min")
    saves = ("self", "min")
    formula = "grad_self = grad * (self >= min);  grad_min = grad * (self < min)"
    node_name = "ClampMinBackward1"
    aten_name = "aten::clamp_min"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, lo: Any) -> np.ndarray:
        return ClampTensor.forward(ctx, x, lo, None)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        x, lo = (_data(v) for v in ctx.saved_tensors)
        return _where(x >= lo, grad, 0), _where(x < lo, grad, 0)


class ClampMaxTensor(BuiltinFunction):
    operands = ("self", "max")
    saves = ("self", "max")
    formula = "grad_self = grad * (self <= max);  grad_max = grad * (self > max)"
    node_name = "ClampMaxBackward1"
    aten_name = "aten::clamp_max"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, hi: Any) -> np.ndarray:
        return ClampTensor.forward(ctx, x, None, hi)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        x, hi = (_data(v) for v in ctx.saved_tensors)
        return _where(x <= hi, grad, 0), _where(x > hi, grad, 0)


def _bound_kind(op: str, input: Any, bounds: tuple, sigs: tuple) -> bool:
    """True if any bound is a Tensor; raise PyTorch's TypeError for anything not a number/None."""
    if not isinstance(input, Tensor):
        raise must_be_tensor(op, "input", 1, input)
    tensors = False
    for b in bounds:
        if isinstance(b, Tensor):
            tensors = True
        elif b is not None and not isinstance(b, NUMBER_TYPES):
            raise invalid_combination(op, (input, *bounds), sigs)
    return tensors


def _clamp_args(input: Any, min: Any, max: Any) -> tuple:
    tensors = _bound_kind("clamp", input, (min, max) if max is not None else (min,), _CLAMP_SIGS)
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    return (ClampTensor, input, min, max) if tensors else (Clamp, input, min, max)


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """Limit ``input`` to ``[min, max]`` (numbers or broadcastable tensors; either may be None)."""
    cls, *args = _clamp_args(input, min, max)
    return cls.apply(*args)


def clamp_(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """In-place ``clamp``."""
    cls, *args = _clamp_args(input, min, max)
    return apply_inplace(cls, *args)


def _one_sided(op: str, number_cls: type, tensor_cls: type, input: Any, bound: Any, lo: bool) -> tuple:
    arg = "min" if lo else "max"
    sigs = (
        f"Tensor input, Tensor {arg}, *, Tensor out = None",
        f"Tensor input, Number {arg}, *, Tensor out = None",
    )
    if bound is None:
        raise invalid_combination(op, (input, bound), sigs)
    if _bound_kind(op, input, (bound,), sigs):
        return tensor_cls, input, bound
    return (number_cls, input, bound, None) if lo else (number_cls, input, None, bound)


def clamp_min(input: Tensor, min: Any) -> Tensor:
    """``max(input, min)`` with clamp's gradient (ClampMinBackward)."""
    cls, *args = _one_sided("clamp_min", ClampMin, ClampMinTensor, input, min, True)
    return cls.apply(*args)


def clamp_max(input: Tensor, max: Any) -> Tensor:
    """``min(input, max)`` with clamp's gradient (ClampMaxBackward)."""
    cls, *args = _one_sided("clamp_max", ClampMax, ClampMaxTensor, input, max, False)
    return cls.apply(*args)


def clamp_min_(input: Tensor, min: Any) -> Tensor:
    """In-place ``clamp_min``."""
    cls, *args = _one_sided("clamp_min", ClampMin, ClampMinTensor, input, min, True)
    return apply_inplace(cls, *args)


def clamp_max_(input: Tensor, max: Any) -> Tensor:
    """In-place ``clamp_max``."""
    cls, *args = _one_sided("clamp_max", ClampMax, ClampMaxTensor, input, max, False)
    return apply_inplace(cls, *args)


clip, clip_ = clamp, clamp_


class Maximum(BuiltinFunction):
    operands = ("self", "other")
    saves = ("self", "other")
    formula = "grad_self = grad * (self > other);  grad_other = grad * (other > self)   (ties: grad / 2 each)"

    @staticmethod
    def forward(ctx: Any, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return fix_binary_dtype(broadcasting(np.maximum, (a, b), a, b), a, b)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        a, b = ctx.saved_tensors
        return _split_extreme(ctx, grad, _data(a), _data(b), True)


class Minimum(Maximum):
    @staticmethod
    def forward(ctx: Any, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return fix_binary_dtype(broadcasting(np.minimum, (a, b), a, b), a, b)

    formula = "grad_self = grad * (self < other);  grad_other = grad * (other < self)   (ties: grad / 2 each)"

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        a, b = ctx.saved_tensors
        return _split_extreme(ctx, grad, _data(a), _data(b), False)


def _split_extreme(ctx: Any, grad: Any, a: np.ndarray, b: np.ndarray, is_max: bool) -> tuple:
    # PyTorch: ties share the gradient half and half; the losing side gets 0 (NaN loses nowhere).
    ties = a == b
    g = _where(ties, grad * 0.5, grad) if ties.any() else grad
    a_loses, b_loses = (a < b, a > b) if is_max else (a > b, a < b)
    (fa, _), (fb, _) = ctx.next_functions
    return (_where(a_loses, 0, g) if fa is not None else None), (
        _where(b_loses, 0, g) if fb is not None else None
    )


def _two_tensors(op: str, input: Any, other: Any) -> None:
    if not isinstance(input, Tensor):
        raise must_be_tensor(op, "input", 1, input)
    if not isinstance(other, Tensor):
        raise must_be_tensor(op, "other", 2, other)


def maximum(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise maximum of two broadcastable tensors (NaN wins)."""
    _two_tensors("maximum", input, other)
    return Maximum.apply(input, other)


def minimum(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise minimum of two broadcastable tensors (NaN wins)."""
    _two_tensors("minimum", input, other)
    return Minimum.apply(input, other)


TENSOR_METHODS = {
    "clamp": clamp,
    "clip": clamp,
    "clamp_": clamp_,
    "clip_": clamp_,
    "clamp_min": clamp_min,
    "clamp_max": clamp_max,
    "clamp_min_": clamp_min_,
    "clamp_max_": clamp_max_,
    "maximum": maximum,
    "minimum": minimum,
}
