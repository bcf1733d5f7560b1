"""Range factories (arange, linspace, logspace): PyTorch's argument rules, dtype inference and
errors; the values themselves come from ``_ranges``, which reproduces PyTorch's kernels."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._tensor.tensor import Tensor
from . import range_values as _ranges
from .args import I64, check_common, default_float, finish, int_arg, np_dtype, number

__all__ = ["arange", "linspace", "logspace"]


def _finite(v: float) -> bool:
    return type(v) is not float or math.isfinite(v)


def _not_for_bool(dt: np.dtype, kernel: str) -> None:
    if dt.kind == "b":
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def arange(
    start: Any = None,
    end: Any = None,
    step: Any = 1,
    *,
    out: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Values from ``start`` (default 0) up to ``end`` (excluded) by ``step``."""
    if end is None:
        if start is None:
            raise TypeError("arange() missing 1 required positional argument: 'end'")
        start, end, end_pos = 0, start, 1
    else:
        start, end_pos = (0 if start is None else start), 2
    end = number("arange", "end", end_pos, end)
    start = number("arange", "start", 1, start)
    step = number("arange", "step", 3, step)
    check_common("arange", device, out)
    dt = np_dtype("arange", dtype)
    if dt is None:
        dt = default_float() if any(type(v) is float for v in (start, end, step)) else I64
    _not_for_bool(dt, "arange_cpu")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not (_finite(start) and _finite(end)):
        raise RuntimeError(f"unsupported range: {start:g} -> {end:g}")
    integral = dt == I64
    if integral:  # int64 arange works on the truncated bounds, as PyTorch's kernel does
        start, end, step = int(start), int(end), int(step)
        if step == 0:
            raise ValueError("step must be nonzero")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    n = _ranges.arange_length(start, end, step, integral)
    return finish(_ranges.arange_values(start, step, n, dt), requires_grad)


def _span(fn: str, start: Any, end: Any, steps: Any) -> tuple:
    """linspace/logspace's ``start``, ``end`` and ``steps``, checked in PyTorch's order."""
    start = number(fn, "start", 1, start)
    end = number(fn, "end", 2, end)
    steps = int_arg(fn, "steps", 3, steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return start, end, steps


def _span_dtype(fn: str, out: Any, dtype: Any, device: Any) -> np.dtype:
    """linspace/logspace's dtype (default float; bool has no kernel), after the out/device checks."""
    check_common(fn, device, out)
    dt = np_dtype(fn, dtype) or default_float()
    _not_for_bool(dt, fn + "_cpu")
    return dt


def linspace(
    start: Any,
    end: Any,
    steps: int,
    *,
    out: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    start, end, steps = _span("linspace", start, end, steps)
    dt = _span_dtype("linspace", out, dtype, device)
    return finish(_ranges.linspace_values(start, end, steps, dt), requires_grad)


def logspace(
    start: Any,
    end: Any,
    steps: int,
    base: float = 10.0,
    *,
    out: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``base ** x`` for ``steps`` evenly spaced exponents x from ``start`` to ``end``."""
    start, end, steps = _span("logspace", start, end, steps)
    base = number("logspace", "base", 4, base)
    dt = _span_dtype("logspace", out, dtype, device)
    return finish(_ranges.logspace_values(start, end, steps, base, dt), requires_grad)
