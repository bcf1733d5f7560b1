"""In-place spellings of the pointwise ops and the overwriting ops (fill_, zero_, copy_, uniform_,
normal_): values, version counter, graph rebinding, leaf errors and messages (checked against
torch 2.13)."""

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import LEAF, raises, raises_prefix

INPLACE = [
    ("sin_", np.sin),
    ("cos_", np.cos),
    ("exp_", np.exp),
    ("expm1_", np.expm1),
    ("log_", np.log),
    ("log1p_", np.log1p),
    ("log2_", np.log2),
    ("sqrt_", np.sqrt),
    ("rsqrt_", lambda a: 1 / np.sqrt(a)),
    ("tan_", np.tan),
    ("abs_", np.abs),
    ("square_", np.square),
    ("floor_", np.floor),
    ("ceil_", np.ceil),
    ("trunc_", np.trunc),
    ("round_", np.round),
    ("sign_", np.sign),
    ("relu_", lambda a: np.maximum(a, 0)),
    ("sigmoid_", lambda a: 1 / (1 + np.exp(-a))),
    ("tanh_", np.tanh),
]


@pytest.mark.parametrize("name, ref", INPLACE)
def test_method_overwrites_bumps_version_and_returns_self(name, ref):
    values = np.array([0.25, 1.5, 2.75], dtype=np.float32)
    x = ak.tensor(values)
    out = getattr(x, name)()
    assert out is x
    assert x._version == 1
    np.testing.assert_allclose(x.numpy(), ref(values), rtol=1e-6)


@pytest.mark.parametrize("name", [n for n, _ in INPLACE if n != "sign_"])
def test_module_level_spelling(name):
    x = ak.tensor([0.25, 1.5])
    assert getattr(ak, name)(x) is x and x._version == 1


@pytest.mark.parametrize("name", ["sin_", "relu_", "clamp_", "masked_fill_", "zero_", "fill_", "uniform_"])
def test_leaf_requiring_grad_is_refused(name):
    x = ak.tensor([0.5, -1.0], requires_grad=True)
    args = {"clamp_": (0, 1), "masked_fill_": (ak.tensor([True, False]), 1.0), "fill_": (2.0,)}.get(name, ())
    with raises(RuntimeError, LEAF):
        getattr(x, name)(*args)
    with ak.no_grad():  # how optimizers and nn.init update weights
        getattr(x, name)(*args)
    assert x.is_leaf and x._version == 1


def test_view_of_leaf_is_refused():
    x = ak.tensor([0.5, -1.0], requires_grad=True)
    with raises(
        RuntimeError, "a view of a leaf Variable that requires grad is being used in an in-place operation."
    ):
        x[0:1].sin_()


def test_inplace_on_non_leaf_rebinds_the_graph():
    x = ak.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = x * 2
    y.sin_()
    assert y.grad_fn.name() == "SinBackward0"
    assert y.grad_fn.next_functions[0][0].name() == "MulBackward0"
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.cos(2 * x.detach().numpy()), rtol=1e-6)


def test_inplace_result_saving_ops_keep_the_new_values():
    # exp_ saves its result: backward must use the overwritten storage (e^x), not the old x
    x = ak.tensor([0.5, 1.0], requires_grad=True)
    y = x * 1
    y.exp_()
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp([0.5, 1.0]), rtol=1e-6)


def test_integer_tensor_cannot_hold_a_float_result():
    with raises(RuntimeError, "result type Float can't be cast to the desired output type Long"):
        ak.tensor([1, 2]).sin_()
    assert ak.tensor([1, -2]).relu_().tolist() == [1, 0]


