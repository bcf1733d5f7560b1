"""Every op in the table: forward vs NumPy, backward vs central differences (float64), node
names, fan-out (one tensor feeding several inputs) and second derivatives."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.autograd import gradcheck, gradgradcheck
from tests.ops.op_table import OpCase, all_cases

CASES = all_cases()


def _inputs(case: OpCase, combo: tuple, seed: int) -> tuple:
    rng = np.random.default_rng(seed)
    if case.make_inputs is not None:
        arrays = case.make_inputs(rng)
    else:
        arrays = tuple(rng.uniform(case.low, case.high, size=shape) for shape in combo)
    return tuple(np.asarray(a, dtype=np.float64) for a in arrays)


def _combos(case: OpCase) -> list:
    return [None] if case.make_inputs is not None else list(case.shapes)


PARAMS = [
    pytest.param(case, combo, id=f"{case.name}-{i}")
    for case in CASES
    for i, combo in enumerate(_combos(case))
]


def _first(out):
    return out[0] if isinstance(out, tuple) else out


@pytest.mark.parametrize("case, combo", PARAMS)
def test_forward_matches_numpy(case: OpCase, combo: tuple) -> None:
    if case.ref is None:
        pytest.skip("no NumPy reference")
    arrays = _inputs(case, combo, 0)
    out = case.fn(*(ak.tensor(a) for a in arrays))
    ref = case.ref(*(a.copy() for a in arrays))
    outs = out if isinstance(out, tuple) else (out,)
    refs = ref if isinstance(ref, tuple) else (ref,)
    for o, r in zip(outs, refs):
        np.testing.assert_allclose(o.detach().numpy(), np.asarray(r), rtol=1e-7, atol=1e-12)


@pytest.mark.parametrize("case, combo", PARAMS)
def test_backward_matches_finite_differences(case: OpCase, combo: tuple) -> None:
    inputs = tuple(ak.tensor(a, requires_grad=True) for a in _inputs(case, combo, 1))
    out = _first(case.fn(*inputs))
    if case.node is not None:
        assert out.grad_fn is not None and out.grad_fn.name() == case.node
    assert gradcheck(case.fn, inputs, atol=case.atol, rtol=case.rtol)


@pytest.mark.parametrize("case, combo", PARAMS)
def test_second_derivatives(case: OpCase, combo: tuple) -> None:
    if not case.second_order:
        pytest.skip("first-order only")
    inputs = tuple(ak.tensor(a, requires_grad=True) for a in _inputs(case, combo, 2))
    assert gradgradcheck(case.fn, inputs, atol=case.atol, rtol=case.rtol)


FAN_OUT = [
    pytest.param(case, case.shapes[0], id=case.name)
    for case in CASES
    if case.fan_out and case.make_inputs is None and len(case.shapes[0]) > 1 and len(set(case.shapes[0])) == 1
]


@pytest.mark.parametrize("case, combo", FAN_OUT)
def test_fan_out_accumulates(case: OpCase, combo: tuple) -> None:
    (array,) = _inputs(case, combo[:1], 3)
    x = ak.tensor(array, requires_grad=True)
    n = len(combo)
    assert gradcheck(lambda t: case.fn(*([t] * n)), (x,), atol=case.atol, rtol=case.rtol)


def _graph_nodes(out) -> list:
    seen, stack = [], [out.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or any(node is s for s in seen):
            continue
        seen.append(node)
        stack.extend(n for n, _ in node.next_functions)
    return seen


def _assert_ctx_attributes_declared(out) -> None:
    for node in _graph_nodes(out):
        fwd = getattr(type(node), "_forward_cls", None)
        if fwd is None or fwd.operands is None:  # AccumulateGrad, custom Functions
            continue
        stored = {k for k in vars(node) if not k.startswith("_") and k != "next_functions"}
        assert stored <= set(fwd.ctx_attributes), (node.name(), stored - set(fwd.ctx_attributes))
        for name in fwd.ctx_attributes:
            assert f"_saved_{name}" in dir(node)


@pytest.mark.parametrize("case, combo", PARAMS)
def test_ctx_attributes_are_declared(case: OpCase, combo: tuple) -> None:
    """What a forward stores on ctx is declared by its op (shown as ``_saved_<name>``), so
    nothing depends on reading the forward's bytecode."""
    inputs = tuple(ak.tensor(a, requires_grad=True) for a in _inputs(case, combo, 4))
    _assert_ctx_attributes_declared(_first(case.fn(*inputs)))


LOSS_CALLS = {
    "mse": lambda x, t: ak.nn.functional.mse_loss(x, t),
    "nll": lambda x, t: ak.nn.functional.nll_loss(x, t.argmax(1), weight=ak.ones(4, dtype=ak.float64)),
    "cross_entropy": lambda x, t: ak.nn.functional.cross_entropy(x, t.argmax(1), label_smoothing=0.1),
    "bce": lambda x, t: ak.nn.functional.binary_cross_entropy(x.sigmoid(), t.sigmoid(), weight=t),
    "bce_logits": lambda x, t: ak.nn.functional.binary_cross_entropy_with_logits(
        x, t.sigmoid(), pos_weight=t
    ),
    "setitem": lambda x, t: _setitem(x, t),
}


def _setitem(x, t):
    y = x * 1
    y[0] = t[1]
    y[:, 1] = 0.0
    return y.max(1)[0] + y.amax(1) + y.prod(1) + y.std(1) + y.norm(dim=1) + y.clamp(0, 1).cumsum(1).sum(1)


@pytest.mark.parametrize("name", sorted(LOSS_CALLS))
def test_ctx_attributes_are_declared_for_losses_and_inplace(name: str) -> None:
    rng = np.random.default_rng(5)
    x = ak.tensor(rng.uniform(0.1, 0.9, (3, 4)), requires_grad=True)
    t = ak.tensor(rng.uniform(0.1, 0.9, (3, 4)))
    _assert_ctx_attributes_declared(LOSS_CALLS[name](x, t))
