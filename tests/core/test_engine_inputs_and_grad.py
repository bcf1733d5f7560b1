"""Differentiating with respect to chosen tensors: backward(inputs=...) and autograd.grad
(allow_unused, materialize_grads, non-leaf inputs, grad_outputs, retain_graph), plus the
argument checks of backward() and autograd.grad. Error texts were checked against torch 2.13.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import SECOND_BACKWARD, arr, const, leaf, raises

# --- inputs= and autograd.grad -----------------------------------------------------------------


def test_backward_inputs_limits_accumulation():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    (x * w).sum().backward(inputs=[x])
    np.testing.assert_array_equal(arr(x.grad), [3.0, 4.0])
    assert w.grad is None
    (x * w).sum().backward(inputs=x)  # a single tensor works too
    np.testing.assert_array_equal(arr(x.grad), [6.0, 8.0])


def test_backward_inputs_non_leaf_gets_grad():
    # torch: y.backward(inputs=[h]) fills h.grad and leaves x.grad None
    x = leaf([1.0, 2.0])
    h = x * 2
    (h * h).sum().backward(inputs=[h])
    np.testing.assert_array_equal(arr(h.grad), [4.0, 8.0])
    assert x.grad is None


def test_backward_inputs_unused_leaf_stays_none():
    x, c = leaf([1.0]), leaf([2.0])
    (x * 2).sum().backward(inputs=[c])
    assert c.grad is None and x.grad is None


def test_autograd_grad_returns_tuple_and_leaves_grad_untouched():
    xs = np.array([1.0, 2.0])
    x, w = leaf(xs), leaf([3.0, 4.0])
    result = ak.autograd.grad((x * x * w).sum(), [x, w])
    assert isinstance(result, tuple) and len(result) == 2
    np.testing.assert_array_equal(arr(result[0]), 2 * xs * [3.0, 4.0])
    np.testing.assert_array_equal(arr(result[1]), xs**2)
    assert x.grad is None and w.grad is None


def test_autograd_grad_single_input_gives_one_tuple():
    x = leaf([1.0])
    out = ak.autograd.grad((x * 5).sum(), x)
    assert isinstance(out, tuple) and len(out) == 1
    np.testing.assert_array_equal(arr(out[0]), [5.0])


def test_autograd_grad_unused_input():
    a, b = leaf([1.0, 1.0]), leaf([1.0, 1.0])
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "The differentiated Tensor at index 1 appears to not have been used in the graph. "
            "Set allow_unused=True if this is the desired behavior."
        ),
    ):
        ak.autograd.grad((a * 2).sum(), [a, b])
    ga, gb = ak.autograd.grad((a * 2).sum(), [a, b], allow_unused=True)
    np.testing.assert_array_equal(arr(ga), [2.0, 2.0])
    assert gb is None
    ga, gb = ak.autograd.grad((a * 2).sum(), [a, b], materialize_grads=True)
    np.testing.assert_array_equal(arr(gb), [0.0, 0.0])


def test_autograd_grad_input_not_requiring_grad():
    a = leaf([1.0])
    with pytest.raises(
        RuntimeError, match=re.escape("One of the differentiated Tensors does not require grad")
    ):
        ak.autograd.grad((a * 2).sum(), [const([1.0])])


def test_autograd_grad_non_leaf_inputs():
    xs = np.array([1.0, 2.0])
    x = leaf(xs)
    h = x * 3
    y = (h * h).sum()
    gh, gx = ak.autograd.grad(y, [h, x])
    np.testing.assert_allclose(arr(gh), 2 * 3 * xs)
    np.testing.assert_allclose(arr(gx), 18 * xs)
    assert x.grad is None


def test_autograd_grad_several_outputs_with_grad_outputs():
    # torch: grad([2x, x*x], x, [ones, [1, 10]]) -> (tensor([ 4., 42.]),)
    x = leaf([1.0, 2.0])
    (g,) = ak.autograd.grad([x * 2, x * x], [x], grad_outputs=[const([1.0, 1.0]), const([1.0, 10.0])])
    np.testing.assert_array_equal(arr(g), [4.0, 42.0])


def test_autograd_grad_of_output_without_grad_fn():
    a = leaf([1.0])
    with pytest.raises(
        RuntimeError,
        match=re.escape("element 0 of tensors does not require grad and does not have a grad_fn"),
    ):
        ak.autograd.grad(const([1.0]).sum(), [a])


def test_autograd_grad_frees_graph_unless_retained():
    x = leaf([1.0])
    y = (x * x).sum()
    ak.autograd.grad(y, x, retain_graph=True)
    ak.autograd.grad(y, x)
    with raises(RuntimeError, SECOND_BACKWARD):
        ak.autograd.grad(y, x)


def test_backward_inputs_on_unreached_output_of_multi_output_node():
    # torch: q.grad stays None (q's node is not part of the graph being differentiated)
    class Two(ak.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 * 2 + g2 * 3

    x, z = leaf([1.0, 2.0]), leaf([1.0, 2.0])
    _, q = Two.apply(x)
    q.retain_grad()  # reading q.grad below must not warn
    (z * 5).sum().backward(inputs=[q])
    assert q.grad is None
    (q * 5).sum().backward(inputs=[q])
    np.testing.assert_array_equal(arr(q.grad), [5.0, 5.0])


def test_backward_inputs_non_leaf_is_retained_and_counted_once():
    # torch: backward(inputs=[y]) marks y as retaining grad; with retain_grad() already on, 5 not 10
    x = leaf([1.0, 2.0])
    y = x * 1
    (y * 5).sum().backward(inputs=[y], retain_graph=True)
    assert y.retains_grad
    np.testing.assert_array_equal(arr(y.grad), [5.0, 5.0])
    x2 = leaf([1.0, 2.0])
    y2 = x2 * 1
    y2.retain_grad()
    (y2 * 5).sum().backward(inputs=[y2])
    np.testing.assert_array_equal(arr(y2.grad), [5.0, 5.0])


# --- argument errors ------------------------------------------------------------------------------


def test_backward_inputs_must_not_be_empty():
    x = leaf([1.0])
    with raises(RuntimeError, "`inputs` argument to `backward()` cannot be empty."):
        (x * 2).sum().backward(inputs=[])
    assert x.grad is None


def test_inputs_must_be_tensors():
    x = leaf([1.0])
    msg = "all inputs have to be Tensors or GradientEdges, but got float"
    with raises(RuntimeError, msg):
        ak.autograd.grad((x * 2).sum(), [1.0])
    with raises(RuntimeError, msg):
        (x * 2).sum().backward(inputs=[1.0])


def test_backward_argument_counts_and_types():
    # torch silently zips mismatched lists; autograd_kit names the mistake instead
    x = leaf([1.0])
    with raises(RuntimeError, "got 2 gradients for 1 tensors"):
        ak.autograd.backward([(x * 2).sum()], [const(1.0), const(1.0)])
    with pytest.raises(
        RuntimeError, match=re.escape("grad requires one grad_output per output: got 2 for 1")
    ):
        ak.autograd.grad([(x * 2).sum()], [x], [const(1.0), const(1.0)])
    with raises(TypeError, "backward expects Tensors, got float at position 0"):
        ak.autograd.backward([1.0])
