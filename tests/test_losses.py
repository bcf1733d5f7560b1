"""Losses against NumPy formulas (every reduction), gradients by gradcheck/gradgradcheck in
float64, PyTorch's node names, numerical stability, and errors (texts checked against PyTorch 2.13)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as torch
from autograd_kit import nn
from autograd_kit.autograd import gradcheck, gradgradcheck
from autograd_kit.nn import functional as F

RNG = np.random.default_rng(0)


def t64(data: np.ndarray, grad: bool = True) -> torch.Tensor:
    return torch.tensor(np.asarray(data, dtype=np.float64), requires_grad=grad)


def reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


def log_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


REDUCTIONS = ["none", "mean", "sum"]


# --- MSE / L1 ----------------------------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_and_l1_match_numpy(reduction: str) -> None:
    a, b = RNG.standard_normal((4, 5)), RNG.standard_normal((4, 5))
    x, y = t64(a), t64(b)
    np.testing.assert_allclose(
        F.mse_loss(x, y, reduction=reduction)._data, reduce((a - b) ** 2, reduction), rtol=1e-12
    )
    np.testing.assert_allclose(
        nn.L1Loss(reduction=reduction)(x, y)._data, reduce(np.abs(a - b), reduction), rtol=1e-12
    )
    assert gradcheck(lambda x, y: F.mse_loss(x, y, reduction=reduction), (x, y))
    assert gradcheck(lambda x, y: F.l1_loss(x, y, reduction=reduction), (x, y))
    assert gradgradcheck(lambda x, y: F.mse_loss(x, y, reduction=reduction), (x, y))


def test_mse_node_name_and_saved_values() -> None:
    x, y = t64(RNG.standard_normal(3)), t64(RNG.standard_normal(3), grad=False)
    loss = nn.MSELoss()(x, y)
    assert loss.grad_fn.name() == "MseLossBackward0"
    assert loss.grad_fn._saved_reduction == 1
    assert F.mse_loss(x, y, reduction="none").grad_fn.name() == "MseLossBackward0"
    loss.backward()
    np.testing.assert_allclose(x.grad._data, 2 * (x._data - y._data) / 3, rtol=1e-12)
    assert [fn.name() for fn, _ in F.l1_loss(x, y).grad_fn.next_functions] == ["AbsBackward0"]


def test_weighted_mse() -> None:
    a, b, w = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4)), RNG.random((3, 4))
    out = F.mse_loss(t64(a), t64(b), weight=t64(w, grad=False))
    np.testing.assert_allclose(out._data, ((a - b) ** 2 * w).sum() / w.sum(), rtol=1e-12)
    with pytest.raises(ValueError, match="Weights and input must have the same size."):
        F.mse_loss(t64(a), t64(b), weight=torch.ones(4))


def test_pointwise_loss_shape_mismatch_warns_then_broadcasts_or_fails() -> None:
    x = torch.zeros(4, 3)
    with pytest.warns(UserWarning, match=r"Using a target size \(torch.Size\(\[1, 3\]\)\) that is different"):
        assert F.mse_loss(x, torch.ones(1, 3)).item() == 1.0
    with pytest.warns(UserWarning), pytest.raises(RuntimeError) as err:
        F.mse_loss(x, torch.zeros(4, 4))
    assert (
        str(err.value)
        == "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"
    )
    with pytest.raises(ValueError, match="^x is not a valid value for reduction$"):
        F.mse_loss(x, x, reduction="x")


# --- NLL / CrossEntropy ------------------------------------------------------------------------
def nll_reference(
    logp: np.ndarray, target: np.ndarray, weight: np.ndarray | None, ignore: int, reduction: str
) -> np.ndarray:
    moved = np.moveaxis(logp, 1, -1) if logp.ndim > 1 else logp[None]
    t = target.reshape(moved.shape[:-1])
    valid = t != ignore
    safe = np.where(valid, t, 0)
    w = (np.ones(moved.shape[-1]) if weight is None else weight)[safe] * valid
    picked = np.take_along_axis(moved, safe[..., None], -1)[..., 0]
    loss = -picked * w
    if reduction == "none":
        return loss.reshape(target.shape)
    return loss.sum() / w.sum() if reduction == "mean" else loss.sum()


CASES = [
    ((5, 4), (5,)),  # (N, C)
    ((4,), ()),  # unbatched (C,)
    ((3, 4, 2, 2), (3, 2, 2)),  # (N, C, d1, d2)
]


@pytest.mark.parametrize("shapes", CASES, ids=["NC", "C", "NCd1d2"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_and_nll_match_numpy(shapes: tuple, reduction: str, weighted: bool) -> None:
    in_shape, t_shape = shapes
    classes = in_shape[1] if len(in_shape) > 1 else in_shape[0]
    logits = RNG.standard_normal(in_shape)
    target = RNG.integers(0, classes, t_shape)
    weight = RNG.random(classes) + 0.5 if weighted else None
    w = None if weight is None else t64(weight, grad=False)
    x, t = t64(logits), torch.tensor(target)
    expected = nll_reference(
        log_softmax(logits, 1 if logits.ndim > 1 else 0), target, weight, -100, reduction
    )
    out = F.cross_entropy(x, t, weight=w, reduction=reduction)
    np.testing.assert_allclose(out._data, expected, rtol=1e-12)
    module = nn.CrossEntropyLoss(weight=w, reduction=reduction)
    np.testing.assert_allclose(module(x, t)._data, expected, rtol=1e-12)
    assert gradcheck(lambda x: F.cross_entropy(x, t, weight=w, reduction=reduction), (x,))
    assert gradgradcheck(lambda x: F.cross_entropy(x, t, weight=w, reduction=reduction), (x,))
    logp = t64(log_softmax(logits, 1 if logits.ndim > 1 else 0))
    np.testing.assert_allclose(nn.NLLLoss(weight=w, reduction=reduction)(logp, t)._data, expected, rtol=1e-12)
    assert gradcheck(lambda lp: F.nll_loss(lp, t, weight=w, reduction=reduction), (logp,))


def test_cross_entropy_graph_matches_pytorch() -> None:
    x = torch.randn(4, 3, requires_grad=True)
    loss = F.cross_entropy(x, torch.tensor([0, 2, 1, 1]))
    assert loss.grad_fn.name() == "NllLossBackward0"
    assert [fn.name() for fn, _ in loss.grad_fn.next_functions] == ["LogSoftmaxBackward0"]
    assert loss.grad_fn._saved_ignore_index == -100
    assert loss.grad_fn._saved_reduction == 1
    assert loss.grad_fn._saved_total_weight.item() == 4.0


def test_cross_entropy_gradient_is_softmax_minus_onehot() -> None:
    logits = RNG.standard_normal((6, 5))
    target = RNG.integers(0, 5, 6)
    x = t64(logits)
    F.cross_entropy(x, torch.tensor(target)).backward()
    p = np.exp(log_softmax(logits, 1))
    p[np.arange(6), target] -= 1
    np.testing.assert_allclose(x.grad._data, p / 6, rtol=1e-12)


def test_ignore_index() -> None:
    logits = RNG.standard_normal((4, 3))
    target = np.array([0, 2, 1, 3])
    x = t64(logits)
    out = F.cross_entropy(x, torch.tensor(target), ignore_index=3)
    lp = log_softmax(logits, 1)
    np.testing.assert_allclose(out._data, -(lp[0, 0] + lp[1, 2] + lp[2, 1]) / 3, rtol=1e-12)
    out.backward()
    np.testing.assert_array_equal(x.grad._data[3], 0)
    everything_ignored = F.cross_entropy(t64(logits), torch.tensor([-100] * 4))
    assert np.isnan(everything_ignored.item())  # 0/0, as in PyTorch


def test_cross_entropy_is_stable_for_huge_logits() -> None:
    # PyTorch: tensor(500.5493) and grad [[0.5, -0.5, 0], [1/6, 1/6, -1/3]].
    x = torch.tensor([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]], requires_grad=True)
    loss = F.cross_entropy(x, torch.tensor([1, 2]))
    loss.backward()
    np.testing.assert_allclose(loss.item(), (1000 + np.log(3)) / 2, rtol=1e-6)
    np.testing.assert_allclose(x.grad._data, [[0.5, -0.5, 0.0], [1 / 6, 1 / 6, -1 / 3]], rtol=1e-6, atol=1e-7)


def test_cross_entropy_with_probability_targets_and_label_smoothing() -> None:
    logits = RNG.standard_normal((4, 3))
    probs = RNG.random((4, 3))
    probs /= probs.sum(1, keepdims=True)
    lp = log_softmax(logits, 1)
    x = t64(logits)
    out = F.cross_entropy(x, t64(probs, grad=False))
    np.testing.assert_allclose(out._data, -(probs * lp).sum() / 4, rtol=1e-12)
    assert gradcheck(lambda x: F.cross_entropy(x, t64(probs, grad=False)), (x,))
    target = np.array([0, 2, 1, 1])
    eps = 0.1
    smoothed = F.cross_entropy(x, torch.tensor(target), label_smoothing=eps)
    nll = -lp[np.arange(4), target].mean()
    smooth = -lp.sum(1).mean() / 3
    np.testing.assert_allclose(smoothed._data, (1 - eps) * nll + eps * smooth, rtol=1e-12)
    assert gradcheck(lambda x: F.cross_entropy(x, torch.tensor(target), label_smoothing=eps), (x,))
    with pytest.raises(RuntimeError, match=r"label_smoothing must be between 0.0 and 1.0. Got: 1.5"):
        F.cross_entropy(x, torch.tensor(target), label_smoothing=1.5)


def test_class_target_errors_match_pytorch() -> None:
    x = torch.randn(4, 3, requires_grad=True)
    with pytest.raises(IndexError, match=r"^Target 3 is out of bounds\.$"):
        nn.CrossEntropyLoss()(x, torch.tensor([0, 3, 1, 1]))
    with pytest.raises(IndexError, match=r"^Target -1 is out of bounds\.$"):
        F.cross_entropy(x, torch.tensor([0, -1, 1, 1]))
    with pytest.raises(IndexError, match=r"^Target 5 is out of bounds\.$"):
        F.nll_loss(x, torch.tensor([0, 5, 1, 1]))
    with pytest.raises(RuntimeError, match="^expected target dtype to be Long or Byte, but got Float$"):
        nn.CrossEntropyLoss()(x, torch.tensor([0.0, 2, 1, 1]))
    with pytest.raises(RuntimeError, match="^expected target dtype to be Long or Byte, but got Int$"):
        F.nll_loss(x, torch.tensor([0, 2, 1, 1], dtype=torch.int32))
    with pytest.raises(
        ValueError, match=r"^Expected input batch_size \(4\) to match target batch_size \(3\)\.$"
    ):
        F.cross_entropy(x, torch.tensor([0, 1, 1]))
    with pytest.raises(
        ValueError, match=r"^Expected input batch_size \(4\) to match target batch_size \(0\)\.$"
    ):
        F.nll_loss(x, torch.tensor(1))
    with pytest.raises(RuntimeError, match="^0D or 1D target tensor expected, multi-target not supported$"):
        F.nll_loss(x, torch.zeros(4, 3, dtype=torch.int64))
    with pytest.raises(RuntimeError, match=r"^Expected target size \[4, 5\], got \[4, 6\]$"):
        F.nll_loss(torch.randn(4, 3, 5), torch.zeros(4, 6, dtype=torch.int64))
    with pytest.raises(
        ValueError, match="^For 1D input, 1D target must have size 1, but got target size: 2$"
    ):
        F.nll_loss(torch.randn(2), torch.tensor([0, 1]))
    with pytest.raises(RuntimeError) as err:
        F.cross_entropy(x, torch.tensor([0, 2, 1, 1]), weight=torch.tensor([1.0, 2.0]))
    assert str(err.value) == (
        "weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: [2]"
    )
    with pytest.raises(RuntimeError) as err:
        F.cross_entropy(x, torch.tensor([0, 2, 1, 1]), weight=torch.ones(3, requires_grad=True))
    assert str(err.value) == (
        "The function 'nll_loss_forward' is not differentiable with respect to argument 'weight'. "
        "This input cannot have requires_grad True."
    )
    with pytest.raises(ValueError, match="^bad is not a valid value for reduction$"):
        nn.CrossEntropyLoss(reduction="bad")(x, torch.tensor([0, 1, 1, 2]))
    assert (
        F.cross_entropy(x, torch.tensor([0, 2, 1, 1], dtype=torch.uint8)).grad_fn.name() == "NllLossBackward0"
    )


# --- BCE / BCEWithLogits -----------------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_matches_numpy(reduction: str) -> None:
    p, y, w = RNG.uniform(0.05, 0.95, (4, 3)), RNG.random((4, 3)), RNG.random(3) + 0.5
    expected = reduce(-w * (y * np.log(p) + (1 - y) * np.log(1 - p)), reduction)
    out = nn.BCELoss(weight=t64(w, grad=False), reduction=reduction)(t64(p), t64(y))
    np.testing.assert_allclose(out._data, expected, rtol=1e-12)
    assert out.grad_fn.name() == "BinaryCrossEntropyBackward0"
    x, target = t64(p), t64(y)
    assert gradcheck(lambda x, t: F.binary_cross_entropy(x, t, reduction=reduction), (x, target))
    assert gradgradcheck(lambda x: F.binary_cross_entropy(x, target.detach(), reduction=reduction), (x,))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("pos_weight", [None, np.array([0.5, 2.0, 3.0])])
def test_bce_with_logits_matches_numpy(reduction: str, pos_weight: np.ndarray | None) -> None:
    z, y, w = RNG.standard_normal((4, 3)) * 3, RNG.random((4, 3)), RNG.random((4, 3)) + 0.5
    sig = 1 / (1 + np.exp(-z))
    pw = 1.0 if pos_weight is None else pos_weight
    expected = reduce(-w * (pw * y * np.log(sig) + (1 - y) * np.log(1 - sig)), reduction)
    pw_t = None if pos_weight is None else t64(pos_weight, grad=False)
    loss = nn.BCEWithLogitsLoss(weight=t64(w, grad=False), reduction=reduction, pos_weight=pw_t)
    x, target = t64(z), t64(y)
    out = loss(x, target)
    np.testing.assert_allclose(out._data, expected, rtol=1e-10)
    assert out.grad_fn.name() == "BinaryCrossEntropyWithLogitsBackward0"
    assert gradcheck(loss, (x, target))
    assert gradgradcheck(lambda x: loss(x, target.detach()), (x,))


def test_bce_losses_are_stable_at_the_extremes() -> None:
    # PyTorch: 666.8977 with grad [1/3, -1/3, -1/6]; and 66.8977 (logs clamped at -100).
    z = torch.tensor([1000.0, -1000.0, 0.0], requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(z, torch.tensor([0.0, 1.0, 1.0]))
    loss.backward()
    np.testing.assert_allclose(loss.item(), (2000 + np.log(2)) / 3, rtol=1e-6)
    np.testing.assert_allclose(z.grad._data, [1 / 3, -1 / 3, -1 / 6], rtol=1e-6)
    p = torch.tensor([0.0, 1.0, 0.5], requires_grad=True)
    loss = F.binary_cross_entropy(p, torch.tensor([1.0, 0.0, 1.0]))
    loss.backward()
    np.testing.assert_allclose(loss.item(), (200 + np.log(2)) / 3, rtol=1e-6)
    np.testing.assert_allclose(p.grad._data, [-1 / 3 * 1e12, 1 / 3 * 1e12, -2 / 3], rtol=1e-5)


def test_bce_errors_match_pytorch() -> None:
    x = torch.rand(4, 3)
    with pytest.raises(ValueError) as err:
        F.binary_cross_entropy(x, torch.rand(4, 2))
    assert str(err.value) == (
        "Using a target size (torch.Size([4, 2])) that is different to the input size (torch.Size([4, 3])) is "
        "deprecated. Please ensure they have the same size."
    )
    with pytest.raises(RuntimeError, match="^all elements of input should be between 0 and 1$"):
        F.binary_cross_entropy(x * 5 + 1, torch.rand(4, 3))
    with pytest.raises(RuntimeError, match="^all elements of input should be between 0 and 1$"):
        F.binary_cross_entropy(torch.tensor([0.5, float("nan")]), torch.tensor([1.0, 0.0]))
    with pytest.raises(ValueError) as err:
        F.binary_cross_entropy_with_logits(torch.zeros(2, 3), torch.zeros(2, 4))
    assert (
        str(err.value)
        == "Target size (torch.Size([2, 4])) must be the same as input size (torch.Size([2, 3]))"
    )
    with pytest.raises(
        RuntimeError,
        match="'binary_cross_entropy_with_logits' is not differentiable with respect to argument 'pos_weight'",
    ):
        F.binary_cross_entropy_with_logits(x, x, pos_weight=torch.ones(3, requires_grad=True))


def test_legacy_size_average_reduce_map_to_reduction() -> None:
    a, b = RNG.standard_normal(5), RNG.standard_normal(5)
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        out = F.mse_loss(t64(a), t64(b), size_average=False)
    np.testing.assert_allclose(out._data, ((a - b) ** 2).sum(), rtol=1e-12)
    with pytest.warns(UserWarning):
        assert nn.MSELoss(reduce=False).reduction == "none"
