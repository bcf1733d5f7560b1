"""The legacy typed constructors ``torch.FloatTensor``, ``LongTensor``, ... still found in old
notebooks: ``FloatTensor(2, 3)`` (zeros of that shape), ``FloatTensor([1, 2])`` (data), and
``isinstance(t, torch.FloatTensor)`` (a float32 tensor). Calling one returns a plain Tensor."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes as _dtype
from .._tensor.tensor import Size, Tensor
from ..ops._argcheck import type_name
from .random import C_TYPE_NAMES as _CTYPES

__all__ = [
    "HalfTensor",
    "FloatTensor",
    "DoubleTensor",
    "CharTensor",
    "ShortTensor",
    "IntTensor",
    "LongTensor",
    "ByteTensor",
    "BoolTensor",
]

_SIGNATURES = """ * (*, torch.device device = None)
 * (torch.Storage storage)
 * (Tensor other)
 * (tuple of ints size, *, torch.device device = None)
 * (object data, *, torch.device device = None)
"""


def _options(dt: _dtype.dtype) -> str:
    name = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int"}.get(
        dt.name, _CTYPES.get(dt.name, dt.name)
    )
    return (
        f"TensorOptions(dtype={name}, device=cpu, layout=Strided, requires_grad=false (default), "
        "pinned_memory=false (default), memory_format=(nullopt))"
    )


def _invalid_combination(args: tuple, kwargs: dict) -> TypeError:
    got = ", ".join([type_name(a) for a in args] + [f"{k}={type_name(v)}" for k, v in kwargs.items()])
    return TypeError(
        f"new() received an invalid combination of arguments - got ({got}), but expected one of:\n{_SIGNATURES}"
    )


def _is_int(x: Any) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


class tensortype(type):
    """The metaclass: calling the class builds a Tensor; ``isinstance`` checks the dtype."""

    dtype: _dtype.dtype

    def __instancecheck__(cls, other: Any) -> bool:
        return isinstance(other, Tensor) and other._data.dtype == cls.dtype.numpy_dtype

    def __repr__(cls) -> str:
        return f"<class 'torch.{cls.__name__}'>"

    def __call__(cls, *args: Any, **kwargs: Any) -> Tensor:
        """PyTorch's legacy ``new()``: sizes, data, or a tensor of the same dtype (aliased)."""
        from .._tensor.device import device
        from .factories import tensor, zeros

        device_arg = kwargs.pop("device", None)
        if kwargs:
            raise _invalid_combination(args, kwargs)
        if device_arg is not None and device(device_arg).type != "cpu":
            raise RuntimeError(
                f"legacy constructor expects device type: cpu but device type: {device(device_arg).type} was passed"
            )
        dt = cls.dtype
        if not args:
            return zeros(0, dtype=dt)
        first = args[0]
        if _is_int(first) or isinstance(first, Size):
            sizes = tuple(first) if not _is_int(first) else args
            for pos, s in enumerate(sizes, 1):
                if not _is_int(s):
                    raise TypeError(
                        f"new(): argument 'size' failed to unpack the object at pos {pos} with error "
                        f'"type must be tuple of ints,but got {type_name(s)}"'
                    )
            if any(s < 0 for s in sizes):
                raise RuntimeError(
                    f"Trying to create tensor with negative dimension {min(sizes)}: {list(sizes)}"
                )
            return zeros(*sizes, dtype=dt)
        if len(args) > 1:
            raise _invalid_combination(args, {})
        if isinstance(first, Tensor):
            if first._data.dtype != dt.numpy_dtype:
                have = _dtype.from_numpy_dtype(first._data.dtype)
                raise TypeError(f"expected {_options(dt)} (got {_options(have)})")
            return first.view(first.shape) if first.requires_grad else first.detach()
        if not isinstance(first, (list, tuple, np.ndarray)):
            raise TypeError(f"new(): data must be a sequence (got {type_name(first)})")
        return tensor(first, dtype=dt)


def _make_type(d: _dtype.dtype) -> type:
    return tensortype(d.tensor_type, (), {"dtype": d, "is_cuda": False})


HalfTensor = _make_type(_dtype.float16)
FloatTensor = _make_type(_dtype.float32)
DoubleTensor = _make_type(_dtype.float64)
CharTensor = _make_type(_dtype.int8)
ShortTensor = _make_type(_dtype.int16)
IntTensor = _make_type(_dtype.int32)
LongTensor = _make_type(_dtype.int64)
ByteTensor = _make_type(_dtype.uint8)
BoolTensor = _make_type(_dtype.bool)
