"""User-defined ``autograd.Function``: the forward/backward contract, ctx features
(save_for_backward, needs_input_grad, mark_dirty, mark_non_differentiable,
set_materialize_grads), several outputs, once_differentiable and every error message.
Each behaviour was checked against torch 2.13 (its outputs are quoted in comments).
"""

from __future__ import annotations

import gc
import re
import weakref

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.autograd import Function, once_differentiable

SECOND_BACKWARD = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)


def leaf(values, dtype=np.float64):
    return ak.tensor(np.array(values, dtype=dtype), requires_grad=True)


def const(values, dtype=np.float64):
    return ak.tensor(np.array(values, dtype=dtype))


def arr(t):
    return t.detach().numpy()


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


def test_several_outputs_share_one_node():
    class Two(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 * 2 + g2 * 3

    x = leaf([1.0, 2.0])
    p, q = Two.apply(x)
    assert p.grad_fn is q.grad_fn and p.grad_fn.name() == "TwoBackward"
    assert (p._output_nr, q._output_nr) == (0, 1)
    (p * q).sum().backward()  # d(6x^2)/dx
    np.testing.assert_allclose(arr(x.grad), 12 * np.array([1.0, 2.0]))


@pytest.mark.parametrize("materialize", [True, False])
def test_unused_output_gradient_materialized_or_none(materialize):
    # torch: materialize -> (tensor([0., 0.]), tensor([1., 1.])); else (None, tensor([1., 1.]))
    received = []

    class Two(Function):
        @staticmethod
        def forward(ctx, x, m):
            ctx.set_materialize_grads(m)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            received.append((g1, g2))
            first = g1 * 2 if g1 is not None else 0
            return first + g2 * 3, None

    x = leaf([1.0, 2.0])
    _, q = Two.apply(x, materialize)
    q.sum().backward()
    g1, g2 = received[0]
    if materialize:
        np.testing.assert_array_equal(arr(g1), [0.0, 0.0])
        assert isinstance(g1, ak.Tensor)
    else:
        assert g1 is None
    np.testing.assert_array_equal(arr(g2), [1.0, 1.0])
    np.testing.assert_array_equal(arr(x.grad), [3.0, 3.0])


def test_non_tensor_output_passes_through_and_gets_none():
    # torch: b == 7, backward gets g2 None even with materialize_grads on
    received = []

    class Mixed(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, 7

        @staticmethod
        def backward(ctx, g, g2):
            received.append(g2)
            return g * 2

    x = leaf([1.0, 2.0])
    a, b = Mixed.apply(x)
    assert b == 7
    a.sum().backward()
    assert received == [None]
    np.testing.assert_array_equal(arr(x.grad), [2.0, 2.0])


def test_returning_an_input_makes_a_new_tensor():
    # torch: y is not x, x stays a leaf, same storage, grad 5
    class Ident(Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 5

    x = leaf([1.0, 2.0])
    y = Ident.apply(x)
    assert y is not x and x.is_leaf and x.grad_fn is None
    assert y.grad_fn.name() == "IdentBackward" and y._version == 0
    assert np.shares_memory(arr(y), arr(x))
    y.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [5.0, 5.0])


class Double_(Function):
    """Doubles its input in place."""

    @staticmethod
    def forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        ctx.save_for_backward(x)
        return x

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        assert y.grad_fn is ctx  # a saved dirty output is the output, owned by this node
        return g * 2


def test_mark_dirty_rebinds_the_input_in_place():
    # torch: d is c, version 2 (mul_ + the dirty bump), x.grad = 2
    x = leaf([1.0, 2.0])
    c = x * 1
    d = Double_.apply(c)
    assert d is c and c._version == 2
    assert c.grad_fn.name() == "Double_Backward"
    np.testing.assert_array_equal(arr(c), [2.0, 4.0])
    d.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [2.0, 2.0])


def test_mark_dirty_saved_output_then_modified():
    # torch: "... which is output 0 of Double_, is at version 3; expected version 2 instead."
    x = leaf([1.0, 2.0])
    d = Double_.apply(x * 1)
    d.add_(1)
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "[torch.DoubleTensor [2]], which is output 0 of Double_, is at version 3; expected version 2 instead."
        ),
    ):
        d.sum().backward()


