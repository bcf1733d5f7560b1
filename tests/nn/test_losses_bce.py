"""BCE and BCE-with-logits losses against NumPy formulas (every reduction, weights,
pos_weight), gradients by gradcheck/gradgradcheck in float64, PyTorch's node names, stability at
the extremes, and errors (texts checked against PyTorch 2.13)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit import nn
from autograd_kit.autograd import gradcheck, gradgradcheck
from autograd_kit.nn import functional as F
from tests.helpers.nn import REDUCTIONS, reduce, t64

RNG = np.random.default_rng(0)


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
    z = ak.tensor([1000.0, -1000.0, 0.0], requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(z, ak.tensor([0.0, 1.0, 1.0]))
    loss.backward()
    np.testing.assert_allclose(loss.item(), (2000 + np.log(2)) / 3, rtol=1e-6)
    np.testing.assert_allclose(z.grad._data, [1 / 3, -1 / 3, -1 / 6], rtol=1e-6)
    p = ak.tensor([0.0, 1.0, 0.5], requires_grad=True)
    loss = F.binary_cross_entropy(p, ak.tensor([1.0, 0.0, 1.0]))
    loss.backward()
    np.testing.assert_allclose(loss.item(), (200 + np.log(2)) / 3, rtol=1e-6)
    np.testing.assert_allclose(p.grad._data, [-1 / 3 * 1e12, 1 / 3 * 1e12, -2 / 3], rtol=1e-5)


def test_bce_errors_match_pytorch() -> None:
    x = ak.rand(4, 3)
    with pytest.raises(ValueError) as err:
        F.binary_cross_entropy(x, ak.rand(4, 2))
    assert str(err.value) == (
        "Using a target size (torch.Size([4, 2])) that is different to the input size (torch.Size([4, 3])) is "
        "deprecated. Please ensure they have the same size."
    )
    with pytest.raises(RuntimeError, match="^all elements of input should be between 0 and 1$"):
        F.binary_cross_entropy(x * 5 + 1, ak.rand(4, 3))
    with pytest.raises(RuntimeError, match="^all elements of input should be between 0 and 1$"):
        F.binary_cross_entropy(ak.tensor([0.5, float("nan")]), ak.tensor([1.0, 0.0]))
    with pytest.raises(ValueError) as err:
        F.binary_cross_entropy_with_logits(ak.zeros(2, 3), ak.zeros(2, 4))
    assert (
        str(err.value)
        == "Target size (torch.Size([2, 4])) must be the same as input size (torch.Size([2, 3]))"
    )
    with pytest.raises(
        RuntimeError,
        match="'binary_cross_entropy_with_logits' is not differentiable with respect to argument 'pos_weight'",
    ):
        F.binary_cross_entropy_with_logits(x, x, pos_weight=ak.ones(3, requires_grad=True))
