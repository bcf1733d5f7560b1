"""In-place ops that overwrite a tensor's values: ``fill_``, ``zero_``, ``copy_`` (differentiable
w.r.t. the source, which broadcasts), ``uniform_`` and ``normal_`` (drawn from the default
generator, or the one passed). The old values get a zero gradient, as in PyTorch."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor.tensor import Tensor
from ..graph.function import BuiltinFunction
from ..random import numpy_rng
from . import _math
from ._argcheck import (
    NUMBER_TYPES,
    broadcast_error,
    invalid_combination,
    must_be_tensor,
    scalar_as,
    scalar_type_name,
)
from .inplace import apply_inplace

__all__ = ["fill_", "zero_"]

_zeros_of = _math.zeros_of


class _Overwrite(BuiltinFunction):
    """The old values are gone, so the overwritten tensor's history gets a zero gradient."""

    operands = ("self",)
    formula = "grad_self = zeros_like(grad)   (the old values are overwritten)"

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return _zeros_of(grad)


class Fill(_Overwrite):
    node_name = "FillBackward2"
    aten_name = "aten::fill_"
    fills_uniformly = True

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, value: np.ndarray) -> np.ndarray:
        return np.full_like(x, value)  # value is already a 0-d array of x's dtype (scalar_as)


class FillTensor(BuiltinFunction):
    """Fill with a 0-d tensor, which gets the summed gradient: FillBackward3."""

    operands = ("self", "value")
    formula = "grad_self = zeros_like(grad);  grad_value = grad.sum()"
    node_name = "FillBackward3"
    aten_name = "aten::fill_"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, value: np.ndarray) -> np.ndarray:
        return _math.quiet(np.full_like, x, value)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        return _zeros_of(grad), grad  # the engine sums grad down to the 0-d value


class Zero(_Overwrite):
    aten_name = "aten::zero_"
    fills_uniformly = True

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        return np.zeros_like(x)


def _converted(src: Any, dtype: np.dtype) -> np.ndarray:
    return np.asarray(src).astype(dtype, copy=False)


class Copy(BuiltinFunction):
    """``self.copy_(src)``: CopyBackwards (PyTorch's legacy name), gradient to ``src``."""

    operands = ("self", "src")
    formula = "grad_self = zeros_like(grad);  grad_src = grad (summed to src's shape, cast to its dtype)"
    node_name = "CopyBackwards"
    aten_name = "aten::copy_"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, src: Any) -> np.ndarray:
        shape = x.shape
        src_shape = np.shape(src)
        if src_shape != shape:
            error = broadcast_error(x, src)
            if error is not None:
                raise error
            full = np.broadcast_shapes(shape, src_shape)
            if full != shape:
                raise RuntimeError(
                    f"output with shape {list(shape)} doesn't match the broadcast shape {list(full)}"
                )
            src = np.broadcast_to(src, shape)
        # Any dtype converts (float -> int truncates). No copy needed: apply_inplace copies the
        # result into x's storage and drops it.
        return _math.quiet(_converted, src, x.dtype)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        return _zeros_of(grad), grad  # the engine sums and casts grad to src's shape and dtype


class Uniform(_Overwrite):
    aten_name = "aten::uniform_"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, low: float, high: float, rng: np.random.Generator) -> np.ndarray:
        return rng.uniform(low, high, x.shape).astype(x.dtype)


class Normal(_Overwrite):
    aten_name = "aten::normal_"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, mean: float, std: float, rng: np.random.Generator) -> np.ndarray:
        return rng.normal(mean, std, x.shape).astype(x.dtype)


def _check_self(op: str, input: Any) -> None:
    if not isinstance(input, Tensor):
        raise must_be_tensor(op, "input", 1, input)


def fill_(input: Tensor, value: Any) -> Tensor:
    """Set every element of ``input`` to ``value`` (a number or a 0-d tensor)."""
    _check_self("fill_", input)
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError(
                f"fill_ only supports 0-dimension value tensor but got tensor with {value._data.ndim} dimensions."
            )
        return apply_inplace(FillTensor, input, value)
    if not isinstance(value, NUMBER_TYPES):
        raise invalid_combination("fill_", (value,), ("Tensor value", "Number value"))
    return apply_inplace(Fill, input, scalar_as(value, input._data.dtype))


def zero_(input: Tensor) -> Tensor:
    """Set every element of ``input`` to zero."""
    _check_self("zero_", input)
    return apply_inplace(Zero, input)


def copy_(self: Tensor, src: Any, non_blocking: bool = False) -> Tensor:
    """Copy ``src`` (broadcast to this shape, converted to this dtype) into this tensor."""
    if not isinstance(src, (Tensor, *NUMBER_TYPES)):
        raise must_be_tensor("copy_", "other", 1, src)
    return apply_inplace(Copy, self, src)


def _random_dtype_check(kernel: str, x: Tensor) -> None:
    dt = x._data.dtype
    if dt.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(dt)}'")


def uniform_(self: Tensor, *args: Any, generator: Any = None, **bounds: Any) -> Tensor:
    """Fill with samples from U[from, to) (``uniform_(0, 1)``; ``from`` works as a keyword too)."""
    unknown = sorted(set(bounds) - {"from", "to"})
    if unknown or len(args) > 2:
        raise TypeError(f"uniform_() got unexpected arguments {unknown or list(args[2:])}")
    low = bounds.get("from", args[0] if args else 0.0)
    high = bounds.get("to", args[1] if len(args) > 1 else 1.0)
    _random_dtype_check("check_uniform_bounds", self)
    if low > high:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={low} > to={high}")
    return apply_inplace(Uniform, self, low, high, numpy_rng(generator))


def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
    """Fill with samples from N(mean, std**2)."""
    _random_dtype_check("normal_kernel_cpu", self)
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    return apply_inplace(Normal, self, mean, std, numpy_rng(generator))


TENSOR_METHODS = {
    "fill_": fill_,
    "zero_": zero_,
    "copy_": copy_,
    "uniform_": uniform_,
    "normal_": normal_,
}
