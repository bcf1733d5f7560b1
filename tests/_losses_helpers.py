"""Helpers shared by the test_losses_*.py files."""

from __future__ import annotations

import numpy as np

import autograd_kit as torch


def t64(data: np.ndarray, grad: bool = True) -> torch.Tensor:
    return torch.tensor(np.asarray(data, dtype=np.float64), requires_grad=grad)


def reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


REDUCTIONS = ["none", "mean", "sum"]
