"""Arithmetic ops (+ - * / ** and negation) with broadcasting and PyTorch's dtype promotion."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor.tensor import Tensor
from ..dtypes import fix_binary_dtype, get_default_dtype, result_numpy_dtype
from ..graph.builtin_apply import apply_builtin as _apply_builtin
from ..graph.fast_apply import specialise
from ..graph.function import BuiltinFunction, Function
from .inplace import apply_inplace
from .power import Reciprocal

# NumPy agrees with PyTorch's promotion when the result keeps a dimensioned operand's dtype
# (the common case, checked inline); fix_binary_dtype handles the rest.
_ndarray = np.ndarray

__all__ = [
    "add",
    "sub",
    "mul",
    "div",
    "neg",
    "rsub",
    "true_divide",
    "divide",
    "multiply",
    "subtract",
    "negative",
]


class Add(BuiltinFunction):
    operands = ("self", "other")
    formula = "grad_self = grad;  grad_other = alpha * grad"
    aten_name = "aten::add"

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> np.ndarray:
        out = a + b
        return out if type(a) is _ndarray and a.dtype is out.dtype and a.ndim else fix_binary_dtype(out, a, b)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        return grad, grad


class AddScaled(BuiltinFunction):
    """``add(a, b, alpha=k)``: a separate class so the plain ``+`` path stores nothing on ctx."""

    operands = ("self", "other")
    formula = "grad_self = grad;  grad_other = alpha * grad"
    ctx_attributes = ("alpha",)
    node_name = "AddBackward0"
    aten_name = "aten::add"

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any, alpha: Any) -> np.ndarray:
        ctx.alpha = alpha
        return fix_binary_dtype(a + b * alpha, a, b)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        return grad, grad * ctx.alpha


def _bool_sub_error() -> RuntimeError:
    return RuntimeError(
        "Subtraction, the `-` operator, with two bool tensors is not supported. "
        "Use the `^` or `logical_xor()` operator instead."
    )


class Sub(BuiltinFunction):
    operands = ("self", "other")
    formula = "grad_self = grad;  grad_other = -alpha * grad"
    aten_name = "aten::sub"

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> np.ndarray:
        try:
            out = a - b
        except TypeError:  # NumPy refuses bool - bool too; say it as PyTorch does
            raise _bool_sub_error() from None
        return out if type(a) is _ndarray and a.dtype is out.dtype and a.ndim else fix_binary_dtype(out, a, b)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        return grad, -grad


class SubScaled(BuiltinFunction):
    """``sub(a, b, alpha=k)``."""

    operands = ("self", "other")
    formula = "grad_self = grad;  grad_other = -alpha * grad"
    ctx_attributes = ("alpha",)
    node_name = "SubBackward0"
    aten_name = "aten::sub"

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any, alpha: Any) -> np.ndarray:
        ctx.alpha = alpha
        try:
            return fix_binary_dtype(a - b * alpha, a, b)
        except TypeError:
            raise _bool_sub_error() from None

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        return grad, grad * -ctx.alpha


class Rsub(BuiltinFunction):
    """``number - alpha * tensor``: RsubBackward1, one edge (the number is an argument)."""

    operands = ("self",)
    formula = "result = other - alpha * self:  grad_self = -alpha * grad"
    ctx_attributes = ("alpha",)
    node_name = "RsubBackward1"
    aten_name = "aten::rsub"

    @staticmethod
    def forward(ctx: Any, a: np.ndarray, other: Any, alpha: Any = 1) -> np.ndarray:
        ctx.alpha = alpha
        return fix_binary_dtype(np.subtract(other, a if alpha == 1 else a * alpha), a, other)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        alpha = ctx.alpha
        return -grad if alpha == 1 else grad * -alpha


class RsubTensor(BuiltinFunction):
    """``torch.rsub(input, other)`` with a tensor ``other``: RsubBackward0."""

    operands = ("self", "other")
    formula = "result = other - alpha * self:  grad_self = -alpha * grad;  grad_other = grad"
    ctx_attributes = ("alpha",)
    node_name = "RsubBackward0"
    aten_name = "aten::rsub"

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any, alpha: Any = 1) -> np.ndarray:
        ctx.alpha = alpha
        return fix_binary_dtype(np.subtract(b, a if alpha == 1 else a * alpha), a, b)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        alpha = ctx.alpha
        return (-grad if alpha == 1 else grad * -alpha), grad


class Mul(BuiltinFunction):
    operands = ("self", "other")
    saves = ("self", "other")
    formula = "grad_self = grad * other;  grad_other = grad * self"
    saved_for_other = ("self", "other")

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> np.ndarray:
        out = a * b
        dt = out.dtype
        return out if type(a) is _ndarray and a.dtype is dt and a.ndim else fix_binary_dtype(out, a, b)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        a, b = ctx.saved_tensors
        (fa, _), (fb, _) = ctx.next_functions
        return (grad * b if fa is not None else None), (grad * a if fb is not None else None)


class Div(BuiltinFunction):
    operands = ("self", "other")
    saves = ("self", "other")
    formula = "grad_self = grad / other;  grad_other = -grad * self / other**2"
    saved_for_other = ("self",)

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> np.ndarray:
        want = result_numpy_dtype((a, b))
        if want.kind in "biu":  # true division of integers gives the default float dtype
            want = get_default_dtype().numpy_dtype
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = np.true_divide(a, b)
        return out if out.dtype == want else out.astype(want)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        a, b = ctx.saved_tensors
        grad_a = grad / b
        return grad_a, (-grad_a * a / b if ctx.next_functions[1][0] is not None else None)


class Neg(BuiltinFunction):
    operands = ("self",)
    formula = "grad_self = -grad"

    @staticmethod
    def forward(ctx: Any, a: np.ndarray) -> np.ndarray:
        if a.dtype == np.bool_:
            raise RuntimeError(
                "Negation, the `-` operator, on a bool tensor is not supported. "
                "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
            )
        return np.negative(a)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return -grad


def _num(x: Any) -> bool:
    return not isinstance(x, Tensor)


def add(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """``input + alpha * other`` with broadcasting."""
    if _num(input):
        input, other = other, input
    return Add.apply(input, other) if alpha == 1 else AddScaled.apply(input, other, alpha)


def sub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """``input - alpha * other`` with broadcasting."""
    if _num(input):
        return rsub(other, input, alpha=alpha)
    return Sub.apply(input, other) if alpha == 1 else SubScaled.apply(input, other, alpha)


def rsub(input: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    """``other - alpha * input``."""
    if isinstance(other, Tensor):
        return RsubTensor.apply(input, other) if alpha == 1 else RsubTensor.apply(input, other, alpha)
    return Rsub.apply(input, other) if alpha == 1 else Rsub.apply(input, other, alpha)


def mul(input: Any, other: Any) -> Tensor:
    """Elementwise product with broadcasting."""
    if _num(input):
        input, other = other, input
    return Mul.apply(input, other)


def div(input: Any, other: Any, *, rounding_mode: str | None = None) -> Tensor:
    """Elementwise true division (``rounding_mode`` 'floor'/'trunc' gives a non-differentiable result)."""
    if rounding_mode is None:
        if _num(input):
            return Mul.apply(Reciprocal.apply(other), input)
        return Div.apply(input, other)
    if rounding_mode not in ("floor", "trunc"):
        raise ValueError(
            f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'"
        )
    from .._tensor.tensor import wrap_array

    a = input._data if isinstance(input, Tensor) else input
    b = other._data if isinstance(other, Tensor) else other
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.true_divide(a, b)
        q = np.floor(q) if rounding_mode == "floor" else np.trunc(q)
    want = result_numpy_dtype((a, b))
    return wrap_array(np.asarray(q).astype(want))


def neg(input: Tensor) -> Tensor:
    """``-input``."""
    return Neg.apply(input)


true_divide = divide = div
multiply = mul
subtract = sub
negative = neg


def _reflected(fn: Any) -> Any:
    def method(self: Tensor, other: Any) -> Tensor:
        return fn(other, self)

    return method


def _inplace_of(cls: Any, scaled: Any) -> Any:
    def method(self: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
        if alpha != 1:
            return apply_inplace(scaled, self, other, alpha)
        return apply_inplace(cls, self, other)

    return method


def _operator(cls: type[Function]) -> Any:
    """``a <op> b``: the op's specialised apply (the generic path if it has none)."""
    return specialise(cls) or (lambda self, other: _apply_builtin(cls, (self, other)))


