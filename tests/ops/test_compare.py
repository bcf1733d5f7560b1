"""Comparison, logical, bitwise and closeness ops: results, dtypes (PyTorch's promotion), the
Python operators, reductions any/all, and error messages (checked against torch 2.13)."""

import operator

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import raises

A = np.array([[0.5, -1.0, 2.0], [3.0, 2.0, -0.5]], dtype=np.float32)
B = np.array([2.0, -1.0, 0.5], dtype=np.float32)
OPS = [
    ("eq", operator.eq),
    ("ne", operator.ne),
    ("lt", operator.lt),
    ("le", operator.le),
    ("gt", operator.gt),
    ("ge", operator.ge),
]


@pytest.mark.parametrize("name, op", OPS)
def test_comparisons_broadcast_to_bool_without_grad(name, op):
    a, b = ak.tensor(A, requires_grad=True), ak.tensor(B)
    for out in (getattr(ak, name)(a, b), getattr(a, name)(b), op(a, b)):
        assert out.dtype is ak.bool and not out.requires_grad and out.grad_fn is None
        np.testing.assert_array_equal(out.numpy(), op(A, B))
    np.testing.assert_array_equal(op(a, 2.0).numpy(), op(A, 2.0))


@pytest.mark.parametrize(
    "alias, name",
    [("greater", "gt"), ("greater_equal", "ge"), ("less", "lt"), ("less_equal", "le"), ("not_equal", "ne")],
)
def test_aliases(alias, name):
    a = ak.tensor(A)
    assert getattr(ak, alias)(a, 0.5).tolist() == getattr(ak, name)(a, 0.5).tolist()
    assert getattr(a, alias)(0.5).tolist() == getattr(a, name)(0.5).tolist()


def test_reflected_operators():
    x = ak.tensor([0.5, 1.0, 2.0])
    assert (2 < x).tolist() == [False, False, False]
    assert (1.0 >= x).tolist() == [True, True, False]
    assert (1.0 == x).tolist() == [False, True, False]


def test_equality_with_unsupported_objects_falls_back_like_pytorch():
    x = ak.tensor([0.5, 1.0])
    assert (x == None) is False  # noqa: E711
    assert (x != None) is True  # noqa: E711
    assert (x == "a") is False and (x == [0.5, 1.0]) is False
    with raises(TypeError, "'<' not supported between instances of 'Tensor' and 'NoneType'"):
        x < None  # noqa: B015
    with raises(
        TypeError,
        "eq() received an invalid combination of arguments - got (Tensor, str), but expected one of:\n * (Tensor input, Tensor other, *, Tensor out = None)\n * (Tensor input, Number other, *, Tensor out = None)\n",
    ):
        ak.eq(x, "a")


def test_tensors_stay_hashable_after_installing_eq():
    x, y = ak.tensor([1.0]), ak.tensor([1.0])
    assert hash(x) != hash(y) or x is y
    assert {x: 1, y: 2}[x] == 1 and len({x, y}) == 2


def test_comparisons_promote_as_pytorch():
    # float32 vs a Python float or a 0-d float64 tensor compares in float32; vs a float64 tensor
    # with dims it compares in float64; int64 vs float32 compares in float32
    x = ak.tensor([0.1])
    assert (x == 0.1).item() and (x == np.float64(0.1)).item()
    assert (x == ak.tensor(0.1, dtype=ak.float64)).item()
    assert not (x == ak.tensor([0.1], dtype=ak.float64)).item()
    big = ak.tensor([16777217])
    assert (big == 16777216.0).item() and (big == ak.tensor([16777216.0])).item()
    assert (ak.tensor([1, 2]) > 1.5).tolist() == [False, True]
    assert (ak.tensor([True, False]) < 1).tolist() == [False, True]


def test_comparison_broadcast_error():
    with raises(
        RuntimeError,
        "The size of tensor a (5) must match the size of tensor b (3) at non-singleton dimension 0",
    ):
        ak.zeros(5) == ak.zeros(3)  # noqa: B015


def test_logical_ops():
    x, i = ak.tensor([0.5, 0.0, 2.0]), ak.tensor([1, 0, 0])
    assert ak.logical_and(x, i).tolist() == [True, False, False]
    assert x.logical_or(i).tolist() == [True, False, True]
    assert ak.logical_xor(x, i).tolist() == [False, False, True]
    assert ak.logical_not(x).tolist() == [False, True, False] and i.logical_not().dtype is ak.bool
    with raises(TypeError, "logical_or(): argument 'other' (position 2) must be Tensor, not int"):
        ak.logical_or(x, 0)


def test_bitwise_operators_on_bool_and_int():
    i, b = ak.tensor([1, 2, 3]), ak.tensor([True, False, True])
    assert (i & 1).tolist() == [1, 0, 1] and (i & 1).dtype is ak.int64
    assert (i | b).tolist() == [1, 2, 3] and (i | b).dtype is ak.int64
    assert (b & b).dtype is ak.bool and (b | True).tolist() == [True, True, True]
    assert (True & b).tolist() == [True, False, True] and (b & 1).dtype is ak.int64
    assert (~b).tolist() == [False, True, False] and (~i).tolist() == [-2, -3, -4]
    assert (b ^ b).tolist() == [False, False, False] and (i ^ 3).tolist() == [2, 1, 0]
    assert (ak.tensor([True]) & ak.tensor([1], dtype=ak.int32)).dtype is ak.int32
    assert (ak.tensor([1], dtype=ak.int32) & ak.tensor(1)).dtype is ak.int32
    assert ak.bitwise_not(i).tolist() == [-2, -3, -4] and ak.bitwise_xor(i, 1).tolist() == [0, 3, 2]


