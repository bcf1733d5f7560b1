"""Pointwise ops beyond the op table: result dtypes and promotion, and nan/inf results (and
infinite gradients at poles) without warnings. Expected values were checked with torch 2.13."""

import warnings

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import leaf32 as leaf

# --- dtypes ---------------------------------------------------------------------------------
FLOAT_RESULT = ["exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "rsqrt", "sin", "cos", "tan"]
FLOAT_RESULT += ["tanh", "sigmoid"]


@pytest.mark.parametrize("name", FLOAT_RESULT)
@pytest.mark.parametrize("dtype", [ak.int64, ak.int32, ak.uint8, ak.bool])
def test_integer_and_bool_inputs_give_the_default_float(name, dtype):
    x = ak.tensor([1, 0, 1], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = getattr(ak, name)(x)
    assert out.dtype is ak.float32
    ref = getattr(ak, name)(x.to(ak.float64))
    np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-6)


def test_integer_input_follows_the_default_dtype():
    ak.set_default_dtype(ak.float64)
    try:
        assert ak.tensor([1, 2]).sin().dtype is ak.float64
    finally:
        ak.set_default_dtype(ak.float32)


@pytest.mark.parametrize("name", ["sin", "exp", "sqrt", "sigmoid", "tanh", "abs", "relu", "floor"])
@pytest.mark.parametrize("dtype", [ak.float16, ak.float64])
def test_float_inputs_keep_their_dtype(name, dtype):
    assert getattr(ak, name)(ak.tensor([0.5, 1.5], dtype=dtype)).dtype is dtype


@pytest.mark.parametrize("name", ["abs", "relu", "sign", "floor", "ceil", "round", "trunc", "square"])
def test_integer_preserving_ops(name):
    x = ak.tensor([1, -2, 3])
    out = getattr(ak, name)(x)
    assert out.dtype is ak.int64
    expected = {"abs": [1, 2, 3], "relu": [1, 0, 3], "sign": [1, -1, 1], "square": [1, 4, 9]}
    assert out.tolist() == expected.get(name, [1, -2, 3])


def test_bool_results_as_pytorch():
    b = ak.tensor([True, False])
    assert ak.sign(b).dtype is ak.bool and ak.sign(b).tolist() == [True, False]
    assert ak.square(b).dtype is ak.int64 and ak.square(b).tolist() == [1, 0]


def test_sign_of_nan_and_negative_zero_is_zero_as_pytorch():
    out = ak.sign(ak.tensor([np.nan, -0.0, -3.0, 2.0]))
    assert out.tolist() == [0.0, 0.0, -1.0, 1.0]
    assert not np.signbit(out.numpy()[1])


def test_round_is_half_to_even_and_takes_decimals():
    x = ak.tensor([0.5, 1.5, 2.5, -0.5, 1.25])
    assert ak.round(x).tolist() == [0.0, 2.0, 2.0, -0.0, 1.0]
    assert ak.round(x, decimals=1).tolist() == pytest.approx([0.5, 1.5, 2.5, -0.5, 1.2])


@pytest.mark.parametrize(
    "expr, dtype, values",
    [
        (lambda i, f, b: ak.clamp(i, 0.5, 2.5), ak.float32, [1.0, 0.5, 2.5]),
        (lambda i, f, b: ak.clamp(i, 0, 2), ak.int64, [1, 0, 2]),
        (lambda i, f, b: ak.clamp(b, 0, 1), ak.int64, [1, 0, 1]),
        (lambda i, f, b: ak.clamp(i, ak.tensor(0.5), None), ak.float32, [1.0, 0.5, 3.0]),
        (lambda i, f, b: ak.clamp(f, f.double(), None), ak.float64, [1.5, -2.5, 0.5]),
        (lambda i, f, b: ak.maximum(i, f), ak.float32, [1.5, -2.0, 3.0]),
        (lambda i, f, b: ak.where(b, i, f), ak.float32, [1.0, -2.5, 3.0]),
        (lambda i, f, b: ak.where(b, 1, 0.0), ak.float32, [1.0, 0.0, 1.0]),
        (lambda i, f, b: ak.where(b, 1, 0), ak.int64, [1, 0, 1]),
        (lambda i, f, b: ak.where(b, i, 2.5), ak.float32, [1.0, 2.5, 3.0]),
        (lambda i, f, b: ak.where(b, i.int(), ak.tensor(5)), ak.int32, [1, 5, 3]),
        (lambda i, f, b: i.masked_fill(b, 2.5), ak.int64, [2, -2, 2]),
        (lambda i, f, b: f.masked_fill(b, ak.tensor(7.0, dtype=ak.float64)), ak.float32, [7.0, -2.5, 7.0]),
    ],
)
def test_promotion_of_multi_operand_ops(expr, dtype, values):
    i, f, b = ak.tensor([1, -2, 3]), ak.tensor([1.5, -2.5, 0.5]), ak.tensor([True, False, True])
    out = expr(i, f, b)
    assert out.dtype is dtype
    assert out.tolist() == values


# --- nan and inf, quietly -------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("log", -1.0, np.nan),
        ("log", 0.0, -np.inf),
        ("log2", -1.0, np.nan),
        ("log1p", -2.0, np.nan),
        ("sqrt", -1.0, np.nan),
        ("rsqrt", 0.0, np.inf),
        ("exp", 1000.0, np.inf),
        ("expm1", 1000.0, np.inf),
        ("sin", np.inf, np.nan),
        ("tan", np.inf, np.nan),
        ("sigmoid", -1000.0, 0.0),
        ("sigmoid", 1000.0, 1.0),
        ("tanh", np.inf, 1.0),
    ],
)
def test_nan_and_inf_results_are_silent(name, value, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = getattr(ak, name)(ak.tensor([value, 0.5]))
    np.testing.assert_equal(out.numpy()[0], np.float32(expected))


def test_poles_give_infinite_gradients_silently():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = leaf([0.0, 4.0])
        x.sqrt().sum().backward()
        assert x.grad.tolist() == [np.inf, 0.25]
        x = leaf([0.0, 4.0])
        x.log().sum().backward()
        assert x.grad.tolist() == [np.inf, 0.25]
        x = leaf([0.0, 4.0])
        x.rsqrt().sum().backward()
        assert x.grad.tolist() == [-np.inf, -0.0625]


def test_nan_propagates_through_clamp_and_maximum():
    nan = float("nan")
    assert np.isnan(ak.clamp(ak.tensor([nan]), 0, 1).item())
    assert np.isnan(ak.clamp(ak.tensor([0.5]), nan, 1).item())
    out = ak.maximum(ak.tensor([1.0, nan]), ak.tensor([nan, 1.0]))
    assert np.isnan(out.numpy()).all()


@pytest.mark.parametrize(
    "exponent, expected",
    [
        # PyTorch computes these exponents with sqrt/square/reciprocal, so (-inf) ** 0.5 is nan
        # and (-0.) ** 0.5 is -0. (C's pow would give inf and +0.); values from torch 2.13.
        (0.5, [-0.0, np.nan, np.nan, np.inf, np.nan, 1.4142135381698608]),
        (2, [0.0, np.inf, 1.0, np.inf, np.nan, 4.0]),
        (2.0, [0.0, np.inf, 1.0, np.inf, np.nan, 4.0]),
        (-1, [-np.inf, -0.0, -1.0, 0.0, np.nan, 0.5]),
    ],
)
def test_powers_with_their_own_kernel_match_pytorch_quietly(exponent, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = ak.tensor([-0.0, -np.inf, -1.0, np.inf, np.nan, 2.0]) ** exponent
    assert out.dtype == ak.float32
    np.testing.assert_equal(out.numpy(), np.array(expected, dtype=np.float32))
    want = np.array(expected, dtype=np.float32)
    numbers = ~np.isnan(want)  # zeros must have PyTorch's sign too
    np.testing.assert_equal(np.signbit(out.numpy()[numbers]), np.signbit(want[numbers]))
