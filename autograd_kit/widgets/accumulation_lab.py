"""AccumulationLab: train a small model step by step with and without ``zero_grad`` and watch ``.grad``.

Three copies of one model train in lockstep: one never zeroes its gradients (each ``backward()``
adds to ``.grad``, so they grow), one calls ``optimizer.zero_grad(set_to_none=False)`` (zeros),
one calls ``optimizer.zero_grad()`` (``None``, PyTorch's default since 2.0). The lab plots the
gradient norm of a chosen parameter and the loss per step, and runs the tutorial's
``print(model.layer2.weight.grad[0][0:10])`` in each mode, showing the ``TypeError`` that the
set-to-None default causes in the old tutorial code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ._base import check_int, esc, fmt, is_tensor
from ._figures import StaticPicture, image_widget, message_html, new_figure, show_figure
from ._training_runs import (
    MODE_CODE,
    MODES,
    TrainingRun,
    default_optimizer,
    grad_probe,
    tutorial_loss,
    tutorial_setup,
)

__all__ = ["AccumulationLab"]

_STYLE = {  # distinct markers: the "zeros" and "None" curves coincide exactly
    "no zeroing": dict(color="C3", marker="o", linestyle="-", markersize=5),
    "zeros": dict(color="C0", marker="s", linestyle="--", markersize=7, mfc="none"),
    "None": dict(color="C2", marker="x", linestyle=":", markersize=6),
}
_TITLE = {"no zeroing": "no zeroing", "zeros": "zero_grad(set_to_none=False)", "None": "zero_grad()"}


class AccumulationLab(StaticPicture, widgets.VBox):
    """Step / Run N / Reset a model in three gradient-zeroing modes side by side.

    With no ``model``, it is the tutorial's ``TinyModel`` on ``randn(16, 1000)`` inputs and
    ``randn(16, 10)`` targets drawn from ``seed``, the loss ``(ideal_output - prediction).pow(2).sum()``
    and ``SGD(lr=0.001)``. Your own model needs ``data=(inputs, targets)``; ``loss_fn(prediction,
    target)`` and ``optimizer`` (``params -> optimizer``) replace the tutorial's.
    """

    def __init__(
        self,
        model: Any = None,
        data: tuple[Any, Any] | None = None,
        *,
        loss_fn: Callable | None = None,
        lr: float = 0.001,
        optimizer: Callable | None = None,
        seed: int | None = 0,
        parameter: str | None = None,
        optimizer_step: bool = True,
        run_steps: int = 5,
        width: float = 10.0,
        height: float = 3.4,
    ) -> None:
        run_steps = check_int("AccumulationLab", "run_steps", run_steps, minimum=1, maximum=1000)
        if model is None:
            model, inputs, targets = tutorial_setup(seed)
            if data is not None:
                inputs, targets = _check_data(data)
        else:
            _check_model(model)
            if data is None:
                raise ValueError("AccumulationLab: pass data=(inputs, targets) along with your own model")
            inputs, targets = _check_data(data)
        names = [name for name, _ in model.named_parameters()]
        if not names:
            raise ValueError(
                f"AccumulationLab: the model {type(model).__name__} has no parameters, so there is no "
                ".grad to accumulate; give it at least one layer with weights"
            )
        if parameter is None:
            parameter = "layer2.weight" if "layer2.weight" in names else names[0]
        elif parameter not in names:
            raise ValueError(f"AccumulationLab: no parameter {parameter!r}; the model has {', '.join(names)}")
        self._template = model
        self._inputs, self._targets = inputs, targets
        self._loss_fn = loss_fn or tutorial_loss
        self._make_optimizer = optimizer or default_optimizer(lr)
        self._size = (float(width), float(height))
        self.step_button = widgets.Button(description="Step", tooltip="one training step in every mode")
        self.n = widgets.BoundedIntText(
            value=int(run_steps), min=1, max=1000, description="N", layout=_w(130)
        )
        self.run_button = widgets.Button(description="Run N", tooltip="N training steps in every mode")
        self.reset_button = widgets.Button(description="Reset", tooltip="back to the initial weights")
        self.parameter = widgets.Dropdown(options=names, value=parameter, description="parameter")
        self.optimizer_step = widgets.Checkbox(
            value=bool(optimizer_step), description="optimizer.step() after backward (changing it resets)",
            indent=False, layout=_w(380),
        )  # fmt: skip
        self.status = widgets.HTML()
        self.image = image_widget()
        self.probes = widgets.HTML()
        self.step_button.on_click(lambda _: self.step())
        self.run_button.on_click(lambda _: self.run(self.n.value))
        self.reset_button.on_click(lambda _: self.reset())
        self.parameter.observe(lambda _: self._show(), names="value")
        self.optimizer_step.observe(lambda _: self.reset(), names="value")
        super().__init__(
            children=[
                widgets.HBox([self.step_button, self.n, self.run_button, self.reset_button]),
                widgets.HBox([self.parameter, self.optimizer_step]),
                self.status,
                self.image,
                self.probes,
            ]
        )
        self.figure: Any = None
        self.reset()

    # --- state -------------------------------------------------------------------------
    @property
    def steps_done(self) -> int:
        """How many training steps every mode has taken."""
        return len(self.runs[MODES[0]].losses)

    @property
    def history(self) -> dict[str, dict[str, list[float]]]:
        """``{mode: {'loss': [...], 'grad_norm': [...]}}`` for the chosen parameter, one entry per step."""
        name = self.parameter.value
        return {
            m: {"loss": list(r.losses), "grad_norm": list(r.grad_norms[name])} for m, r in self.runs.items()
        }

    def grad(self, mode: str) -> Any:
        """The chosen parameter's ``.grad`` in ``mode`` now, as a NumPy array (None when it is None)."""
        return self.runs[_mode(mode)].grad(self.parameter.value)

    def probe(self, mode: str) -> tuple[str, str]:
        """The tutorial's print line for the chosen parameter in ``mode``: ``(code, what it prints)``."""
        run = self.runs[_mode(mode)]
        return grad_probe(self.parameter.value, run.parameter(self.parameter.value))

    # --- controls ----------------------------------------------------------------------
    def reset(self) -> None:
        """Fresh copies of the initial model and optimizers; clears the history and any error."""
        self.runs = {m: TrainingRun.start(m, self._template, self._make_optimizer) for m in MODES}
        self.error: str | None = None
        self._show()

    def step(self) -> None:
        """One training step in each mode."""
        self.run(1)

    def run(self, n: int) -> None:
        """``n`` training steps in each mode (stops at the first error, shown in the widget)."""
        for _ in range(check_int("AccumulationLab.run", "n", n, minimum=0)):
            if self.error is not None:
                break
            for run in self.runs.values():
                try:
                    run.step(self._inputs, self._targets, self._loss_fn, self.optimizer_step.value)
                except Exception as exc:  # a user model or loss that fails: say so, keep the widget
                    self.error = (
                        f"step {self.steps_done + 1} ({_TITLE[run.mode]}) failed: {type(exc).__name__}: "
                        f"{exc}. Fix the model, data or loss, then press Reset."
                    )
                    break
        self._show()

    # --- drawing -----------------------------------------------------------------------
    def _show(self) -> None:
        blocked = self.error is not None
        self.step_button.disabled = self.run_button.disabled = blocked
        self.status.value = message_html(self.error, "error") if blocked else self._status_html()
        self._plot()
        self.probes.value = self._probes_html()

    def _status_html(self) -> str:
        k = self.steps_done
        if k == 0:
            return message_html(
                "step 0: press Step or Run N; every mode starts from the same weights", "info"
            )
        losses = " · ".join(f"{_TITLE[m]} {fmt(r.losses[-1])}" for m, r in self.runs.items())
        lines = [f"step {k}: loss {losses}"]
        for m, r in self.runs.items():
            if r.diverged_at is not None:
                lines.append(
                    f"{_TITLE[m]}: the loss stopped being finite at step {r.diverged_at}: gradients that "
                    "keep adding up make the updates too large"
                )
        return message_html(lines, "info")

    def _plot(self) -> None:
        # the legend sits under the axes, one row for the three modes, so it never covers a curve
        fig = new_figure(*self._size, left=0.07, right=0.98, bottom=0.27, top=0.88, wspace=0.22)
        norm_ax, loss_ax = fig.subplots(1, 2)
        hist = self.history
        steps = list(range(1, self.steps_done + 1))
        for m in MODES:
            norm_ax.plot(steps, hist[m]["grad_norm"], label=_TITLE[m], **_STYLE[m])
            loss_ax.plot(steps, hist[m]["loss"], label=_TITLE[m], **_STYLE[m])
        norm_ax.set_title(f"‖{self.parameter.value}.grad‖ after backward()")
        loss_ax.set_title("loss")
        for ax in (norm_ax, loss_ax):
            ax.set_xlabel("step")
            ax.xaxis.get_major_locator().set_params(integer=True)
            ax.grid(True, alpha=0.3)
            if not steps:  # step 0: say what to do instead of showing empty axes
                ax.set_xticks([])
                ax.set_yticks([])
                ax.text(0.5, 0.5, "no step yet: press Step or Run N", ha="center", va="center",
                        transform=ax.transAxes, color="#666666")  # fmt: skip
        handles, labels = norm_ax.get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=len(MODES), fontsize=8, frameon=False)
        self.figure = fig
        show_figure(self.image, fig)

    def _probes_html(self) -> str:
        cells = []
        for m in MODES:
            code, out = self.probe(m)
            zeroing = MODE_CODE[m] if self.steps_done else "# before the first step"
            text = f">>> {zeroing}\n>>> {code}\n{out}"
            color = "#b00020" if out.startswith(("TypeError", "IndexError")) else "#222"
            cells.append(
                f"<td style='vertical-align:top;padding:4px 10px'><b>{esc(_TITLE[m])}</b>"
                f"<pre style='color:{color};font-size:11px;margin:2px 0'>{esc(text)}</pre></td>"
            )
        return "<table><tr>" + "".join(cells) + "</tr></table>"

    def __repr__(self) -> str:
        return (
            f"AccumulationLab(model={type(self._template).__name__!r}, parameter={self.parameter.value!r}, "
            f"steps={self.steps_done}, modes={list(MODES)})"
        )


def _mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(
            f"AccumulationLab: unknown mode {mode!r}; the modes are {', '.join(map(repr, MODES))}"
        )
    return mode


def _check_model(model: Any) -> None:
    if not (callable(model) and hasattr(model, "parameters") and hasattr(model, "named_parameters")):
        raise TypeError(
            f"AccumulationLab: model must be an nn.Module (callable, with parameters()); got {type(model).__name__}"
        )


def _check_data(data: Any) -> tuple[Any, Any]:
    if not (isinstance(data, (tuple, list)) and len(data) == 2 and all(is_tensor(t) for t in data)):
        raise TypeError("AccumulationLab: data must be a pair of tensors (inputs, targets)")
    return data[0], data[1]


def _w(px: int) -> widgets.Layout:
    return widgets.Layout(width=f"{px}px")
