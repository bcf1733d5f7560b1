"""What the engine does to a gradient between nodes: reduce a broadcast gradient to its input's
shape (``sum_to``), and tell whether it may become a leaf's ``.grad`` as it is (``must_copy``)."""

from __future__ import annotations

from sys import getrefcount
from typing import Any

import numpy as np

from .node import Node

__all__ = ["sum_to", "must_copy"]


def sum_to(g: Any, shape: tuple, node: Node | None = None, index: int = 0) -> Any:
    """Sum a broadcast gradient down to ``shape`` (works on arrays and on Tensors)."""
    gshape = g.shape
    lead = len(gshape) - len(shape)
    if lead == 1 and gshape[1:] == shape:  # a bias's gradient: one sum, no generators or reshape
        if len(gshape) == 2 and type(g) is np.ndarray and g.dtype in _BLAS_FLOATS:
            # ones @ g is BLAS's gemv: the same row-by-row float accumulation as g.sum(axis=0)
            # over C-ordered rows, at 2-3x its speed.
            return _ones(gshape[0], g.dtype) @ g
        return g.sum(axis=0)
    if lead < 0 or any(s != 1 and s != gs for s, gs in zip(shape, gshape[lead:])):
        owner = f" {node.name()}" if node is not None else ""
        raise RuntimeError(  # PyTorch's text
            f"Function{owner} returned an invalid gradient at index {index} - got {list(gshape)} but "
            f"expected shape compatible with {list(shape)}"
        )
    axes = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(shape) if s == 1 and gshape[lead + i] != 1
    )
    if axes:
        g = g.sum(axis=axes, keepdims=True)
    return g.reshape(shape) if lead else g


_BLAS_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_ONES: dict = {}


def _ones(n: int, dtype: np.dtype) -> np.ndarray:
    """A cached read-only vector of ``n`` ones (the left operand of a bias's gradient sum)."""
    ones = _ONES.get((n, dtype))
    if ones is None:
        if len(_ONES) > 64:
            _ONES.clear()
        ones = _ONES[(n, dtype)] = np.ones(n, dtype)
        ones.flags.writeable = False
    return ones


def must_copy(g: Any, incoming: int, outs: tuple) -> bool:
    """Whether ``g``, bound for a leaf, must be copied before it becomes the leaf's ``.grad``: it
    is the node's incoming gradient (id ``incoming``) passed through, a view of memory something
    else holds, or the same array the node sends to several inputs."""
    return id(g) == incoming or _shared_view(g) or _count(outs, g) > 1


def _count(outs: tuple, g: Any) -> int:
    n = 0
    for o in outs:
        if o is g:
            n += 1
    return n


def _shared_view(g: np.ndarray) -> bool:
    """A view that cannot become a leaf's .grad as it is: read-only, or its base is referenced
    elsewhere (2 = the view's own reference plus getrefcount's argument), as PyTorch steals a
    gradient buffer only when nothing else holds it."""
    if g.base is None:
        return False
    # No local name for the base: it would be one more reference.
    return not g.flags.writeable or getrefcount(g.base) > 2
