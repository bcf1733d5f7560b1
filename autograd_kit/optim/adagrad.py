"""``optim.Adagrad``: PyTorch's Adagrad (per-element sums of squared gradients, lr decay)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .._tensor.tensor import wrap_array
from ._per_parameter import PerParameterOptimizer
from .optimizer import check_non_negative

__all__ = ["Adagrad"]


class Adagrad(PerParameterOptimizer):
    """``s += g^2``; ``p -= lr / (1 + (step-1)*lr_decay) * g / (sqrt(s) + eps)``."""

    def __init__(
        self,
        params: Iterable,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        """Validate hyper-parameters (PyTorch's messages), build the groups and, as PyTorch does,
        every parameter's state (``step`` and ``sum``) right away."""
        check_non_negative(lr, "learning rate")
        check_non_negative(lr_decay, "lr_decay value")
        check_non_negative(weight_decay, "weight_decay value")
        check_non_negative(initial_accumulator_value, "initial_accumulator_value value")
        check_non_negative(eps, "epsilon value")
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = wrap_array(np.zeros((), dtype=np.float32))
                state["sum"] = wrap_array(np.full_like(p._data, initial_accumulator_value))

    def _update(self, p: Any, group: dict) -> None:
        data, grad = p._data, p._grad._data
        state = self.state[p]
        step_t = state["step"]._data
        step_t += 1
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * data
        clr = group["lr"] / (1 + (float(step_t) - 1) * group["lr_decay"])
        state_sum = state["sum"]._data
        state_sum += grad * grad
        std = np.sqrt(state_sum)
        std += group["eps"]
        data -= clr * (grad / std)
        p._vc[0] += 1
