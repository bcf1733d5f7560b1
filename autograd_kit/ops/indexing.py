"""``tensor[key]`` with PyTorch's semantics and node names, plus select and narrow.

Basic indices (ints, slices, None, ...) give views recorded as SelectBackward0, SliceBackward0,
UnsqueezeBackward0 or AliasBackward0 (the node of the last op PyTorch would chain); index
arrays and masks give copies (IndexBackward0), whose gradient adds up repeated indices.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from .._tensor.tensor import Tensor, wrap_dim
from ..graph.function import BuiltinFunction
from ._index_key import parse_key

__all__ = ["select", "narrow"]


def _scatter(grad: np.ndarray, shape: tuple, basic: Any, adv: Any) -> np.ndarray:
    out = np.zeros(shape, grad.dtype)
    view = out if basic is None else out[basic]
    if adv is None:
        view[...] = grad
    elif any(type(a) is np.ndarray and a.dtype.kind != "b" for a in adv):
        np.add.at(view, adv, grad)  # index arrays may repeat an entry: gradients add up
    else:
        view[adv] = grad  # a mask picks each entry once
    return out


def take_index(x: np.ndarray, basic: Any, adv: Any) -> np.ndarray:
    if basic is not None:
        x = x[basic]
    return x if adv is None else x[adv]


class Index(BuiltinFunction):
    """``x[basic][adv]``; its subclasses are the view kinds, named after PyTorch's ops."""

    operands = ("self",)
    formula = "grad_self = zeros(self.shape).index_put(indices, grad, accumulate=True)"
    ctx_attributes = ("self_sym_sizes", "basic", "adv")
    aten_name = "aten::index"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, basic: Any, adv: Any) -> np.ndarray:
        ctx.self_sym_sizes, ctx.basic, ctx.adv = x.shape, basic, adv
        return take_index(x, basic, adv)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        if isinstance(grad, Tensor):
            return IndexGrad.apply(grad, ctx.self_sym_sizes, ctx.basic, ctx.adv)
        return _scatter(grad, ctx.self_sym_sizes, ctx.basic, ctx.adv)


class Select(Index):
    is_view = True
    aten_name = "aten::select"
    formula = "grad_self = zeros(self.shape) with grad placed at [index] along dim"


class Slice(Select):
    aten_name = "aten::slice"
    formula = "grad_self = zeros(self.shape) with grad placed in the slice"


class Unsqueeze(Select):
    aten_name = "aten::unsqueeze"
    formula = "grad_self = grad.squeeze(dim)"


class Alias(Select):
    aten_name = "aten::alias"
    formula = "grad_self = grad"


class IndexGrad(BuiltinFunction):
    """The gradient of indexing (zeros with the gradient scattered in); linear, so its own
    backward is the indexing again (that is what makes double backward work)."""

    operands = ("grad",)
    formula = "grad_grad = grad[indices]   (the scatter's adjoint is the indexing)"
    ctx_attributes = ("basic", "adv")
    node_name = "IndexBackwardBackward0"
    aten_name = "aten::index_put_"

    @staticmethod
    def forward(ctx: Any, g: np.ndarray, shape: tuple, basic: Any, adv: Any) -> np.ndarray:
        ctx.basic, ctx.adv = basic, adv
        return _scatter(g, shape, basic, adv)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        if isinstance(grad, Tensor):
            return Index.apply(grad, ctx.basic, ctx.adv)
        return take_index(grad, ctx.basic, ctx.adv)


_KINDS = {"select": Select, "slice": Slice, "unsqueeze": Unsqueeze, "alias": Alias, "index": Index}


def __getitem__(self: Tensor, key: Any) -> Tensor:
    shape = self._data.shape
    if shape:  # fast paths for x[i] and x[a:b] (iteration, batching)
        if type(key) is int:
            if -shape[0] <= key < shape[0]:
                return Select.apply(self, (key, Ellipsis), None)
        elif type(key) is slice and key.step is None:
            return Slice.apply(self, (key, Ellipsis), None)
    p = parse_key(key, shape)
    return _KINDS[p.kind].apply(self, p.basic, p.adv)


def select(input: Tensor, dim: int, index: int) -> Tensor:
    """The slice at ``index`` along ``dim``, without that dim (a view)."""
    shape = input._data.shape
    if not shape:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, len(shape))
    size = shape[d]
    index = operator.index(index)
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size {list(shape)} at dimension {d}"
        )
    return Select.apply(input, (*(slice(None),) * d, index, Ellipsis), None)


def narrow(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """``length`` elements from ``start`` along ``dim`` (a view)."""
    shape = input._data.shape
    if not shape:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, len(shape))
    size = shape[d]
    start, length = operator.index(start), operator.index(length)
    if not -size <= start <= size:
        raise IndexError(
            f"start out of range (expected to be in range of [{-size}, {size}], but got {start})"
        )
    if start < 0:
        start += size
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return Slice.apply(input, (*(slice(None),) * d, slice(start, start + length), Ellipsis), None)


TENSOR_METHODS = {
    "__getitem__": __getitem__,
    "select": select,
    "narrow": narrow,
}
