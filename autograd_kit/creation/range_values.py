"""The values of arange/linspace/logspace, bit for bit as PyTorch's CPU kernels produce them.

PyTorch's kernels compute ``start + step * i`` with fused multiply-adds (one rounding) and, in
arange, a vectorised loop whose lanes start from a rounded base. Plain NumPy arithmetic rounds
twice and drifts by an ulp here and there, which then shows in printed results (``sin(pi)``), so
this module emulates both with error-free float64 transformations.
"""

from __future__ import annotations

import functools
import math

import numpy as np

__all__ = ["arange_values", "linspace_values", "logspace_values", "arange_length"]

_F16, _F32, _F64 = np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)
_INF = np.float64(np.inf)


def _split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = 134217729.0 * a  # Veltkamp: 2**27 + 1
    hi = c - (c - a)
    return hi, a - hi


def _round_to_odd(s: np.ndarray, err: np.ndarray) -> np.ndarray:
    """Nudge an inexact sum to its odd neighbour, so a later rounding sees the true side."""
    need = (err != 0) & ((s.view(np.int64) & 1) == 0)
    return np.where(need, np.nextafter(s, np.copysign(_INF, err)), s)


def _fma(a: object, b: object, c: object, out_dtype: np.dtype) -> np.ndarray:
    """``a * b + c`` rounded once to ``out_dtype`` (float32 or float64 inputs; one is an array)."""
    with np.errstate(all="ignore"):
        p = np.multiply(a, b, dtype=np.float64)
        s = p + c
        bb = s - c
        err = (c - (s - bb)) + (p - bb)  # two-sum: s + err == c + p exactly
        if out_dtype == _F32:
            # float32 inputs: p is exact in float64, and round-to-odd keeps s exact enough
            # (53 >= 2 * 24 + 2 bits) for the final float32 rounding to be correct.
            fused = _round_to_odd(s, err)
        else:
            # Boldo & Melquiond: exact product, exact sum, round-to-odd on the low parts.
            (ah, al), (bh, bl) = _split(np.asarray(a, np.float64)), _split(np.asarray(b, np.float64))
            pl = ((ah * bh - p) + ah * bl + al * bh) + al * bl
            v = err + pl
            vb = v - err
            fused = s + _round_to_odd(v, (err - (v - vb)) + (pl - vb))
        bad = ~np.isfinite(fused)
        if bad.any():  # non-finite input, or splitting overflowed: plain arithmetic there
            fused = np.where(bad, s, fused)
    return fused.astype(out_dtype)


