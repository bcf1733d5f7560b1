"""Helpers shared by the test_engine_*.py files (the autograd graph and backward engine)."""

from __future__ import annotations

import numpy as np

import autograd_kit as ak

SECOND_BACKWARD = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)


def leaf(values, dtype=np.float64):
    """A leaf tensor that requires grad (float64 unless told)."""
    return ak.tensor(np.array(values, dtype=dtype), requires_grad=True)


def const(values, dtype=np.float64):
    return ak.tensor(np.array(values, dtype=dtype))


def arr(t):
    return t.detach().numpy()
