"""dtype/device conversion and copies: ``to``, ``type``, ``type_as``, ``float()``/``double()``/...,
``clone`` and ``contiguous``. Casts are differentiable (ToCopyBackward0 casts the gradient back
to the input's dtype); converting to the dtype a tensor already has returns the tensor itself."""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from .. import dtypes
from .._tensor.tensor import Tensor
from ..dtypes import cast
from ..graph.function import BuiltinFunction
from . import _math
from ._argcheck import type_name

__all__ = ["clone"]

_PY_TYPES = {
    builtins.float: np.dtype(np.float64),
    builtins.int: np.dtype(np.int64),
    builtins.bool: np.dtype(np.bool_),
}
_BY_TENSOR_TYPE = {f"torch.{d.tensor_type}": d.numpy_dtype for d in dtypes.ALL_DTYPES}
_DEVICE_TYPES = (
    "cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, vulkan, mps, meta, "
    "hpu, mtia, privateuseone"
)
_TO_SIGS = (
    " * (torch.device device = None, torch.dtype dtype = None, bool non_blocking = False, bool copy = False, "
    "*, torch.memory_format memory_format = None)\n"
    " * (torch.dtype dtype, bool non_blocking = False, bool copy = False, *, torch.memory_format memory_format = None)\n"
    " * (Tensor tensor, bool non_blocking = False, bool copy = False, *, torch.memory_format memory_format = None)\n"
)


class ToCopy(BuiltinFunction):
    """A dtype cast: ToCopyBackward0, whose gradient the engine casts back to the input dtype."""

    operands = ("self",)
    formula = "grad_self = grad.to(self.dtype)"
    node_name = "ToCopyBackward0"
    aten_name = "aten::_to_copy"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dtype: np.dtype) -> np.ndarray:
        return _math.quiet(cast, x, dtype)  # nan/inf to int is silent in PyTorch

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad


class Clone(BuiltinFunction):
    """A copy: CloneBackward0 (the gradient passes unchanged)."""

    operands = ("self",)
    formula = "grad_self = grad"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        return x.copy()

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad


def _as_dtype(value: Any) -> np.dtype | None:
    """The NumPy dtype a ``to()``/``type()`` argument names, or None if it names none."""
    if isinstance(value, dtypes.dtype):
        return value.numpy_dtype
    if isinstance(value, type) and value in _PY_TYPES:  # x.to(float) is float64, as in PyTorch
        return _PY_TYPES[value]
    if isinstance(value, np.dtype) or (isinstance(value, type) and issubclass(value, np.generic)):
        return dtypes.to_numpy_dtype(value)
    return None


def _check_device(device: Any) -> None:
    name = device if isinstance(device, str) else getattr(device, "type", None)
    if name is None:
        if isinstance(device, int):
            raise RuntimeError("Cannot access accelerator device when none is available.")
        raise TypeError(f"to(): expected a device, got {type_name(device)}")
    kind = name.split(":")[0]
    if kind == "cpu":
        return
    if kind == "cuda":
        raise AssertionError("Torch not compiled with CUDA enabled")
    if kind in _DEVICE_TYPES.split(", "):
        raise RuntimeError(f"autograd_kit only supports the cpu device, got '{name}'")
    raise RuntimeError(f"Expected one of {_DEVICE_TYPES} device type at start of device string: {name}")


def _cast(t: Tensor, dtype: np.dtype | None, copy: bool) -> Tensor:
    if dtype is None or dtype == t._data.dtype:
        if not copy:
            return t
        dtype = t._data.dtype
    return ToCopy.apply(t, dtype)


