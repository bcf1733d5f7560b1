"""Pointwise ops beyond the op table: result dtypes, nan/inf without warnings, PyTorch's gradients
at kinks and ties, and error messages. Expected values and messages were checked with torch 2.13."""

import re
import warnings

import numpy as np
import pytest

import autograd_kit as ak


def leaf(values, dtype=ak.float32):
    return ak.tensor(values, dtype=dtype, requires_grad=True)


def grads(*tensors):
    return [t.grad.numpy().tolist() for t in tensors]


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


# --- gradients at kinks, bounds and ties (values from torch) ---------------------------------
def test_relu_and_abs_have_zero_gradient_at_zero():
    x = leaf([0.0, 2.0, -1.0])
    (x.relu() + x.abs()).sum().backward()
    assert x.grad.tolist() == [0.0, 2.0, -1.0]


@pytest.mark.parametrize("name", ["sign", "floor", "ceil", "round", "trunc"])
def test_piecewise_constant_ops_give_zero_not_none(name):
    x = leaf([0.3, 1.7])
    getattr(x, name)().sum().backward()
    assert x.grad is not None and x.grad.tolist() == [0.0, 0.0]


def test_clamp_passes_the_gradient_at_its_bounds():
    x = leaf([0.5, 1.0, 2.0, 2.5])
    x.clamp(1.0, 2.0).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 1.0, 0.0]
    x = leaf([0.5, 1.0, 2.0])
    x.clamp(2.0, 1.0).sum().backward()  # min > max: the output is max everywhere
    assert x.grad.tolist() == [0.0, 0.0, 0.0]
    assert ak.clamp(ak.tensor([0.5, 3.0]), 2.0, 1.0).tolist() == [1.0, 1.0]


def test_clamp_with_tensor_bounds_routes_the_gradient():
    values = (
        [-2.0, -1.0, 0.0, 1.0, 2.0, 0.5],
        [-1.0, -1.0, 1.0, 0.0, 0.0, 1.0],
        [1.0, 1.0, 0.0, 1.0, 1.0, 0.0],
    )
    x, lo, hi = (leaf(v) for v in values)
    ak.clamp(x, lo, hi).sum().backward()
    assert grads(x, lo, hi) == [[0, 1, 0, 1, 0, 0], [1, 0, 0, 0, 0, 0], [0, 0, 1, 0, 1, 1]]
    x, lo = leaf(values[0]), leaf(values[1])
    ak.clamp(x, min=lo).sum().backward()
    assert grads(x, lo) == [[0, 1, 0, 1, 1, 0], [1, 0, 1, 0, 0, 1]]
    x, hi = leaf(values[0]), leaf(values[2])
    x.clamp(max=hi).sum().backward()
    assert grads(x, hi) == [[1, 1, 1, 1, 0, 0], [0, 0, 0, 0, 1, 1]]


def test_clamp_with_a_tensor_and_a_number_bound():
    x, lo = leaf([-2.0, 0.5, 3.0]), leaf([-1.0, -1.0, -1.0])
    y = ak.clamp(x, lo, 1.0)
    assert y.grad_fn.name() == "ClampBackward0" and y.grad_fn.next_functions[2] == (None, 0)
    y.sum().backward()
    assert grads(x, lo) == [[0, 1, 0], [1, 0, 0]]


def test_clamp_number_bounds_are_saved_as_numbers():
    y = leaf([0.5]).clamp(-1.0, 1.0)
    assert y.grad_fn._saved_min == -1.0 and y.grad_fn._saved_max == 1.0
    assert len(y.grad_fn.next_functions) == 1


@pytest.mark.parametrize(
    "op, a_grad, b_grad", [(ak.maximum, [0.5, 1.0], [0.5, 0.0]), (ak.minimum, [0.5, 0.0], [0.5, 1.0])]
)
def test_ties_split_the_gradient(op, a_grad, b_grad):
    a, b = leaf([1.0, 2.0]), leaf([1.0, 1.0])
    op(a, b).sum().backward()
    assert grads(a, b) == [a_grad, b_grad]


