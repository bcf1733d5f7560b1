"""The autograd graph and the backward engine: nodes, edges, accumulation, retain/create_graph,
errors, autograd.grad, execution order, broadcasting, dtypes, deep graphs, retain_grad, memory.

Expected values come from closed-form derivatives computed with NumPy; error texts and graph
shapes were checked against torch 2.13.
"""

from __future__ import annotations

import gc
import re
import time
import tracemalloc
import warnings
import weakref

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.engine import record_steps
from autograd_kit.graph import AccumulateGrad
from autograd_kit.tensor import NON_LEAF_GRAD_WARNING

SECOND_BACKWARD = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)


def leaf(values, dtype=np.float64):
    """A leaf tensor that requires grad (float64 unless told)."""
    return ak.tensor(np.array(values, dtype=dtype), requires_grad=True)


def const(values, dtype=np.float64):
    return ak.tensor(np.array(values, dtype=dtype))


def arr(t):
    return t.detach().numpy()


# --- graph structure ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fn, name",
    [
        (lambda a, b: a + b, "AddBackward0"),
        (lambda a, b: a - b, "SubBackward0"),
        (lambda a, b: a * b, "MulBackward0"),
        (lambda a, b: a / b, "DivBackward0"),
        (lambda a, b: a**2, "PowBackward0"),
        (lambda a, b: a**b, "PowBackward1"),
        (lambda a, b: 2.0**a, "PowBackward2"),
        (lambda a, b: -a, "NegBackward0"),
        (lambda a, b: 2 - a, "RsubBackward1"),
        (lambda a, b: 2 / a, "MulBackward0"),  # torch: reciprocal(a) * 2
        (lambda a, b: a.reciprocal(), "ReciprocalBackward0"),
        (lambda a, b: a.sum(), "SumBackward0"),
    ],
)
def test_grad_fn_names(fn, name):
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    out = fn(a, b)
    assert out.grad_fn.name() == name
    assert type(out.grad_fn).__name__ == name
    assert re.fullmatch(rf"<{name} object at 0x[0-9a-f]+>", repr(out.grad_fn))


def test_next_functions_python_number_operand_is_none_0():
    # The tutorial's walk, d = 2*b + 1: each Python number is an edge (None, 0).
    b = leaf([1.0, 2.0])
    c = 2 * b
    d = c + 1
    (mul, mul_nr), (none, none_nr) = d.grad_fn.next_functions
    assert mul is c.grad_fn and mul_nr == 0
    assert none is None and none_nr == 0
    acc, extra = c.grad_fn.next_functions
    assert isinstance(acc[0], AccumulateGrad) and acc[1] == 0
    assert extra == (None, 0)
    assert acc[0].next_functions == ()


@pytest.mark.parametrize(
    "fn", [lambda x: x + 1, lambda x: 1 + x, lambda x: x * 2, lambda x: x - 1, lambda x: x / 2]
)
def test_number_operand_edge_for_binary_ops(fn):
    x = leaf([1.0, 2.0])
    edges = fn(x).grad_fn.next_functions
    assert len(edges) == 2
    assert edges[0][0] is x._grad_accumulator()
    assert edges[1] == (None, 0)


def test_tensor_without_grad_gives_none_edge_in_its_position():
    x, z = leaf([1.0, 2.0]), const([3.0, 4.0])
    assert (z - x).grad_fn.next_functions[0] == (None, 0)
    assert (z - x).grad_fn.next_functions[1][0] is x._grad_accumulator()
    assert (x * z).grad_fn.next_functions[1] == (None, 0)


def test_one_accumulate_grad_per_leaf_while_alive():
    x = leaf([1.0, 2.0])
    y1, y2 = x * 2, x * 3
    acc = y1.grad_fn.next_functions[0][0]
    assert isinstance(acc, AccumulateGrad)
    assert y2.grad_fn.next_functions[0][0] is acc
    s = x + x  # both edges of one node go to the same sink
    assert s.grad_fn.next_functions[0][0] is acc is s.grad_fn.next_functions[1][0]
    assert acc.variable is x
    assert acc.name() == "torch::autograd::AccumulateGrad"  # torch 2.13 spelling; repr stays short
    assert re.fullmatch(r"<AccumulateGrad object at 0x[0-9a-f]+>", repr(acc))


