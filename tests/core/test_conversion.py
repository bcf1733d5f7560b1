"""dtype/device conversion and copies: ``to``, ``type``, ``type_as``, ``float()``..., ``clone``,
``contiguous``; differentiable casts and PyTorch's messages (checked against torch 2.13)."""

import warnings

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import leaf32, raises, raises_prefix


def leaf():
    """The float32 leaf that these tests convert."""
    return leaf32([0.5, -1.0, 2.0])


def test_same_dtype_returns_self():
    x = leaf()
    assert x.to(ak.float32) is x and x.float() is x and x.type(ak.float32) is x
    assert x.to("cpu") is x and x.cpu() is x and x.to() is x and x.type_as(ak.zeros(1)) is x
    assert x.to(device="cpu", dtype=ak.float32) is x


@pytest.mark.parametrize(
    "convert, dtype",
    [
        (lambda t: t.to(ak.float64), ak.float64),
        (lambda t: t.double(), ak.float64),
        (lambda t: t.half(), ak.float16),
        (lambda t: t.to("cpu", ak.float64), ak.float64),
        (lambda t: t.to(device="cpu", dtype=ak.float64), ak.float64),
        (lambda t: t.type(ak.float64), ak.float64),
        (lambda t: t.type("torch.DoubleTensor"), ak.float64),
        (lambda t: t.type_as(ak.zeros(1, dtype=ak.float16)), ak.float16),
        (lambda t: t.to(ak.zeros(1, dtype=ak.float64)), ak.float64),
        (lambda t: t.to(float), ak.float64),
        (lambda t: t.to(np.float64), ak.float64),
        (lambda t: t.to(ak.float32, copy=True), ak.float32),
    ],
)
def test_float_casts_are_differentiable(convert, dtype):
    x = leaf()
    y = convert(x)
    assert y.dtype is dtype and y is not x
    assert y.grad_fn.name() == "ToCopyBackward0"
    (y * y).sum().backward()
    assert x.grad.dtype is ak.float32  # the gradient is cast back to the input's dtype
    np.testing.assert_allclose(x.grad.numpy(), 2 * x.detach().numpy(), rtol=1e-3)


def test_cast_gradient_under_create_graph():
    x = leaf()
    y = x.double()
    (g,) = ak.autograd.grad((y**3).sum(), x, create_graph=True)
    assert g.dtype is ak.float32 and g.requires_grad
    g.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 6 * x.detach().numpy(), rtol=1e-6)


@pytest.mark.parametrize(
    "convert, dtype, values",
    [
        (lambda t: t.long(), ak.int64, [0, -1, 2]),
        (lambda t: t.int(), ak.int32, [0, -1, 2]),
        (lambda t: t.short(), ak.int16, [0, -1, 2]),
        (lambda t: t.char(), ak.int8, [0, -1, 2]),
        (lambda t: t.bool(), ak.bool, [True, True, True]),
        (lambda t: t.to(int), ak.int64, [0, -1, 2]),
        (lambda t: t.to(ak.zeros(1, dtype=ak.int32)), ak.int32, [0, -1, 2]),
    ],
)
def test_casts_to_integers_carry_no_gradient(convert, dtype, values):
    y = convert(leaf())
    assert y.dtype is dtype and y.tolist() == values
    assert y.grad_fn is None and not y.requires_grad


def test_integer_to_float_and_byte():
    i = ak.tensor([1, 2, 300])
    assert i.float().dtype is ak.float32 and i.float().tolist() == [1.0, 2.0, 300.0]
    assert i.byte().dtype is ak.uint8


def test_nan_and_inf_to_int_are_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = ak.tensor([np.nan, np.inf, 1.5]).long()
    assert out.dtype is ak.int64 and out.tolist()[2] == 1


def test_type_without_argument_names_the_tensor_type():
    assert ak.zeros(1).type() == "torch.FloatTensor"
    assert ak.zeros(1, dtype=ak.int64).type() == "torch.LongTensor"
    assert ak.zeros(1, dtype=ak.bool).type() == "torch.BoolTensor"


def test_clone_copies_and_is_differentiable():
    x = leaf()
    y = x.clone()
    assert y.grad_fn.name() == "CloneBackward0"
    assert not np.shares_memory(y.detach().numpy(), x.detach().numpy())
    (y * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0, 3.0]
    assert ak.clone(x).grad_fn.name() == "CloneBackward0"
    plain = ak.tensor([1.0])
    assert ak.clone(plain).grad_fn is None


def test_contiguous():
    x = leaf()
    assert x.contiguous() is x and x.is_contiguous()
    t = ak.ones(3, 4, requires_grad=True).t()
    assert not t.is_contiguous()
    c = t.contiguous()
    assert c.is_contiguous() and c.grad_fn.name() == "CloneBackward0"
    assert c.tolist() == t.tolist()
    (c * ak.arange(12.0).reshape(4, 3)).sum().backward()
    np.testing.assert_array_equal(
        t.grad_fn.next_functions[0][0].variable.grad.numpy(), np.arange(12.0).reshape(4, 3).T
    )


def test_device_errors():
    x = ak.zeros(2)
    with raises(AssertionError, "Torch not compiled with CUDA enabled"):
        x.to("cuda")
    with raises(AssertionError, "Torch not compiled with CUDA enabled"):
        x.cuda()
    with raises(
        RuntimeError,
        "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: foo",
    ):
        x.to("foo")
    with raises(RuntimeError, "Cannot access accelerator device when none is available."):
        x.to(3)


def test_argument_errors():
    x = ak.zeros(2)
    # up to the first overload: the test pins what the call got, not every overload listed
    with raises_prefix(
        TypeError,
        "to() received an invalid combination of arguments - got (torch.dtype, torch.dtype), but expected one of:\n * (torch.device device = None",
    ):
        x.to(ak.float64, ak.float32)
    with raises(ValueError, "invalid type: 'foo'"):
        x.type("foo")
    with raises(TypeError, "type_as(): argument 'other' (position 1) must be Tensor, not float"):
        x.type_as(1.0)


def test_float64_to_float16_rounds_through_float32_as_pytorch():
    # torch 2.13: tensor([1 + 2**-11 + 2**-30], dtype=float64).half() == 1.0 (two roundings)
    v = 1 + 2**-11 + 2**-30
    x = ak.tensor([v], dtype=ak.float64)
    assert x.half().item() == 1.0
    assert x.to(ak.float16).item() == 1.0
