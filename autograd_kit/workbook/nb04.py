"""The exercises of notebook 4 (turning autograd off): what records, detached copies, in-place updates."""

from __future__ import annotations

from typing import Any

import autograd_kit as torch

from ._compare import as_array, expect_callable, expect_close
from ._exercise import Exercise, ExerciseSet, Wrong

__all__ = ["exercises"]

_RECORDS = {"y1": True, "y2": False, "y3": False, "y4": True}
_WHY = {
    "y1": "y1 = x * 2 is recorded: x requires grad and recording is on.",
    "y2": "y2 was computed inside no_grad(): nothing was recorded, so it does not require grad.",
    "y3": "x.detach() is cut off from the graph, so y3 = x.detach() * 2 has no history.",
    "y4": "y4 = y2 + x is computed outside no_grad() from x, which requires grad: it is recorded.",
}


def _check_requires_grad(answer: Any) -> str:
    if not isinstance(answer, dict):
        raise Wrong(f'answer with a dict such as {{"y1": True, ...}}, got {type(answer).__name__}')
    missing = [k for k in _RECORDS if k not in answer]
    if missing:
        raise Wrong(f"the dict has no entry for {', '.join(missing)}.")
    wrong = [k for k, v in _RECORDS.items() if bool(answer[k]) is not v]
    if wrong:
        raise Wrong(" ".join(_WHY[k] for k in wrong))
    return "recording depends on the inputs and on the mode at the moment of the operation."


def _check_frozen_copy(frozen_copy: Any) -> str:
    expect_callable(frozen_copy, "frozen_copy(x), which returns an independent copy without history")
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    copy = frozen_copy(x)
    if copy is x:
        raise Wrong("that is x itself, not a copy.")
    expect_close(copy, x, what="frozen_copy(x)")
    if getattr(copy, "requires_grad", False) or getattr(copy, "grad_fn", None) is not None:
        raise Wrong("the copy still requires grad (it is part of the graph): detach() it.")
    with torch.no_grad():
        copy[0] = 100.0
    if float(x[0]) == 100.0:
        raise Wrong("the copy shares memory with x: writing into it changed x. Add .clone().")
    return "detach() drops the history, clone() gives the copy its own memory."


def _check_sgd_step_(sgd_step_: Any) -> str:
    expect_callable(sgd_step_, "sgd_step_(w, lr), which updates w in place")
    w = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    (w**2).sum().backward()
    before, grad = as_array(w).copy(), as_array(w.grad).copy()
    try:
        sgd_step_(w, 0.1)
    except RuntimeError as exc:
        if "leaf Variable" in str(exc):
            raise Wrong(
                "in-place changes to a leaf that requires grad are refused while recording: "
                "do the update inside with torch.no_grad():"
            ) from None
        raise
    if not w.requires_grad or not w.is_leaf:
        raise Wrong("w is no longer a leaf that requires grad: update it in place under no_grad().")
    if (as_array(w) == before).all():
        raise Wrong(
            "w itself did not change: w = w - lr * w.grad makes a new tensor and leaves the caller's w "
            "alone. Update in place: w -= lr * w.grad"
        )
    expect_close(
        w,
        before - 0.1 * grad,
        what="w after sgd_step_(w, 0.1)",
        mistakes={"the step went up the gradient: w -= lr * w.grad.": before + 0.1 * grad},
    )
    return "the optimizer's own update: in place, under no_grad(), w stays the same leaf."


EXERCISES = (
    Exercise(
        "requires_grad",
        "easy",
        "which of y1..y4 (in the cell above) require grad? a dict {'y1': True/False, ...}",
        _check_requires_grad,
        (
            "A result requires grad when recording was on and one of its inputs requires grad.",
            "no_grad() turns recording off; detach() gives an input that does not require grad.",
        ),
        'answer = {"y1": True, "y2": False, "y3": False, "y4": True}',
    ),
    Exercise(
        "frozen_copy",
        "medium",
        "write frozen_copy(x): x's values, without history, in memory of its own",
        _check_frozen_copy,
        ("Two methods, one after the other.", "detach() shares memory; clone() copies."),
        "def frozen_copy(x):\n    return x.detach().clone()",
    ),
    Exercise(
        "sgd_step_",
        "think",
        "write sgd_step_(w, lr): update the leaf w in place by -lr * w.grad, as optimizer.step() does",
        _check_sgd_step_,
        (
            "The caller's w must change: update it in place (-=), not by making a new tensor.",
            "An in-place change of a leaf that requires grad is refused unless it is not recorded.",
            "with torch.no_grad():\n    w -= lr * w.grad",
        ),
        "def sgd_step_(w, lr):\n    with torch.no_grad():\n        w -= lr * w.grad",
    ),
)


def exercises() -> ExerciseSet:
    """A fresh set of notebook 4's exercises (hint counters start at zero)."""
    return ExerciseSet("04", EXERCISES)
