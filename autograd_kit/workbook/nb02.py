"""The exercises of notebook 2 (computing gradients): the chain rule by hand, what the stepper shows, .grad."""

from __future__ import annotations

import math
from typing import Any

import autograd_kit as torch

from ._compare import as_array, expect_callable, expect_close
from ._exercise import Exercise, ExerciseSet, Wrong

__all__ = ["exercises"]


def _tutorial_a() -> torch.Tensor:
    return torch.linspace(0.0, 2.0 * math.pi, steps=25)


def _check_chain_rule(my_grad: Any) -> str:
    expect_callable(my_grad, "my_grad(a), which returns ∂out/∂a for a tensor a")
    for a in (_tutorial_a(), torch.tensor([-1.0, 0.5, 3.0])):
        expect_close(
            my_grad(a.clone()),
            2 * torch.cos(a),
            what="my_grad(a)",
            mistakes={
                "that is cos(a): the MulBackward0 node multiplies the gradient by 2 on its way down.": torch.cos(
                    a
                ),
                "that is ∂out/∂b, what arrives at SinBackward0; one node further it is multiplied by cos(a).": 2
                * torch.ones_like(a),
                "the derivative of sin is cos, not sin.": 2 * torch.sin(a),
                "that is d = 2 sin(a) + 1 itself, not its derivative.": 2 * torch.sin(a) + 1,
            },
        )
    return "∂out/∂a = 1 · 1 · 2 · cos(a): one factor per node, as the BackwardStepper shows."


def _check_grad_into_sin(answer: Any) -> str:
    a = _tutorial_a()
    expect_close(
        answer,
        torch.full((25,), 2.0),
        mistakes={
            "that arrives at MulBackward0; it multiplies by 2 before passing the gradient on to SinBackward0.": torch.ones(
                25
            ),
            "that is what SinBackward0 sends on to a (after multiplying by cos(a)), not what arrives at it.": 2
            * torch.cos(a),
        },
    )
    return "SinBackward0 receives 2 everywhere and sends 2·cos(a) on to AccumulateGrad."


def _check_grad_of_cube(grad_of_cube: Any) -> str:
    expect_callable(grad_of_cube, "grad_of_cube(x), which returns ∂(x³).sum()/∂x")
    x = torch.tensor([-2.0, 0.5, 1.0, 3.0], requires_grad=True)
    first = grad_of_cube(x)
    if first is None:
        raise Wrong("grad_of_cube(x) returned None: return x.grad after calling backward().")
    first = as_array(first, "grad_of_cube(x)").copy()  # .grad may be changed in place by the next call
    expect_close(first, 3 * x.detach() ** 2, what="grad_of_cube(x)")
    second = as_array(grad_of_cube(x), "a second grad_of_cube(x)")
    expect_close(
        second,
        first,
        what="the second call on the same x",
        mistakes={
            "the second call on the same x returned twice the first: .grad accumulates over backward() "
            "calls. Clear x.grad (x.grad = None) before backward().": 2 * first
        },
    )
    return "and safe to call twice: the gradient of x³ is 3x²."


def _check_vjp(answer: Any) -> str:
    v = torch.tensor([0.1, 1.0, 0.0001])
    expect_close(
        answer,
        8 * v,
        what="x.grad",
        mistakes={
            "that is v itself: each of the three MulBackward0 nodes doubles it on its way down.": v,
            "only one doubling counted: y = x * 2 * 2 * 2 has three MulBackward0 nodes.": 2 * v,
            "two doublings counted: y = x * 2 * 2 * 2 has three MulBackward0 nodes.": 4 * v,
        },
    )
    return "x.grad = vᵀJ = 8·v: the vector-Jacobian product, J = 8·I."


EXERCISES = (
    Exercise(
        "chain_rule",
        "easy",
        "write my_grad(a) = ∂out/∂a for out = (2*sin(a) + 1).sum(), by hand (no backward)",
        _check_chain_rule,
        (
            "Go node by node from the top: SumBackward0 sends 1 to every element, AddBackward0 passes it on unchanged.",
            "MulBackward0 (the 2 *) multiplies what it receives by 2; SinBackward0 multiplies by sin's derivative.",
            "1 · 1 · 2 · cos(a). In code: return 2 * torch.cos(a)",
        ),
        "def my_grad(a):\n    return 2 * torch.cos(a)",
    ),
    Exercise(
        "grad_into_sin",
        "easy",
        "the gradient that arrives at SinBackward0 (∂out/∂b) for the 25-point a, as a tensor",
        _check_grad_into_sin,
        (
            "In the BackwardStepper, step to SinBackward0 and read 'gradient arriving'.",
            "stepper.steps[3].grad_outputs[0] is it; by hand it is 1 · 1 · 2 for every element.",
        ),
        "grad_into_sin = torch.full((25,), 2.)   # or torch.tensor(stepper.steps[3].grad_outputs[0])",
    ),
    Exercise(
        "grad_of_cube",
        "medium",
        "write grad_of_cube(x): ∂(x**3).sum()/∂x by autograd, right even when called twice on the same x",
        _check_grad_of_cube,
        (
            "Compute (x ** 3).sum(), call backward() on it, return x.grad.",
            "Call it twice on the same x: backward() adds to .grad, it does not overwrite it.",
            "Set x.grad = None before backward().",
        ),
        "def grad_of_cube(x):\n    x.grad = None              # .grad accumulates: start from nothing\n"
        "    (x ** 3).sum().backward()\n    return x.grad",
    ),
    Exercise(
        "vjp",
        "think",
        "x.grad after y = x * 2 * 2 * 2 and y.backward(v), v = [0.1, 1.0, 0.0001], worked out by hand",
        _check_vjp,
        (
            "backward(v) starts with v at y instead of 1, and each node multiplies by its local derivative.",
            "There are three MulBackward0 nodes, each multiplying by 2.",
        ),
        "answer = 8 * torch.tensor([0.1, 1.0, 0.0001])",
    ),
)


def exercises() -> ExerciseSet:
    """A fresh set of notebook 2's exercises (hint counters start at zero)."""
    return ExerciseSet("02", EXERCISES)
