"""Activations, Flatten, Identity and Dropout: forward against NumPy, backward by gradcheck in
float64, node names, Dropout's statistics and mask, ReLU's backward at NaN/inf, and errors
(messages checked against PyTorch 2.13)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit import nn
from autograd_kit.autograd import gradcheck
from autograd_kit.nn import functional as F
from tests.helpers.nn import rand64

ACTIVATIONS = [
    (nn.ReLU(), lambda x: np.maximum(x, 0), "ReluBackward0"),
    (nn.Tanh(), np.tanh, "TanhBackward0"),
    (nn.Sigmoid(), lambda x: 1 / (1 + np.exp(-x)), "SigmoidBackward0"),
    (nn.Softmax(dim=1), lambda x: np.exp(x) / np.exp(x).sum(1, keepdims=True), "SoftmaxBackward0"),
    (nn.LogSoftmax(dim=1), lambda x: x - np.log(np.exp(x).sum(1, keepdims=True)), "LogSoftmaxBackward0"),
]


@pytest.mark.parametrize("module, reference, node", ACTIVATIONS, ids=lambda v: type(v).__name__)
def test_activation_forward_backward(module: nn.Module, reference: object, node: str) -> None:
    x = rand64(4, 5)
    out = module(x)
    np.testing.assert_allclose(out._data, reference(x._data), rtol=1e-12, atol=1e-15)
    assert out.grad_fn.name() == node
    assert gradcheck(module, (x,))


def test_functional_activations_match_modules() -> None:
    x = rand64(3, 4)
    np.testing.assert_array_equal(F.relu(x)._data, nn.ReLU()(x)._data)
    np.testing.assert_array_equal(F.tanh(x)._data, nn.Tanh()(x)._data)
    np.testing.assert_array_equal(F.sigmoid(x)._data, nn.Sigmoid()(x)._data)
    np.testing.assert_array_equal(F.softmax(x, dim=0)._data, nn.Softmax(0)(x)._data)
    np.testing.assert_array_equal(F.log_softmax(x, 0)._data, nn.LogSoftmax(0)(x)._data)
    y = x.detach().clone()
    assert nn.ReLU(inplace=True)(y) is y and (y._data >= 0).all()


def test_softmax_without_dim_warns_and_picks_pytorchs_dim() -> None:
    x = rand64(2, 3)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax has been deprecated"):
        out = nn.Softmax()(x)
    np.testing.assert_allclose(out._data.sum(1), 1.0)
    with pytest.raises(
        IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 3\)"
    ):
        nn.Softmax(dim=3)(ak.zeros(2, 2))


def test_identity_and_flatten() -> None:
    x = rand64(2, 3, 4)
    assert nn.Identity(54, unused="x")(x) is x
    out = nn.Flatten()(x)
    assert out.shape == (2, 12)
    np.testing.assert_array_equal(out._data, x._data.reshape(2, 12))
    assert nn.Flatten(0, 1)(x).shape == (6, 4)
    assert gradcheck(nn.Flatten(), (x,))


def test_dropout_train_eval_and_statistics() -> None:
    drop = nn.Dropout(0.25)
    x = ak.ones(200, 200)
    ak.manual_seed(1)
    out = drop(x)._data
    kept = out != 0
    assert abs(kept.mean() - 0.75) < 0.01  # 40000 Bernoulli(0.75) draws
    np.testing.assert_allclose(out[kept], 1 / 0.75, rtol=1e-6)
    assert drop.eval()(x) is x
    assert F.dropout(x, 0.0) is x
    np.testing.assert_array_equal(F.dropout(x, 1.0)._data, 0)
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        nn.Dropout(1.5)
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got -0.1"):
        F.dropout(x, -0.1)


def test_dropout_backward_uses_the_same_mask() -> None:
    x = rand64(5, 6)

    def seeded_dropout(t: ak.Tensor) -> ak.Tensor:
        ak.manual_seed(7)
        return F.dropout(t, 0.4)

    out = seeded_dropout(x)
    assert out.grad_fn.name() == "MulBackward0"
    out.sum().backward()
    mask = out._data / x._data
    np.testing.assert_allclose(x.grad._data, mask, rtol=1e-12)
    assert gradcheck(seeded_dropout, (rand64(5, 6),))


@pytest.mark.parametrize("side", [4, 64])  # 16 elements take np.where, 4096 the bit-mask path
@pytest.mark.parametrize("dtype", [ak.float32, ak.float64])
def test_relu_backward_is_exactly_threshold_backward(dtype: ak.dtype, side: int) -> None:
    # PyTorch's threshold_backward is where(out <= 0, 0, grad): the gradient is blocked only
    # where the output is <= 0, so it passes at a NaN output (torch 2.13: relu'(nan) * 5 = 5);
    # NaN/inf gradients pass where not blocked, and blocked entries are +0. (never -0.).
    rng = np.random.default_rng(5)
    data = rng.standard_normal((side, side))
    data[0, :3] = [np.nan, 0.0, -0.0]
    x = ak.tensor(data, dtype=dtype, requires_grad=True)
    g = rng.standard_normal((side, side))
    g[::7, ::3] = np.nan
    g[1::5, ::4] = -np.inf
    g[0, :3] = 5.0
    grad = ak.tensor(g, dtype=dtype)
    nn.ReLU()(x).backward(grad)
    out = np.maximum(x._data, 0)
    expected = np.where(out <= 0, 0, grad._data).astype(grad._data.dtype)
    int_type = np.int32 if dtype == ak.float32 else np.int64
    np.testing.assert_array_equal(x.grad._data.view(int_type), expected.view(int_type))
    assert x.grad._data[0, :3].tolist() == [5.0, 0.0, 0.0]
