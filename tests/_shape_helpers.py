"""Helpers shared by the shape and indexing tests."""

from __future__ import annotations

import numpy as np

import autograd_kit as ak

LEAF = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF = "a view of a leaf Variable that requires grad is being used in an in-place operation."


def grid(*shape, requires_grad=False):
    """A float64 tensor holding 0, 1, 2, ... (distinct values make mix-ups visible)."""
    t = ak.tensor(np.arange(float(np.prod(shape))).reshape(shape), dtype=ak.float64)
    return t.requires_grad_() if requires_grad else t
