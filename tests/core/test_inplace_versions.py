"""In-place operations on leaves (refused when they require grad, allowed under no_grad) and
version counters: bumps per in-place op, detach() sharing the counter, .data not sharing it.
Texts and versions checked against torch 2.13.
"""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import LEAF, arr, raises
from tests.helpers import const32 as const
from tests.helpers import leaf32 as leaf

# --- leaves ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "op",
    [
        lambda t: t.add_(1),
        lambda t: t.sub_(1),
        lambda t: t.mul_(2),
        lambda t: t.div_(2),
        lambda t: t.pow_(2),
        lambda t: t.neg_(),
        lambda t: t.__iadd__(1),
        lambda t: t.__imul__(2),
    ],
)
def test_inplace_on_leaf_requiring_grad_raises(op):
    x = leaf([1.0, 2.0])
    with raises(RuntimeError, LEAF):
        op(x)
    # nothing was written and the version did not move
    np.testing.assert_array_equal(arr(x), [1.0, 2.0])
    assert x._version == 0


def test_augmented_assignment_on_leaf_raises():
    x = leaf([1.0])
    with raises(RuntimeError, LEAF):
        x += 1


def test_inplace_on_leaf_allowed_under_no_grad():
    # how optimizers update weights
    x = leaf([1.0, 2.0])
    with ak.no_grad():
        out = x.sub_(const([0.5, 0.5]))
        x *= 2
    assert out is x
    np.testing.assert_array_equal(arr(x), [1.0, 3.0])
    assert x.is_leaf and x.requires_grad and x.grad_fn is None
    assert x._version == 2


def test_inplace_on_leaf_without_grad_is_fine():
    c = const([1.0, 2.0])
    c.add_(1)
    np.testing.assert_array_equal(c.numpy(), [2.0, 3.0])
    assert c.grad_fn is None


# --- version counters ------------------------------------------------------------------------------


def test_version_bumps_on_each_inplace_op():
    # torch: [0, 1, 2, 3, 4, 5, 6]
    x = leaf([1.0, 2.0, 3.0])
    versions = [x._version]
    with ak.no_grad():
        x.add_(1)
        versions.append(x._version)
        x.mul_(2)
        versions.append(x._version)
        x -= 1
        versions.append(x._version)
        x /= 2
        versions.append(x._version)
        x.pow_(1)
        versions.append(x._version)
        x.neg_()
        versions.append(x._version)
    assert versions == [0, 1, 2, 3, 4, 5, 6]
    np.testing.assert_allclose(arr(x), [-1.5, -2.5, -3.5])


def test_out_of_place_results_start_at_version_zero():
    x = leaf([1.0])
    with ak.no_grad():
        x.add_(1)
    assert (x * 1)._version == 0


def test_detach_shares_storage_and_version_counter():
    x = leaf([1.0, 2.0])
    d = x.detach()
    assert d.is_leaf and not d.requires_grad and d.grad_fn is None
    d.add_(1)
    np.testing.assert_array_equal(arr(x), [2.0, 3.0])
    assert x._version == d._version == 1
    y = x * 2
    yd = y.detach()
    assert yd.is_leaf and not yd.requires_grad
    yd.mul_(0)
    np.testing.assert_array_equal(arr(y), [0.0, 0.0])
    assert y._version == 1


def test_data_shares_storage_but_not_version_counter():
    # torch: x.data.add_(1) leaves x._version at 0
    x = leaf([1.0, 2.0])
    data = x.data
    assert not data.requires_grad and data.is_leaf
    data.add_(1)
    np.testing.assert_array_equal(arr(x), [2.0, 3.0])
    assert x._version == 0 and data._version == 1


def test_modification_through_data_bypasses_version_check():
    # torch: y = x*x; x.data.mul_(2); backward gives 2 * (new x) = [8, 12]
    x = leaf([2.0, 3.0])
    y = x * x
    x.data.mul_(2)
    y.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [8.0, 12.0])


def test_data_assignment_replaces_values_keeps_flags():
    x = leaf([1.0, 2.0])
    x.data = const([5.0, 6.0])
    np.testing.assert_array_equal(arr(x), [5.0, 6.0])
    assert x.requires_grad and x.is_leaf
