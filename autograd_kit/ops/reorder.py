"""Ops that reorder dims or elements: t/T/mT/H/mH, transpose, permute, movedim, flip, roll.

Dim reorders are views (shared data and version counter); flip and roll copy, as in PyTorch.
Each backward applies the inverse reordering to the gradient.
"""

from __future__ import annotations

import operator
import warnings
from typing import Any

import numpy as np

from .._tensor.tensor import Tensor, wrap_dim
from ..graph.function import BuiltinFunction
from .shape import wrap_dims

__all__ = ["t", "transpose", "swapaxes", "swapdims", "permute", "movedim", "moveaxis", "flip", "roll"]


class Transpose(BuiltinFunction):
    operands = ("self",)
    formula = "grad_self = grad.transpose(dim0, dim1)"
    ctx_attributes = ("dim0", "dim1")
    is_view = True

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim0: int, dim1: int) -> np.ndarray:
        ctx.dim0, ctx.dim1 = dim0, dim1
        return x.view() if dim0 == dim1 else np.swapaxes(x, dim0, dim1)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        d0, d1 = ctx.dim0, ctx.dim1
        if isinstance(grad, Tensor):
            return Transpose.apply(grad, d0, d1)
        return grad if d0 == d1 else np.swapaxes(grad, d0, d1)


class T(BuiltinFunction):
    """``t()``: the 2-D transpose (0-D and 1-D tensors come back as they are)."""

    operands = ("self",)
    formula = "grad_self = grad.T"
    is_view = True

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        return x.T

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return T.apply(grad) if isinstance(grad, Tensor) else grad.T


class Permute(BuiltinFunction):
    operands = ("self",)
    formula = "grad_self = grad.permute(inverse of dims)"
    ctx_attributes = ("dims",)
    is_view = True

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dims: tuple) -> np.ndarray:
        ctx.dims = dims
        return np.transpose(x, dims)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        inverse = tuple(np.argsort(ctx.dims).tolist())
        return Permute.apply(grad, inverse) if isinstance(grad, Tensor) else np.transpose(grad, inverse)


