"""Argument checks shared by the pointwise, compare and conversion forwards: PyTorch's error
messages and its int -> float rule."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..dtypes import cast_type_name, cpp_type_name, get_default_dtype, scalar_type_name
from ..graph.builtin_apply import apply_builtin as _apply_builtin
from ..graph.fast_apply import specialise
from ..graph.fpstate import quiet_fp, restore_fp
from ..graph.function import broadcast_error

__all__ = [
    "NUMBER_TYPES",
    "floating",
    "floating_forward",
    "dtype_kind",
    "broadcast_error",
    "scalar_type_name",
    "cpp_type_name",
    "cast_type_name",
    "type_name",
    "must_be_tensor",
    "invalid_combination",
    "broadcasting",
    "unary_op",
    "scalar_as",
]

NUMBER_TYPES = (int, float, np.number, np.bool_)  # bool is an int


def type_name(x: Any) -> str:
    """Python type name as PyTorch's argument errors print it (``numpy.ndarray``, ``int``)."""
    cls = type(x)
    return cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__}"


def dtype_kind(x: Any, op: str) -> str:
    """The NumPy kind of ``x``'s dtype; PyTorch's TypeError if ``x`` (an op's input) is no array."""
    try:
        return x.dtype.kind
    except AttributeError:
        raise TypeError(f"{op}(): argument 'input' (position 1) must be Tensor, not {type_name(x)}") from None


def floating(x: Any, op: str) -> np.ndarray:
    """``x`` itself if floating, else cast to the default float dtype (``int.sin()`` is float32)."""
    if dtype_kind(x, op) == "f":
        return x
    return x.astype(get_default_dtype().numpy_dtype)


def floating_forward(kernel: Any, op: str, quiet: bool = False) -> staticmethod:
    """The forward of a floating-only unary op (exp, sin, sigmoid, ...): ``kernel(x)``, an integer
    or bool ``x`` cast to the default float first; with ``quiet``, NumPy's FP warnings are off
    (log(0), exp(1000) give inf silently, as in PyTorch). One closure, so no extra call per op."""
    if quiet:

        def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
            token = quiet_fp()
            try:
                return kernel(x if x.dtype.kind == "f" else floating(x, op))
            finally:
                restore_fp(token)

    else:

        def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
            return kernel(x if x.dtype.kind == "f" else floating(x, op))

    return staticmethod(forward)


def must_be_tensor(op: str, arg: str, position: int, value: Any) -> TypeError:
    """PyTorch's TypeError for a non-Tensor where only a Tensor is accepted."""
    return TypeError(f"{op}(): argument '{arg}' (position {position}) must be Tensor, not {type_name(value)}")


def invalid_combination(op: str, args: tuple, signatures: tuple) -> TypeError:
    """PyTorch's TypeError for arguments that match none of an op's signatures."""
    got = ", ".join("Tensor" if hasattr(a, "_vc") else type_name(a) for a in args)
    lines = "".join(f" * ({sig})\n" for sig in signatures)
    return TypeError(
        f"{op}() received an invalid combination of arguments - got ({got}), but expected one of:\n{lines}"
    )


def broadcasting(fn: Any, operands: tuple, *args: Any) -> np.ndarray:
    """``fn(*args)``, turning NumPy's broadcast failure among ``operands`` into PyTorch's error."""
    try:
        return fn(*args)
    except ValueError as exc:
        raise (broadcast_error(*operands) or exc) from None


def unary_op(cls: Any, name: str, doc: str) -> Any:
    """The public function of a one-operand op: ``cls.apply(input)``, with PyTorch's TypeError
    for a non-Tensor (checked only after a failure, so the fast path pays nothing)."""

    fast = specialise(cls)  # None for ops that take more than the one operand
    apply = fast or (lambda input: _apply_builtin(cls, (input,)))

    def fn(input: Any) -> Any:
        try:
            return apply(input)
        except AttributeError:
            if not hasattr(input, "_vc"):
                raise TypeError(
                    f"{name}(): argument 'input' (position 1) must be Tensor, not {type_name(input)}"
                ) from None
            raise

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    if fast is not None:
        # As a method, ``self`` is a Tensor, so the specialised apply itself serves: one Python
        # frame fewer on ``x.sin()``.
        method = fast
        method.__name__ = method.__qualname__ = name
        method.__doc__ = doc
        fn.tensor_method = method
    return fn


def scalar_as(value: Any, dt: np.dtype) -> np.ndarray:
    """A Python number as a 0-d array of ``dt``, converted as PyTorch does for fill values
    (floats truncate into integers, negative ints wrap into uint8, bool takes truthiness) and
    rejected when out of range."""
    if dt.kind == "b":
        return np.array(bool(value))
    if isinstance(value, np.generic):
        value = value.item()
    if dt.kind in "iu":
        info = np.iinfo(dt)
        if isinstance(value, float):
            ok = math.isfinite(value) and (0 if dt.kind == "u" else info.min) <= value <= info.max
        else:  # PyTorch lets a negative int wrap into an unsigned type
            ok = value <= info.max and (value >= info.min or (dt.kind == "u" and value >= -(2**63)))
        if ok:
            return np.array(int(value)).astype(dt)
    elif dt.itemsize == 8 or not math.isfinite(value) or abs(value) <= float(np.finfo(dt).max):
        return np.array(value, dtype=dt)
    raise RuntimeError(f"value cannot be converted to type {cast_type_name(dt)} without overflow")
