"""Helpers of the nn and optim tests: the tutorial's TinyModel, seeded float64 tensors, the loss
reductions, and the starting weights of the optimiser trajectories."""

from __future__ import annotations

import numpy as np

import autograd_kit as ak
from autograd_kit import nn


class TinyModel(nn.Module):
    """The model of PyTorch's "The Fundamentals of Autograd" tutorial."""

    def __init__(self) -> None:
        super().__init__()
        self.layer1 = nn.Linear(1000, 100)
        self.relu = nn.ReLU()
        self.layer2 = nn.Linear(100, 10)

    def forward(self, x: ak.Tensor) -> ak.Tensor:
        return self.layer2(self.relu(self.layer1(x)))


def rand64(*shape: int, seed: int = 0) -> ak.Tensor:
    """A seeded float64 tensor that requires grad."""
    data = np.random.default_rng(seed).standard_normal(shape)
    return ak.tensor(data, dtype=ak.float64, requires_grad=True)


def t64(data: np.ndarray, grad: bool = True) -> ak.Tensor:
    return ak.tensor(np.asarray(data, dtype=np.float64), requires_grad=grad)


def reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    """What a loss's ``reduction`` does to the per-element losses (the NumPy reference)."""
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


REDUCTIONS = ["none", "mean", "sum"]

# The optimiser tests' starting weights and loss coefficients.
_RNG = np.random.default_rng(0)
W0 = _RNG.standard_normal((3, 4))
C = _RNG.standard_normal((3, 4))
