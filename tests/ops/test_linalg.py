"""Matrix products beyond the op table: dtypes, addmm's scalars, gradient layout and work, and
every error with PyTorch's message (checked against PyTorch 2.13)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.graph.engine import record_steps
from tests.helpers import raises

F64 = ak.float64


def _ones(*shape, dtype=ak.float32):
    return ak.ones(*shape, dtype=dtype)


# --- results ------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [ak.int64, ak.int32, ak.float16, ak.float64])
def test_products_keep_the_operand_dtype(dtype):
    a = ak.tensor([[1, 2], [3, 4]], dtype=dtype)
    v = ak.tensor([1, 2], dtype=dtype)
    for out, ref in (
        (a @ a, [[7, 10], [15, 22]]),
        (a @ v, [5, 11]),
        (v @ v, 5),
        (ak.outer(v, v), [[1, 2], [2, 4]]),
    ):
        assert out.dtype is dtype and out.tolist() == ref


def test_outer_promotes_like_mul():
    assert ak.outer(_ones(2), ak.tensor([1, 2])).dtype is ak.float32
    assert ak.outer(_ones(2), _ones(3, dtype=F64)).dtype is F64


def test_empty_inner_dimension_gives_zeros():
    assert (ak.zeros(2, 0) @ ak.zeros(0, 3)).tolist() == [[0.0] * 3] * 2
    assert (ak.zeros(0) @ ak.zeros(0)).item() == 0.0


@pytest.mark.parametrize(
    "a, b",
    [((2, 3, 0), (0, 4)), ((2, 0, 3), (3, 4)), ((0,), (2, 0, 3)), ((2, 0, 3), (3,)), ((2, 3), (0, 3, 4))],
)
def test_matmul_of_empty_operands(a, b):
    x, y = ak.zeros(a, requires_grad=True), ak.zeros(b, requires_grad=True)
    out = x @ y
    assert out.shape == np.matmul(np.zeros(a), np.zeros(b)).shape
    out.sum().backward()
    assert x.grad.shape == a and y.grad.shape == b
    assert not x.grad.numpy().any() and not y.grad.numpy().any()


def test_saved_values_use_pytorch_names():
    a, b = ak.ones(2, 3, requires_grad=True), ak.ones(3, 4, requires_grad=True)
    node = (a @ b).grad_fn
    assert node._saved_self.shape == (2, 3) and node._saved_mat2.shape == (3, 4)
    node = ak.addmm(ak.zeros(4), a, b, beta=0.5, alpha=2).grad_fn
    assert node._saved_alpha == 2 and node._saved_beta == 0.5 and node._saved_mat1.shape == (2, 3)


def test_addmm_scalars():
    bias = ak.tensor([math.nan, 1.0])
    # beta == 0 ignores the input entirely, nan included (PyTorch: the product alone).
    assert ak.addmm(bias, _ones(2, 3), _ones(3, 2), beta=0).tolist() == [[3.0, 3.0], [3.0, 3.0]]
    out = ak.addmm(_ones(2), _ones(2, 3), _ones(3, 2), beta=2, alpha=0.5)
    assert out.tolist() == [[3.5, 3.5], [3.5, 3.5]]
    ints = ak.ones(2, 3, dtype=ak.int64)
    # Integer addmm truncates its scalars to integers, as PyTorch: 1 + int(0.5) * 3 = 1.
    assert ak.addmm(ints, ints, ak.ones(3, 3, dtype=ak.int64), alpha=0.5).tolist() == [[1, 1, 1]] * 2


def test_addmm_gradients_with_scalars():
    bias, m1 = ak.zeros(4, requires_grad=True), ak.ones(2, 3, requires_grad=True)
    ak.addmm(bias, m1, _ones(3, 4), beta=0, alpha=0).sum().backward()
    assert bias.grad.tolist() == [0.0] * 4 and m1.grad.tolist() == [[0.0] * 3] * 2  # PyTorch: zeros, not None


def test_linear_bias_gradient_is_the_column_sum_and_weight_gradient_is_c_ordered():
    rng = np.random.default_rng(0)
    x, w, b, g = (
        rng.standard_normal((5, 3)),
        rng.standard_normal((4, 3)),
        rng.standard_normal(4),
        rng.standard_normal((5, 4)),
    )
    xt, wt, bt = ak.tensor(x), ak.tensor(w, requires_grad=True), ak.tensor(b, requires_grad=True)
    out = ak.addmm(bt, xt, wt.t())
    np.testing.assert_allclose(out.detach().numpy(), x @ w.T + b)
    out.backward(ak.tensor(g))
    np.testing.assert_allclose(bt.grad.numpy(), g.sum(0))
    np.testing.assert_allclose(wt.grad.numpy(), g.T @ x)
    assert wt.grad.numpy().flags.c_contiguous  # like the weight: no strided copy on the way


def test_backward_skips_gradients_nobody_needs():
    x, w, b = ak.ones(5, 3), ak.ones(4, 3, requires_grad=True), ak.ones(4, requires_grad=True)
    with record_steps() as steps:
        ak.addmm(b, x, w.t()).sum().backward()
        (x @ w.t()).sum().backward()
    addmm = next(s for s in steps if s.node.name() == "AddmmBackward0")
    assert addmm.grad_inputs[1] is None and addmm.grad_inputs[2] is not None
    mm = next(s for s in steps if s.node.name() == "MmBackward0")
    assert mm.grad_inputs[0] is None and mm.grad_inputs[1].shape == (3, 4)


def test_matmul_operator_with_a_non_tensor():
    t = _ones(2)
    with raises(TypeError, "unsupported operand type(s) for @: 'Tensor' and 'int'"):
        t @ 2
    with raises(TypeError, "unsupported operand type(s) for @: 'int' and 'Tensor'"):
        2 @ t
    with raises(TypeError, "matmul(): argument 'other' (position 2) must be Tensor, not int"):
        ak.matmul(t, 2)
    with raises(TypeError, "matmul(): argument 'input' (position 1) must be Tensor, not int"):
        ak.matmul(2, t)
