"""Differential tests against PyTorch (skipped without torch): hooks, failed in-place ops and
losses, misused as a hostile user would. Each scenario runs on both libraries and must observe
the same values, the same error (type and message) and the same state after it."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak

torch = pytest.importorskip("torch")


def observe(lib, scenario):
    """What a user sees: the scenario's observations, or its error and what it left behind."""
    state = {}
    try:
        result = scenario(lib, state)
    except Exception as error:  # the error is part of the observation
        result = ("raised", type(error).__name__, str(error))
    return _plain(result), _plain(state)


def _plain(value):
    if isinstance(value, (ak.Tensor, torch.Tensor)):
        return ("tensor", str(value.dtype).replace("torch.", ""), value.detach().numpy().round(5).tolist())
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return tuple(_plain(v) for v in value)
    return value


def same(ours, theirs):
    """Equal observations; our TypeError for a hook's return also names the hook (an addition)."""
    if isinstance(ours, tuple) and ours[:1] == ("raised",) and ours[1] == "TypeError":
        return ours[:2] == theirs[:2] and ours[2].startswith(theirs[2])
    if isinstance(ours, tuple) and isinstance(theirs, tuple):
        return len(ours) == len(theirs) and all(same(a, b) for a, b in zip(ours, theirs))
    if isinstance(ours, float) and isinstance(theirs, float):
        return bool(np.isclose(ours, theirs, equal_nan=True))
    return ours == theirs


def hook_log(lib, state):
    p = lib.ones(2, requires_grad=True)
    seen = []
    p.register_hook(lambda g: seen.append(g))
    for k in (1, 2, 3):
        (p * k).sum().backward()
    return seen, p.grad


def hook_shared_return(lib, state):
    a, b = lib.ones(2, requires_grad=True), lib.ones(2, requires_grad=True)
    shared = lib.tensor([5.0, 5.0])
    a.register_hook(lambda g: shared)
    b.register_hook(lambda g: shared)
    (a + b).sum().backward()
    (a + b).sum().backward()
    return a.grad, b.grad, shared


def tensor_hook(kind, leaf):
    def scenario(lib, state):
        x = lib.ones(2, requires_grad=True)
        y = x if leaf else x * 2
        replacement = {
            "size": lambda g: lib.ones(3),
            "dtype": lambda g: g.double(),
            "int": lambda g: 5,
            "list": lambda g: [1.0],
            "scale": lambda g: g * 3,
        }[kind]
        y.register_hook(replacement)
        try:
            (y * 2).sum().backward()
        finally:
            state["grad"] = x.grad
        return x.grad

    return scenario


def node_hook(kind):
    def scenario(lib, state):
        x = lib.ones(2, requires_grad=True)
        y = x * 2
        pre = {
            "pre-size": lambda go: (lib.ones(3),),
            "pre-tensor": lambda go: go[0],
            "pre-int": lambda go: (1,),
            "pre-count": lambda go: (go[0], go[0]),
            "pre-list": lambda go: [go[0]],
            "pre-none": lambda go: (None,),
        }.get(kind)
        if pre is not None:
            y.grad_fn.register_prehook(pre)
        else:
            y.grad_fn.register_hook(
                {
                    "post-count": lambda gi, go: (gi[0],),
                    "post-none": lambda gi, go: (gi[0], gi[0]),
                    "post-int": lambda gi, go: 5,
                    "post-scale": lambda gi, go: (gi[0] * 10, None),
                    "post-list": lambda gi, go: [gi[0], None],
                }[kind]
            )
        try:
            y.sum().backward()
        finally:
            state["grad"] = x.grad
        return x.grad

    return scenario


def failed_inplace(kind):
    def scenario(lib, state):
        a = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        h = a * 1
        state["h"] = h
        try:
            {
                "split-mul_": lambda: h.split(2)[0].mul_(10),
                "chunk-zero_": lambda: h.chunk(2)[1].zero_(),
                "unbind-add_": lambda: h.unbind()[1].add_(1),
                "split_sizes-fill_": lambda: h.split([1, 3])[1].fill_(0),
            }[kind]()
        finally:
            state["version"] = h._version
            (h * h).sum().backward()
            state["a.grad"] = a.grad

    return scenario


