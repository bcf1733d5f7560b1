"""``optim.RMSprop``: PyTorch's RMSprop (optional momentum, centred variant, weight decay)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .._tensor.tensor import wrap_array
from ._per_parameter import PerParameterOptimizer
from .optimizer import check_non_negative

__all__ = ["RMSprop"]


class RMSprop(PerParameterOptimizer):
    """``v = alpha*v + (1-alpha)*g^2``; ``p -= lr * g / (sqrt(v) + eps)`` (or through a momentum buffer)."""

    def __init__(
        self,
        params: Iterable,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        """Validate hyper-parameters (PyTorch's messages) and build the groups."""
        check_non_negative(lr, "learning rate")
        check_non_negative(eps, "epsilon value")
        check_non_negative(momentum, "momentum value")
        check_non_negative(weight_decay, "weight_decay value")
        check_non_negative(alpha, "alpha value")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def _update(self, p: Any, group: dict) -> None:
        lr, alpha, eps, momentum = group["lr"], group["alpha"], group["eps"], group["momentum"]
        data, grad = p._data, p._grad._data
        state = self.state[p]
        if not state:
            state["step"] = wrap_array(np.zeros((), dtype=np.float32))
            state["square_avg"] = wrap_array(np.zeros_like(data))
            if momentum > 0:
                state["momentum_buffer"] = wrap_array(np.zeros_like(data))
            if group["centered"]:
                state["grad_avg"] = wrap_array(np.zeros_like(data))
        if group["maximize"]:
            grad = -grad
        state["step"]._data += 1
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * data
        square_avg = state["square_avg"]._data
        square_avg *= alpha
        square_avg += (1 - alpha) * grad * grad
        if group["centered"]:
            grad_avg = state["grad_avg"]._data
            grad_avg += (1 - alpha) * (grad - grad_avg)  # lerp, as PyTorch's lerp_
            avg = np.sqrt(square_avg - grad_avg * grad_avg)
        else:
            avg = np.sqrt(square_avg)
        avg += eps
        if momentum > 0:
            buf = state["momentum_buffer"]._data
            buf *= momentum
            buf += grad / avg
            data -= lr * buf
        else:
            data -= lr * (grad / avg)
        p._vc[0] += 1
