"""Result dtypes follow PyTorch's promotion, not NumPy's; gradients keep each input's dtype.

Every expected dtype in EXPECTED was printed by torch 2.13 for the same expression (tensors of
ones with shape (2,) unless marked 0-d).
"""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import raises

f16, f32, f64 = np.float16, np.float32, np.float64
i32, i64, u8, b = np.int32, np.int64, np.uint8, np.bool_


def t(dt, shape=(2,)):
    return ak.ones(shape, dtype=getattr(ak, np.dtype(dt).name))


def zd(dt):
    """A 0-d tensor."""
    return t(dt, ())


EXPECTED = {
    "f32*2.5": (lambda: t(f32) * 2.5, "float32"),
    "f32+2": (lambda: t(f32) + 2, "float32"),
    "i64*2.5": (lambda: t(i64) * 2.5, "float32"),
    "i64+2": (lambda: t(i64) + 2, "int64"),
    "i32*2": (lambda: t(i32) * 2, "int32"),
    "i32*2.5": (lambda: t(i32) * 2.5, "float32"),
    "i64/i64": (lambda: t(i64) / t(i64), "float32"),
    "i64/2": (lambda: t(i64) / 2, "float32"),
    "i32/i32": (lambda: t(i32) / t(i32), "float32"),
    "f32 * 0d f64": (lambda: t(f32) * zd(f64), "float32"),
    "0d f64 * f32": (lambda: zd(f64) * t(f32), "float32"),
    "f32*f64": (lambda: t(f32) * t(f64), "float64"),
    "i64 * 0d f64": (lambda: t(i64) * zd(f64), "float64"),
    "i32 * 0d i64": (lambda: t(i32) * zd(i64), "int32"),
    "0d f32 * 0d f64": (lambda: zd(f32) * zd(f64), "float64"),
    "b+b": (lambda: t(b) + t(b), "bool"),
    "b*2": (lambda: t(b) * 2, "int64"),
    "b*2.5": (lambda: t(b) * 2.5, "float32"),
    "b+True": (lambda: t(b) + True, "bool"),
    "b+i32": (lambda: t(b) + t(i32), "int32"),
    "u8+i64 0d": (lambda: t(u8) + zd(i64), "uint8"),
    "u8*2": (lambda: t(u8) * 2, "uint8"),
    "f16*2.5": (lambda: t(f16) * 2.5, "float16"),
    "f16*f32 0d": (lambda: t(f16) * zd(f32), "float16"),
    "i64**2": (lambda: t(i64) ** 2, "int64"),
    "i64**2.": (lambda: t(i64) ** 2.0, "float32"),
    "2**i64": (lambda: 2 ** t(i64), "int64"),
    "2.**i64": (lambda: 2.0 ** t(i64), "float32"),
    "f32**f64 0d": (lambda: t(f32) ** zd(f64), "float32"),
    "b/b": (lambda: t(b) / t(b), "float32"),
    "-i64": (lambda: -t(i64), "int64"),
    "1/i64": (lambda: 1 / t(i64), "float32"),
    "i64-2.5": (lambda: t(i64) - 2.5, "float32"),
    "2.5-i64": (lambda: 2.5 - t(i64), "float32"),
    "0d i64 * f32": (lambda: zd(i64) * t(f32), "float32"),
    "0d f64 + 0d i64": (lambda: zd(f64) + zd(i64), "float64"),
    "i64*True": (lambda: t(i64) * True, "int64"),
    "u8*i32": (lambda: t(u8) * t(i32), "int32"),
    "i64.div(2, floor)": (lambda: t(i64).div(2, rounding_mode="floor"), "int64"),
    "f32 + 0d i64": (lambda: t(f32) + zd(i64), "float32"),
    "i64 recip": (lambda: t(i64).reciprocal(), "float32"),
}


@pytest.mark.parametrize("key", list(EXPECTED))
def test_result_dtype_matches_torch(key):
    fn, expected = EXPECTED[key]
    out = fn()
    assert repr(out.dtype) == f"torch.{expected}"
    assert out.numpy().dtype == np.dtype(expected)  # the storage agrees with the reported dtype


@pytest.mark.parametrize(
    "fn, expected",
    [
        (lambda: t(i64) * 2.5, "float64"),
        (lambda: t(f32) * 2.5, "float32"),
        (lambda: t(i64) / t(i64), "float64"),
        (lambda: t(i64).reciprocal(), "float64"),
        (lambda: t(b) * 2.5, "float64"),
    ],
)
def test_default_dtype_decides_python_float_and_true_division(fn, expected):
    ak.set_default_dtype(ak.float64)
    try:
        assert repr(fn().dtype) == f"torch.{expected}"
    finally:
        ak.set_default_dtype(ak.float32)


def test_set_default_dtype_rejects_integer_types():
    with pytest.raises(TypeError, match="only floating-point types are supported as the default type"):
        ak.set_default_dtype(ak.int64)
    assert ak.get_default_dtype() is ak.float32


def test_float32_tensor_with_python_float_keeps_float32_values_and_grad():
    x = ak.tensor([1.0, 2.0], requires_grad=True)
    y = x * 0.1
    assert y.dtype == ak.float32
    np.testing.assert_allclose(y.detach().numpy(), np.array([1.0, 2.0], np.float32) * np.float32(0.1))
    y.sum().backward()
    assert x.grad.dtype == ak.float32


def test_int_tensor_in_graph_float_grad():
    # torch: float32 * int64 -> float32; a.grad float32
    a = ak.ones(2, requires_grad=True)
    n = ak.tensor([1, 2])
    y = a * n
    assert y.dtype == ak.float32
    y.sum().backward()
    assert a.grad.dtype == ak.float32
    np.testing.assert_array_equal(a.grad.numpy(), [1.0, 2.0])


