"""nn.Linear and F.linear: forward against NumPy for every rank, backward by gradcheck in
float64, PyTorch's node names and default init, and errors (messages checked against PyTorch 2.13)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit import nn
from autograd_kit.autograd import gradcheck
from autograd_kit.nn import functional as F
from tests.helpers.nn import rand64


def test_linear_forward_matches_numpy_for_every_rank() -> None:
    lin = nn.Linear(4, 3).double()
    w, b = lin.weight._data, lin.bias._data
    for shape in [(4,), (5, 4), (2, 5, 4)]:
        x = rand64(*shape)
        np.testing.assert_allclose(lin(x)._data, x._data @ w.T + b, rtol=1e-12)
    no_bias = nn.Linear(4, 3, bias=False).double()
    x = rand64(5, 4)
    np.testing.assert_allclose(no_bias(x)._data, x._data @ no_bias.weight._data.T, rtol=1e-12)


def test_linear_graph_matches_pytorch() -> None:
    lin = nn.Linear(4, 3)
    out = lin(ak.randn(2, 4))
    assert out.grad_fn.name() == "AddmmBackward0"
    names = [fn.name() if fn is not None else None for fn, _ in out.grad_fn.next_functions]
    assert names == ["torch::autograd::AccumulateGrad", None, "TBackward0"]  # PyTorch's names
    assert out.grad_fn.next_functions[0][0].variable is lin.bias
    assert nn.Linear(4, 3, bias=False)(ak.randn(2, 4)).grad_fn.name() == "MmBackward0"


@pytest.mark.parametrize("shape", [(4,), (5, 4), (2, 3, 4)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_gradcheck(shape: tuple, bias: bool) -> None:
    x, w, b = rand64(*shape), rand64(3, 4, seed=1), rand64(3, seed=2)
    if bias:
        assert gradcheck(lambda x, w, b: F.linear(x, w, b), (x, w, b))
    else:
        assert gradcheck(lambda x, w: F.linear(x, w), (x, w))


def test_linear_module_backward_matches_numpy() -> None:
    lin = nn.Linear(4, 3).double()
    x = rand64(6, 4)
    g = np.random.default_rng(3).standard_normal((6, 3))
    lin(x).backward(ak.tensor(g))
    np.testing.assert_allclose(lin.weight.grad._data, g.T @ x._data, rtol=1e-12)
    np.testing.assert_allclose(lin.bias.grad._data, g.sum(0), rtol=1e-12)
    np.testing.assert_allclose(x.grad._data, g @ lin.weight._data, rtol=1e-12)


def test_linear_default_init_is_pytorchs_uniform() -> None:
    ak.manual_seed(0)
    lin = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    for p in (lin.weight, lin.bias):
        data = p._data
        assert data.dtype == np.float32
        assert np.abs(data).max() <= bound
    # U(-b, b): mean 0, std b/sqrt(3); 120000 draws pin both down tightly.
    w = lin.weight._data.astype(np.float64)
    assert abs(w.mean()) < 0.01 * bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.01 * bound
    assert np.abs(w).max() > 0.999 * bound
    ak.manual_seed(0)
    np.testing.assert_array_equal(nn.Linear(400, 300).weight._data, lin.weight._data)  # seeded


def test_linear_errors_match_pytorch() -> None:
    lin = nn.Linear(1000, 100)
    with pytest.raises(
        RuntimeError, match=r"^mat1 and mat2 shapes cannot be multiplied \(16x999 and 1000x100\)$"
    ):
        lin(ak.randn(16, 999))
    with pytest.raises(
        RuntimeError, match=r"^mat1 and mat2 shapes cannot be multiplied \(1x999 and 1000x100\)$"
    ):
        lin(ak.randn(999))
    with pytest.raises(
        RuntimeError, match=r"^mat1 and mat2 shapes cannot be multiplied \(6x999 and 1000x100\)$"
    ):
        lin(ak.randn(2, 3, 999))
    with pytest.raises(
        RuntimeError, match=r"^expected m1 and m2 to have the same dtype, but got: double != float$"
    ):
        F.linear(ak.zeros(2, 3, dtype=ak.float64), ak.zeros(4, 3))
    with pytest.raises(
        RuntimeError, match="both arguments to linear need to be at least 1D, but they are 0D and 2D"
    ):
        F.linear(ak.zeros(()), ak.zeros(4, 3))
    with pytest.raises(RuntimeError, match=r"Trying to create tensor with negative dimension -1: \[2, -1\]"):
        nn.Linear(-1, 2)
    with pytest.raises(
        TypeError, match=r"^linear\(\): argument 'input' \(position 1\) must be Tensor, not list$"
    ):
        F.linear([1.0], ak.zeros(2, 1))
    with pytest.raises(
        TypeError, match=r"^linear\(\): argument 'bias' \(position 3\) must be Tensor, not str$"
    ):
        F.linear(ak.zeros(2, 1), ak.zeros(2, 1), "x")
    with pytest.raises(RuntimeError) as err:
        F.linear(ak.zeros(4, 2), ak.zeros(3, 2), ak.zeros(5))
    assert str(err.value) == (
        "The expanded size of the tensor (3) must match the existing size (5) at non-singleton dimension 1.  "
        "Target sizes: [4, 3].  Tensor sizes: [5]"
    )
