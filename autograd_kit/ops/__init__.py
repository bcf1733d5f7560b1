"""Built-in ops by family; each family lists its module functions in ``__all__`` (exported from
the package root) and the Tensor methods it provides in ``TENSOR_METHODS`` (attached to
``Tensor`` by ``autograd_kit/_bindings.py``)."""

from __future__ import annotations

from . import (
    activation,
    addmm,
    arithmetic,
    clamp,
    compare,
    conversion,
    fill,
    gather,
    indexing,
    join,
    linalg,
    minmax,
    pointwise,
    power,
    prod,
    reduction,
    reorder,
    rounding,
    select,
    setitem,
    shape,
    softmax,
    stats,
)

__all__ = ["FAMILIES"]

FAMILIES = (
    arithmetic,
    power,
    pointwise,
    rounding,
    activation,
    clamp,
    select,
    fill,
    compare,
    conversion,
    reduction,
    prod,
    minmax,
    softmax,
    stats,
    linalg,
    addmm,
    shape,
    reorder,
    join,
    indexing,
    setitem,
    gather,
)