TENSOR_METHODS = {
    "add": add,
    "sub": sub,
    "mul": mul,
    "div": div,
    "neg": neg,
    "true_divide": div,
    "multiply": mul,
    "subtract": sub,
    "negative": neg,
    "divide": div,
    # Operators are the ops' specialised apply itself: they are the hot path of every expression.
    "__add__": _operator(Add),
    "__radd__": _operator(Add),
    "__sub__": _operator(Sub),
    "__rsub__": _reflected(sub),
    "__mul__": _operator(Mul),
    "__rmul__": _operator(Mul),
    "__truediv__": _operator(Div),
    "__rtruediv__": _reflected(div),
    "__neg__": neg,
    "__pos__": lambda self: self,
    "add_": _inplace_of(Add, AddScaled),
    "sub_": _inplace_of(Sub, SubScaled),
    "mul_": lambda self, other: apply_inplace(Mul, self, other),
    "div_": lambda self, other: apply_inplace(Div, self, other),
    "neg_": lambda self: apply_inplace(Neg, self),
    "__iadd__": lambda self, other: apply_inplace(Add, self, other),
    "__isub__": lambda self, other: apply_inplace(Sub, self, other),
    "__imul__": lambda self, other: apply_inplace(Mul, self, other),
    "__itruediv__": lambda self, other: apply_inplace(Div, self, other),
}
