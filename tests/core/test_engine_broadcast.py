"""Gradients of broadcast operations are reduced to each input's shape, and each input's
gradient keeps that input's dtype (mixed float32/float64, 0-d operands).
"""

from __future__ import annotations

import numpy as np

import autograd_kit as ak
from tests.helpers import arr, leaf


def test_broadcast_gradients_reduce_to_input_shapes():
    rng = np.random.default_rng(0)
    av, bv = rng.standard_normal((3, 1)), rng.standard_normal(4)
    a, b = leaf(av), leaf(bv)
    (a * b).sum().backward()
    assert a.grad.shape == (3, 1) and b.grad.shape == (4,)
    np.testing.assert_allclose(arr(a.grad), np.full((3, 1), bv.sum()))
    np.testing.assert_allclose(arr(b.grad), np.full(4, av.sum()))
    a.grad = b.grad = None
    (a + b).sum().backward()
    np.testing.assert_allclose(arr(a.grad), np.full((3, 1), 4.0))
    np.testing.assert_allclose(arr(b.grad), np.full(4, 3.0))


def test_broadcast_zero_dim_with_vector():
    s, v = leaf(2.0), leaf([1.0, 2.0, 3.0])
    (s * v).sum().backward()
    assert s.grad.shape == () and v.grad.shape == (3,)
    np.testing.assert_allclose(arr(s.grad), 6.0)
    np.testing.assert_allclose(arr(v.grad), [2.0, 2.0, 2.0])


def test_broadcast_leading_and_inner_dims():
    a, b = leaf(np.ones((2, 3, 4))), leaf(np.arange(3.0).reshape(3, 1))
    (a * b).sum().backward()
    assert b.grad.shape == (3, 1)
    np.testing.assert_allclose(arr(b.grad), np.full((3, 1), 8.0))
    np.testing.assert_allclose(arr(a.grad), np.broadcast_to(np.arange(3.0).reshape(3, 1), (2, 3, 4)))


def test_mixed_float32_float64_grads_keep_each_inputs_dtype():
    a = leaf([1.0, 2.0], np.float32)
    b = leaf([3.0, 4.0], np.float64)
    out = a * b
    assert out.dtype == ak.float64
    out.sum().backward()
    assert a.grad.dtype == ak.float32 and b.grad.dtype == ak.float64
    np.testing.assert_allclose(arr(a.grad), [3.0, 4.0])
    np.testing.assert_allclose(arr(b.grad), [1.0, 2.0])


def test_float32_zero_dim_float64_grad_dtypes():
    a = leaf([1.0, 2.0], np.float32)
    s = leaf(3.0, np.float64)
    out = a * s  # 0-d float64 does not upcast
    assert out.dtype == ak.float32
    out.sum().backward()
    assert a.grad.dtype == ak.float32 and s.grad.dtype == ak.float64
    np.testing.assert_allclose(arr(s.grad), 3.0)
