"""Tensor factories: dtypes, shapes, sharing, seeding and PyTorch's error messages (each message
below was checked against torch 2.13; values are checked against NumPy)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.creation import factories as creation
from tests.helpers import raises


@pytest.fixture(autouse=True)
def _restore_default_dtype():
    yield
    ak.set_default_dtype(ak.float32)


# --- tensor() -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "dtype"),
    [
        ([1.0, 2.0], ak.float32),
        ([1, 2], ak.int64),
        ([True, False], ak.bool),
        ([1, 2.0], ak.float32),
        ([True, 2], ak.int64),
        (2.5, ak.float32),
        ([], ak.float32),
        (np.array([1.0, 2.0]), ak.float64),
        (np.array([1, 2], dtype=np.int32), ak.int32),
        (np.float64(1.5), ak.float64),
        ([np.float64(1.5), 2.0], ak.float64),
        ([np.int32(1), np.float16(2)], ak.float16),
        ([np.uint8(1), np.int8(2)], ak.int16),
        ([[np.float16(1)], [2]], ak.float16),
        ((1, 2), ak.int64),
        (range(3), ak.int64),
    ],
)
def test_tensor_infers_pytorch_dtype(data, dtype):
    t = ak.tensor(data)
    assert t.dtype is dtype
    np.testing.assert_array_equal(t._data, np.asarray(data, dtype=dtype.numpy_dtype))


def test_tensor_nested_and_of_tensors():
    t = ak.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert t.shape == (2, 2) and t.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    mixed = ak.tensor([ak.tensor(1, dtype=ak.int32), 2])
    assert mixed.dtype is ak.int64 and mixed.tolist() == [1, 2]
    assert ak.tensor([ak.tensor(1.0, dtype=ak.float64), 2.0]).dtype is ak.float64
    assert ak.tensor([ak.tensor([[1.0]])]).tolist() == [1.0]
    assert ak.tensor([ak.tensor(1.0, requires_grad=True)]).requires_grad is False
    assert ak.tensor([np.array([1.0, 2.0]), [3, 4]]).dtype is ak.float64
    assert ak.tensor([[], []]).shape == (2, 0)


def test_tensor_copies_and_sets_requires_grad():
    source = np.array([1.0, 2.0], dtype=np.float32)
    t = ak.tensor(source, requires_grad=True)
    source[0] = 9.0
    assert t.tolist() == [1.0, 2.0] and t.requires_grad and t.is_leaf
    with pytest.warns(UserWarning, match="To copy construct from a tensor"):
        copy = ak.tensor(t)
    assert copy._data is not t._data and not copy.requires_grad


def test_tensor_dtype_argument_converts_with_pytorch_rounding():
    assert ak.tensor([1.7, -1.7], dtype=ak.int64).tolist() == [1, -1]
    assert ak.tensor([-1], dtype=ak.uint8).tolist() == [255]
    assert ak.tensor(3.5, dtype=ak.bool).item() is True
    assert ak.tensor([1, 2], dtype=float).dtype is ak.float64
    assert ak.tensor(1e40, dtype=ak.float32).item() == float("inf")
    # PyTorch builds a Half from a float: double -> float32 -> float16 (two roundings).
    v = 1 + 2**-11 + 2**-30
    assert ak.tensor([v], dtype=ak.float16).item() == 1.0
    assert ak.tensor(np.array([v]), dtype=ak.float16).item() == 1.0


@pytest.mark.parametrize(
    ("data", "kwargs", "exc", "message"),
    [
        ([[1, 2], [3]], {}, ValueError, "expected sequence of length 2 at dim 1 (got 1)"),
        ([[[1], [2]], [[3], [4, 5]]], {}, ValueError, "expected sequence of length 1 at dim 2 (got 2)"),
        ("a", {}, TypeError, "new(): invalid data type 'str'"),
        (["a"], {}, ValueError, "too many dimensions 'str'"),
        ([1, "a"], {}, TypeError, "new(): invalid data type 'str'"),
        ([1, None], {}, RuntimeError, "Could not infer dtype of NoneType"),
        ({1, 2}, {}, RuntimeError, "Could not infer dtype of set"),
        ([[1, 2], 3], {}, TypeError, "not a sequence"),
        ([1.0, [2]], {}, TypeError, "must be real number, not list"),
        ([True, [2]], {}, TypeError, "'list' object cannot be interpreted as an integer"),
        ([2**63], {}, ValueError, "Overflow when unpacking long long"),
        (
            [300],
            {"dtype": ak.uint8},
            RuntimeError,
            "value cannot be converted to type uint8 without overflow",
        ),
        (
            [255.5],
            {"dtype": ak.uint8},
            RuntimeError,
            "value cannot be converted to type uint8 without overflow",
        ),
        (
            [float("nan")],
            {"dtype": ak.int64},
            RuntimeError,
            "value cannot be converted to type int64 without overflow",
        ),
        (
            [1, 2],
            {"requires_grad": True},
            RuntimeError,
            "Only Tensors of floating point and complex dtype can require gradients",
        ),
        ([1.0], {"dtype": 3}, TypeError, "tensor(): argument 'dtype' must be torch.dtype, not int"),
        ([1.0], {"dtype": np.float32}, TypeError, "tensor(): argument 'dtype' must be torch.dtype, not type"),
        (
            [ak.tensor([1.0, 2.0])],
            {},
            ValueError,
            "only one element tensors can be converted to Python scalars",
        ),
        (
            [np.array([1.0, 2.0]), np.array([3.0])],
            {},
            ValueError,
            "expected sequence of length 2 at dim 1 (got 1)",
        ),
        ([np.uint16(3)], {}, TypeError, "can't convert numpy.uint16: autograd_kit has no such dtype"),
        (
            np.array([1, 2], dtype=">f4"),
            {},
            ValueError,
            "given numpy array has byte order different from the native byte order. "
            "Conversion between byte orders is currently not supported.",
        ),
    ],
)
def test_tensor_errors(data, kwargs, exc, message):
    with raises(exc, message):
        ak.tensor(data, **kwargs)


def test_device_and_out_errors():
    assert ak.zeros(2, device="cpu").shape == (2,) and ak.zeros(2, device="cpu:0").shape == (2,)
    with raises(RuntimeError, "tensor(): autograd_kit only runs on the CPU, got device='cuda'"):
        ak.tensor([1.0], device="cuda")
    with raises(TypeError, "zeros(): out= is not supported by autograd_kit; use the returned tensor"):
        ak.zeros(2, out=ak.zeros(2))


# --- filled factories -----------------------------------------------------------------------
@pytest.mark.parametrize("factory", [ak.zeros, ak.ones, ak.empty, ak.rand, ak.randn])
def test_size_forms(factory):
    for args, kwargs in [((2, 3), {}), (((2, 3),), {}), (([2, 3],), {}), ((ak.Size([2, 3]),), {}),
                         ((), {"size": (2, 3)}), ((np.int64(2), 3), {}), ((2, True), {})]:  # fmt: skip
        shape = (2, 1) if args == (2, True) else (2, 3)
        t = factory(*args, **kwargs)
        assert t.shape == shape and t.dtype is ak.float32
    assert factory(()).shape == () and factory(0).shape == (0,)


def test_filled_values_and_dtypes():
    np.testing.assert_array_equal(ak.zeros(2, 3)._data, np.zeros((2, 3), np.float32))
    np.testing.assert_array_equal(ak.ones(4, dtype=ak.int32)._data, np.ones(4, np.int32))
    assert ak.zeros(2, dtype=float).dtype is ak.float64
    assert ak.zeros(2, dtype=int).dtype is ak.int64 and ak.zeros(2, dtype=bool).dtype is ak.bool
    assert ak.full((2,), 3).dtype is ak.int64 and ak.full((2,), True).dtype is ak.bool
    assert ak.full((2,), 1.5).tolist() == [1.5, 1.5] and ak.full((), 2.0).shape == ()
    assert ak.full((2,), ak.tensor(1.5)).dtype is ak.float32
    assert ak.full((2,), 1.5, dtype=ak.int64).tolist() == [1, 1]
    assert ak.full((2,), -1, dtype=ak.uint8).tolist() == [255, 255]
    assert ak.full_like(ak.tensor([1, 2]), 2.5).tolist() == [2, 2]
    np.testing.assert_array_equal(ak.eye(2, 3)._data, np.eye(2, 3, dtype=np.float32))
    assert ak.eye(3, dtype=ak.bool).dtype is ak.bool and ak.eye(0).shape == (0, 0)
    ak.set_default_dtype(ak.float64)
    assert ak.zeros(2).dtype is ak.float64 and ak.full((1,), 2.0).dtype is ak.float64


def test_like_factories_follow_input():
    x = ak.tensor([[1, 2], [3, 4]], dtype=ak.int32)
    for factory in (ak.zeros_like, ak.ones_like, ak.empty_like):
        t = factory(x)
        assert t.shape == (2, 2) and t.dtype is ak.int32
    assert ak.ones_like(x, dtype=ak.float64).dtype is ak.float64
    assert ak.ones_like(ak.tensor([1.0], requires_grad=True)).requires_grad is False
    assert ak.zeros_like(ak.zeros(3), requires_grad=True).requires_grad
    assert ak.rand_like(ak.zeros(2, dtype=ak.float64)).dtype is ak.float64


def test_requires_grad_leaves():
    for t in (
        ak.zeros(2, requires_grad=True),
        ak.randn(2, requires_grad=True),
        ak.eye(2, requires_grad=True),
    ):
        assert t.requires_grad and t.is_leaf and t.grad_fn is None


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (lambda: ak.zeros(-1), RuntimeError, "zeros: Dimension size must be non-negative."),
        (lambda: ak.ones(2, -1), RuntimeError, "Trying to create tensor with negative dimension -1: [2, -1]"),
        (lambda: ak.full([2, -3], 1.0), RuntimeError, "Trying to create tensor with negative dimension -3: [2, -3]"),
        (lambda: ak.zeros(2.5), TypeError, "zeros(): argument 'size' (position 1) must be tuple of ints, not float"),
        (lambda: ak.ones(True), TypeError, "ones(): argument 'size' (position 1) must be tuple of ints, not bool"),
        (lambda: ak.zeros(ak.tensor(2.0)), TypeError, "zeros(): argument 'size' (position 1) must be tuple of ints, not Tensor"),
        (lambda: ak.zeros(np.float64(2)), TypeError, "zeros(): argument 'size' (position 1) must be tuple of ints, not numpy.float64"),
        (lambda: ak.zeros([2.5]), TypeError, "zeros(): argument 'size' (position 1) must be tuple of ints, but found element of type float at pos 0"),
        (lambda: ak.zeros((2, 3.0)), TypeError, 'zeros(): argument \'size\' failed to unpack the object at pos 2 with error "type must be tuple of ints,but got float"'),
        (lambda: ak.ones(2, None), TypeError, 'ones(): argument \'size\' failed to unpack the object at pos 2 with error "type must be tuple of ints,but got NoneType"'),
        (lambda: ak.zeros(2.5, 3), TypeError, "zeros() takes 1 positional argument but 2 were given"),
        (lambda: ak.zeros(), TypeError, 'zeros() missing 1 required positional arguments: "size"'),
        (lambda: ak.zeros(2, 3, size=(2,)), TypeError, "zeros() got multiple values for argument 'size'"),
        (lambda: ak.zeros(size=2), TypeError, "zeros(): argument 'size' must be tuple of ints, not int"),
        (lambda: ak.full(2, 1.5), TypeError, "full(): argument 'size' (position 1) must be tuple of ints, not int"),
        (lambda: ak.full((2,), "a"), TypeError, "full(): argument 'fill_value' (position 2) must be Number, not str"),
        (lambda: ak.full((2,), ak.tensor([1.0, 2.0])), TypeError, "full(): argument 'fill_value' (position 2) must be Number, not Tensor"),
        (lambda: ak.full((2,), 2**63), RuntimeError, "value cannot be converted to type int64_t without overflow"),
        (lambda: ak.full((2,), 200, dtype=ak.int8), RuntimeError, "value cannot be converted to type int8_t without overflow"),
        (lambda: ak.full((2,), 2**40, dtype=ak.int32), RuntimeError, "value cannot be converted to type int without overflow"),
        (lambda: ak.full((2,), 1e40), RuntimeError, "value cannot be converted to type float without overflow"),
        (lambda: ak.full((2,), 70000, dtype=ak.float16), RuntimeError, "value cannot be converted to type c10::Half without overflow"),
        (lambda: ak.full((2,), 1, requires_grad=True), RuntimeError, "Only Tensors of floating point and complex dtype can require gradients"),
        (lambda: ak.full_like(ak.tensor([1, 2]), float("inf")), RuntimeError, "value cannot be converted to type int64_t without overflow"),
        (lambda: ak.zeros_like([1, 2]), TypeError, "zeros_like(): argument 'input' (position 1) must be Tensor, not list"),
        (lambda: ak.zeros_like(ak.tensor([1, 2]), requires_grad=True), RuntimeError, "Only Tensors of floating point and complex dtype can require gradients"),
        (lambda: ak.zeros(2, dtype="float32"), TypeError, "zeros(): argument 'dtype' must be torch.dtype, not str"),
        (lambda: ak.eye(-1), RuntimeError, "n must be greater or equal to 0, got -1"),
        (lambda: ak.eye(2, -1), RuntimeError, "m must be greater or equal to 0, got -1"),
        (lambda: ak.eye(2.5), TypeError, "eye(): argument 'n' (position 1) must be int, not float"),
        (lambda: ak.eye(True), TypeError, "eye(): argument 'n' (position 1) must be int, not bool"),
        (lambda: ak.numel([1, 2]), TypeError, "numel(): argument 'input' (position 1) must be Tensor, not list"),
    ],
)  # fmt: skip
def test_filled_errors(call, exc, message):
    with raises(exc, message):
        call()


def test_is_tensor_and_numel():
    assert ak.is_tensor(ak.zeros(1)) and not ak.is_tensor(np.zeros(1)) and not ak.is_tensor(3)
    assert ak.numel(ak.zeros(2, 3)) == 6 and ak.numel(ak.tensor(1.0)) == 1


def test_creation_module_exports_are_top_level():
    for name in creation.__all__:
        assert getattr(ak, name) is getattr(creation, name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ak.tensor([1e40])  # overflow to inf is silent, as in PyTorch