def test_accumulate_grad_is_not_kept_alive_by_the_leaf():
    # The leaf holds its AccumulateGrad weakly (the node holds the leaf): no cycle.
    x = leaf([1.0])
    ref = weakref.ref((x * 2).grad_fn.next_functions[0][0])
    gc.collect()
    assert ref() is None
    assert (x * 2).grad_fn.next_functions[0][0].variable is x


def test_leaf_and_requires_grad_flags():
    x, c = leaf([1.0]), const([2.0])
    assert x.is_leaf and x.grad_fn is None and x.requires_grad
    assert c.is_leaf and c.grad_fn is None and not c.requires_grad
    y = x * c
    assert not y.is_leaf and y.requires_grad and y.grad_fn is not None
    z = c * c  # nothing requires grad: a leaf without grad_fn
    assert z.is_leaf and not z.requires_grad and z.grad_fn is None
    with ak.no_grad():
        w = x * c
    assert w.is_leaf and not w.requires_grad
    assert (w * x).requires_grad  # propagation through any operand


def test_integer_result_has_no_grad_fn():
    x = leaf([1.5, 2.5])
    n = const([1, 2], np.int64)
    assert (x * n).requires_grad  # float result
    assert (n * 2).grad_fn is None


def test_saved_values_visible():
    b = leaf([1.0, 2.0])
    c = 2 * b
    other = c.grad_fn._saved_other
    assert other.item() == 2 and other.dtype == ak.int64 and other.shape == ()
    # torch saves self only for d/d other, which a Python number does not need
    assert c.grad_fn._saved_self is None
    k = const([3.0, 4.0])
    assert (k * b).grad_fn._saved_other is None and (k * b).grad_fn._saved_self is k
    assert (b / k).grad_fn._saved_self is None and (b / k).grad_fn._saved_other is k
    a = leaf([3.0, 4.0])
    d = a * b
    assert d.grad_fn._saved_self is a
    assert d.grad_fn._saved_other is b
    r = a.reciprocal()
    saved = r.grad_fn._saved_result
    # the saved output is a new tensor object over the same values, owned by the same node
    assert saved is not r
    np.testing.assert_array_equal(arr(saved), arr(r))
    assert saved.grad_fn is r.grad_fn and saved._version == 0
    with pytest.raises(AttributeError):
        d.grad_fn._saved_nothing  # noqa: B018


def test_saved_values_after_backward_raise():
    a, b = leaf([3.0, 4.0]), leaf([1.0, 2.0])
    d = a * b
    d.sum().backward()
    with pytest.raises(RuntimeError, match=re.escape(SECOND_BACKWARD)):
        d.grad_fn._saved_self  # noqa: B018


def test_metadata_is_a_persistent_dict():
    y = leaf([1.0]) * 2
    assert y.grad_fn.metadata == {}
    y.grad_fn.metadata["label"] = "scale"
    assert y.grad_fn.metadata == {"label": "scale"}
    assert y.grad_fn.metadata is y.grad_fn.metadata


def test_node_hooks_see_and_replace_gradients():
    x = leaf([1.0, 2.0])
    y = x * 3
    calls = []
    y.grad_fn.register_prehook(lambda go: calls.append(("pre", [arr(g) for g in go])))
    y.grad_fn.register_hook(
        lambda gi, go: calls.append(
            ("post", [None if g is None else arr(g) for g in gi], [arr(g) for g in go])
        )
    )
    y.sum().backward()
    # torch: [('pre', (tensor([1., 1.]),)), ('post', (tensor([3., 3.]), None), (tensor([1., 1.]),))]
    assert calls[0][0] == "pre" and np.array_equal(calls[0][1][0], [1.0, 1.0])
    kind, grad_inputs, grad_outputs = calls[1]
    assert kind == "post"
    np.testing.assert_array_equal(grad_inputs[0], [3.0, 3.0])
    assert grad_inputs[1] is None
    np.testing.assert_array_equal(grad_outputs[0], [1.0, 1.0])


