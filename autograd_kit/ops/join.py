"""Joining and splitting tensors: cat, stack, split, chunk, unbind, and repeat.

cat/stack take any number of tensors (one op class per arity, cached); split/chunk/unbind return
several views recorded on one multi-output node (SplitBackward0, UnbindBackward0), as in PyTorch.
"""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from .._tensor.tensor import Tensor, wrap_array, wrap_dim
from ..dtypes import result_numpy_dtype
from ..graph.function import BuiltinFunction, Function
from .indexing import narrow, select

__all__ = ["cat", "concat", "concatenate", "stack", "split", "chunk", "unbind"]


def _check_list(op: str, tensors: Any) -> list:
    if isinstance(tensors, Tensor) or not isinstance(tensors, (tuple, list)):
        raise TypeError(
            f"{op}(): argument 'tensors' (position 1) must be tuple of Tensors, not {type(tensors).__name__}"
        )
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    return list(tensors)


def _common_dtype(arrays: list) -> Any:
    first = arrays[0].dtype
    if all(a.dtype == first for a in arrays):
        return None
    return result_numpy_dtype(tuple(arrays))


class _Joined(BuiltinFunction):
    """Base of the per-arity cat/stack classes: operands are ``tensors0..tensors{n-1}``."""

    ctx_attributes = ("dim",)  # PyTorch's CatBackward0/StackBackward0 show _saved_dim; the rest is ours

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        dim = ctx.dim
        if ctx._stacked:
            if isinstance(grad, Tensor):
                return tuple([select(grad, dim, i) for i in range(ctx._count)])
            lead = (slice(None),) * dim
            return tuple([grad[(*lead, i, Ellipsis)] for i in range(ctx._count)])
        bounds = ctx._bounds
        if isinstance(grad, Tensor):
            return tuple(
                [narrow(grad, dim, lo, hi - lo) for lo, hi in zip((0, *bounds), (*bounds, grad.shape[dim]))]
            )
        return tuple(np.split(grad, bounds, axis=dim))


def _cat_forward(ctx: Any, *args: Any) -> np.ndarray:
    *arrays, dim, dtype = args
    ctx.dim, ctx._stacked = dim, False
    ctx._bounds = np.cumsum([a.shape[dim] for a in arrays[:-1]]).tolist()
    return np.concatenate(arrays, axis=dim, dtype=dtype)


def _stack_forward(ctx: Any, *args: Any) -> np.ndarray:
    *arrays, dim, dtype = args
    ctx.dim, ctx._stacked, ctx._count = dim, True, len(arrays)
    return np.stack(arrays, axis=dim, dtype=dtype)


# The per-arity classes are made on first use, so their derivatives live here, by kind; the widgets
# also read them to name a CatBackward0/StackBackward0 drawn before any cat/stack ran.
JOINED_FORMULAS = {
    "Cat": "grad_tensors[i] = grad sliced back to tensor i's part along dim",
    "Stack": "grad_tensors[i] = grad.select(dim, i)",
}

_CLASSES: dict = {}


def _op_class(name: str, n: int) -> type:
    cls = _CLASSES.get((name, n))
    if cls is None:
        forward = _cat_forward if name == "Cat" else _stack_forward
        namespace = {
            "operands": tuple(f"tensors{i}" for i in range(n)),
            "forward": staticmethod(forward),
            "formula": JOINED_FORMULAS[name],
            "__module__": __name__,
        }
        cls = _CLASSES[(name, n)] = type(name, (_Joined,), namespace)
    return cls


def cat(tensors: Any, dim: int = 0) -> Tensor:
    """Concatenate tensors along an existing dim ``dim``."""
    tensors = _check_list("cat", tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t._data.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    # PyTorch still skips legacy empty 1-D tensors when the others have more dims.
    kept = [t for t in tensors if t._data.shape != (0,)] or tensors[:1]
    ref = kept[0]._data.shape
    d = wrap_dim(dim, len(ref))
    for t in kept:
        shape = t._data.shape
        if len(shape) != len(ref):
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {len(ref)} and {len(shape)}"
            )
        for j, (a, b) in enumerate(zip(ref, shape)):
            if j != d and a != b:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size {a} but got "
                    f"size {b} for tensor number {next(i for i, u in enumerate(tensors) if u is t)} in the list."
                )
    arrays = [t._data for t in kept]
    return _op_class("Cat", len(kept)).apply(*kept, d, _common_dtype(arrays))


concat = concatenate = cat


def stack(tensors: Any, dim: int = 0) -> Tensor:
    """Join tensors of equal shape along a new dim ``dim``."""
    tensors = _check_list("stack", tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    ref = tensors[0]._data.shape
    d = wrap_dim(dim, len(ref) + 1)
    for i, t in enumerate(tensors):
        if t._data.shape != ref:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(ref)} at entry 0 and "
                f"{list(t._data.shape)} at entry {i}"
            )
    return _op_class("Stack", len(tensors)).apply(*tensors, d, _common_dtype([t._data for t in tensors]))


