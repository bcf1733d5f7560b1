"""Shape ops that keep the element order: reshape/view, flatten, squeeze/unsqueeze, expand.

All of them return views when the layout allows (sharing data and the version counter with
their input, as PyTorch's do), and their backward is a reshape or a broadcast-sum of the grad.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from .._tensor.tensor import Tensor, wrap_dim
from ..dtypes import from_numpy_dtype
from ..graph.function import BuiltinFunction

__all__ = ["reshape", "flatten", "unflatten", "squeeze", "unsqueeze", "broadcast_to"]


def _sizes(op: str, args: tuple) -> tuple:
    """``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])`` all give ``(2, 3)``."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    out = []
    for i, s in enumerate(args):
        try:
            out.append(operator.index(s))
        except TypeError:
            raise TypeError(
                f"{op}(): argument 'size' must be tuple of ints, but found element of type "
                f"{type(s).__name__} at pos {i}"
            ) from None
    return tuple(out)


def wrap_dims(dims: Any, ndim: int) -> tuple:
    """Wrap an int or a sequence of dims, rejecting repeats with PyTorch's message."""
    if not isinstance(dims, (tuple, list)):
        dims = (dims,)
    out = tuple([wrap_dim(operator.index(d), ndim) for d in dims])
    if len(set(out)) != len(out):
        seen = set()
        dup = next(d for d in out if d in seen or seen.add(d))
        raise RuntimeError(f"dim {dup} appears multiple times in the list of dims")
    return out


def infer_size(shape: tuple, numel: int) -> tuple:
    """Resolve one -1 in ``shape`` against ``numel`` with PyTorch's errors."""
    infer = -1
    known = 1
    for i, s in enumerate(shape):
        if s == -1:
            if infer >= 0:
                raise RuntimeError("only one dimension can be inferred")
            infer = i
        elif s < 0:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {list(shape)}")
        else:
            known *= s
    if infer < 0:
        if known != numel:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        return shape
    if known == 0:
        if numel == 0:
            raise RuntimeError(
                f"cannot reshape tensor of 0 elements into shape {list(shape)} because the "
                "unspecified dimension size -1 can be any value and is ambiguous"
            )
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    if numel % known:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape[:infer] + (numel // known,) + shape[infer + 1 :]


class View(BuiltinFunction):
    """A reshape that aliases the input (the caller checked that no copy is needed)."""

    operands = ("self",)
    formula = "grad_self = grad.reshape(self.shape)"
    ctx_attributes = ("self_sym_sizes",)
    is_view = True

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, shape: tuple) -> np.ndarray:
        ctx.self_sym_sizes = x.shape
        return x.reshape(shape)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad.reshape(ctx.self_sym_sizes)


class Reshape(View):
    node_name = "ViewBackward0"
    aten_name = "aten::reshape"


class ReshapeAlias(View):
    """reshape of a non-contiguous layout that a view can still express."""

    aten_name = "aten::_reshape_alias"


class UnsafeView(View):
    """reshape of a layout no view can express: PyTorch copies, then records _unsafe_view."""

    is_view = False
    aten_name = "aten::_unsafe_view"


class Squeeze(View):
    aten_name = "aten::squeeze"


class SqueezeDim(Squeeze):
    node_name = "SqueezeBackward1"
    formula = "grad_self = grad.unsqueeze(dim)"


class SqueezeDims(Squeeze):
    node_name = "SqueezeBackward2"
    formula = "grad_self = grad.unsqueeze at each of dims (= grad.reshape(self.shape))"


class Unsqueeze(View):
    aten_name = "aten::unsqueeze"
    formula = "grad_self = grad.squeeze(dim)"


def _viewable(data: np.ndarray, shape: tuple) -> bool:
    if data.flags.c_contiguous:
        return True
    try:
        np.reshape(data, shape, copy=False)
    except ValueError:
        return False
    return True


def view(self: Tensor, *shape: Any) -> Tensor:
    """A tensor with the same data and a new shape (no copy; one size may be -1)."""
    data = self._data
    shape = infer_size(_sizes("view", shape), data.size)
    if not _viewable(data, shape):
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one dimension "
            "spans across two contiguous subspaces). Use .reshape(...) instead."
        )
    return View.apply(self, shape)


def reshape(input: Tensor, *shape: Any) -> Tensor:
    """``input`` with a new shape: a view when the layout allows, else a copy."""
    data = input._data
    shape = infer_size(_sizes("reshape", shape), data.size)
    if data.flags.c_contiguous:
        return Reshape.apply(input, shape)
    return (ReshapeAlias if _viewable(data, shape) else UnsafeView).apply(input, shape)


def view_as(self: Tensor, other: Tensor) -> Tensor:
    """``self.view(other.shape)``."""
    return view(self, other._data.shape)


