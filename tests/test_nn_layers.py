"""Layers and containers: forward against NumPy, backward by gradcheck in float64, node names,
PyTorch's default init, containers' indexing, and errors (messages checked against PyTorch 2.13)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_kit as torch
from autograd_kit import nn
from autograd_kit.autograd import gradcheck
from autograd_kit.nn import functional as F


def rand64(*shape: int, seed: int = 0) -> torch.Tensor:
    data = np.random.default_rng(seed).standard_normal(shape)
    return torch.tensor(data, dtype=torch.float64, requires_grad=True)


# --- Linear ------------------------------------------------------------------------------------
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
    out = lin(torch.randn(2, 4))
    assert out.grad_fn.name() == "AddmmBackward0"
    names = [fn.name() if fn is not None else None for fn, _ in out.grad_fn.next_functions]
    assert names == ["torch::autograd::AccumulateGrad", None, "TBackward0"]  # PyTorch's names
    assert out.grad_fn.next_functions[0][0].variable is lin.bias
    assert nn.Linear(4, 3, bias=False)(torch.randn(2, 4)).grad_fn.name() == "MmBackward0"


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
    lin(x).backward(torch.tensor(g))
    np.testing.assert_allclose(lin.weight.grad._data, g.T @ x._data, rtol=1e-12)
    np.testing.assert_allclose(lin.bias.grad._data, g.sum(0), rtol=1e-12)
    np.testing.assert_allclose(x.grad._data, g @ lin.weight._data, rtol=1e-12)


def test_linear_default_init_is_pytorchs_uniform() -> None:
    torch.manual_seed(0)
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
    torch.manual_seed(0)
    np.testing.assert_array_equal(nn.Linear(400, 300).weight._data, lin.weight._data)  # seeded


def test_linear_errors_match_pytorch() -> None:
    lin = nn.Linear(1000, 100)
    with pytest.raises(
        RuntimeError, match=r"^mat1 and mat2 shapes cannot be multiplied \(16x999 and 1000x100\)$"
    ):
        lin(torch.randn(16, 999))
    with pytest.raises(
        RuntimeError, match=r"^mat1 and mat2 shapes cannot be multiplied \(1x999 and 1000x100\)$"
    ):
        lin(torch.randn(999))
    with pytest.raises(
        RuntimeError, match=r"^mat1 and mat2 shapes cannot be multiplied \(6x999 and 1000x100\)$"
    ):
        lin(torch.randn(2, 3, 999))
    with pytest.raises(
        RuntimeError, match=r"^expected m1 and m2 to have the same dtype, but got: double != float$"
    ):
        F.linear(torch.zeros(2, 3, dtype=torch.float64), torch.zeros(4, 3))
    with pytest.raises(
        RuntimeError, match="both arguments to linear need to be at least 1D, but they are 0D and 2D"
    ):
        F.linear(torch.zeros(()), torch.zeros(4, 3))
    with pytest.raises(RuntimeError, match=r"Trying to create tensor with negative dimension -1: \[2, -1\]"):
        nn.Linear(-1, 2)
    with pytest.raises(
        TypeError, match=r"^linear\(\): argument 'input' \(position 1\) must be Tensor, not list$"
    ):
        F.linear([1.0], torch.zeros(2, 1))
    with pytest.raises(
        TypeError, match=r"^linear\(\): argument 'bias' \(position 3\) must be Tensor, not str$"
    ):
        F.linear(torch.zeros(2, 1), torch.zeros(2, 1), "x")
    with pytest.raises(RuntimeError) as err:
        F.linear(torch.zeros(4, 2), torch.zeros(3, 2), torch.zeros(5))
    assert str(err.value) == (
        "The expanded size of the tensor (3) must match the existing size (5) at non-singleton dimension 1.  "
        "Target sizes: [4, 3].  Tensor sizes: [5]"
    )


# --- activations, Flatten, Identity, Dropout ---------------------------------------------------
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
        nn.Softmax(dim=3)(torch.zeros(2, 2))


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
    x = torch.ones(200, 200)
    torch.manual_seed(1)
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

    def seeded_dropout(t: torch.Tensor) -> torch.Tensor:
        torch.manual_seed(7)
        return F.dropout(t, 0.4)

    out = seeded_dropout(x)
    assert out.grad_fn.name() == "MulBackward0"
    out.sum().backward()
    mask = out._data / x._data
    np.testing.assert_allclose(x.grad._data, mask, rtol=1e-12)
    assert gradcheck(seeded_dropout, (rand64(5, 6),))


# --- containers ------------------------------------------------------------------------------
def test_sequential_forward_indexing_len_iteration() -> None:
    a, b, c = nn.Linear(3, 4).double(), nn.Tanh(), nn.Linear(4, 2).double()
    seq = nn.Sequential(a, b, c)
    x = rand64(5, 3)
    np.testing.assert_allclose(seq(x)._data, c(b(a(x)))._data, rtol=1e-15)
    assert len(seq) == 3 and list(seq) == [a, b, c]
    assert seq[0] is a and seq[-1] is c
    sub = seq[1:]
    assert isinstance(sub, nn.Sequential) and list(sub) == [b, c]
    assert [n for n, _ in sub.named_children()] == ["1", "2"]
    seq[1] = nn.ReLU()
    assert type(seq[1]).__name__ == "ReLU"
    del seq[0]
    assert len(seq) == 2 and [n for n, _ in seq.named_children()] == ["0", "1"]
    seq.append(nn.Identity())
    assert len(seq) == 3
    with pytest.raises(IndexError, match="index 3 is out of range"):
        seq[3]
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        nn.Sequential(3)
    named = nn.Sequential(
        __import__("collections").OrderedDict([("fc", nn.Linear(1, 1)), ("act", nn.ReLU())])
    )
    assert [n for n, _ in named.named_children()] == ["fc", "act"]


def test_module_list() -> None:
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    assert len(layers) == 3 and len(list(layers.parameters())) == 6
    layers.append(nn.ReLU())
    layers.extend([nn.Tanh()])
    layers.insert(0, nn.Identity())
    assert [type(m).__name__ for m in layers] == ["Identity", "Linear", "Linear", "Linear", "ReLU", "Tanh"]
    assert isinstance(layers[1:3], nn.ModuleList) and len(layers[1:3]) == 2
    assert layers[-1] is list(layers)[-1]
    del layers[0]
    assert type(layers[0]).__name__ == "Linear"
    layers += [nn.Sigmoid()]
    assert type(layers[-1]).__name__ == "Sigmoid"
    with pytest.raises(IndexError, match="index 9 is out of range"):
        layers[9]
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        nn.ModuleList([3])


# --- init --------------------------------------------------------------------------------------
def test_init_functions() -> None:
    w = torch.empty(300, 200)
    assert nn.init.zeros_(w) is w and (w._data == 0).all()
    assert (nn.init.ones_(w)._data == 1).all()
    assert (nn.init.constant_(w, 0.5)._data == 0.5).all()
    data = nn.init.normal_(w, mean=2.0, std=0.5)._data.astype(np.float64)
    assert abs(data.mean() - 2.0) < 0.01 and abs(data.std() - 0.5) < 0.01
    data = nn.init.uniform_(w, -3, 1)._data
    assert data.min() >= -3 and data.max() < 1 and abs(data.mean() + 1) < 0.02
    bound = math.sqrt(6 / (200 + 300))
    data = nn.init.xavier_uniform_(w)._data
    assert np.abs(data).max() <= bound and abs(data.std() - bound / math.sqrt(3)) < 0.01 * bound
    data = nn.init.xavier_normal_(w, gain=2.0)._data
    assert abs(data.std() - 2.0 * math.sqrt(2 / 500)) < 0.01
    bound = math.sqrt(2.0) * math.sqrt(3 / 200)
    data = nn.init.kaiming_uniform_(w, nonlinearity="relu")._data
    assert np.abs(data).max() <= bound and abs(data.std() - bound / math.sqrt(3)) < 0.01 * bound
    data = nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")._data
    assert abs(data.std() - math.sqrt(2 / 300)) < 0.001


def test_init_gain_and_errors() -> None:
    assert nn.init.calculate_gain("tanh") == 5.0 / 3
    assert nn.init.calculate_gain("relu") == math.sqrt(2.0)
    assert nn.init.calculate_gain("leaky_relu") == math.sqrt(2.0 / (1 + 0.01**2))
    assert nn.init.calculate_gain("linear") == nn.init.calculate_gain("sigmoid") == 1
    with pytest.raises(ValueError, match="Unsupported nonlinearity foo"):
        nn.init.calculate_gain("foo")
    with pytest.raises(
        ValueError, match="Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
    ):
        nn.init.xavier_uniform_(torch.empty(3))
    with pytest.raises(ValueError, match="Mode fan_x not supported, please use one of fan_in, fan_out"):
        nn.init.kaiming_uniform_(torch.empty(3, 3), mode="fan_x")


def test_init_on_parameter_does_not_record_and_bumps_version() -> None:
    p = nn.Linear(3, 3).weight
    version = p._version
    nn.init.zeros_(p)
    assert p.is_leaf and p.grad_fn is None and p._version == version + 1


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_relu_backward_is_exactly_threshold_backward_on_large_inputs(dtype: torch.dtype) -> None:
    # PyTorch's threshold_backward is where(out > 0, grad, 0): NaN/inf pass only where out > 0,
    # and masked entries are +0. (never -0.), also on the fast path for large arrays.
    rng = np.random.default_rng(5)
    x = torch.tensor(rng.standard_normal((64, 64)), dtype=dtype, requires_grad=True)
    g = rng.standard_normal((64, 64))
    g[::7, ::3] = np.nan
    g[1::5, ::4] = -np.inf
    grad = torch.tensor(g, dtype=dtype)
    nn.ReLU()(x).backward(grad)
    expected = np.where(x._data > 0, grad._data, 0).astype(grad._data.dtype)
    int_type = np.int32 if dtype == torch.float32 else np.int64
    np.testing.assert_array_equal(x.grad._data.view(int_type), expected.view(int_type))
