"""Argument checks shared by the pointwise, compare and conversion forwards: PyTorch's error
messages and its int -> float rule."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._dtype import get_default_dtype

__all__ = [
    "NUMBER_TYPES",
    "floating",
    "broadcast_error",
    "scalar_type_name",
    "cpp_type_name",
    "type_name",
    "must_be_tensor",
    "invalid_combination",
]

NUMBER_TYPES = (int, float, np.number, np.bool_)  # bool is an int

# PyTorch names dtypes two ways in messages: ScalarType ("Long") and the C++ type ("long int").
_SCALAR_NAMES = {
    "float16": "Half",
    "float32": "Float",
    "float64": "Double",
    "int8": "Char",
    "int16": "Short",
    "int32": "Int",
    "int64": "Long",
    "uint8": "Byte",
    "bool": "Bool",
}
_CPP_NAMES = {
    "float16": "c10::Half",
    "float32": "float",
    "float64": "double",
    "int8": "signed char",
    "int16": "short int",
    "int32": "int",
    "int64": "long int",
    "uint8": "unsigned char",
    "bool": "bool",
}


def scalar_type_name(dt: np.dtype) -> str:
    """PyTorch's ScalarType name of a NumPy dtype ("Float", "Long", ...)."""
    return _SCALAR_NAMES.get(np.dtype(dt).name, str(dt))


def cpp_type_name(dt: np.dtype) -> str:
    """The C++ type name PyTorch prints for a dtype ("float", "long int", ...)."""
    return _CPP_NAMES.get(np.dtype(dt).name, str(dt))


def type_name(x: Any) -> str:
    """Python type name as PyTorch's argument errors print it (``numpy.ndarray``, ``int``)."""
    cls = type(x)
    return cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__}"


def floating(x: Any, op: str) -> np.ndarray:
    """``x`` itself if floating, else cast to the default float dtype (``int.sin()`` is float32)."""
    try:
        kind = x.dtype.kind
    except AttributeError:
        raise TypeError(f"{op}(): argument 'input' (position 1) must be Tensor, not {type_name(x)}") from None
    if kind == "f":
        return x
    return x.astype(get_default_dtype().numpy_dtype)


def broadcast_error(*operands: Any) -> RuntimeError | None:
    """PyTorch's error for operands whose shapes do not broadcast (None if they do)."""
    acc: tuple = ()
    for op in operands:
        shape = np.shape(op)
        n = max(len(acc), len(shape))
        a = (1,) * (n - len(acc)) + tuple(acc)
        b = (1,) * (n - len(shape)) + tuple(shape)
        for i in range(n - 1, -1, -1):  # PyTorch reports the right-most mismatch
            if a[i] != b[i] and a[i] != 1 and b[i] != 1:
                return RuntimeError(
                    f"The size of tensor a ({a[i]}) must match the size of tensor b ({b[i]}) "
                    f"at non-singleton dimension {i}"
                )
        acc = tuple(max(x, y) if min(x, y) != 0 else 0 for x, y in zip(a, b))
    return None


def must_be_tensor(op: str, arg: str, position: int, value: Any) -> TypeError:
    """PyTorch's TypeError for a non-Tensor where only a Tensor is accepted."""
    return TypeError(f"{op}(): argument '{arg}' (position {position}) must be Tensor, not {type_name(value)}")


def invalid_combination(op: str, args: tuple, signatures: tuple) -> TypeError:
    """PyTorch's TypeError for arguments that match none of an op's signatures."""
    got = ", ".join("Tensor" if hasattr(a, "_vc") else type_name(a) for a in args)
    lines = "".join(f" * ({sig})\n" for sig in signatures)
    return TypeError(f"{op}() received an invalid combination of arguments - got ({got}), but expected one of:\n{lines}")
