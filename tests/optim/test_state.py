"""Optimizer bookkeeping: Adam's per-parameter state, param_groups (editable, per group,
added later), parameters without grad, what step() records, zero_grad, closures and the
state_dict round trip (layout and load errors as in PyTorch 2.13)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit import optim
from tests.helpers.nn import W0, C


def test_adam_state_dict_contents() -> None:
    p = ak.tensor(W0, dtype=ak.float64, requires_grad=True)
    opt = optim.Adam([p], lr=0.1, amsgrad=True)
    for _ in range(3):
        opt.zero_grad()
        (p * p).sum().backward()
        opt.step()
    state = opt.state_dict()["state"][0]
    assert list(state) == ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"]
    assert state["step"].item() == 3.0 and state["step"].dtype == ak.float32


def test_param_groups_are_editable_and_per_group() -> None:
    a = ak.ones(2, requires_grad=True)
    b = ak.ones(2, requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5}], lr=0.1, momentum=0.0)
    assert opt.param_groups[0]["lr"] == 0.1 and opt.param_groups[1]["lr"] == 0.5
    assert list(opt.param_groups[0]) == [
        "params", "lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize", "foreach",
        "differentiable", "fused",
    ]  # fmt: skip
    (a.sum() + b.sum()).backward()
    opt.step()
    np.testing.assert_allclose(a._data, 0.9)
    np.testing.assert_allclose(b._data, 0.5)
    opt.param_groups[0]["lr"] = 1.0
    opt.step()
    np.testing.assert_allclose(a._data, -0.1, atol=1e-7)
    c = ak.ones(1, requires_grad=True)
    opt.add_param_group({"params": [c], "momentum": 0.9})
    assert opt.param_groups[2]["lr"] == 0.1 and opt.param_groups[2]["momentum"] == 0.9


def test_params_without_grad_are_skipped() -> None:
    used, unused = ak.ones(3, requires_grad=True), ak.ones(3, requires_grad=True)
    for opt in (optim.SGD([used, unused], lr=0.1, momentum=0.9), optim.Adam([used, unused], lr=0.1)):
        used.grad = None
        (used * 2).sum().backward()
        before = unused._data.copy()
        opt.step()
        np.testing.assert_array_equal(unused._data, before)
        assert unused not in opt.state and used in opt.state


def test_step_records_no_graph_and_bumps_version() -> None:
    p = ak.ones(3, requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    (p * p).sum().backward(create_graph=True)  # the grad itself has a graph
    assert p.grad.grad_fn is not None
    version = p._version
    opt.step()
    assert p.is_leaf and p.grad_fn is None and p.requires_grad
    assert p._version == version + 1
    np.testing.assert_allclose(p._data, 0.8)
    saved = p * p  # a graph that saved p ...
    opt.step()  # ... is invalidated by the update, as in PyTorch
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        saved.sum().backward()


def test_zero_grad_to_none_and_to_zeros() -> None:
    p = ak.ones(3, requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    (p * 3).sum().backward()
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(p.grad._data, 0)
    opt.zero_grad()
    assert p.grad is None


def test_closure_runs_with_grad_and_returns_loss() -> None:
    p = ak.ones(2, requires_grad=True)
    opt = optim.SGD([p], lr=0.1)

    def closure() -> ak.Tensor:
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    with ak.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 2.0
    np.testing.assert_allclose(p._data, 0.8)


@pytest.mark.parametrize(
    "opt_cls, kw", [(optim.SGD, {"lr": 0.05, "momentum": 0.9}), (optim.Adam, {"lr": 0.05})]
)
def test_state_dict_round_trip_continues_the_same_trajectory(opt_cls: type, kw: dict) -> None:
    def make() -> tuple:
        p = ak.tensor(W0, dtype=ak.float64, requires_grad=True)
        return p, opt_cls([p], **kw)

    def run(p: ak.Tensor, opt: optim.Optimizer, n: int) -> None:
        for _ in range(n):
            opt.zero_grad()
            ((p * ak.tensor(C)) ** 2).sum().backward()
            opt.step()

    p1, o1 = make()
    run(p1, o1, 6)
    p2, o2 = make()
    run(p2, o2, 3)
    p3, o3 = make()
    with ak.no_grad():
        p3.copy_(p2)
    o3.load_state_dict(o2.state_dict())
    run(p2, o2, 3)  # the source keeps its own state (loaded tensors are copies)
    run(p3, o3, 3)
    np.testing.assert_allclose(p3._data, p1._data, rtol=1e-13)
    np.testing.assert_allclose(p2._data, p1._data, rtol=1e-13)


def test_state_dict_layout_and_load_errors() -> None:
    a, b = ak.ones(2, requires_grad=True), ak.ones(2, requires_grad=True)
    opt = optim.SGD([a, b], lr=0.1, momentum=0.9)
    (a + b).sum().backward()
    opt.step()
    sd = opt.state_dict()
    assert sorted(sd["state"]) == [0, 1] and list(sd["state"][0]) == ["momentum_buffer"]
    assert sd["param_groups"][0]["params"] == [0, 1] and list(sd["param_groups"][0])[-1] == "params"
    with pytest.raises(ValueError, match="^loaded state dict has a different number of parameter groups$"):
        optim.SGD([a], lr=0.1).load_state_dict({"state": {}, "param_groups": []})
    with pytest.raises(
        ValueError,
        match="^loaded state dict contains a parameter group that doesn't match the size of optimizer's group$",
    ):
        optim.SGD([a], lr=0.1).load_state_dict(sd)
