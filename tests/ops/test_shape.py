"""Shape ops beyond the op table: view semantics (shared data and version counter, ``_base``),
copies where PyTorch copies, multi-output nodes and dtype promotion in cat/stack."""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import VIEW_OF_LEAF, grid, raises

# --- views share data and the version counter ---------------------------------------------------

VIEWS = [
    ("view", lambda x: x.view(4, 3)),
    ("reshape", lambda x: x.reshape(-1)),
    ("flatten", lambda x: x.flatten()),
    ("unflatten", lambda x: x.unflatten(1, (2, 2))),
    ("squeeze", lambda x: x.unsqueeze(0).squeeze(0)),
    ("unsqueeze", lambda x: x.unsqueeze(1)),
    ("expand", lambda x: x.expand(1, 3, 4)),
    ("t", lambda x: x.t()),
    ("T", lambda x: x.T),
    ("mT", lambda x: x.mT),
    ("transpose", lambda x: x.transpose(0, 1)),
    ("permute", lambda x: x.permute(1, 0)),
    ("movedim", lambda x: x.movedim(0, 1)),
    ("narrow", lambda x: x.narrow(1, 1, 2)),
    ("select", lambda x: x.select(0, 1)),
    ("split", lambda x: x.split(2)[1]),
    ("chunk", lambda x: x.chunk(2, 1)[0]),
    ("unbind", lambda x: x.unbind(1)[3]),
]


@pytest.mark.parametrize("make", [m for _, m in VIEWS], ids=[n for n, _ in VIEWS])
def test_view_shares_data_and_version(make):
    x = grid(3, 4)
    v = make(x)
    assert v._base is x
    assert np.shares_memory(v.numpy(), x.numpy())
    before = x.numpy().copy()
    v.add_(100)
    assert x._version == v._version == 1
    changed = x.numpy() != before
    assert changed.sum() == v.numel()  # exactly the viewed entries moved
    np.testing.assert_array_equal(x.numpy()[changed], before[changed] + 100)


def test_view_of_view_records_the_root_base():
    x = grid(3, 4)
    v = x.t().reshape(12 // 3, 3)[1:]
    assert v._base is x


@pytest.mark.parametrize("make", [m for _, m in VIEWS], ids=[n for n, _ in VIEWS])
def test_inplace_through_view_of_leaf_requiring_grad_raises(make):
    x = grid(3, 4, requires_grad=True)
    with raises(RuntimeError, VIEW_OF_LEAF):
        make(x).mul_(2)


def test_inplace_through_view_allowed_under_no_grad():
    x = grid(3, 4, requires_grad=True)
    with ak.no_grad():
        x.t()[0].add_(1)
    np.testing.assert_array_equal(x.detach().numpy()[:, 0], np.arange(0.0, 12.0, 4.0) + 1)
    assert x._version == 1


@pytest.mark.parametrize(
    "make",
    [
        lambda x: x.t().reshape(-1),
        lambda x: x.t().flatten(),
        lambda x: x.flip(0),
        lambda x: x.roll(1, 1),
        lambda x: x.repeat(1, 1),
        lambda x: ak.cat([x]),
        lambda x: ak.stack([x])[0],
    ],
)
def test_copying_ops_do_not_alias(make):
    x = grid(3, 4)
    y = make(x)
    assert not np.shares_memory(y.numpy(), x.numpy())
    y.add_(1)
    np.testing.assert_array_equal(x.numpy(), np.arange(12.0).reshape(3, 4))
    assert x._version == 0


def test_reshape_copy_is_recorded_as_unsafe_view():
    x = grid(3, 4, requires_grad=True)
    y = x.t().reshape(-1)
    assert y.grad_fn.name() == "UnsafeViewBackward0" and y._base is None
    np.testing.assert_array_equal(y.detach().numpy(), np.arange(12.0).reshape(3, 4).T.reshape(-1))


def test_flatten_of_a_single_dim_returns_the_input_itself():
    x = grid(2, 3)
    assert x.flatten(1, 1) is x


def test_view_backward_saves_input_sizes_as_pytorch():
    y = grid(3, 4, requires_grad=True).view(12)
    assert y.grad_fn._saved_self_sym_sizes == (3, 4)


def test_expand_gradient_sums_over_repeats():
    x = ak.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
    w = ak.tensor(np.arange(12.0).reshape(2, 3, 2).astype(np.float32))
    (x.expand(2, 3, 2) * w).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.arange(12.0).reshape(2, 3, 2).sum(axis=(0, 2))[:, None])