def test_node_hook_return_replaces_grad_inputs():
    x = leaf([1.0, 2.0])
    y = x * 3
    y.grad_fn.register_hook(lambda gi, go: (gi[0] * 10, *gi[1:]))
    y.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [30.0, 30.0])


def test_node_prehook_return_replaces_grad_outputs_and_handle_removes():
    x = leaf([1.0, 2.0])
    y = x * 3
    handle = y.grad_fn.register_prehook(lambda go: (go[0] * 10,))
    y.sum().backward(retain_graph=True)
    np.testing.assert_array_equal(arr(x.grad), [30.0, 30.0])
    handle.remove()
    x.grad = None
    y.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [3.0, 3.0])


def test_node_is_callable_on_output_gradients():
    x = leaf([1.0, 2.0])
    y = x * x
    # torch: y.grad_fn(torch.ones(2)) -> (tensor([1., 2.]), tensor([1., 2.])), one per operand
    gself, gother = y.grad_fn(const([1.0, 1.0]))
    assert isinstance(gself, ak.Tensor) and isinstance(gother, ak.Tensor)
    np.testing.assert_array_equal(arr(gself), [1.0, 2.0])
    np.testing.assert_array_equal(arr(gother), [1.0, 2.0])


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
    with pytest.raises(RuntimeError, match=re.escape(SECOND_BACKWARD)):
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
    with pytest.raises(RuntimeError, match=re.escape(msg)):
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


# --- inputs= and autograd.grad -----------------------------------------------------------------


def test_backward_inputs_limits_accumulation():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    (x * w).sum().backward(inputs=[x])
    np.testing.assert_array_equal(arr(x.grad), [3.0, 4.0])
    assert w.grad is None
    (x * w).sum().backward(inputs=x)  # a single tensor works too
    np.testing.assert_array_equal(arr(x.grad), [6.0, 8.0])


def test_backward_inputs_non_leaf_gets_grad():
    # torch: y.backward(inputs=[h]) fills h.grad and leaves x.grad None
    x = leaf([1.0, 2.0])
    h = x * 2
    (h * h).sum().backward(inputs=[h])
    np.testing.assert_array_equal(arr(h.grad), [4.0, 8.0])
    assert x.grad is None


def test_backward_inputs_unused_leaf_stays_none():
    x, c = leaf([1.0]), leaf([2.0])
    (x * 2).sum().backward(inputs=[c])
    assert c.grad is None and x.grad is None


def test_autograd_grad_returns_tuple_and_leaves_grad_untouched():
    xs = np.array([1.0, 2.0])
    x, w = leaf(xs), leaf([3.0, 4.0])
    result = ak.autograd.grad((x * x * w).sum(), [x, w])
    assert isinstance(result, tuple) and len(result) == 2
    np.testing.assert_array_equal(arr(result[0]), 2 * xs * [3.0, 4.0])
    np.testing.assert_array_equal(arr(result[1]), xs**2)
    assert x.grad is None and w.grad is None


def test_autograd_grad_single_input_gives_one_tuple():
    x = leaf([1.0])
    out = ak.autograd.grad((x * 5).sum(), x)
    assert isinstance(out, tuple) and len(out) == 1
    np.testing.assert_array_equal(arr(out[0]), [5.0])


def test_autograd_grad_unused_input():
    a, b = leaf([1.0, 1.0]), leaf([1.0, 1.0])
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "The differentiated Tensor at index 1 appears to not have been used in the graph. "
            "Set allow_unused=True if this is the desired behavior."
        ),
    ):
        ak.autograd.grad((a * 2).sum(), [a, b])
    ga, gb = ak.autograd.grad((a * 2).sum(), [a, b], allow_unused=True)
    np.testing.assert_array_equal(arr(ga), [2.0, 2.0])
    assert gb is None
    ga, gb = ak.autograd.grad((a * 2).sum(), [a, b], materialize_grads=True)
    np.testing.assert_array_equal(arr(gb), [0.0, 0.0])