def test_nan_in_maximum_sends_the_gradient_to_both():
    a, b = leaf([1.0, float("nan"), 2.0]), leaf([float("nan"), 1.0, 2.0])
    ak.maximum(a, b).sum().backward()
    assert grads(a, b) == [[1.0, 1.0, 0.5], [1.0, 1.0, 0.5]]


def test_where_masked_fill_and_lerp_gradients():
    x, y = leaf([1.0, -1.0, 2.0]), leaf([5.0, 6.0, 7.0])
    ak.where(x > 0, x, y).sum().backward()
    assert grads(x, y) == [[1, 0, 1], [0, 1, 0]]
    x, v = leaf([0.5, -1.0, 2.0]), leaf(2.0)
    x.masked_fill(x > 0, v).sum().backward()
    assert grads(x, v) == [[0, 1, 0], 2.0]
    s, e, w = leaf([1.0, 2.0, 3.0]), leaf([3.0, -1.0, 0.0]), leaf([0.25, 0.5, 2.0])
    r = ak.lerp(s, e, w)
    assert r.tolist() == [1.5, 0.5, -3.0]
    r.sum().backward()
    assert grads(s, e, w) == [[0.75, 0.5, -1.0], [0.25, 0.5, 2.0], [2.0, -3.0, -3.0]]


def test_lerp_reaches_end_exactly_at_weight_one():
    a, b = ak.tensor([0.1, 1e8]), ak.tensor([0.3, 1.0])
    assert ak.lerp(a, b, 1.0).tolist() == b.tolist()
    assert ak.lerp(a, b, ak.tensor([1.0, 1.0])).tolist() == b.tolist()


def test_where_with_only_a_condition_gives_indices():
    rows, cols = ak.where(ak.tensor([[True, False], [False, True]]))
    assert rows.dtype is ak.int64 and rows.tolist() == [0, 1] and cols.tolist() == [0, 1]
    (idx,) = ak.where(ak.tensor(True))
    assert idx.tolist() == [0]


def test_where_accepts_a_deprecated_uint8_condition():
    with pytest.warns(UserWarning, match="where received a uint8 condition tensor"):
        out = ak.where(ak.tensor([1, 0], dtype=ak.uint8), ak.tensor([1.0, 2.0]), 0.0)
    assert out.tolist() == [1.0, 0.0]


# --- errors ---------------------------------------------------------------------------------
def _raises(exc, message):
    return pytest.raises(exc, match="^" + re.escape(message))


BROADCAST_3_4 = "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"
BROADCAST_5_3 = "The size of tensor a (5) must match the size of tensor b (3) at non-singleton dimension 0"


