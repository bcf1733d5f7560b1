"""The engine's execution order (recorded with record_steps): diamonds and wide fan-out run
each node once, in dependency order, with the newest ready node first as in PyTorch.
"""

from __future__ import annotations

import numpy as np

from autograd_kit.graph.engine import record_steps
from autograd_kit.graph.node import AccumulateGrad
from tests.helpers import arr, leaf


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