def reshape_as(self: Tensor, other: Tensor) -> Tensor:
    """``self.reshape(other.shape)``."""
    return reshape(self, other._data.shape)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims ``start_dim..end_dim`` into one."""
    shape = input._data.shape
    if not shape:  # the dims are still checked: a 0-d tensor accepts 0 and -1
        wrap_dim(start_dim, 0)
        wrap_dim(end_dim, 0)
        return reshape(input, (1,))
    start, end = wrap_dim(start_dim, len(shape)), wrap_dim(end_dim, len(shape))
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return input  # PyTorch returns the input itself here
    return reshape(input, shape[:start] + (-1,) + shape[end + 1 :])


def unflatten(input: Tensor, dim: int, sizes: Any) -> Tensor:
    """Split dim ``dim`` into ``sizes`` (one of which may be -1)."""
    shape = input._data.shape
    d = wrap_dim(dim, len(shape))
    sizes = _sizes("unflatten", (sizes,))
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    if sizes.count(-1) > 1:
        raise RuntimeError("unflatten: only one dimension can be inferred")
    try:
        sizes = infer_size(sizes, shape[d])
    except RuntimeError:
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {d} "
            f"({shape[d]}) in the input tensor"
        ) from None
    return View.apply(input, shape[:d] + sizes + shape[d + 1 :])  # splitting a dim is always a view


def squeeze(input: Tensor, dim: Any = None) -> Tensor:
    """Drop size-1 dims (all of them, or those among ``dim``)."""
    shape = input._data.shape
    if dim is None:
        return Squeeze.apply(input, tuple([s for s in shape if s != 1]))
    cls = SqueezeDims if isinstance(dim, (tuple, list)) else SqueezeDim
    if not shape:
        wrap_dims(dim, 0)
        return cls.apply(input, ())
    drop = wrap_dims(dim, len(shape))
    return cls.apply(input, tuple([s for i, s in enumerate(shape) if s != 1 or i not in drop]))


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Insert a size-1 dim at ``dim``."""
    shape = input._data.shape
    d = wrap_dim(dim, len(shape) + 1)
    return Unsqueeze.apply(input, shape[:d] + (1,) + shape[d:])


def check_expand(shape: tuple, sizes: tuple, type_name: str) -> tuple:
    """The shape ``expand(sizes)`` gives (-1 keeps a dim), with PyTorch's errors."""
    lead = len(sizes) - len(shape)
    if lead < 0:
        raise RuntimeError(
            f"expand(torch.{type_name}{{{list(shape)}}}, size={list(sizes)}): the number of sizes "
            f"provided ({len(sizes)}) must be greater or equal to the number of dimensions in the "
            f"tensor ({len(shape)})"
        )
    out = list(sizes)
    for i in range(len(sizes) - 1, -1, -1):  # PyTorch reports the last bad dim
        s = sizes[i]
        if i < lead:
            if s < 0:
                raise RuntimeError(
                    f"The expanded size of the tensor ({s}) isn't allowed in a leading, "
                    f"non-existing dimension {i}"
                )
            continue
        have = shape[i - lead]
        if s == -1:
            out[i] = have
        elif have != s and have != 1:
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({have}) at "
                f"non-singleton dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: {list(shape)}"
            )
    return tuple(out)


class Expand(BuiltinFunction):
    """Broadcast to a larger shape; the engine sums the gradient back to the input's shape."""

    operands = ("self",)
    formula = "grad_self = grad summed over the expanded dims"
    is_view = True

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, shape: tuple) -> np.ndarray:
        lead = len(shape) - x.ndim
        if all(s == 1 for s in shape[:lead]) and shape[lead:] == x.shape:
            return x.reshape(shape)  # nothing repeats, so the view may stay writable
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad


def _type_name(t: Tensor) -> str:
    return from_numpy_dtype(t._data.dtype).tensor_type


def expand(self: Tensor, *sizes: Any) -> Tensor:
    """A broadcast view with size-1 dims repeated to ``sizes`` (-1 keeps a dim)."""
    sizes = _sizes("expand", sizes)
    return Expand.apply(self, check_expand(self._data.shape, sizes, _type_name(self)))


def expand_as(self: Tensor, other: Tensor) -> Tensor:
    """``self.expand(other.shape)``."""
    return expand(self, other._data.shape)


def broadcast_to(input: Tensor, size: Any) -> Tensor:
    """``input.expand(size)``."""
    return expand(input, size)


TENSOR_METHODS = {
    "reshape": reshape,
    "view": view,
    "view_as": view_as,
    "reshape_as": reshape_as,
    "flatten": flatten,
    "unflatten": unflatten,
    "squeeze": squeeze,
    "unsqueeze": unsqueeze,
    "expand": expand,
    "expand_as": expand_as,
    "broadcast_to": broadcast_to,
}
