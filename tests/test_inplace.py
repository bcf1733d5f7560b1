"""In-place operations: leaf checks, version counters, the saved-tensor version error (texts
checked against torch 2.13 for each scenario), gradients through in-place ops on non-leaves,
detach()/.data semantics and the requires_grad/numpy/item errors.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.autograd import gradcheck

LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."
HINT = (
    " Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
    "with torch.autograd.set_detect_anomaly(True, check_nan=False)."
)


def modified(desc: str, version: int, expected: int = 0) -> str:
    """torch's message for a saved tensor modified in place (``desc`` includes the 'which is' part)."""
    return (
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: {desc} is at version {version}; expected version {expected} instead." + HINT
    )


def leaf(values, dtype=np.float32):
    return ak.tensor(np.array(values, dtype=dtype), requires_grad=True)


def const(values, dtype=np.float32):
    return ak.tensor(np.array(values, dtype=dtype))


def arr(t):
    return t.detach().numpy()


# --- leaves ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "op",
    [
        lambda t: t.add_(1),
        lambda t: t.sub_(1),
        lambda t: t.mul_(2),
        lambda t: t.div_(2),
        lambda t: t.pow_(2),
        lambda t: t.neg_(),
        lambda t: t.__iadd__(1),
        lambda t: t.__imul__(2),
    ],
)
def test_inplace_on_leaf_requiring_grad_raises(op):
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match=re.escape(LEAF_INPLACE)):
        op(x)
    # nothing was written and the version did not move
    np.testing.assert_array_equal(arr(x), [1.0, 2.0])
    assert x._version == 0


def test_augmented_assignment_on_leaf_raises():
    x = leaf([1.0])
    with pytest.raises(RuntimeError, match=re.escape(LEAF_INPLACE)):
        x += 1


def test_inplace_on_leaf_allowed_under_no_grad():
    # how optimizers update weights
    x = leaf([1.0, 2.0])
    with ak.no_grad():
        out = x.sub_(const([0.5, 0.5]))
        x *= 2
    assert out is x
    np.testing.assert_array_equal(arr(x), [1.0, 3.0])
    assert x.is_leaf and x.requires_grad and x.grad_fn is None
    assert x._version == 2


def test_inplace_on_leaf_without_grad_is_fine():
    c = const([1.0, 2.0])
    c.add_(1)
    np.testing.assert_array_equal(c.numpy(), [2.0, 3.0])
    assert c.grad_fn is None


# --- version counters ------------------------------------------------------------------------------


def test_version_bumps_on_each_inplace_op():
    # torch: [0, 1, 2, 3, 4, 5, 6]
    x = leaf([1.0, 2.0, 3.0])
    versions = [x._version]
    with ak.no_grad():
        x.add_(1)
        versions.append(x._version)
        x.mul_(2)
        versions.append(x._version)
        x -= 1
        versions.append(x._version)
        x /= 2
        versions.append(x._version)
        x.pow_(1)
        versions.append(x._version)
        x.neg_()
        versions.append(x._version)
    assert versions == [0, 1, 2, 3, 4, 5, 6]
    np.testing.assert_allclose(arr(x), [-1.5, -2.5, -3.5])


def test_out_of_place_results_start_at_version_zero():
    x = leaf([1.0])
    with ak.no_grad():
        x.add_(1)
    assert (x * 1)._version == 0


def test_detach_shares_storage_and_version_counter():
    x = leaf([1.0, 2.0])
    d = x.detach()
    assert d.is_leaf and not d.requires_grad and d.grad_fn is None
    d.add_(1)
    np.testing.assert_array_equal(arr(x), [2.0, 3.0])
    assert x._version == d._version == 1
    y = x * 2
    yd = y.detach()
    assert yd.is_leaf and not yd.requires_grad
    yd.mul_(0)
    np.testing.assert_array_equal(arr(y), [0.0, 0.0])
    assert y._version == 1


def test_data_shares_storage_but_not_version_counter():
    # torch: x.data.add_(1) leaves x._version at 0
    x = leaf([1.0, 2.0])
    data = x.data
    assert not data.requires_grad and data.is_leaf
    data.add_(1)
    np.testing.assert_array_equal(arr(x), [2.0, 3.0])
    assert x._version == 0 and data._version == 1


def test_modification_through_data_bypasses_version_check():
    # torch: y = x*x; x.data.mul_(2); backward gives 2 * (new x) = [8, 12]
    x = leaf([2.0, 3.0])
    y = x * x
    x.data.mul_(2)
    y.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [8.0, 12.0])


