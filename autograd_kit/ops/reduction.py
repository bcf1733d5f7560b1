"""Summing reductions: ``sum``, ``mean`` and ``cumsum``, with PyTorch's dims, dtypes and node
names, plus the helpers every reduction shares (``prod`` lives in ``prod``, max/min in ``minmax``,
softmax/logsumexp in ``softmax``, var/std/norm in ``stats``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor.tensor import Tensor
from ..dtypes import to_numpy_dtype
from ..graph.function import BuiltinFunction
from . import _math
from ._checks import reduce_dims, scalar_name, single_dim

__all__ = ["sum", "mean", "cumsum"]

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


def cast_input(x: np.ndarray, dtype: np.dtype | None) -> np.ndarray:
    """``x`` in the reduction's dtype: PyTorch casts before reducing (so ``sum(dtype=int64)`` of
    floats truncates each element first)."""
    return x if dtype is None or x.dtype == dtype else x.astype(dtype)


def _overload_error(op: str, got: str) -> TypeError:
    """PyTorch's message when sum/mean match none of their signatures."""
    return TypeError(
        f"{op}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
        " * (*, torch.dtype dtype = None)\n"
        " * (tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None)\n"
    )


def _dims(op: str, dim: Any, ndim: int) -> tuple:
    try:
        return reduce_dims(op, dim, ndim)
    except TypeError:
        if isinstance(dim, (tuple, list)):
            raise
        raise _overload_error(op, type(dim).__name__) from None


def _reduce(op: str, full: type, by_dims: type, input: Tensor, dim: Any, keepdim: bool, acc: Any) -> Tensor:
    """``full`` over every element (which has no keepdim overload), else ``by_dims`` over ``dim``."""
    if dim is None:
        if keepdim:
            raise _overload_error(op, "keepdim=bool, ")
        return full.apply(input, acc)
    return by_dims.apply(input, _dims(op, dim, input._data.ndim), keepdim, acc)


class Sum(BuiltinFunction):
    """Sum of every element: SumBackward0."""

    operands = ("self",)
    formula = "grad_self = grad.expand(self.shape)"
    ctx_attributes = ("self_sym_sizes",)
    aten_name = "aten::sum"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dtype: np.dtype | None) -> np.ndarray:
        ctx.self_sym_sizes = x.shape
        return cast_input(x, dtype).sum()

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return _math.expand_to(grad, ctx.self_sym_sizes)


class SumDim(BuiltinFunction):
    """Sum over ``dim``: SumBackward1."""

    operands = ("self",)
    formula = "grad_self = grad (unsqueezed at dim unless keepdim).expand(self.shape)"
    ctx_attributes = ("self_sym_sizes", "dim", "keepdim")
    node_name = "SumBackward1"
    aten_name = "aten::sum"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dims: tuple, keepdim: bool, dtype: np.dtype | None) -> np.ndarray:
        ctx.self_sym_sizes = x.shape
        ctx.dim = dims
        ctx.keepdim = keepdim
        return cast_input(x, dtype).sum(axis=dims, keepdims=keepdim)

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
    return _reduce("sum", Sum, SumDim, input, dim, keepdim, accumulate_dtype(input._data, dtype))


class Mean(BuiltinFunction):
    """Mean of every element: MeanBackward0."""

    operands = ("self",)
    formula = "grad_self = grad.expand(self.shape) / self.numel()"
    ctx_attributes = ("self_sym_sizes",)
    aten_name = "aten::mean"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dtype: np.dtype | None) -> np.ndarray:
        ctx.self_sym_sizes = x.shape
        x = cast_input(x, dtype)
        if not x.size:  # 0/0, quietly, as PyTorch
            return np.array(np.nan, dtype=x.dtype)
        # NumPy's mean() is a Python-level wrapper around this; half keeps its float32 accumulator.
        return x.mean() if x.dtype == np.float16 else x.sum() / x.size

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        shape = ctx.self_sym_sizes
        n = int(np.prod(shape))
        return _math.expand_to(grad / n if n else grad, shape)


class MeanDim(BuiltinFunction):
    """Mean over ``dim``: MeanBackward1."""

    operands = ("self",)
    formula = "grad_self = grad (unsqueezed at dim).expand(self.shape) / (elements reduced)"
    ctx_attributes = ("self_sym_sizes", "dim", "keepdim")
    node_name = "MeanBackward1"
    aten_name = "aten::mean"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dims: tuple, keepdim: bool, dtype: np.dtype | None) -> np.ndarray:
        ctx.self_sym_sizes = x.shape
        ctx.dim = dims
        ctx.keepdim = keepdim
        x = cast_input(x, dtype)
        if x.size:
            if x.dtype == np.float16:
                return x.mean(axis=dims, keepdims=keepdim)
            return x.sum(axis=dims, keepdims=keepdim) / _reduced_count(x.shape, dims)
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
    return _reduce("mean", Mean, MeanDim, input, dim, keepdim, acc)


class Cumsum(BuiltinFunction):
    """Running sum along ``dim``: CumsumBackward0."""

    operands = ("self",)
    formula = "grad_self = grad.flip(dim).cumsum(dim).flip(dim)   (the reversed running sum)"
    ctx_attributes = ("dim",)
    aten_name = "aten::cumsum"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axis: int | tuple, dtype: np.dtype | None) -> np.ndarray:
        ctx.dim = axis
        x = cast_input(x, dtype)
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
    return Cumsum.apply(
        input, single_dim("cumsum", dim, input._data.ndim), accumulate_dtype(input._data, dtype)
    )


TENSOR_METHODS = {"sum": sum, "mean": mean, "cumsum": cumsum}
