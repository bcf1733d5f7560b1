"""Optimizers: six-step trajectories against PyTorch's published update rules written out in
NumPy (float64), param_groups, zero_grad, skipped parameters, state_dict, schedulers, reprs and
errors (reprs and messages checked against PyTorch 2.13)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_kit as torch
from autograd_kit import nn, optim

RNG = np.random.default_rng(0)
W0 = RNG.standard_normal((3, 4))
C = RNG.standard_normal((3, 4))


def loss_and_grad(w: np.ndarray) -> np.ndarray:
    """Gradient of sum((w*C)^2) + 0.1*sum(w^3): different at every step, so momentum matters."""
    return 2 * C * C * w + 0.3 * w * w


def train(opt_cls: type, steps: int = 6, **kw: object) -> np.ndarray:
    p = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    c = torch.tensor(C, dtype=torch.float64)
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


def test_adam_state_dict_contents() -> None:
    p = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    opt = optim.Adam([p], lr=0.1, amsgrad=True)
    for _ in range(3):
        opt.zero_grad()
        (p * p).sum().backward()
        opt.step()
    state = opt.state_dict()["state"][0]
    assert list(state) == ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"]
    assert state["step"].item() == 3.0 and state["step"].dtype == torch.float32


def test_param_groups_are_editable_and_per_group() -> None:
    a = torch.ones(2, requires_grad=True)
    b = torch.ones(2, requires_grad=True)
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
    c = torch.ones(1, requires_grad=True)
    opt.add_param_group({"params": [c], "momentum": 0.9})
    assert opt.param_groups[2]["lr"] == 0.1 and opt.param_groups[2]["momentum"] == 0.9


def test_params_without_grad_are_skipped() -> None:
    used, unused = torch.ones(3, requires_grad=True), torch.ones(3, requires_grad=True)
    for opt in (optim.SGD([used, unused], lr=0.1, momentum=0.9), optim.Adam([used, unused], lr=0.1)):
        used.grad = None
        (used * 2).sum().backward()
        before = unused._data.copy()
        opt.step()
        np.testing.assert_array_equal(unused._data, before)
        assert unused not in opt.state and used in opt.state


def test_step_records_no_graph_and_bumps_version() -> None:
    p = torch.ones(3, requires_grad=True)
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
    p = torch.ones(3, requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    (p * 3).sum().backward()
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(p.grad._data, 0)
    opt.zero_grad()
    assert p.grad is None


def test_closure_runs_with_grad_and_returns_loss() -> None:
    p = torch.ones(2, requires_grad=True)
    opt = optim.SGD([p], lr=0.1)

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    with torch.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 2.0
    np.testing.assert_allclose(p._data, 0.8)


@pytest.mark.parametrize(
    "opt_cls, kw", [(optim.SGD, {"lr": 0.05, "momentum": 0.9}), (optim.Adam, {"lr": 0.05})]
)
def test_state_dict_round_trip_continues_the_same_trajectory(opt_cls: type, kw: dict) -> None:
    def make() -> tuple:
        p = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
        return p, opt_cls([p], **kw)

    def run(p: torch.Tensor, opt: optim.Optimizer, n: int) -> None:
        for _ in range(n):
            opt.zero_grad()
            ((p * torch.tensor(C)) ** 2).sum().backward()
            opt.step()

    p1, o1 = make()
    run(p1, o1, 6)
    p2, o2 = make()
    run(p2, o2, 3)
    p3, o3 = make()
    with torch.no_grad():
        p3.copy_(p2)
    o3.load_state_dict(o2.state_dict())
    run(p2, o2, 3)  # the source keeps its own state (loaded tensors are copies)
    run(p3, o3, 3)
    np.testing.assert_allclose(p3._data, p1._data, rtol=1e-13)
    np.testing.assert_allclose(p2._data, p1._data, rtol=1e-13)


def test_state_dict_layout_and_load_errors() -> None:
    a, b = torch.ones(2, requires_grad=True), torch.ones(2, requires_grad=True)
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
    x = torch.zeros(2, requires_grad=True)
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
    x = torch.zeros(2, requires_grad=True)
    with pytest.warns(UserWarning, match="optimizer contains a parameter group with duplicate parameters"):
        optim.SGD([x, x], lr=0.1)


def test_named_parameters_are_accepted() -> None:
    model = nn.Linear(2, 1)
    opt = optim.SGD(model.named_parameters(), lr=0.1)
    assert opt.param_groups[0]["param_names"] == ["weight", "bias"]
    assert opt.param_groups[0]["params"][0] is model.weight


def test_lr_schedulers_follow_their_formulas() -> None:
    x = torch.zeros(1, requires_grad=True)
    lrs = {}
    for name, make in {
        "step": lambda o: optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5),
        "multistep": lambda o: optim.lr_scheduler.MultiStepLR(o, milestones=[2, 5, 5], gamma=0.1),
        "exp": lambda o: optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
        "lambda": lambda o: optim.lr_scheduler.LambdaLR(o, lambda epoch: 1 / (epoch + 1)),
    }.items():
        opt = optim.SGD([x], lr=1.0)
        sched = make(opt)
        seen = []
        for _ in range(8):
            seen.append(opt.param_groups[0]["lr"])
            assert sched.get_last_lr() == [seen[-1]]
            opt.step()
            sched.step()
        lrs[name] = seen
    np.testing.assert_allclose(lrs["step"], [0.5 ** (e // 3) for e in range(8)])
    np.testing.assert_allclose(
        lrs["multistep"], [1.0 if e < 2 else (0.1 if e < 5 else 0.001) for e in range(8)]
    )
    np.testing.assert_allclose(lrs["exp"], [0.9**e for e in range(8)])
    np.testing.assert_allclose(lrs["lambda"], [1 / (e + 1) for e in range(8)])
    opt = optim.SGD([x], lr=0.1)
    sched = optim.lr_scheduler.StepLR(opt, 2)
    assert opt.param_groups[0]["initial_lr"] == 0.1
    state = sched.state_dict()
    assert state["step_size"] == 2 and state["last_epoch"] == 0 and state["base_lrs"] == [0.1]
    with pytest.raises(TypeError, match="list is not an Optimizer"):
        optim.lr_scheduler.StepLR([], 2)
    with pytest.raises(
        KeyError, match="param 'initial_lr' is not specified in param_groups\\[0\\] when resuming"
    ):
        optim.lr_scheduler.StepLR(optim.SGD([x], lr=0.1), 2, last_epoch=4)


def test_module_calls_and_steps_appear_in_the_profiler() -> None:
    from autograd_kit.autograd import profiler

    model = nn.Sequential(nn.Linear(3, 2), nn.ReLU())
    opt = optim.Adam(model.parameters())
    with profiler.profile() as prf:
        model(torch.randn(4, 3)).sum().backward()
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
class TinyModel(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.layer1 = nn.Linear(1000, 100)
        self.relu = nn.ReLU()
        self.layer2 = nn.Linear(100, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layer2(self.relu(self.layer1(x)))


def tiny_setup() -> tuple:
    torch.manual_seed(0)
    return TinyModel(), torch.randn(16, 1000), torch.randn(16, 10)


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
