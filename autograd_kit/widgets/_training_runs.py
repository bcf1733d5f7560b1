"""Training runs for AccumulationLab: one copy of a model per gradient-zeroing mode, stepped in lockstep.

Each run does the tutorial's step (forward, loss, ``loss.backward()``, ``optimizer.step()``) and
then zeroes gradients its own way, and records the loss and every parameter's gradient norm as
``backward()`` left it. Models are duck-typed (``parameters()``, ``named_parameters()``, called on
the input), so a ``torch.nn.Module`` with a torch optimizer works the same way.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import default_generator, manual_seed, nn, optim, randn
from ._base import is_tensor, to_array

__all__ = [
    "MODES",
    "MODE_CODE",
    "TinyModel",
    "tutorial_setup",
    "tutorial_loss",
    "TrainingRun",
    "grad_probe",
    "default_optimizer",
]

# mode -> the zeroing code it runs after each optimizer step
MODE_CODE = {
    "no zeroing": "# (no zero_grad: the next backward() adds to .grad)",
    "zeros": "optimizer.zero_grad(set_to_none=False)",
    "None": "optimizer.zero_grad()",
}
MODES = tuple(MODE_CODE)

BATCH_SIZE, DIM_IN, HIDDEN_SIZE, DIM_OUT = 16, 1000, 100, 10


class TinyModel(nn.Module):
    """The autograd tutorial's model: Linear(1000, 100) -> ReLU -> Linear(100, 10)."""

    def __init__(self) -> None:
        super().__init__()
        self.layer1 = nn.Linear(DIM_IN, HIDDEN_SIZE)
        self.relu = nn.ReLU()
        self.layer2 = nn.Linear(HIDDEN_SIZE, DIM_OUT)

    def forward(self, x: Any) -> Any:
        """layer2(relu(layer1(x)))."""
        return self.layer2(self.relu(self.layer1(x)))


def tutorial_setup(seed: int | None) -> tuple[Any, Any, Any]:
    """``(TinyModel(), some_input, ideal_output)`` drawn in the tutorial's order from ``seed``.

    The global generator is seeded with ``manual_seed(seed)`` for the draws and then put back, so
    building a lab does not change the random numbers the rest of a notebook sees.
    """
    saved = default_generator.get_state()
    try:
        if seed is not None:
            manual_seed(seed)
        model = TinyModel()
        some_input = randn(BATCH_SIZE, DIM_IN, requires_grad=False)
        ideal_output = randn(BATCH_SIZE, DIM_OUT, requires_grad=False)
    finally:
        if seed is not None:
            default_generator.set_state(saved)
    return model, some_input, ideal_output


def tutorial_loss(prediction: Any, target: Any) -> Any:
    """The tutorial's loss: ``(ideal_output - prediction).pow(2).sum()``."""
    return (target - prediction).pow(2).sum()


def grad_probe(name: str, param: Any) -> tuple[str, str]:
    """The tutorial's ``print(model.layer2.weight.grad[0][0:10])`` for any parameter: (code, output)."""
    parts = [f"[{p}]" if p.isdigit() else f".{p}" for p in name.split(".")]
    index = {0: "", 1: "[0:10]"}.get(len(tuple(param.shape)), "[0][0:10]")
    code = f"print(model{''.join(parts)}.grad{index})"
    grad = param.grad
    try:
        value = grad if not index else (grad[0:10] if index == "[0:10]" else grad[0][0:10])
        return code, str(value)
    except Exception as exc:  # the lesson: after zero_grad() the grad is None, and None[0] fails
        return code, f"{type(exc).__name__}: {exc}"


def _grad_norm(param: Any) -> float:
    g = to_array(param.grad)
    return float("nan") if g is None else float(np.linalg.norm(g.astype(np.float64).ravel()))


@dataclass
class TrainingRun:
    """One model copy, its optimizer, and what each step recorded."""

    mode: str
    model: Any
    optimizer: Any
    losses: list[float] = field(default_factory=list)
    grad_norms: dict[str, list[float]] = field(default_factory=dict)
    diverged_at: int | None = None

    @classmethod
    def start(cls, mode: str, template: Any, make_optimizer: Callable) -> TrainingRun:
        """A fresh copy of ``template`` with a new optimizer over its parameters."""
        model = copy.deepcopy(template)
        run = cls(mode, model, make_optimizer(model.parameters()))
        run.grad_norms = {name: [] for name, _ in model.named_parameters()}
        return run

    def step(self, inputs: Any, targets: Any, loss_fn: Callable, update: bool) -> None:
        """Forward, loss, backward, (optimizer step), then this run's zeroing; record the results."""
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a diverging run is reported, not warned about
            loss = loss_fn(self.model(inputs), targets)
            if not is_tensor(loss) or int(np.prod(tuple(loss.shape))) != 1:
                raise ValueError(
                    "the loss function must return a single-element tensor, got "
                    + (f"shape {list(loss.shape)}" if is_tensor(loss) else type(loss).__name__)
                )
            loss.backward()
            value = float(to_array(loss).reshape(()))
            for name, p in self.model.named_parameters():
                self.grad_norms[name].append(_grad_norm(p))
            if update:
                self.optimizer.step()
            if self.mode == "zeros":
                self.optimizer.zero_grad(set_to_none=False)
            elif self.mode == "None":
                self.optimizer.zero_grad()
        self.losses.append(value)
        if self.diverged_at is None and not np.isfinite(value):
            self.diverged_at = len(self.losses)

    def parameter(self, name: str) -> Any:
        """This run's copy of the named parameter."""
        return dict(self.model.named_parameters())[name]

    def grad(self, name: str) -> np.ndarray | None:
        """The parameter's ``.grad`` now (after this run's zeroing), or None."""
        g = to_array(self.parameter(name).grad)
        return None if g is None else g.copy()


def default_optimizer(lr: float) -> Callable:
    """``params -> optim.SGD(params, lr=lr)``, the tutorial's optimizer."""
    return lambda params: optim.SGD(params, lr=lr)