def test_autograd_grad_input_not_requiring_grad():
    a = leaf([1.0])
    with pytest.raises(
        RuntimeError, match=re.escape("One of the differentiated Tensors does not require grad")
    ):
        ak.autograd.grad((a * 2).sum(), [const([1.0])])


def test_autograd_grad_non_leaf_inputs():
    xs = np.array([1.0, 2.0])
    x = leaf(xs)
    h = x * 3
    y = (h * h).sum()
    gh, gx = ak.autograd.grad(y, [h, x])
    np.testing.assert_allclose(arr(gh), 2 * 3 * xs)
    np.testing.assert_allclose(arr(gx), 18 * xs)
    assert x.grad is None


def test_autograd_grad_several_outputs_with_grad_outputs():
    # torch: grad([2x, x*x], x, [ones, [1, 10]]) -> (tensor([ 4., 42.]),)
    x = leaf([1.0, 2.0])
    (g,) = ak.autograd.grad([x * 2, x * x], [x], grad_outputs=[const([1.0, 1.0]), const([1.0, 10.0])])
    np.testing.assert_array_equal(arr(g), [4.0, 42.0])


def test_autograd_grad_of_output_without_grad_fn():
    a = leaf([1.0])
    with pytest.raises(
        RuntimeError,
        match=re.escape("element 0 of tensors does not require grad and does not have a grad_fn"),
    ):
        ak.autograd.grad(const([1.0]).sum(), [a])


def test_autograd_grad_frees_graph_unless_retained():
    x = leaf([1.0])
    y = (x * x).sum()
    ak.autograd.grad(y, x, retain_graph=True)
    ak.autograd.grad(y, x)
    with pytest.raises(RuntimeError, match=re.escape(SECOND_BACKWARD)):
        ak.autograd.grad(y, x)


# --- execution order: fan-out and diamonds ------------------------------------------------------


def _assert_topological(steps):
    position = {}
    for i, step in enumerate(steps):
        assert step.node not in position, f"{step.node.name()} ran twice"
        position[step.node] = i
    for step in steps:
        for nxt, _ in step.node.next_functions:
            if nxt is not None and nxt in position:
                assert position[nxt] > position[step.node], f"{nxt.name()} ran before {step.node.name()}"
    return position


def test_diamond_each_node_once_in_dependency_order():
    xs = np.array([1.0, -2.0])
    x = leaf(xs)
    a = x * 2
    b = x * 3
    c = a * b
    out = c.sum()
    with record_steps() as steps:
        out.backward()
    nodes = [s.node for s in steps]
    assert nodes[0] is out.grad_fn and nodes[1] is c.grad_fn
    assert set(nodes[2:4]) == {a.grad_fn, b.grad_fn}
    assert isinstance(nodes[4], AccumulateGrad) and len(nodes) == 5
    _assert_topological(steps)
    # AccumulateGrad runs once with both paths summed: d(6x^2)/dx = 12x
    np.testing.assert_allclose(steps[4].grad_outputs[0], 12 * xs)
    assert steps[4].grad_before is None
    np.testing.assert_allclose(steps[4].grad_after, 12 * xs)
    np.testing.assert_allclose(arr(x.grad), 12 * xs)


def test_wide_fan_out_of_uneven_depth_runs_each_node_once():
    xs = np.array([0.5, 1.5])
    x = leaf(xs)
    branches = []
    for depth in range(1, 6):
        h = x
        for _ in range(depth):
            h = h * 2
        branches.append(h)
    total = branches[0]
    for h in branches[1:]:
        total = total + h
    with record_steps() as steps:
        total.sum().backward()
    _assert_topological(steps)
    assert sum(isinstance(s.node, AccumulateGrad) for s in steps) == 1
    assert len(steps) == 1 + 4 + 15 + 1  # sum, 4 adds, 1+2+3+4+5 muls, one sink
    np.testing.assert_allclose(arr(x.grad), np.full(2, 2 + 4 + 8 + 16 + 32.0))


