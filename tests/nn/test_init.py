"""nn.init: the init functions' statistics, calculate_gain, errors, and init on a Parameter
(not recorded, bumps the version)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit import nn


def test_init_functions() -> None:
    w = ak.empty(300, 200)
    assert nn.init.zeros_(w) is w and (w._data == 0).all()
    assert (nn.init.ones_(w)._data == 1).all()
    assert (nn.init.constant_(w, 0.5)._data == 0.5).all()
    data = nn.init.normal_(w, mean=2.0, std=0.5)._data.astype(np.float64)
    assert abs(data.mean() - 2.0) < 0.01 and abs(data.std() - 0.5) < 0.01
    data = nn.init.uniform_(w, -3, 1)._data
    assert data.min() >= -3 and data.max() < 1 and abs(data.mean() + 1) < 0.02
    bound = math.sqrt(6 / (200 + 300))
    data = nn.init.xavier_uniform_(w)._data
    assert np.abs(data).max() <= bound and abs(data.std() - bound / math.sqrt(3)) < 0.01 * bound
    data = nn.init.xavier_normal_(w, gain=2.0)._data
    assert abs(data.std() - 2.0 * math.sqrt(2 / 500)) < 0.01
    bound = math.sqrt(2.0) * math.sqrt(3 / 200)
    data = nn.init.kaiming_uniform_(w, nonlinearity="relu")._data
    assert np.abs(data).max() <= bound and abs(data.std() - bound / math.sqrt(3)) < 0.01 * bound
    data = nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")._data
    assert abs(data.std() - math.sqrt(2 / 300)) < 0.001


def test_init_gain_and_errors() -> None:
    assert nn.init.calculate_gain("tanh") == 5.0 / 3
    assert nn.init.calculate_gain("relu") == math.sqrt(2.0)
    assert nn.init.calculate_gain("leaky_relu") == math.sqrt(2.0 / (1 + 0.01**2))
    assert nn.init.calculate_gain("linear") == nn.init.calculate_gain("sigmoid") == 1
    with pytest.raises(ValueError, match="Unsupported nonlinearity foo"):
        nn.init.calculate_gain("foo")
    with pytest.raises(
        ValueError, match="Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
    ):
        nn.init.xavier_uniform_(ak.empty(3))
    with pytest.raises(ValueError, match="Mode fan_x not supported, please use one of fan_in, fan_out"):
        nn.init.kaiming_uniform_(ak.empty(3, 3), mode="fan_x")


def test_init_on_parameter_does_not_record_and_bumps_version() -> None:
    p = nn.Linear(3, 3).weight
    version = p._version
    nn.init.zeros_(p)
    assert p.is_leaf and p.grad_fn is None and p._version == version + 1