def test_data_assignment_replaces_values_keeps_flags():
    x = leaf([1.0, 2.0])
    x.data = const([5.0, 6.0])
    np.testing.assert_array_equal(arr(x), [5.0, 6.0])
    assert x.requires_grad and x.is_leaf


# --- modified saved tensors ------------------------------------------------------------------------


def test_saved_input_modified_names_the_inplace_op():
    x = leaf([1.0, 1.0, 1.0])
    y = x * 2
    z = y * y  # saves y
    y.mul_(3)  # y's grad_fn is now the mul_ node
    with pytest.raises(
        RuntimeError, match=re.escape(modified("[torch.FloatTensor [3]], which is output 0 of Mul,", 1))
    ):
        z.sum().backward()


def test_saved_input_modified_twice_reports_current_version():
    x = leaf([1.0, 1.0, 1.0])
    y = x * 2
    z = y * y
    y.mul_(3)
    y.mul_(3)
    with pytest.raises(
        RuntimeError, match=re.escape(modified("[torch.FloatTensor [3]], which is output 0 of Mul,", 2))
    ):
        z.sum().backward()


def test_saved_input_float64_2d_modified_by_add():
    x = leaf(np.ones((2, 3)), np.float64)
    y = x * 2
    z = y * y
    y.add_(1)
    with pytest.raises(
        RuntimeError, match=re.escape(modified("[torch.DoubleTensor [2, 3]], which is output 0 of Add,", 1))
    ):
        z.sum().backward()


def test_saved_zero_dim_modified():
    x = leaf(1.0)
    y = x * 2
    z = y * y
    y.add_(1)
    with pytest.raises(
        RuntimeError, match=re.escape(modified("[torch.FloatTensor []], which is output 0 of Add,", 1))
    ):
        z.backward()


@pytest.mark.parametrize(
    "make, label",
    [
        (lambda x: 2 - x, "Rsub1"),
        (lambda x: x ** const([1.0, 1.0, 1.0]), "Pow1"),
        (lambda x: 2.0**x, "Pow2"),
        (lambda x: x / 2, "Div"),
    ],
)
def test_modified_through_detach_names_the_creating_op(make, label):
    # detach() shares the version counter but not grad_fn: the message names the op that made y
    x = leaf([1.0, 1.0, 1.0])
    y = make(x)
    z = y * y
    y.detach().add_(1)
    with pytest.raises(
        RuntimeError, match=re.escape(modified(f"[torch.FloatTensor [3]], which is output 0 of {label},", 1))
    ):
        z.sum().backward()


def test_saved_output_modified_names_its_own_node():
    # reciprocal saves its result; torch: "which is output 0 of Reciprocal"
    x = leaf([1.0, 2.0, 4.0])
    y = x.reciprocal()
    y.mul_(2)
    with pytest.raises(
        RuntimeError,
        match=re.escape(modified("[torch.FloatTensor [3]], which is output 0 of Reciprocal,", 1)),
    ):
        y.sum().backward()


@pytest.mark.parametrize("name, label", [("exp", "Exp"), ("sigmoid", "Sigmoid"), ("tanh", "Tanh")])
def test_saved_output_of_pointwise_modified(name, label):
    x = leaf([0.0, 1.0, 2.0])
    y = getattr(x, name)()
    w = y * 1  # keeps the original node reachable after y is rebound
    y.add_(1)
    with pytest.raises(
        RuntimeError, match=re.escape(modified(f"[torch.FloatTensor [3]], which is output 0 of {label},", 1))
    ):
        w.sum().backward()


def test_leaf_saved_and_modified_under_no_grad():
    # a leaf has no grad_fn: torch omits the "which is output" part
    x = leaf([1.0, 1.0, 1.0])
    y = x * x
    with ak.no_grad():
        x.add_(1)
    with pytest.raises(RuntimeError, match=re.escape(modified("[torch.FloatTensor [3]]", 1))):
        y.sum().backward()


def test_leaf_without_grad_saved_and_modified():
    a = const([1.0, 1.0, 1.0])
    x = leaf([1.0, 1.0, 1.0])
    y = x * a
    a.add_(1)
    with pytest.raises(RuntimeError, match=re.escape(modified("[torch.FloatTensor [3]]", 1))):
        y.sum().backward()


def test_unsaved_input_may_be_modified():
    # x + c saves nothing, so modifying c afterwards is harmless
    x, c = leaf([1.0, 2.0]), const([3.0, 4.0])
    y = x + c
    c.mul_(10)
    y.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [1.0, 1.0])


