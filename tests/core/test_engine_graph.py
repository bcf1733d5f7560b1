"""The autograd graph that operations record: grad_fn names, next_functions edges (Python
numbers and tensors without grad give (None, 0)), one AccumulateGrad per leaf, leaf and
requires_grad flags, saved values, node metadata, node hooks and calling a node directly.

Graph shapes and error texts were checked against torch 2.13.
"""

from __future__ import annotations

import gc
import re
import weakref

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.graph.node import AccumulateGrad
from tests.helpers import SECOND_BACKWARD, arr, const, leaf, raises


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
    with raises(RuntimeError, SECOND_BACKWARD):
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