@pytest.mark.parametrize(
    "da, db, out",
    [(f32, f64, "float64"), (f16, f64, "float16"), (f64, f32, "float64"), (f16, f32, "float32")],
)
def test_gradients_keep_their_inputs_dtypes(da, db, out):
    # the second operand is 0-d in the f16 case (torch: f16 * 0-d f64 -> f16, grads f16 / f64)
    shape_b = () if da is f16 and db is f64 else (2,)
    a = ak.tensor(np.ones(2, dtype=da), requires_grad=True)
    b_ = ak.tensor(np.full(shape_b, 2.0, dtype=db), requires_grad=True)
    y = a * b_
    assert repr(y.dtype) == f"torch.{out}"
    y.sum().backward()
    assert a.grad.numpy().dtype == np.dtype(da) and b_.grad.numpy().dtype == np.dtype(db)
    assert a.grad.shape == a.shape and b_.grad.shape == b_.shape


def test_gradient_dtype_cast_is_differentiable_under_create_graph():
    # torch: grad of float32 a through a float64 product is float32 and has a grad_fn
    a = ak.tensor([1.0, 2.0], requires_grad=True)
    b_ = ak.tensor([3.0, 4.0], dtype=ak.float64, requires_grad=True)
    (ga,) = ak.autograd.grad((a * b_).sum(), a, create_graph=True)
    assert ga.dtype == ak.float32 and ga.grad_fn is not None
    (gb,) = ak.autograd.grad(ga.sum(), b_)
    assert gb.dtype == ak.float64
    np.testing.assert_array_equal(gb.numpy(), [1.0, 1.0])


def test_integer_and_bool_results_never_require_grad():
    x = ak.tensor([1.5, 2.5], requires_grad=True)
    assert not (t(i64) * 2).requires_grad
    assert (x * t(i64)).requires_grad


@pytest.mark.parametrize(
    "fn, msg",
    [
        (
            lambda: -t(b),
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, "
            "use the `~` or `logical_not()` operator instead.",
        ),
        (
            lambda: t(b) - t(b),
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
            "`logical_xor()` operator instead.",
        ),
        (lambda: t(i64) ** -1, "Integers to negative integer powers are not allowed."),
    ],
)
def test_bool_and_integer_errors(fn, msg):
    with raises(RuntimeError, msg):
        fn()


def test_inplace_keeps_the_destination_dtype():
    # torch: int32 += 0-d int64 stays int32; float32 += Python float stays float32
    x = t(i32)
    x += zd(i64)
    assert x.dtype == ak.int32
    y = t(f32)
    y += 2.5
    assert y.dtype == ak.float32
    np.testing.assert_array_equal(y.numpy(), [3.5, 3.5])


# torch.ones(shape_x, dtype=row) * torch.ones(shape_y, dtype=column), printed by torch 2.13
_ORDER = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
_SHORT = {"b": "bool", "u8": "uint8", "i8": "int8", "i16": "int16", "i32": "int32", "i64": "int64"}
_SHORT.update({"f16": "float16", "f32": "float32", "f64": "float64"})
TORCH_MUL_TABLES = {
    ((2,), (2,)): """
        b u8 i8 i16 i32 i64 f16 f32 f64
        u8 u8 i16 i16 i32 i64 f16 f32 f64
        i8 i16 i8 i16 i32 i64 f16 f32 f64
        i16 i16 i16 i16 i32 i64 f16 f32 f64
        i32 i32 i32 i32 i32 i64 f16 f32 f64
        i64 i64 i64 i64 i64 i64 f16 f32 f64
        f16 f16 f16 f16 f16 f16 f16 f32 f64
        f32 f32 f32 f32 f32 f32 f32 f32 f64
        f64 f64 f64 f64 f64 f64 f64 f64 f64""",
    ((2,), ()): """
        b u8 i8 i16 i32 i64 f16 f32 f64
        u8 u8 u8 u8 u8 u8 f16 f32 f64
        i8 i8 i8 i8 i8 i8 f16 f32 f64
        i16 i16 i16 i16 i16 i16 f16 f32 f64
        i32 i32 i32 i32 i32 i32 f16 f32 f64
        i64 i64 i64 i64 i64 i64 f16 f32 f64
        f16 f16 f16 f16 f16 f16 f16 f16 f16
        f32 f32 f32 f32 f32 f32 f32 f32 f32
        f64 f64 f64 f64 f64 f64 f64 f64 f64""",
}
# two 0-d tensors promote like two dimensioned ones
TORCH_MUL_TABLES[((), ())] = TORCH_MUL_TABLES[((2,), (2,))]


@pytest.mark.parametrize("shapes", list(TORCH_MUL_TABLES), ids=str)
def test_every_dtype_pair_promotes_like_torch(shapes):
    rows = [line.split() for line in TORCH_MUL_TABLES[shapes].strip().splitlines()]
    sx, sy = shapes
    wrong = []
    for x, row in zip(_ORDER, rows):
        for y, short in zip(_ORDER, row):
            want = _SHORT[short]
            for got in (
                (ak.ones(sx, dtype=getattr(ak, x)) * ak.ones(sy, dtype=getattr(ak, y))).dtype,
                (ak.ones(sy, dtype=getattr(ak, y)) * ak.ones(sx, dtype=getattr(ak, x))).dtype,  # symmetric
                (ak.ones(sx, dtype=getattr(ak, x)) + ak.ones(sy, dtype=getattr(ak, y))).dtype,
            ):
                if repr(got) != f"torch.{want}":
                    wrong.append((x, sx, y, sy, want, repr(got)))
    assert wrong == []
