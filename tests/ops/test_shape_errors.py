"""Every error message of the shape ops (texts checked against torch 2.13)."""

from __future__ import annotations

import re

import pytest

import autograd_kit as ak
from tests.helpers import grid, raises

# --- errors (messages from torch 2.13) ------------------------------------------------------------

ERRORS = [
    (lambda x: x.view(5, 3), RuntimeError, "shape '[5, 3]' is invalid for input of size 12"),
    (lambda x: x.reshape(5, -1), RuntimeError, "shape '[5, -1]' is invalid for input of size 12"),
    (lambda x: x.view(0, -1), RuntimeError, "shape '[0, -1]' is invalid for input of size 12"),
    (lambda x: x.reshape(-1, -1), RuntimeError, "only one dimension can be inferred"),
    (lambda x: x.reshape(-2, 6), RuntimeError, "invalid shape dimension -2 at index 0 of shape [-2, 6]"),
    (
        lambda x: x.t().view(-1),
        RuntimeError,
        "view size is not compatible with input tensor's size and stride (at least one dimension spans "
        "across two contiguous subspaces). Use .reshape(...) instead.",
    ),
    (
        lambda x: x.flatten(1, 0),
        RuntimeError,
        "flatten() has invalid args: start_dim cannot come after end_dim",
    ),
    (
        lambda x: x.flatten(2),
        IndexError,
        "Dimension out of range (expected to be in range of [-2, 1], but got 2)",
    ),
    (
        lambda x: x.unflatten(1, (3, 2)),
        RuntimeError,
        "unflatten: Provided sizes [3, 2] don't multiply up to the size of dim 1 (4) in the input tensor",
    ),
    (lambda x: x.unflatten(1, ()), RuntimeError, "unflatten: sizes must be non-empty"),
    (
        lambda x: x.squeeze(2),
        IndexError,
        "Dimension out of range (expected to be in range of [-2, 1], but got 2)",
    ),
    (lambda x: x.squeeze((0, 0)), RuntimeError, "dim 0 appears multiple times in the list of dims"),
    (
        lambda x: x.unsqueeze(3),
        IndexError,
        "Dimension out of range (expected to be in range of [-3, 2], but got 3)",
    ),
    (
        lambda x: x.expand(3, 5),
        RuntimeError,
        "The expanded size of the tensor (5) must match the existing size (4) at non-singleton dimension 1.  "
        "Target sizes: [3, 5].  Tensor sizes: [3, 4]",
    ),
    (
        lambda x: x.expand(4),
        RuntimeError,
        "expand(torch.DoubleTensor{[3, 4]}, size=[4]): the number of sizes provided (1) must be greater or "
        "equal to the number of dimensions in the tensor (2)",
    ),
    (
        lambda x: x.expand(-1, 3, 4),
        RuntimeError,
        "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0",
    ),
    (
        lambda x: ak.broadcast_to(x, (2, 3)),
        RuntimeError,
        "The expanded size of the tensor (3) must match the existing size (4) at non-singleton dimension 1.  "
        "Target sizes: [2, 3].  Tensor sizes: [3, 4]",
    ),
    (lambda x: x.unsqueeze(0).t(), RuntimeError, "t() expects a tensor with <= 2 dimensions, but self is 3D"),
    (
        lambda x: x[0].mT,
        RuntimeError,
        "tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.",
    ),
    (
        lambda x: x[0].mH,
        RuntimeError,
        "tensor.mH is only supported on matrices or batches of matrices. Got 1-D tensor.",
    ),
    (lambda x: x[0].H, RuntimeError, "tensor.H is only supported on matrices (2-D tensors). Got 1-D tensor."),
    (
        lambda x: x.unsqueeze(0).H,
        RuntimeError,
        "tensor.H is only supported on matrices (2-D tensors). Got 3-D tensor. For batches of matrices, "
        "consider using tensor.mH",
    ),
    (
        lambda x: x.transpose(0, 2),
        IndexError,
        "Dimension out of range (expected to be in range of [-2, 1], but got 2)",
    ),
    (
        lambda x: x.permute(0),
        RuntimeError,
        "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
        "desired ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 1",
    ),
    (lambda x: x.permute(1, -1), RuntimeError, "permute(): duplicate dims are not allowed."),
    (
        lambda x: x.movedim((0, 1), (1,)),
        RuntimeError,
        "movedim: Invalid source or destination dims: source ([0, 1] dims) should contain the same number "
        "of dims as destination ([1] dims)",
    ),
    (lambda x: x.movedim((0, 0), (0, 1)), RuntimeError, "movedim: repeated dim in `source` ([0, 0])"),
    (lambda x: x.movedim((0, 1), (1, 1)), RuntimeError, "movedim: repeated dim in `destination` ([1, 1])"),
    (lambda x: x.flip(0, -2), RuntimeError, "dim 0 appears multiple times in the list of dims"),
    (lambda x: x.roll((1, 2), (0,)), RuntimeError, "shifts and dimensions must align. shifts: 2, dims:1"),
    (lambda x: x.roll((1, 2)), RuntimeError, "shifts and dimensions must align. shifts: 2, dims:0"),
    (
        lambda x: x.repeat(2),
        RuntimeError,
        "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor",
    ),
    (lambda x: x.repeat(-1, 2), RuntimeError, "Trying to create tensor with negative dimension -3: [-3, 8]"),
    (lambda x: x.narrow(1, 3, 2), RuntimeError, "start (3) + length (2) exceeds dimension size (4)."),
    (
        lambda x: x.narrow(1, 5, 0),
        IndexError,
        "start out of range (expected to be in range of [-4, 4], but got 5)",
    ),
    (lambda x: x.narrow(1, 0, -1), RuntimeError, "narrow(): length must be non-negative."),
    (
        lambda x: x.select(1, 5),
        IndexError,
        "select(): index 5 out of range for tensor of size [3, 4] at dimension 1",
    ),
    (
        lambda x: x.split([1, 1]),
        RuntimeError,
        "split_with_sizes expects split_sizes to sum exactly to 3 (input tensor's size at dimension 0), but got split_sizes=[1, 1]",
    ),
    (
        lambda x: x.split(0),
        RuntimeError,
        "split_size can only be 0 if dimension size is 0, but got dimension size of 3",
    ),
    (
        lambda x: x.split([-1, 4]),
        RuntimeError,
        "split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=[-1, 4]",
    ),
    (lambda x: x.split(-1), RuntimeError, "split expects split_size be non-negative, but got split_size=-1"),
    (lambda x: x.chunk(0), RuntimeError, "chunk expects `chunks` to be greater than 0, got: 0"),
    (
        lambda x: ak.cat([x, x[:, :2]]),
        RuntimeError,
        "Sizes of tensors must match except in dimension 0. Expected size 4 but got size 2 for tensor number 1 in the list.",
    ),
    (lambda x: ak.cat([x, x[0]]), RuntimeError, "Tensors must have same number of dimensions: got 2 and 1"),
    (
        lambda x: ak.cat([x, x], 2),
        IndexError,
        "Dimension out of range (expected to be in range of [-2, 1], but got 2)",
    ),
    (lambda x: ak.cat([]), ValueError, "torch.cat(): expected a non-empty list of Tensors"),
    (
        lambda x: ak.cat(x),
        TypeError,
        "cat(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor",
    ),
    (lambda x: ak.cat([x, 1]), TypeError, "expected Tensor as element 1 in argument 0, but got int"),
    (
        lambda x: ak.stack([x, x[:2]]),
        RuntimeError,
        "stack expects each tensor to be equal size, but got [3, 4] at entry 0 and [2, 4] at entry 1",
    ),
    (lambda x: ak.stack([]), RuntimeError, "stack expects a non-empty TensorList"),
    (
        lambda x: ak.stack([x, x], 3),
        IndexError,
        "Dimension out of range (expected to be in range of [-3, 2], but got 3)",
    ),
]

