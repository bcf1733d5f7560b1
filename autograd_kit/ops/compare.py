"""Comparisons and logic: ``eq ne lt le gt ge`` (and ``== != < <= > >=``), logical and bitwise
``and/or/xor/not`` (``& | ^ ~``), ``isnan``/``isinf``/``isfinite``, ``isclose``/``allclose``/
``equal`` and ``any``/``all``. Results are bool (or integer, for bitwise ops) and never carry a
gradient, so they skip the Function machinery."""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from .._tensor.tensor import Tensor, wrap_array, wrap_dim
from ..dtypes import get_default_dtype, result_numpy_dtype
from ..graph.function import BuiltinFunction
from . import _math
from ._argcheck import NUMBER_TYPES, broadcasting, invalid_combination, must_be_tensor, scalar_type_name
from .inplace import apply_inplace

__all__ = [
    "eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal", "not_equal",
    "logical_and", "logical_or", "logical_xor", "logical_not",
    "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not",
    "isnan", "isinf", "isfinite", "isposinf", "isneginf", "isclose", "allclose", "equal", "any", "all",
]  # fmt: skip

_OPERAND_TYPES = (Tensor, *NUMBER_TYPES)
_BINARY_SIGS = (
    "Tensor input, Tensor other, *, Tensor out = None",
    "Tensor input, Number other, *, Tensor out = None",
)


def _promoted(a: np.ndarray, b: Any) -> tuple:
    """Operands cast to PyTorch's common dtype where NumPy would compare in another one."""
    if type(b) is np.ndarray:
        if a.dtype != b.dtype:
            common = result_numpy_dtype((a, b))
            return a.astype(common, copy=False), b.astype(common, copy=False)
        return a, b
    if isinstance(b, np.generic):
        b = b.item()  # a NumPy scalar counts as a Python number, as in PyTorch
    if isinstance(b, float) and a.dtype.kind != "f":
        a = a.astype(get_default_dtype().numpy_dtype)  # int tensor vs 1.5 compares in float32
    return a, b


def _comparison(name: str, ufunc: Any) -> tuple:
    def fn(input: Tensor, other: Any) -> Tensor:
        if not isinstance(input, Tensor) or not isinstance(other, _OPERAND_TYPES):
            raise invalid_combination(name, (input, other), _BINARY_SIGS)
        a, b = _promoted(input._data, other._data if isinstance(other, Tensor) else other)
        return wrap_array(np.asarray(broadcasting(ufunc, (a, b), a, b)))

    def operator(self: Tensor, other: Any) -> Any:
        # Unsupported operands (None, str, list) let Python decide: == gives False, < raises.
        if not isinstance(other, _OPERAND_TYPES):
            return NotImplemented
        return fn(self, other)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{name}`` with broadcasting; a bool tensor."
    return fn, operator


eq, _eq_op = _comparison("eq", np.equal)
ne, _ne_op = _comparison("ne", np.not_equal)
lt, _lt_op = _comparison("lt", np.less)
le, _le_op = _comparison("le", np.less_equal)
gt, _gt_op = _comparison("gt", np.greater)
ge, _ge_op = _comparison("ge", np.greater_equal)
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def _logical(name: str, ufunc: Any) -> Any:
    def fn(input: Tensor, other: Tensor) -> Tensor:
        if not isinstance(input, Tensor):
            raise must_be_tensor(name, "input", 1, input)
        if not isinstance(other, Tensor):
            raise must_be_tensor(name, "other", 2, other)
        a, b = input._data, other._data
        return wrap_array(np.asarray(broadcasting(ufunc, (a, b), a, b)))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{name}`` of the truth values (nonzero is True); a bool tensor."
    return fn


logical_and = _logical("logical_and", np.logical_and)
logical_or = _logical("logical_or", np.logical_or)
logical_xor = _logical("logical_xor", np.logical_xor)


def logical_not(input: Tensor) -> Tensor:
    """Elementwise NOT of the truth values; a bool tensor."""
    if not isinstance(input, Tensor):
        raise must_be_tensor("logical_not", "input", 1, input)
    return wrap_array(np.logical_not(input._data))


def _bitwise_kernel(name: str, ufunc: Any) -> Any:
    def kernel(a: np.ndarray, b: Any) -> np.ndarray:
        want = result_numpy_dtype((a, b))
        if want.kind == "f":
            raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{scalar_type_name(want)}'")
        out = np.asarray(broadcasting(ufunc, (a, b), a, b))
        return out if out.dtype == want else out.astype(want)

    return kernel


_and = _bitwise_kernel("bitwise_and", np.bitwise_and)
_or = _bitwise_kernel("bitwise_or", np.bitwise_or)
_xor = _bitwise_kernel("bitwise_xor", np.bitwise_xor)


def _bitwise(name: str, kernel: Any) -> tuple:
    def fn(input: Tensor, other: Any) -> Tensor:
        if not isinstance(input, Tensor) or not isinstance(other, _OPERAND_TYPES):
            raise invalid_combination(name, (input, other), _BINARY_SIGS)
        return wrap_array(kernel(input._data, other._data if isinstance(other, Tensor) else other))

    def operator(self: Tensor, other: Any) -> Any:
        return fn(self, other) if isinstance(other, _OPERAND_TYPES) else NotImplemented

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{name}`` of bool or integer tensors."
    return fn, operator


bitwise_and, _and_op = _bitwise("bitwise_and", _and)
bitwise_or, _or_op = _bitwise("bitwise_or", _or)
bitwise_xor, _xor_op = _bitwise("bitwise_xor", _xor)


