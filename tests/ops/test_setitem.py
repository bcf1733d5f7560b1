"""``tensor[key] = value``: in-place writes, version bumps, node names, gradients for the old
tensor and the value, PyTorch's leaf checks and every error message (texts from torch 2.13)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import LEAF, VIEW_OF_LEAF, grid, raises

# --- assignment -----------------------------------------------------------------------------------


def test_setitem_writes_in_place_and_bumps_the_version():
    x = grid(3, 4)
    data = x.numpy()
    x[1, 1:3] = ak.tensor([7.0, 8.0], dtype=ak.float64)
    x[x > 10] = -1.0
    assert x.numpy() is data and x._version == 2
    expected = np.arange(12.0).reshape(3, 4)
    expected[1, 1:3] = [7.0, 8.0]
    expected[expected > 10] = -1.0
    np.testing.assert_array_equal(x.numpy(), expected)


def test_setitem_through_a_view_changes_the_base():
    x = grid(3, 4)
    row = x[1]
    row[2] = 100.0
    assert x[1, 2].item() == 100.0 and x._version == 1


def test_setitem_gradients():
    x = grid(3, 4, requires_grad=True)
    v = ak.tensor([10.0, 20.0, 30.0, 40.0], dtype=ak.float64, requires_grad=True)
    y = x * 2
    y[0:2] = v  # v broadcast over two rows
    assert y.grad_fn.name() == "torch::autograd::CopySlices" and type(y.grad_fn).__name__ == "CopySlices"
    w = np.arange(12.0).reshape(3, 4) + 1
    (y * ak.tensor(w)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.where(np.arange(3)[:, None] < 2, 0.0, 2 * w))
    np.testing.assert_array_equal(v.grad.numpy(), w[:2].sum(0))


def test_setitem_value_with_extra_leading_ones():
    x = grid(3, 4, requires_grad=True)
    v = ak.tensor([[[1.0, 2.0, 3.0, 4.0]]], dtype=ak.float64, requires_grad=True)
    y = x * 1
    y[[0, 2]] = v
    assert y.grad_fn.name() == "IndexPutBackward0"
    y.sum().backward()
    np.testing.assert_array_equal(v.grad.numpy(), [[[2.0, 2.0, 2.0, 2.0]]])


def test_setitem_of_a_value_requiring_grad_into_a_plain_tensor_records_a_graph():
    buf = ak.zeros(2, 3, dtype=ak.float64)
    v = ak.tensor([1.0, 2.0, 3.0], dtype=ak.float64, requires_grad=True)
    buf[1] = v * 3
    assert buf.grad_fn.name() == "torch::autograd::CopySlices"
    assert buf.grad_fn.next_functions[0] == (None, 0)
    buf.sum().backward()
    np.testing.assert_array_equal(v.grad.numpy(), [3.0, 3.0, 3.0])


def test_setitem_invalidates_tensors_saved_before():
    x = grid(3, requires_grad=True)
    y = x * 1
    z = y * y
    y[0] = 5.0
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


@pytest.mark.parametrize(
    "key, message",
    [
        (0, VIEW_OF_LEAF),
        (slice(0, 2), VIEW_OF_LEAF),
        (None, VIEW_OF_LEAF),
        ((1, [0, 1]), VIEW_OF_LEAF),
        ([0], LEAF),
        (Ellipsis, LEAF),
        (slice(None), LEAF),
    ],
)
def test_setitem_on_leaf_requiring_grad_raises(key, message):
    x = grid(3, 4, requires_grad=True)
    with raises(RuntimeError, message):
        x[key] = 1.0
    assert x._version == 0


def test_setitem_on_leaf_allowed_under_no_grad():
    x = grid(3, 4, requires_grad=True)
    with ak.no_grad():
        x[0] = 0.5
    assert x.is_leaf and x._version == 1 and x[0, 3].item() == 0.5


def test_setitem_on_view_of_leaf_requiring_grad_raises():
    x = grid(3, 4, requires_grad=True)
    with raises(RuntimeError, VIEW_OF_LEAF):
        x[0][1] = 1.0


def test_setitem_on_a_view_inside_a_graph_flows_to_the_base():
    # torch 2.13: y = g*2; y[0][1] = 1.0 gives g.grad == 2 everywhere but 0 at [0, 1]
    g = grid(3, 4, requires_grad=True)
    y = g * 2
    y[0][1] = 1.0
    assert y[0, 1].item() == 1.0
    y.sum().backward()
    expected = np.full((3, 4), 2.0)
    expected[0, 1] = 0.0
    np.testing.assert_allclose(g.grad.numpy(), expected)


def test_setitem_casts_like_copy():
    x = ak.tensor([1, 2, 3])
    x[0] = 2.7
    x[1:] = ak.tensor([5.5, 6.5])
    assert x.tolist() == [2, 5, 6] and x.dtype == ak.int64


SET_ERRORS = [
    (0, [1.0, 2.0, 3.0, 4.0], TypeError, "can't assign a list to a torch.DoubleTensor"),
    (0, np.ones(4), TypeError, "can't assign a numpy.ndarray to a torch.DoubleTensor"),
    (0, None, TypeError, "can't assign a NoneType to a torch.DoubleTensor"),
    (
        0,
        ak.zeros(3, dtype=ak.float64),
        RuntimeError,
        "The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 0.  "
        "Target sizes: [4].  Tensor sizes: [3]",
    ),
    (
        0,
        ak.zeros(2, 1, 4, dtype=ak.float64),
        RuntimeError,
        "expand(torch.DoubleTensor{[2, 1, 4]}, size=[4]): the number of sizes provided (1) must be greater "
        "or equal to the number of dimensions in the tensor (3)",
    ),
    (
        [0, 1],
        ak.zeros(3, dtype=ak.float64),
        RuntimeError,
        "shape mismatch: value tensor of shape [3] cannot be broadcast to indexing result of shape [2, 4]",
    ),
    (
        [0, 1],
        ak.zeros(4),
        RuntimeError,
        "Index put requires the source and destination dtypes match, got Double for the destination and Float "
        "for the source.",
    ),
    (5, 1.0, IndexError, "index 5 is out of bounds for dimension 0 with size 3"),
    (slice(None, None, -1), 1.0, ValueError, "step must be greater than zero"),
]


@pytest.mark.parametrize("key, value, exc, message", SET_ERRORS)
def test_setitem_errors(key, value, exc, message):
    x = grid(3, 4)
    with raises(exc, message):
        x[key] = value
    np.testing.assert_array_equal(x.numpy(), np.arange(12.0).reshape(3, 4))
    assert x._version == 0
