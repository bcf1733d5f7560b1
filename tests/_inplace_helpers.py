"""Helpers shared by the test_inplace_*.py files (float32 unless told)."""

from __future__ import annotations

import numpy as np

import autograd_kit as ak


def leaf(values, dtype=np.float32):
    return ak.tensor(np.array(values, dtype=dtype), requires_grad=True)


def const(values, dtype=np.float32):
    return ak.tensor(np.array(values, dtype=dtype))


def arr(t):
    return t.detach().numpy()