def arange_length(start: float, end: float, step: float, integral: bool) -> int:
    """Number of elements, with PyTorch's size rule (exact integer arithmetic for int64)."""
    if integral:
        start, end, step = int(start), int(end), int(step)
        sign = 1 if step > 0 else -1
        return max((end - start + step - sign) // step, 0)
    size = math.ceil((float(end) - float(start)) / float(step))
    if not 0 <= size <= 2**63 - 1:
        raise RuntimeError("invalid size, possible overflow?")
    return size


def arange_values(start: float, step: float, n: int, dtype: np.dtype) -> np.ndarray:
    """``start + step * i`` for i < n, as PyTorch's arange kernel computes it."""
    if dtype.kind in "iu":
        return (int(start) + int(step) * np.arange(n, dtype=np.int64)).astype(dtype, copy=False)
    acc = _F32 if dtype == _F16 else _F64
    start_a, step_a = acc.type(start), acc.type(step)
    # The vectorised loop fills two 32-byte vectors per iteration; each vector starts from a
    # base rounded to the output dtype, then adds multiples of step; the remainder is serial.
    lanes = 32 // dtype.itemsize
    n_vec = n - n % (2 * lanes)
    serial_idx = np.concatenate([np.arange(0, n_vec, lanes, dtype=acc), np.arange(n_vec, n, dtype=acc)])
    serial = _fma(step_a, serial_idx, start_a, acc).astype(dtype)
    n_bases = n_vec // lanes
    if not n_bases:
        return serial
    out = np.empty(n, dtype=dtype)
    offsets = np.arange(lanes, dtype=acc)
    out[:n_vec] = _fma(offsets, step_a, serial[:n_bases, None].astype(acc), acc).reshape(-1).astype(dtype)
    out[n_vec:] = serial[n_bases:]
    return out


def linspace_values(start: float, end: float, steps: int, dtype: np.dtype) -> np.ndarray:
    """``steps`` evenly spaced values, filled from both ends as PyTorch's kernel does."""
    if steps <= _CACHED_STEPS:
        return _cached_linspace(start, end, steps, dtype).copy()
    return _linspace_values(start, end, steps, dtype)


# The exact emulation costs ~15 NumPy calls; small linspaces are usually remade with the same
# arguments in a loop (a lesson re-run, a benchmark), so their values are memoised.
_CACHED_STEPS = 4096


@functools.lru_cache(maxsize=128)
def _cached_linspace(start: float, end: float, steps: int, dtype: np.dtype) -> np.ndarray:
    values = _linspace_values(start, end, steps, dtype)
    values.flags.writeable = False
    return values


def _linspace_values(start: float, end: float, steps: int, dtype: np.dtype) -> np.ndarray:
    if steps == 0:
        return np.empty(0, dtype=dtype)
    integral = dtype.kind in "iu"
    if integral:
        start, end = int(start), int(end)  # Scalar.to<int64>() truncates
    if steps == 1:
        return np.array([start], dtype=dtype)
    # Filled from both ends: start + step * i for the first half, end - step * (steps-1-i) after.
    half = steps // 2
    idx = np.arange(steps)
    first = idx < half
    count = np.where(first, idx, steps - 1 - idx)
    with np.errstate(all="ignore"):
        if integral:
            step = (float(end) - float(start)) / (steps - 1)
            mult, base = np.where(first, step, -step), np.where(first, float(start), float(end))
            return _fma(mult, count, base, _F64).astype(dtype)
        t = dtype.type
        s, e = (t(np.float32(start)), t(np.float32(end))) if dtype == _F16 else (t(start), t(end))
        step = (e - s) / t(steps - 1)
        if dtype == _F16:
            # Half arithmetic rounds after every operation (no fused multiply-add).
            prod = step * count.astype(dtype)
            return np.where(first, s + prod, e - prod)
        mult, base = np.where(first, step, -step).astype(dtype), np.where(first, s, e).astype(dtype)
        return _fma(mult, count, base, dtype)


def _from_double(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    # c10::Half is built from a float, so doubles reach float16 through float32.
    return values.astype(_F32 if dtype == _F16 else dtype).astype(dtype)


def _libm_pow(base: float, x: float) -> float:
    # C's pow (what PyTorch calls); NumPy's SIMD power differs from it in the last bit.
    try:
        return math.pow(base, x)
    except OverflowError:
        return float(np.power(np.float64(base), x))  # +-inf with the right sign
    except ValueError:
        return math.nan  # negative base, fractional exponent


def logspace_values(start: float, end: float, steps: int, base: float, dtype: np.dtype) -> np.ndarray:
    """``base ** linspace(start, end)`` with PyTorch's float64 exponent arithmetic."""
    if steps == 0:
        return np.empty(0, dtype=dtype)
    if dtype.kind in "iu":
        s, e = int(start), int(end)
    elif dtype == _F16:  # a Half is built from a float (double -> float -> half)
        s, e = dtype.type(np.float32(start)), dtype.type(np.float32(end))
    else:
        s, e = dtype.type(start), dtype.type(end)
    base = float(base)
    with np.errstate(all="ignore"):
        if steps == 1:
            return _from_double(np.array([_libm_pow(base, float(start))]), dtype)
        # This kernel is not vectorised: plain multiply-then-add in float64 (no fused rounding).
        step = float(e - s) / (steps - 1)
        half = steps // 2
        idx = np.arange(steps, dtype=np.float64)
        expo = np.concatenate([float(s) + step * idx[:half], float(e) - step * (steps - 1 - idx[half:])])
        return _from_double(np.array([_libm_pow(base, x) for x in expo.tolist()]), dtype)
