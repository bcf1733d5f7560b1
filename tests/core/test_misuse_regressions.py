"""Misuse that once gave silently wrong results: hooks whose gradients were aliased or unchecked,
losses over all-ignored targets, failed in-place ops that wrote anyway, expanded tensors,
``x ** y`` at 0 ** 0 and loss dtype promotion. Written from the user's side, with the values,
messages and states PyTorch 2.13 gives (tests/core/test_misuse_vs_torch.py compares them live)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import raises

F = ak.nn.functional


def values(t) -> list:
    return t.detach().numpy().tolist()


# --- 1. what a user holds is never changed by later accumulation --------------------------------


def test_leaf_hook_argument_is_not_aliased_into_grad():
    p = ak.ones(2, requires_grad=True)
    seen = []
    p.register_hook(lambda g: seen.append(g))
    for k in (1, 2, 3):
        (p * k).sum().backward()
    assert [values(g) for g in seen] == [[1, 1], [2, 2], [3, 3]]
    assert values(p.grad) == [6, 6]


def test_two_leaves_whose_hooks_return_one_tensor_do_not_share_grad():
    a, b = ak.ones(2, requires_grad=True), ak.ones(2, requires_grad=True)
    shared = ak.tensor([5.0, 5.0])
    a.register_hook(lambda g: shared)
    b.register_hook(lambda g: shared)
    (a + b).sum().backward()
    (a + b).sum().backward()
    assert values(a.grad) == values(b.grad) == [10, 10]
    assert values(shared) == [5, 5]
    assert a.grad is not b.grad


def test_node_prehook_argument_is_not_aliased_into_grad():
    x = ak.ones(2, requires_grad=True)
    seen = []
    acc = (x * 1).grad_fn.next_functions[0][0]
    acc.register_prehook(lambda grads: seen.append(grads[0]))
    for k in (1, 2):
        (x * k).sum().backward()
    assert [values(g) for g in seen] == [[1, 1], [2, 2]]


@pytest.mark.parametrize("through", ["leaf", "mul", "add"])
def test_gradient_argument_is_never_mutated(through):
    x = ak.ones(2, requires_grad=True)
    g = ak.tensor([1.0, 2.0])
    for _ in range(3):
        y = {"leaf": lambda: x, "mul": lambda: x * 1, "add": lambda: x + 0}[through]()
        y.backward(g)
    assert values(g) == [1, 2]
    assert values(x.grad) == [3, 6]


# --- 2. all targets ignored: nan loss, zero gradient --------------------------------------------


@pytest.mark.parametrize(
    "loss",
    [
        lambda x, t: F.cross_entropy(x, t),
        lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1),
        lambda x, t: F.cross_entropy(x, t, weight=ak.ones(4, dtype=ak.float64), label_smoothing=0.2),
        lambda x, t: F.nll_loss(x.log_softmax(1), t),
        lambda x, t: F.nll_loss(x, t, weight=ak.ones(4, dtype=ak.float64)),
        lambda x, t: ak.nn.CrossEntropyLoss(ignore_index=2)(x, ak.full_like(t, 2)),
    ],
    ids=["ce", "ce-smoothing", "ce-weight-smoothing", "nll", "nll-weight", "module-ignore-index"],
)
def test_all_targets_ignored_gives_nan_loss_and_zero_gradient(loss):
    x = ak.randn(3, 4, dtype=ak.float64, requires_grad=True)
    out = loss(x, ak.tensor([-100, -100, -100]))
    out.backward()
    assert np.isnan(out.item())
    assert values(x.grad) == np.zeros((3, 4)).tolist()


def test_some_targets_ignored_still_average_over_the_rest():
    x = ak.zeros(2, 3, dtype=ak.float64, requires_grad=True)
    F.cross_entropy(x, ak.tensor([1, -100])).backward()
    np.testing.assert_allclose(values(x.grad), [[1 / 3, -2 / 3, 1 / 3], [0, 0, 0]])


# --- 3. an in-place op that raises changes nothing ----------------------------------------------

MULTI_VIEW = (
    "Output {} of {} is a view and is being modified inplace. This view is the output of a function "
    "that returns multiple views. Such functions do not allow the output views to be modified "
    "inplace. You should replace the inplace operation by an out-of-place one."
)


@pytest.mark.parametrize(
    "write, nr, op",
    [
        (lambda h: h.split(2)[0].mul_(10), 0, "Split"),
        (lambda h: h.split([1, 3])[1].add_(1), 1, "SplitWithSizes"),
        (lambda h: h.chunk(2)[1].zero_(), 1, "Split"),
        (lambda h: h.unbind()[2].fill_(7), 2, "Unbind"),
        (lambda h: h.split(2)[1].copy_(ak.zeros(2)), 1, "Split"),
        (lambda h: h.split(2)[1].__setitem__(0, 5.0), 1, "Split"),
        (lambda h: h.unbind()[0].__setitem__(..., 5.0), 0, "Unbind"),
    ],
    ids=["split-mul_", "split_sizes-add_", "chunk-zero_", "unbind-fill_", "copy_", "setitem", "setitem-all"],
)
def test_failed_inplace_on_a_multi_output_view_leaves_no_trace(write, nr, op):
    a = ak.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    h = a * 1
    with raises(RuntimeError, MULTI_VIEW.format(nr, op)):
        write(h)
    assert values(h) == [1, 2, 3, 4]
    assert h._version == 0
    (h * h).sum().backward()  # the graph is intact: d(a^2)/da = 2a
    assert values(a.grad) == [2, 4, 6, 8]


def test_failed_inplace_on_a_leaf_leaves_no_trace():
    a = ak.tensor([1.0, 2.0], requires_grad=True)
    with raises(
        RuntimeError, "a view of a leaf Variable that requires grad is being used in an in-place operation."
    ):
        a[0] = 5.0
    with raises(RuntimeError, "a leaf Variable that requires grad is being used in an in-place operation."):
        a.zero_()
    assert values(a) == [1, 2] and a._version == 0


def test_multi_output_views_may_still_be_written_without_a_graph():
    h = ak.tensor([1.0, 2.0, 3.0, 4.0])
    h.split(2)[0].mul_(10)
    with ak.no_grad():
        g = ak.tensor([1.0, 2.0], requires_grad=True) * 1
    g.unbind()[1].zero_()
    assert values(h) == [10, 20, 3, 4] and values(g) == [1, 0]


# --- 6. x ** y at 0 ** 0 -------------------------------------------------------------------------


def test_pow_tensor_exponent_gradient_at_zero_zero():
    x = ak.tensor([0.0, 2.0, 0.0], dtype=ak.float64, requires_grad=True)
    y = ak.tensor([0.0, 2.0, 3.0], dtype=ak.float64, requires_grad=True)
    (x**y).sum().backward()
    assert values(x.grad) == [0, 4, 0]
    np.testing.assert_allclose(values(y.grad), [0, 4 * np.log(2), 0])


def test_pow_tensor_exponent_gradient_at_zero_zero_under_create_graph():
    x = ak.tensor([0.0, 1.5], dtype=ak.float64, requires_grad=True)
    y = ak.tensor([0.0, 2.0], dtype=ak.float64)
    (gx,) = ak.autograd.grad((x**y).sum(), x, create_graph=True)
    assert values(gx) == [0, 3] and gx.grad_fn.name() == "WhereBackward0"
    gx.sum().backward()  # the discarded branch's nan leaks into the second derivative in PyTorch too
    np.testing.assert_array_equal(values(x.grad), [np.nan, 2])


# --- 7-9. hooks that return the wrong thing ------------------------------------------------------


def hook_to_three(g):
    return ak.ones(3)


def test_leaf_tensor_hook_changing_the_size_raises():
    x = ak.ones(2, requires_grad=True)
    x.register_hook(hook_to_three)
    with raises(RuntimeError, "hook 'hook_to_three' has changed the size of value"):
        (x * 2).sum().backward()
    assert x.grad is None


@pytest.mark.parametrize("leaf", [True, False], ids=["leaf", "non-leaf"])
def test_tensor_hook_changing_the_dtype_raises(leaf):
    x = ak.ones(2, requires_grad=True)
    y = x if leaf else x * 2
    y.register_hook(lambda g: g.double())
    with raises(
        RuntimeError,
        "hook '<lambda>' has changed the type of value (was torch.FloatTensor got torch.DoubleTensor)",
    ):
        (y * 2).sum().backward()
    assert x.grad is None


def test_tensor_hook_changing_the_size_by_expanding_raises():
    x = ak.ones(2, requires_grad=True)
    y = x * 2
    y.register_hook(lambda g: g.expand(3, 2))
    with raises(RuntimeError, "hook '<lambda>' has changed the size of value"):
        y.sum().backward()


@pytest.mark.parametrize("on_leaf_node", [False, True], ids=["MulBackward0", "AccumulateGrad"])
def test_node_prehook_returning_a_wrong_shape_raises(on_leaf_node):
    x = ak.ones(2, requires_grad=True)
    y = x * 2
    node = y.grad_fn.next_functions[0][0] if on_leaf_node else y.grad_fn
    node.register_prehook(lambda grads: (ak.ones(3),))
    with raises(RuntimeError, "hook '<lambda>' has changed the size of value"):
        y.sum().backward()


@pytest.mark.parametrize(
    "result, exc, message",
    [
        (lambda go: go[0], TypeError, "expected tuple, but hook returned 'Tensor'"),
        (lambda go: (1,), TypeError, "expected Variable, but hook returned 'int' (hook '<lambda>')"),
        (
            lambda go: (go[0], go[0]),
            RuntimeError,
            "hook '<lambda>' has returned an incorrect number of values (got 2, but expected 1)",
        ),
    ],
    ids=["not-a-tuple", "not-a-tensor", "too-many"],
)
def test_node_prehook_returning_the_wrong_kind_raises(result, exc, message):
    x = ak.ones(2, requires_grad=True)
    y = x * 2
    y.grad_fn.register_prehook(result)
    with raises(exc, message):
        y.sum().backward()


def test_node_prehook_returning_none_gradients_stops_the_flow():
    x = ak.ones(2, requires_grad=True)
    y = x * 2
    y.grad_fn.register_prehook(lambda grads: (None,))
    y.sum().backward()
    assert x.grad is None


@pytest.mark.parametrize(
    "result, exc, message",
    [
        (lambda gi, go: 5, TypeError, "expected tuple, but hook returned 'int'"),
        (
            lambda gi, go: (gi[0],),
            RuntimeError,
            "hook '<lambda>' has returned an incorrect number of values (got 1, but expected 2)",
        ),
        (lambda gi, go: (gi[0], gi[0]), RuntimeError, "can't replace a None gradient with a non-None value"),
        (lambda gi, go: (ak.ones(3), None), RuntimeError, "hook '<lambda>' has changed the size of value"),
        (
            lambda gi, go: ("g", None),
            TypeError,
            "expected Variable, but hook returned 'str' (hook '<lambda>')",
        ),
    ],
    ids=["not-a-tuple", "too-few", "replaces-none", "wrong-size", "not-a-tensor"],
)
def test_node_posthook_returning_the_wrong_kind_raises(result, exc, message):
    x = ak.ones(2, requires_grad=True)
    y = x * 2  # MulBackward0 sends (grad, None): the constant 2 gets nothing
    y.grad_fn.register_hook(result)
    with raises(exc, message):
        y.sum().backward()


@pytest.mark.parametrize("returned, name", [(5, "int"), ([1.0], "list"), (np.ones(2), "ndarray")])
@pytest.mark.parametrize("leaf", [True, False], ids=["leaf", "non-leaf"])
def test_tensor_hook_returning_a_non_tensor_raises_a_type_error(returned, name, leaf):
    x = ak.ones(2, requires_grad=True)
    y = x if leaf else x * 2

    def log_grad(g):
        return returned

    y.register_hook(log_grad)
    with raises(TypeError, f"expected Variable, but hook returned '{name}' (hook 'log_grad')"):
        (y * 2).sum().backward()


def test_node_posthook_sees_gradients_reduced_and_cast_to_each_input():
    x = ak.ones(2, requires_grad=True)
    z = ak.ones(3, 2, dtype=ak.float64, requires_grad=True)
    y = x + z
    seen = []
    y.grad_fn.register_hook(lambda gi, go: seen.append([(tuple(g.shape), g.dtype) for g in gi]))
    y.sum().backward()
    assert seen == [[((2,), ak.float32), ((3, 2), ak.float64)]]
    assert values(x.grad) == [3, 3]


def test_node_posthook_replacement_is_checked_against_the_input_shape():
    x = ak.ones(2, requires_grad=True)
    y = x + ak.ones(3, 2, requires_grad=True)
    y.grad_fn.register_hook(lambda gi, go: (gi[0] * 10, gi[1]))
    y.sum().backward()
    assert values(x.grad) == [30, 30]
    y = x + ak.ones(3, 2, requires_grad=True)
    y.grad_fn.register_hook(lambda gi, go: (ak.ones(3, 2), gi[1]))
    with raises(RuntimeError, "hook '<lambda>' has changed the size of value"):
        y.sum().backward()


def test_valid_hook_replacements_still_work_under_create_graph():
    x = ak.ones(2, dtype=ak.float64, requires_grad=True)
    y = x * x
    y.register_hook(lambda g: g * 3)
    (gx,) = ak.autograd.grad(y.sum(), x, create_graph=True)
    assert values(gx) == [6, 6]
    y2 = x * x
    y2.register_hook(lambda g: g.float())
    with raises(
        RuntimeError,
        "hook '<lambda>' has changed the type of value (was torch.DoubleTensor got torch.FloatTensor)",
    ):
        ak.autograd.grad(y2.sum(), x, create_graph=True)


# --- 10. expanded tensors --------------------------------------------------------------------------

OVERLAP = (
    "unsupported operation: more than one element of the written-to tensor refers to a single memory "
    "location. Please clone() the tensor before performing the operation."
)


@pytest.mark.parametrize(
    "write",
    [
        lambda x: x.add_(1),
        lambda x: x.mul_(ak.ones(3)),
        lambda x: x.copy_(ak.zeros(3)),
        lambda x: x.fill_(ak.tensor(2.0)),
        lambda x: x.uniform_(),
        lambda x: x.__setitem__(slice(None), 7.0),
    ],
    ids=["add_", "mul_", "copy_", "fill_-tensor", "uniform_", "setitem"],
)
def test_inplace_arithmetic_on_an_expanded_tensor_raises_and_changes_nothing(write):
    a = ak.ones(1)
    x = a.expand(3)
    with raises(RuntimeError, OVERLAP):
        write(x)
    assert values(a) == [1] and a._version == 0


def test_zero_and_fill_on_an_expanded_tensor_write_its_memory():
    a = ak.ones(2, 1)
    x = a.expand(2, 3)
    x.zero_()
    assert values(a) == [[0], [0]] and values(x) == [[0, 0, 0], [0, 0, 0]]
    x.fill_(4)
    assert values(a) == [[4], [4]] and a._version == 2


def test_fill_on_an_expanded_view_in_a_graph_gives_the_base_a_copyslices():
    a = ak.ones(2, 1, dtype=ak.float64, requires_grad=True)
    b = a * 1
    b[1:].expand(2, 3).fill_(3)
    assert values(b) == [[1], [3]] and b.grad_fn.name() == "torch::autograd::CopySlices"
    (b * ak.tensor([[1.0], [2.0]], dtype=ak.float64)).sum().backward()
    assert values(a.grad) == [[1], [0]]


# --- 11. loss dtype promotion ---------------------------------------------------------------------


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_loss_with_an_integer_target_keeps_the_float_dtype(reduction):
    x = ak.ones(3, requires_grad=True)
    loss = F.mse_loss(x, ak.tensor([1, 2, 3]), reduction=reduction)
    assert loss.dtype == ak.float32
    loss.sum().backward()
    assert x.grad.dtype == ak.float32
    expected = {"mean": [0, -2 / 3, -4 / 3], "sum": [0, -2, -4], "none": [0, -2, -4]}[reduction]
    np.testing.assert_allclose(values(x.grad), expected, rtol=1e-6)


def test_mse_loss_of_two_integer_tensors_is_not_implemented():
    with raises(NotImplementedError, "\"mse_cpu\" not implemented for 'Long'"):
        F.mse_loss(ak.tensor([1, 2]), ak.tensor([1, 2]))
    assert F.mse_loss(ak.tensor([1, 2]), ak.tensor([1.0, 3.0])).dtype == ak.float32


@pytest.mark.parametrize(
    "into, value, message",
    [
        (ak.int64, ak.float64, "result type Double can't be cast to the desired output type Long"),
        (ak.int32, ak.float16, "result type Half can't be cast to the desired output type Int"),
        (ak.bool, ak.uint8, "result type Byte can't be cast to the desired output type Bool"),
    ],
)
def test_inplace_cast_errors_name_the_actual_dtypes(into, value, message):
    x = ak.ones(2, dtype=into)
    with raises(RuntimeError, message):
        x.add_(ak.ones(2, dtype=value))
    assert x._version == 0 and values(x) == [1, 1]