class _Pieces(Function):
    """Several views of one input on one node (Tensors in and out, like a custom Function)."""

    @classmethod
    def run(cls, x: Tensor, *args: Any) -> tuple:
        outs = cls.apply(x, *args)
        base = x._base if x._base is not None else x
        for out in outs:
            out._vc = x._vc
            out._base = base
        return outs

    @staticmethod
    def backward(ctx: Any, *grads: Any) -> tuple:
        return ctx.join(list(grads), ctx.dim), None, None


class Split(_Pieces):
    node_name = "SplitBackward0"
    formula = "grad_self = cat(grads, dim)"
    aten_name = "aten::split"

    @staticmethod
    def forward(ctx: Any, x: Tensor, dim: int, bounds: list) -> tuple:
        ctx.dim, ctx.join = dim, cat
        return tuple([wrap_array(p) for p in np.split(x._data, bounds, axis=dim)])


class SplitWithSizes(Split):
    node_name = "SplitWithSizesBackward0"
    aten_name = "aten::split_with_sizes"


class Unbind(_Pieces):
    node_name = "UnbindBackward0"
    formula = "grad_self = stack(grads, dim)"
    aten_name = "aten::unbind"

    @staticmethod
    def forward(ctx: Any, x: Tensor, dim: int, count: int) -> tuple:
        ctx.dim, ctx.join = dim, stack
        lead = (slice(None),) * dim
        return tuple([wrap_array(x._data[(*lead, i, Ellipsis)]) for i in range(count)])


def _split_dim(op: str, t: Tensor, dim: int) -> tuple:
    shape = t._data.shape
    if not shape:
        raise RuntimeError(f"{op} expects at least a 1-dimensional tensor")
    d = wrap_dim(dim, len(shape))
    return d, shape[d]


def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple:
    """Views of ``split_size``-long pieces along ``dim`` (or of the given section sizes)."""
    if isinstance(split_size_or_sections, (tuple, list)):
        sizes = [operator.index(s) for s in split_size_or_sections]
        d, n = _split_dim("split_with_sizes", tensor, dim)
        if any(s < 0 for s in sizes):
            raise RuntimeError(
                f"split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes={sizes}"
            )
        if sum(sizes) != n:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at "
                f"dimension {d}), but got split_sizes={sizes}"
            )
        return SplitWithSizes.run(tensor, d, np.cumsum(sizes[:-1]).tolist())
    size = operator.index(split_size_or_sections)
    d, n = _split_dim("split", tensor, dim)
    if size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={size}")
    if size == 0 and n:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
    return Split.run(tensor, d, list(range(size, n, size)) if size else [])


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple:
    """Split into ``chunks`` pieces of equal size (the last may be smaller, or fewer pieces)."""
    chunks = operator.index(chunks)
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d, n = _split_dim("chunk", input, dim)
    if n == 0:
        return Split.run(input, d, [0] * (chunks - 1))
    return split(input, math.ceil(n / chunks), d)


def unbind(input: Tensor, dim: int = 0) -> tuple:
    """All slices along ``dim``, as a tuple of views without that dim."""
    shape = input._data.shape
    if not shape:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = wrap_dim(dim, len(shape))
    return Unbind.run(input, d, shape[d])


class Repeat(BuiltinFunction):
    operands = ("self",)
    formula = "grad_self = grad.reshape(r0, s0, r1, s1, ...).sum(the r dims)   (the copies' gradients summed)"
    ctx_attributes = ("repeats", "self_sym_sizes")

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, repeats: tuple) -> np.ndarray:
        ctx.repeats, ctx.self_sym_sizes = repeats, x.shape
        return np.tile(x, repeats)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        repeats, shape = ctx.repeats, ctx.self_sym_sizes
        padded = (1,) * (len(repeats) - len(shape)) + shape
        pairs = tuple(v for r, s in zip(repeats, padded) for v in (r, s))
        axes = tuple(range(0, len(pairs), 2))
        grad = grad.reshape(pairs)
        summed = grad.sum(dim=axes) if isinstance(grad, Tensor) else grad.sum(axis=axes)
        return summed.reshape(shape)


def repeat(self: Tensor, *repeats: Any) -> Tensor:
    """Tile the tensor ``repeats[i]`` times along each dim (leading new dims allowed)."""
    if len(repeats) == 1 and isinstance(repeats[0], (tuple, list)):
        repeats = repeats[0]
    repeats = tuple([operator.index(r) for r in repeats])
    shape = self._data.shape
    if len(repeats) < len(shape):
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor"
        )
    padded = (1,) * (len(repeats) - len(shape)) + shape
    out = [r * s for r, s in zip(repeats, padded)]
    for r, size in zip(repeats, out):
        if r < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {size}: {out}")
    return Repeat.apply(self, repeats)


TENSOR_METHODS = {
    "split": split,
    "chunk": chunk,
    "unbind": unbind,
    "repeat": repeat,
}
