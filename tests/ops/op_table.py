"""The op table: one OpCase per op variant, collected from tests/op_cases/<family>.py."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class OpCase:
    """How to check one op.

    fn:      takes autograd_kit Tensors (one per shape in a combo), returns a Tensor (or tuple).
    ref:     the same computation on NumPy float64 arrays (forward check); None to skip it.
    shapes:  list of shape combos, e.g. [((3,), (3,)), ((2, 1), (3,)), ((), (4,))].
    low/high: the range inputs are drawn from (keep away from kinks and poles).
    node:    expected ``grad_fn.name()`` of the output (None to skip).
    second_order: also run gradgradcheck.
    fan_out: also check fn(x, x, ...) with one tensor used for every input (same shapes only).
    make_inputs: optional rng -> tuple of arrays, replacing shapes/low/high (e.g. distinct values
             for max, SPD matrices); shapes is then ignored.
    """

    name: str
    fn: Callable[..., Any]
    ref: Callable[..., Any] | None
    shapes: list = field(default_factory=lambda: [((3, 4),)])
    low: float = -2.0
    high: float = 2.0
    node: str | None = None
    second_order: bool = True
    fan_out: bool = True
    make_inputs: Callable[[np.random.Generator], tuple] | None = None
    atol: float = 1e-5
    rtol: float = 1e-3

    def __str__(self) -> str:
        return self.name


def all_cases() -> list[OpCase]:
    """Every CASES list from the tests/op_cases package."""
    from . import op_cases

    cases: list[OpCase] = []
    for info in sorted(pkgutil.iter_modules(op_cases.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{op_cases.__name__}.{info.name}")
        cases.extend(getattr(module, "CASES", []))
    return cases