def expanded(kind):
    def scenario(lib, state):
        base = lib.ones(2, 1)
        x = base.expand(2, 3)
        state["base"] = base
        try:
            {
                "add_": lambda: x.add_(1),
                "mul_": lambda: x.mul_(lib.ones(2, 3)),
                "copy_": lambda: x.copy_(lib.zeros(2, 3)),
                "zero_": lambda: x.zero_(),
                "fill_": lambda: x.fill_(4),
            }[kind]()
        finally:
            state["version"] = base._version
        return x

    return scenario


def ignored_targets(loss):
    def scenario(lib, state):
        x = lib.tensor(np.linspace(-1, 1, 12).reshape(3, 4), requires_grad=True)
        t = lib.tensor([-100, -100, -100])
        F = lib.nn.functional
        out = {
            "ce": lambda: F.cross_entropy(x, t),
            "ce-smoothing": lambda: F.cross_entropy(x, t, label_smoothing=0.1),
            "nll": lambda: F.nll_loss(x, t),
            "nll-weight": lambda: F.nll_loss(x, t, weight=lib.ones(4, dtype=lib.float64)),
            "nll-weight-dtype": lambda: F.nll_loss(x, t, weight=lib.ones(4)),
            "ce-some": lambda: F.cross_entropy(x, lib.tensor([-100, 2, -100])),
        }[loss]()
        out.backward()
        return out.item(), x.grad

    return scenario


def posthook_shapes(lib, state):
    x = lib.ones(2, requires_grad=True)
    z = lib.ones(3, 2, dtype=lib.float64, requires_grad=True)
    y = x + z
    y.grad_fn.register_hook(
        lambda gi, go: state.setdefault("seen", [(tuple(g.shape), str(g.dtype)) for g in gi])
    )
    y.sum().backward()
    return x.grad, z.grad


def pow_zero_zero(lib, state):
    x = lib.tensor([0.0, 2.0, 0.0], dtype=lib.float64, requires_grad=True)
    y = lib.tensor([0.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
    (x**y).sum().backward()
    return x.grad, y.grad


def mse_promotion(reduction):
    def scenario(lib, state):
        x = lib.ones(3, requires_grad=True)
        loss = lib.nn.functional.mse_loss(x, lib.tensor([1, 2, 3]), reduction=reduction)
        loss.sum().backward()
        return loss, x.grad

    return scenario


SCENARIOS = {
    "hook-log": hook_log,
    "hook-shared-return": hook_shared_return,
    **{
        f"{where}-hook-{k}": tensor_hook(k, where == "leaf")
        for k in ("size", "dtype", "int", "list", "scale")
        for where in ("leaf", "nonleaf")
    },
    **{
        f"node-{k}": node_hook(k)
        for k in (
            "pre-size",
            "pre-tensor",
            "pre-int",
            "pre-count",
            "pre-none",
            "pre-list",
            "post-count",
            "post-none",
            "post-int",
            "post-scale",
            "post-list",
        )
    },
    **{
        f"inplace-{k}": failed_inplace(k)
        for k in ("split-mul_", "chunk-zero_", "unbind-add_", "split_sizes-fill_")
    },
    **{f"expanded-{k}": expanded(k) for k in ("add_", "mul_", "copy_", "zero_", "fill_")},
    **{
        f"ignored-{k}": ignored_targets(k)
        for k in ("ce", "ce-smoothing", "nll", "nll-weight", "nll-weight-dtype", "ce-some")
    },
    "pow-zero-zero": pow_zero_zero,
    "posthook-shapes": posthook_shapes,
    **{f"mse-{r}": mse_promotion(r) for r in ("mean", "sum", "none")},
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_same_as_torch(name):
    ours = observe(ak, SCENARIOS[name])
    theirs = observe(torch, SCENARIOS[name])
    assert same(ours, theirs), (ours, theirs)
