"""Helpers of the profiler tests: small float32 tensors and user Functions with known behaviour."""

from __future__ import annotations

import numpy as np

import autograd_kit as ak
from autograd_kit._tensor.tensor import wrap_array

EVAL = "autograd::engine::evaluate_function: "
ACC = "torch::autograd::AccumulateGrad"


def leaf(*values, shape=None):
    """A float32 leaf made straight from NumPy (``wrap_array``), so no factory shows in a profile."""
    data = np.array(values, dtype=np.float32)
    return wrap_array(data if shape is None else data.reshape(shape)).requires_grad_()


def ones(shape):
    return wrap_array(np.ones(shape, dtype=np.float32))


class Twice(ak.autograd.Function):
    """A user Function whose forward runs a built-in op: the op nests inside its event."""

    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, grad):
        return grad * 2


class Flat(ak.autograd.Function):
    """Returns a view of its input: no new memory."""

    @staticmethod
    def forward(ctx, x):
        return wrap_array(x._data.reshape(-1))

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(2, 3) if hasattr(grad, "reshape") else grad


class Fails(ak.autograd.Function):
    """Runs an op, then rejects its input."""

    @staticmethod
    def forward(ctx, x):
        x * 2
        raise ValueError("Fails: no negative input")


def names(prf):
    return [e.name for e in prf.events()]
