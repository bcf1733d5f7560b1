"""The exercises of notebook 5 (profiling): backward row names, reading key_averages(), labelled blocks."""

from __future__ import annotations

from typing import Any

import autograd_kit as torch

from ._compare import expect_callable, expect_equal
from ._exercise import Exercise, ExerciseSet, Wrong

__all__ = ["exercises"]

_profile = torch.autograd.profiler.profile
_record_function = torch.autograd.profiler.record_function


def _check_backward_name(answer: Any) -> str:
    expect_equal(
        answer,
        "TanhBackward0",
        mistakes={
            "aten::tanh": "aten::tanh is the forward op; the backward node is named after the grad_fn.",
            "TanhBackward": "almost: the node names end with a number.",
            "autograd::engine::evaluate_function: TanhBackward0": "that row is the engine's bookkeeping "
            "around the node; the node's own row is just its name.",
        },
    )
    return "backward rows carry the grad_fn names, here TanhBackward0."


def _check_calls_of(calls_of: Any) -> str:
    expect_callable(calls_of, "calls_of(prof, name), which returns a row's number of calls")
    x = torch.ones(3)
    with _profile(clock="counter") as prof:
        for _ in range(7):
            x = x * 2
        for _ in range(3):
            x = x / 2
    for name, right in (("aten::mul", 7), ("aten::div", 3)):
        got = calls_of(prof, name)
        if hasattr(got, "count") and not isinstance(got, int):
            raise Wrong(f"calls_of(prof, {name!r}) returned the whole row; its number of calls is row.count.")
        if got != right:
            raise Wrong(
                f"calls_of(prof, {name!r}) = {got!r}, expected {right}: find the row whose .key is {name!r}."
            )
    return "each row of key_averages() has .key, .count and the times."


def _check_labelled(labelled_step: Any) -> str:
    expect_callable(labelled_step, "labelled_step(x), which computes inside record_function('my_block')")
    x = torch.ones(3, requires_grad=True)
    with _profile(clock="counter") as prof:
        labelled_step(x)
    keys = [row.key for row in prof.key_averages()]
    if "my_block" not in keys:
        raise Wrong(
            "the profile has no row 'my_block' (rows: "
            + ", ".join(keys)
            + "): wrap the computation in torch.autograd.profiler.record_function('my_block')."
        )
    if not any(k.startswith("aten::") for k in keys):
        raise Wrong("no op ran: the block should compute something from x, such as (x * 2).sum().")
    return "a labelled block is one row of its own, beside the ops that ran in it."


EXERCISES = (
    Exercise(
        "backward_name",
        "easy",
        "the name of the backward row for the forward op aten::tanh",
        _check_backward_name,
        ("Backward rows are named like grad_fn nodes: <Op>Backward<n>.",),
        'answer = "TanhBackward0"',
    ),
    Exercise(
        "calls_of",
        "medium",
        "write calls_of(prof, name): the '# of Calls' of the row called name in prof.key_averages()",
        _check_calls_of,
        (
            "prof.key_averages() is a list of rows; each has .key (the name) and .count.",
            "Loop over the rows and return row.count where row.key == name.",
        ),
        "def calls_of(prof, name):\n    return next(row.count for row in prof.key_averages() if row.key == name)",
    ),
    Exercise(
        "labelled",
        "medium",
        "write labelled_step(x): compute (x * 2).sum() inside a block labelled 'my_block'",
        _check_labelled,
        ("torch.autograd.profiler.record_function(label) is a context manager.",),
        "def labelled_step(x):\n    with torch.autograd.profiler.record_function('my_block'):\n"
        "        return (x * 2).sum()",
    ),
)


def exercises() -> ExerciseSet:
    """A fresh set of notebook 5's exercises (hint counters start at zero)."""
    return ExerciseSet("05", EXERCISES)
