"""RMSprop, Adagrad and CosineAnnealingLR: trajectories against PyTorch's update rules written
out in NumPy, values pinned from PyTorch 2.13, the same runs against PyTorch itself (skipped
without torch), defaults, state and error messages."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit import optim
from tests.helpers.nn import W0
from tests.optim.test_trajectories import loss_and_grad, train


def rmsprop_reference(steps: int, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                      weight_decay: float = 0, momentum: float = 0, centered: bool = False,
                      maximize: bool = False) -> np.ndarray:  # fmt: skip
    """torch.optim.RMSprop's documented algorithm."""
    w = W0.copy()
    v, b, g_avg = np.zeros_like(w), np.zeros_like(w), np.zeros_like(w)
    for _ in range(steps):
        g = loss_and_grad(w)
        g = -g if maximize else g
        if weight_decay:
            g = g + weight_decay * w
        v = alpha * v + (1 - alpha) * g * g
        v_tilde = v
        if centered:
            g_avg = alpha * g_avg + (1 - alpha) * g
            v_tilde = v - g_avg * g_avg
        if momentum > 0:
            b = momentum * b + g / (np.sqrt(v_tilde) + eps)
            w = w - lr * b
        else:
            w = w - lr * g / (np.sqrt(v_tilde) + eps)
    return w


def adagrad_reference(steps: int, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                      initial_accumulator_value: float = 0, eps: float = 1e-10,
                      maximize: bool = False) -> np.ndarray:  # fmt: skip
    """torch.optim.Adagrad's documented algorithm."""
    w = W0.copy()
    s = np.full_like(w, initial_accumulator_value)
    for t in range(1, steps + 1):
        g = loss_and_grad(w)
        g = -g if maximize else g
        if weight_decay:
            g = g + weight_decay * w
        clr = lr / (1 + (t - 1) * lr_decay)
        s = s + g * g
        w = w - clr * g / (np.sqrt(s) + eps)
    return w


RMSPROP_CONFIGS = [
    {},
    {"lr": 0.05, "momentum": 0.9},
    {"lr": 0.02, "centered": True, "alpha": 0.9, "weight_decay": 0.1},
    {"lr": 0.01, "centered": True, "momentum": 0.5, "eps": 1e-3, "maximize": True},
]
ADAGRAD_CONFIGS = [
    {},
    {"lr": 0.1, "lr_decay": 0.05},
    {"lr": 0.1, "weight_decay": 0.1, "initial_accumulator_value": 0.5, "eps": 1e-6},
    {"lr": 0.1, "maximize": True},
]


@pytest.mark.parametrize("kw", RMSPROP_CONFIGS, ids=str)
def test_rmsprop_trajectory_matches_update_rule(kw: dict) -> None:
    np.testing.assert_allclose(train(optim.RMSprop, **kw), rmsprop_reference(6, **kw), rtol=1e-10)


@pytest.mark.parametrize("kw", ADAGRAD_CONFIGS, ids=str)
def test_adagrad_trajectory_matches_update_rule(kw: dict) -> None:
    np.testing.assert_allclose(train(optim.Adagrad, **kw), adagrad_reference(6, **kw), rtol=1e-10)


def _three_steps(tm: Any, cls_name: str, dtype: Any, **kw: Any) -> list[float]:
    p = tm.tensor([1.0, -2.0, 0.5], dtype=dtype, requires_grad=True)
    opt = getattr(tm.optim, cls_name)([p], **kw)
    for _ in range(3):
        opt.zero_grad()
        ((p**2).sum() + p.sum()).backward()
        opt.step()
    return p.tolist()


def test_default_hyper_parameters_give_pytorchs_numbers() -> None:
    # Printed by PyTorch 2.13 for these three steps with default arguments.
    np.testing.assert_allclose(_three_steps(ak, "RMSprop", ak.float64),
                               [0.7768514992249173, -1.7768514992249174, 0.2799822732436351], rtol=1e-14)  # fmt: skip
    np.testing.assert_allclose(_three_steps(ak, "Adagrad", ak.float64),
                               [0.9772102816700846, -1.9772102816700845, 0.4772379394905168], rtol=1e-14)  # fmt: skip


@pytest.mark.parametrize(
    ("name", "kw"), [("RMSprop", kw) for kw in RMSPROP_CONFIGS] + [("Adagrad", kw) for kw in ADAGRAD_CONFIGS],
    ids=str,
)  # fmt: skip
def test_trajectories_match_pytorch(name: str, kw: dict) -> None:
    real = pytest.importorskip("torch")
    # float32: a few ulps of the largest step, where a coordinate passes close to zero.
    for ours, theirs, tol in ((ak.float64, real.float64, 1e-13), (ak.float32, real.float32, 1e-6)):
        np.testing.assert_allclose(
            _three_steps(ak, name, ours, **kw), _three_steps(real, name, theirs, **kw), rtol=tol, atol=tol
        )


