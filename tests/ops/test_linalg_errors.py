"""Every error of the matrix products, with PyTorch's message (checked against PyTorch 2.13)."""

from __future__ import annotations

import pytest

import autograd_kit as ak
from tests.helpers import raises

F64 = ak.float64


def _ones(*shape, dtype=ak.float32):
    return ak.ones(*shape, dtype=dtype)


@pytest.mark.parametrize(
    "a, b, message",
    [
        ((2, 3), (4, 5), "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"),
        ((3,), (4, 5), "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)"),
        ((5, 2, 3), (4, 5), "mat1 and mat2 shapes cannot be multiplied (10x3 and 4x5)"),
        ((2, 3), (4,), "size mismatch, got input (2), mat (2x3), vec (4)"),
        ((5, 2, 3), (4,), "size mismatch, got input (10), mat (10x3), vec (4)"),
        (
            (3,),
            (4,),
            "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, but got 3 and 4 elements respectively",
        ),
        (
            (4,),
            (5, 2, 3),
            "Expected size for first two dimensions of batch2 tensor to be: [5, 4] but got: [5, 2].",
        ),
        (
            (2, 3),
            (5, 4, 4),
            "Expected size for first two dimensions of batch2 tensor to be: [5, 3] but got: [5, 4].",
        ),
        (
            (5, 2, 3),
            (5, 4, 5),
            "Expected size for first two dimensions of batch2 tensor to be: [5, 3] but got: [5, 4].",
        ),
        (
            (7, 2, 3),
            (5, 3, 4),
            "The size of tensor a (7) must match the size of tensor b (5) at non-singleton dimension 0",
        ),
        (
            (5, 2, 3),
            (5, 3, 5, 2),
            "The size of tensor a (5) must match the size of tensor b (3) at non-singleton dimension 1",
        ),
        ((), (3,), "both arguments to matmul need to be at least 1D, but they are 0D and 1D"),
        ((3,), (), "both arguments to matmul need to be at least 1D, but they are 1D and 0D"),
    ],
)
def test_matmul_shape_errors(a, b, message):
    with raises(RuntimeError, message):
        ak.randn(a) @ ak.randn(b)


@pytest.mark.parametrize(
    "a, b, message",
    [
        ((2, 3), (3, 2), "expected m1 and m2 to have the same dtype, but got: float != double"),
        ((3,), (3, 2), "expected m1 and m2 to have the same dtype, but got: float != double"),
        ((4, 2, 3), (3, 2), "expected m1 and m2 to have the same dtype, but got: float != double"),
        ((3, 2), (2,), "addmv input tensors must have the same dtype, but got Double, Float, and Double"),
        ((3,), (3,), "dot : expected both vectors to have same dtype, but found Float and Double"),
        ((4, 2, 3), (4, 3, 2), "expected scalar type Float but found Double"),
        ((3,), (4, 3, 2), "expected scalar type Float but found Double"),
    ],
)
def test_matmul_dtype_errors(a, b, message):
    with raises(RuntimeError, message):
        _ones(*a) @ _ones(*b, dtype=F64)


@pytest.mark.parametrize(
    "a, b, kernel",
    [
        ((2, 3), (3, 2), "addmm_impl_cpu_"),
        ((4, 2, 3), (3,), "addmv_impl_cpu"),
        ((3,), (3,), "dot"),
        ((2, 2, 3), (2, 3, 1), "bmm"),
        ((3,), (2, 3, 2), "bmm"),
    ],
)
def test_bool_products_are_not_implemented(a, b, kernel):
    with raises(NotImplementedError, f"\"{kernel}\" not implemented for 'Bool'"):
        _ones(*a, dtype=ak.bool) @ _ones(*b, dtype=ak.bool)


def test_c_type_names_in_mm_errors():
    with raises(RuntimeError, "expected m1 and m2 to have the same dtype, but got: c10::Half != float"):
        ak.mm(_ones(2, 3, dtype=ak.float16), _ones(3, 2))
    with raises(RuntimeError, "expected m1 and m2 to have the same dtype, but got: short int != signed char"):
        ak.mm(_ones(2, 3, dtype=ak.int16), _ones(3, 2, dtype=ak.int8))
    with raises(RuntimeError, "expected m1 and m2 to have the same dtype, but got: unsigned char != bool"):
        ak.mm(_ones(2, 3, dtype=ak.uint8), _ones(3, 2, dtype=ak.bool))
    with raises(RuntimeError, "expected m1 and m2 to have the same dtype, but got: float != long int"):
        _ones(2, 3) @ _ones(3, 2, dtype=ak.int64)


