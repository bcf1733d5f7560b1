"""Selecting reductions: ``max``/``min`` (full, or with ``dim`` as a ``(values, indices)`` named
tuple), ``amax``/``amin`` and ``argmax``/``argmin``."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor.tensor import Tensor, wrap_array
from ..graph.function import BuiltinFunction
from . import pointwise as _pointwise
from ._checks import data, reduce_dims, single_dim
from .reduction import keep_shape

__all__ = ["max", "min", "amax", "amin", "argmax", "argmin"]


class _ReturnType(tuple):
    """A two-field named tuple that prints as PyTorch's ``torch.return_types.<op>``."""

    __slots__ = ()
    _op = ""
    n_fields = n_sequence_fields = 2
    n_unnamed_fields = 0

    def __new__(cls, values: Tensor, indices: Tensor) -> _ReturnType:
        return tuple.__new__(cls, (values, indices))

    @property
    def values(self) -> Tensor:
        """The selected values."""
        return self[0]

    @property
    def indices(self) -> Tensor:
        """Where they were found along the reduced dim (int64)."""
        return self[1]

    def __repr__(self) -> str:
        return f"torch.return_types.{self._op}(\nvalues={self[0]!r},\nindices={self[1]!r})"


def _return_type(op: str) -> type:
    return type(op, (_ReturnType,), {"__slots__": (), "_op": op, "__module__": __name__})


return_types = {"max": _return_type("max"), "min": _return_type("min")}


def _evenly(x: Any, result: Any, dims: tuple | None) -> np.ndarray:
    """Weights sharing a gradient evenly between tied extremes (PyTorch's rule for a full
    max/min and for amax/amin); a constant, so second derivatives see a linear map."""
    xd, rd = data(x), data(result)
    if dims is None and np.isnan(rd):
        mask = np.isnan(xd)  # a nan maximum came from the nan entries
    else:
        mask = xd == rd
    with np.errstate(invalid="ignore", divide="ignore"):
        return mask / mask.sum(axis=dims, keepdims=True, dtype=xd.dtype)


class _Extreme(BuiltinFunction):
    """Full max/min: MaxBackward1 / MinBackward1."""

    operands = ("self",)
    saves = ("self", "result")
    formula = "grad_self = grad shared evenly among the extreme elements"

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, result = ctx.saved_tensors
        return grad * _evenly(x, result, None).astype(data(x).dtype, copy=False)


class Max(_Extreme):
    node_name = "MaxBackward1"
    formula = "grad_self = grad scattered to the argmax positions (0 elsewhere)"
    aten_name = "aten::max"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        return x.max()


class Min(_Extreme):
    node_name = "MinBackward1"
    formula = "grad_self = grad scattered to the argmin positions (0 elsewhere)"
    aten_name = "aten::min"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        return x.min()


class _ExtremeDim(BuiltinFunction):
    """max/min over one dim: the values' node (MaxBackward0 / MinBackward0); the gradient goes
    to the returned index only, as in PyTorch."""

    ctx_attributes = ("dim", "keepdim", "indices", "self_sym_sizes")

    operands = ("self",)
    formula = "grad_self = grad placed at the returned indices along dim (0 elsewhere)"

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        axis, shape = ctx.dim, ctx.self_sym_sizes
        if not shape:
            return grad
        idx = ctx.indices._data
        kept = keep_shape(shape, (axis,))
        idx = idx.reshape(kept)
        grad = grad.reshape(kept)
        if isinstance(grad, Tensor):
            # A one-hot mask times the gradient: a scatter written as a differentiable product.
            positions = np.arange(shape[axis]).reshape((-1,) + (1,) * (len(shape) - axis - 1))
            return grad * (positions == idx).astype(grad._data.dtype)
        out = np.zeros(shape, dtype=grad.dtype)
        np.put_along_axis(out, idx, grad, axis)
        return out


def _dim_forward(
    ctx: Any, x: np.ndarray, axis: int | tuple, keepdim: bool, indices: Tensor, pick: Any
) -> np.ndarray:
    ctx.dim = axis
    ctx.keepdim = keepdim
    ctx.indices = indices
    ctx.self_sym_sizes = x.shape
    # A second pass (max after argmax) beats gathering at the indices, and picks the same
    # values: both stop at the first nan.
    return x.copy() if x.ndim == 0 else pick(x, axis=axis, keepdims=keepdim)


class MaxDim(_ExtremeDim):
    node_name = "MaxBackward0"
    formula = "grad_self = grad shared evenly among the maximal elements"
    aten_name = "aten::max"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axis: int | tuple, keepdim: bool, indices: Tensor) -> np.ndarray:
        return _dim_forward(ctx, x, axis, keepdim, indices, np.max)


class MinDim(_ExtremeDim):
    node_name = "MinBackward0"
    aten_name = "aten::min"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axis: int | tuple, keepdim: bool, indices: Tensor) -> np.ndarray:
        return _dim_forward(ctx, x, axis, keepdim, indices, np.min)


