"""Runs one scenario against autograd_kit and PyTorch and collects what each prints or raises,
so a differential test compares the two transcripts line by line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import autograd_kit


def transcript(scenario: Callable[[Any, list], None], module: Any) -> list[str]:
    """``scenario(torch_like_module, out)`` appends lines to ``out``; this returns them."""
    out: list[str] = []
    scenario(module, out)
    return out


def attempt(out: list, fn: Callable[[], Any]) -> None:
    """Append ``repr(fn())``, or the exception's type and message."""
    try:
        out.append(repr(fn()))
    except Exception as e:  # noqa: BLE001 -- the point is to record whatever is raised
        out.append(f"{type(e).__name__}: {e}")


def assert_same_as_torch(scenario: Callable[[Any, list], None]) -> None:
    """The scenario's transcript under autograd_kit equals the one under PyTorch."""
    torch = pytest.importorskip("torch")
    ours, theirs = transcript(scenario, autograd_kit), transcript(scenario, torch)
    # This module is not rewritten by pytest, so say which lines differ.
    diff = [f"line {i}:\n  ours:  {a}\n  torch: {b}" for i, (a, b) in enumerate(zip(ours, theirs)) if a != b]
    assert len(ours) == len(theirs) and not diff, "\n".join(diff) or f"{len(ours)} lines vs {len(theirs)}"
