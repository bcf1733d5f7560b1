"""Elementwise ops that pick or blend between operands: ``where``, ``masked_fill`` and ``lerp``
(number or tensor weight), with their in-place spellings."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._tensor.tensor import Tensor, wrap_array
from ..dtypes import fix_binary_dtype
from ..graph.function import BuiltinFunction
from . import _math
from ._argcheck import (
    NUMBER_TYPES,
    broadcasting,
    cpp_type_name,
    invalid_combination,
    must_be_tensor,
    scalar_as,
    scalar_type_name,
)
from .inplace import apply_inplace

__all__ = ["where", "masked_fill", "lerp"]

_where = _math.where
_data = _math.data
_quiet = _math.quiet


class Where(BuiltinFunction):
    operands = ("self", "other")
    formula = "grad_self = where(condition, grad, 0);  grad_other = where(condition, 0, grad)"
    ctx_attributes = ("condition",)

    @staticmethod
    def forward(ctx: Any, x: Any, y: Any, condition: np.ndarray) -> np.ndarray:
        ctx.condition = condition
        return fix_binary_dtype(broadcasting(np.where, (condition, x, y), condition, x, y), x, y)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        cond = ctx.condition
        (fx, _), (fy, _) = ctx.next_functions
        return (_where(cond, grad, 0) if fx is not None else None), (
            _where(cond, 0, grad) if fy is not None else None
        )


_WHERE_SIGS = (
    "Tensor condition",
    "Tensor condition, Tensor input, Tensor other, *, Tensor out = None",
    "Tensor condition, Number self, Tensor other",
    "Tensor condition, Tensor input, Number other",
    "Tensor condition, Number self, Number other",
)


def _condition(condition: Any) -> np.ndarray:
    cond = condition._data if isinstance(condition, Tensor) else condition
    if isinstance(cond, np.bool_):  # a mask computed from 0-d arrays inside a backward formula
        cond = np.asarray(cond)
    if not isinstance(cond, np.ndarray):
        raise must_be_tensor("where", "condition", 1, condition)
    if cond.dtype.kind != "b":
        if cond.dtype != np.uint8:
            raise RuntimeError(
                "where expected condition to be a boolean tensor, but got a tensor with dtype "
                f"{scalar_type_name(cond.dtype)}"
            )
        warnings.warn(
            "where received a uint8 condition tensor. This behavior is deprecated and will be removed "
            "in a future version of PyTorch. Use a boolean condition instead.",
            UserWarning,
            stacklevel=3,
        )
        cond = cond.astype(np.bool_)
    return cond


def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:
    """``input`` where ``condition`` holds, else ``other`` (either may be a number); with only a
    condition, the indices of its True elements (``nonzero(as_tuple=True)``)."""
    cond = _condition(condition)
    if input is None and other is None:
        return tuple(wrap_array(i.astype(np.int64)) for i in np.nonzero(np.atleast_1d(cond)))
    for v in (input, other):
        # ndarrays are the constants backward formulas build (_math.where(mask, ones_like(a), a)).
        if not isinstance(v, (Tensor, np.ndarray, *NUMBER_TYPES)):
            raise invalid_combination("where", (condition, input, other), _WHERE_SIGS)
    return Where.apply(input, other, cond)


def _where_method(self: Tensor, condition: Tensor, other: Any) -> Tensor:
    return where(condition, self, other)


def _fill_where(x: np.ndarray, mask: np.ndarray, value: Any) -> np.ndarray:
    out = broadcasting(np.where, (mask, x), mask, value, x)
    # The result keeps the input's dtype (2.5 into an int64 tensor is 2), NaN-safe like PyTorch.
    return out if out.dtype == x.dtype else _quiet(out.astype, x.dtype)


class MaskedFill(BuiltinFunction):
    """Fill with a number: MaskedFillBackward0."""

    operands = ("self",)
    formula = "grad_self = where(mask, 0, grad)"
    ctx_attributes = ("mask",)
    aten_name = "aten::masked_fill"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, mask: np.ndarray, value: Any) -> np.ndarray:
        ctx.mask = mask
        return _fill_where(x, mask, value)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return _where(ctx.mask, 0, grad)


class MaskedFillTensor(BuiltinFunction):
    """Fill with a 0-d tensor, which gets the sum of the gradient where it was used."""

    operands = ("self", "value")
    formula = "grad_self = where(mask, 0, grad);  grad_value = where(mask, grad, 0).sum()"
    ctx_attributes = ("mask",)
    node_name = "MaskedFillBackward1"
    aten_name = "aten::masked_fill"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, value: np.ndarray, mask: np.ndarray) -> np.ndarray:
        ctx.mask = mask
        return _fill_where(x, mask, value)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        mask = ctx.mask
        return _where(mask, 0, grad), (
            _where(mask, grad, 0) if ctx.next_functions[1][0] is not None else None
        )


_MASKED_FILL_SIGS = ("Tensor mask, Tensor value", "Tensor mask, Number value")


def _masked_fill_args(input: Any, mask: Any, value: Any) -> tuple:
    if not isinstance(input, Tensor):
        raise must_be_tensor("masked_fill", "input", 1, input)
    if not isinstance(mask, Tensor):
        raise must_be_tensor("masked_fill", "mask", 2, mask)
    m = mask._data
    if m.dtype.kind != "b":
        raise RuntimeError(
            f"masked_fill_ only supports boolean masks, but got mask with dtype {cpp_type_name(m.dtype)}"
        )
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError(
                "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                f"{value._data.ndim} dimension(s)."
            )
        return MaskedFillTensor, input, value, m
    if not isinstance(value, NUMBER_TYPES):
        raise invalid_combination("masked_fill", (input, mask, value), _MASKED_FILL_SIGS)
    return MaskedFill, input, m, scalar_as(value, input._data.dtype)


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """``input`` with ``value`` (a number or 0-d tensor) where the bool ``mask`` is True."""
    cls, *args = _masked_fill_args(input, mask, value)
    return cls.apply(*args)


def masked_fill_(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """In-place ``masked_fill`` (the mask must broadcast to ``input``'s shape)."""
    cls, *args = _masked_fill_args(input, mask, value)
    return apply_inplace(cls, *args)


def _lerp_scalar(a: np.ndarray, b: np.ndarray, w: Any) -> np.ndarray:
    diff = b - a
    # PyTorch's two-sided form keeps lerp(a, b, 1) == b exactly.
    return a + w * diff if -0.5 < w < 0.5 else b - diff * (1 - w)


class Lerp(BuiltinFunction):
    """Number weight: LerpBackward0."""

    operands = ("self", "end")
    formula = "grad_self = grad * (1 - weight);  grad_end = grad * weight"
    ctx_attributes = ("weight",)

    @staticmethod
    def forward(ctx: Any, a: np.ndarray, b: np.ndarray, weight: Any) -> np.ndarray:
        ctx.weight = weight
        return broadcasting(_lerp_scalar, (a, b), a, b, weight)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        w = ctx.weight
        return grad * (1 - w), grad * w


def _lerp_tensor(a: np.ndarray, b: np.ndarray, w: np.ndarray) -> np.ndarray:
    diff = b - a
    return np.where(np.abs(w) < 0.5, a + w * diff, b - diff * (1 - w))


class LerpTensor(BuiltinFunction):
    """Tensor weight: LerpBackward1 (the weight gets ``grad * (end - self)``)."""

    operands = ("self", "end", "weight")
    saves = ("self", "end", "weight")
    formula = "grad_self = grad * (1 - weight);  grad_end = grad * weight;  grad_weight = grad * (end - self)"
    node_name = "LerpBackward1"
    aten_name = "aten::lerp"

    @staticmethod
    def forward(ctx: Any, a: np.ndarray, b: np.ndarray, w: np.ndarray) -> np.ndarray:
        return broadcasting(_lerp_tensor, (a, b, w), a, b, w)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        a, b, w = ctx.saved_tensors
        g_w = grad * (b - a) if ctx.next_functions[2][0] is not None else None
        return grad * (1 - w), grad * w, g_w


_LERP_SIGS = (
    "Tensor input, Tensor end, Tensor weight, *, Tensor out = None",
    "Tensor input, Tensor end, Number weight, *, Tensor out = None",
)


def _lerp_args(input: Any, end: Any, weight: Any) -> tuple:
    if not isinstance(input, Tensor):
        raise must_be_tensor("lerp", "input", 1, input)
    if not isinstance(end, Tensor):
        raise must_be_tensor("lerp", "end", 2, end)
    dt = input._data.dtype
    if dt.kind != "f":
        kernel = "lerp_kernel_tensor" if isinstance(weight, Tensor) else "lerp_kernel_scalar"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(dt)}'")
    if end._data.dtype != dt:
        raise RuntimeError(
            f"expected dtype {cpp_type_name(dt)} for `end` but got dtype {cpp_type_name(end._data.dtype)}"
        )
    if isinstance(weight, Tensor):
        if weight._data.dtype != dt:
            raise RuntimeError(
                f"expected dtype {cpp_type_name(dt)} for `weight` but got dtype {cpp_type_name(weight._data.dtype)}"
            )
        return LerpTensor, input, end, weight
    if not isinstance(weight, NUMBER_TYPES):
        raise invalid_combination("lerp", (input, end, weight), _LERP_SIGS)
    return Lerp, input, end, weight


def lerp(input: Tensor, end: Tensor, weight: Any) -> Tensor:
    """``input + weight * (end - input)`` (``weight`` a number or a broadcastable tensor)."""
    cls, *args = _lerp_args(input, end, weight)
    return cls.apply(*args)


def lerp_(input: Tensor, end: Tensor, weight: Any) -> Tensor:
    """In-place ``lerp``."""
    cls, *args = _lerp_args(input, end, weight)
    return apply_inplace(cls, *args)


TENSOR_METHODS = {
    "where": _where_method,
    "masked_fill": masked_fill,
    "masked_fill_": masked_fill_,
    "lerp": lerp,
    "lerp_": lerp_,
}
