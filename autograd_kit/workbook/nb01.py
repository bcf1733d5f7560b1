"""The exercises of notebook 1 (tracking the graph): node names, walking next_functions, counting nodes."""

from __future__ import annotations

import math
from typing import Any

import autograd_kit as torch

from ._compare import expect_callable, expect_equal
from ._exercise import Exercise, ExerciseSet, Wrong

__all__ = ["exercises"]


def _check_grad_fn_name(answer: Any) -> str:
    if hasattr(answer, "name") and callable(answer.name):
        raise Wrong("that is the node itself; give its name as a string: node.name().")
    expect_equal(
        answer,
        "MulBackward0",
        mistakes={
            "ExpBackward0": "ExpBackward0 is one node further down: grad_fn belongs to the last operation.",
            "MulBackward": "almost: the names end with a number, as in SinBackward0.",
            "AccumulateGrad": "AccumulateGrad sits at the leaf x; grad_fn belongs to the last operation.",
        },
    )
    return "the last operation, * 3, made y: its grad_fn is a MulBackward0."


def _graphs() -> list[tuple[str, Any, Any]]:
    a = torch.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
    b = torch.tensor([1.0, 2.0], requires_grad=True)
    c = torch.tensor([3.0, 4.0], requires_grad=True)
    return [
        ("(2 * sin(a) + 1).sum()", (2 * torch.sin(a) + 1).sum(), a),
        ("(exp(b) * 3 + c).sum()", (torch.exp(b) * 3 + c).sum(), b),
    ]


def _check_first_leaf(leaf_of: Any) -> str:
    expect_callable(leaf_of, "leaf_of(t), which returns the leaf found by walking next_functions[0][0]")
    for text, out, leaf in _graphs():
        got = leaf_of(out)
        if got is leaf:
            continue
        if hasattr(got, "variable") and got.variable is leaf:
            raise Wrong(f"leaf_of({text}) returned the AccumulateGrad node; the leaf is its .variable.")
        if got is None:
            raise Wrong(
                f"leaf_of({text}) returned None: did it return at all, or follow a (None, 0) pair (a constant)?"
            )
        if hasattr(got, "shape") and got.shape == leaf.shape and torch.equal(got.detach(), leaf.detach()):
            raise Wrong(
                f"leaf_of({text}) returned a tensor equal to the leaf, but not the leaf itself (a copy?)."
            )
        raise Wrong(f"leaf_of({text}) returned {type(got).__name__}, not the leaf at the end of the walk.")
    return "AccumulateGrad.variable is the very leaf tensor: `is`, not just equal values."


def _check_count_nodes(count_nodes: Any) -> str:
    expect_callable(count_nodes, "count_nodes(t), which counts the distinct nodes under t.grad_fn")
    x = torch.tensor(2.0, requires_grad=True)
    y = torch.tensor(3.0, requires_grad=True)
    a = torch.linspace(0.0, 1.0, steps=5, requires_grad=True)
    cases = [
        ("(2 * sin(a) + 1).sum()", (2 * torch.sin(a) + 1).sum(), 5, {7: "you counted the constants too"}),
        ("x * y + y ** 2", x * y + y**2, 5, {6: "you counted a node twice", 7: "you counted a node twice"}),
    ]
    for text, out, right, known in cases:
        got = count_nodes(out)
        if got == right:
            continue
        hint = known.get(got, "")
        if hint == "you counted a node twice":
            hint += (
                ": y's AccumulateGrad is reached by two paths, but it is one node. Remember the nodes"
                " you have seen (a set) and skip them."
            )
        elif hint:
            hint += ": a (None, 0) pair is a constant, not a node."
        raise Wrong(f"count_nodes({text}) = {got!r}, expected {right}. {hint}".rstrip())
    return "a graph is a DAG: a node reached by two paths is still one node."


EXERCISES = (
    Exercise(
        "grad_fn_name",
        "easy",
        "the name of y.grad_fn for y = torch.exp(x) * 3, as a string",
        _check_grad_fn_name,
        ("grad_fn belongs to the operation that made the tensor: which ran last?", "The multiplication."),
        'answer = "MulBackward0"   # (torch.exp(x) * 3).grad_fn.name()',
    ),
    Exercise(
        "first_leaf",
        "medium",
        "write leaf_of(t): follow next_functions[0][0] from t.grad_fn down to AccumulateGrad, return its leaf",
        _check_first_leaf,
        (
            "Start with node = t.grad_fn; while it has no .variable, go to node.next_functions[0][0].",
            "AccumulateGrad nodes have a .variable: the leaf tensor.",
        ),
        "def leaf_of(t):\n    node = t.grad_fn\n    while not hasattr(node, 'variable'):\n"
        "        node = node.next_functions[0][0]\n    return node.variable",
    ),
    Exercise(
        "count_nodes",
        "think",
        "write count_nodes(t): the number of distinct nodes (AccumulateGrad included, None not) under t.grad_fn",
        _check_count_nodes,
        (
            "Walk next_functions recursively, as walk() does above, but count instead of printing.",
            "Skip the (None, 0) pairs: constants are not nodes.",
            "In x * y + y ** 2, y is used twice: keep a set of the nodes seen and count each once.",
        ),
        "def count_nodes(t):\n    seen, todo = set(), [t.grad_fn]\n    while todo:\n        node = todo.pop()\n"
        "        if node is None or node in seen:\n            continue\n        seen.add(node)\n"
        "        todo.extend(child for child, _ in node.next_functions)\n    return len(seen)",
    ),
)


def exercises() -> ExerciseSet:
    """A fresh set of notebook 1's exercises (hint counters start at zero)."""
    return ExerciseSet("01", EXERCISES)
