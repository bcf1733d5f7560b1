"""Building optimizers: reprs, construction errors and the duplicate-parameter warning
(checked against PyTorch 2.13), and named parameters."""

from __future__ import annotations

import pytest

import autograd_kit as ak
from autograd_kit import nn, optim

REPR_SGD = """SGD (
Parameter Group 0
    dampening: 0
    differentiable: False
    foreach: None
    fused: None
    lr: 0.001
    maximize: False
    momentum: 0
    nesterov: False
    weight_decay: 0
)"""
REPR_ADAMW = """AdamW (
Parameter Group 0
    amsgrad: False
    betas: (0.9, 0.999)
    capturable: False
    decoupled_weight_decay: True
    differentiable: False
    eps: 1e-08
    foreach: None
    fused: None
    lr: 0.001
    maximize: False
    weight_decay: 0.01
)"""


def test_reprs_match_pytorch() -> None:
    params = list(nn.Linear(2, 2).parameters())
    assert repr(optim.SGD(params, lr=0.001)) == REPR_SGD
    assert repr(optim.AdamW(params)) == REPR_ADAMW
    assert repr(optim.Adam(params)) == REPR_ADAMW.replace("AdamW", "Adam").replace(
        "decoupled_weight_decay: True", "decoupled_weight_decay: False"
    ).replace("weight_decay: 0.01", "weight_decay: 0")


def test_construction_errors_match_pytorch() -> None:
    x = ak.zeros(2, requires_grad=True)
    cases = [
        (lambda: optim.SGD([], lr=0.1), ValueError, "optimizer got an empty parameter list"),
        (lambda: optim.SGD(3, lr=0.1), TypeError, "'int' object is not iterable"),
        (lambda: optim.SGD(x, lr=0.1), TypeError,
         "params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor"),
        (lambda: optim.SGD([1, 2], lr=0.1), TypeError, "optimizer can only optimize Tensors, but one of the params is int"),
        (lambda: optim.SGD([x * 2], lr=0.1), ValueError, "can't optimize a non-leaf Tensor"),
        (lambda: optim.SGD([{"params": [x]}, {"params": [x]}], lr=0.1), ValueError,
         "some parameters appear in more than one parameter group"),
        (lambda: optim.SGD([{"params": [x]}, 3], lr=0.1), TypeError, "param_group must be a dict, but got <class 'int'>"),
        (lambda: optim.SGD([x], lr=-0.1), ValueError, "Invalid learning rate: -0.1"),
        (lambda: optim.SGD([x], lr=0.1, momentum=-1), ValueError, "Invalid momentum value: -1"),
        (lambda: optim.SGD([x], lr=0.1, weight_decay=-1), ValueError, "Invalid weight_decay value: -1"),
        (lambda: optim.SGD([x], lr=0.1, nesterov=True), ValueError, "Nesterov momentum requires a momentum and zero dampening"),
        (lambda: optim.SGD([x], lr=0.1, momentum=0.9, dampening=0.5, nesterov=True), ValueError,
         "Nesterov momentum requires a momentum and zero dampening"),
        (lambda: optim.Adam([x], lr=-0.1), ValueError, "Invalid learning rate: -0.1"),
        (lambda: optim.Adam([x], betas=(1.0, 0.9)), ValueError, "Invalid beta parameter at index 0: 1.0"),
        (lambda: optim.Adam([x], betas=(0.9, -0.1)), ValueError, "Invalid beta parameter at index 1: -0.1"),
        (lambda: optim.Adam([x], eps=-1), ValueError, "Invalid epsilon value: -1"),
        (lambda: optim.AdamW([x], weight_decay=-1), ValueError, "Invalid weight_decay value: -1"),
    ]  # fmt: skip
    for make, exc, message in cases:
        with pytest.raises(exc) as err:
            make()
        assert str(err.value) == message


def test_duplicate_parameters_warn_like_pytorch() -> None:
    x = ak.zeros(2, requires_grad=True)
    with pytest.warns(UserWarning, match="optimizer contains a parameter group with duplicate parameters"):
        optim.SGD([x, x], lr=0.1)


def test_named_parameters_are_accepted() -> None:
    model = nn.Linear(2, 1)
    opt = optim.SGD(model.named_parameters(), lr=0.1)
    assert opt.param_groups[0]["param_names"] == ["weight", "bias"]
    assert opt.param_groups[0]["params"][0] is model.weight
