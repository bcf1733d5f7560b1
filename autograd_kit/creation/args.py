"""Argument parsing shared by the tensor factories: sizes, dtypes, devices, numbers, with the
error messages PyTorch's argument parser gives."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import dtypes
from .._tensor.tensor import Tensor, wrap_array
from ..dtypes import cast_type_name, scalar_type_name
from .from_data import type_name

__all__ = [
    "np_dtype",
    "check_common",
    "index",
    "size_from_varargs",
    "size_from_arg",
    "number",
    "int_arg",
    "finish",
    "like",
    "default_float",
    "fill_value",
    "float_only",
    "named",
]

I64, BOOL = np.dtype(np.int64), np.dtype(np.bool_)
_F16 = np.dtype(np.float16)
_PY_DTYPES = {float: np.dtype(np.float64), int: I64, bool: BOOL}


def np_dtype(fn: str, dtype: Any) -> np.dtype | None:
    """The NumPy dtype for a ``dtype=`` argument (ours, or Python float/int/bool)."""
    if dtype is None:
        return None
    if type(dtype) is dtypes.dtype:
        return dtype.numpy_dtype
    if type(dtype) is type and dtype in _PY_DTYPES:
        return _PY_DTYPES[dtype]  # PyTorch maps Python float to float64, not the default
    raise TypeError(f"{fn}(): argument 'dtype' must be torch.dtype, not {type_name(dtype)}")


def check_common(fn: str, device: Any, out: Any) -> None:
    """Reject ``out=`` and any device but the CPU."""
    if out is not None:
        raise TypeError(f"{fn}(): out= is not supported by autograd_kit; use the returned tensor")
    if device is not None and device != "cpu":
        name = str(device)
        if name != "cpu" and not name.startswith("cpu:"):
            raise RuntimeError(f"{fn}(): autograd_kit only runs on the CPU, got device='{name}'")


def index(x: Any, allow_bool: bool = True) -> int | None:
    """``x`` as an int where PyTorch accepts it as one (ints, NumPy ints, integer tensors)."""
    t = type(x)
    if t is int:
        return x
    if t is bool or isinstance(x, np.bool_):
        return int(x) if allow_bool else None
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, Tensor) and x._data.dtype.kind in "iu" and x._data.size == 1:
        return int(x._data.reshape(()).item())
    return None


def _dims(fn: str, seq: Any, single: bool, pos: int = 1) -> tuple[int, ...]:
    dims = []
    for i, d in enumerate(seq):
        v = d if type(d) is int else index(d, allow_bool=i > 0)
        if v is None:
            if i:
                raise TypeError(
                    f"{fn}(): argument 'size' failed to unpack the object at pos {i + 1} with error "
                    f'"type must be tuple of ints,but got {type_name(d)}"'
                )
            if single:
                raise TypeError(
                    f"{fn}(): argument 'size' (position {pos}) must be tuple of ints, but found "
                    f"element of type {type_name(d)} at pos 0"
                )
            raise TypeError(f"{fn}() takes 1 positional argument but {len(seq)} were given")
        dims.append(v)
    for d in dims:
        if d < 0:
            if fn == "zeros":  # PyTorch 2.13 words this one differently
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(f"Trying to create tensor with negative dimension {d}: {dims}")
    return tuple(dims)


def size_from_varargs(fn: str, sizes: tuple, size: Any) -> tuple[int, ...]:
    """Parse ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])``, ``f(Size)`` or ``f(size=(2, 3))``."""
    if size is not None:
        if sizes:
            raise TypeError(f"{fn}() got multiple values for argument 'size'")
        if not isinstance(size, (tuple, list)):
            raise TypeError(f"{fn}(): argument 'size' must be tuple of ints, not {type_name(size)}")
        return _dims(fn, size, True)
    if len(sizes) == 1:
        s = sizes[0]
        if isinstance(s, (tuple, list)):
            return _dims(fn, s, True)
        if index(s, allow_bool=False) is None:
            raise TypeError(f"{fn}(): argument 'size' (position 1) must be tuple of ints, not {type_name(s)}")
    elif not sizes:
        raise TypeError(f'{fn}() missing 1 required positional arguments: "size"')
    return _dims(fn, sizes, False)


def size_from_arg(fn: str, size: Any, pos: int) -> tuple[int, ...]:
    """A size given as one tuple/list argument (full, randint)."""
    if not isinstance(size, (tuple, list)):
        raise TypeError(
            f"{fn}(): argument 'size' (position {pos}) must be tuple of ints, not {type_name(size)}"
        )
    return _dims(fn, size, True, pos)


def number(fn: str, name: str, pos: int, x: Any) -> int | float | bool:
    """A real Python number from a number, NumPy scalar or one-element tensor."""
    if isinstance(x, (int, float, np.integer, np.floating, np.bool_)):
        return x.item() if isinstance(x, np.generic) else x
    if isinstance(x, Tensor) and x._data.size == 1 and x._data.dtype.kind in "biuf":
        return x._data.reshape(()).item()
    raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be Number, not {type_name(x)}")


def int_arg(fn: str, name: str, pos: int, x: Any) -> int:
    """An int argument (bools rejected, as PyTorch does)."""
    v = index(x, allow_bool=False)
    if v is None:
        raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be int, not {type_name(x)}")
    return v


def finish(arr: np.ndarray, requires_grad: bool) -> Tensor:
    """Wrap a fresh array; ``requires_grad`` goes through the Tensor setter (its dtype check)."""
    t = wrap_array(arr)
    if requires_grad:
        t.requires_grad = True
    return t


def like(fn: str, input: Any, dtype: Any, device: Any) -> tuple[tuple, np.dtype]:
    """Shape and dtype for a ``*_like`` factory."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not {type_name(input)}")
    check_common(fn, device, None)
    return input._data.shape, np_dtype(fn, dtype) or input._data.dtype


def default_float() -> np.dtype:
    """The NumPy dtype of the default floating dtype."""
    return dtypes.get_default_dtype().numpy_dtype


# Keyed by dtype object: dtype.name builds a new string on every access (slow on a hot path).
_INT_RANGE = {
    np.dtype(d): (int(np.iinfo(d).min), int(np.iinfo(d).max)) for d in ("i1", "i2", "i4", "i8", "u1")
}
_FLOAT_MAX = {np.dtype(d): float(np.finfo(d).max) for d in ("f2", "f4", "f8")}


def fill_value(value: Any, dt: np.dtype) -> Any:
    """A fill value converted to ``dt``, with PyTorch's overflow check."""
    kind = dt.kind
    if kind == "f":
        if abs(value) <= _FLOAT_MAX[dt] or not math.isfinite(value):
            # c10::Half is built from a float: round to float32 first, as PyTorch does.
            return np.float32(value) if dt == _F16 else value
    elif kind == "b":
        return bool(value)
    else:
        lo, hi = _INT_RANGE[dt]
        if isinstance(value, float):
            ok = math.isfinite(value) and lo <= value <= hi
        else:  # unsigned targets accept negatives down to -max (they wrap), as in PyTorch
            ok = value <= hi and (value >= lo or (kind == "u" and -value <= hi))
        if ok:
            return int(value) % (hi + 1) if kind == "u" else int(value)
    raise RuntimeError(f"value cannot be converted to type {cast_type_name(dt)} without overflow")


def float_only(dt: np.dtype, kernel: str) -> None:
    """PyTorch's NotImplementedError for a floating-only kernel asked for another dtype."""
    if dt.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(dt)}'")


def named(fn: Any, name: str, doc: str) -> Any:
    """``fn`` (made by a factory that builds several public functions) as ``name`` with ``doc``."""
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn
