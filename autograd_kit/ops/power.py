"""Powers and reciprocals: ``tensor ** number``, ``tensor ** tensor``, ``number ** tensor``, ``1 / x``.

A Python-number operand is an argument, not an operand: like PyTorch, the node then has one
``next_functions`` edge (PowBackward0, PowBackward2) and shows the number as ``_saved_exponent``
or ``_saved_self``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor.tensor import Tensor
from ..dtypes import fix_binary_dtype, get_default_dtype
from ..graph.fpstate import quiet_fp, restore_fp
from ..graph.function import BuiltinFunction
from . import _math
from .inplace import apply_inplace

__all__ = ["pow", "reciprocal", "float_power"]


# Exponents PyTorch computes with a cheaper kernel than pow (square, sqrt, reciprocal), for the
# same results: on 1M float32, np.power takes 0.77 ms for 0.5 and -1 and 0.36 ms for 2, these
# kernels 0.28 ms.
_FAST_POWERS = {2: np.square, 0.5: np.sqrt, -1: np.reciprocal}


def _power(a: Any, b: Any) -> np.ndarray:
    if type(a) is np.ndarray:
        if a.dtype.kind == "f" and type(b) in (int, float) and b in _FAST_POWERS:
            token = quiet_fp()
            try:
                return _FAST_POWERS[b](a)
            finally:
                restore_fp(token)
        if a.dtype.kind in "iu" and isinstance(b, (int, np.integer)) and b < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
    token = quiet_fp()
    try:
        return fix_binary_dtype(np.power(a, b), a, b)
    finally:
        restore_fp(token)


def _log_base(a: Any) -> Any:
    # d/db a**b = a**b * log(a), taken as 0 where a == 0 (PyTorch's limit too).
    return _math.log(_math.where(a == 0, _math.ones_like(a), a))


class Pow(BuiltinFunction):
    """``tensor ** number``: PowBackward0 (PyTorch saves self and the exponent, not the result)."""

    operands = ("self",)
    ctx_attributes = ("exponent",)
    saves = ("self",)
    formula = "grad_self = grad * exponent * self**(exponent - 1)"

    @staticmethod
    def forward(ctx: Any, a: np.ndarray, exponent: Any) -> np.ndarray:
        ctx.exponent = exponent
        return _power(a, exponent)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (a,) = ctx.saved_tensors
        b = ctx.exponent
        if b == 0:
            return grad * 0
        if b == 2:  # the square's derivative without a power pass
            return _math.times_grad(a * 2, grad)
        return _math.times_grad(b * a ** (b - 1), grad)


class PowTensor(BuiltinFunction):
    """``tensor ** tensor``: PowBackward1."""

    operands = ("self", "exponent")
    saves = ("self", "exponent", "result")
    formula = "grad_self = grad * exponent * self**(exponent - 1);  grad_exponent = grad * result * log(self)"
    node_name = "PowBackward1"
    aten_name = "aten::pow"

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> np.ndarray:
        return _power(a, b)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        a, b, result = ctx.saved_tensors
        (fa, _), (fb, _) = ctx.next_functions
        grad_a = None
        if fa is not None:  # b * a**(b-1), taken as 0 where b == 0 (0 * 0**-1 would be nan), as PyTorch
            grad_a = _math.where(_math.data(b) == 0, _math.zeros_of(grad), grad * b * a ** (b - 1))
        return grad_a, (grad * result * _log_base(a) if fb is not None else None)


class PowScalarBase(BuiltinFunction):
    """``number ** tensor``: PowBackward2 (one edge, to the exponent)."""

    operands = ("exponent",)
    ctx_attributes = ("self",)
    saves = ("exponent", "result")
    formula = "grad_exponent = grad * result * log(self)   (self is a number)"
    node_name = "PowBackward2"
    aten_name = "aten::pow"

    @staticmethod
    def forward(ctx: Any, b: np.ndarray, base: Any) -> np.ndarray:
        ctx.self = base
        return _power(base, b)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        _, result = ctx.saved_tensors
        return grad * result * _log_base(np.asarray(ctx.self, dtype=_math.data(result).dtype))


class Reciprocal(BuiltinFunction):
    operands = ("self",)
    saves = ("result",)
    formula = "grad_self = -grad * result**2"

    @staticmethod
    def forward(ctx: Any, a: np.ndarray) -> np.ndarray:
        if a.dtype.kind in "biu":
            a = a.astype(get_default_dtype().numpy_dtype)
        with np.errstate(divide="ignore"):
            return np.reciprocal(a)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (result,) = ctx.saved_tensors
        return -grad * result * result


def pow(input: Any, exponent: Any) -> Tensor:
    """``input ** exponent`` (either may be a number)."""
    if not isinstance(input, Tensor):
        if not isinstance(exponent, Tensor):
            raise TypeError(
                f"pow(): expected a Tensor for input or exponent, got {type(input).__name__} and {type(exponent).__name__}"
            )
        return PowScalarBase.apply(exponent, input)
    if isinstance(exponent, Tensor):
        return PowTensor.apply(input, exponent)
    return Pow.apply(input, exponent)


def float_power(input: Any, exponent: Any) -> Tensor:
    """``input ** exponent`` computed in float64."""
    return pow(_as_float64(input), _as_float64(exponent))


def _as_float64(x: Any) -> Any:
    return x.double() if isinstance(x, Tensor) else x


def reciprocal(input: Tensor) -> Tensor:
    """``1 / input``."""
    return Reciprocal.apply(input)


def _pow_(self: Tensor, exponent: Any) -> Tensor:
    return apply_inplace(PowTensor if isinstance(exponent, Tensor) else Pow, self, exponent)


def _rpow(self: Tensor, base: Any) -> Tensor:
    return pow(base, self)


TENSOR_METHODS = {
    "pow": pow,
    "float_power": float_power,
    "reciprocal": reciprocal,
    "__pow__": pow,
    "__rpow__": _rpow,
    "pow_": _pow_,
    "__ipow__": _pow_,
    "reciprocal_": lambda self: apply_inplace(Reciprocal, self),
}