SCALAR_ERRORS = [
    (
        lambda s: ak.cat([s, s]),
        RuntimeError,
        "zero-dimensional tensor (at position 0) cannot be concatenated",
    ),
    (lambda s: s.split(1), RuntimeError, "split expects at least a 1-dimensional tensor"),
    (lambda s: s.unbind(), IndexError, "Dimension specified as 0 but tensor has no dimensions"),
    (lambda s: s.roll(1, 0), IndexError, "Dimension specified as 0 but tensor has no dimensions"),
    (lambda s: s.narrow(0, 0, 1), RuntimeError, "narrow() cannot be applied to a 0-dim tensor."),
    (lambda s: s.select(0, 0), IndexError, "select() cannot be applied to a 0-dim tensor."),
    (
        lambda s: s.unsqueeze(1),
        IndexError,
        "Dimension out of range (expected to be in range of [-1, 0], but got 1)",
    ),
]


@pytest.mark.parametrize("fn, exc, message", ERRORS)
def test_error_messages(fn, exc, message):
    with raises(exc, message):
        fn(grid(3, 4))


@pytest.mark.parametrize("fn, exc, message", SCALAR_ERRORS)
def test_error_messages_0d(fn, exc, message):
    with raises(exc, message):
        fn(ak.tensor(1.0))


def test_reshape_of_empty_tensor_with_inferred_dim_is_ambiguous():
    with pytest.raises(
        RuntimeError, match=re.escape("cannot reshape tensor of 0 elements into shape [0, -1]")
    ):
        ak.zeros(0, 3).reshape(0, -1)


def test_size_arguments_must_be_ints():
    with pytest.raises(
        TypeError,
        match=re.escape(
            "view(): argument 'size' must be tuple of ints, but found element of type float at pos 1"
        ),
    ):
        grid(3, 4).view(2, 6.0)