def bitwise_not(input: Tensor) -> Tensor:
    """Elementwise NOT of a bool (logical) or integer (two's complement) tensor."""
    a = input._data
    if a.dtype.kind == "f":
        raise NotImplementedError(f"\"bitwise_not_cpu\" not implemented for '{scalar_type_name(a.dtype)}'")
    return wrap_array(np.invert(a))  # np.invert of bool is logical not


def _invert(self: Tensor) -> Tensor:
    if self._data.dtype.kind == "f":
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return bitwise_not(self)


class _BitwiseInplace(BuiltinFunction):
    """``&= |= ^=``: integer/bool results never record a node; apply_inplace does the checks."""

    operands = ("self", "other")
    formula = "no gradient: integer and bool results never record a node"

    @staticmethod
    def forward(ctx: Any, a: np.ndarray, b: Any, kernel: Any) -> np.ndarray:
        return kernel(a, b)


def _inplace(kernel: Any) -> Any:
    def method(self: Tensor, other: Any) -> Any:
        if not isinstance(other, _OPERAND_TYPES):
            return NotImplemented
        return apply_inplace(_BitwiseInplace, self, other, kernel)

    return method


def _classify(name: str, float_test: Any, other_value: bool) -> Any:
    def fn(input: Tensor) -> Tensor:
        if not isinstance(input, Tensor):
            raise must_be_tensor(name, "input", 1, input)
        a = input._data
        # Integers and bools are never nan or infinite.
        return wrap_array(float_test(a) if a.dtype.kind == "f" else np.full(a.shape, other_value))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{name}`` test; a bool tensor."
    return fn


isnan = _classify("isnan", np.isnan, False)
isinf = _classify("isinf", np.isinf, False)
isfinite = _classify("isfinite", np.isfinite, True)
isposinf = _classify("isposinf", np.isposinf, False)
isneginf = _classify("isneginf", np.isneginf, False)


def _close(op: str, input: Any, other: Any, rtol: float, atol: float, equal_nan: bool) -> np.ndarray:
    if not isinstance(input, Tensor):
        raise must_be_tensor(op, "input", 1, input)
    if not isinstance(other, Tensor):
        raise must_be_tensor(op, "other", 2, other)
    a, b = input._data, other._data
    if a.dtype != b.dtype:
        raise RuntimeError(f"{scalar_type_name(a.dtype)} did not match {scalar_type_name(b.dtype)}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")
    if a.dtype.kind == "b":
        return broadcasting(np.equal, (a, b), a, b)
    return broadcasting(_math.quiet, (a, b), np.isclose, a, b, rtol, atol, equal_nan)


def isclose(
    input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> Tensor:
    """``|input - other| <= atol + rtol * |other|`` elementwise; a bool tensor."""
    return wrap_array(np.asarray(_close("isclose", input, other, rtol, atol, equal_nan)))


def allclose(
    input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> bool:
    """True if every element pair is ``isclose``."""
    return builtins.bool(np.all(_close("allclose", input, other, rtol, atol, equal_nan)))


def equal(input: Tensor, other: Tensor) -> bool:
    """True if both have the same shape and the same values (dtypes may differ)."""
    if not isinstance(input, Tensor):
        raise must_be_tensor("equal", "input", 1, input)
    if not isinstance(other, Tensor):
        raise must_be_tensor("equal", "other", 2, other)
    a, b = input._data, other._data
    return a.shape == b.shape and builtins.bool(np.array_equal(a, b))


def _axes(dim: Any, ndim: int) -> tuple:
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    axes = tuple(wrap_dim(d, ndim) for d in dims)
    if len(set(axes)) != len(axes):
        raise RuntimeError(
            f"dim {next(a for a in axes if axes.count(a) > 1)} appears multiple times in the list of dims"
        )
    return axes if ndim else ()


def _reduce_truth(np_fn: Any, input: Tensor, dim: Any, keepdim: bool) -> Tensor:
    if not isinstance(input, Tensor):
        raise must_be_tensor(np_fn.__name__, "input", 1, input)
    a = input._data
    out = np.asarray(np_fn(a) if dim is None else np_fn(a, axis=_axes(dim, a.ndim), keepdims=keepdim))
    return wrap_array(out.astype(np.uint8) if a.dtype == np.uint8 else out)  # uint8 in, uint8 out


def any(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """True where any element (over ``dim``, an int or tuple, or everything) is nonzero."""
    return _reduce_truth(np.any, input, dim, keepdim)


def all(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """True where every element (over ``dim``, an int or tuple, or everything) is nonzero."""
    return _reduce_truth(np.all, input, dim, keepdim)


_FUNCTIONS = (eq, ne, lt, le, gt, ge, logical_and, logical_or, logical_xor, logical_not)
_FUNCTIONS += (bitwise_and, bitwise_or, bitwise_xor, bitwise_not, isnan, isinf, isfinite, isposinf)
_FUNCTIONS += (isneginf, isclose, allclose, equal, any, all)

TENSOR_METHODS = {fn.__name__: fn for fn in _FUNCTIONS}
TENSOR_METHODS.update(
    greater=gt,
    greater_equal=ge,
    less=lt,
    less_equal=le,
    not_equal=ne,
    __eq__=_eq_op,
    __ne__=_ne_op,
    __lt__=_lt_op,
    __le__=_le_op,
    __gt__=_gt_op,
    __ge__=_ge_op,
    __and__=_and_op,
    __rand__=_and_op,
    __or__=_or_op,
    __ror__=_or_op,
    __xor__=_xor_op,
    __rxor__=_xor_op,
    __invert__=_invert,
    __iand__=_inplace(_and),
    __ior__=_inplace(_or),
    __ixor__=_inplace(_xor),
)
