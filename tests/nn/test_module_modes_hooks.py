"""nn.Module modes and hooks: zero_grad, train/eval, requires_grad_, apply's order, and
forward hooks and pre-hooks."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit import nn
from tests.helpers.nn import TinyModel


def test_zero_grad_train_eval_requires_grad() -> None:
    model = TinyModel()
    model(ak.randn(2, 1000)).sum().backward()
    assert model.layer2.weight.grad is not None
    model.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(model.layer2.weight.grad._data, 0)
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    assert model.training and model.layer1.training
    assert model.eval() is model and not model.layer1.training
    assert model.train().layer2.training
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        model.train("x")
    model.requires_grad_(False)
    assert not any(p.requires_grad for p in model.parameters())


def test_apply_visits_children_first() -> None:
    seen = []
    TinyModel().apply(lambda m: seen.append(type(m).__name__))
    assert seen == ["Linear", "ReLU", "Linear", "TinyModel"]


def test_forward_hooks_and_pre_hooks() -> None:
    lin = nn.Linear(2, 2)
    calls = []
    h1 = lin.register_forward_pre_hook(lambda m, args: (args[0] * 0,))
    h2 = lin.register_forward_hook(lambda m, args, out: calls.append(out.shape) or out + 1)
    out = lin(ak.ones(1, 2))
    np.testing.assert_allclose(out._data, lin.bias._data[None] + 1, rtol=1e-6)
    assert calls == [(1, 2)]
    h1.remove()
    h2.remove()
    np.testing.assert_allclose(lin(ak.zeros(1, 2))._data, lin.bias._data[None], rtol=1e-6)
    with pytest.raises(TypeError, match="hook must be callable"):
        lin.register_forward_hook(3)