def test_clamp_and_masked_fill_in_place():
    x = ak.tensor([-2.0, 0.5, 3.0])
    assert x.clamp_(min=-1.0, max=1.0).tolist() == [-1.0, 0.5, 1.0]
    assert ak.clamp_(x, ak.tensor([0.0, 0.0, 0.0])).tolist() == [0.0, 0.5, 1.0]
    assert x.clamp_min_(0.75).tolist() == [0.75, 0.75, 1.0] and x.clamp_max_(0.875).tolist() == [
        0.75,
        0.75,
        0.875,
    ]
    assert x._version == 4
    x.masked_fill_(ak.tensor([True, False, True]), 9.0)
    assert x.tolist() == [9.0, 0.75, 9.0] and x._version == 5
    x.lerp_(ak.tensor([10.0, 1.75, 10.0]), 0.5)
    assert x.tolist() == [9.5, 1.25, 9.5]
    with raises(RuntimeError, "output with shape [2] doesn't match the broadcast shape [2, 2]"):
        ak.tensor([1.0, 2.0]).masked_fill_(ak.tensor([[True], [False]]), 1.0)


# --- fill_, zero_, copy_ ----------------------------------------------------------------------
def test_fill_and_zero():
    x = ak.tensor([1.5, 2.5])
    assert x.fill_(3).tolist() == [3.0, 3.0] and x.dtype is ak.float32
    assert ak.zero_(x).tolist() == [0.0, 0.0] and x._version == 2
    assert ak.fill_(x, ak.tensor(4.0)).tolist() == [4.0, 4.0]
    assert ak.zeros(3, dtype=ak.int64).fill_(2.7).tolist() == [2, 2, 2]
    assert ak.zeros(2, dtype=ak.bool).fill_(2.7).tolist() == [True, True]


