"""Every op in the table: forward vs NumPy, backward vs central differences (float64), node
names, fan-out (one tensor feeding several inputs) and second derivatives."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.autograd import gradcheck, gradgradcheck
from tests.op_table import OpCase, all_cases

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
