"""FunctionGradPlot: plotted data against the formulas, its controls, bad functions, repr."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.widgets import FunctionGradPlot
from autograd_kit.widgets._function_grad import BUILTIN_FUNCTIONS
from tests.helpers.widgets import PNG_MAGIC, labels, line

pytestmark = pytest.mark.usefixtures("no_open_figures")

AUTOGRAD = "autograd: x.grad"
FD = "central difference"


def axes(w: FunctionGradPlot):
    left, right = w.figure.axes[:2]
    return left, right


def test_default_is_the_tutorial_picture_sin_and_a_grad():
    w = FunctionGradPlot()
    a = ak.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
    ak.sin(a).sum().backward()
    left, right = axes(w)
    x = line(left, "sin(x)").get_xdata()
    np.testing.assert_array_equal(x, a.detach().numpy())
    np.testing.assert_array_equal(
        line(left, "sin(x)").get_ydata(), np.sin(a.detach().numpy()).astype(np.float64)
    )
    # the autograd curve is exactly the tutorial's a.grad, and it is cos
    np.testing.assert_array_equal(line(right, AUTOGRAD).get_ydata(), a.grad.numpy())
    np.testing.assert_allclose(line(right, AUTOGRAD).get_ydata(), np.cos(x), atol=1e-6)
    np.testing.assert_allclose(line(right, "analytic: cos(x)").get_ydata(), np.cos(x.astype(np.float64)))
    np.testing.assert_allclose(line(right, FD).get_ydata(), np.cos(x.astype(np.float64)), atol=1e-8)
    gaps = w.disagreement()
    assert 0 < gaps["analytic"][0] < 1e-6 and 0 < gaps["finite differences"][0] < 1e-6
    assert "largest disagreement" in w.report.value and "|x.grad - analytic|" in w.report.value
    assert w.message.value == "" and w.error is None
    assert "largest gap" not in labels(right)  # float32 rounding is not circled as a disagreement
    assert bytes(w.image.value).startswith(PNG_MAGIC)


@pytest.mark.parametrize("name", list(BUILTIN_FUNCTIONS))
def test_dropdown_functions_agree_with_their_derivatives(name):
    w = FunctionGradPlot(start=-2.0, stop=2.0, steps=24)  # an even count: no point exactly at the kink 0
    before = w.image.value
    w.function.value = name
    left, right = axes(w)
    x = line(left, f"{name}(x)").get_xdata().astype(np.float64)
    grad = line(right, AUTOGRAD).get_ydata()
    analytic = next(ln for ln in right.get_lines() if ln.get_label().startswith("analytic")).get_ydata()
    np.testing.assert_allclose(analytic, BUILTIN_FUNCTIONS[name].derivative(x))
    np.testing.assert_allclose(grad, analytic, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(line(right, FD).get_ydata(), analytic, rtol=1e-5, atol=1e-5)
    assert w.disagreement()["analytic"][0] < 1e-4 * max(1.0, np.abs(analytic).max())
    assert (w.image.value != before) or name == "sin"


def test_range_points_and_dtype_controls():
    w = FunctionGradPlot("cos")
    w.start.value = -1.0
    w.stop.value = 3.0
    w.steps.value = 101
    x = line(axes(w)[0], "cos(x)").get_xdata()
    assert len(x) == 101 and x[0] == -1.0 and x[-1] == 3.0 and x.dtype == np.float32
    np.testing.assert_allclose(line(axes(w)[1], AUTOGRAD).get_ydata(), -np.sin(x), atol=1e-6)
    w.dtype.value = "float64"
    x64 = line(axes(w)[0], "cos(x)").get_xdata()
    assert x64.dtype == np.float64
    assert w.disagreement()["analytic"][0] < 1e-15
    assert "float64, 101 points" in w.report.value


def test_relu_kink_is_the_largest_disagreement_with_finite_differences():
    w = FunctionGradPlot("relu", start=-5.0, stop=5.0, steps=11)  # x = 0 is exactly a sample point
    gap, where = w.disagreement()["finite differences"]
    assert gap == pytest.approx(0.5) and where == 0.0  # (h - 0) / 2h, while autograd says 0
    assert w.disagreement()["analytic"] == (0.0, -5.0)
    circle = line(axes(w)[1], "largest gap")
    assert list(circle.get_xdata()) == [0.0] and list(circle.get_ydata()) == [0.0]
    assert "0.5" in w.report.value and "at x = 0" in w.report.value


def test_user_callable_with_its_derivative():
    def x_sin_x(x):
        return x * ak.sin(x)

    w = FunctionGradPlot(x_sin_x, derivative=lambda x: np.sin(x) + x * np.cos(x), steps=50)
    assert w.function.value == "x_sin_x" and "x_sin_x" in w.function.options and "sin" in w.function.options
    x = line(axes(w)[0], "x_sin_x(x)").get_xdata().astype(np.float64)
    np.testing.assert_allclose(line(axes(w)[1], AUTOGRAD).get_ydata(), np.sin(x) + x * np.cos(x), atol=1e-5)
    assert labels(axes(w)[1])[:2] == [AUTOGRAD, "analytic: given derivative"]
    w.function.value = "tanh"  # the built-ins stay available
    assert labels(axes(w)[0]) == ["tanh(x)"]


def test_lambda_without_derivative_plots_autograd_and_finite_differences():
    w = FunctionGradPlot(lambda x: x**2 + 1)
    assert w.function.value == "f"
    assert w.disagreement()["analytic"] is None
    assert labels(axes(w)[1]) == [AUTOGRAD, FD]  # no circle: the gap is rounding error
    assert "not available" in w.report.value


def test_function_that_fails_for_some_x_shows_a_message_and_recovers():
    def picky(x):
        if float(x.min()) < 0:
            raise ValueError("picky(x) needs x >= 0")
        return ak.sqrt(x + 1)

    w = FunctionGradPlot(picky, start=0.0, stop=1.0)
    assert w.error is None
    w.start.value = -1.0
    assert w.error == "picky(x) raised ValueError: picky(x) needs x >= 0"
    assert "picky(x) needs x &gt;= 0" in w.message.value and "#b00020" in w.message.value
    assert w.data is None and w.figure.axes == [] and w.report.value == ""
    assert repr(w).endswith("error=True)")
    w.start.value = 0.5
    assert w.error is None and w.message.value == "" and len(w.figure.axes) >= 2


def test_non_finite_values_are_notes_and_the_rest_is_plotted():
    w = FunctionGradPlot(ak.log, name="log", start=-5.0, stop=5.0, steps=11, derivative=lambda x: 1 / x)
    assert w.error is None
    assert "f(x) is not finite at 6 of 11 points (first at x = -5)" in w.message.value
    assert "x.grad is not finite at 1 of 11 points (first at x = 0)" in w.message.value
    grad = line(axes(w)[1], AUTOGRAD).get_ydata()
    np.testing.assert_allclose(grad[6:], 1 / line(axes(w)[0], "log(x)").get_xdata()[6:], rtol=1e-6)
    assert w.disagreement()["analytic"][0] < 1e-6  # over the points where both are finite


@pytest.mark.parametrize(
    "fn, expected",
    [
        (lambda x: x.detach().numpy() ** 2, "must return a tensor computed from x"),
        (lambda x: (x**2).sum(), "must act elementwise: it returned shape [] for x of shape [25]"),
        (lambda x: x.detach() * 2, "does not depend on x through autograd"),
        (lambda x: 1 / 0, "f(x) raised ZeroDivisionError: division by zero"),
    ],
)
def test_bad_functions_give_clear_messages(fn, expected):
    w = FunctionGradPlot(fn)
    assert expected in w.error
    assert w.figure.axes == []


def test_empty_range_is_a_message():
    w = FunctionGradPlot()
    w.stop.value = -1.0
    assert w.error == "the range must have start < stop, got start = 0.0, stop = -1.0"


def test_constructor_errors():
    with pytest.raises(ValueError, match="unknown function 'sinh'; choose one of sin, cos"):
        FunctionGradPlot("sinh")
    with pytest.raises(TypeError, match="must be a name or a callable, got int"):
        FunctionGradPlot(3)
    with pytest.raises(ValueError, match="derivative= is for your own callable"):
        FunctionGradPlot("sin", derivative=np.cos)
    with pytest.raises(ValueError, match="dtype must be one of float32, float64"):
        FunctionGradPlot(dtype="float16")


def test_repr_is_stable_and_address_free():
    w = FunctionGradPlot()
    assert repr(w) == "FunctionGradPlot(function='sin', start=0, stop=6.283, steps=25, dtype='float32')"
    w.function.value = "x**3"
    w.steps.value = 40
    assert repr(w) == "FunctionGradPlot(function='x**3', start=0, stop=6.283, steps=40, dtype='float32')"
    assert "0x" not in repr(FunctionGradPlot(lambda x: x * 2))
