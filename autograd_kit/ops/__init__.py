"""Built-in ops by family; each family lists its module functions in ``__all__`` and the Tensor
methods it provides in ``TENSOR_METHODS``, which ``install_methods`` attaches to ``Tensor``."""

from __future__ import annotations

from ..tensor import Tensor
from . import arithmetic, compare, conversion, indexing, linalg, pointwise, reduction, shape

__all__ = ["FAMILIES", "install_methods"]

FAMILIES = (arithmetic, pointwise, compare, conversion, reduction, linalg, shape, indexing)


def install_methods() -> None:
    """Attach every family's methods to ``Tensor`` (called once on import)."""
    for family in FAMILIES:
        for name, fn in family.TENSOR_METHODS.items():
            setattr(Tensor, name, fn)


install_methods()
