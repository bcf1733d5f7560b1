"""MSE and L1 losses against NumPy formulas (every reduction), gradients by
gradcheck/gradgradcheck in float64, PyTorch's node names, weights, shape-mismatch warnings and
the legacy size_average/reduce arguments (texts checked against PyTorch 2.13)."""

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
        F.mse_loss(t64(a), t64(b), weight=ak.ones(4))


def test_pointwise_loss_shape_mismatch_warns_then_broadcasts_or_fails() -> None:
    x = ak.zeros(4, 3)
    with pytest.warns(UserWarning, match=r"Using a target size \(torch.Size\(\[1, 3\]\)\) that is different"):
        assert F.mse_loss(x, ak.ones(1, 3)).item() == 1.0
    with pytest.warns(UserWarning), pytest.raises(RuntimeError) as err:
        F.mse_loss(x, ak.zeros(4, 4))
    assert (
        str(err.value)
        == "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"
    )
    with pytest.raises(ValueError, match="^x is not a valid value for reduction$"):
        F.mse_loss(x, x, reduction="x")


def test_legacy_size_average_reduce_map_to_reduction() -> None:
    a, b = RNG.standard_normal(5), RNG.standard_normal(5)
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        out = F.mse_loss(t64(a), t64(b), size_average=False)
    np.testing.assert_allclose(out._data, ((a - b) ** 2).sum(), rtol=1e-12)
    with pytest.warns(UserWarning):
        assert nn.MSELoss(reduce=False).reduction == "none"
