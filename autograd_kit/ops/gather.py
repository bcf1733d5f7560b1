"""Picking elements by index tensors: index_select, gather, masked_select, take, nonzero.

Each differentiable one is an advanced index (``Index`` from indexing.py) under PyTorch's node
name, so its backward scatters the gradient back and adds up repeated indices.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor.tensor import Tensor, wrap_array, wrap_dim
from ..dtypes import scalar_type_name
from .indexing import Index

__all__ = ["index_select", "gather", "masked_select", "take", "nonzero", "argwhere"]

_SCALAR_VIEW = (None, Ellipsis)  # a 0-d input is indexed as its 1-element view


class IndexSelect(Index):
    aten_name = "aten::index_select"
    formula = "grad_self = zeros(self.shape).index_add(dim, index, grad)"


class Gather(Index):
    aten_name = "aten::gather"
    formula = "grad_self = zeros(self.shape).scatter_add(dim, index, grad)"


class MaskedSelect(Index):
    aten_name = "aten::masked_select"
    formula = "grad_self = zeros(self.shape) with grad placed where mask is True"


class Take(Index):
    aten_name = "aten::take"
    formula = "grad_self = zeros(self.shape).put(index, grad, accumulate=True)"


scalar_type = scalar_type_name  # PyTorch's ScalarType name (Float, Long, ...)


def broadcast_mismatch(a: tuple, b: tuple) -> str:
    """PyTorch's message for shapes ``a`` and ``b`` that do not broadcast."""
    n = max(len(a), len(b))
    pa, pb = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    i = next(i for i in range(n - 1, -1, -1) if pa[i] != pb[i] and 1 not in (pa[i], pb[i]))
    return f"The size of tensor a ({pa[i]}) must match the size of tensor b ({pb[i]}) at non-singleton dimension {i}"


def _index_data(op: str, index: Any, position: int | None, name: str = "index") -> np.ndarray:
    if not isinstance(index, Tensor):
        where = f" (position {position})" if position else ""
        raise TypeError(f"{op}(): argument '{name}'{where} must be Tensor, not {type(index).__name__}")
    return index._data


def _method(fn: Any, name: str, position: int) -> Any:
    """The Tensor method of ``fn``: PyTorch counts argument positions without ``self`` there."""

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        if name in kwargs:
            _index_data(fn.__name__, kwargs[name], None, name)
        elif len(args) >= position:
            _index_data(fn.__name__, args[position - 1], position, name)
        return fn(self, *args, **kwargs)

    method.__name__, method.__doc__ = fn.__name__, fn.__doc__
    return method


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """The entries at positions ``index`` (1-D) along ``dim``."""
    idx = _index_data("index_select", index, 3)
    if idx.dtype not in (np.int32, np.int64):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if idx.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    shape = input._data.shape
    if not shape:
        wrap_dim(dim, 0)
        if idx.size != 1:
            raise RuntimeError(
                f"index_select(): Index to scalar can have only 1 value, got {idx.size} value(s)"
            )
        if idx.reshape(()) != 0:
            raise IndexError("index out of range in self")
        return IndexSelect.apply(input, _SCALAR_VIEW, (idx.reshape(()),))
    d = wrap_dim(dim, len(shape))
    idx = idx.reshape(-1)
    bad = (idx < 0) | (idx >= shape[d])
    if bad.any():
        raise RuntimeError(f"INDICES element is out of DATA bounds, id={idx[bad][0]} axis_dim={shape[d]}")
    return IndexSelect.apply(input, None, (slice(None),) * d + (idx,))


def gather(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """``out[i][j] = input[index[i][j]][j]`` for dim 0 (and likewise for other dims)."""
    idx = _index_data("gather", index, 3)
    if idx.dtype not in (np.int32, np.int64):
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    shape = input._data.shape
    d = wrap_dim(dim, len(shape))
    in_shape, ix_shape = shape or (1,), idx.shape or (1,)
    if len(ix_shape) != len(in_shape):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for i, (n, m) in enumerate(zip(in_shape, ix_shape)):
        if i != d and m > n:
            raise RuntimeError(
                f"Size does not match at dimension {i} expected index {list(idx.shape)} to be no larger "
                f"than self {list(shape)} apart from dimension {d}"
            )
    size = in_shape[d]
    bad = (idx < 0) | (idx >= size)
    if bad.any():
        raise RuntimeError(f"index {idx[bad].flat[0]} is out of bounds for dimension {d} with size {size}")
    if not shape:
        return Gather.apply(input, _SCALAR_VIEW, (idx,))
    key = tuple(
        idx if i == d else np.arange(m).reshape([-1 if j == i else 1 for j in range(idx.ndim)])
        for i, m in enumerate(idx.shape)
    )
    return Gather.apply(input, None, key)


def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """The entries where ``mask`` (broadcast with ``input``) is True, as a 1-D tensor."""
    m = _index_data("masked_select", mask, 2, "mask")
    if m.dtype != np.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = input._data.shape
    try:
        bshape = np.broadcast_shapes(shape, m.shape)
    except ValueError:
        raise RuntimeError(broadcast_mismatch(m.shape, shape)) from None
    if not bshape:
        return MaskedSelect.apply(input, _SCALAR_VIEW, (np.zeros(int(m), np.intp),))
    coords = np.broadcast_to(m, bshape).nonzero()
    lead = len(bshape) - len(shape)
    padded = (1,) * lead + shape
    key = tuple(c if s != 1 else np.zeros_like(c) for c, s in zip(coords, padded))
    return MaskedSelect.apply(input, ((None,) * lead + (Ellipsis,)) if lead else None, key)


def take(input: Tensor, index: Tensor) -> Tensor:
    """The entries at flat positions ``index`` (of any shape; negative counts from the end)."""
    idx = _index_data("take", index, 2)
    if idx.dtype != np.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {scalar_type(idx.dtype)}")
    data = input._data
    n = data.size
    bad = (idx < -n) | (idx >= n)
    if bad.any():
        raise IndexError(
            f"out of range: tried to access index {idx[bad].flat[0]} on a tensor of {n} elements."
        )
    flat = np.where(idx < 0, idx + n, idx)
    if data.ndim == 0:
        return Take.apply(input, _SCALAR_VIEW, (flat,))
    return Take.apply(input, None, np.unravel_index(flat, data.shape))


def nonzero(input: Tensor, *, as_tuple: bool = False) -> Any:
    """Indices of the non-zero entries: an (n, ndim) int64 tensor, or one 1-D tensor per dim."""
    data = input._data
    if as_tuple:
        return tuple(wrap_array(i.astype(np.int64)) for i in np.nonzero(np.atleast_1d(data)))
    return wrap_array(np.argwhere(data).astype(np.int64))


def argwhere(input: Tensor) -> Tensor:
    """``nonzero(input)``."""
    return nonzero(input)


TENSOR_METHODS = {
    "index_select": _method(index_select, "index", 2),
    "gather": _method(gather, "index", 2),
    "masked_select": _method(masked_select, "mask", 1),
    "take": _method(take, "index", 1),
    "nonzero": nonzero,
    "argwhere": argwhere,
}
