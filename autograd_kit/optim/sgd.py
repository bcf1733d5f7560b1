"""``optim.SGD``: stochastic gradient descent with momentum, dampening, Nesterov, weight decay."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .._tensor.tensor import wrap_array
from .optimizer import Optimizer, check_non_negative

__all__ = ["SGD"]


class SGD(Optimizer):
    """PyTorch's SGD: ``buf = momentum*buf + (1-dampening)*g``; ``p -= lr * (g + momentum*buf | buf)``."""

    def __init__(
        self,
        params: Iterable,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        """Validate hyper-parameters (PyTorch's messages) and build the groups."""
        check_non_negative(lr, "learning rate")
        check_non_negative(momentum, "momentum value")
        check_non_negative(weight_decay, "weight_decay value")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)

    def step(self, closure: Callable | None = None) -> Any:
        """Update every parameter that has a gradient (others are skipped); return closure's loss."""
        loss = self._closure_loss(closure)
        state = self.state
        for group in self.param_groups:
            lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
            weight_decay, nesterov, maximize = group["weight_decay"], group["nesterov"], group["maximize"]
            for p in group["params"]:
                grad_t = p._grad
                if grad_t is None:
                    continue
                data, grad = p._data, grad_t._data
                if maximize:
                    grad = -grad
                if weight_decay != 0:
                    grad = grad + weight_decay * data
                if momentum != 0:
                    slot = state[p]
                    buf = slot.get("momentum_buffer")
                    if buf is None:
                        buf = slot["momentum_buffer"] = wrap_array(grad.copy())
                    else:
                        b = buf._data
                        b *= momentum
                        b += (1 - dampening) * grad
                    grad = grad + momentum * buf._data if nesterov else buf._data
                # Updates the storage directly: no graph is recorded, the version still moves on.
                data -= lr * grad
                p._vc[0] += 1
        return loss
