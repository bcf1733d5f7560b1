"""The step loop shared by optimizers whose update treats each parameter on its own (Adam,
RMSprop, Adagrad): they only define ``_update(p, group)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .optimizer import Optimizer

__all__ = ["PerParameterOptimizer"]


class PerParameterOptimizer(Optimizer):
    """An optimizer whose ``step`` calls ``_update(p, group)`` for each parameter with a gradient."""

    def step(self, closure: Callable | None = None) -> Any:
        """Update every parameter that has a gradient (others are skipped); return closure's loss."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p._grad is not None:
                    self._update(p, group)
        return loss

    def _update(self, p: Any, group: dict) -> None:
        raise NotImplementedError
