"""Containers: nn.Sequential and nn.ModuleList (forward, indexing, slicing, editing, errors)."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_kit import nn
from tests.helpers.nn import rand64


def test_sequential_forward_indexing_len_iteration() -> None:
    a, b, c = nn.Linear(3, 4).double(), nn.Tanh(), nn.Linear(4, 2).double()
    seq = nn.Sequential(a, b, c)
    x = rand64(5, 3)
    np.testing.assert_allclose(seq(x)._data, c(b(a(x)))._data, rtol=1e-15)
    assert len(seq) == 3 and list(seq) == [a, b, c]
    assert seq[0] is a and seq[-1] is c
    sub = seq[1:]
    assert isinstance(sub, nn.Sequential) and list(sub) == [b, c]
    assert [n for n, _ in sub.named_children()] == ["1", "2"]
    seq[1] = nn.ReLU()
    assert type(seq[1]).__name__ == "ReLU"
    del seq[0]
    assert len(seq) == 2 and [n for n, _ in seq.named_children()] == ["0", "1"]
    seq.append(nn.Identity())
    assert len(seq) == 3
    with pytest.raises(IndexError, match="index 3 is out of range"):
        seq[3]
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        nn.Sequential(3)
    named = nn.Sequential(
        __import__("collections").OrderedDict([("fc", nn.Linear(1, 1)), ("act", nn.ReLU())])
    )
    assert [n for n, _ in named.named_children()] == ["fc", "act"]


def test_module_list() -> None:
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    assert len(layers) == 3 and len(list(layers.parameters())) == 6
    layers.append(nn.ReLU())
    layers.extend([nn.Tanh()])
    layers.insert(0, nn.Identity())
    assert [type(m).__name__ for m in layers] == ["Identity", "Linear", "Linear", "Linear", "ReLU", "Tanh"]
    assert isinstance(layers[1:3], nn.ModuleList) and len(layers[1:3]) == 2
    assert layers[-1] is list(layers)[-1]
    del layers[0]
    assert type(layers[0]).__name__ == "Linear"
    layers += [nn.Sigmoid()]
    assert type(layers[-1]).__name__ == "Sigmoid"
    with pytest.raises(IndexError, match="index 9 is out of range"):
        layers[9]
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        nn.ModuleList([3])
