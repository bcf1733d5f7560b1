"""index_select, gather, masked_select, take and nonzero beyond the op table: values, repeated
indices and every error message (texts checked against torch 2.13)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import grid, raises

# --- index-tensor ops -----------------------------------------------------------------------------


def test_nonzero():
    a = np.array([[0.0, 1.5, 0.0], [2.0, 0.0, -1.0]])
    x = ak.tensor(a)
    nz = ak.nonzero(x)
    assert nz.dtype == ak.int64 and nz.grad_fn is None
    np.testing.assert_array_equal(nz.numpy(), np.argwhere(a))
    rows, cols = x.nonzero(as_tuple=True)
    np.testing.assert_array_equal(rows.numpy(), np.nonzero(a)[0])
    np.testing.assert_array_equal(cols.numpy(), np.nonzero(a)[1])
    assert ak.nonzero(ak.tensor(3.0)).shape == (1, 0) and ak.nonzero(ak.tensor(0.0)).shape == (0, 0)
    assert [t.shape for t in ak.nonzero(ak.tensor(3.0), as_tuple=True)] == [(1,)]
    np.testing.assert_array_equal(ak.argwhere(x).numpy(), np.argwhere(a))


def test_gather_gradient_adds_up_repeats():
    x = grid(2, 3, requires_grad=True)
    idx = ak.tensor([[2, 2, 0], [1, 1, 1]])
    x.gather(1, idx).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]])


INDEX_OP_ERRORS = [
    (
        lambda x: x.index_select(1, ak.tensor([[2]])),
        IndexError,
        "index_select(): Index is supposed to be a vector",
    ),
    (
        lambda x: x.index_select(1, ak.tensor([2.0])),
        RuntimeError,
        "index_select(): Expected dtype int32 or int64 for index",
    ),
    (
        lambda x: x.index_select(1, ak.tensor([4])),
        RuntimeError,
        "INDICES element is out of DATA bounds, id=4 axis_dim=4",
    ),
    (
        lambda x: x.index_select(1, ak.tensor([-1])),
        RuntimeError,
        "INDICES element is out of DATA bounds, id=-1 axis_dim=4",
    ),
    (
        lambda x: x.index_select(1, [1]),
        TypeError,
        "index_select(): argument 'index' (position 2) must be Tensor, not list",
    ),
    (
        lambda x: ak.index_select(x, 1, [1]),
        TypeError,
        "index_select(): argument 'index' (position 3) must be Tensor, not list",
    ),
    (
        lambda x: x.gather(1, ak.tensor([[0.0]])),
        RuntimeError,
        "gather(): Expected dtype int32/int64 for index",
    ),
    (
        lambda x: x.gather(1, ak.tensor([0, 1])),
        RuntimeError,
        "Index tensor must have the same number of dimensions as input tensor",
    ),
    (
        lambda x: x.gather(1, ak.tensor([[0, 1]] * 4)),
        RuntimeError,
        "Size does not match at dimension 0 expected index [4, 2] to be no larger than self [3, 4] apart from dimension 1",
    ),
    (
        lambda x: x.gather(1, ak.tensor([[0, 5]])),
        RuntimeError,
        "index 5 is out of bounds for dimension 1 with size 4",
    ),
    (
        lambda x: x.gather(1, ak.tensor([[0, -1]])),
        RuntimeError,
        "index -1 is out of bounds for dimension 1 with size 4",
    ),
    (
        lambda x: ak.gather(x, 1, [[0]]),
        TypeError,
        "gather(): argument 'index' (position 3) must be Tensor, not list",
    ),
    (
        lambda x: x.masked_select(ak.tensor([1, 0, 1, 1])),
        RuntimeError,
        "masked_select: expected BoolTensor for mask",
    ),
    (
        lambda x: x.masked_select(ak.tensor([True, False])),
        RuntimeError,
        "The size of tensor a (2) must match the size of tensor b (4) at non-singleton dimension 1",
    ),
    (
        lambda x: x.masked_select([True]),
        TypeError,
        "masked_select(): argument 'mask' (position 1) must be Tensor, not list",
    ),
    (
        lambda x: x.take(ak.tensor([12])),
        IndexError,
        "out of range: tried to access index 12 on a tensor of 12 elements.",
    ),
    (
        lambda x: x.take(ak.tensor([-13])),
        IndexError,
        "out of range: tried to access index -13 on a tensor of 12 elements.",
    ),
    (
        lambda x: x.take(ak.tensor([1.0])),
        RuntimeError,
        "take(): Expected a long tensor for index, but got Float",
    ),
    (lambda x: ak.take(x, [1]), TypeError, "take(): argument 'index' (position 2) must be Tensor, not list"),
]


@pytest.mark.parametrize("fn, exc, message", INDEX_OP_ERRORS)
def test_index_op_errors(fn, exc, message):
    with raises(exc, message):
        fn(grid(3, 4))


@pytest.mark.parametrize(
    "fn, exc, message",
    [
        (
            lambda s: s.index_select(0, ak.tensor([0, 0])),
            RuntimeError,
            "index_select(): Index to scalar can have only 1 value, got 2 value(s)",
        ),
        (lambda s: s.index_select(0, ak.tensor([1])), IndexError, "index out of range in self"),
        (
            lambda s: s.gather(0, ak.tensor(1)),
            RuntimeError,
            "index 1 is out of bounds for dimension 0 with size 1",
        ),
    ],
)
def test_index_op_errors_0d(fn, exc, message):
    with raises(exc, message):
        fn(ak.tensor(2.0))