def test_newest_ready_node_runs_first():
    # Two independent branches: PyTorch's ready queue takes the most recently created node first.
    x = leaf([1.0])
    a = x * 2  # older
    b = x * 3  # newer
    with record_steps() as steps:
        (a + b).sum().backward()
    names = [s.node for s in steps]
    assert names.index(b.grad_fn) < names.index(a.grad_fn)


def test_record_steps_only_records_inside_block():
    x = leaf([1.0])
    with record_steps() as steps:
        pass
    (x * 2).sum().backward()
    assert steps == []


# --- broadcasting and dtypes --------------------------------------------------------------------


def test_broadcast_gradients_reduce_to_input_shapes():
    rng = np.random.default_rng(0)
    av, bv = rng.standard_normal((3, 1)), rng.standard_normal(4)
    a, b = leaf(av), leaf(bv)
    (a * b).sum().backward()
    assert a.grad.shape == (3, 1) and b.grad.shape == (4,)
    np.testing.assert_allclose(arr(a.grad), np.full((3, 1), bv.sum()))
    np.testing.assert_allclose(arr(b.grad), np.full(4, av.sum()))
    a.grad = b.grad = None
    (a + b).sum().backward()
    np.testing.assert_allclose(arr(a.grad), np.full((3, 1), 4.0))
    np.testing.assert_allclose(arr(b.grad), np.full(4, 3.0))


def test_broadcast_zero_dim_with_vector():
    s, v = leaf(2.0), leaf([1.0, 2.0, 3.0])
    (s * v).sum().backward()
    assert s.grad.shape == () and v.grad.shape == (3,)
    np.testing.assert_allclose(arr(s.grad), 6.0)
    np.testing.assert_allclose(arr(v.grad), [2.0, 2.0, 2.0])


def test_broadcast_leading_and_inner_dims():
    a, b = leaf(np.ones((2, 3, 4))), leaf(np.arange(3.0).reshape(3, 1))
    (a * b).sum().backward()
    assert b.grad.shape == (3, 1)
    np.testing.assert_allclose(arr(b.grad), np.full((3, 1), 8.0))
    np.testing.assert_allclose(arr(a.grad), np.broadcast_to(np.arange(3.0).reshape(3, 1), (2, 3, 4)))


def test_mixed_float32_float64_grads_keep_each_inputs_dtype():
    a = leaf([1.0, 2.0], np.float32)
    b = leaf([3.0, 4.0], np.float64)
    out = a * b
    assert out.dtype == ak.float64
    out.sum().backward()
    assert a.grad.dtype == ak.float32 and b.grad.dtype == ak.float64
    np.testing.assert_allclose(arr(a.grad), [3.0, 4.0])
    np.testing.assert_allclose(arr(b.grad), [1.0, 2.0])


def test_float32_zero_dim_float64_grad_dtypes():
    a = leaf([1.0, 2.0], np.float32)
    s = leaf(3.0, np.float64)
    out = a * s  # 0-d float64 does not upcast
    assert out.dtype == ak.float32
    out.sum().backward()
    assert a.grad.dtype == ak.float32 and s.grad.dtype == ak.float64
    np.testing.assert_allclose(arr(s.grad), 3.0)


# --- deep graphs ---------------------------------------------------------------------------------


def test_hundred_thousand_op_chain_backward_no_recursion():
    x = leaf([1.0])
    y = x
    start = time.perf_counter()
    gc.disable()  # only for speed: the collector would rescan the growing graph many times
    try:
        for _ in range(50_000):
            y = y * 1.0
            y = y + 1.0
        y.sum().backward()
        assert time.perf_counter() - start < 10  # generous: guards against quadratic behaviour only
        np.testing.assert_array_equal(arr(x.grad), [1.0])
        # releasing a 100k-deep graph must not overflow the C stack (nested deallocation)
        del y
    finally:
        gc.enable()


# --- retain_grad and the non-leaf .grad warning -------------------------------------------------


