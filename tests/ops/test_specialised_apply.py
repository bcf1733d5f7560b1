"""The specialised apply of one/two-operand ops must record exactly what the generic path
(``apply_builtin``, the reference, which the profiler uses) records: same values, same graph,
same saves and versions, same gradients. Every op of the table is run both ways."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.graph.ctx import SavedOutput
from autograd_kit.graph.fast_apply import specialise
from autograd_kit.graph.function import BuiltinFunction
from autograd_kit.graph.node import AccumulateGrad
from autograd_kit.graph.switches import set_profiler_hooks
from tests.ops.test_op_table import PARAMS, _first, _inputs


def _subclasses(cls: type) -> list:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


@pytest.fixture
def generic_path(monkeypatch: pytest.MonkeyPatch):
    """Route every built-in op through the generic path, as an open profiler does."""

    def run(generic: bool, fn, *args):
        if generic:
            set_profiler_hooks(lambda cls, a, name=None: cls._apply(a), None)
        try:
            return fn(*args)
        finally:
            set_profiler_hooks(None, None)

    return run


def _saved_signature(entry: object) -> object:
    if entry is None or type(entry) in (int, float, bool):
        return entry
    if type(entry) is SavedOutput:
        return ("result", entry.output_nr, entry._data.tobytes())
    return ("tensor", np.asarray(entry._data).tobytes())


def _graph(node: object, leaves: dict, seen: dict) -> object:
    """A structural description of the graph below ``node`` (leaves by input position)."""
    if node is None:
        return None
    if type(node) is AccumulateGrad:
        return ("leaf", leaves[id(node.variable)])
    if id(node) in seen:
        return ("seen", seen[id(node)])
    seen[id(node)] = len(seen)
    saved = node._saved or ()
    return (
        node.name(),
        node._meta,
        tuple(_saved_signature(e) for e in saved),
        tuple(node._versions_at_save),
        tuple((_graph(n, leaves, seen), nr) for n, nr in node.next_functions),
    )


def test_the_common_ops_are_specialised() -> None:
    specialised = {c.__name__ for c in _subclasses(BuiltinFunction) if specialise(c) is not None}
    assert {"Add", "Sub", "Mul", "Div", "Sin", "Cos", "Exp", "Log", "Tanh", "Relu", "Mm"} <= specialised
    # The operators and methods are the specialised closures themselves.
    for method in (ak.Tensor.__mul__, ak.Tensor.__add__, ak.Tensor.sin, ak.Tensor.tanh):
        assert method.__code__ in (
            specialise(ak.ops.arithmetic.Mul).__code__,
            specialise(ak.ops.pointwise.Sin).__code__,
        )


@pytest.mark.parametrize("case, combo", PARAMS)
@pytest.mark.parametrize("requires", ["all", "first"], ids=["all-grad", "first-grad"])
def test_specialised_and_generic_paths_agree(case, combo, requires: str, generic_path) -> None:
    results = []
    for generic in (False, True):
        arrays = _inputs(case, combo, 2)
        inputs = tuple(
            ak.tensor(a, requires_grad=(requires == "all" or i == 0)) for i, a in enumerate(arrays)
        )
        out = _first(generic_path(generic, case.fn, *inputs))
        leaves = {id(t): i for i, t in enumerate(inputs)}
        graph = _graph(out.grad_fn, leaves, {})
        grads = None
        if out.grad_fn is not None:
            out.backward(ak.ones_like(out))
            grads = [None if t.grad is None else t.grad.numpy() for t in inputs]
        results.append((out.detach().numpy(), graph, grads))
    (fast_out, fast_graph, fast_grads), (ref_out, ref_graph, ref_grads) = results
    np.testing.assert_array_equal(fast_out, ref_out)
    assert fast_graph == ref_graph
    if ref_grads is None:
        assert fast_grads is None
    else:
        for fast, ref in zip(fast_grads, ref_grads):
            if ref is None:
                assert fast is None
            else:
                np.testing.assert_array_equal(fast, ref)


def test_no_grad_results_agree(generic_path) -> None:
    x = ak.tensor([0.5, -1.0], requires_grad=True)
    for fn in (lambda t: t * 2.0 + 1, lambda t: (t - 3).sin().tanh(), lambda t: 1.5 / t):
        with ak.no_grad():
            fast, ref = generic_path(False, fn, x), generic_path(True, fn, x)
        assert fast.grad_fn is None and ref.grad_fn is None and fast.dtype == ref.dtype
        np.testing.assert_array_equal(fast.numpy(), ref.numpy())
