"""The exercises of notebook 6 (beyond the tutorial): a second derivative, autograd.grad, Jacobian shapes."""

from __future__ import annotations

from typing import Any

import autograd_kit as torch

from ._compare import expect_callable, expect_close, expect_equal
from ._exercise import Exercise, ExerciseSet, Wrong

__all__ = ["exercises"]


def _check_second_derivative(answer: Any) -> str:
    expect_close(
        answer,
        18.0,
        mistakes={
            "27 is the first derivative, 3x² at x = 3: differentiate once more.": 27.0,
            "6 is the third derivative of x³; the second is 6x.": 6.0,
        },
    )
    return "d²(x³)/dx² = 6x = 18 at x = 3."


def _check_derivative(derivative: Any) -> str:
    expect_callable(derivative, "derivative(f, x), which returns df/dx and leaves x.grad alone")
    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    got = derivative(lambda t: (t**3).sum(), x)
    if isinstance(got, tuple) and len(got) == 1:
        raise Wrong(
            "autograd.grad returns a tuple, one gradient per input: return its element, not the tuple."
        )
    expect_close(got, 3 * x.detach() ** 2, what="derivative(f, x)")
    if x.grad is not None:
        raise Wrong(
            "x.grad was filled: backward() adds to .grad. torch.autograd.grad returns the gradient instead."
        )
    return "torch.autograd.grad gives the gradient as a value and leaves .grad alone."


def _check_jacobian_shape(answer: Any) -> str:
    answer = tuple(answer) if isinstance(answer, (list, torch.Size)) else answer
    expect_equal(
        answer,
        (2, 3),
        mistakes={(3, 2): "transposed: a Jacobian has one row per output and one column per input."},
    )
    return "one row per output (2), one column per input (3)."


EXERCISES = (
    Exercise(
        "second_derivative",
        "easy",
        "d²(x**3)/dx² at x = 3, as a number (compute it with create_graph=True, or by hand)",
        _check_second_derivative,
        (
            "First derivative: torch.autograd.grad(x ** 3, x, create_graph=True).",
            "Then differentiate that gradient again with torch.autograd.grad.",
        ),
        "x = torch.tensor(3., requires_grad=True)\n(g,) = torch.autograd.grad(x ** 3, x, create_graph=True)\n"
        "(answer,) = torch.autograd.grad(g, x)",
    ),
    Exercise(
        "derivative",
        "medium",
        "write derivative(f, x): df/dx for a scalar f(x), without touching x.grad",
        _check_derivative,
        ("backward() would fill x.grad; another function returns the gradient instead.",),
        "def derivative(f, x):\n    (g,) = torch.autograd.grad(f(x), x)\n    return g",
    ),
    Exercise(
        "jacobian_shape",
        "easy",
        "the shape of jacobian(f, x) for f from 3 numbers to 2 numbers, as a tuple",
        _check_jacobian_shape,
        ("One row per output element.",),
        "answer = (2, 3)",
    ),
)


def exercises() -> ExerciseSet:
    """A fresh set of notebook 6's exercises (hint counters start at zero)."""
    return ExerciseSet("06", EXERCISES)