def t(input: Tensor) -> Tensor:
    """Transpose a tensor of at most 2 dims."""
    ndim = input._data.ndim
    if ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {ndim}D")
    return T.apply(input)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap dims ``dim0`` and ``dim1`` (a view)."""
    ndim = input._data.ndim
    return Transpose.apply(input, wrap_dim(dim0, ndim), wrap_dim(dim1, ndim))


swapaxes = swapdims = transpose


def _perm_args(dims: tuple) -> tuple:
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = tuple(dims[0])
    return tuple([operator.index(d) for d in dims])


def permute(input: Tensor, *dims: Any) -> Tensor:
    """Reorder the dims: output dim i is input dim ``dims[i]`` (a view)."""
    ndim = input._data.ndim
    dims = _perm_args(dims)
    if len(dims) != ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the length "
            f"of the desired ordering of dimensions i.e. input.dim() = {ndim} is not equal to "
            f"len(dims) = {len(dims)}"
        )
    wrapped = tuple([wrap_dim(d, ndim) for d in dims])
    if len(set(wrapped)) != ndim:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return Permute.apply(input, wrapped)


def movedim(input: Tensor, source: Any, destination: Any) -> Tensor:
    """Move dims ``source`` to positions ``destination``, keeping the others in order."""
    ndim = input._data.ndim
    src = list(source) if isinstance(source, (tuple, list)) else [source]
    dst = list(destination) if isinstance(destination, (tuple, list)) else [destination]
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({src} dims) should contain the "
            f"same number of dims as destination ({dst} dims)"
        )
    src_w = [wrap_dim(operator.index(d), ndim) for d in src]
    dst_w = [wrap_dim(operator.index(d), ndim) for d in dst]
    if len(set(src_w)) != len(src_w):
        raise RuntimeError(f"movedim: repeated dim in `source` ({src})")
    if len(set(dst_w)) != len(dst_w):
        raise RuntimeError(f"movedim: repeated dim in `destination` ({dst})")
    order = [d for d in range(ndim) if d not in src_w]
    for d, s in sorted(zip(dst_w, src_w)):
        order.insert(d, s)
    return Permute.apply(input, tuple(order))


moveaxis = movedim


def _T(self: Tensor) -> Tensor:
    ndim = self._data.ndim
    if ndim != 2:
        warnings.warn(
            "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
            "deprecated and it will throw an error in a future release. Consider `x.mT` to transpose "
            "batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the "
            "dimensions of a tensor.",
            UserWarning,
            stacklevel=2,
        )
    return Permute.apply(self, tuple(range(ndim - 1, -1, -1)))


def _matrix_transpose(name: str) -> Any:
    def prop(self: Tensor) -> Tensor:
        ndim = self._data.ndim
        if ndim == 0:  # PyTorch rejects 1-D but lets 0-D through
            _deprecated_0d(name)
            return self
        if ndim < 2:
            raise RuntimeError(
                f"tensor.{name} is only supported on matrices or batches of matrices. Got {ndim}-D tensor."
            )
        return Transpose.apply(self, ndim - 2, ndim - 1)

    return prop


def _deprecated_0d(name: str) -> None:
    advice = "This function is the identity in these cases." if name == "mT" else "Consider using x.conj()."
    warnings.warn(f"Tensor.{name} is deprecated on 0-D tensors. {advice}", UserWarning, stacklevel=3)


def _H(self: Tensor) -> Tensor:
    ndim = self._data.ndim
    if ndim == 0:
        _deprecated_0d("H")
        return self
    if ndim != 2:
        hint = ". For batches of matrices, consider using tensor.mH" if ndim > 2 else "."
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {ndim}-D tensor{hint}")
    return Transpose.apply(self, 0, 1)


class Flip(BuiltinFunction):
    operands = ("self",)
    formula = "grad_self = grad.flip(dims)"
    ctx_attributes = ("dims",)

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dims: tuple) -> np.ndarray:
        ctx.dims = dims
        return np.flip(x, dims).copy()  # PyTorch's flip copies; NumPy's would alias

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return Flip.apply(grad, ctx.dims) if isinstance(grad, Tensor) else np.flip(grad, ctx.dims)


def flip(input: Tensor, *dims: Any) -> Tensor:
    """Reverse the order of elements along ``dims`` (a copy)."""
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = dims[0]
    ndim = input._data.ndim
    dims = wrap_dims(dims, ndim)
    return Flip.apply(input, dims if ndim else ())


class Roll(BuiltinFunction):
    operands = ("self",)
    formula = "grad_self = grad.roll(-shifts, dims)"
    ctx_attributes = ("shifts", "dims")

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, shifts: Any, dims: Any) -> np.ndarray:
        ctx.shifts, ctx.dims = shifts, dims
        return np.roll(x, shifts, dims)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        back = tuple(-s for s in ctx.shifts) if isinstance(ctx.shifts, tuple) else -ctx.shifts
        return Roll.apply(grad, back, ctx.dims) if isinstance(grad, Tensor) else np.roll(grad, back, ctx.dims)


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    """Rotate elements along ``dims`` by ``shifts`` (over the flattened tensor without dims)."""
    ndim = input._data.ndim
    multi = isinstance(shifts, (tuple, list))
    shift_t = tuple(operator.index(s) for s in shifts) if multi else (operator.index(shifts),)
    if dims is None:
        if len(shift_t) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shift_t)}, dims:0")
        return Roll.apply(input, shift_t[0], None)
    dim_t = tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)
    if len(shift_t) != len(dim_t):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shift_t)}, dims:{len(dim_t)}")
    if ndim == 0:
        raise IndexError(f"Dimension specified as {dim_t[0]} but tensor has no dimensions")
    return Roll.apply(input, shift_t, tuple([wrap_dim(operator.index(d), ndim) for d in dim_t]))


TENSOR_METHODS = {
    "t": t,
    "transpose": transpose,
    "swapaxes": transpose,
    "swapdims": transpose,
    "permute": permute,
    "movedim": movedim,
    "moveaxis": movedim,
    "flip": flip,
    "roll": roll,
    "T": property(_T, doc="The dims in reverse order (deprecated by PyTorch except for 2-D)."),
    "mT": property(_matrix_transpose("mT"), doc="Transpose of the last two dims."),
    "mH": property(_matrix_transpose("mH"), doc="Conjugate transpose of the last two dims (real data)."),
    "H": property(_H, doc="Conjugate transpose of a matrix (real data)."),
}
