"""Tensor factories (tensor, zeros, arange, rand, ...) with PyTorch's signatures, dtypes and errors.

Sizes are ints or one tuple/list/Size; ``dtype`` is an autograd_kit dtype or Python
float/int/bool (float means float64, as in PyTorch); ``device`` must be the CPU; ``out=`` is
not supported. Random factories draw from ``default_generator`` (see ``manual_seed``); other
modules draw from it through ``autograd_kit._random.numpy_rng()``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .. import dtypes
from .._tensor.tensor import Tensor, wrap_array
from ..random import Generator, default_generator, initial_seed, manual_seed, seed
from .args import (
    I64,
    check_common,
    default_float,
    finish,
    int_arg,
    like,
    named,
    np_dtype,
    number,
    size_from_arg,
    size_from_varargs,
)
from .args import fill_value as _fill
from .from_data import array_from_data, cast, check_ndarray, type_name
from .random import rand, rand_like, randint, randn, randn_like, randperm
from .ranges import arange, linspace, logspace

__all__ = [
    "tensor",
    "as_tensor",
    "from_numpy",
    "zeros",
    "ones",
    "full",
    "empty",
    "zeros_like",
    "ones_like",
    "full_like",
    "empty_like",
    "rand",
    "randn",
    "rand_like",
    "randn_like",
    "randint",
    "randperm",
    "arange",
    "linspace",
    "logspace",
    "eye",
    "is_tensor",
    "numel",
    "manual_seed",
    "initial_seed",
    "seed",
    "Generator",
    "default_generator",
]

_BOOL = np.dtype(np.bool_)
_COPY_WARNING = (
    "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
    "sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor)."
)


# --- from data ----------------------------------------------------------------------------
def tensor(data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data`` (nested sequences, scalars, arrays, tensors)."""
    np_dt = np_dtype("tensor", dtype)
    check_common("tensor", device, None)
    if isinstance(data, Tensor):
        warnings.warn(_COPY_WARNING, UserWarning, stacklevel=2)
    return finish(array_from_data(data, np_dt), requires_grad)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """``data`` as a tensor, sharing memory with a tensor or ndarray when the dtype allows."""
    np_dt = np_dtype("as_tensor", dtype)
    check_common("as_tensor", device, None)
    if isinstance(data, Tensor):
        if np_dt is None or np_dt == data._data.dtype:
            return data
        if data.requires_grad:
            return data.to(dtypes.from_numpy_dtype(np_dt))  # differentiable, as in PyTorch
        return wrap_array(cast(data._data, np_dt))
    if isinstance(data, np.ndarray):
        check_ndarray(data)
        if np_dt is None or np_dt == data.dtype:
            _warn_readonly(data)
            return wrap_array(data)
        return wrap_array(cast(data, np_dt))
    return wrap_array(array_from_data(data, np_dt))


def _warn_readonly(arr: np.ndarray) -> None:
    if not arr.flags.writeable:
        warnings.warn(
            "The given NumPy array is not writable, and autograd_kit does not support non-writable "
            "tensors: in-place operations on this tensor will fail. You may want to copy the array "
            "to protect its data or make it writable before converting it to a tensor.",
            UserWarning,
            stacklevel=3,
        )


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``ndarray`` (writes show in both)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type_name(ndarray)})")
    check_ndarray(ndarray)
    _warn_readonly(ndarray)
    return wrap_array(ndarray)


def is_tensor(obj: Any) -> bool:
    """True if ``obj`` is a Tensor."""
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> int:
    """Number of elements of ``input``."""
    if not isinstance(input, Tensor):
        raise TypeError(f"numel(): argument 'input' (position 1) must be Tensor, not {type_name(input)}")
    return input._data.size


# --- filled -----------------------------------------------------------------------------------
def _filled_factories(name: str, fill: Any, doc: str, like_doc: str) -> tuple:
    """``name`` and ``name_like`` (one body for zeros, ones and empty): ``fill(shape, dtype=...)``
    with the default float dtype, or the input's shape and dtype."""
    like_name = name + "_like"

    def sized(
        *sizes: Any,
        size: Any = None,
        out: Any = None,
        dtype: Any = None,
        device: Any = None,
        requires_grad: bool = False,
    ) -> Tensor:
        shape = size_from_varargs(name, sizes, size)
        check_common(name, device, out)
        return finish(fill(shape, dtype=np_dtype(name, dtype) or default_float()), requires_grad)

    def sized_like(
        input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        shape, dt = like(like_name, input, dtype, device)
        return finish(fill(shape, dtype=dt), requires_grad)

    return named(sized, name, doc), named(sized_like, like_name, like_doc)


zeros, zeros_like = _filled_factories(
    "zeros",
    np.zeros,
    "A tensor of zeros (default dtype float32).",
    "Zeros with the shape (and by default the dtype) of ``input``.",
)
ones, ones_like = _filled_factories(
    "ones",
    np.ones,
    "A tensor of ones (default dtype float32).",
    "Ones with the shape (and by default the dtype) of ``input``.",
)
empty, empty_like = _filled_factories(
    "empty",
    np.empty,
    "An uninitialised tensor (its values are arbitrary).",
    "An uninitialised tensor with the shape (and by default the dtype) of ``input``.",
)


def full(
    size: Any,
    fill_value: Any,
    *,
    out: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor filled with ``fill_value``; its dtype follows the value (bool, int64, float32)."""
    shape = size_from_arg("full", size, 1)
    value = number("full", "fill_value", 2, fill_value)
    check_common("full", device, out)
    dt = np_dtype("full", dtype)
    if dt is None:
        # PyTorch infers from the Python type; a NumPy bool counts as a plain number there.
        if type(value) is bool:
            dt = default_float() if isinstance(fill_value, np.bool_) else _BOOL
        else:
            dt = I64 if isinstance(value, int) else default_float()
    return finish(np.full(shape, _fill(value, dt), dtype=dt), requires_grad)


def full_like(
    input: Tensor, fill_value: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """``fill_value`` with the shape and (by default) the dtype of ``input``."""
    shape, dt = like("full_like", input, dtype, device)
    value = number("full_like", "fill_value", 2, fill_value)
    return finish(np.full(shape, _fill(value, dt), dtype=dt), requires_grad)


def eye(
    n: int,
    m: int | None = None,
    *,
    out: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """An ``n x m`` matrix with ones on the diagonal."""
    n = int_arg("eye", "n", 1, n)
    m = n if m is None else int_arg("eye", "m", 2, m)
    for name, v in (("n", n), ("m", m)):
        if v < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {v}")
    check_common("eye", device, out)
    return finish(np.eye(n, m, dtype=np_dtype("eye", dtype) or default_float()), requires_grad)
