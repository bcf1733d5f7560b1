"""Spread and size reductions: ``var``, ``std`` (Bessel ``correction``) and the vector ``norm``
(p = 2, 1, inf, -inf, 0 or any number), with PyTorch's gradients at zero (0, never nan)."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .._tensor.tensor import Tensor
from ..dtypes import to_numpy_dtype
from ..graph.function import BuiltinFunction
from ._checks import data, reduce_dims, scalar_name
from .reduction import keep_shape

__all__ = ["var", "std", "norm"]


def _dof(shape: tuple, dims: tuple, correction: float) -> tuple[int, float]:
    n = 1
    for d in dims:
        n *= shape[d]
    return n, n - correction


def _var_forward(x: np.ndarray, dims: tuple, correction: float, keepdim: bool) -> np.ndarray:
    n, dof = _dof(x.shape, dims, correction)
    if dof > 0:
        return x.var(axis=dims, ddof=correction, keepdims=keepdim)
    # NumPy would warn; PyTorch divides by max(0, dof), giving nan or inf (var() warned already).
    with np.errstate(invalid="ignore", divide="ignore"):
        centred = x - x.sum(axis=dims, keepdims=True) / n
        return (centred * centred).sum(axis=dims, keepdims=keepdim) / max(0.0, dof)


def _warn_dof(op: str, shape: tuple, dims: tuple, correction: float) -> None:
    if _dof(shape, dims, correction)[1] <= 0:
        warnings.warn(
            f"{op}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel).",
            UserWarning,
            stacklevel=3,
        )


def _centred_grad(ctx: Any, grad: Any, x: Any, scale: Any) -> Any:
    """``grad * (x - mean) * scale`` with ``grad`` and ``scale`` at the kept-dims shape."""
    dims = ctx.dim
    if data(x).size == 0:
        return x * 0  # an empty input: no mean to centre on (and NumPy would warn)
    if isinstance(x, Tensor):
        return grad * scale * (x - x.mean(dims, keepdim=True))
    out = x - x.mean(axis=dims, keepdims=True)
    out *= grad * scale
    return out


class Var(BuiltinFunction):
    """Variance over dims: VarBackward0."""

    operands = ("self",)
    ctx_attributes = ("dim", "correction", "keepdim")
    saves = ("self",)
    formula = "grad_self = grad * 2 * (self - self.mean(dim)) / (N - correction)"
    aten_name = "aten::var"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dims: tuple, correction: float, keepdim: bool) -> np.ndarray:
        ctx.dim, ctx.correction, ctx.keepdim = dims, correction, keepdim
        return _var_forward(x, dims, correction, keepdim)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        _, dof = _dof(x.shape, ctx.dim, ctx.correction)
        if not ctx.keepdim:
            grad = grad.reshape(keep_shape(x.shape, ctx.dim))
        return _centred_grad(ctx, grad, x, 2 / dof if dof > 0 else math.nan)


class Std(BuiltinFunction):
    """Standard deviation over dims: StdBackward0 (a constant slice gets gradient 0)."""

    operands = ("self",)
    ctx_attributes = ("dim", "correction", "keepdim")
    saves = ("self", "result")
    formula = "grad_self = grad * (self - self.mean(dim)) / ((N - correction) * result)"
    aten_name = "aten::std"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dims: tuple, correction: float, keepdim: bool) -> np.ndarray:
        ctx.dim, ctx.correction, ctx.keepdim = dims, correction, keepdim
        return np.sqrt(_var_forward(x, dims, correction, keepdim))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, result = ctx.saved_tensors
        _, dof = _dof(x.shape, ctx.dim, ctx.correction)
        if not ctx.keepdim:
            kept = keep_shape(x.shape, ctx.dim)
            grad, result = grad.reshape(kept), result.reshape(kept)
        if dof <= 0:
            return _centred_grad(ctx, grad, x, math.nan)
        # Where std is 0 every centred value is 0 too; a divisor of 1 there makes the gradient 0.
        safe = result + (data(result) == 0)
        return _centred_grad(ctx, grad, x, 1 / (dof * safe))


def _both_error(op: str, dim: Any, unbiased: Any, correction: Any) -> TypeError:
    """PyTorch's overload-resolution message for passing both ``unbiased`` and ``correction``."""
    kw = f"correction={type(correction).__name__}, unbiased={type(unbiased).__name__}"
    got = f"{type(dim).__name__}, {kw}" if dim is not None else f"{kw}, "
    why = (
        "      didn't match because some of the keywords were incorrect: correction, unbiased\n"
        if dim is not None
        else ""
    )
    return TypeError(
        f"{op}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
        f" * (tuple of ints dim, bool unbiased = True, bool keepdim = False)\n{why}"
        " * (tuple of ints dim = None, *, Number correction = None, bool keepdim = False)\n"
        " * (bool unbiased = True)\n"
    )


def _spread_args(op: str, input: Tensor, dim: Any, unbiased: Any, correction: Any) -> tuple:
    if isinstance(dim, bool):  # var(False): the positional unbiased overload
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise _both_error(op, dim, unbiased, correction)
    if input._data.dtype.kind != "f":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if correction is None:
        correction = 0 if unbiased is False else 1
    return reduce_dims(op, dim, input._data.ndim), correction