def test_bitwise_in_place_operators():
    i = ak.tensor([6, 3])
    same = i
    i &= 3
    assert i is same and i.tolist() == [2, 3] and i._version == 1
    i |= ak.tensor([4, 4])
    i ^= 1
    assert i.tolist() == [7, 6] and i._version == 3
    b = ak.tensor([True, False])
    with raises(RuntimeError, "result type Long can't be cast to the desired output type Bool"):
        b &= ak.tensor([3, 1])


def test_bitwise_errors_on_floats():
    with raises(NotImplementedError, "\"bitwise_and_cpu\" not implemented for 'Float'"):
        ak.zeros(2) & ak.zeros(2)
    with raises(NotImplementedError, "\"bitwise_and_cpu\" not implemented for 'Float'"):
        ak.tensor([1, 2]) & 1.5
    with raises(NotImplementedError, "\"bitwise_or_cpu\" not implemented for 'Float'"):
        ak.zeros(2) | ak.zeros(2)
    with raises(NotImplementedError, "\"bitwise_not_cpu\" not implemented for 'Float'"):
        ak.bitwise_not(ak.zeros(2))
    with raises(TypeError, "~ (operator.invert) is only implemented on integer and Boolean-type tensors"):
        ~ak.zeros(2)


SPECIAL = np.array([1.0, np.nan, np.inf, -np.inf], dtype=np.float32)


@pytest.mark.parametrize(
    "name, np_fn, other",
    [
        ("isnan", np.isnan, False),
        ("isinf", np.isinf, False),
        ("isfinite", np.isfinite, True),
        ("isposinf", np.isposinf, False),
        ("isneginf", np.isneginf, False),
    ],
)
def test_classification(name, np_fn, other):
    out = getattr(ak, name)(ak.tensor(SPECIAL))
    assert out.dtype is ak.bool
    np.testing.assert_array_equal(out.numpy(), np_fn(SPECIAL))
    for t in (ak.tensor([1, 2]), ak.tensor([True, False])):
        assert getattr(t, name)().tolist() == [other, other]


def test_isclose_allclose_equal():
    a = ak.tensor([1.0, np.inf, -np.inf, np.nan])
    b = ak.tensor([1.0 + 1e-6, np.inf, np.inf, np.nan])
    assert ak.isclose(a, b).tolist() == [True, True, False, False]
    assert a.isclose(b, equal_nan=True).tolist() == [True, True, False, True]
    assert ak.isclose(ak.tensor([1, 5]), ak.tensor([3, 5]), rtol=0, atol=2).tolist() == [True, True]
    assert ak.isclose(ak.tensor([True]), ak.tensor([False])).tolist() == [False]
    assert ak.allclose(ak.tensor([1.0, 2.0]), ak.tensor([[1.0, 2.0], [1.0, 2.00001]])) is True
    assert ak.allclose(a, a) is False and a.allclose(a, equal_nan=True) is True
    assert ak.equal(ak.tensor([1, 2]), ak.tensor([1.0, 2.0])) is True
    assert ak.equal(ak.tensor([1.0]), ak.tensor(1.0)) is False
    assert ak.tensor([1.0, 2.0]).equal(ak.tensor([1.0])) is False
    assert ak.equal(a, a) is False  # nan != nan


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ak.isclose(ak.tensor([1]), ak.tensor([1.0])), "Long did not match Float"),
        (lambda: ak.allclose(ak.tensor([1.0]), ak.tensor([1])), "Float did not match Long"),
        (
            lambda: ak.isclose(ak.zeros(2), ak.zeros(2), rtol=-1),
            "rtol must be greater than or equal to zero, but got -1",
        ),
        (
            lambda: ak.isclose(ak.zeros(2), ak.zeros(2), atol=-1),
            "atol must be greater than or equal to zero, but got -1",
        ),
    ],
)
def test_closeness_errors(call, message):
    with raises(RuntimeError, message):
        call()


def test_closeness_needs_tensors():
    with raises(TypeError, "isclose(): argument 'other' (position 2) must be Tensor, not float"):
        ak.isclose(ak.zeros(2), 0.5)


def test_any_and_all():
    x = ak.tensor([[1.0, 0.0, 2.0], [0.0, 0.0, 3.0]])
    assert ak.any(x).dtype is ak.bool and ak.any(x).item() is True and x.all().item() is False
    assert x.any(dim=0).tolist() == [True, False, True] and ak.all(x, 1).tolist() == [False, False]
    assert ak.all(x, dim=1, keepdim=True).shape == ak.Size([2, 1])
    assert ak.any(x, dim=(0, 1)).tolist() is True and ak.any(x, dim=-1).tolist() == [True, True]
    assert ak.all(ak.zeros(0)).item() is True and ak.any(ak.tensor(np.nan)).item() is True
    assert ak.tensor(5).any(0).item() is True
    assert ak.any(ak.zeros(2, 3, dtype=ak.uint8)).dtype is ak.uint8
    with raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)"):
        ak.any(x, dim=2)
    with raises(RuntimeError, "dim 0 appears multiple times in the list of dims"):
        ak.any(x, dim=(0, 0))
