"""Argument checks shared by the reduction and linear-algebra families: ``dim`` normalisation
and PyTorch's dtype spellings, so their errors read exactly as PyTorch's do.

(The pointwise/compare/conversion families have their own helpers in ``_argcheck.py``.)
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from .._tensor.tensor import Tensor, wrap_dim
from ._argcheck import cpp_type_name, scalar_type_name
from ._math import data  # noqa: F401  (the checks' users import it from here)

__all__ = ["reduce_dims", "single_dim", "scalar_name", "cpp_name", "data", "tensor_arg"]

# PyTorch's dtype spellings: _argcheck's tables, under the names these families import.
scalar_name, cpp_name = scalar_type_name, cpp_type_name


def tensor_arg(op: str, name: str, position: int, x: Any) -> None:
    """Raise PyTorch's TypeError when a Tensor argument is something else."""
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{op}(): argument '{name}' (position {position}) must be Tensor, not {type(x).__name__}"
        )


def reduce_dims(op: str, dim: Any, ndim: int) -> tuple:
    """Normalise ``dim`` (None, an int or a sequence of ints) to wrapped axes; None and ``()``
    mean every dim, as in PyTorch. A 0-d input reduces over no axis."""
    if dim is None:
        return tuple(range(ndim))
    if type(dim) is int and 0 <= dim < ndim:  # the common case, without the general checks
        return (dim,)
    if isinstance(dim, (int, np.integer)) and not isinstance(dim, (bool, np.bool_)):
        d = wrap_dim(int(dim), ndim)
        return (d,) if ndim else ()
    if not isinstance(dim, (tuple, list)):
        raise TypeError(
            f"{op}(): argument 'dim' (position 1) must be tuple of ints, not {type(dim).__name__}"
        )
    if not dim:
        return tuple(range(ndim))
    axes: list[int] = []
    for pos, d in enumerate(dim, 1):
        try:
            i = operator.index(d)
        except TypeError:
            raise TypeError(
                f"{op}(): argument 'dim' failed to unpack the object at pos {pos} with error "
                f'"type must be tuple of ints,but got {type(d).__name__}"'
            ) from None
        w = wrap_dim(i, ndim)
        if w in axes:
            raise RuntimeError(f"dim {w} appears multiple times in the list of dims")
        axes.append(w)
    return tuple(axes) if ndim else ()


def single_dim(op: str, dim: Any, ndim: int) -> int | tuple:
    """Normalise one required ``dim``; a 0-d input gives ``()`` (NumPy's 'no axis')."""
    if type(dim) is int and 0 <= dim < ndim:
        return dim
    if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{op}(): argument 'dim' (position 1) must be int, not {type(dim).__name__}")
    d = wrap_dim(int(dim), ndim)
    return d if ndim else ()
