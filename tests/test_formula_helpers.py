"""ops._math helpers that backward formulas share: they must give the same values on arrays
and on Tensors, and reuse memory only where nothing else can see it."""

from __future__ import annotations

import numpy as np

import autograd_kit as ak
from autograd_kit.ops import _math


def test_times_grad_writes_into_the_fresh_array_when_shapes_and_dtypes_agree():
    fresh = np.array([1.0, 2.0, 3.0], dtype=np.float32)
    grad = np.array([2.0, 2.0, -1.0], dtype=np.float32)
    out = _math.times_grad(fresh, grad)
    assert out is fresh
    np.testing.assert_array_equal(out, [2.0, 4.0, -3.0])
    np.testing.assert_array_equal(grad, [2.0, 2.0, -1.0])  # the incoming gradient is untouched


def test_times_grad_falls_back_to_a_new_product_otherwise():
    fresh = np.array([1.0, 2.0], dtype=np.float32)
    broadcasting = np.ones((3, 2), dtype=np.float32)  # result larger than fresh
    out = _math.times_grad(fresh, broadcasting)
    assert out.shape == (3, 2) and out is not fresh
    np.testing.assert_array_equal(fresh, [1.0, 2.0])
    wider = np.array([0.5, 0.5], dtype=np.float64)  # grad * fresh promotes: no in-place cast
    out = _math.times_grad(fresh, wider)
    assert out.dtype == np.float64 and out is not fresh
    frozen = np.array([1.0, 2.0], dtype=np.float32)
    frozen.flags.writeable = False
    assert _math.times_grad(frozen, np.ones(2, np.float32)) is not frozen


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
