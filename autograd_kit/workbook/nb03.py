"""The exercises of notebook 3 (training): accumulation, an SGD update by hand, a whole training step."""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd_kit as torch

from ._compare import as_array, expect_callable, expect_close, expect_equal, kept_random_state
from ._exercise import Exercise, ExerciseSet, Wrong

__all__ = ["exercises"]


def _check_accumulated(answer: Any) -> str:
    expect_equal(
        answer,
        3,
        mistakes={
            1: "backward() does not overwrite .grad, it adds to it.",
            0: "nothing cleared .grad: the three passes add up.",
        },
    )
    return ".grad holds the sum of the three passes: 3 times one gradient."


def _check_sgd(sgd: Any) -> str:
    expect_callable(sgd, "sgd(w, grad, lr), which returns the updated weights")
    w = torch.tensor([1.0, -2.0, 0.5])
    grad = torch.tensor([0.5, 0.25, -4.0])
    expect_close(
        sgd(w.clone(), grad.clone(), 0.1),
        w - 0.1 * grad,
        what="sgd(w, grad, lr)",
        mistakes={
            "the step goes up the gradient: descent goes against it, w - lr * grad.": w + 0.1 * grad,
            "the learning rate is missing: w - lr * grad.": w - grad,
            "that is the step -lr * grad alone; add it to w.": -0.1 * grad,
        },
    )
    return "new w = w - lr · grad, as optimizer.step() does for SGD."


def _model_and_data() -> tuple[Any, Any, Any]:
    # fixed numbers from NumPy's own generator: checking must not move the notebook's torch seed
    rng = np.random.default_rng(3)
    with kept_random_state():
        model = torch.nn.Linear(3, 2)
    with torch.no_grad():
        model.weight.copy_(torch.tensor(rng.normal(size=(2, 3)), dtype=torch.float32))
        model.bias.copy_(torch.tensor(rng.normal(size=2), dtype=torch.float32))
    x = torch.tensor(rng.normal(size=(4, 3)), dtype=torch.float32)
    return model, x, torch.tensor(rng.normal(size=(4, 2)), dtype=torch.float32)


def _reference_weights(steps: int, zero_grad: bool) -> list[Any]:
    model, x, y = _model_and_data()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    weights = []
    for _ in range(steps):
        if zero_grad:
            optimizer.zero_grad()
        ((model(x) - y) ** 2).sum().backward()
        optimizer.step()
        weights.append(as_array(model.weight).copy())
    return weights


def _check_train_step(train_step: Any) -> str:
    expect_callable(train_step, "train_step(model, optimizer, x, y)")
    right = _reference_weights(3, zero_grad=True)
    forgot_zero = _reference_weights(3, zero_grad=False)
    model, x, y = _model_and_data()
    start = as_array(model.weight).copy()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range(3):
        train_step(model, optimizer, x, y)
        now = as_array(model.weight)
        if step == 0 and (now == start).all():
            grad = model.weight.grad
            if grad is None or not as_array(grad).any():
                raise Wrong(
                    "the weights did not move and .grad is empty: zero_grad() ran after backward() and "
                    "before step(); it belongs before backward()."
                )
            raise Wrong("the weights did not move: call optimizer.step() after loss.backward().")
        if step > 0 and now.shape == forgot_zero[step].shape and (abs(now - forgot_zero[step]) < 1e-5).all():
            raise Wrong(
                f"forgot zero_grad(): step 1 is right, but step {step + 1} used the sum of all the "
                "gradients so far. Call optimizer.zero_grad() before backward()."
            )
        expect_close(now, right[step], what=f"the weights after step {step + 1}")
    return "zero_grad, forward, loss, backward, step: three steps, each from its own gradient."


EXERCISES = (
    Exercise(
        "accumulated",
        "easy",
        "loss.backward() runs 3 times with no zero_grad(): .grad holds how many times one pass's gradient?",
        _check_accumulated,
        ("Does backward() overwrite .grad or add to it? Look at the 'Gradients accumulate' cell.",),
        "answer = 3",
    ),
    Exercise(
        "sgd",
        "easy",
        "write sgd(w, grad, lr): the weights after one plain SGD step",
        _check_sgd,
        ("Gradient descent moves against the gradient.", "return w - lr * grad"),
        "def sgd(w, grad, lr):\n    return w - lr * grad",
    ),
    Exercise(
        "train_step",
        "think",
        "write train_step(model, optimizer, x, y): one SGD step on the loss ((model(x) - y) ** 2).sum()",
        _check_train_step,
        (
            "Four lines: clear the gradients, compute the loss, backward, step.",
            "The order matters: zero_grad() before backward(), step() after it.",
        ),
        "def train_step(model, optimizer, x, y):\n    optimizer.zero_grad()\n"
        "    loss = ((model(x) - y) ** 2).sum()\n    loss.backward()\n    optimizer.step()\n    return loss",
    ),
)


def exercises() -> ExerciseSet:
    """A fresh set of notebook 3's exercises (hint counters start at zero)."""
    return ExerciseSet("03", EXERCISES)
