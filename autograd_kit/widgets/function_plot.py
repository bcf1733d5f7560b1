"""FunctionGradPlot: a function and its gradient side by side, as in the autograd tutorial.

The tutorial's picture is ``a = linspace(0, 2*pi, 25, requires_grad=True)``, ``b = sin(a)``,
backward, then ``sin`` next to ``a.grad``. This widget draws exactly that for a choice of
functions (or your own), adds the analytic derivative and central differences as references,
and reports the largest disagreement, so a wrong or surprising gradient is visible at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import numpy as np

from ._base import check_int, fmt
from ._figures import StaticPicture, image_widget, message_html, new_figure, sci, show_figure, table_html
from ._function_grad import BUILTIN_FUNCTIONS, DTYPES, FunctionSampleError, FunctionSpec, GradSample, sample

__all__ = ["FunctionGradPlot"]

_MAX_STEPS = 2000  # the slider's range
_STEPS_LIMIT = 100_000  # more points than pixels many times over: refused, not silently slow
_MARK_GAP = 1e-4  # relative gap worth circling: float32 rounding stays well below it


class FunctionGradPlot(StaticPicture, widgets.VBox):
    """Plot ``f`` and its derivative: autograd's ``x.grad``, the formula, and central differences.

    ``function`` is a built-in name (``'sin'``, ``'cos'``, ``'tanh'``, ``'sigmoid'``, ``'relu'``,
    ``'exp'``, ``'x**2'``, ``'x**3'``) or a callable taking and returning a tensor elementwise;
    ``derivative`` (NumPy float64 in, out) is that callable's analytic derivative, if you know it.
    """

    def __init__(
        self,
        function: str | Callable = "sin",
        *,
        start: float = 0.0,
        stop: float = 2.0 * math.pi,
        steps: int = 25,
        dtype: str = "float32",
        derivative: Callable[[np.ndarray], np.ndarray] | None = None,
        name: str | None = None,
        width: float = 10.0,
        height: float = 3.6,
    ) -> None:
        self._specs = dict(BUILTIN_FUNCTIONS)
        if callable(function):
            label = name or getattr(function, "__name__", "") or "f"
            label = "f" if label == "<lambda>" else label
            if label in self._specs:
                label += " (yours)"
            self._specs[label] = FunctionSpec(label, function, derivative, "given derivative")
            function = label
        elif not isinstance(function, str):
            raise TypeError(
                f"FunctionGradPlot: function must be a name or a callable, got {type(function).__name__}"
            )
        elif function not in self._specs:
            raise ValueError(
                f"FunctionGradPlot: unknown function {function!r}; choose one of {', '.join(self._specs)} "
                "or pass a callable"
            )
        elif derivative is not None:
            raise ValueError("FunctionGradPlot: derivative= is for your own callable; built-ins know theirs")
        steps = check_int("FunctionGradPlot", "steps", steps, minimum=2, maximum=_STEPS_LIMIT)
        if dtype not in DTYPES:
            raise ValueError(f"FunctionGradPlot: dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
        self._size = (float(width), float(height))
        self.function = widgets.Dropdown(options=list(self._specs), value=function, description="f(x)")
        self.start = widgets.FloatText(value=float(start), description="start", layout=_narrow())
        self.stop = widgets.FloatText(value=float(stop), description="stop", layout=_narrow())
        self.steps = widgets.IntSlider(
            value=int(steps),
            min=2,
            max=max(_MAX_STEPS, steps),
            description="points",
            continuous_update=False,
        )
        self.dtype = widgets.Dropdown(
            options=list(DTYPES), value=dtype, description="dtype", layout=_narrow()
        )
        self.message = widgets.HTML()
        self.image = image_widget()
        self.report = widgets.HTML()
        for control in (self.function, self.start, self.stop, self.steps, self.dtype):
            control.observe(self._on_change, names="value")
        super().__init__(
            children=[
                widgets.HBox([self.function, self.dtype]),
                widgets.HBox([self.start, self.stop, self.steps]),
                self.message,
                self.image,
                self.report,
            ]
        )
        self.figure: Any = None
        self.data: GradSample | None = None
        self.error: str | None = None
        self.refresh()

    # --- state -------------------------------------------------------------------------
    @property
    def spec(self) -> FunctionSpec:
        """The selected function and what is known of its derivative."""
        return self._specs[self.function.value]

    def disagreement(self) -> dict[str, tuple[float, float] | None]:
        """``{'analytic': (gap, x), 'finite differences': (gap, x)}``: the largest gaps to x.grad."""
        if self.data is None:
            return {"analytic": None, "finite differences": None}
        return {
            "analytic": self.data.largest_gap(self.data.analytic),
            "finite differences": self.data.largest_gap(self.data.finite_diff),
        }

    # --- drawing -----------------------------------------------------------------------
    def _on_change(self, change: dict) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Sample the selected function again and redraw."""
        try:
            self.data = sample(
                self.spec, self.start.value, self.stop.value, self.steps.value, self.dtype.value
            )
            self.error = None
        except FunctionSampleError as exc:
            self.data, self.error = None, str(exc)
        self.figure = new_figure(*self._size, left=0.06, right=0.98, bottom=0.14, top=0.9, wspace=0.2)
        if self.data is None:
            self.message.value = message_html(self.error or "")
            self.report.value = ""
        else:
            self.message.value = message_html(self.data.notes, "warning")
            self._plot(self.data)
            self.report.value = self._report_html()
        show_figure(self.image, self.figure)

    def _plot(self, d: GradSample) -> None:
        spec = self.spec
        left, right = self.figure.subplots(1, 2)
        left.plot(d.x, d.f, color="C0", label=f"{spec.name}(x)")
        left.set_title(f"f(x) = {spec.name}(x)")
        right.plot(d.x, d.autograd, "o-", color="C1", markersize=3, label="autograd: x.grad")
        if d.analytic is not None:
            right.plot(
                d.x, d.analytic, "--", color="k", linewidth=1, label=f"analytic: {spec.derivative_label}"
            )
        if d.finite_diff is not None:
            right.plot(d.x, d.finite_diff, "x", color="C2", markersize=5, label="central difference")
        gap = max((g for g in self.disagreement().values() if g is not None), default=None)
        scale = max(1.0, float(np.nanmax(np.abs(d.autograd), initial=0.0)))
        if gap is not None and gap[0] > _MARK_GAP * scale:  # circled only when beyond rounding error
            i = int(np.argmin(np.abs(d.x - gap[1])))
            right.plot(
                [d.x[i]], [d.autograd[i]], "o", mfc="none", mec="red", markersize=11, label="largest gap"
            )
        right.set_title(f"derivative of {spec.name}(x)")
        for ax in (left, right):
            ax.set_xlabel("x")
            ax.grid(True, alpha=0.3)
            ax.legend(loc="best", fontsize=8)

    def _report_html(self) -> str:
        rows = []
        for ref, gap in self.disagreement().items():
            if gap is None:
                rows.append([f"|x.grad - {ref}|", "not available", ""])
            else:
                rows.append([f"|x.grad - {ref}|", sci(gap[0]), f"at x = {fmt(gap[1])}"])
        title = f"<b>largest disagreement</b> ({self.dtype.value}, {self.steps.value} points)"
        return title + table_html(["", "max", "where"], rows)

    def __repr__(self) -> str:
        return (
            f"FunctionGradPlot(function={self.function.value!r}, start={fmt(self.start.value)}, "
            f"stop={fmt(self.stop.value)}, steps={self.steps.value}, dtype={self.dtype.value!r}"
            + (", error=True)" if self.error else ")")
        )


def _narrow() -> widgets.Layout:
    return widgets.Layout(width="200px")
