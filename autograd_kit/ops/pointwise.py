"""Unary elementwise math: exp/log family, sqrt/rsqrt, trig, abs and square, with
their in-place spellings (``x.sin_()``, ``autograd_kit.sin_(x)``). Integer inputs of the
transcendental ops give the default float dtype, as in PyTorch."""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from .._tensor.tensor import Tensor
from ..graph.function import BuiltinFunction
from . import _math
from ._argcheck import floating_forward, type_name, unary_op
from .clamp import maximum, minimum  # noqa: F401  (minmax reaches them as pointwise.maximum)
from .inplace import apply_inplace
from .power import Pow

__all__ = [
    "abs", "absolute", "exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "rsqrt",
    "sin", "cos", "tan", "square", "erf",
    "abs_", "exp_", "expm1_", "log_", "log1p_", "log2_", "log10_", "sqrt_", "rsqrt_",
    "sin_", "cos_", "tan_", "square_", "erf_",
]  # fmt: skip

_quiet = _math.quiet
_div = operator.truediv
_LN2, _LN10 = math.log(2.0), math.log(10.0)
# Forward kernels run with NumPy's nan/inf warnings off (PyTorch is silent).


class Exp(BuiltinFunction):
    operands = ("self",)
    saves = ("result",)
    formula = "grad_self = grad * result   (result = exp(self))"
    forward = floating_forward(np.exp, "exp", quiet=True)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (result,) = ctx.saved_tensors
        return grad * result


class Expm1(BuiltinFunction):
    operands = ("self",)
    saves = ("result",)
    formula = "grad_self = grad * (result + 1)"
    forward = floating_forward(np.expm1, "expm1", quiet=True)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (result,) = ctx.saved_tensors
        return _math.times_grad(result + 1, grad)


class Log(BuiltinFunction):
    operands = ("self",)
    saves = ("self",)
    formula = "grad_self = grad / self"
    forward = floating_forward(np.log, "log", quiet=True)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return _quiet(_div, grad, x)


class Log1p(BuiltinFunction):
    operands = ("self",)
    saves = ("self",)
    formula = "grad_self = grad / (self + 1)"
    node_name = "Log1PBackward0"
    forward = floating_forward(np.log1p, "log1p", quiet=True)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return _quiet(_div, grad, x + 1)


class Log2(BuiltinFunction):
    operands = ("self",)
    saves = ("self",)
    formula = "grad_self = grad / (self * ln(2))"
    forward = floating_forward(np.log2, "log2", quiet=True)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return _quiet(_div, grad, x * _LN2)


class Log10(BuiltinFunction):
    operands = ("self",)
    saves = ("self",)
    formula = "grad_self = grad / (self * ln(10))"
    forward = floating_forward(np.log10, "log10", quiet=True)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return _quiet(_div, grad, x * _LN10)


class Sqrt(BuiltinFunction):
    operands = ("self",)
    saves = ("result",)
    formula = "grad_self = grad / (2 * result)"
    forward = floating_forward(np.sqrt, "sqrt", quiet=True)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (result,) = ctx.saved_tensors
        return _quiet(_div, grad, result * 2)


def _rsqrt(x: np.ndarray) -> np.ndarray:
    out = np.sqrt(x)
    # Reuse the fresh buffer; a 0-d input gives a NumPy scalar, which has none.
    return np.reciprocal(out, out=out) if type(out) is np.ndarray else np.reciprocal(out)


class Rsqrt(BuiltinFunction):
    operands = ("self",)
    saves = ("result",)
    formula = "grad_self = -0.5 * grad * result**3"
    forward = floating_forward(_rsqrt, "rsqrt", quiet=True)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (result,) = ctx.saved_tensors
        return _quiet(operator.mul, grad * -0.5, result * result * result)


class Sin(BuiltinFunction):
    operands = ("self",)
    saves = ("self",)
    formula = "grad_self = grad * cos(self)"
    forward = floating_forward(np.sin, "sin", quiet=True)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return _math.times_grad(_math.cos(x), grad)