def _spread_op(op: str, cls: type, doc: str) -> Any:
    """The public ``var``/``std``: one body for both, built once (no extra call per use)."""

    def spread(
        input: Tensor,
        dim: Any = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
    ) -> Tensor:
        dims, correction = _spread_args(op, input, dim, unbiased, correction)
        _warn_dof(op, input._data.shape, dims, correction)
        return cls.apply(input, dims, correction, keepdim)

    spread.__name__ = spread.__qualname__ = op
    spread.__doc__ = doc
    return spread


var = _spread_op("var", Var, "Variance over ``dim`` (all dims by default), dividing by ``N - correction``.")
std = _spread_op(
    "std", Std, "Standard deviation over ``dim`` (all dims by default), dividing by ``N - correction``."
)


def _norm_forward(x: np.ndarray, p: float, dims: tuple, keepdim: bool) -> np.ndarray:
    # PyTorch does not rescale: a norm past the dtype's range is quietly inf, so here too.
    with np.errstate(over="ignore"):
        return _norm_unscaled(x, p, dims, keepdim)


def _norm_unscaled(x: np.ndarray, p: float, dims: tuple, keepdim: bool) -> np.ndarray:
    if p == 2:
        return np.sqrt((x * x).sum(axis=dims, keepdims=keepdim))
    if p == 1:
        return np.abs(x).sum(axis=dims, keepdims=keepdim)
    if p == math.inf:
        return np.abs(x).max(axis=dims, keepdims=keepdim)
    if p == -math.inf:
        return np.abs(x).min(axis=dims, keepdims=keepdim)
    if p == 0:
        return (x != 0).sum(axis=dims, keepdims=keepdim, dtype=x.dtype)
    with np.errstate(divide="ignore"):  # |0| ** negative p is inf, whose reciprocal root is 0
        return (np.abs(x) ** p).sum(axis=dims, keepdims=keepdim) ** (1 / p)


class LinalgVectorNorm(BuiltinFunction):
    """The p-norm over dims: LinalgVectorNormBackward0."""

    operands = ("self",)
    ctx_attributes = ("ord", "dim", "keepdim")
    saves = ("self", "result")
    formula = "grad_self = grad * sign(self) * |self|**(ord - 1) / result**(ord - 1)   (ord=2: grad * self / result)"
    aten_name = "aten::linalg_vector_norm"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, p: float, dims: tuple, keepdim: bool, dtype: Any) -> np.ndarray:
        ctx.ord, ctx.dim, ctx.keepdim = p, dims, keepdim
        return _norm_forward(x if dtype is None else x.astype(dtype), p, dims, keepdim)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, result = ctx.saved_tensors
        p = ctx.ord
        if p == 0:
            return None  # a count: PyTorch sends no gradient at all
        if not ctx.keepdim:
            kept = keep_shape(x.shape, ctx.dim)
            grad, result = grad.reshape(kept), result.reshape(kept)
        xd, rd = data(x), data(result)
        sign = np.sign(xd)
        if p == 1:
            return grad * sign
        if p == 2:
            # A zero norm means a zero slice: divide by 1 there so the gradient is 0, not nan.
            return grad * x / (result + (rd == 0))
        if math.isinf(p):
            tied = np.abs(xd) == rd
            with np.errstate(invalid="ignore", divide="ignore"):  # a nan norm ties with nothing
                weights = sign * tied / tied.sum(axis=ctx.dim, keepdims=True)
            return grad * weights.astype(xd.dtype, copy=False)
        # d||x||/dx = sign(x) |x|^(p-1) ||x||^(1-p); |x| is taken as 1 at zeros (their sign
        # zeroes the term) and ||x|| as 1 where it is 0 for p > 1 (the slice is all zeros).
        safe_abs = x * sign + (xd == 0)
        base = result if p < 1 else result + (rd == 0)
        return grad * sign * safe_abs ** (p - 1) * base ** (1 - p)


def _order(p: Any) -> float:
    if p is None:
        return 2.0
    if isinstance(p, str):
        if p == "fro":
            return 2.0
        if p == "nuc":
            raise NotImplementedError("norm(): p='nuc' (the nuclear norm) is not supported; use a vector p")
        raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
    return float(p)


def _check_identity(p: float, shape: tuple, dims: tuple, whole: bool) -> None:
    """max/min of |x| over an empty slice has no value: PyTorch's error (its spacing too)."""
    empty = [d for d in dims if shape[d] == 0]
    if not empty:
        return
    which = "inf" if p > 0 else "-inf"
    if whole:
        raise RuntimeError(
            f"linalg.vector_norm cannot compute the {which} norm on an empty tensor because the "
            "operation does not have an identity"
        )
    raise RuntimeError(
        f"linalg.vector_norm cannot compute the {which} norm on the dimension {empty[0]}because this "
        "dimension is empty and the operation does not have an identity"
    )


def norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
    """Vector p-norm over ``dim`` (all elements by default); ``'fro'`` is the 2-norm."""
    p = _order(p)
    x = input._data
    cast = None if dtype is None else to_numpy_dtype(dtype)
    if x.dtype.kind != "f":
        raise RuntimeError(
            f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {scalar_name(x.dtype)}"
        )
    if cast is not None and cast.kind != "f":
        raise RuntimeError(
            f"linalg.vector_norm: dtype should be floating point or complex, but got {scalar_name(cast)}"
        )
    dims = reduce_dims("norm", dim, x.ndim)
    if math.isinf(p) and x.size == 0:
        _check_identity(p, x.shape, dims, dim is None or len(dims) == x.ndim)
    return LinalgVectorNorm.apply(input, p, dims, keepdim, cast)


TENSOR_METHODS = {"var": var, "std": std, "norm": norm}
