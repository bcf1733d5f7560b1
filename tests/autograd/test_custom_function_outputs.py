"""Outputs of a custom ``autograd.Function``: several outputs sharing one node,
set_materialize_grads, non-tensor outputs, returning an input, mark_non_differentiable.
Each behaviour was checked against torch 2.13 (its outputs are quoted in comments).
"""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.autograd import Function
from tests.helpers import arr, leaf


def test_several_outputs_share_one_node():
    class Two(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 * 2 + g2 * 3

    x = leaf([1.0, 2.0])
    p, q = Two.apply(x)
    assert p.grad_fn is q.grad_fn and p.grad_fn.name() == "TwoBackward"
    assert (p._output_nr, q._output_nr) == (0, 1)
    (p * q).sum().backward()  # d(6x^2)/dx
    np.testing.assert_allclose(arr(x.grad), 12 * np.array([1.0, 2.0]))


@pytest.mark.parametrize("materialize", [True, False])
def test_unused_output_gradient_materialized_or_none(materialize):
    # torch: materialize -> (tensor([0., 0.]), tensor([1., 1.])); else (None, tensor([1., 1.]))
    received = []

    class Two(Function):
        @staticmethod
        def forward(ctx, x, m):
            ctx.set_materialize_grads(m)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            received.append((g1, g2))
            first = g1 * 2 if g1 is not None else 0
            return first + g2 * 3, None

    x = leaf([1.0, 2.0])
    _, q = Two.apply(x, materialize)
    q.sum().backward()
    g1, g2 = received[0]
    if materialize:
        np.testing.assert_array_equal(arr(g1), [0.0, 0.0])
        assert isinstance(g1, ak.Tensor)
    else:
        assert g1 is None
    np.testing.assert_array_equal(arr(g2), [1.0, 1.0])
    np.testing.assert_array_equal(arr(x.grad), [3.0, 3.0])


def test_non_tensor_output_passes_through_and_gets_none():
    # torch: b == 7, backward gets g2 None even with materialize_grads on
    received = []

    class Mixed(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, 7

        @staticmethod
        def backward(ctx, g, g2):
            received.append(g2)
            return g * 2

    x = leaf([1.0, 2.0])
    a, b = Mixed.apply(x)
    assert b == 7
    a.sum().backward()
    assert received == [None]
    np.testing.assert_array_equal(arr(x.grad), [2.0, 2.0])


def test_returning_an_input_makes_a_new_tensor():
    # torch: y is not x, x stays a leaf, same storage, grad 5
    class Ident(Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 5

    x = leaf([1.0, 2.0])
    y = Ident.apply(x)
    assert y is not x and x.is_leaf and x.grad_fn is None
    assert y.grad_fn.name() == "IdentBackward" and y._version == 0
    assert np.shares_memory(arr(y), arr(x))
    y.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [5.0, 5.0])


def test_mark_non_differentiable():
    # torch: v.requires_grad True, idx.requires_grad False, backward gets a zero for idx
    received = []

    class WithIndex(Function):
        @staticmethod
        def forward(ctx, x):
            idx = x.detach().argmax().to(ak.float64)
            ctx.mark_non_differentiable(idx)
            return x * 2, idx

        @staticmethod
        def backward(ctx, g, g_idx):
            received.append(g_idx)
            return g * 2

    x = leaf([1.0, 5.0, 2.0])
    v, idx = WithIndex.apply(x)
    assert v.requires_grad and not idx.requires_grad and idx.grad_fn is None
    assert idx.item() == 1.0
    v.sum().backward()
    np.testing.assert_array_equal(arr(received[0]), 0.0)
    np.testing.assert_array_equal(arr(x.grad), [2.0, 2.0, 2.0])
