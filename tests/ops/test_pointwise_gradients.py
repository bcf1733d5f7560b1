"""Pointwise ops beyond the op table: PyTorch's gradients at kinks, bounds and ties (clamp,
maximum/minimum, where, masked_fill, lerp). Expected values were checked with torch 2.13."""

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import leaf32 as leaf


def grads(*tensors):
    return [t.grad.numpy().tolist() for t in tensors]


def test_relu_and_abs_have_zero_gradient_at_zero():
    x = leaf([0.0, 2.0, -1.0])
    (x.relu() + x.abs()).sum().backward()
    assert x.grad.tolist() == [0.0, 2.0, -1.0]


def test_abs_gradient_at_nan_and_signed_zero_is_zero_as_pytorch():
    # torch 2.13: grad * sgn(x), with sgn(nan) = 0; an infinite gradient there gives nan.
    x = leaf([float("nan"), -0.0, 0.0, -2.0, 3.0])
    x.abs().sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0, -1.0, 1.0]
    y = leaf([float("nan"), -0.0, 0.0, -2.0, 3.0], np.float64)
    y.abs().backward(ak.tensor([float("inf"), 2.0, 3.0, 4.0, 5.0], dtype=ak.float64))
    assert np.isnan(y.grad[0].item()) and y.grad.tolist()[1:] == [0.0, 0.0, -4.0, 5.0]


@pytest.mark.parametrize("name", ["sign", "floor", "ceil", "round", "trunc"])
def test_piecewise_constant_ops_give_zero_not_none(name):
    x = leaf([0.3, 1.7])
    getattr(x, name)().sum().backward()
    assert x.grad is not None and x.grad.tolist() == [0.0, 0.0]


def test_clamp_passes_the_gradient_at_its_bounds():
    x = leaf([0.5, 1.0, 2.0, 2.5])
    x.clamp(1.0, 2.0).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 1.0, 0.0]
    x = leaf([0.5, 1.0, 2.0])
    x.clamp(2.0, 1.0).sum().backward()  # min > max: the output is max everywhere
    assert x.grad.tolist() == [0.0, 0.0, 0.0]
    assert ak.clamp(ak.tensor([0.5, 3.0]), 2.0, 1.0).tolist() == [1.0, 1.0]


def test_clamp_with_tensor_bounds_routes_the_gradient():
    values = (
        [-2.0, -1.0, 0.0, 1.0, 2.0, 0.5],
        [-1.0, -1.0, 1.0, 0.0, 0.0, 1.0],
        [1.0, 1.0, 0.0, 1.0, 1.0, 0.0],
    )
    x, lo, hi = (leaf(v) for v in values)
    ak.clamp(x, lo, hi).sum().backward()
    assert grads(x, lo, hi) == [[0, 1, 0, 1, 0, 0], [1, 0, 0, 0, 0, 0], [0, 0, 1, 0, 1, 1]]
    x, lo = leaf(values[0]), leaf(values[1])
    ak.clamp(x, min=lo).sum().backward()
    assert grads(x, lo) == [[0, 1, 0, 1, 1, 0], [1, 0, 1, 0, 0, 1]]
    x, hi = leaf(values[0]), leaf(values[2])
    x.clamp(max=hi).sum().backward()
    assert grads(x, hi) == [[1, 1, 1, 1, 0, 0], [0, 0, 0, 0, 1, 1]]


def test_clamp_with_a_tensor_and_a_number_bound():
    x, lo = leaf([-2.0, 0.5, 3.0]), leaf([-1.0, -1.0, -1.0])
    y = ak.clamp(x, lo, 1.0)
    assert y.grad_fn.name() == "ClampBackward0" and y.grad_fn.next_functions[2] == (None, 0)
    y.sum().backward()
    assert grads(x, lo) == [[0, 1, 0], [1, 0, 0]]


def test_clamp_number_bounds_are_saved_as_numbers():
    y = leaf([0.5]).clamp(-1.0, 1.0)
    assert y.grad_fn._saved_min == -1.0 and y.grad_fn._saved_max == 1.0
    assert len(y.grad_fn.next_functions) == 1


@pytest.mark.parametrize(
    "op, a_grad, b_grad", [(ak.maximum, [0.5, 1.0], [0.5, 0.0]), (ak.minimum, [0.5, 0.0], [0.5, 1.0])]
)
def test_ties_split_the_gradient(op, a_grad, b_grad):
    a, b = leaf([1.0, 2.0]), leaf([1.0, 1.0])
    op(a, b).sum().backward()
    assert grads(a, b) == [a_grad, b_grad]


def test_nan_in_maximum_sends_the_gradient_to_both():
    a, b = leaf([1.0, float("nan"), 2.0]), leaf([float("nan"), 1.0, 2.0])
    ak.maximum(a, b).sum().backward()
    assert grads(a, b) == [[1.0, 1.0, 0.5], [1.0, 1.0, 0.5]]


def test_where_masked_fill_and_lerp_gradients():
    x, y = leaf([1.0, -1.0, 2.0]), leaf([5.0, 6.0, 7.0])
    ak.where(x > 0, x, y).sum().backward()
    assert grads(x, y) == [[1, 0, 1], [0, 1, 0]]
    x, v = leaf([0.5, -1.0, 2.0]), leaf(2.0)
    x.masked_fill(x > 0, v).sum().backward()
    assert grads(x, v) == [[0, 1, 0], 2.0]
    s, e, w = leaf([1.0, 2.0, 3.0]), leaf([3.0, -1.0, 0.0]), leaf([0.25, 0.5, 2.0])
    r = ak.lerp(s, e, w)
    assert r.tolist() == [1.5, 0.5, -3.0]
    r.sum().backward()
    assert grads(s, e, w) == [[0.75, 0.5, -1.0], [0.25, 0.5, 2.0], [2.0, -3.0, -3.0]]


def test_lerp_reaches_end_exactly_at_weight_one():
    a, b = ak.tensor([0.1, 1e8]), ak.tensor([0.3, 1.0])
    assert ak.lerp(a, b, 1.0).tolist() == b.tolist()
    assert ak.lerp(a, b, ak.tensor([1.0, 1.0])).tolist() == b.tolist()


def test_where_with_only_a_condition_gives_indices():
    rows, cols = ak.where(ak.tensor([[True, False], [False, True]]))
    assert rows.dtype is ak.int64 and rows.tolist() == [0, 1] and cols.tolist() == [0, 1]
    (idx,) = ak.where(ak.tensor(True))
    assert idx.tolist() == [0]


def test_where_accepts_a_deprecated_uint8_condition():
    with pytest.warns(UserWarning, match="where received a uint8 condition tensor"):
        out = ak.where(ak.tensor([1, 0], dtype=ak.uint8), ak.tensor([1.0, 2.0]), 0.0)
    assert out.tolist() == [1.0, 0.0]
