"""ops._math helpers that backward formulas share: they must give the same values on arrays
and on Tensors, and reuse memory only where nothing else can see it."""

from __future__ import annotations

import numpy as np

import autograd_kit as ak
from autograd_kit.ops import _math


def test_times_grad_writes_into_a_large_fresh_array_when_shapes_and_dtypes_agree():
    n = _math._IN_PLACE_MIN + 1
    fresh = np.arange(n, dtype=np.float32)
    grad = np.full(n, -2.0, dtype=np.float32)
    out = _math.times_grad(fresh, grad)
    assert out is fresh
    np.testing.assert_array_equal(out, -2.0 * np.arange(n, dtype=np.float32))
    np.testing.assert_array_equal(grad, np.full(n, -2.0, dtype=np.float32))  # untouched
    small = np.array([1.0, 2.0], dtype=np.float32)  # small: a new product is cheaper
    out = _math.times_grad(small, np.array([3.0, 3.0], dtype=np.float32))
    assert out is not small and out.tolist() == [3.0, 6.0] and small.tolist() == [1.0, 2.0]


def test_times_grad_falls_back_to_a_new_product_otherwise():
    n = _math._IN_PLACE_MIN + 1
    fresh = np.ones(n, dtype=np.float32)
    broadcasting = np.ones((3, n), dtype=np.float32)  # result larger than fresh
    out = _math.times_grad(fresh, broadcasting)
    assert out.shape == (3, n) and out is not fresh
    wider = np.full(n, 0.5, dtype=np.float64)  # grad * fresh promotes: no in-place cast
    out = _math.times_grad(fresh, wider)
    assert out.dtype == np.float64 and out is not fresh
    fresh.flags.writeable = False
    assert _math.times_grad(fresh, np.ones(n, np.float32)) is not fresh


def test_times_grad_on_tensors_records_a_graph():
    x = ak.tensor([1.0, 2.0], requires_grad=True)
    out = _math.times_grad(x * 3, ak.tensor([2.0, 1.0]))
    assert out.grad_fn is not None
    out.sum().backward()
    assert x.grad.tolist() == [6.0, 3.0]


def test_formulas_that_reuse_their_temporary_leave_saved_values_intact():
    x = ak.tensor([0.3, -1.2, 2.0], dtype=ak.float64, requires_grad=True)
    y = x.tanh()
    kept = y.detach().numpy().copy()
    (y.sin() ** 2).sum().backward(retain_graph=True)
    first = x.grad.clone()
    np.testing.assert_array_equal(y.detach().numpy(), kept)
    x.grad = None
    (y.sin() ** 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), first.numpy())
    s = np.sin(np.tanh(x.detach().numpy()))
    expected = 2 * s * np.cos(np.tanh(x.detach().numpy())) * (1 - np.tanh(x.detach().numpy()) ** 2)
    np.testing.assert_allclose(first.numpy(), expected, rtol=1e-12)