def test_state_and_state_dict_keys_match_pytorch() -> None:
    p = ak.zeros(2, requires_grad=True)
    adagrad = optim.Adagrad([p], initial_accumulator_value=0.3)
    assert list(adagrad.state[p]) == ["step", "sum"]  # created by the constructor, as in PyTorch
    assert adagrad.state[p]["sum"].tolist() == pytest.approx([0.3, 0.3])
    rms = optim.RMSprop([p], momentum=0.9, centered=True)
    p.grad = ak.ones(2)
    rms.step()
    assert list(rms.state[p]) == ["step", "square_avg", "momentum_buffer", "grad_avg"]
    assert rms.state[p]["step"].item() == 1.0
    group = rms.state_dict()["param_groups"][0]
    assert {k: group[k] for k in ("lr", "alpha", "eps", "weight_decay", "momentum", "centered")} == {
        "lr": 0.01, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0, "momentum": 0.9, "centered": True,
    }  # fmt: skip
    assert optim.Adagrad([p]).defaults["eps"] == 1e-10 and optim.Adagrad([p]).defaults["lr"] == 0.01


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: optim.RMSprop(p, lr=-1), "Invalid learning rate: -1"),
        (lambda p: optim.RMSprop(p, eps=-1e-8), "Invalid epsilon value: -1e-08"),
        (lambda p: optim.RMSprop(p, momentum=-0.5), "Invalid momentum value: -0.5"),
        (lambda p: optim.RMSprop(p, weight_decay=-1), "Invalid weight_decay value: -1"),
        (lambda p: optim.RMSprop(p, alpha=-0.1), "Invalid alpha value: -0.1"),
        (lambda p: optim.Adagrad(p, lr=-0.1), "Invalid learning rate: -0.1"),
        (lambda p: optim.Adagrad(p, lr_decay=-1), "Invalid lr_decay value: -1"),
        (lambda p: optim.Adagrad(p, weight_decay=-2), "Invalid weight_decay value: -2"),
        (lambda p: optim.Adagrad(p, initial_accumulator_value=-1),
         "Invalid initial_accumulator_value value: -1"),
        (lambda p: optim.Adagrad(p, eps=-1), "Invalid epsilon value: -1"),
    ],
)  # fmt: skip
def test_invalid_hyper_parameters_raise_pytorchs_messages(make: Any, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        make([ak.zeros(1, requires_grad=True)])


def _cosine_lrs(tm: Any, epochs: int, last_epoch: int = -1, **kw: Any) -> list[list[float]]:
    opt = tm.optim.SGD([{"params": [tm.zeros(1, requires_grad=True)], "lr": 0.1},
                        {"params": [tm.zeros(1, requires_grad=True)], "lr": 1.0}])  # fmt: skip
    if last_epoch != -1:
        for group in opt.param_groups:
            group["initial_lr"] = group["lr"]
    sched = tm.optim.lr_scheduler.CosineAnnealingLR(opt, last_epoch=last_epoch, **kw)
    seen = []
    for _ in range(epochs):
        seen.append(sched.get_last_lr())
        opt.step()
        sched.step()
    return seen


def test_cosine_annealing_follows_the_closed_form_and_pytorchs_numbers() -> None:
    seen = _cosine_lrs(ak, 30, T_max=4, eta_min=0.01)
    for epoch, lrs in enumerate(seen):
        for base, lr in zip((0.1, 1.0), lrs):
            assert lr == pytest.approx(
                0.01 + (base - 0.01) * (1 + math.cos(math.pi * epoch / 4)) / 2, rel=1e-12
            )
    # PyTorch 2.13's first ten values for the 0.1 group (the recursive form's rounding included).
    assert [lrs[0] for lrs in seen[:10]] == pytest.approx(
        [0.1, 0.08681980515339464, 0.05500000000000001, 0.023180194846605363, 0.01, 0.023180194846605363,
         0.05500000000000002, 0.08681980515339469, 0.10000000000000006, 0.0868198051533947], rel=1e-15,
    )  # fmt: skip


def test_cosine_annealing_matches_pytorch() -> None:
    real = pytest.importorskip("torch")
    for kw in ({"T_max": 4, "eta_min": 0.01}, {"T_max": 7}, {"T_max": 3, "last_epoch": 5}):
        np.testing.assert_allclose(_cosine_lrs(ak, 20, **kw), _cosine_lrs(real, 20, **kw), rtol=1e-15)