def test_mark_dirty_on_leaf_requiring_grad():
    x = leaf([1.0, 2.0])
    with pytest.raises(
        RuntimeError,
        match=re.escape("a leaf Variable that requires grad has been used in an in-place operation."),
    ):
        Double_.apply(x)


def test_mark_non_differentiable():
    # torch: v.requires_grad True, idx.requires_grad False, backward gets a zero for idx
    received = []

    class WithIndex(Function):
        @staticmethod
        def forward(ctx, x):
            idx = x.detach().argmax().to(ak.float64)
            ctx.mark_non_differentiable(idx)
            return x * 2, idx

        @staticmethod
        def backward(ctx, g, g_idx):
            received.append(g_idx)
            return g * 2

    x = leaf([1.0, 5.0, 2.0])
    v, idx = WithIndex.apply(x)
    assert v.requires_grad and not idx.requires_grad and idx.grad_fn is None
    assert idx.item() == 1.0
    v.sum().backward()
    np.testing.assert_array_equal(arr(received[0]), 0.0)
    np.testing.assert_array_equal(arr(x.grad), [2.0, 2.0, 2.0])


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
    with pytest.raises(RuntimeError, match=re.escape(SECOND_BACKWARD)):
        y.grad_fn.saved_tensors  # noqa: B018


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


def test_wrong_number_of_gradients():
    class TooFew(Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return g

    class TooMany(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g, g

    class ExtraNone(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2, None

    a, b = leaf([1.0, 1.0]), leaf([1.0, 1.0])
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "function TooFewBackward returned an incorrect number of gradients (expected 2, got 1)"
        ),
    ):
        TooFew.apply(a, b).sum().backward()
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "function TooManyBackward returned an incorrect number of gradients (expected 1, got 2)"
        ),
    ):
        TooMany.apply(a).sum().backward()
    ExtraNone.apply(a).sum().backward()  # torch tolerates trailing Nones
    np.testing.assert_array_equal(arr(a.grad), [2.0, 2.0])


def test_gradient_of_wrong_type():
    class Bad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return 3.0

    with pytest.raises(RuntimeError, match=re.escape("expected Variable or None (got float)")):
        Bad.apply(leaf([1.0])).sum().backward()


def test_gradient_of_wrong_shape():
    class WrongShape(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return const(np.ones(3))

    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "Function WrongShapeBackward returned an invalid gradient at index 0 - got [3] but expected "
            "shape compatible with [2]"
        ),
    ):
        WrongShape.apply(leaf([1.0, 1.0])).sum().backward()


def test_broadcastable_gradient_is_summed_to_input_shape():
    # torch: a (3, 2) gradient for a (2,) input is summed -> [3, 3]
    class Broad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return const(np.ones((3, 2)))

    x = leaf([1.0, 1.0])
    Broad.apply(x).sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [3.0, 3.0])


def test_missing_forward_or_backward():
    class NoBackward(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    class NoForward(Function):
        pass

    with pytest.raises(
        NotImplementedError,
        match=re.escape(
            "You must implement either the backward or vjp method for your custom autograd.Function to use it "
            "with backward mode AD."
        ),
    ):
        NoBackward.apply(leaf([1.0])).sum().backward()
    with pytest.raises(
        NotImplementedError,
        match=re.escape("You must implement the forward function for custom autograd.Function."),
    ):
        NoForward.apply(leaf([1.0]))


def test_custom_function_in_larger_graph_with_broadcasting():
    rng = np.random.default_rng(1)
    av, bv = rng.uniform(0.5, 1.5, (3, 1)), rng.uniform(0.5, 1.5, (4,))
    a, b = leaf(av), leaf(bv)
    out = (Cube.apply(a) * b + Cube.apply(b)).sum()
    out.backward()
    np.testing.assert_allclose(arr(a.grad), 3 * av**2 * bv.sum())
    np.testing.assert_allclose(arr(b.grad), (av**3).sum() + 3 * 3 * bv**2)