def test_non_leaf_grad_warns_and_is_none():
    x = leaf([1.0, 2.0])
    y = x * 2
    y.sum().backward()
    with pytest.warns(UserWarning, match=re.escape(NON_LEAF_GRAD_WARNING)):
        assert y.grad is None


def test_non_leaf_grad_warning_text_matches_torch():
    assert NON_LEAF_GRAD_WARNING == (
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
        "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
        "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
        "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
        "github.com/pytorch/pytorch/pull/30531 for more information."
    )


def test_retain_grad_populates_non_leaf_grad_without_warning():
    xs = np.array([1.0, 2.0])
    x = leaf(xs)
    y = x * 2
    y.retain_grad()
    assert y.retains_grad and not x.retains_grad
    z = (y * y).sum()
    z.backward(retain_graph=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(arr(y.grad), 2 * 2 * xs)
    z.backward()  # accumulates like a leaf's
    np.testing.assert_allclose(arr(y.grad), 8 * xs)
    np.testing.assert_allclose(arr(x.grad), 16 * xs)


def test_retain_grad_on_leaf_is_noop_and_errors_without_grad():
    x = leaf([1.0])
    x.retain_grad()
    assert not x.retains_grad
    with pytest.raises(
        RuntimeError, match=re.escape("can't retain_grad on Tensor that has requires_grad=False")
    ):
        const([1.0]).retain_grad()


# --- memory ---------------------------------------------------------------------------------------


def test_graph_is_freed_by_refcount_alone():
    # gc disabled: anything kept alive by a cycle tensor <-> node would stay alive.
    gc.collect()
    gc.disable()
    try:
        x = leaf(np.ones(4))
        refs = []
        for _ in range(20):
            a = x * 2
            r = a.reciprocal()  # saves its own output: must not form output -> node -> output
            y = (r * a + 1).sum()
            refs.append(
                (weakref.ref(a.grad_fn), weakref.ref(r.grad_fn), weakref.ref(y.grad_fn), weakref.ref(r))
            )
            y.backward()
            del a, r, y
        assert all(ref() is None for group in refs for ref in group)
        # also without running backward (saved tensors still held by the nodes)
        a = x * 2
        r = a.reciprocal()
        y = (r * a).sum()
        refs = [weakref.ref(a.grad_fn), weakref.ref(r.grad_fn), weakref.ref(y.grad_fn), weakref.ref(r)]
        del a, r, y
        assert all(ref() is None for ref in refs)
    finally:
        gc.enable()


def test_retain_grad_does_not_create_cycle():
    gc.collect()
    gc.disable()
    try:
        x = leaf([1.0])
        y = x * 2
        y.retain_grad()
        node, tensor = weakref.ref(y.grad_fn), weakref.ref(y)
        (y * y).sum().backward()
        del y
        assert node() is None and tensor() is None
    finally:
        gc.enable()


def test_repeated_training_steps_do_not_grow_memory():
    x = leaf(np.zeros(10_000))

    def step():
        y = ((x * 2 + 1) * (x - 3)).sum()
        y.backward()
        x.grad = None

    for _ in range(3):
        step()
    gc.collect()
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        for _ in range(50):
            step()
        grown = tracemalloc.get_traced_memory()[0] - baseline
    finally:
        tracemalloc.stop()
    # each step allocates several 80 kB arrays; leaking any of them would exceed 1 MB over 50 steps
    assert grown < 1_000_000


# --- argument errors and .grad assignment -------------------------------------------------------


def test_backward_inputs_must_not_be_empty():
    x = leaf([1.0])
    with pytest.raises(RuntimeError, match=re.escape("`inputs` argument to `backward()` cannot be empty.")):
        (x * 2).sum().backward(inputs=[])
    assert x.grad is None


def test_inputs_must_be_tensors():
    x = leaf([1.0])
    msg = "all inputs have to be Tensors or GradientEdges, but got float"
    with pytest.raises(RuntimeError, match=re.escape(msg)):
        ak.autograd.grad((x * 2).sum(), [1.0])
    with pytest.raises(RuntimeError, match=re.escape(msg)):
        (x * 2).sum().backward(inputs=[1.0])


def test_backward_argument_counts_and_types():
    # torch silently zips mismatched lists; autograd_kit names the mistake instead
    x = leaf([1.0])
    with pytest.raises(RuntimeError, match=re.escape("got 2 gradients for 1 tensors")):
        ak.autograd.backward([(x * 2).sum()], [const(1.0), const(1.0)])
    with pytest.raises(
        RuntimeError, match=re.escape("grad requires one grad_output per output: got 2 for 1")
    ):
        ak.autograd.grad([(x * 2).sum()], [x], [const(1.0), const(1.0)])
    with pytest.raises(TypeError, match=re.escape("backward expects Tensors, got float at position 0")):
        ak.autograd.backward([1.0])


def test_backward_inputs_on_unreached_output_of_multi_output_node():
    # torch: q.grad stays None (q's node is not part of the graph being differentiated)
    class Two(ak.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 * 2 + g2 * 3

    x, z = leaf([1.0, 2.0]), leaf([1.0, 2.0])
    _, q = Two.apply(x)
    q.retain_grad()  # reading q.grad below must not warn
    (z * 5).sum().backward(inputs=[q])
    assert q.grad is None
    (q * 5).sum().backward(inputs=[q])
    np.testing.assert_array_equal(arr(q.grad), [5.0, 5.0])


def test_assigning_grad():
    x = leaf([1.0, 2.0], np.float32)
    x.grad = ak.tensor([3.0, 4.0])
    np.testing.assert_array_equal(arr(x.grad), [3.0, 4.0])
    (x * 1).sum().backward()  # accumulates onto the assigned value
    np.testing.assert_array_equal(arr(x.grad), [4.0, 5.0])
    del x.grad
    assert x.grad is None
    with pytest.raises(
        TypeError, match=re.escape("assigned grad expected to be a Tensor or None but got grad of type int")
    ):
        x.grad = 3
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "attempting to assign a gradient of size '[3]' to a tensor of size '[2]'. Please ensure that the "
            "gradient and the tensor are the same size"
        ),
    ):
        x.grad = ak.ones(3)


