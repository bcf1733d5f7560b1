"""Learning-rate schedulers: StepLR, MultiStepLR, ExponentialLR and LambdaLR follow their
formulas; state_dict and errors as in PyTorch 2.13."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit import optim


def test_lr_schedulers_follow_their_formulas() -> None:
    x = ak.zeros(1, requires_grad=True)
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