def test_fill_nodes_and_gradients():
    x = ak.tensor([0.5, -1.0, 2.0], requires_grad=True)
    v = ak.tensor(2.0, requires_grad=True)
    assert (x * 1).fill_(2).grad_fn.name() == "FillBackward2"
    assert (x * 1).zero_().grad_fn.name() == "ZeroBackward0"
    y = (x * 1).fill_(v)
    assert y.grad_fn.name() == "FillBackward3"
    (y * ak.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert v.grad.item() == 6.0 and x.grad.tolist() == [0.0, 0.0, 0.0]


def test_fill_errors():
    with raises(
        RuntimeError, "fill_ only supports 0-dimension value tensor but got tensor with 1 dimensions."
    ):
        ak.zeros(3).fill_(ak.tensor([2.0]))
    # up to the overloads: the rows pin what the call got, not the list of what it accepts
    with raises_prefix(
        TypeError, "fill_() received an invalid combination of arguments - got (str), but expected one of:"
    ):
        ak.zeros(3).fill_("a")
    with raises_prefix(TypeError, "fill_() received an invalid combination of arguments - got (NoneType)"):
        ak.zeros(3).fill_(None)


# (dtype, value, result or None for "value cannot be converted to type <name> without overflow")
FILL_VALUES = [
    (ak.uint8, -200, 56, "uint8_t"),
    (ak.uint8, 255, 255, "uint8_t"),
    (ak.uint8, 256, None, "uint8_t"),
    (ak.uint8, 2.5, 2, "uint8_t"),
    (ak.uint8, -0.5, None, "uint8_t"),
    (ak.int16, 40000, None, "int16_t"),
    (ak.int32, float("inf"), None, "int"),
    (ak.int64, 2**63 - 1, 2**63 - 1, "int64_t"),
    (ak.int64, 2**63, None, "int64_t"),
    (ak.int64, float("nan"), None, "int64_t"),
    (ak.float16, 1e30, None, "c10::Half"),
    (ak.float32, 1e39, None, "float"),
    (ak.float64, 1e300, 1e300, "double"),
    (ak.bool, float("nan"), True, "bool"),
]


@pytest.mark.parametrize("dtype, value, result, name", FILL_VALUES)
def test_number_fill_values_convert_or_overflow_as_pytorch(dtype, value, result, name):
    fills = (lambda t: t.fill_(value), lambda t: t.masked_fill(ak.tensor([True]), value))
    for fill in fills:
        if result is None:
            with raises(RuntimeError, f"value cannot be converted to type {name} without overflow"):
                fill(ak.zeros(1, dtype=dtype))
        else:
            assert fill(ak.zeros(1, dtype=dtype)).tolist() == [result]


def test_copy_converts_broadcasts_and_counts_as_one_write():
    x = ak.zeros(2, 3, dtype=ak.int64)
    x.copy_(ak.tensor([1.7, -1.7, 2.5]))
    assert x.tolist() == [[1, -1, 2], [1, -1, 2]] and x._version == 1
    y = ak.zeros(3)
    y.copy_(ak.tensor([1.0, 2.0, 3.0], dtype=ak.float64))
    assert y.dtype is ak.float32 and y.tolist() == [1.0, 2.0, 3.0]
    assert ak.zeros(3).copy_(1).tolist() == [1.0, 1.0, 1.0]


def test_copy_is_differentiable_with_respect_to_the_source():
    x = ak.tensor([0.5, -1.0, 2.0], requires_grad=True)
    src = ak.tensor([1.5], dtype=ak.float64, requires_grad=True)
    y = (x * 1).copy_(src)
    assert y.grad_fn.name() == "CopyBackwards"
    assert y.grad_fn.next_functions[0][0].name() == "MulBackward0"
    y.sum().backward()
    assert src.grad.dtype is ak.float64 and src.grad.tolist() == [3.0]
    assert x.grad.tolist() == [0.0, 0.0, 0.0]
    # a plain tensor that copies a graph tensor joins the graph, as in PyTorch
    z = ak.zeros(3)
    z.copy_(x)
    assert z.grad_fn.name() == "CopyBackwards" and z.requires_grad


def test_copy_errors():
    with raises(
        RuntimeError,
        "The size of tensor a (5) must match the size of tensor b (3) at non-singleton dimension 0",
    ):
        ak.zeros(5).copy_(ak.zeros(3))
    with raises(RuntimeError, "output with shape [5] doesn't match the broadcast shape [2, 5]"):
        ak.zeros(5).copy_(ak.zeros(2, 5))
    with raises(RuntimeError, "output with shape [1, 3] doesn't match the broadcast shape [2, 3]"):
        ak.zeros(1, 3).copy_(ak.zeros(2, 1))
    with raises(TypeError, "copy_(): argument 'other' (position 1) must be Tensor, not numpy.ndarray"):
        ak.zeros(3).copy_(np.zeros(3))


# --- random fills ---------------------------------------------------------------------------
def test_uniform_and_normal_fill_in_place_from_the_generator():
    x = ak.zeros(2000, dtype=ak.float64)
    assert x.uniform_(2, 3) is x and x._version == 1
    values = x.numpy()
    assert values.min() >= 2 and values.max() < 3 and abs(values.mean() - 2.5) < 0.05
    x.normal_(1.0, 0.5)
    assert abs(x.numpy().mean() - 1.0) < 0.05 and abs(x.numpy().std() - 0.5) < 0.05
    assert ak.zeros(3, dtype=ak.float16).uniform_(**{"from": -1, "to": 1}).dtype is ak.float16


def test_random_fills_follow_manual_seed_and_explicit_generators():
    ak.manual_seed(7)
    a = ak.zeros(4).uniform_()
    ak.manual_seed(7)
    assert ak.zeros(4).uniform_().tolist() == a.tolist()
    g1, g2 = ak.Generator().manual_seed(3), ak.Generator().manual_seed(3)
    assert ak.zeros(4).normal_(generator=g1).tolist() == ak.zeros(4).normal_(generator=g2).tolist()


def test_random_fill_on_a_non_leaf_records_a_zero_gradient():
    x = ak.tensor([0.5, -1.0], requires_grad=True)
    y = (x * 1).uniform_()
    assert y.grad_fn.name() == "UniformBackward0"
    (y * 1).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]
    assert (x * 1).normal_().grad_fn.name() == "NormalBackward0"


def test_random_fill_errors():
    with raises(NotImplementedError, "\"check_uniform_bounds\" not implemented for 'Long'"):
        ak.zeros(3, dtype=ak.int64).uniform_()
    with raises(NotImplementedError, "\"normal_kernel_cpu\" not implemented for 'Bool'"):
        ak.zeros(3, dtype=ak.bool).normal_()
    with raises(RuntimeError, "uniform_ expects to return a [from, to) range, but found from=2 > to=1"):
        ak.zeros(3).uniform_(2, 1)
    with raises(RuntimeError, "normal expects std >= 0.0, but found std -1"):
        ak.zeros(3).normal_(0, -1)
