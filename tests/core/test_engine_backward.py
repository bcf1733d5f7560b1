"""backward(): gradients accumulating across calls, retain_graph, create_graph and higher
derivatives, the gradient argument (non-scalar roots, shape mismatches) and errors about roots.

Expected values come from closed-form derivatives computed with NumPy; error texts were checked
against torch 2.13.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import SECOND_BACKWARD, arr, const, leaf, raises

# --- accumulation, retain_graph, create_graph ---------------------------------------------------


def test_grad_accumulates_across_backward_calls():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    np.testing.assert_array_equal(arr(x.grad), [2.0, 4.0])
    y.backward()
    np.testing.assert_array_equal(arr(x.grad), [4.0, 8.0])
    (x * 3).sum().backward()  # a new graph adds too
    np.testing.assert_array_equal(arr(x.grad), [7.0, 11.0])
    x.grad = None
    (x * 3).sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [3.0, 3.0])


def test_second_backward_without_retain_graph_raises():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    with raises(RuntimeError, SECOND_BACKWARD):
        y.backward()


def test_graph_without_saved_values_can_be_rerun():
    # Only saved tensors are freed; x + 1 saves nothing (as in PyTorch, which allows this too).
    x = leaf([1.0, 2.0])
    y = (x + 1).sum()
    y.backward()
    y.backward()
    np.testing.assert_array_equal(arr(x.grad), [2.0, 2.0])


def test_create_graph_second_and_third_derivatives():
    xs = np.array([-1.5, 0.5, 2.0])
    x = leaf(xs)
    y = (x**3).sum()
    (g,) = ak.autograd.grad(y, x, create_graph=True)
    np.testing.assert_allclose(arr(g), 3 * xs**2)
    assert g.grad_fn is not None and g.requires_grad
    (h,) = ak.autograd.grad(g.sum(), x, create_graph=True)
    np.testing.assert_allclose(arr(h), 6 * xs)
    (t,) = ak.autograd.grad(h.sum(), x)
    np.testing.assert_allclose(arr(t), [6.0, 6.0, 6.0])
    assert t.grad_fn is None


def test_backward_create_graph_makes_grad_differentiable():
    xs = np.array([0.5, 2.0])
    x = leaf(xs)
    (x**3).sum().backward(create_graph=True)
    assert x.grad.grad_fn is not None
    np.testing.assert_allclose(arr(x.grad), 3 * xs**2)
    g = x.grad
    x.grad = None
    g.sum().backward()
    np.testing.assert_allclose(arr(x.grad), 6 * xs)


def test_plain_backward_grad_has_no_grad_fn():
    x = leaf([1.0])
    (x * x).sum().backward()
    assert x.grad.grad_fn is None and not x.grad.requires_grad


def test_mixed_second_derivative():
    # f = x^2 y: d2f/dxdy = 2x
    x, y = leaf([1.5]), leaf([-2.0])
    (gx,) = ak.autograd.grad((x * x * y).sum(), x, create_graph=True)
    (gxy,) = ak.autograd.grad(gx.sum(), y)
    np.testing.assert_allclose(arr(gxy), [3.0])


# --- gradient argument and root errors ----------------------------------------------------------


def test_backward_with_gradient_for_non_scalar():
    xs = np.array([1.0, -2.0, 3.0])
    v = np.array([0.5, 1.0, -1.0])
    x = leaf(xs)
    (x * x).backward(gradient=const(v))
    np.testing.assert_allclose(arr(x.grad), 2 * xs * v)


def test_gradient_is_not_modified_or_aliased():
    x = leaf([1.0, 2.0])
    v = const([1.0, 1.0])
    (x + 0).backward(v)  # pass-through: x.grad must be a copy of v
    x.grad.add_(5)
    np.testing.assert_array_equal(arr(v), [1.0, 1.0])


def test_non_scalar_without_gradient_raises():
    x = leaf([1.0, 2.0])
    with pytest.raises(
        RuntimeError, match=re.escape("grad can be implicitly created only for scalar outputs")
    ):
        (x * 2).backward()


def test_one_element_non_scalar_backward_is_implicit():
    x = leaf([[3.0]])
    (x * x).backward()  # one element, any shape: torch accepts it
    np.testing.assert_array_equal(arr(x.grad), [[6.0]])


@pytest.mark.parametrize(
    "shape, gshape, msg",
    [
        (
            (3,),
            (2,),
            "Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a shape of torch.Size([3]).",
        ),
        (
            (2, 3),
            (3, 2),
            "Mismatch in shape: grad_output[0] has a shape of torch.Size([3, 2]) and output[0] has a shape of torch.Size([2, 3]).",
        ),
    ],
)
def test_gradient_shape_mismatch(shape, gshape, msg):
    x = leaf(np.ones(shape))
    with raises(RuntimeError, msg):
        (x * 2).backward(const(np.ones(gshape)))


def test_backward_on_tensor_without_grad():
    with pytest.raises(
        RuntimeError,
        match=re.escape("element 0 of tensors does not require grad and does not have a grad_fn"),
    ):
        const([1.0, 2.0]).sum().backward()
    x = leaf([1.0])
    with pytest.raises(
        RuntimeError,
        match=re.escape("element 1 of tensors does not require grad and does not have a grad_fn"),
    ):
        ak.autograd.backward([(x * 2).sum(), const([1.0]).sum()])


def test_backward_of_a_leaf_itself():
    x = leaf([1.0, 2.0])
    x.backward(const([3.0, 4.0]))
    np.testing.assert_array_equal(arr(x.grad), [3.0, 4.0])


def test_autograd_backward_several_roots():
    x = leaf([1.0, 2.0])
    ak.autograd.backward([(x * x).sum(), (x * 3).sum()])
    np.testing.assert_array_equal(arr(x.grad), [5.0, 7.0])
    x.grad = None
    ak.autograd.backward([x * x, x * 3], [const([1.0, 0.0]), const([0.0, 1.0])])
    np.testing.assert_array_equal(arr(x.grad), [2.0, 3.0])
