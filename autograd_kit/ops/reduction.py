"""Summing reductions: ``sum``, ``mean``, ``prod`` and ``cumsum``, with PyTorch's dims, dtypes
and node names (max/min live in ``minmax``, softmax/logsumexp in ``softmax``, var/std/norm in
``stats``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._dtype import get_default_dtype, to_numpy_dtype
from ..function import Function
from ..tensor import Tensor
from . import _math
from ._checks import data, reduce_dims, scalar_name, single_dim

__all__ = ["sum", "mean", "prod", "cumsum"]

_INT64 = np.dtype(np.int64)


def keep_shape(shape: tuple, dims: tuple) -> tuple:
    """``shape`` with every reduced dim kept as 1 (the shape of a ``keepdim=True`` result)."""
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


def expand_grad(grad: Any, shape: tuple, dims: tuple, keepdim: bool) -> Any:
    """Broadcast a reduction's output gradient back over the reduced dims of ``shape``."""
    if not keepdim:
        grad = grad.reshape(keep_shape(shape, dims))
    return _math.expand_to(grad, shape)


def accumulate_dtype(x: np.ndarray, dtype: Any) -> np.dtype | None:
    """The dtype sum/prod/cumsum accumulate in: ``dtype`` if given, int64 for integers and bool
    (PyTorch never accumulates in a narrow integer type), else the input's own."""
    if dtype is not None:
        return to_numpy_dtype(dtype)
    return _INT64 if x.dtype.kind in "biu" else None


def _cast(x: np.ndarray, dtype: np.dtype | None) -> np.ndarray:
    # PyTorch casts the input before reducing (so sum(dtype=int64) of floats truncates first).
    return x if dtype is None or x.dtype == dtype else x.astype(dtype)


def _keepdim_error(op: str) -> TypeError:
    return TypeError(
        f"{op}() received an invalid combination of arguments - got (keepdim=bool, ), but expected one of:\n"
        " * (*, torch.dtype dtype = None)\n"
        " * (tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None)\n"
    )


class Sum(Function):
    """Sum of every element: SumBackward0."""

    operands = ("self",)
    aten_name = "aten::sum"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dtype: np.dtype | None) -> np.ndarray:
        ctx.self_sym_sizes = x.shape
        return _cast(x, dtype).sum()

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return _math.expand_to(grad, ctx.self_sym_sizes)


class SumDim(Function):
    """Sum over ``dim``: SumBackward1."""

    operands = ("self",)
    node_name = "SumBackward1"
    aten_name = "aten::sum"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dims: tuple, keepdim: bool, dtype: np.dtype | None) -> np.ndarray:
        ctx.self_sym_sizes = x.shape
        ctx.dim = dims
        ctx.keepdim = keepdim
        return _cast(x, dtype).sum(axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return expand_grad(grad, ctx.self_sym_sizes, ctx.dim, ctx.keepdim)


def sum(
    input: Tensor,
    dim: Any = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Tensor:
    """Sum over all elements, or over ``dim`` (``axis``/``keepdims`` are NumPy-style aliases)."""
    if axis is not None:
        dim = axis
    if keepdims is not None:
        keepdim = keepdims
    acc = accumulate_dtype(input._data, dtype)
    if dim is None:
        if keepdim:
            raise _keepdim_error("sum")
        return Sum.apply(input, acc)
    return SumDim.apply(input, reduce_dims("sum", dim, input._data.ndim), keepdim, acc)


class Mean(Function):
    """Mean of every element: MeanBackward0."""

    operands = ("self",)
    aten_name = "aten::mean"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dtype: np.dtype | None) -> np.ndarray:
        ctx.self_sym_sizes = x.shape
        x = _cast(x, dtype)
        return x.mean() if x.size else np.array(np.nan, dtype=x.dtype)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        shape = ctx.self_sym_sizes
        n = int(np.prod(shape))
        return _math.expand_to(grad / n if n else grad, shape)


class MeanDim(Function):
    """Mean over ``dim``: MeanBackward1."""

    operands = ("self",)
    node_name = "MeanBackward1"
    aten_name = "aten::mean"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dims: tuple, keepdim: bool, dtype: np.dtype | None) -> np.ndarray:
        ctx.self_sym_sizes = x.shape
        ctx.dim = dims
        ctx.keepdim = keepdim
        x = _cast(x, dtype)
        if x.size:
            return x.mean(axis=dims, keepdims=keepdim)
        # NumPy warns on empty slices; PyTorch quietly gives nan (0/0).
        with np.errstate(invalid="ignore", divide="ignore"):
            return x.sum(axis=dims, keepdims=keepdim) / _reduced_count(x.shape, dims)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        shape, dims = ctx.self_sym_sizes, ctx.dim
        n = _reduced_count(shape, dims)
        return expand_grad(grad / n if n else grad, shape, dims, ctx.keepdim)


