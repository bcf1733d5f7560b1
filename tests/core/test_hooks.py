"""Tensor hooks (leaf and non-leaf): when they run, what they see, replacement, order, removal,
interplay with retain_grad, fan-out, autograd.grad and create_graph. Node hooks are in
test_engine_graph.py. Expected behaviour checked against torch 2.13.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import arr, leaf, raises


def test_leaf_hook_replaces_gradient_and_handle_removes():
    x = leaf([1.0, 2.0])
    seen = []
    handle = x.register_hook(lambda g: (seen.append(arr(g).copy()), g * 2)[1])
    (x * 3).sum().backward()
    np.testing.assert_array_equal(seen[0], [3.0, 3.0])  # sees the incoming gradient
    np.testing.assert_array_equal(arr(x.grad), [6.0, 6.0])  # accumulates the replacement
    handle.remove()
    handle.remove()  # idempotent
    x.grad = None
    (x * 3).sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [3.0, 3.0])
    assert len(seen) == 1


def test_handle_is_a_context_manager():
    x = leaf([1.0])
    with x.register_hook(lambda g: g * 0):
        (x * 5).sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [0.0])
    (x * 5).sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [5.0])


def test_non_leaf_hook_changes_what_flows_upstream():
    x = leaf([1.0, 2.0])
    y = x * 3
    seen = []
    y.register_hook(lambda g: (seen.append(arr(g).copy()), g * 10)[1])
    (y * y).sum().backward()
    np.testing.assert_array_equal(seen[0], 2 * 3 * np.array([1.0, 2.0]))
    np.testing.assert_array_equal(arr(x.grad), 10 * 18 * np.array([1.0, 2.0]))


def test_hooks_chain_in_registration_order_and_none_keeps_gradient():
    # torch: order [1, 2, 3], x.grad = (1 + 1) * 10 = 20
    x = leaf([1.0, 2.0])
    order = []
    x.register_hook(lambda g: (order.append(1), g + 1)[1])
    x.register_hook(lambda g: (order.append(2), g * 10)[1])
    x.register_hook(lambda g: order.append(3))
    (x * 1).sum().backward()
    assert order == [1, 2, 3]
    np.testing.assert_array_equal(arr(x.grad), [20.0, 20.0])


@pytest.mark.parametrize("as_leaf", [True, False])
def test_hook_runs_once_with_the_summed_fan_out_gradient(as_leaf):
    # torch: one call with tensor([5., 5.]) for a leaf and for a non-leaf
    x = leaf([1.0, 2.0])
    t = x if as_leaf else x * 1
    calls = []
    t.register_hook(lambda g: calls.append(arr(g).copy()))
    (t * 2 + t * 3).sum().backward()
    assert len(calls) == 1
    np.testing.assert_array_equal(calls[0], [5.0, 5.0])


def test_retain_grad_sees_gradient_after_hooks():
    # torch: the retain_grad hook always runs last -> y.grad = 2 * 2y = [12, 24], x.grad = 3 * that
    x = leaf([1.0, 2.0])
    y = x * 3
    y.retain_grad()
    y.register_hook(lambda g: g * 2)
    (y * y).sum().backward()
    np.testing.assert_array_equal(arr(y.grad), [12.0, 24.0])
    np.testing.assert_array_equal(arr(x.grad), [36.0, 72.0])


def test_hook_on_tensor_without_grad_raises():
    c = ak.tensor([1.0])
    with pytest.raises(
        RuntimeError, match=re.escape("cannot register a hook on a tensor that doesn't require gradient")
    ):
        c.register_hook(lambda g: g)


def test_hook_must_be_callable():
    # torch accepts any object here and fails later, inside backward; we refuse it up front
    with raises(TypeError, "hook must be callable, got int"):
        leaf([1.0]).register_hook(42)
    with raises(TypeError, "hook must be callable, got str"):
        (leaf([1.0]) * 2).grad_fn.register_prehook("not a function")


def test_exception_in_hook_propagates():
    x = leaf([1.0])

    def bad(g):
        raise ValueError("hook failed")

    x.register_hook(bad)
    with pytest.raises(ValueError, match="hook failed"):
        (x * 1).sum().backward()
    assert x.grad is None


def test_hook_sees_differentiable_gradient_under_create_graph():
    # torch: [(True, True)]
    x = leaf([1.0, 2.0])
    seen = []
    x.register_hook(lambda g: seen.append((g.requires_grad, g.grad_fn is not None)))
    (x * x).sum().backward(create_graph=True)
    assert seen == [(True, True)]


def test_hooks_apply_to_autograd_grad_results():
    # torch: grad((x*1).sum(), x) with a leaf hook g*100 gives 100; same for a non-leaf input
    x = leaf([1.0, 2.0])
    x.register_hook(lambda g: g * 100)
    (g,) = ak.autograd.grad((x * 1).sum(), x)
    np.testing.assert_array_equal(arr(g), [100.0, 100.0])
    assert x.grad is None
    z = leaf([1.0, 2.0])
    y = z * 1
    y.register_hook(lambda g: g * 100)
    (gy,) = ak.autograd.grad((y * 1).sum(), y, retain_graph=True)
    (gz,) = ak.autograd.grad((y * 1).sum(), z)
    np.testing.assert_array_equal(arr(gy), [100.0, 100.0])
    np.testing.assert_array_equal(arr(gz), [100.0, 100.0])


def test_hooks_on_separate_outputs_of_a_multi_output_function():
    class Split(ak.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 * 2 + g2 * 3

    x = leaf([1.0])
    p, q = Split.apply(x)
    p.register_hook(lambda g: g * 0)  # silences only output 0
    (p + q).sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [3.0])


def test_retained_grad_is_filled_by_autograd_grad_too():
    # torch (2.x): retain_grad hooks are tensor hooks, so autograd.grad populates y.grad as well
    x = leaf([1.0, 2.0])
    y = x * 1
    y.retain_grad()
    z = (y * 2).sum()
    (gy,) = ak.autograd.grad(z, y, retain_graph=True)
    np.testing.assert_array_equal(arr(gy), [2.0, 2.0])
    np.testing.assert_array_equal(arr(y.grad), [2.0, 2.0])
    ak.autograd.grad(z, x)
    np.testing.assert_array_equal(arr(y.grad), [4.0, 4.0])
    assert x.grad is None


def test_backward_inputs_applies_leaf_hooks():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    x.register_hook(lambda g: g * 10)
    (x * w).sum().backward(inputs=[x])
    np.testing.assert_array_equal(arr(x.grad), [30.0, 40.0])
    assert w.grad is None