def test_operand_saved_only_for_the_other_gradient_may_be_modified():
    # torch saves a*b's self only when other requires grad: y*2 keeps no reference to y, so
    # modifying y afterwards is harmless there too (x.grad = 2)
    x = leaf([1.0, 2.0])
    y = x + 1
    w = y * 2
    y.add_(1)
    w.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [2.0, 2.0])
    # ...but the constant a gradient is computed from is saved and checked
    c = const([3.0, 4.0])
    x2 = leaf([1.0, 2.0])
    v = x2 * c
    c.add_(1)
    with pytest.raises(RuntimeError, match=re.escape(modified("[torch.FloatTensor [2]]", 1))):
        v.sum().backward()


def test_pow_with_number_exponent_does_not_save_its_result():
    # torch: y = x**2; y.mul_(2) is fine, x.grad = 2 * 2x
    x = leaf([1.0, 2.0, 3.0])
    y = x**2
    y.mul_(2)
    y.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [4.0, 8.0, 12.0])


def test_version_error_also_from_autograd_grad():
    x = leaf([1.0, 2.0])
    y = x * 2
    z = y * y
    y.add_(1)
    with pytest.raises(
        RuntimeError, match=re.escape(modified("[torch.FloatTensor [2]], which is output 0 of Add,", 1))
    ):
        ak.autograd.grad(z.sum(), x)


# --- gradients through in-place ops on non-leaves ------------------------------------------------


def test_mul_inplace_on_non_leaf():
    x = leaf([1.0, 2.0, 3.0])
    y = x * 2
    y.mul_(3)
    assert y.grad_fn.name() == "MulBackward0" and y._version == 1
    y.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [6.0, 6.0, 6.0])


def test_add_inplace_with_tensor_requiring_grad():
    # torch: y = 2x; y.add_(w*w); y.mul_(x) -> x.grad = 4x + w^2, w.grad = 2wx
    xs, ws = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    x, w = leaf(xs), leaf(ws)
    y = x * 2
    y.add_(w * w)
    y.mul_(x)
    assert y.grad_fn.next_functions[0][0].name() == "AddBackward0"
    y.sum().backward()
    np.testing.assert_allclose(arr(x.grad), 4 * xs + ws**2)
    np.testing.assert_allclose(arr(w.grad), 2 * ws * xs)


def test_iadd_on_non_leaf():
    x = leaf([1.0, 2.0])
    y = x * x
    before = id(y)
    y += 1
    assert id(y) == before and y.grad_fn.name() == "AddBackward0" and y._version == 1
    y.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [2.0, 4.0])


@pytest.mark.parametrize(
    "inplace, expected",
    [
        (lambda y, x: y.pow_(2), lambda xs: 2 * xs),  # torch: [2, 4, 6]
        (lambda y, x: y.div_(x), lambda xs: 0 * xs),  # torch: [0, 0, 0]
        (lambda y, x: y.sub_(x, alpha=2).neg_(), lambda xs: np.ones_like(xs)),
        (lambda y, x: y.neg_().sub_(x, alpha=2), lambda xs: -3 * np.ones_like(xs)),  # torch: -3
        (lambda y, x: y.reciprocal_(), lambda xs: -1 / xs**2),
    ],
)
def test_inplace_chain_gradients(inplace, expected):
    xs = np.array([1.0, 2.0, 3.0])
    x = leaf(xs, np.float64)
    y = x * 1
    inplace(y, x)
    y.sum().backward()
    np.testing.assert_allclose(arr(x.grad), expected(xs))


def test_inplace_on_intermediate_passes_gradcheck():
    def f(x, w):
        y = x * w
        y.add_(x)
        y.mul_(w)
        y -= x * x
        return y

    rng = np.random.default_rng(0)
    x = leaf(rng.uniform(0.5, 2, (3, 2)), np.float64)
    w = leaf(rng.uniform(0.5, 2, (2,)), np.float64)
    assert gradcheck(f, (x, w))


def test_inplace_on_non_leaf_under_no_grad_is_not_tracked():
    # torch: grad_fn stays MulBackward0 (the original), version 1, x.grad = 2
    x = leaf([1.0, 1.0])
    y = x * 2
    node = y.grad_fn
    with ak.no_grad():
        y.mul_(3)
    assert y.grad_fn is node and y._version == 1
    np.testing.assert_array_equal(arr(y), [6.0, 6.0])
    y.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [2.0, 2.0])