@pytest.mark.parametrize(
    "call, exc, message",
    [
        (
            lambda: ak.clamp(ak.zeros(3)),
            RuntimeError,
            "torch.clamp: At least one of 'min' or 'max' must not be None",
        ),
        (
            lambda: ak.zeros(3).clip_(),
            RuntimeError,
            "torch.clamp: At least one of 'min' or 'max' must not be None",
        ),
        (
            lambda: ak.clamp(ak.zeros(3), "a"),
            TypeError,
            "clamp() received an invalid combination of arguments - got (Tensor, str), but expected one of:\n * (Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)\n",
        ),
        (
            lambda: ak.clamp_min(ak.zeros(3), None),
            TypeError,
            "clamp_min() received an invalid combination of arguments - got (Tensor, NoneType)",
        ),
        (lambda: ak.clamp(ak.zeros(5), ak.zeros(3), ak.zeros(5)), RuntimeError, BROADCAST_5_3),
        (lambda: ak.clamp(ak.zeros(5), ak.zeros(5), ak.zeros(3)), RuntimeError, BROADCAST_5_3),
        (
            lambda: ak.maximum(ak.zeros(3), 2),
            TypeError,
            "maximum(): argument 'other' (position 2) must be Tensor, not int",
        ),
        (lambda: ak.minimum(ak.zeros(5), ak.zeros(3)), RuntimeError, BROADCAST_5_3),
        (lambda: ak.where(ak.zeros(2, 3) > 0, ak.zeros(3), ak.zeros(4)), RuntimeError, BROADCAST_3_4),
        (lambda: ak.where(ak.zeros(5) > 0, ak.zeros(3), ak.zeros(3)), RuntimeError, BROADCAST_5_3),
        (
            lambda: ak.where(ak.tensor([1]), ak.zeros(1), 0.0),
            RuntimeError,
            "where expected condition to be a boolean tensor, but got a tensor with dtype Long",
        ),
        (
            lambda: ak.where(ak.zeros(1), ak.zeros(1), 0.0),
            RuntimeError,
            "where expected condition to be a boolean tensor, but got a tensor with dtype Float",
        ),
        (
            lambda: ak.where(ak.tensor([True]), "a", 1),
            TypeError,
            "where() received an invalid combination of arguments - got (Tensor, str, int), but expected one of:\n * (Tensor condition)\n",
        ),
        (
            lambda: ak.zeros(3).masked_fill(ak.tensor([1, 0, 1]), 2.0),
            RuntimeError,
            "masked_fill_ only supports boolean masks, but got mask with dtype long int",
        ),
        (
            lambda: ak.zeros(3).masked_fill(ak.zeros(3, dtype=ak.uint8), 2.0),
            RuntimeError,
            "masked_fill_ only supports boolean masks, but got mask with dtype unsigned char",
        ),
        (
            lambda: ak.zeros(3).masked_fill(ak.zeros(3) > 0, ak.zeros(3)),
            RuntimeError,
            "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s).",
        ),
        (
            lambda: ak.zeros(5).masked_fill(ak.zeros(3) > 0, 0.5),
            RuntimeError,
            "The size of tensor a (3) must match the size of tensor b (5) at non-singleton dimension 0",
        ),
        (
            lambda: ak.zeros(3).masked_fill(ak.zeros(3) > 0, "a"),
            TypeError,
            "masked_fill() received an invalid combination of arguments - got (Tensor, Tensor, str)",
        ),
        (
            lambda: ak.lerp(ak.zeros(2), ak.zeros(2, dtype=ak.float64), 0.5),
            RuntimeError,
            "expected dtype float for `end` but got dtype double",
        ),
        (
            lambda: ak.lerp(ak.zeros(2), ak.zeros(2), ak.tensor([1, 2])),
            RuntimeError,
            "expected dtype float for `weight` but got dtype long int",
        ),
        (
            lambda: ak.lerp(ak.tensor([1, 2]), ak.tensor([1, 2]), 0.5),
            NotImplementedError,
            "\"lerp_kernel_scalar\" not implemented for 'Long'",
        ),
        (lambda: ak.lerp(ak.zeros(5), ak.zeros(3), 0.5), RuntimeError, BROADCAST_5_3),
        (lambda: ak.relu(ak.tensor([True])), RuntimeError, "Boolean inputs not supported for relu"),
        (lambda: ak.abs(ak.tensor([True])), NotImplementedError, "\"abs_cpu\" not implemented for 'Bool'"),
        (
            lambda: ak.floor(ak.tensor([True])),
            NotImplementedError,
            "\"floor_vml_cpu\" not implemented for 'Bool'",
        ),
        (lambda: ak.sin(2.0), TypeError, "sin(): argument 'input' (position 1) must be Tensor, not float"),
        (lambda: ak.relu(2.0), TypeError, "relu(): argument 'input' (position 1) must be Tensor, not float"),
        (lambda: ak.abs(2.0), TypeError, "abs(): argument 'input' (position 1) must be Tensor, not float"),
    ],
)
def test_error_messages(call, exc, message):
    with _raises(exc, message):
        call()