class Cos(BuiltinFunction):
    operands = ("self",)
    saves = ("self",)
    formula = "grad_self = -grad * sin(self)"
    forward = floating_forward(np.cos, "cos", quiet=True)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return _math.times_grad(-_math.sin(x), grad)


class Tan(BuiltinFunction):
    operands = ("self",)
    saves = ("result",)
    formula = "grad_self = grad * (1 + result**2)"
    forward = floating_forward(np.tan, "tan", quiet=True)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (result,) = ctx.saved_tensors
        return _math.times_grad(result * result + 1, grad)


class Abs(BuiltinFunction):
    operands = ("self",)
    saves = ("self",)
    formula = "grad_self = grad * sign(self)"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        if x.dtype.kind == "b":
            raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
        return np.abs(x)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * _math.sign(x)


class Erf(BuiltinFunction):
    operands = ("self",)
    saves = ("self",)
    formula = "grad_self = grad * 2 / sqrt(pi) * exp(-self**2)"
    forward = floating_forward(lambda x: np.asarray(_erf_kernel(x), dtype=x.dtype), "erf")

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return _math.times_grad(_math.exp(-(x * x)) * _TWO_OVER_SQRT_PI, grad)


# NumPy has no erf; math.erf per element is correct to an ulp (SciPy's would be a dependency).
_erf_kernel = np.frompyfunc(math.erf, 1, 1)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)

exp = unary_op(Exp, "exp", "``e ** input``.")
expm1 = unary_op(Expm1, "expm1", "``exp(input) - 1``, accurate near zero.")
log = unary_op(Log, "log", "Natural logarithm (nan below zero, -inf at zero).")
log1p = unary_op(Log1p, "log1p", "``log(1 + input)``, accurate near zero.")
log2 = unary_op(Log2, "log2", "Base-2 logarithm.")
log10 = unary_op(Log10, "log10", "Base-10 logarithm.")
sqrt = unary_op(Sqrt, "sqrt", "Square root (nan below zero).")
rsqrt = unary_op(Rsqrt, "rsqrt", "``1 / sqrt(input)``.")
sin = unary_op(Sin, "sin", "Sine (radians).")
cos = unary_op(Cos, "cos", "Cosine (radians).")
tan = unary_op(Tan, "tan", "Tangent (radians).")
abs = unary_op(Abs, "abs", "Absolute value (its gradient at 0 is 0, as PyTorch).")
erf = unary_op(Erf, "erf", "The error function ``2/sqrt(pi) * integral of exp(-t**2) from 0 to input``.")


def square(input: Tensor) -> Tensor:
    """``input ** 2`` (recorded as PowBackward0, like PyTorch)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"square(): argument 'input' (position 1) must be Tensor, not {type_name(input)}")
    if input._data.dtype.kind == "b":
        input = input.long()  # bool squares to int64 in PyTorch
    return Pow.apply(input, 2)


absolute = abs


def _inplace(cls: type) -> Any:
    def fn(input: Tensor) -> Tensor:
        return apply_inplace(cls, input)

    fn.__name__ = fn.__qualname__ = cls.__name__.lower() + "_"
    fn.__doc__ = f"In-place ``{cls.__name__.lower()}``: overwrites ``input`` and returns it."
    return fn


exp_, expm1_, log_, log1p_, log2_, log10_ = map(_inplace, (Exp, Expm1, Log, Log1p, Log2, Log10))
sqrt_, rsqrt_, sin_, cos_, tan_, abs_, erf_ = map(_inplace, (Sqrt, Rsqrt, Sin, Cos, Tan, Abs, Erf))


def square_(input: Tensor) -> Tensor:
    """In-place ``square``."""
    return apply_inplace(Pow, input, 2)


_FUNCTIONS = (exp, expm1, log, log1p, log2, log10, sqrt, rsqrt, sin, cos, tan, abs, square, exp_, expm1_)
_FUNCTIONS += (log_, log1p_, log2_, log10_, sqrt_, rsqrt_, sin_, cos_, tan_, abs_, square_, erf, erf_)

TENSOR_METHODS = {fn.__name__: fn for fn in _FUNCTIONS}
TENSOR_METHODS.update(absolute=abs, absolute_=abs_)
