"""In-place operations through views: refused on views of leaves, shared version counters,
rebasing the graph (CopySlices), and views created under no_grad (checked against torch 2.13).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import VIEW_OF_LEAF, arr, raises
from tests.helpers import leaf32 as leaf


@pytest.mark.parametrize(
    "view", [lambda x: x.view(2, 2), lambda x: x[1:3], lambda x: x[0]], ids=["view", "slice", "select"]
)
def test_inplace_on_view_of_leaf_raises(view):
    x = leaf([1.0, 2.0, 3.0, 4.0])
    with raises(RuntimeError, VIEW_OF_LEAF):
        view(x).add_(1)
    np.testing.assert_array_equal(arr(x), [1.0, 2.0, 3.0, 4.0])


def test_views_share_storage_and_version_counter():
    # torch: under no_grad x[1:3].mul_(10) writes into x; both versions are 1
    x = leaf([1.0, 2.0, 3.0, 4.0])
    with ak.no_grad():
        v = x[1:3]
        v.mul_(10)
    np.testing.assert_array_equal(arr(x), [1.0, 20.0, 30.0, 4.0])
    assert x._version == v._version == 1
    y = x * 1
    w = y.view(2, 2)
    assert w._version == 0
    y.add_(1)
    assert w._version == 1  # torch: 1


def test_inplace_on_view_of_graph_tensor_rebases_the_graph():
    # torch 2.13: x.grad == [1, 10, 10, 1], and y's node is CopySlices
    x = leaf([1.0, 2.0, 3.0, 4.0])
    y = x * 1
    y[1:3].mul_(10)
    assert y.grad_fn.name() == "torch::autograd::CopySlices"
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1.0, 10.0, 10.0, 1.0])


def test_augmented_assignment_into_an_index_of_a_graph_tensor():
    # torch 2.13: y[0] += 1 on y = x*2 gives x.grad == [2, 2, 2]
    x = leaf([1.0, 2.0, 3.0])
    y = x * 2
    y[0] += 1
    assert y.tolist() == [3.0, 4.0, 6.0]
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 2.0, 2.0])


def test_view_taken_before_an_inplace_write_to_its_base_sees_the_new_graph():
    # torch 2.13: v = y[0:2]; y.mul_(3); v.sum().backward() gives [6, 6, 0], not the stale [2, 2, 0]
    x = leaf([1.0, 2.0, 3.0])
    y = x * 2
    v = y[0:2]
    y.mul_(3)
    v.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 6.0, 0.0])


@pytest.mark.parametrize("op", ["sin", "times_two"])
def test_an_op_on_a_stale_view_rederives_its_graph_first(op):
    # The same case through the specialised unary and binary paths: v's grad_fn is stale until
    # the op re-derives it; d/dx sin(6x) = 6 cos(6x) on the viewed part.
    x = leaf([0.1, 0.2, 0.3])
    y = x * 2
    v = y[0:2]
    y.mul_(3)
    out = v.sin() if op == "sin" else v * 2.0
    out.sum().backward()
    values = x.detach().numpy()[:2]
    expected = 6 * np.cos(6 * values) if op == "sin" else np.full(2, 12.0)
    np.testing.assert_allclose(x.grad.numpy()[:2], expected, rtol=1e-6)
    assert x.grad.numpy()[2] == 0.0


def test_inplace_through_a_reshaped_view_flows_to_the_base():
    # torch 2.13: y = x*2; y.view(3, 1).add_(x.view(3, 1)); y.sum() gives x.grad == [3, 3, 3]
    x = leaf([1.0, 2.0, 3.0])
    y = x * 2
    y.view(3, 1).add_(x.view(3, 1))
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 3.0, 3.0])


def test_inplace_on_a_view_made_under_no_grad_is_refused_with_pytorchs_message():
    # torch 2.13 refuses this with the same text (checked)
    y = leaf([1.0, 2.0, 3.0]) * 2
    with ak.no_grad():
        v = y[0:2]
    with pytest.raises(
        RuntimeError, match=re.escape("A view was created in no_grad mode and is being modified inplace")
    ):
        v.mul_(2)


def test_a_view_made_under_no_grad_stays_untracked_after_its_base_changes():
    w = leaf([1.0, 2.0, 3.0])
    with ak.no_grad():
        v = w[0:2]
        w.add_(1)
    assert not (v * 3).requires_grad
