"""Piecewise-constant ops: ``sign``, ``floor``, ``ceil``, ``round`` (half to even, optional
``decimals``) and ``trunc``, with in-place spellings. Their gradient is zero everywhere (a zero
tensor, not None, as PyTorch); integer inputs come back as copies."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor.tensor import Tensor
from ..graph.function import BuiltinFunction
from . import _math
from ._argcheck import type_name, unary_op
from .inplace import apply_inplace

__all__ = ["sign", "floor", "ceil", "round", "trunc", "fix", "floor_", "ceil_", "round_", "trunc_", "fix_"]


def _no_bool(x: np.ndarray, kernel: str) -> str:
    """The dtype kind of ``x``; PyTorch's error for a bool tensor."""
    kind = x.dtype.kind
    if kind == "b":
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    return kind


class _ZeroGrad(BuiltinFunction):
    """Piecewise-constant ops: their gradient is zero everywhere (PyTorch's zeros_like(grad))."""

    operands = ("self",)
    formula = "grad_self = zeros_like(grad)"

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return _math.zeros_of(grad)


class Sign(_ZeroGrad):
    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        return _math.sign(x) if x.dtype.kind != "b" else x.copy()


def _rounding(np_fn: Any, op: str) -> Any:
    kernel = f"{op}_vml_cpu"

    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        if _no_bool(x, kernel) != "f":
            return x.copy()  # integers are already whole (PyTorch returns a copy)
        return np_fn(x)

    return staticmethod(forward)


class Floor(_ZeroGrad):
    forward = _rounding(np.floor, "floor")


class Ceil(_ZeroGrad):
    forward = _rounding(np.ceil, "ceil")


class Trunc(_ZeroGrad):
    forward = _rounding(np.trunc, "trunc")


class Round(_ZeroGrad):
    forward = _rounding(np.round, "round")  # half to even, as PyTorch


class RoundDecimals(_ZeroGrad):
    node_name = "RoundBackward1"
    aten_name = "aten::round"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, decimals: int) -> np.ndarray:
        if _no_bool(x, "round_vml_cpu") != "f":
            return x.copy() if decimals >= 0 else np.round(x, decimals)
        return _math.quiet(np.round, x, decimals)


sign = unary_op(Sign, "sign", "-1, 0 or 1 by sign (zero gradient).")
floor = unary_op(Floor, "floor", "Largest integer <= input (zero gradient).")
ceil = unary_op(Ceil, "ceil", "Smallest integer >= input (zero gradient).")
trunc = unary_op(Trunc, "trunc", "Round toward zero (zero gradient).")


def round(input: Tensor, *, decimals: int = 0) -> Tensor:
    """Round half to even, optionally to ``decimals`` places (zero gradient)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"round(): argument 'input' (position 1) must be Tensor, not {type_name(input)}")
    return Round.apply(input) if decimals == 0 else RoundDecimals.apply(input, decimals)


fix = trunc


def _inplace(cls: type, name: str) -> Any:
    def fn(input: Tensor) -> Tensor:
        return apply_inplace(cls, input)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"In-place ``{name[:-1]}``: overwrites ``input`` and returns it."
    return fn


floor_, ceil_, trunc_, sign_ = (
    _inplace(c, n) for c, n in ((Floor, "floor_"), (Ceil, "ceil_"), (Trunc, "trunc_"), (Sign, "sign_"))
)
fix_ = trunc_


def round_(input: Tensor, *, decimals: int = 0) -> Tensor:
    """In-place ``round``."""
    return apply_inplace(Round, input) if decimals == 0 else apply_inplace(RoundDecimals, input, decimals)


TENSOR_METHODS = {
    fn.__name__: fn for fn in (sign, floor, ceil, round, trunc, sign_, floor_, ceil_, round_, trunc_)
}
TENSOR_METHODS.update(fix=trunc, fix_=trunc_)
