"""Higher-order gradients through a custom ``autograd.Function``: double backward, and
@once_differentiable (first order works, second order raises as in torch 2.13).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.autograd import Function, once_differentiable
from tests.helpers import arr, leaf


def test_custom_function_double_backward():
    # torch: grad_fn MulBackward0 and x.grad = 2 for d2(x^2)/dx2
    class Sq(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = leaf([3.0])
    (gx,) = ak.autograd.grad(Sq.apply(x), x, create_graph=True)
    np.testing.assert_array_equal(arr(gx), [6.0])
    assert gx.grad_fn is not None
    gx.backward()
    np.testing.assert_array_equal(arr(x.grad), [2.0])


class Once(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        assert not ak.is_grad_enabled()
        return 2 * x * g


def test_once_differentiable_first_order():
    x = leaf([3.0])
    Once.apply(x).sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [6.0])


def test_once_differentiable_second_order_raises():
    # torch: gx has grad_fn <Error>, and its backward raises
    x, v = leaf([3.0]), leaf([1.0])
    (gx,) = ak.autograd.grad(Once.apply(x), x, grad_outputs=v, create_graph=True)
    np.testing.assert_array_equal(arr(gx), [6.0])
    assert gx.requires_grad and gx.grad_fn.name() == "Error"
    with pytest.raises(
        RuntimeError,
        match=re.escape("trying to differentiate twice a function that was marked with @once_differentiable"),
    ):
        gx.backward()


def test_once_differentiable_with_constant_grad_output_is_plain():
    # torch: with a grad_output that needs no grad the result is just a tensor (no grad_fn)
    x = leaf([3.0])
    (gx,) = ak.autograd.grad(Once.apply(x), x, create_graph=True)
    assert gx.grad_fn is None and not gx.requires_grad
