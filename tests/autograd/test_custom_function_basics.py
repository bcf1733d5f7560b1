"""User-defined ``autograd.Function``: the forward/backward contract (the node it records, grad
mode inside forward and backward), ctx attributes and needs_input_grad, gradients for inputs
without grad, save_for_backward without reference cycles, and use inside a larger graph.
Each behaviour was checked against torch 2.13 (its outputs are quoted in comments).
"""

from __future__ import annotations

import gc
import re
import weakref

import numpy as np

import autograd_kit as ak
from autograd_kit.autograd import Function
from tests.helpers import SECOND_BACKWARD, arr, const, leaf, raises


class Cube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * x * x


def test_forward_backward_and_graph():
    xs = np.array([1.0, -2.0, 0.5])
    x = leaf(xs)
    y = Cube.apply(x)
    np.testing.assert_allclose(arr(y), xs**3)
    assert y.grad_fn.name() == "CubeBackward"
    assert re.fullmatch(r"<CubeBackward object at 0x[0-9a-f]+>", repr(y.grad_fn))
    assert y.grad_fn.next_functions == ((x._grad_accumulator(), 0),)
    assert not y.is_leaf and y.requires_grad
    y.sum().backward()
    np.testing.assert_allclose(arr(x.grad), 3 * xs**2)


def test_forward_runs_without_recording_and_backward_too():
    # torch: "in fwd enabled False True", "in bwd enabled False"
    seen = {}

    class Check(Function):
        @staticmethod
        def forward(ctx, x):
            seen["forward"] = (ak.is_grad_enabled(), x.requires_grad, (x * 2).grad_fn is None)
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            seen["backward"] = ak.is_grad_enabled()
            return grad * 2

    Check.apply(leaf([1.0])).sum().backward()
    assert seen == {"forward": (False, True, True), "backward": False}


def test_no_node_without_grad():
    x = const([1.0, 2.0])
    assert Cube.apply(x).grad_fn is None
    with ak.no_grad():
        y = Cube.apply(leaf([1.0]))
    assert y.grad_fn is None and not y.requires_grad


def test_ctx_attributes_and_non_tensor_args_with_needs_input_grad():
    # torch: needs_input_grad == (True, False, False) in forward and in backward
    seen = []

    class Scale(Function):
        @staticmethod
        def forward(ctx, x, k, flag):
            ctx.k = k
            seen.append(ctx.needs_input_grad)
            return x * k if flag else x

        @staticmethod
        def backward(ctx, grad):
            seen.append(ctx.needs_input_grad)
            return grad * ctx.k, None, None

    x = leaf([1.0, 1.0])
    Scale.apply(x, 3.0, True).sum().backward()
    assert seen == [(True, False, False), (True, False, False)]
    np.testing.assert_array_equal(arr(x.grad), [3.0, 3.0])


def test_needs_input_grad_for_tensor_without_grad():
    # torch: fwd (True, False), bw (True, False); x.grad = c
    seen = []

    class Mul2(Function):
        @staticmethod
        def forward(ctx, a, b):
            seen.append(ctx.needs_input_grad)
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, grad):
            a, b = ctx.saved_tensors
            seen.append(ctx.needs_input_grad)
            return (grad * b if ctx.needs_input_grad[0] else None), (
                grad * a if ctx.needs_input_grad[1] else None
            )

    x, c = leaf([1.0, 2.0]), const([3.0, 4.0])
    Mul2.apply(x, c).sum().backward()
    assert seen == [(True, False), (True, False)]
    np.testing.assert_array_equal(arr(x.grad), [3.0, 4.0])


def test_gradient_returned_for_input_without_grad_is_dropped():
    class Mul3(Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, grad):
            a, b = ctx.saved_tensors
            return grad * b, grad * a

    x, c = leaf([1.0, 2.0]), const([3.0, 4.0])
    Mul3.apply(x, c).sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [3.0, 4.0])
    assert c.grad is None


def test_saved_output_makes_no_reference_cycle():
    class SaveOut(Function):
        @staticmethod
        def forward(ctx, x):
            y = x * 2
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    gc.collect()
    gc.disable()
    try:
        x = leaf([1.0, 2.0])
        y = SaveOut.apply(x)
        ref = weakref.ref(y.grad_fn)
        del y
        assert ref() is None  # torch: freed True
    finally:
        gc.enable()
    y = SaveOut.apply(x)
    y.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [2.0, 4.0])
    with raises(RuntimeError, SECOND_BACKWARD):
        y.grad_fn.saved_tensors  # noqa: B018


def test_custom_function_in_larger_graph_with_broadcasting():
    rng = np.random.default_rng(1)
    av, bv = rng.uniform(0.5, 1.5, (3, 1)), rng.uniform(0.5, 1.5, (4,))
    a, b = leaf(av), leaf(bv)
    out = (Cube.apply(a) * b + Cube.apply(b)).sum()
    out.backward()
    np.testing.assert_allclose(arr(a.grad), 3 * av**2 * bv.sum())
    np.testing.assert_allclose(arr(b.grad), (av**3).sum() + 3 * 3 * bv**2)
