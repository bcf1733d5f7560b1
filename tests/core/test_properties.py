"""Property tests: random expression graphs (with fan-out, broadcasting and 0-d sums) built from
+ - * / neg pow sin exp tanh sum; the engine's gradients must match central differences.

Two independent references: a hand-written central-difference directional derivative checked
against ``backward(gradient=v)`` (the plain array path), and gradcheck/gradgradcheck (which use
autograd.grad). Examples are bounded so the file runs in a few seconds.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import autograd_kit as ak
from autograd_kit.autograd import gradcheck, gradgradcheck

UNARY = {
    "neg": lambda a: -a,
    "pow2": lambda a: a**2,
    "pow3": lambda a: a**3,
    "sin": lambda a: a.sin(),
    "exp": lambda a: a.exp(),
    "tanh": lambda a: a.tanh(),
    "sum": lambda a: a.sum(),  # a 0-d result that later broadcasts against full shapes
    "rsub": lambda a: 1.5 - a,
    "scale": lambda a: 0.5 * a,
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    # a safe denominator: b*b + 1 >= 1
    "div": lambda a, b: a / (b * b + 1),
}


@st.composite
def programs(draw, max_ops=6):
    """(leaf shapes, op list, seed): every leaf shape broadcasts to one base shape."""
    base = draw(st.lists(st.integers(1, 3), min_size=0, max_size=2))
    n_leaves = draw(st.integers(1, 3))
    shapes = []
    for _ in range(n_leaves):
        keep = draw(st.integers(0, len(base)))  # drop leading dims
        dims = base[len(base) - keep :]
        shapes.append(tuple(d if draw(st.booleans()) else 1 for d in dims))
    ops = []
    for k in range(draw(st.integers(1, max_ops))):
        available = n_leaves + k
        if draw(st.booleans()):
            name = draw(st.sampled_from(sorted(BINARY)))
            ops.append((name, draw(st.integers(0, available - 1)), draw(st.integers(0, available - 1))))
        else:
            ops.append((draw(st.sampled_from(sorted(UNARY))), draw(st.integers(0, available - 1))))
    seed = draw(st.integers(0, 2**16))
    return shapes, ops, seed


def run(ops, leaves):
    """Replay the program; the result combines the last value with every intermediate one, so
    values reused by later ops (fan-out) and dead branches both contribute."""
    values = list(leaves)
    for op in ops:
        if op[0] in BINARY:
            values.append(BINARY[op[0]](values[op[1]], values[op[2]]))
        else:
            values.append(UNARY[op[0]](values[op[1]]))
    out = values[-1]
    for v in values[len(leaves) : -1]:
        out = out + 0.25 * v
    return out


def make_leaves(shapes, seed):
    rng = np.random.default_rng(seed)
    return [ak.tensor(rng.uniform(-1.2, 1.2, size=s), dtype=ak.float64, requires_grad=True) for s in shapes]


def finite_and_moderate(t):
    data = t.detach().numpy()
    return bool(np.all(np.isfinite(data)) and np.all(np.abs(data) < 1e4))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_backward_matches_central_differences(program):
    shapes, ops, seed = program
    leaves = make_leaves(shapes, seed)
    out = run(ops, leaves)
    assume(finite_and_moderate(out))
    v = np.random.default_rng(seed + 1).uniform(-1, 1, size=out.shape)
    out.backward(gradient=ak.tensor(v, dtype=ak.float64))
    eps = 1e-6
    used = {i for op in ops for i in op[1:]}
    for i, leaf in enumerate(leaves):
        # a leaf no op reads gets no gradient at all; every other one gets one
        assert (leaf.grad is not None) == (i in used)
        if leaf.grad is None:
            continue
        assert leaf.grad.shape == leaf.shape and leaf.grad.dtype == ak.float64
        flat = leaf.detach().numpy().reshape(-1)  # shares storage with the leaf
        numeric = np.zeros(flat.size)
        for k in range(flat.size):
            orig = flat[k]
            flat[k] = orig + eps
            with ak.no_grad():
                hi = float((run(ops, leaves).numpy() * v).sum())
            flat[k] = orig - eps
            with ak.no_grad():
                lo = float((run(ops, leaves).numpy() * v).sum())
            flat[k] = orig
            numeric[k] = (hi - lo) / (2 * eps)
        np.testing.assert_allclose(leaf.grad.numpy().reshape(-1), numeric, rtol=1e-4, atol=1e-5)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_random_graphs_pass_gradcheck(program):
    shapes, ops, seed = program
    leaves = make_leaves(shapes, seed)
    assume(finite_and_moderate(run(ops, leaves)))
    assert gradcheck(lambda *xs: run(ops, xs), tuple(leaves), atol=1e-5, rtol=1e-3)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(max_ops=4))
def test_random_graphs_pass_gradgradcheck(program):
    shapes, ops, seed = program
    leaves = make_leaves(shapes, seed)
    assume(finite_and_moderate(run(ops, leaves)))
    assert gradgradcheck(lambda *xs: run(ops, xs), tuple(leaves), atol=1e-4, rtol=1e-3)


@settings(max_examples=25, deadline=None)
@given(programs(max_ops=5))
def test_grad_and_backward_agree_and_accumulate(program):
    # autograd.grad (capture path) == backward (accumulate path); a second backward doubles .grad
    shapes, ops, seed = program
    leaves = make_leaves(shapes, seed)
    out = run(ops, leaves).sum()
    assume(finite_and_moderate(out))
    grads = ak.autograd.grad(out, leaves, retain_graph=True, allow_unused=True)
    out.backward(retain_graph=True)
    out.backward()
    for leaf, g in zip(leaves, grads):
        if g is None:
            assert leaf.grad is None
            continue
        assert leaf.grad is not None
        np.testing.assert_allclose(leaf.grad.numpy(), 2 * g.numpy(), rtol=1e-12, atol=1e-12)
