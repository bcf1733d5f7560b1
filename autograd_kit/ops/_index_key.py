"""Parse a ``tensor[key]`` index the way PyTorch does, with PyTorch's errors.

The key becomes two NumPy keys applied one after the other: ``basic`` (ints, slices, None: a
view, PyTorch's select/slice/unsqueeze) and ``adv`` (index arrays, on the dims of that view:
PyTorch's ``index``; a lone bool mask stays a mask, else masks become their nonzero() arrays). Ints are applied in the basic step even next to index arrays, which is
where PyTorch's result shapes differ from NumPy's one-step advanced indexing.
"""

from __future__ import annotations

import operator
import warnings
from typing import Any, NamedTuple

import numpy as np

from .._tensor.tensor import Tensor

__all__ = ["ParsedKey", "parse_key", "advanced_shape"]

_INT, _SLICE, _NONE, _ELL, _ARR, _MASK, _BOOL = range(7)
_ALL = slice(None)
_SINGLE_KIND = {_INT: "select", _SLICE: "slice", _NONE: "unsqueeze", _ELL: "alias"}
_SEQ_WARNING = (
    "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed in "
    "pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be interpreted as "
    "tensor index, x[torch.tensor(seq)], which will result either in an error or a different result"
)


class ParsedKey(NamedTuple):
    """``basic``: NumPy key for the view step (None to skip); ``adv``: NumPy key of index arrays
    for the second step (None for a view); ``kind``: the PyTorch op naming the node; ``ops``:
    whether the basic step does anything; ``shape``: the shape after the basic step."""

    basic: tuple | None
    adv: tuple | None
    kind: str
    ops: bool
    shape: tuple


def _array_item(arr: np.ndarray) -> tuple:
    kind = arr.dtype.kind
    if arr.dtype == np.uint8:
        warnings.warn(
            "indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead.",
            UserWarning,
            stacklevel=4,
        )
        arr, kind = arr.astype(bool), "b"
    if kind == "b":
        return (_BOOL, bool(arr)) if arr.ndim == 0 else (_MASK, arr)
    if kind in "iu":
        return (_INT, int(arr)) if arr.ndim == 0 else (_ARR, arr)
    raise IndexError("tensors used as indices must be long, int, byte or bool tensors")


def _classify(item: Any) -> tuple:
    t = type(item)
    if t is int:
        return _INT, item
    if t is slice:
        return _SLICE, item
    if item is None:
        return _NONE, None
    if item is Ellipsis:
        return _ELL, None
    if t is bool or t is np.bool_:
        return _BOOL, bool(item)
    if isinstance(item, (int, np.integer)):
        return _INT, operator.index(item)
    if isinstance(item, Tensor):
        return _array_item(item._data)
    if isinstance(item, np.ndarray):
        return _array_item(item)
    if isinstance(item, (list, tuple)):
        arr = np.asarray(item)
        if arr.size == 0:
            arr = arr.astype(np.int64)
        if arr.dtype.kind not in "biu":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return _array_item(arr)
    raise IndexError(
        "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid "
        f"indices (got {t.__name__})"
    )


def _items(key: Any) -> tuple:
    if type(key) is tuple:
        return key, False
    if isinstance(key, list) and len(key) < 32:
        for k in key:
            if k is None or k is Ellipsis or isinstance(k, (list, tuple, slice, Tensor, np.ndarray)):
                warnings.warn(_SEQ_WARNING, UserWarning, stacklevel=4)
                return tuple(key), False
    return (key,), True


def _slice_len(item: slice, size: int) -> tuple:
    step = item.step
    if step is not None:
        step = operator.index(step)
        if step == 0:
            raise ValueError("slice step cannot be zero")
        if step < 0:
            raise ValueError("step must be greater than zero")
    start, stop, step = item.indices(size)
    n = len(range(start, stop, step))
    return n, (start, stop, step) == (0, size, 1)