def _select(op: str, input: Tensor, dim: Any, keepdim: bool, full: type, by_dim: type) -> Any:
    x = input._data
    if dim is None:
        if x.size == 0:
            raise RuntimeError(
                f"{op}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        return full.apply(input)
    axis = single_dim(op, dim, x.ndim)
    if x.ndim == 0:
        indices = np.zeros((), dtype=np.int64)
    else:
        if x.shape[axis] == 0:
            raise IndexError(f"{op}(): Expected reduction dim {axis} to have non-zero size.")
        finder = np.argmax if op == "max" else np.argmin
        indices = finder(x, axis=axis, keepdims=keepdim).astype(np.int64, copy=False)
    indices = wrap_array(indices)
    return return_types[op](by_dim.apply(input, axis, keepdim, indices), indices)


def max(input: Tensor, dim: Any = None, keepdim: bool = False, *, other: Tensor | None = None) -> Any:
    """Largest element; with ``dim``, a ``(values, indices)`` named tuple; with a Tensor second
    argument, the elementwise ``maximum``."""
    if isinstance(dim, Tensor) or other is not None:
        return _pointwise.maximum(input, dim if other is None else other)
    return _select("max", input, dim, keepdim, Max, MaxDim)


def min(input: Tensor, dim: Any = None, keepdim: bool = False, *, other: Tensor | None = None) -> Any:
    """Smallest element; with ``dim``, a ``(values, indices)`` named tuple; with a Tensor second
    argument, the elementwise ``minimum``."""
    if isinstance(dim, Tensor) or other is not None:
        return _pointwise.minimum(input, dim if other is None else other)
    return _select("min", input, dim, keepdim, Min, MinDim)


class _AExtreme(BuiltinFunction):
    """amax/amin over dims: AmaxBackward0 / AminBackward0 (ties share the gradient)."""

    operands = ("self",)
    saves = ("self", "result")
    formula = "grad_self = grad shared evenly among the extreme elements along dim"

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, result = ctx.saved_tensors
        dims, keepdim = ctx.dim, ctx.keepdim
        if not keepdim:
            kept = keep_shape(x.shape, dims)
            grad, result = grad.reshape(kept), result.reshape(kept)
        # The kept-dims gradient broadcasts against the full-shape weights: no expand needed.
        return grad * _evenly(x, result, dims).astype(data(x).dtype, copy=False)


class Amax(_AExtreme):
    ctx_attributes = ("dim", "keepdim")
    formula = "grad_self = grad shared evenly among the maximal elements along dim"
    aten_name = "aten::amax"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dims: tuple, keepdim: bool) -> np.ndarray:
        ctx.dim, ctx.keepdim = dims, keepdim
        return x.max(axis=dims, keepdims=keepdim)


class Amin(_AExtreme):
    ctx_attributes = ("dim", "keepdim")
    formula = "grad_self = grad shared evenly among the minimal elements along dim"
    aten_name = "aten::amin"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dims: tuple, keepdim: bool) -> np.ndarray:
        ctx.dim, ctx.keepdim = dims, keepdim
        return x.min(axis=dims, keepdims=keepdim)


def _check_nonempty(op: str, x: np.ndarray, dims: tuple) -> None:
    if x.size:
        return
    if len(dims) == x.ndim:
        raise RuntimeError(
            f"{op}(): Expected reduction dim to be specified for input.numel() == 0. "
            "Specify the reduction dim with the 'dim' argument."
        )
    for d in dims:
        if x.shape[d] == 0:
            raise IndexError(f"{op}(): Expected reduction dim {d} to have non-zero size.")


def amax(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    """Largest values over ``dim`` (all dims by default); tied maxima share the gradient."""
    dims = reduce_dims("amax", dim, input._data.ndim)
    _check_nonempty("amax", input._data, dims)
    return Amax.apply(input, dims, keepdim)


def amin(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    """Smallest values over ``dim`` (all dims by default); tied minima share the gradient."""
    dims = reduce_dims("amin", dim, input._data.ndim)
    _check_nonempty("amin", input._data, dims)
    return Amin.apply(input, dims, keepdim)


def _arg(op: str, finder: Any, input: Tensor, dim: Any, keepdim: bool) -> Tensor:
    x = input._data
    if x.dtype == np.bool_:
        raise RuntimeError(f"{op}(): does not support bool input")
    if dim is None:
        if x.size == 0:
            raise IndexError(f"{op}(): Expected reduction dim to be specified for input.numel() == 0.")
        index = np.int64(finder(x))
        return wrap_array(np.full((1,) * x.ndim if keepdim else (), index, dtype=np.int64))
    axis = single_dim(op, dim, x.ndim)
    if x.ndim == 0:
        return wrap_array(np.zeros((), dtype=np.int64))
    if x.shape[axis] == 0:
        raise IndexError(f"{op}(): Expected reduction dim {axis} to have non-zero size.")
    return wrap_array(finder(x, axis=axis, keepdims=keepdim).astype(np.int64, copy=False))


def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the largest element (flattened when ``dim`` is None); int64, no gradient."""
    return _arg("argmax", np.argmax, input, dim, keepdim)


def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the smallest element (flattened when ``dim`` is None); int64, no gradient."""
    return _arg("argmin", np.argmin, input, dim, keepdim)


TENSOR_METHODS = {
    "max": max,
    "min": min,
    "amax": amax,
    "amin": amin,
    "argmax": argmax,
    "argmin": argmin,
}
