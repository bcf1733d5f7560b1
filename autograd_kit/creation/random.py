"""Random tensor factories (rand, randn, randint, randperm and the ``_like`` forms), drawing from
the seeded generator in ``_random`` so ``manual_seed`` makes them reproducible."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._tensor.tensor import Tensor
from ..dtypes import cast_type_name
from ..random import Generator, numpy_rng
from .args import (
    I64,
    check_common,
    default_float,
    finish,
    float_only,
    index,
    int_arg,
    like,
    named,
    np_dtype,
    size_from_arg,
    size_from_varargs,
)
from .from_data import type_name

__all__ = ["rand", "randn", "rand_like", "randn_like", "randint", "randperm"]

_F16 = np.dtype(np.float16)
C_TYPE_NAMES = {
    "bool": "bool",
    "uint8": "unsigned char",
    "int8": "signed char",
    "int16": "short int",
    "int32": "int",
    "int64": "long",
}
_FLOAT_DIGITS = {"float16": 11, "float32": 24, "float64": 53}  # mantissa bits, for randint


def _uniform(rng: np.random.Generator, shape: tuple, dt: np.dtype) -> np.ndarray:
    if dt == _F16:
        # 11 random bits: exact half values in [0, 1) (casting a float32 draw could round to 1).
        return (rng.integers(0, 2048, shape) * (1.0 / 2048)).astype(dt)
    return rng.random(shape, dtype=dt)


def _normal(rng: np.random.Generator, shape: tuple, dt: np.dtype) -> np.ndarray:
    if dt == _F16:
        return rng.standard_normal(shape, dtype=np.float32).astype(dt)
    return rng.standard_normal(shape, dtype=dt)


def _random_factories(name: str, draw: Any, kernel: str, doc: str, like_doc: str) -> tuple:
    """``name`` and ``name_like`` (one body for rand and randn): parse, check the dtype is
    floating (PyTorch's ``kernel`` error otherwise), then ``draw(rng, shape, dtype)``."""
    like_name = name + "_like"

    def sized(
        *sizes: Any,
        size: Any = None,
        generator: Generator | None = None,
        out: Any = None,
        dtype: Any = None,
        device: Any = None,
        requires_grad: bool = False,
    ) -> Tensor:
        shape = size_from_varargs(name, sizes, size)
        check_common(name, device, out)
        dt = np_dtype(name, dtype) or default_float()
        float_only(dt, kernel)
        return finish(draw(numpy_rng(generator), shape, dt), requires_grad)

    def sized_like(
        input: Tensor,
        *,
        generator: Generator | None = None,
        dtype: Any = None,
        device: Any = None,
        requires_grad: bool = False,
    ) -> Tensor:
        shape, dt = like(like_name, input, dtype, device)
        float_only(dt, kernel)
        return finish(draw(numpy_rng(generator), shape, dt), requires_grad)

    return named(sized, name, doc), named(sized_like, like_name, like_doc)


rand, rand_like = _random_factories(
    "rand",
    _uniform,
    "check_uniform_bounds",
    "Uniform random values in [0, 1).",
    "Uniform [0, 1) values with the shape (and by default the dtype) of ``input``.",
)
randn, randn_like = _random_factories(
    "randn",
    _normal,
    "normal_kernel_cpu",
    "Standard normal random values.",
    "Standard normal values with the shape (and by default the dtype) of ``input``.",
)


def _bound(name: str, pos: int, x: Any) -> int:
    v = index(x, allow_bool=False)
    if v is None:
        raise TypeError(f"randint(): argument '{name}' (position {pos}) must be int, not {type_name(x)}")
    if not -(2**63) <= v < 2**63:
        raise ValueError("Overflow when unpacking long long")
    return v


def _check_randint_range(low: int, high: int, dt: np.dtype) -> None:
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    if dt.kind == "f":
        digits, cname = _FLOAT_DIGITS[dt.name], cast_type_name(dt)
        for what, v in (("from", low), ("to - 1", high - 1)):
            if not -(2**digits) <= v <= 2**digits:
                warnings.warn(
                    f"{what} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision limitations "
                    f"{cname} can support discrete uniform distribution only within this range. This "
                    "warning will become an error in version 1.7 release, please fix the code in advance",
                    UserWarning,
                    stacklevel=3,
                )
        return
    lo, hi = (0, 1) if dt.kind == "b" else (np.iinfo(dt).min, np.iinfo(dt).max)
    if not lo <= low <= hi:
        raise RuntimeError(f"from is out of bounds for {C_TYPE_NAMES[dt.name]}")
    if not lo <= high - 1 <= hi:
        raise RuntimeError(f"to - 1 is out of bounds for {C_TYPE_NAMES[dt.name]}")


def randint(
    *args: Any,
    size: Any = None,
    low: Any = None,
    high: Any = None,
    generator: Generator | None = None,
    out: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Random integers in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``."""
    pos = list(args)
    if size is None:
        if not pos:
            raise TypeError("randint() missing required argument 'size'")
        shape = size_from_arg("randint", pos.pop(), len(args))
    else:
        shape = size_from_arg("randint", size, len(args) + 1)
    if len(pos) > 2:
        raise TypeError(f"randint() takes at most 3 positional arguments ({len(args)} given)")
    if len(pos) == 2:
        if low is not None or high is not None:
            raise TypeError("randint() got multiple values for argument 'low' or 'high'")
        low, high = pos
    elif len(pos) == 1:
        if high is None:
            high = pos[0]
        elif low is None:
            low = pos[0]
        else:
            raise TypeError("randint() got multiple values for argument 'low'")
    if high is None:
        raise TypeError("randint() missing required argument 'high'")
    two = low is not None
    low = _bound("low", 1, low) if two else 0
    high = _bound("high", 2 if two else 1, high)
    check_common("randint", device, out)
    dt = np_dtype("randint", dtype) or I64
    _check_randint_range(low, high, dt)
    values = numpy_rng(generator).integers(low, high, shape, dtype=np.int64)
    return finish(values.astype(dt, copy=False), requires_grad)


def randperm(
    n: int,
    *,
    generator: Generator | None = None,
    out: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A random permutation of ``0 .. n-1``."""
    n = int_arg("randperm", "n", 1, n)
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    check_common("randperm", device, out)
    dt = np_dtype("randperm", dtype) or I64
    if dt.kind == "b":
        raise NotImplementedError("\"randperm\" not implemented for 'Bool'")
    if dt.kind == "f":
        limit, text = {
            "float16": (2049, "2049 for Half"),
            "float32": (2**24 + 1, "2^24+1 for Float"),
            "float64": (2**53 + 1, "2^53+1 for Double"),
        }[dt.name]
        if n > limit:
            raise RuntimeError(f"n cannot be greater than {text} type.")
    elif n > np.iinfo(dt).max + 1:
        raise RuntimeError(f"value cannot be converted to type {cast_type_name(dt)} without overflow")
    return finish(numpy_rng(generator).permutation(n).astype(dt, copy=False), requires_grad)