def test_inplace_result_keeps_dtype_and_rejects_promotion():
    n = const([1, 2], np.int64)
    with pytest.raises(
        RuntimeError, match=re.escape("result type Float can't be cast to the desired output type Long")
    ):
        n += 2.5
    with pytest.raises(
        RuntimeError, match=re.escape("result type Float can't be cast to the desired output type Long")
    ):
        n.mul_(const([1.0, 1.0]))
    b = const([True, False], np.bool_)
    with pytest.raises(
        RuntimeError, match=re.escape("result type Long can't be cast to the desired output type Bool")
    ):
        b += 1
    f = const([1.0, 2.0])
    f *= const([2.0, 2.0], np.float64)  # torch: float32 *= float64 stays float32
    assert f.dtype == ak.float32
    np.testing.assert_array_equal(f.numpy(), [2.0, 4.0])


def test_inplace_broadcast_shape_error():
    with pytest.raises(
        RuntimeError, match=re.escape("output with shape [3] doesn't match the broadcast shape [2, 3]")
    ):
        const(np.ones(3)).add_(const(np.ones((2, 3))))


# --- flags and conversions -------------------------------------------------------------------------


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
    with pytest.raises(RuntimeError, match=re.escape(msg)):
        x.numpy()
    with pytest.raises(RuntimeError, match=re.escape(msg)):
        (x * 2).numpy()
    with pytest.raises(RuntimeError, match=re.escape(msg)):
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


VIEW_OF_LEAF = "a view of a leaf Variable that requires grad is being used in an in-place operation."


@pytest.mark.parametrize(
    "view", [lambda x: x.view(2, 2), lambda x: x[1:3], lambda x: x[0]], ids=["view", "slice", "select"]
)
def test_inplace_on_view_of_leaf_raises(view):
    x = leaf([1.0, 2.0, 3.0, 4.0])
    with pytest.raises(RuntimeError, match=re.escape(VIEW_OF_LEAF)):
        view(x).add_(1)
    np.testing.assert_array_equal(arr(x), [1.0, 2.0, 3.0, 4.0])


def test_views_share_storage_and_version_counter():
    # torch: under no_grad x[1:3].mul_(10) writes into x; both versions are 1
    x = leaf([1.0, 2.0, 3.0, 4.0])
    with ak.no_grad():
        v = x[1:3]
        v.mul_(10)
    np.testing.assert_array_equal(arr(x), [1.0, 20.0, 30.0, 4.0])
    assert x._version == v._version == 1
    y = x * 1
    w = y.view(2, 2)
    assert w._version == 0
    y.add_(1)
    assert w._version == 1  # torch: 1


def test_inplace_on_view_of_graph_tensor_rebases_the_graph():
    # torch 2.13: x.grad == [1, 10, 10, 1], and y's node is CopySlices
    x = leaf([1.0, 2.0, 3.0, 4.0])
    y = x * 1
    y[1:3].mul_(10)
    assert y.grad_fn.name() == "torch::autograd::CopySlices"
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1.0, 10.0, 10.0, 1.0])


def test_augmented_assignment_into_an_index_of_a_graph_tensor():
    # torch 2.13: y[0] += 1 on y = x*2 gives x.grad == [2, 2, 2]
    x = leaf([1.0, 2.0, 3.0])
    y = x * 2
    y[0] += 1
    assert y.tolist() == [3.0, 4.0, 6.0]
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 2.0, 2.0])


def test_view_taken_before_an_inplace_write_to_its_base_sees_the_new_graph():
    # torch 2.13: v = y[0:2]; y.mul_(3); v.sum().backward() gives [6, 6, 0], not the stale [2, 2, 0]
    x = leaf([1.0, 2.0, 3.0])
    y = x * 2
    v = y[0:2]
    y.mul_(3)
    v.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 6.0, 0.0])


def test_inplace_through_a_reshaped_view_flows_to_the_base():
    # torch 2.13: y = x*2; y.view(3, 1).add_(x.view(3, 1)); y.sum() gives x.grad == [3, 3, 3]
    x = leaf([1.0, 2.0, 3.0])
    y = x * 2
    y.view(3, 1).add_(x.view(3, 1))
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 3.0, 3.0])


def test_inplace_on_a_view_made_under_no_grad_is_refused_with_pytorchs_message():
    # torch 2.13 refuses this with the same text (checked)
    y = leaf([1.0, 2.0, 3.0]) * 2
    with ak.no_grad():
        v = y[0:2]
    with pytest.raises(
        RuntimeError, match=re.escape("A view was created in no_grad mode and is being modified inplace")
    ):
        v.mul_(2)


def test_a_view_made_under_no_grad_stays_untracked_after_its_base_changes():
    w = leaf([1.0, 2.0, 3.0])
    with ak.no_grad():
        v = w[0:2]
        w.add_(1)
    assert not (v * 3).requires_grad
