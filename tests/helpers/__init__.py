"""Plain helpers shared by the test folders (fixtures live in tests/conftest.py).

One anchored ``raises`` for error messages, and the small tensors most tests start from. Helpers
that only one layer needs live beside this file: ``nn``, ``profiler``, ``widgets``.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd_kit as ak

# --- error messages -----------------------------------------------------------------------------


def raises(exc: type[BaseException], message: str):
    """``pytest.raises`` for exactly ``message``: the whole text, taken literally (no regex)."""
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


def raises_prefix(exc: type[BaseException], prefix: str):
    """``pytest.raises`` for a message that starts with ``prefix``: only where the start is what a
    test is about, e.g. the arguments an "invalid combination of arguments" error got, and not the
    list of overloads that torch appends to it (the test says why at the call)."""
    return pytest.raises(exc, match="^" + re.escape(prefix))


# Messages that several files check word for word (as torch 2.13 words them).
SECOND_BACKWARD = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)
LEAF = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF = "a view of a leaf Variable that requires grad is being used in an in-place operation."

# --- tensors ------------------------------------------------------------------------------------


def leaf(values, dtype=np.float64):
    """A leaf tensor that requires grad (float64 unless told)."""
    return ak.tensor(np.array(values, dtype=dtype), requires_grad=True)


def const(values, dtype=np.float64):
    """A tensor that does not require grad (float64 unless told)."""
    return ak.tensor(np.array(values, dtype=dtype))


def leaf32(values, dtype=np.float32):
    """``leaf`` for the in-place and pointwise tests, which work in the default dtype (float32)."""
    return leaf(values, dtype)


def const32(values, dtype=np.float32):
    return const(values, dtype)


def arr(t):
    """The values of a tensor as a NumPy array, outside the graph."""
    return t.detach().numpy()


def grid(*shape, requires_grad=False):
    """A float64 tensor holding 0, 1, 2, ... (distinct values make mix-ups visible)."""
    t = ak.tensor(np.arange(float(np.prod(shape))).reshape(shape), dtype=ak.float64)
    return t.requires_grad_() if requires_grad else t