def parse_key(key: Any, shape: tuple) -> ParsedKey:
    """Validate ``key`` against ``shape`` and split it into PyTorch's basic and advanced steps."""
    items, single = _items(key)
    ndim = len(shape)
    conv = [_classify(it) for it in items]
    used = ellipses = 0
    for kind, val in conv:
        if kind == _INT or kind == _SLICE or kind == _ARR:
            used += 1
        elif kind == _MASK:
            used += val.ndim
        elif kind == _ELL:
            ellipses += 1
    if ellipses > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if used > ndim:
        if ndim == 0:
            first = next(k for k, _ in conv if k in (_INT, _SLICE, _ARR, _MASK))
            if first == _INT:
                raise IndexError(
                    "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                    "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
                )
            if first == _SLICE:
                raise IndexError("slice() cannot be applied to a 0-dim tensor.")
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    basic: list = []
    adv: list = []
    vshape: list = []
    masks: list = []
    dim = 0
    ops = has_adv = False
    last = "alias"
    for pos, (kind, val) in enumerate(conv):
        if kind == _INT:
            size = shape[dim]
            if not -size <= val < size:
                raise IndexError(f"index {val} is out of bounds for dimension {pos} with size {size}")
            basic.append(val)
            dim += 1
            ops, last = True, "select"
        elif kind == _SLICE:
            n, full = _slice_len(val, shape[dim])
            basic.append(val)
            adv.append(_ALL)
            vshape.append(n)
            dim += 1
            if not full:
                ops, last = True, "slice"
        elif kind == _NONE:
            basic.append(None)
            adv.append(_ALL)
            vshape.append(1)
            ops, last = True, "unsqueeze"
        elif kind == _ELL:
            n = ndim - used
            basic.extend([_ALL] * n)
            adv.extend([_ALL] * n)
            vshape.extend(shape[dim : dim + n])
            dim += n
        elif kind == _BOOL:  # x[True] is x[None][[0]]; x[False] is x[None][[]]
            basic.append(None)
            adv.append(np.zeros(int(val), np.intp))
            vshape.append(1)
            ops = has_adv = True
        elif kind == _ARR:
            basic.append(_ALL)
            adv.append(val)
            vshape.append(shape[dim])
            dim += 1
            has_adv = True
        else:
            k = val.ndim
            masks.append((len(adv), len(vshape), val))
            adv.append(None)  # replaced by the mask's nonzero() arrays below
            basic.extend([_ALL] * k)
            vshape.extend(shape[dim : dim + k])
            dim += k
            has_adv = True
    vshape.extend(shape[dim:])
    if not has_adv:
        kind = _SINGLE_KIND[conv[0][0]] if single else last
        return ParsedKey((*basic, Ellipsis), None, kind, ops, tuple(vshape))
    for _, vd, mask in masks:
        for j, s in enumerate(mask.shape):
            if vshape[vd + j] != s:
                raise IndexError(
                    f"The shape of the mask {list(mask.shape)} at index {j} does not match the shape "
                    f"of the indexed tensor {vshape} at index {vd + j}"
                )
    if len(masks) == 1 and sum(type(a) is not slice for a in adv) == 1:
        adv[masks[0][0]] = masks[0][2]  # a lone mask stays boolean: NumPy applies it faster
        return ParsedKey((*basic, Ellipsis) if ops else None, tuple(adv), "index", ops, tuple(vshape))
    for slot, _, mask in reversed(masks):
        adv[slot : slot + 1] = mask.nonzero()
    _check_arrays(adv, vshape)
    return ParsedKey((*basic, Ellipsis) if ops else None, tuple(adv), "index", ops, tuple(vshape))


def _check_arrays(adv: list, vshape: list) -> None:
    ordinal = 0
    shapes = []
    for i, a in enumerate(adv):
        if type(a) is slice:
            continue
        size = vshape[i]
        if a.size and (a.max() >= size or a.min() < -size):
            bad = a[(a >= size) | (a < -size)].flat[0]
            raise IndexError(f"index {bad} is out of bounds for dimension {ordinal} with size {size}")
        ordinal += 1
        shapes.append(a.shape)
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        listed = ", ".join(str(list(s)) for s in shapes)
        raise IndexError(
            f"shape mismatch: indexing tensors could not be broadcast together with shapes {listed}"
        ) from None


def advanced_shape(adv: tuple, vshape: tuple) -> tuple:
    """The shape of ``view[adv]`` for a view of shape ``vshape``, without computing it."""
    for i, a in enumerate(adv):
        if type(a) is not slice and a.dtype == np.bool_:  # a lone k-d mask: k dims -> its count
            return vshape[:i] + (int(np.count_nonzero(a)),) + vshape[i + a.ndim :]
    positions = [i for i, a in enumerate(adv) if type(a) is not slice]
    index_shape = np.broadcast_shapes(*[adv[i].shape for i in positions])
    if positions[-1] - positions[0] + 1 == len(positions):
        return vshape[: positions[0]] + index_shape + vshape[positions[-1] + 1 :]
    rest = tuple(s for i, s in enumerate(vshape) if i not in positions)
    return index_shape + rest
