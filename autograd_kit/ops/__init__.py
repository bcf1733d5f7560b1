"""Built-in ops by family; each family lists its module functions in ``__all__`` and the Tensor
methods it provides in ``TENSOR_METHODS``, which ``install_methods`` attaches to ``Tensor``."""

from __future__ import annotations

from .._tensor.tensor import Tensor
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

__all__ = ["FAMILIES", "install_methods"]

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


def install_methods() -> None:
    """Attach every family's methods to ``Tensor`` (called once on import)."""
    for family in FAMILIES:
        for name, fn in family.TENSOR_METHODS.items():
            setattr(Tensor, name, getattr(fn, "tensor_method", fn))


install_methods()
