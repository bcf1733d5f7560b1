"""Python data -> ndarray for ``tensor()``/``as_tensor()``, with PyTorch's dtype inference.

Nested lists/tuples of numbers, bools, NumPy scalars and one-element Tensors, NumPy arrays and
scalars are accepted. Python floats give the default dtype, ints int64, bools bool; NumPy
values and Tensors keep their dtype; mixed leaves promote as PyTorch promotes. Ragged or
unsupported input raises PyTorch's error.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from .. import dtypes
from .._tensor.tensor import Tensor
from ..dtypes import cast

__all__ = ["array_from_data", "check_ndarray", "type_name", "checked_cast", "cast"]

_SUPPORTED = frozenset(d.numpy_dtype for d in dtypes.ALL_DTYPES)
_I64 = np.dtype(np.int64)
_F64 = np.dtype(np.float64)
_F32, _F16 = np.dtype(np.float32), np.dtype(np.float16)
_BOOL = np.dtype(np.bool_)
_SEQ = (list, tuple, range)
_PLAIN = frozenset((builtins.float, builtins.int, builtins.bool))


def type_name(x: Any) -> str:
    """The type name PyTorch's errors show (``float``, ``numpy.float64``, ``Tensor``)."""
    t = type(x)
    return f"numpy.{t.__name__}" if t.__module__ == "numpy" else t.__name__


def check_ndarray(arr: np.ndarray) -> None:
    """Raise PyTorch's errors for arrays a tensor cannot wrap."""
    dt = arr.dtype
    if dt in _SUPPORTED:
        return
    if dt.byteorder not in "=|" and dt.newbyteorder("=") in _SUPPORTED:
        raise ValueError(
            "given numpy array has byte order different from the native byte order. "
            "Conversion between byte orders is currently not supported."
        )
    raise TypeError(
        f"can't convert np.ndarray of type numpy.{dt.type.__name__}. The only supported types are: "
        "float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
    )


def _promote(a: np.dtype | None, b: np.dtype) -> np.dtype:
    """PyTorch's promote_types: bool < integers < floats; an integer never widens a float."""
    if a is None or a == b:
        return b
    ka, kb = a.kind, b.kind
    if ka == "b":
        return b
    if kb == "b":
        return a
    if ka == "f" or kb == "f":
        if ka == "f" and kb == "f":
            return a if a.itemsize >= b.itemsize else b
        return a if ka == "f" else b
    return np.promote_types(a, b)


def checked_cast(arr: np.ndarray, target: np.dtype) -> np.ndarray:
    """Cast values read from Python data, raising where PyTorch reports an overflow."""
    if arr.dtype == target:
        return arr
    if target.kind in "iu" and arr.dtype.kind != "b":
        info = np.iinfo(target)
        with np.errstate(invalid="ignore"):
            if arr.dtype.kind == "f":
                # c10's check is `f > max`; for int64 max rounds up to 2**63, still out of range.
                bad = ~np.isfinite(arr) | (arr < info.min) | (arr > info.max) | (arr >= 2.0**63)
            elif target.kind == "u":  # negative ints wrap (two's complement), as in PyTorch
                bad = (arr > info.max) | (arr < -int(info.max))
            else:
                bad = (arr < info.min) | (arr > info.max)
        if bad.any():
            raise RuntimeError(f"value cannot be converted to type {target.name} without overflow")
    if target == _BOOL:
        return arr != 0
    return cast(arr, target)


def _shape_of(data: Any) -> list[int]:
    shape: list[int] = []
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    x = data
    while True:
        if isinstance(x, np.ndarray):
            shape.extend(x.shape)
            return shape
        if isinstance(x, str):
            raise ValueError("too many dimensions 'str'")
        if not isinstance(x, _SEQ):
            return shape
        shape.append(len(x))
        if not len(x):
            return shape
        x = x[0]


def _mismatch(expected: list[int], got: tuple, dim: int) -> ValueError:
    for d, (e, g) in enumerate(zip(expected, got)):
        if e != g:
            return ValueError(f"expected sequence of length {e} at dim {dim + d} (got {g})")
    return ValueError(f"expected sequence of length {expected[len(got)]} at dim {dim + len(got)} (got 0)")


def _collect(data: Any, shape: list[int]) -> tuple[list, set, list]:
    """Flatten rectangular nested data into leaves, their types, and any arrays' dtypes."""
    ndim = len(shape)
    leaves: list = []
    types: set = set()
    array_dtypes: list = []

    def store(obj: Any, d: int) -> None:
        if isinstance(obj, np.ndarray) and obj.ndim:
            if list(obj.shape) != shape[d:]:
                raise _mismatch(shape[d:], obj.shape, d)
            check_ndarray(obj)
            array_dtypes.append(obj.dtype)
            leaves.extend(obj.ravel().tolist())
            return
        if not isinstance(obj, _SEQ):
            raise TypeError("not a sequence")
        if len(obj) != shape[d]:
            raise ValueError(f"expected sequence of length {shape[d]} at dim {d} (got {len(obj)})")
        if d + 1 == ndim:
            leaves.extend(obj)
            types.update(map(type, obj))
        else:
            for item in obj:
                store(item, d + 1)

    store(data, 0)
    return leaves, types, array_dtypes


