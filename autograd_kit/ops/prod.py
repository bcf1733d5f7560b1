"""``prod``: the product of all elements or along one dim, with exact gradients at zeros (no
division by the zero) and second derivatives through them."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor.tensor import Tensor
from ..graph.function import BuiltinFunction
from ._checks import data, single_dim
from .reduction import accumulate_dtype, cast_input, keep_shape

__all__ = ["prod"]


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


class Prod(BuiltinFunction):
    """Product of every element: ProdBackward0."""

    operands = ("self",)
    saves = ("self", "result")
    formula = (
        "grad_self = grad * result / self   (where self has zeros: grad * product of the other elements)"
    )
    aten_name = "aten::prod"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dtype: np.dtype | None) -> np.ndarray:
        return cast_input(x, dtype).prod()

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, result = ctx.saved_tensors
        if x.ndim == 0:
            return grad
        shape = x.shape
        return _prod_grad(grad, x.reshape((-1,)), result, 0).reshape(shape)


class ProdDim(BuiltinFunction):
    """Product over one ``dim``: ProdBackward1."""

    operands = ("self",)
    ctx_attributes = ("dim", "keepdim")
    saves = ("self", "result")
    formula = (
        "grad_self = grad (unsqueezed at dim) * result / self   (zeros: product of the others along dim)"
    )
    node_name = "ProdBackward1"
    aten_name = "aten::prod"

    @staticmethod
    def forward(
        ctx: Any, x: np.ndarray, axis: int | tuple, keepdim: bool, dtype: np.dtype | None
    ) -> np.ndarray:
        ctx.dim = axis
        ctx.keepdim = keepdim
        return cast_input(x, dtype).prod(axis=axis, keepdims=keepdim)

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


TENSOR_METHODS = {"prod": prod}