def _reduced_count(shape: tuple, dims: tuple) -> int:
    n = 1
    for d in dims:
        n *= shape[d]
    return n


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Arithmetic mean over all elements or over ``dim`` (floating inputs or ``dtype`` only)."""
    if dtype is not None:
        acc = to_numpy_dtype(dtype)
        if acc.kind != "f":
            raise RuntimeError(
                "mean(): could not infer output dtype. Optional dtype must be either a floating point "
                f"or complex dtype. Got: {scalar_name(acc)}"
            )
    else:
        acc = None
        if input._data.dtype.kind != "f":
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating point "
                f"or complex dtype. Got: {scalar_name(input._data.dtype)}"
            )
    if dim is None:
        if keepdim:
            raise _keepdim_error("mean")
        return Mean.apply(input, acc)
    return MeanDim.apply(input, reduce_dims("mean", dim, input._data.ndim), keepdim, acc)


def _exclusive_prods(x: np.ndarray, axis: int) -> np.ndarray:
    """For each element, the product of the others along ``axis``, without dividing (so zeros
    are exact): products of everything before it times everything after it."""
    xm = np.moveaxis(x, axis, -1)
    left = np.ones_like(xm)
    right = np.ones_like(xm)
    np.cumprod(xm[..., :-1], axis=-1, out=left[..., 1:])
    right[..., :-1] = np.cumprod(xm[..., :0:-1], axis=-1)[..., ::-1]
    left *= right
    return np.moveaxis(left, -1, axis)


def _others_graph(x: Tensor, axis: int) -> Tensor:
    """The same products as a differentiable graph (create_graph with zeros in the input):
    row i of an (n, n) stack holds x with x_i replaced by 1, and its product is taken.
    Quadratic in n, which only double backward through a zero ever pays."""
    shape = x.shape
    n = shape[axis]
    eye = np.eye(n, dtype=x._data.dtype).reshape((1,) * axis + (n, n) + (1,) * (len(shape) - axis - 1))
    stacked = x.reshape(shape[:axis] + (1,) + shape[axis:]) * (1 - eye) + eye
    return stacked.prod(axis + 1)


def _prod_grad(grad_keep: Any, x: Any, result_keep: Any, axis: int) -> Any:
    xd = data(x)
    if not (xd == 0).any():
        return grad_keep * result_keep / x
    if isinstance(x, Tensor):
        return grad_keep * _others_graph(x, axis)
    return grad_keep * _exclusive_prods(xd, axis)


class Prod(Function):
    """Product of every element: ProdBackward0."""

    operands = ("self",)
    saves = ("self", "result")
    aten_name = "aten::prod"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dtype: np.dtype | None) -> np.ndarray:
        return _cast(x, dtype).prod()

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, result = ctx.saved_tensors
        if x.ndim == 0:
            return grad
        shape = x.shape
        return _prod_grad(grad, x.reshape((-1,)), result, 0).reshape(shape)


class ProdDim(Function):
    """Product over one ``dim``: ProdBackward1."""

    operands = ("self",)
    saves = ("self", "result")
    node_name = "ProdBackward1"
    aten_name = "aten::prod"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axis: int | tuple, keepdim: bool, dtype: np.dtype | None) -> np.ndarray:
        ctx.dim = axis
        ctx.keepdim = keepdim
        return _cast(x, dtype).prod(axis=axis, keepdims=keepdim)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, result = ctx.saved_tensors
        axis = ctx.dim
        if x.ndim == 0:
            return grad
        if not ctx.keepdim:
            kept = keep_shape(x.shape, (axis,))
            grad, result = grad.reshape(kept), result.reshape(kept)
        return _prod_grad(grad, x, result, axis)


def prod(input: Tensor, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Product of all elements, or along one ``dim`` (zeros get their exact gradient)."""
    acc = accumulate_dtype(input._data, dtype)
    if dim is None:
        return Prod.apply(input, acc)
    return ProdDim.apply(input, single_dim("prod", dim, input._data.ndim), keepdim, acc)


class Cumsum(Function):
    """Running sum along ``dim``: CumsumBackward0."""

    operands = ("self",)
    aten_name = "aten::cumsum"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axis: int | tuple, dtype: np.dtype | None) -> np.ndarray:
        ctx.dim = axis
        x = _cast(x, dtype)
        return x.copy() if x.ndim == 0 else np.cumsum(x, axis=axis)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        axis = ctx.dim
        if grad.ndim == 0:
            return grad
        if isinstance(grad, Tensor):
            # The reversed running sum, written with differentiable ops: total - prefix + self.
            return grad.sum(axis, keepdim=True) - grad.cumsum(axis) + grad
        return np.flip(np.cumsum(np.flip(grad, axis), axis=axis), axis)


def cumsum(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Cumulative sum along ``dim``."""
    return Cumsum.apply(input, single_dim("cumsum", dim, input._data.ndim), accumulate_dtype(input._data, dtype))


def _default_float(x: np.ndarray) -> np.ndarray:
    """Integer inputs of float-only reductions (logsumexp) are promoted to the default dtype."""
    return x if x.dtype.kind == "f" else x.astype(get_default_dtype().numpy_dtype)


TENSOR_METHODS = {"sum": sum, "mean": mean, "prod": prod, "cumsum": cumsum}