def test_mm_bmm_mv_dot_outer_errors():
    cases = [
        (lambda: ak.mm(_ones(3), _ones(3, 5)), RuntimeError, "self must be a matrix"),
        (lambda: ak.mm(_ones(2, 3), _ones(3)), RuntimeError, "mat2 must be a matrix"),
        (
            lambda: _ones(2, 3).mm(_ones(4, 5)),
            RuntimeError,
            "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)",
        ),
        (
            lambda: ak.mm(_ones(2, 2), 2),
            TypeError,
            "mm(): argument 'mat2' (position 2) must be Tensor, not int",
        ),
        (lambda: ak.bmm(_ones(2, 3), _ones(5, 3, 4)), RuntimeError, "batch1 must be a 3D tensor"),
        (lambda: ak.bmm(_ones(5, 2, 3), _ones(3, 4)), RuntimeError, "batch2 must be a 3D tensor"),
        (
            lambda: ak.bmm(_ones(5, 2, 3), _ones(4, 3, 4)),
            RuntimeError,
            "Expected size for first two dimensions of batch2 tensor to be: [5, 3] but got: [4, 3].",
        ),
        (
            lambda: ak.bmm(_ones(4, 2, 3, dtype=ak.int64), _ones(4, 3, 2)),
            RuntimeError,
            "expected scalar type Long but found Float",
        ),
        (
            lambda: ak.bmm(_ones(2, 2, 2), 2),
            TypeError,
            "bmm(): argument 'mat2' (position 2) must be Tensor, not int",
        ),
        (lambda: ak.mv(_ones(3), _ones(3)), RuntimeError, "vector + matrix @ vector expected, got 1, 1, 1"),
        (
            lambda: ak.mv(_ones(2, 3), _ones(3, 1)),
            RuntimeError,
            "vector + matrix @ vector expected, got 1, 2, 2",
        ),
        (lambda: _ones(2, 3).mv(_ones(4)), RuntimeError, "size mismatch, got input (2), mat (2x3), vec (4)"),
        (
            lambda: ak.mv(_ones(2, 3, dtype=F64), _ones(3)),
            RuntimeError,
            "addmv input tensors must have the same dtype, but got Float, Double, and Float",
        ),
        (
            lambda: ak.mv(_ones(2, 2), 2),
            TypeError,
            "mv(): argument 'vec' (position 2) must be Tensor, not int",
        ),
        (
            lambda: ak.dot(_ones(3, 1), _ones(3)),
            RuntimeError,
            "1D tensors expected, but got 2D and 1D tensors",
        ),
        (lambda: _ones(3).dot(_ones(3, 1)), RuntimeError, "1D tensors expected, but got 1D and 2D tensors"),
        (
            lambda: ak.dot(_ones(2), 2),
            TypeError,
            "dot(): argument 'tensor' (position 2) must be Tensor, not int",
        ),
        (
            lambda: ak.outer(_ones(3, 1), _ones(4)),
            RuntimeError,
            "outer: Expected 1-D argument self, but got 2-D",
        ),
        (lambda: _ones(3).outer(_ones(2, 2)), RuntimeError, "outer: Expected 1-D argument vec2, but got 2-D"),
        (
            lambda: ak.outer(_ones(2), 2),
            TypeError,
            "outer(): argument 'vec2' (position 2) must be Tensor, not int",
        ),
    ]
    for call, exc, message in cases:
        with raises(exc, message):
            call()


@pytest.mark.parametrize(
    "bias, m1, m2, message",
    [
        (
            (3,),
            (2, 3),
            (3, 2),
            "The expanded size of the tensor (2) must match the existing size (3) at non-singleton dimension 1.  Target sizes: [2, 2].  Tensor sizes: [3]",
        ),
        (
            (3,),
            (2, 3),
            (3, 4),
            "The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1.  Target sizes: [2, 4].  Tensor sizes: [3]",
        ),
        (
            (3, 1),
            (2, 3),
            (3, 2),
            "The expanded size of the tensor (2) must match the existing size (3) at non-singleton dimension 0.  Target sizes: [2, 2].  Tensor sizes: [3, 1]",
        ),
        (
            (1, 2, 2),
            (2, 3),
            (3, 2),
            "expand(torch.FloatTensor{[1, 2, 2]}, size=[2, 2]): the number of sizes provided (2) must be greater or equal to the number of dimensions in the tensor (3)",
        ),
        ((2,), (3,), (3, 2), "mat1 must be a matrix, got 1-D tensor"),
        ((2,), (2, 3), (3,), "mat2 must be a matrix, got 1-D tensor"),
        ((2,), (2, 3, 1), (3, 2), "mat1 must be a matrix, got 3-D tensor"),
        ((3,), (2, 3), (4, 2), "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x2)"),
    ],
)
def test_addmm_shape_errors(bias, m1, m2, message):
    with raises(RuntimeError, message):
        ak.addmm(_ones(*bias), _ones(*m1), _ones(*m2))


def test_addmm_dtype_and_type_errors():
    cases = [
        ((F64, None, None), "self and mat2 must have the same dtype, but got Double and Float"),
        ((None, None, F64), "self and mat2 must have the same dtype, but got Float and Double"),
        ((F64, None, F64), "mat1 and mat2 must have the same dtype, but got Float and Double"),
        ((None, F64, None), "mat1 and mat2 must have the same dtype, but got Double and Float"),
        ((None, ak.bool, ak.bool), "self and mat2 must have the same dtype, but got Float and Bool"),
    ]
    for (db, d1, d2), message in cases:
        with raises(RuntimeError, message):
            ak.addmm(
                _ones(2, dtype=db or ak.float32),
                _ones(2, 3, dtype=d1 or ak.float32),
                _ones(3, 2, dtype=d2 or ak.float32),
            )
    with raises(NotImplementedError, "\"addmm_impl_cpu_\" not implemented for 'Bool'"):
        ak.addmm(_ones(2, dtype=ak.bool), _ones(2, 3, dtype=ak.bool), _ones(3, 2, dtype=ak.bool))
    with raises(TypeError, "addmm(): argument 'input' (position 1) must be Tensor, not int"):
        ak.addmm(1, _ones(2, 2), _ones(2, 2))
    with raises(TypeError, "addmm(): argument 'mat1' (position 2) must be Tensor, not list"):
        ak.addmm(_ones(2), [[1.0]], _ones(2, 2))