@pytest.mark.parametrize(
    "tensor_dtype, grad_dtype, have, want",
    [
        (ak.float32, ak.float64, "double", "Float"),
        (ak.float64, ak.float32, "float", "Double"),
        (ak.float32, ak.float16, "c10::Half", "Float"),
        (ak.float16, ak.int64, "long int", "Half"),
        (ak.float32, ak.uint8, "unsigned char", "Float"),
    ],
)
def test_assigning_grad_of_other_dtype(tensor_dtype, grad_dtype, have, want):
    x = ak.ones(2, dtype=tensor_dtype, requires_grad=True)
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            f"attempting to assign a gradient with dtype '{have}' to a tensor with grad_dtype '{want}'. The "
            "gradient must match the tensor's grad_dtype (defaults to the tensor's dtype). You can set the "
            "tensor's grad_dtype attribute with a specific dtype, or None to allow any dtype. Set grad_dtype "
            "with caution. Diverging the dtypes of a tensor and its gradient may break downstream systems that "
            "assume they match."
        ),
    ):
        x.grad = ak.ones(2, dtype=grad_dtype)


def test_backward_inputs_non_leaf_is_retained_and_counted_once():
    # torch: backward(inputs=[y]) marks y as retaining grad; with retain_grad() already on, 5 not 10
    x = leaf([1.0, 2.0])
    y = x * 1
    (y * 5).sum().backward(inputs=[y], retain_graph=True)
    assert y.retains_grad
    np.testing.assert_array_equal(arr(y.grad), [5.0, 5.0])
    x2 = leaf([1.0, 2.0])
    y2 = x2 * 1
    y2.retain_grad()
    (y2 * 5).sum().backward(inputs=[y2])
    np.testing.assert_array_equal(arr(y2.grad), [5.0, 5.0])