def _leaf_dtype(t: type) -> np.dtype | None:
    """The dtype a leaf of type ``t`` implies; None for types resolved per element."""
    if t is builtins.float:
        return dtypes.get_default_dtype().numpy_dtype
    if t is builtins.int:
        return _I64
    if t is builtins.bool:
        return _BOOL
    if issubclass(t, np.generic):
        if issubclass(t, (np.str_, np.bytes_)):
            raise TypeError("new(): invalid data type 'str'")
        dt = np.dtype(t)
        if dt not in _SUPPORTED:
            raise TypeError(f"can't convert numpy.{t.__name__}: autograd_kit has no such dtype")
        return dt
    if t is str:
        raise TypeError("new(): invalid data type 'str'")
    if t is np.ndarray or issubclass(t, Tensor):  # 0-d arrays and Tensors: per element
        return None
    if t in _SEQ:
        return None  # reported once the dtype is known (the message depends on it)
    raise RuntimeError(f"Could not infer dtype of {t.__name__}")


def _from_leaves(leaves: list, types: set, array_dtypes: list) -> tuple[list, np.dtype]:
    natural = None
    for dt in array_dtypes:
        natural = _promote(natural, dt)
    special = [t for t in types if _leaf_dtype(t) is None]
    for t in types:
        dt = _leaf_dtype(t)
        if dt is not None:
            natural = _promote(natural, dt)
    if special:
        values = []
        for x in leaves:
            if isinstance(x, _SEQ):
                continue
            if isinstance(x, (np.ndarray, Tensor)):
                arr = x if isinstance(x, np.ndarray) else x._data
                if arr.size != 1:
                    raise ValueError("only one element tensors can be converted to Python scalars")
                natural = _promote(natural, arr.dtype)
                x = arr.reshape(()).item()
            values.append(x)
        nested = next((x for x in leaves if isinstance(x, _SEQ)), None)
        if nested is not None:
            tn = type(nested).__name__
            if natural is not None and natural.kind == "f":
                raise TypeError(f"must be real number, not {tn}")
            raise TypeError(f"'{tn}' object cannot be interpreted as an integer")
        leaves = values
    if natural is None:
        natural = dtypes.get_default_dtype().numpy_dtype
    return leaves, natural


def _plain_types(data: list | tuple) -> set | None:
    """Leaf types of a flat or 2-d rectangular list of Python numbers; None for anything else."""
    first = data[0]
    if type(first) is list or type(first) is tuple:
        n, types = len(first), set()
        for row in data:
            if (type(row) is not list and type(row) is not tuple) or len(row) != n:
                return None
            types.update(map(type, row))
    else:
        types = set(map(type, data))
    return types if types and types <= _PLAIN else None


def _build(leaves: Any, natural: np.dtype, dtype: np.dtype | None) -> np.ndarray:
    # Floats are read as float64 (what a Python float is), then rounded once to the target.
    try:
        arr = np.array(leaves, dtype=_F64 if natural.kind == "f" else natural)
    except OverflowError:
        raise ValueError("Overflow when unpacking long long") from None
    return checked_cast(arr, dtype or natural)


def array_from_data(data: Any, dtype: np.dtype | None) -> np.ndarray:
    """A new ndarray holding ``data`` (never sharing memory with it)."""
    if isinstance(data, np.ndarray):
        check_ndarray(data)
        return cast(data, dtype or data.dtype)
    if isinstance(data, Tensor):
        return cast(data._data, dtype or data._data.dtype)
    if type(data) in _PLAIN:
        types = {type(data)}
    elif (type(data) is list or type(data) is tuple) and data:
        types = _plain_types(data)
    else:
        types = None
    if types is not None:  # fast path: a Python number, or numbers in one or two levels
        if builtins.float in types:
            natural = dtypes.get_default_dtype().numpy_dtype
        else:
            natural = _I64 if builtins.int in types else _BOOL
        return _build(data, natural, dtype)
    shape = _shape_of(data)
    if 0 in shape:  # PyTorch checks nothing past an empty dimension
        return np.empty(shape, dtype=dtype or dtypes.get_default_dtype().numpy_dtype)
    if shape:
        leaves, types, array_dtypes = _collect(data, shape)
    else:
        leaves, types, array_dtypes = [data], {type(data)}, []
    leaves, natural = _from_leaves(leaves, types, array_dtypes)
    return _build(leaves, natural, dtype).reshape(shape)
