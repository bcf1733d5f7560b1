"""Deep graphs and memory: a 100k-op chain runs backward (and is freed) without recursion,
graphs are freed by reference counting alone, and repeated training steps do not grow memory.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
import weakref

import numpy as np

from tests.helpers import arr, leaf

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
