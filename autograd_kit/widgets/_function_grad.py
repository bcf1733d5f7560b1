"""Sample a function and its derivative three ways: autograd, the analytic formula, central differences.

``sample()`` does what the autograd tutorial does (``a = linspace(...)``, ``b = f(a)``,
backward, read ``a.grad``) and adds the references a reader can check ``a.grad`` against.
Anything a user function does wrong becomes a ``FunctionSampleError`` with a sentence that says
what to change; non-finite values become notes, so the rest of the curve is still shown.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import cos, exp, float32, float64, linspace, no_grad, ones_like, relu, sigmoid, sin, tanh
from .._tensor.tensor import wrap_array
from ._base import fmt, is_tensor, shape_text

__all__ = ["FunctionSpec", "GradSample", "FunctionSampleError", "BUILTIN_FUNCTIONS", "DTYPES", "sample"]

DTYPES = {"float32": float32, "float64": float64}


class FunctionSampleError(ValueError):
    """The function could not be sampled; the message says why, in the widget's words."""


@dataclass(frozen=True)
class FunctionSpec:
    """A function of a tensor, with its derivative on float64 arrays when it is known."""

    name: str
    fn: Callable[[Any], Any]
    derivative: Callable[[np.ndarray], np.ndarray] | None = None
    derivative_label: str = ""


def _sigmoid_prime(x: np.ndarray) -> np.ndarray:
    s = 1.0 / (1.0 + np.exp(-x))
    return s * (1.0 - s)


BUILTIN_FUNCTIONS = {
    s.name: s
    for s in (
        FunctionSpec("sin", sin, np.cos, "cos(x)"),
        FunctionSpec("cos", cos, lambda x: -np.sin(x), "-sin(x)"),
        FunctionSpec("tanh", tanh, lambda x: 1.0 - np.tanh(x) ** 2, "1 - tanh(x)^2"),
        FunctionSpec("sigmoid", sigmoid, _sigmoid_prime, "s(x)(1 - s(x))"),
        FunctionSpec("relu", relu, lambda x: (x > 0).astype(np.float64), "1 if x > 0 else 0"),
        FunctionSpec("exp", exp, np.exp, "exp(x)"),
        FunctionSpec("x**2", lambda x: x**2, lambda x: 2.0 * x, "2x"),
        FunctionSpec("x**3", lambda x: x**3, lambda x: 3.0 * x**2, "3x^2"),
    )
}


@dataclass
class GradSample:
    """x, f(x) and the derivative from autograd, the formula (or None) and central differences."""

    x: np.ndarray
    f: np.ndarray
    autograd: np.ndarray
    analytic: np.ndarray | None
    finite_diff: np.ndarray | None
    notes: list[str] = field(default_factory=list)

    def largest_gap(self, reference: np.ndarray | None) -> tuple[float, float] | None:
        """``(max |autograd - reference|, x where it occurs)`` over points where both are finite."""
        if reference is None:
            return None
        with np.errstate(invalid="ignore"):  # inf - inf: such points are skipped below
            gap = np.abs(self.autograd.astype(np.float64) - reference)
        ok = np.isfinite(gap)
        if not ok.any():
            return None
        i = int(np.flatnonzero(ok)[np.argmax(gap[ok])])
        return float(gap[i]), float(self.x[i])


def _call(spec: FunctionSpec, x: Any, what: str) -> Any:
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # non-finite values are reported as notes instead
            y = spec.fn(x)
    except Exception as exc:
        raise FunctionSampleError(f"{spec.name}({what}) raised {type(exc).__name__}: {exc}") from exc
    if not is_tensor(y):
        raise FunctionSampleError(
            f"{spec.name}(x) must return a tensor computed from x with autograd_kit operations; it "
            f"returned {type(y).__name__} (NumPy or math functions break the graph)"
        )
    if tuple(y.shape) != tuple(x.shape):
        raise FunctionSampleError(
            f"{spec.name}(x) must act elementwise: it returned shape {shape_text(y.shape)} for x of "
            f"shape {shape_text(x.shape)}"
        )
    return y


def _not_finite_note(label: str, values: np.ndarray, x: np.ndarray) -> str | None:
    bad = ~np.isfinite(values)
    if not bad.any():
        return None
    return f"{label} is not finite at {int(bad.sum())} of {bad.size} points (first at x = {fmt(x[bad][0])})"


def _finite_differences(spec: FunctionSpec, x64: np.ndarray) -> np.ndarray:
    # h near the cube root of float64's epsilon balances truncation and rounding error
    h = 6e-6 * np.maximum(1.0, np.abs(x64))
    with no_grad():
        up = _call(spec, wrap_array(x64 + h), "x + h")
        down = _call(spec, wrap_array(x64 - h), "x - h")
    up_a, down_a = (np.asarray(t.detach().numpy(), dtype=np.float64) for t in (up, down))
    with np.errstate(all="ignore"):
        return (up_a - down_a) / (2.0 * h)


def sample(spec: FunctionSpec, start: float, stop: float, steps: int, dtype: str = "float32") -> GradSample:
    """Evaluate ``spec`` on ``linspace(start, stop, steps)`` and differentiate it three ways."""
    if not (np.isfinite(start) and np.isfinite(stop)) or start >= stop:
        raise FunctionSampleError(f"the range must have start < stop, got start = {start}, stop = {stop}")
    if int(steps) < 2:
        raise FunctionSampleError(f"need at least 2 points, got {steps}")
    x = linspace(float(start), float(stop), int(steps), dtype=DTYPES[dtype], requires_grad=True)
    y = _call(spec, x, "x")
    if y.grad_fn is None:
        raise FunctionSampleError(
            f"{spec.name}(x) does not depend on x through autograd (its result has grad_fn=None): "
            "build it from x with differentiable autograd_kit operations"
        )
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y.backward(ones_like(y))
    except Exception as exc:
        raise FunctionSampleError(
            f"backward through {spec.name}(x) raised {type(exc).__name__}: {exc}"
        ) from exc
    xs = x.detach().numpy().copy()
    fx = y.detach().numpy().astype(np.float64)
    grad = np.zeros_like(xs) if x.grad is None else x.grad.numpy().copy()
    x64 = xs.astype(np.float64)
    notes = []
    analytic = None
    if spec.derivative is not None:
        try:
            with np.errstate(all="ignore"):
                analytic = np.broadcast_to(
                    np.asarray(spec.derivative(x64), dtype=np.float64), x64.shape
                ).copy()
        except Exception as exc:
            notes.append(f"the given derivative raised {type(exc).__name__}: {exc}; it is not plotted")
    try:
        fd = _finite_differences(spec, x64)
    except FunctionSampleError as exc:
        fd = None
        notes.append(f"no central differences: {exc}")
    for label, values in (("f(x)", fx), ("x.grad", grad)):
        note = _not_finite_note(label, values, xs)
        if note:
            notes.append(note)
    return GradSample(xs, fx, grad, analytic, fd, notes)
