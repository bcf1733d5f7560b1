"""``tensor[key]`` beyond the op table: views vs copies, version counters, repeated indices,
iteration and len, PyTorch's index order, and every error message (texts checked against
torch 2.13)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import grid, raises

# --- views and copies -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", [1, (slice(None), 2), slice(1, 3), None, Ellipsis, (1, 2), (Ellipsis, None)])
def test_basic_index_is_a_view(key):
    x = grid(3, 4) + 1
    v = x[key]
    assert v._base is x and np.shares_memory(v.numpy(), x.numpy())
    v.mul_(0)  # also a 0-d result: x[1, 2] must alias x, not copy a NumPy scalar
    assert x._version == v._version == 1
    assert (x.numpy() == 0).sum() == v.numel()


@pytest.mark.parametrize("key", [[0, 2], (slice(None), [1, 1]), ak.tensor([True, False, True]), True])
def test_advanced_index_is_a_copy(key):
    x = grid(3, 4)
    y = x[key]
    assert y._base is None and not np.shares_memory(y.numpy(), x.numpy())
    y.add_(1)
    np.testing.assert_array_equal(x.numpy(), np.arange(12.0).reshape(3, 4))


def test_repeated_indices_add_up_their_gradients():
    x = grid(4, requires_grad=True)
    idx = [3, 0, 3, 3, 1]
    (x[idx] * ak.tensor([1.0, 2.0, 3.0, 4.0, 5.0], dtype=ak.float64)).sum().backward()
    expected = np.zeros(4)
    np.add.at(expected, idx, [1.0, 2.0, 3.0, 4.0, 5.0])
    np.testing.assert_array_equal(x.grad.numpy(), expected)


def test_iteration_and_len():
    x = grid(3, 2, requires_grad=True)
    rows = list(x)
    assert len(x) == 3 and len(rows) == 3
    for i, row in enumerate(rows):
        np.testing.assert_array_equal(row.detach().numpy(), [2 * i, 2 * i + 1])
        assert row.grad_fn.name() == "SelectBackward0"
    sum(r.sum() * (i + 1) for i, r in enumerate(rows)).backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])


def test_iteration_over_0d_and_len_of_0d_raise():
    with pytest.raises(TypeError, match="iteration over a 0-d tensor"):
        iter(ak.tensor(1.0))
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(ak.tensor(1.0))


def test_pytorch_order_for_ints_next_to_index_lists():
    # PyTorch selects with the int first: x[1, :, [0, 1]] has shape (3, 2) (NumPy says (2, 3)).
    x = grid(2, 3, 4)
    assert x[1, :, [0, 1]].shape == (3, 2)
    np.testing.assert_array_equal(x[1, :, [0, 1]].numpy(), np.arange(24.0).reshape(2, 3, 4)[1][:, [0, 1]])


def test_nested_list_key_is_a_tuple_with_pytorch_warning():
    x = grid(3, 4)
    with pytest.warns(
        UserWarning, match="Using a non-tuple sequence for multidimensional indexing is deprecated"
    ):
        y = x[[[0, 1], [1, 2]]]
    np.testing.assert_array_equal(y.numpy(), [1.0, 6.0])


def test_uint8_index_is_a_mask_with_pytorch_warning():
    with pytest.warns(UserWarning, match=re.escape("indexing with dtype torch.uint8 is now deprecated")):
        y = grid(3)[ak.tensor([1, 0, 1], dtype=ak.uint8)]
    np.testing.assert_array_equal(y.numpy(), [0.0, 2.0])


# --- getitem errors -------------------------------------------------------------------------------

GET_ERRORS = [
    (5, IndexError, "index 5 is out of bounds for dimension 0 with size 3"),
    (-6, IndexError, "index -6 is out of bounds for dimension 0 with size 3"),
    ((0, 9), IndexError, "index 9 is out of bounds for dimension 1 with size 4"),
    ((None, 9), IndexError, "index 9 is out of bounds for dimension 1 with size 3"),
    ((Ellipsis, 9, 0), IndexError, "index 9 is out of bounds for dimension 1 with size 3"),
    ([0, 5], IndexError, "index 5 is out of bounds for dimension 0 with size 3"),
    ((slice(None), [0, -7]), IndexError, "index -7 is out of bounds for dimension 0 with size 4"),
    (([0, 1], [7, 0]), IndexError, "index 7 is out of bounds for dimension 1 with size 4"),
    (slice(None, None, -1), ValueError, "step must be greater than zero"),
    (slice(0, 2, 0), ValueError, "slice step cannot be zero"),
    ((0, 0, 0), IndexError, "too many indices for tensor of dimension 2"),
    (
        1.0,
        IndexError,
        "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got float)",
    ),
    (ak.tensor([1.0]), IndexError, "tensors used as indices must be long, int, byte or bool tensors"),
    (
        ak.tensor([True, False]),
        IndexError,
        "The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3, 4] at index 0",
    ),
    (
        (1, ak.tensor([True, False, True])),
        IndexError,
        "The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [4] at index 0",
    ),
    (
        ([0, 1], [0, 1, 2]),
        IndexError,
        "shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]",
    ),
    # PyTorch accepts a second ellipsis (ignoring it); autograd_kit refuses it, with NumPy's text.
    ((Ellipsis, Ellipsis), IndexError, "an index can only have a single ellipsis ('...')"),
]


@pytest.mark.parametrize("key, exc, message", GET_ERRORS)
def test_getitem_errors(key, exc, message):
    with raises(exc, message):
        grid(3, 4)[key]


@pytest.mark.parametrize(
    "key, exc, message",
    [
        (
            0,
            IndexError,
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number",
        ),
        (slice(None), IndexError, "slice() cannot be applied to a 0-dim tensor."),
        ([0], IndexError, "too many indices for tensor of dimension 0"),
    ],
)
def test_getitem_errors_0d(key, exc, message):
    with raises(exc, message):
        ak.tensor(1.0)[key]
