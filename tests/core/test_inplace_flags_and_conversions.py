"""requires_grad flags (non-leaf, integer and bool tensors, factories), numpy() on tensors that
require grad and memory sharing, and item(). Error texts checked against torch 2.13.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import const32 as const
from tests.helpers import leaf32 as leaf
from tests.helpers import raises


def test_requires_grad_on_non_leaf():
    y = leaf([1.0]) * 2
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "you can only change requires_grad flags of leaf variables. If you want to use a computed "
            "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
        ),
    ):
        y.requires_grad = False
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "you can only change requires_grad flags of leaf variables. If you want to use a computed "
            "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
        ),
    ):
        y.requires_grad_(False)
    # torch: the attribute refuses True too (short message); the method accepts it as a no-op
    with pytest.raises(RuntimeError, match=r"^you can only change requires_grad flags of leaf variables\.$"):
        y.requires_grad = True
    assert y.requires_grad_() is y and y.requires_grad_(True) is y


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.bool_])
def test_requires_grad_on_integer_and_bool_tensors(dtype):
    t = const([1, 0], dtype)
    with pytest.raises(
        RuntimeError,
        match=r"^" + re.escape("only Tensors of floating point dtype can require gradients") + "$",
    ):
        t.requires_grad_()
    with pytest.raises(
        RuntimeError,
        match=re.escape("Only Tensors of floating point and complex dtype can require gradients"),
    ):
        t.requires_grad = True
    t.requires_grad = False  # allowed: torch accepts False for any dtype
    t.requires_grad_(False)
    assert not t.requires_grad


def test_requires_grad_toggle_on_leaf():
    x = const([1.0])
    assert x.requires_grad_() is x and x.requires_grad
    x.requires_grad = False
    assert not x.requires_grad and (x * 2).grad_fn is None


def test_numpy_on_tensor_requiring_grad():
    msg = "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
    x = leaf([1.0])
    with raises(RuntimeError, msg):
        x.numpy()
    with raises(RuntimeError, msg):
        (x * 2).numpy()
    with raises(RuntimeError, msg):
        np.asarray(x)
    np.testing.assert_array_equal(x.detach().numpy(), [1.0])


def test_numpy_shares_memory():
    c = const([1.0, 2.0])
    c.numpy()[0] = 9
    np.testing.assert_array_equal(c.numpy(), [9.0, 2.0])


@pytest.mark.parametrize("shape, n", [((2,), 2), ((2, 3), 6), ((0,), 0)])
def test_item_on_many_elements(shape, n):
    with pytest.raises(
        RuntimeError, match=re.escape(f"a Tensor with {n} elements cannot be converted to Scalar")
    ):
        const(np.ones(shape)).item()


def test_item_on_one_element():
    x = leaf([[2.5]])
    assert x.item() == 2.5 and isinstance(x.item(), float)
    assert const(3, np.int64).item() == 3 and isinstance(const(3, np.int64).item(), int)


def test_factory_requires_grad_on_integer_data():
    # torch words the factory path with a capital O (the method and the attribute differ, above)
    with pytest.raises(
        RuntimeError,
        match=r"^"
        + re.escape("Only Tensors of floating point and complex dtype can require gradients")
        + "$",
    ):
        ak.tensor([1, 2], requires_grad=True)
    with pytest.raises(
        RuntimeError,
        match=r"^"
        + re.escape("Only Tensors of floating point and complex dtype can require gradients")
        + "$",
    ):
        ak.ones(2, dtype=ak.int64, requires_grad=True)
