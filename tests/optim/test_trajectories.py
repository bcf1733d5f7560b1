"""Optimizers: six-step SGD, Adam and AdamW trajectories against PyTorch's published update
rules written out in NumPy (float64)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit import optim
from tests.helpers.nn import W0, C


def loss_and_grad(w: np.ndarray) -> np.ndarray:
    """Gradient of sum((w*C)^2) + 0.1*sum(w^3): different at every step, so momentum matters."""
    return 2 * C * C * w + 0.3 * w * w


def train(opt_cls: type, steps: int = 6, **kw: object) -> np.ndarray:
    p = ak.tensor(W0, dtype=ak.float64, requires_grad=True)
    c = ak.tensor(C, dtype=ak.float64)
    opt = opt_cls([p], **kw)
    for _ in range(steps):
        opt.zero_grad()
        loss = ((p * c) ** 2).sum() + (p**3).sum() * 0.1
        loss.backward()
        opt.step()
    return p._data


def sgd_reference(steps: int, lr: float, momentum: float = 0, dampening: float = 0, weight_decay: float = 0,
                  nesterov: bool = False, maximize: bool = False) -> np.ndarray:  # fmt: skip
    """torch.optim.SGD's documented algorithm."""
    w, buf = W0.copy(), None
    for _ in range(steps):
        g = loss_and_grad(w)
        g = -g if maximize else g
        if weight_decay:
            g = g + weight_decay * w
        if momentum:
            buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        w = w - lr * g
    return w


def adam_reference(steps: int, lr: float = 1e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                   weight_decay: float = 0, amsgrad: bool = False, maximize: bool = False,
                   decoupled: bool = False) -> np.ndarray:  # fmt: skip
    """torch.optim.Adam / AdamW's documented algorithm."""
    b1, b2 = betas
    w = W0.copy()
    m, v, vmax = np.zeros_like(w), np.zeros_like(w), np.zeros_like(w)
    for t in range(1, steps + 1):
        g = loss_and_grad(w)
        g = -g if maximize else g
        if weight_decay and decoupled:
            w = w * (1 - lr * weight_decay)
        elif weight_decay:
            g = g + weight_decay * w
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = m / (1 - b1**t)
        if amsgrad:
            vmax = np.maximum(vmax, v)
            v_hat = vmax / (1 - b2**t)
        else:
            v_hat = v / (1 - b2**t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w


SGD_CONFIGS = [
    {"lr": 0.1},
    {"lr": 0.1, "momentum": 0.9},
    {"lr": 0.05, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.01},
    {"lr": 0.05, "momentum": 0.8, "nesterov": True},
    {"lr": 0.05, "momentum": 0.9, "nesterov": True, "maximize": True, "weight_decay": 0.1},
]
ADAM_CONFIGS = [
    {"lr": 0.1},
    {"lr": 0.05, "betas": (0.8, 0.9), "eps": 1e-6, "weight_decay": 0.1, "amsgrad": True},
    {"lr": 0.1, "maximize": True},
    {"lr": 0.1, "amsgrad": True, "weight_decay": 0.05},
]


@pytest.mark.parametrize("kw", SGD_CONFIGS, ids=str)
def test_sgd_trajectory_matches_update_rule(kw: dict) -> None:
    np.testing.assert_allclose(train(optim.SGD, **kw), sgd_reference(6, **kw), rtol=1e-10)


@pytest.mark.parametrize("kw", ADAM_CONFIGS, ids=str)
def test_adam_trajectory_matches_update_rule(kw: dict) -> None:
    np.testing.assert_allclose(train(optim.Adam, **kw), adam_reference(6, **kw), rtol=1e-10)


@pytest.mark.parametrize(
    "kw", [{"lr": 0.1}, {"lr": 0.1, "weight_decay": 0.3, "amsgrad": True, "maximize": True}], ids=str
)
def test_adamw_trajectory_matches_update_rule(kw: dict) -> None:
    expected = adam_reference(6, decoupled=True, **{"weight_decay": 1e-2, **kw})
    np.testing.assert_allclose(train(optim.AdamW, **kw), expected, rtol=1e-10)
