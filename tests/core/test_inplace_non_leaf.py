"""Gradients through in-place ops on non-leaf tensors (values from torch 2.13 and gradcheck),
in-place ops under no_grad, and the dtype and broadcast-shape errors of in-place ops.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.autograd import gradcheck
from tests.helpers import arr
from tests.helpers import const32 as const
from tests.helpers import leaf32 as leaf


def test_mul_inplace_on_non_leaf():
    x = leaf([1.0, 2.0, 3.0])
    y = x * 2
    y.mul_(3)
    assert y.grad_fn.name() == "MulBackward0" and y._version == 1
    y.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [6.0, 6.0, 6.0])


def test_add_inplace_with_tensor_requiring_grad():
    # torch: y = 2x; y.add_(w*w); y.mul_(x) -> x.grad = 4x + w^2, w.grad = 2wx
    xs, ws = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    x, w = leaf(xs), leaf(ws)
    y = x * 2
    y.add_(w * w)
    y.mul_(x)
    assert y.grad_fn.next_functions[0][0].name() == "AddBackward0"
    y.sum().backward()
    np.testing.assert_allclose(arr(x.grad), 4 * xs + ws**2)
    np.testing.assert_allclose(arr(w.grad), 2 * ws * xs)


def test_iadd_on_non_leaf():
    x = leaf([1.0, 2.0])
    y = x * x
    before = id(y)
    y += 1
    assert id(y) == before and y.grad_fn.name() == "AddBackward0" and y._version == 1
    y.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [2.0, 4.0])


@pytest.mark.parametrize(
    "inplace, expected",
    [
        (lambda y, x: y.pow_(2), lambda xs: 2 * xs),  # torch: [2, 4, 6]
        (lambda y, x: y.div_(x), lambda xs: 0 * xs),  # torch: [0, 0, 0]
        (lambda y, x: y.sub_(x, alpha=2).neg_(), lambda xs: np.ones_like(xs)),
        (lambda y, x: y.neg_().sub_(x, alpha=2), lambda xs: -3 * np.ones_like(xs)),  # torch: -3
        (lambda y, x: y.reciprocal_(), lambda xs: -1 / xs**2),
    ],
)
def test_inplace_chain_gradients(inplace, expected):
    xs = np.array([1.0, 2.0, 3.0])
    x = leaf(xs, np.float64)
    y = x * 1
    inplace(y, x)
    y.sum().backward()
    np.testing.assert_allclose(arr(x.grad), expected(xs))


def test_inplace_on_intermediate_passes_gradcheck():
    def f(x, w):
        y = x * w
        y.add_(x)
        y.mul_(w)
        y -= x * x
        return y

    rng = np.random.default_rng(0)
    x = leaf(rng.uniform(0.5, 2, (3, 2)), np.float64)
    w = leaf(rng.uniform(0.5, 2, (2,)), np.float64)
    assert gradcheck(f, (x, w))


def test_inplace_on_non_leaf_under_no_grad_is_not_tracked():
    # torch: grad_fn stays MulBackward0 (the original), version 1, x.grad = 2
    x = leaf([1.0, 1.0])
    y = x * 2
    node = y.grad_fn
    with ak.no_grad():
        y.mul_(3)
    assert y.grad_fn is node and y._version == 1
    np.testing.assert_array_equal(arr(y), [6.0, 6.0])
    y.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [2.0, 2.0])


def test_inplace_result_keeps_dtype_and_rejects_promotion():
    n = const([1, 2], np.int64)
    with pytest.raises(
        RuntimeError, match=re.escape("result type Float can't be cast to the desired output type Long")
    ):
        n += 2.5
    with pytest.raises(
        RuntimeError, match=re.escape("result type Float can't be cast to the desired output type Long")
    ):
        n.mul_(const([1.0, 1.0]))
    b = const([True, False], np.bool_)
    with pytest.raises(
        RuntimeError, match=re.escape("result type Long can't be cast to the desired output type Bool")
    ):
        b += 1
    f = const([1.0, 2.0])
    f *= const([2.0, 2.0], np.float64)  # torch: float32 *= float64 stays float32
    assert f.dtype == ak.float32
    np.testing.assert_array_equal(f.numpy(), [2.0, 4.0])


def test_inplace_broadcast_shape_error():
    with pytest.raises(
        RuntimeError, match=re.escape("output with shape [3] doesn't match the broadcast shape [2, 3]")
    ):
        const(np.ones(3)).add_(const(np.ones((2, 3))))