def test_expand_without_repeats_stays_writable_and_broadcast_is_read_only():
    x = grid(3, 1)
    same = x.expand(1, 3, 1)
    same[0, 0, 0] = 7.0
    assert x[0, 0].item() == 7.0
    wide = x.expand(3, 4)
    with pytest.raises(
        RuntimeError,
        match="more than one element of the written-to tensor refers to a single memory location",
    ):
        wide[0, 0] = 1.0


def test_T_on_non_matrix_warns_and_reverses():
    x = grid(2, 3, 4)
    with pytest.warns(UserWarning, match=re.escape("The use of `x.T` on tensors of dimension other than 2")):
        y = x.T
    assert y.shape == (4, 3, 2)
    assert y.grad_fn is None and y._base is x


@pytest.mark.parametrize(
    "name, advice",
    [
        ("H", "Consider using x.conj()."),
        ("mH", "Consider using x.conj()."),
        ("mT", "This function is the identity in these cases."),
    ],
)
def test_matrix_transposes_of_a_0d_tensor_warn_and_return_it(name, advice):
    s = ak.tensor(2.0)
    with pytest.warns(UserWarning, match=re.escape(f"Tensor.{name} is deprecated on 0-D tensors. {advice}")):
        assert getattr(s, name) is s


# --- multi-output nodes ---------------------------------------------------------------------------


def test_split_outputs_share_one_node():
    x = grid(5, 2, requires_grad=True)
    a, b, c = x.split(2)
    assert a.grad_fn is b.grad_fn is c.grad_fn
    assert [t._output_nr for t in (a, b, c)] == [0, 1, 2]
    assert [tuple(t.shape) for t in (a, b, c)] == [(2, 2), (2, 2), (1, 2)]
    assert a.grad_fn.next_functions[0][0].variable is x


def test_split_gradient_of_unused_pieces_is_zero():
    x = grid(5, 2, requires_grad=True)
    (x.split([1, 3, 1])[1] * 3).sum().backward()
    expected = np.zeros((5, 2))
    expected[1:4] = 3
    np.testing.assert_array_equal(x.grad.numpy(), expected)


def test_unbind_gradient_stacks_back():
    x = grid(2, 3, requires_grad=True)
    rows = x.unbind(1)
    assert rows[0].grad_fn.name() == "UnbindBackward0" and rows[0].grad_fn is rows[2].grad_fn
    (rows[0] * 1 + rows[2] * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1.0, 0.0, 2.0]] * 2)


def test_split_of_no_grad_tensor_records_nothing():
    parts = grid(4).chunk(2)
    assert all(p.grad_fn is None for p in parts)


# --- dtypes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tensors, dtype",
    [
        ([ak.zeros(2), ak.zeros(2, dtype=ak.float64)], ak.float64),
        ([ak.zeros(2), ak.tensor([1, 2])], ak.float32),
        ([ak.tensor([1, 2]), ak.tensor([True, False])], ak.int64),
    ],
)
def test_cat_and_stack_promote_like_pytorch(tensors, dtype):
    assert ak.cat(tensors).dtype == dtype
    assert ak.stack(tensors).dtype == dtype


def test_cat_skips_legacy_empty_1d_tensors():
    x = grid(2, 3, requires_grad=True)
    y = ak.cat([x, ak.tensor([], dtype=ak.float64)], 1)
    assert y.shape == (2, 3) and y.grad_fn.name() == "CatBackward0"


def test_integer_results_carry_no_graph():
    assert ak.cat([ak.tensor([1]), ak.tensor([2])]).grad_fn is None
