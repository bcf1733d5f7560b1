"""PyTorch-named dtypes over NumPy dtypes, and PyTorch's type-promotion rules."""

from __future__ import annotations

import builtins

import numpy as np

__all__ = [
    "dtype",
    "float16",
    "float32",
    "float64",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "bool",
    "half",
    "float",
    "double",
    "short",
    "int",
    "long",
    "get_default_dtype",
    "set_default_dtype",
]  # the names autograd_kit re-exports (torch.float32, ...); the conversion helpers stay internal


class dtype:
    """A tensor element type; prints as PyTorch does (``torch.float32``) so output matches."""

    __slots__ = ("name", "numpy_dtype", "is_floating_point", "is_signed", "itemsize", "tensor_type")

    def __init__(self, name: str, numpy_dtype: type, tensor_type: str) -> None:
        self.name = name
        self.numpy_dtype = np.dtype(numpy_dtype)
        self.is_floating_point = self.numpy_dtype.kind == "f"
        self.is_signed = self.numpy_dtype.kind in "fi"
        self.itemsize = self.numpy_dtype.itemsize
        self.tensor_type = tensor_type

    def __repr__(self) -> str:
        # PyTorch's spelling, because lessons compare printed output with PyTorch's.
        return f"torch.{self.name}"

    def __reduce__(self) -> str:
        return self.name


float16 = half = dtype("float16", np.float16, "HalfTensor")
float32 = float = dtype("float32", np.float32, "FloatTensor")
float64 = double = dtype("float64", np.float64, "DoubleTensor")
int8 = dtype("int8", np.int8, "CharTensor")
int16 = short = dtype("int16", np.int16, "ShortTensor")
int32 = int = dtype("int32", np.int32, "IntTensor")
int64 = long = dtype("int64", np.int64, "LongTensor")
uint8 = dtype("uint8", np.uint8, "ByteTensor")
bool = dtype("bool", np.bool_, "BoolTensor")

ALL_DTYPES = (float16, float32, float64, int8, int16, int32, int64, uint8, bool)
_FROM_NUMPY = {d.numpy_dtype: d for d in ALL_DTYPES}
_default_float = float32


def get_default_dtype() -> dtype:
    """Return the dtype that Python floats and float factories produce."""
    return _default_float


def set_default_dtype(d: dtype) -> None:
    """Set the default floating dtype (float32 or float64)."""
    global _default_float
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type, got {d!r}")
    _default_float = d


def to_numpy_dtype(d: object) -> np.dtype:
    """Map a dtype (ours, NumPy's or a Python type) to a NumPy dtype."""
    if isinstance(d, dtype):
        return d.numpy_dtype
    if d is builtins.bool:
        return np.dtype(np.bool_)
    if d is builtins.float:
        return _default_float.numpy_dtype
    if d is builtins.int:
        return np.dtype(np.int64)
    try:
        np_d = np.dtype(d)
    except TypeError:
        raise TypeError(f"unsupported dtype {d!r}") from None
    if np_d not in _FROM_NUMPY:
        raise TypeError(f"unsupported dtype {d!r}")
    return np_d


def from_numpy_dtype(np_dtype: np.dtype) -> dtype:
    """Map a NumPy dtype to ours; raise for types a tensor cannot hold."""
    try:
        return _FROM_NUMPY[np_dtype]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type {np_dtype}. The only supported types are: "
            "float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
        ) from None


def category(np_dtype: np.dtype) -> builtins.int:
    kind = np_dtype.kind
    return 0 if kind == "b" else (2 if kind == "f" else 1)


def _scalar_category(value: object) -> builtins.int:
    if isinstance(value, builtins.bool):
        return 0
    if isinstance(value, builtins.float):
        return 2
    return 1


def _promote_group(dtypes: list) -> np.dtype:
    # Within a group an integer never widens a float (int64 with float32 is float32 in PyTorch,
    # float64 in NumPy), so only the floats decide when there are any.
    floats = [d for d in dtypes if d.kind == "f"]
    return np.result_type(*(floats or dtypes))


def result_numpy_dtype(operands: tuple) -> np.dtype:
    """PyTorch's promotion: dimensioned tensors > 0-d tensors > Python numbers, unless a
    lower-priority group carries a higher category (bool < integer < float)."""
    dims, zero_d, scalars = [], [], []
    for op in operands:
        if isinstance(op, np.ndarray):
            (dims if op.ndim else zero_d).append(op.dtype)
        else:
            scalars.append(op)
    result = None
    if dims:
        result = _promote_group(dims)
    if zero_d:
        z = _promote_group(zero_d)
        if result is None or category(z) > category(result):
            result = z
    if scalars:
        cat = max(_scalar_category(s) for s in scalars)
        if result is None or cat > category(result):
            result = (np.dtype(np.bool_), np.dtype(np.int64), _default_float.numpy_dtype)[cat]
    return result


_F64 = np.dtype(np.float64)
_I64 = np.dtype(np.int64)
_ndarray = np.ndarray


def fix_binary_dtype(out: np.ndarray, a: object, b: object) -> np.ndarray:
    """Cast NumPy's result of a binary op to PyTorch's dtype where the two disagree.

    NumPy 2 (NEP 50) agrees whenever the result has a dimensioned operand's dtype. Otherwise it
    may have widened where PyTorch keeps that type (0-d tensors and Python numbers do not upcast
    it, float16 with int16 stays float16, an integer tensor with a Python float gives the default
    float dtype), so PyTorch's dtype is recomputed.
    """
    dt = out.dtype
    if (type(a) is _ndarray and a.ndim and a.dtype is dt) or (
        type(b) is _ndarray and b.ndim and b.dtype is dt
    ):
        return out
    want = result_numpy_dtype((a, b))
    return out if want == dt else out.astype(want)


# The tables PyTorch's messages name dtypes by (not in __all__: __all__ is torch.<dtype> names).
# PyTorch names dtypes two ways in messages: ScalarType ("Long") and the C++ type ("long int").
SCALAR_TYPE_NAMES = {
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
CPP_TYPE_NAMES = {
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
# ... and, in overflow errors, c10's convert names ("int64_t").
CAST_TYPE_NAMES = {
    "int64": "int64_t",
    "int32": "int",
    "int16": "int16_t",
    "int8": "int8_t",
    "uint8": "uint8_t",
    "float16": "c10::Half",
    "float32": "float",
    "float64": "double",
}


def scalar_type_name(dt: np.dtype) -> builtins.str:
    """PyTorch's ScalarType name of a NumPy dtype ("Float", "Long", ...)."""
    return SCALAR_TYPE_NAMES.get(np.dtype(dt).name, str(dt))


def cpp_type_name(dt: np.dtype) -> builtins.str:
    """The C++ type name PyTorch prints for a dtype ("float", "long int", ...)."""
    return CPP_TYPE_NAMES.get(np.dtype(dt).name, str(dt))


def cast_type_name(dt: np.dtype) -> builtins.str:
    """The C++ type PyTorch names in "value cannot be converted to type X without overflow"."""
    return CAST_TYPE_NAMES.get(dt.name, dt.name)


def cast(arr: np.ndarray, target: np.dtype) -> np.ndarray:
    """A converted copy, rounding as PyTorch does: float64 -> float16 goes through float32
    (c10::Half is built from a float), which can differ from NumPy's direct rounding."""
    with np.errstate(over="ignore", invalid="ignore"):
        if target == np.dtype(np.float16) and arr.dtype == np.dtype(np.float64):
            arr = arr.astype(np.dtype(np.float32))
        return arr.astype(target)