def to(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """Convert to a dtype and/or device (``to(dtype)``, ``to('cpu')``, ``to(other)``, ``to(device,
    dtype)``); returns ``self`` when nothing changes unless ``copy=True``."""
    if len(args) == 1 and not kwargs and type(args[0]) is dtypes.dtype:  # the engine's g.to(dtype)
        target = args[0].numpy_dtype
        return self if target == self._data.dtype else ToCopy.apply(self, target)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    copy = kwargs.pop("copy", False)
    device = kwargs.pop("device", None)
    dtype = kwargs.pop("dtype", None)
    if dtype is not None:
        named = _as_dtype(dtype)
        if named is None:
            raise TypeError(f"to(): argument 'dtype' must be torch.dtype, not {type_name(dtype)}")
        dtype = named
    if kwargs:
        raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
    rest = list(args)
    if rest and isinstance(rest[0], Tensor):
        dtype = rest.pop(0)._data.dtype
    elif rest and _as_dtype(rest[0]) is not None:
        dtype = _as_dtype(rest.pop(0))
    elif rest and rest[0] is not None and not isinstance(rest[0], builtins.bool):
        device = rest.pop(0)
        if rest and _as_dtype(rest[0]) is not None:
            dtype = _as_dtype(rest.pop(0))
    if rest and isinstance(rest[0], builtins.bool):  # the positional non_blocking flag
        rest.pop(0)
        if rest and isinstance(rest[0], builtins.bool):
            copy = rest.pop(0)
    if rest:
        got = ", ".join("torch.dtype" if isinstance(a, dtypes.dtype) else type_name(a) for a in args)
        raise TypeError(
            f"to() received an invalid combination of arguments - got ({got}), but expected one of:\n{_TO_SIGS}"
        )
    if device is not None:
        _check_device(device)
    return _cast(self, dtype, copy)


def _type(self: Tensor, dtype: Any = None, non_blocking: bool = False, **kwargs: Any) -> Any:
    """With no argument, the type name (``'torch.FloatTensor'``); else convert like ``to(dtype)``."""
    if dtype is None:
        return f"torch.{dtypes.from_numpy_dtype(self._data.dtype).tensor_type}"
    if isinstance(dtype, str):
        if dtype not in _BY_TENSOR_TYPE:
            raise ValueError(f"invalid type: '{dtype}'")
        return _cast(self, _BY_TENSOR_TYPE[dtype], False)
    target = _as_dtype(dtype)
    if target is None:
        raise ValueError(f"invalid type: '{dtype}'")
    return _cast(self, target, False)


def type_as(self: Tensor, other: Tensor) -> Tensor:
    """Convert to ``other``'s dtype."""
    if not isinstance(other, Tensor):
        raise TypeError(f"type_as(): argument 'other' (position 1) must be Tensor, not {type_name(other)}")
    return _cast(self, other._data.dtype, False)


def _converter(name: str, target: dtypes.dtype) -> Any:
    def method(self: Tensor, memory_format: Any = None) -> Tensor:
        return _cast(self, target.numpy_dtype, False)

    method.__name__ = name
    method.__doc__ = f"Convert to ``torch.{target.name}`` (self if it already is)."
    return method


def clone(input: Tensor, *, memory_format: Any = None) -> Tensor:
    """A differentiable copy with its own storage."""
    return Clone.apply(input)


def contiguous(self: Tensor, memory_format: Any = None) -> Tensor:
    """Self if already C-contiguous, else a contiguous differentiable copy."""
    return self if self._data.flags.c_contiguous else Clone.apply(self)


def is_contiguous(self: Tensor, memory_format: Any = None) -> builtins.bool:
    """Whether the elements are laid out in row-major order without gaps."""
    return builtins.bool(self._data.flags.c_contiguous)


def cpu(self: Tensor, memory_format: Any = None) -> Tensor:
    """Self: every tensor lives on the CPU."""
    return self


def cuda(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """Unavailable: autograd_kit is CPU-only (PyTorch's error without CUDA)."""
    raise AssertionError("Torch not compiled with CUDA enabled")


TENSOR_METHODS = {
    "to": to,
    "type": _type,
    "type_as": type_as,
    "clone": clone,
    "contiguous": contiguous,
    "is_contiguous": is_contiguous,
    "cpu": cpu,
    "cuda": cuda,
    "float": _converter("float", dtypes.float32),
    "double": _converter("double", dtypes.float64),
    "half": _converter("half", dtypes.float16),
    "long": _converter("long", dtypes.int64),
    "int": _converter("int", dtypes.int32),
    "short": _converter("short", dtypes.int16),
    "char": _converter("char", dtypes.int8),
    "byte": _converter("byte", dtypes.uint8),
    "bool": _converter("bool", dtypes.bool),
}
