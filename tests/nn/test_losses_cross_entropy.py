"""Cross-entropy and NLL losses against NumPy formulas (every reduction, weights, ignore_index,
probability targets, label smoothing), gradients by gradcheck/gradgradcheck in float64, PyTorch's
node names, numerical stability, and errors (texts checked against PyTorch 2.13)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit import nn
from autograd_kit.autograd import gradcheck, gradgradcheck
from autograd_kit.nn import functional as F
from tests.helpers.nn import REDUCTIONS, t64

RNG = np.random.default_rng(0)


def log_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


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
    x, t = t64(logits), ak.tensor(target)
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
    x = ak.randn(4, 3, requires_grad=True)
    loss = F.cross_entropy(x, ak.tensor([0, 2, 1, 1]))
    assert loss.grad_fn.name() == "NllLossBackward0"
    assert [fn.name() for fn, _ in loss.grad_fn.next_functions] == ["LogSoftmaxBackward0"]
    assert loss.grad_fn._saved_ignore_index == -100
    assert loss.grad_fn._saved_reduction == 1
    assert loss.grad_fn._saved_total_weight.item() == 4.0


def test_cross_entropy_gradient_is_softmax_minus_onehot() -> None:
    logits = RNG.standard_normal((6, 5))
    target = RNG.integers(0, 5, 6)
    x = t64(logits)
    F.cross_entropy(x, ak.tensor(target)).backward()
    p = np.exp(log_softmax(logits, 1))
    p[np.arange(6), target] -= 1
    np.testing.assert_allclose(x.grad._data, p / 6, rtol=1e-12)


def test_ignore_index() -> None:
    logits = RNG.standard_normal((4, 3))
    target = np.array([0, 2, 1, 3])
    x = t64(logits)
    out = F.cross_entropy(x, ak.tensor(target), ignore_index=3)
    lp = log_softmax(logits, 1)
    np.testing.assert_allclose(out._data, -(lp[0, 0] + lp[1, 2] + lp[2, 1]) / 3, rtol=1e-12)
    out.backward()
    np.testing.assert_array_equal(x.grad._data[3], 0)
    everything_ignored = F.cross_entropy(t64(logits), ak.tensor([-100] * 4))
    assert np.isnan(everything_ignored.item())  # 0/0, as in PyTorch


def test_cross_entropy_is_stable_for_huge_logits() -> None:
    # PyTorch: tensor(500.5493) and grad [[0.5, -0.5, 0], [1/6, 1/6, -1/3]].
    x = ak.tensor([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]], requires_grad=True)
    loss = F.cross_entropy(x, ak.tensor([1, 2]))
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
    smoothed = F.cross_entropy(x, ak.tensor(target), label_smoothing=eps)
    nll = -lp[np.arange(4), target].mean()
    smooth = -lp.sum(1).mean() / 3
    np.testing.assert_allclose(smoothed._data, (1 - eps) * nll + eps * smooth, rtol=1e-12)
    assert gradcheck(lambda x: F.cross_entropy(x, ak.tensor(target), label_smoothing=eps), (x,))
    with pytest.raises(RuntimeError, match=r"label_smoothing must be between 0.0 and 1.0. Got: 1.5"):
        F.cross_entropy(x, ak.tensor(target), label_smoothing=1.5)


def test_class_target_errors_match_pytorch() -> None:
    x = ak.randn(4, 3, requires_grad=True)
    with pytest.raises(IndexError, match=r"^Target 3 is out of bounds\.$"):
        nn.CrossEntropyLoss()(x, ak.tensor([0, 3, 1, 1]))
    with pytest.raises(IndexError, match=r"^Target -1 is out of bounds\.$"):
        F.cross_entropy(x, ak.tensor([0, -1, 1, 1]))
    with pytest.raises(IndexError, match=r"^Target 5 is out of bounds\.$"):
        F.nll_loss(x, ak.tensor([0, 5, 1, 1]))
    with pytest.raises(RuntimeError, match="^expected target dtype to be Long or Byte, but got Float$"):
        nn.CrossEntropyLoss()(x, ak.tensor([0.0, 2, 1, 1]))
    with pytest.raises(RuntimeError, match="^expected target dtype to be Long or Byte, but got Int$"):
        F.nll_loss(x, ak.tensor([0, 2, 1, 1], dtype=ak.int32))
    with pytest.raises(
        ValueError, match=r"^Expected input batch_size \(4\) to match target batch_size \(3\)\.$"
    ):
        F.cross_entropy(x, ak.tensor([0, 1, 1]))
    with pytest.raises(
        ValueError, match=r"^Expected input batch_size \(4\) to match target batch_size \(0\)\.$"
    ):
        F.nll_loss(x, ak.tensor(1))
    with pytest.raises(RuntimeError, match="^0D or 1D target tensor expected, multi-target not supported$"):
        F.nll_loss(x, ak.zeros(4, 3, dtype=ak.int64))
    with pytest.raises(RuntimeError, match=r"^Expected target size \[4, 5\], got \[4, 6\]$"):
        F.nll_loss(ak.randn(4, 3, 5), ak.zeros(4, 6, dtype=ak.int64))
    with pytest.raises(
        ValueError, match="^For 1D input, 1D target must have size 1, but got target size: 2$"
    ):
        F.nll_loss(ak.randn(2), ak.tensor([0, 1]))
    with pytest.raises(RuntimeError) as err:
        F.cross_entropy(x, ak.tensor([0, 2, 1, 1]), weight=ak.tensor([1.0, 2.0]))
    assert str(err.value) == (
        "weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: [2]"
    )
    with pytest.raises(RuntimeError) as err:
        F.cross_entropy(x, ak.tensor([0, 2, 1, 1]), weight=ak.ones(3, requires_grad=True))
    assert str(err.value) == (
        "The function 'nll_loss_forward' is not differentiable with respect to argument 'weight'. "
        "This input cannot have requires_grad True."
    )
    with pytest.raises(ValueError, match="^bad is not a valid value for reduction$"):
        nn.CrossEntropyLoss(reduction="bad")(x, ak.tensor([0, 1, 1, 2]))
    assert F.cross_entropy(x, ak.tensor([0, 2, 1, 1], dtype=ak.uint8)).grad_fn.name() == "NllLossBackward0"
