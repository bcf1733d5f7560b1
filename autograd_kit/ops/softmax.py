"""Exponential normalisations: ``softmax``, ``log_softmax`` and ``logsumexp``, all shifted by the
maximum so large inputs neither overflow nor lose precision."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor.tensor import Tensor
from ..dtypes import get_default_dtype, to_numpy_dtype
from ..graph.fpstate import quiet_fp, restore_fp
from ..graph.function import BuiltinFunction
from . import _math
from ._checks import reduce_dims, scalar_name, single_dim
from .reduction import keep_shape

__all__ = ["softmax", "log_softmax", "logsumexp"]


# The ufuncs' own reduce methods: ndarray.max/.sum add a Python frame each, a third of the
# reduction on a classifier's small logits (benchmarks/bench_mlp.py's batch-32 row).
_max_reduce, _sum_reduce = np.maximum.reduce, np.add.reduce


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    # A row of -inf gives nan, as in PyTorch, without NumPy's warning (quiet_fp, not
    # np.errstate, which costs as much as the rest of a small softmax: bench_mlp).
    token = quiet_fp()
    try:
        e = x - _max_reduce(x, axis, None, None, True, -np.inf)
        np.exp(e, out=e)
        e /= _sum_reduce(e, axis, None, None, True)
    finally:
        restore_fp(token)
    return e


def _log_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    token = quiet_fp()
    try:
        shifted = x - _max_reduce(x, axis, None, None, True, -np.inf)
        total = _sum_reduce(np.exp(shifted), axis, None, None, True)
        shifted -= np.log(total, out=total)
    finally:
        restore_fp(token)
    return shifted


def _normalising_forward(kernel: Any) -> staticmethod:
    """The forward of softmax and log_softmax around ``kernel(x, axis)``: the optional dtype cast,
    and a 0-d input taken as one element (a closure, so the forward pays no extra call)."""

    def forward(ctx: Any, x: np.ndarray, axis: int | tuple, dtype: np.dtype | None = None) -> np.ndarray:
        ctx.dim = axis
        if dtype is not None:
            x = x.astype(dtype)
        if x.ndim == 0:
            return kernel(x.reshape(1), 0).reshape(())
        return kernel(x, axis)

    return staticmethod(forward)


class Softmax(BuiltinFunction):
    """``exp(x) / sum(exp(x))`` along one dim: SoftmaxBackward0."""

    operands = ("self",)
    ctx_attributes = ("dim",)
    saves = ("result",)
    formula = "grad_self = result * (grad - (grad * result).sum(dim, keepdim=True))"
    aten_name = "aten::softmax"
    forward = _normalising_forward(_softmax)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (y,) = ctx.saved_tensors
        axis = ctx.dim
        gy = grad * y
        if isinstance(gy, Tensor):
            return gy - y * gy.sum(axis=axis, keepdims=True)
        gy -= y * gy.sum(axis=axis, keepdims=True)
        return gy


class LogSoftmax(BuiltinFunction):
    """``x - logsumexp(x)`` along one dim: LogSoftmaxBackward0."""

    operands = ("self",)
    ctx_attributes = ("dim",)
    saves = ("result",)
    formula = "grad_self = grad - exp(result) * grad.sum(dim, keepdim=True)"
    aten_name = "aten::log_softmax"
    forward = _normalising_forward(_log_softmax)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (y,) = ctx.saved_tensors
        axis = ctx.dim
        if isinstance(y, Tensor):
            return grad - _math.exp(y) * grad.sum(axis=axis, keepdims=True)
        total = _sum_reduce(grad, axis, None, None, True)
        e = np.exp(y)
        e *= total
        return grad - e if e.ndim == 0 else np.subtract(grad, e, out=e)


def _normalise_args(op: str, input: Tensor, dim: Any, dtype: Any) -> tuple:
    if dim is None:
        raise TypeError(f"{op}(): argument 'dim' (position 1) must be int, not NoneType")
    x = input._data
    axis = single_dim(op, dim, x.ndim)
    if dtype is not None:
        want = to_numpy_dtype(dtype)
        if want.kind != "f":
            raise NotImplementedError(f"\"{op}_kernel_impl\" not implemented for '{scalar_name(want)}'")
        # The engine casts the gradient back to the input's dtype.
        return axis, (None if want == x.dtype else want)
    if x.dtype.kind != "f":
        kernel = "lastdim_kernel_impl" if x.ndim == 0 or axis == x.ndim - 1 else "kernel_impl"
        raise NotImplementedError(f"\"{op}_{kernel}\" not implemented for '{scalar_name(x.dtype)}'")
    return axis, None


def softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    """Softmax along ``dim`` (computed in ``dtype`` when given)."""
    axis, cast = _normalise_args("softmax", input, dim, dtype)
    return Softmax.apply(input, axis) if cast is None else Softmax.apply(input, axis, cast)


def log_softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    """Log of softmax along ``dim``, computed stably (no log of a rounded-to-zero probability)."""
    axis, cast = _normalise_args("log_softmax", input, dim, dtype)
    return LogSoftmax.apply(input, axis) if cast is None else LogSoftmax.apply(input, axis, cast)


class Logsumexp(BuiltinFunction):
    """``log(sum(exp(x)))`` over dims: LogsumexpBackward0."""

    operands = ("self",)
    ctx_attributes = ("dim", "keepdim")
    saves = ("self", "result")
    formula = "grad_self = grad (unsqueezed at dim) * exp(self - result)"
    aten_name = "aten::logsumexp"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dims: tuple, keepdim: bool) -> np.ndarray:
        ctx.dim, ctx.keepdim = dims, keepdim
        if x.dtype.kind != "f":
            x = x.astype(get_default_dtype().numpy_dtype)
        shift = np.asarray(x.max(axis=dims, keepdims=True, initial=-np.inf))
        # An infinite (or nan) maximum cannot be subtracted; shifting by 0 then gives PyTorch's
        # inf / -inf / nan results.
        shift[~np.isfinite(shift)] = 0
        with np.errstate(divide="ignore"):
            out = np.log(np.exp(x - shift).sum(axis=dims, keepdims=True))
        out += shift
        return out if keepdim else out.reshape([s for i, s in enumerate(x.shape) if i not in dims])

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, result = ctx.saved_tensors
        dims = ctx.dim
        if not ctx.keepdim:
            kept = keep_shape(x.shape, dims)
            grad, result = grad.reshape(kept), result.reshape(kept)
        if isinstance(x, Tensor):
            return grad * _math.exp(x - result)
        with np.errstate(invalid="ignore"):
            e = np.exp(x - result)
        e *= grad
        return e


def logsumexp(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    """``log(sum(exp(input)))`` over ``dim``, stable for large inputs (integers give floats)."""
    return Logsumexp.apply(input, reduce_dims("logsumexp", dim, input._data.ndim), keepdim)


TENSOR_METHODS = {"softmax": softmax, "log_softmax": log_softmax, "logsumexp": logsumexp}
