"""Every error path of the reductions, with PyTorch's message (checked against PyTorch 2.13)."""

from __future__ import annotations

import pytest

import autograd_kit as ak
from tests.helpers import raises, raises_prefix

X = ak.ones(3, 4)


@pytest.mark.parametrize(
    "call, got",
    [
        (lambda: X.sum(2), 2),
        (lambda: X.sum((0, -3)), -3),
        (lambda: X.mean(-3), -3),
        (lambda: X.max(dim=5), 5),
        (lambda: X.amax(5), 5),
        (lambda: X.argmax(2), 2),
        (lambda: X.prod(-3), -3),
        (lambda: X.cumsum(2), 2),
        (lambda: X.var(3), 3),
        (lambda: X.std((0, 2)), 2),
        (lambda: X.norm(dim=2), 2),
        (lambda: X.logsumexp(-3), -3),
        (lambda: X.softmax(2), 2),
        (lambda: X.log_softmax(-3), -3),
    ],
)
def test_dimension_out_of_range(call, got):
    with raises(IndexError, f"Dimension out of range (expected to be in range of [-2, 1], but got {got})"):
        call()


def test_dimension_out_of_range_on_0d():
    with raises(IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got 1)"):
        ak.tensor(1.0).sum(1)
    with raises(IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got -2)"):
        ak.tensor(1.0).max(-2)


def test_repeated_dims():
    with pytest.raises(RuntimeError, match="dim 1 appears multiple times in the list of dims"):
        X.sum((1, -1))
    with pytest.raises(RuntimeError, match="dim 0 appears multiple times in the list of dims"):
        X.amax([0, 0])


def test_dim_types():
    # up to the overloads: the test pins what the call got, not torch's list of overloads
    with raises_prefix(
        TypeError,
        "sum() received an invalid combination of arguments - got (float), but expected one of:",
    ):
        X.sum(1.5)
    with raises(TypeError, "amax(): argument 'dim' (position 1) must be tuple of ints, not str"):
        X.amax("0")
    with raises(
        TypeError,
        "sum(): argument 'dim' failed to unpack the object at pos 2 with error \"type must be tuple of ints,but got float\"",
    ):
        X.sum((0, 1.5))
    for op in ("cumsum", "softmax", "log_softmax", "prod"):
        with raises(TypeError, f"{op}(): argument 'dim' (position 1) must be int, not tuple"):
            getattr(X, op)((0, 1))
    with raises(TypeError, "softmax(): argument 'dim' (position 1) must be int, not NoneType"):
        X.softmax(None)
    with raises(TypeError, "max(): argument 'dim' (position 1) must be int, not float"):
        X.max(1.0)


@pytest.mark.parametrize("op", ["sum", "mean"])
def test_keepdim_without_dim(op):
    # up to the overloads: the test pins what the call got, not torch's list of overloads
    with raises_prefix(
        TypeError, f"{op}() received an invalid combination of arguments - got (keepdim=bool, )"
    ):
        getattr(X, op)(keepdim=True)


@pytest.mark.parametrize("op", ["max", "min", "amax", "amin"])
def test_full_reduction_of_an_empty_tensor(op):
    message = f"{op}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument."
    with raises(RuntimeError, message):
        getattr(ak.zeros(0), op)()


@pytest.mark.parametrize("op", ["max", "min", "amax", "amin", "argmax", "argmin"])
def test_reducing_an_empty_dim(op):
    with raises(IndexError, f"{op}(): Expected reduction dim 0 to have non-zero size."):
        getattr(ak.zeros(0, 3), op)(0)


@pytest.mark.parametrize("op", ["max", "min", "argmax", "argmin"])
def test_reducing_a_non_empty_dim_of_an_empty_tensor(op):
    out = getattr(ak.zeros(0, 3), op)(1)
    assert (out[0] if isinstance(out, tuple) else out).shape == (0,)


@pytest.mark.parametrize("op", ["argmax", "argmin"])
def test_arg_reductions(op):
    with raises(IndexError, f"{op}(): Expected reduction dim to be specified for input.numel() == 0."):
        getattr(ak.zeros(0), op)()
    with raises(RuntimeError, f"{op}(): does not support bool input"):
        getattr(ak.tensor([True, False]), op)()


@pytest.mark.parametrize("op, kernel", [("softmax", "softmax"), ("log_softmax", "log_softmax")])
def test_softmax_of_integers(op, kernel):
    ints = ak.tensor([[0, 1, 2], [3, 4, 5]])
    with raises(NotImplementedError, f"\"{kernel}_lastdim_kernel_impl\" not implemented for 'Long'"):
        getattr(ints, op)(1)
    with raises(NotImplementedError, f"\"{kernel}_kernel_impl\" not implemented for 'Long'"):
        getattr(ints, op)(0)
    with raises(NotImplementedError, f"\"{kernel}_kernel_impl\" not implemented for 'Long'"):
        getattr(X, op)(0, dtype=ak.int64)


@pytest.mark.parametrize("op", ["var", "std"])
def test_var_std_of_integers(op):
    with pytest.raises(RuntimeError, match="std and var only support floating point and complex dtypes"):
        getattr(ak.tensor([1, 2]), op)()
    expected = (
        f"{op}() received an invalid combination of arguments - got (int, correction=int, unbiased=bool), but "
        "expected one of:\n * (tuple of ints dim, bool unbiased = True, bool keepdim = False)\n      didn't match "
        "because some of the keywords were incorrect: correction, unbiased\n * (tuple of ints dim = None, *, Number "
        "correction = None, bool keepdim = False)\n * (bool unbiased = True)\n"
    )
    with pytest.raises(TypeError) as info:
        getattr(X, op)(0, unbiased=True, correction=0)
    assert str(info.value) == expected
    # up to the overloads: this row pins what the call got (the full list is checked above)
    with raises_prefix(
        TypeError,
        f"{op}() received an invalid combination of arguments - got (correction=int, unbiased=bool, ), but "
        "expected one of:",
    ):
        getattr(X, op)(unbiased=False, correction=1)


def test_norm_errors():
    with raises(
        RuntimeError,
        "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long",
    ):
        ak.tensor([1, 2]).norm()
    with raises(
        RuntimeError,
        "linalg.vector_norm: dtype should be floating point or complex, but got Long",
    ):
        X.norm(dtype=ak.int64)
    with raises(RuntimeError, "linalg.matrix_norm: Order abc not supported."):
        X.norm(p="abc")
    with pytest.raises(NotImplementedError, match="p='nuc'"):
        X.norm(p="nuc")
    with raises(
        RuntimeError,
        "linalg.vector_norm cannot compute the inf norm on an empty tensor because the operation does not "
        "have an identity",
    ):
        ak.zeros(0).norm(p=float("inf"))
    with raises(
        RuntimeError,
        "linalg.vector_norm cannot compute the -inf norm on an empty tensor because the operation does not "
        "have an identity",
    ):
        ak.zeros(0).norm(p=-float("inf"))
    with raises(
        RuntimeError,
        "linalg.vector_norm cannot compute the inf norm on the dimension 0because this dimension is empty "
        "and the operation does not have an identity",
    ):
        ak.zeros(0, 2).norm(p=float("inf"), dim=0)
    assert ak.zeros(0, 2).norm(p=float("inf"), dim=1).shape == (0,)


def test_logsumexp_needs_dim():
    with pytest.raises(TypeError, match="dim"):
        ak.logsumexp(X)
