"""Helpers shared by the nn test files: the tutorial's TinyModel (test_nn_module_*.py) and a
seeded float64 tensor that requires grad (the layer tests)."""

from __future__ import annotations

import numpy as np

import autograd_kit as torch
from autograd_kit import nn


class TinyModel(nn.Module):
    """The model of PyTorch's "The Fundamentals of Autograd" tutorial."""

    def __init__(self) -> None:
        super().__init__()
        self.layer1 = nn.Linear(1000, 100)
        self.relu = nn.ReLU()
        self.layer2 = nn.Linear(100, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layer2(self.relu(self.layer1(x)))


def rand64(*shape: int, seed: int = 0) -> torch.Tensor:
    data = np.random.default_rng(seed).standard_normal(shape)
    return torch.tensor(data, dtype=torch.float64, requires_grad=True)
