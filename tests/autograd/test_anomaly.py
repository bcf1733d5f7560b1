"""Anomaly detection: NaN produced in backward raises naming the node (PyTorch's text) and showing
where its forward op was created; errors in a backward warn with that trace; off by default.

The NaN comes from a constant factor (``c * x`` sends ``grad * c`` to x), so no NumPy warning is
involved; the expected first lines were printed by PyTorch 2.13 for the same code."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.autograd import anomaly_mode
from autograd_kit.graph.switches import SWITCHES


def scale_by_nan(x: ak.Tensor) -> ak.Tensor:
    return ak.tensor([float("nan"), 1.0]) * x  # d/dx = the constant: NaN in x's gradient


def test_nan_in_backward_names_the_node_and_shows_the_forward_line() -> None:
    x = ak.tensor([2.0, 1.0], requires_grad=True)
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        ctx = ak.autograd.detect_anomaly()
    with ctx:
        y = scale_by_nan(x).sum()
        with pytest.raises(RuntimeError) as err:
            y.backward()
    text = str(err.value)
    assert text.startswith("Function 'MulBackward0' returned nan values in its 1th output.")
    assert "Traceback of forward call that caused the error:" in text
    assert "in scale_by_nan" in text and 'return ak.tensor([float("nan"), 1.0]) * x' in text
    assert not anomaly_mode.is_anomaly_enabled()


def test_a_one_operand_op_records_its_forward_line_too() -> None:
    # sqrt(0) has an infinite derivative; times a zero gradient that is nan, in SqrtBackward0.
    x = ak.tensor([0.0, 4.0], requires_grad=True)
    with ak.autograd.set_detect_anomaly(True):
        root = x.sqrt()
        with pytest.raises(RuntimeError) as err:
            (root * ak.tensor([0.0, 1.0])).sum().backward()
    text = str(err.value)
    assert text.startswith("Function 'SqrtBackward0' returned nan values in its 0th output.")
    assert "root = x.sqrt()" in text


def test_set_detect_anomaly_as_call_and_context_manager() -> None:
    assert not anomaly_mode.is_anomaly_enabled() and SWITCHES.anomaly_runner is None
    ak.autograd.set_detect_anomaly(True)
    try:
        assert anomaly_mode.is_anomaly_enabled() and SWITCHES.anomaly_runner is not None
        x = ak.tensor([1.0, 4.0], requires_grad=True)
        z = (x * ak.tensor([1.0, float("nan")])).sum()
        with pytest.raises(
            RuntimeError, match="^Function 'MulBackward0' returned nan values in its 0th output."
        ):
            z.backward()
    finally:
        ak.autograd.set_detect_anomaly(False)
    assert SWITCHES.anomaly_runner is None
    with ak.autograd.set_detect_anomaly(True, check_nan=False):
        assert not anomaly_mode.is_anomaly_check_nan_enabled()
        x = ak.tensor([2.0, 1.0], requires_grad=True)
        scale_by_nan(x).sum().backward()  # NaN allowed through when check_nan=False
        assert np.isnan(x.grad._data[0])
    assert anomaly_mode.is_anomaly_check_nan_enabled() and not anomaly_mode.is_anomaly_enabled()


def test_off_by_default_nan_passes_and_no_trace_is_recorded() -> None:
    x = ak.tensor([2.0, 1.0], requires_grad=True)
    y = scale_by_nan(x)
    assert y.grad_fn._anomaly_trace is None
    y.sum().backward()
    assert np.isnan(x.grad._data[0])


class Broken(ak.autograd.Function):
    @staticmethod
    def forward(ctx: object, a: ak.Tensor) -> ak.Tensor:
        return a.clone()

    @staticmethod
    def backward(ctx: object, grad: ak.Tensor) -> ak.Tensor:
        raise ValueError("boom")


def make_broken(x: ak.Tensor) -> ak.Tensor:
    return Broken.apply(x).sum()


def test_error_in_backward_warns_with_the_forward_trace() -> None:
    x = ak.ones(2, requires_grad=True)
    with pytest.warns(UserWarning), ak.autograd.detect_anomaly():
        out = make_broken(x)
        with pytest.warns(UserWarning, match="Error detected in BrokenBackward") as record:
            with pytest.raises(ValueError, match="boom"):
                out.backward()
    message = str(next(w.message for w in record if "Error detected" in str(w.message)))
    assert "Traceback of forward call that caused the error:" in message and "in make_broken" in message


def test_trace_absent_when_forward_ran_without_anomaly_mode() -> None:
    x = ak.tensor([2.0, 1.0], requires_grad=True)
    y = scale_by_nan(x).sum()
    with ak.autograd.set_detect_anomaly(True), pytest.raises(RuntimeError) as err:
        y.backward()
    assert "no forward traceback recorded" in str(err.value)
