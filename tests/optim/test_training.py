"""Optimizers in training loops: module calls and steps in the profiler, and the tutorial's
TinyModel ("The Fundamentals of Autograd"): falling loss, gradient accumulation and clearing,
frozen parameters."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit import nn, optim
from tests.helpers.nn import TinyModel


def test_module_calls_and_steps_appear_in_the_profiler() -> None:
    from autograd_kit.autograd.profiler import session as profiler

    model = nn.Sequential(nn.Linear(3, 2), nn.ReLU())
    opt = optim.Adam(model.parameters())
    with profiler.profile() as prf:
        model(ak.randn(4, 3)).sum().backward()
        opt.step()
    names = {e.key for e in prf.key_averages()}
    assert {
        "nn.Module: Sequential",
        "nn.Module: Linear",
        "nn.Module: ReLU",
        "Optimizer.step#Adam.step",
    } <= names
    assert math.isfinite(prf.self_cpu_time_total)


# --- the tutorial's TinyModel ("The Fundamentals of Autograd") --------------------------------
def tiny_setup() -> tuple:
    ak.manual_seed(0)
    return TinyModel(), ak.randn(16, 1000), ak.randn(16, 10)


def test_tutorial_training_loss_falls() -> None:
    model, x, target = tiny_setup()
    opt = optim.SGD(model.parameters(), lr=0.001)
    losses = []
    for _ in range(20):
        opt.zero_grad()
        loss = (target - model(x)).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        opt.step()
    assert all(b < a for a, b in zip(losses, losses[1:]))
    assert losses[-1] < 0.5 * losses[0]


def test_tutorial_grads_accumulate_and_are_cleared() -> None:
    model, x, target = tiny_setup()
    w = model.layer2.weight
    assert w.grad is None
    opt = optim.SGD(model.parameters(), lr=0.001)
    (target - model(x)).pow(2).sum().backward()
    first = w.grad._data.copy()
    before = w._data.copy()
    opt.step()
    np.testing.assert_allclose(w._data, before - 0.001 * first, rtol=1e-6)
    # The gradient at the updated weights, computed on an independent copy of the model.
    twin = TinyModel()
    twin.load_state_dict(model.state_dict())
    (target - twin(x)).pow(2).sum().backward()
    step_grad = twin.layer2.weight.grad._data
    for _ in range(5):
        (target - model(x)).pow(2).sum().backward()
    np.testing.assert_allclose(w.grad._data, first + 5 * step_grad, rtol=1e-4, atol=1e-4)
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(w.grad[0][0:10]._data, np.zeros(10, dtype=np.float32))
    opt.zero_grad()
    with pytest.raises(TypeError, match="'NoneType' object is not subscriptable"):
        w.grad[0][0:10]  # noqa: B018  (the tutorial's line after a plain zero_grad(), since PyTorch 2.0)


def test_frozen_parameters_get_no_grad_and_do_not_move() -> None:
    model, x, target = tiny_setup()
    for p in model.layer1.parameters():
        p.requires_grad = False
    opt = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    frozen = model.layer1.weight._data.copy()
    for _ in range(3):
        opt.zero_grad()
        (target - model(x)).pow(2).sum().backward()
        opt.step()
    assert model.layer1.weight.grad is None and model.layer1.bias.grad is None
    np.testing.assert_array_equal(model.layer1.weight._data, frozen)
    assert model.layer2.weight.grad is not None
    assert model.layer1.weight not in opt.state
