"""Backward passes in several threads: accumulation into a shared leaf's ``.grad`` loses no
update, and no mix of threads leaves Python's garbage collector switched differently than it
was. Thread switches are forced often (``sys.setswitchinterval``) and every test is bounded."""

from __future__ import annotations

import gc
import sys
import threading

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.graph import gc_pause


@pytest.fixture
def frequent_switches():
    """Switch threads every microsecond, so races show up within a few iterations."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(previous)


def run_threads(target, count: int = 2, timeout: float = 60.0) -> None:
    errors = []

    def guarded():
        try:
            target()
        except BaseException as error:  # re-raised in the test's thread below
            errors.append(error)

    threads = [threading.Thread(target=guarded) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
        assert not t.is_alive(), "a backward thread did not finish in time"
    if errors:
        raise errors[0]


def test_concurrent_backward_into_one_leaf_loses_no_update(frequent_switches):
    # A large leaf: NumPy releases the GIL inside `grad += g`, where two threads would race.
    x = ak.zeros(2_000_000, requires_grad=True)
    y = (x * 1).sum()

    def work():
        for _ in range(30):
            y.backward(retain_graph=True)

    run_threads(work)
    assert int(np.count_nonzero(x.grad.numpy() != 60)) == 0


def test_concurrent_first_accumulations_keep_every_gradient(frequent_switches):
    # Many fresh leaves, each first reached by two threads at once (.grad is None for both).
    for _ in range(20):
        x = ak.zeros(1000, requires_grad=True)
        y = (x * 1).sum()
        barrier = threading.Barrier(2)

        def work(y=y, barrier=barrier):
            barrier.wait()
            y.backward(retain_graph=True)

        run_threads(work)
        assert x.grad.numpy().tolist() == [2.0] * 1000


class InterleavedSwitch:
    """The ``gc`` module as the GC pause sees it, forcing the worst interleaving of two passes:
    thread "B" reads the switch while thread A's pass has paused the GC, and only goes on once
    A has finished. Saving and restoring the switch per pass then leaves the GC off for good."""

    def __init__(self, b_has_read: threading.Event, a_finished: threading.Event) -> None:
        self.b_has_read, self.a_finished = b_has_read, a_finished

    def isenabled(self) -> bool:
        state = gc.isenabled()
        if threading.current_thread().name == "B" and not self.b_has_read.is_set():
            self.b_has_read.set()
            self.a_finished.wait(10)
        return state

    def __getattr__(self, name: str):
        return getattr(gc, name)


@pytest.mark.parametrize("initially_enabled", [True, False], ids=["gc-on", "gc-off"])
def test_interleaved_backward_passes_leave_the_gc_switch_as_it_was(monkeypatch, initially_enabled):
    a_inside, b_progressed, a_finished = threading.Event(), threading.Event(), threading.Event()
    monkeypatch.setattr(gc_pause, "gc", InterleavedSwitch(b_progressed, a_finished))
    x, z = ak.ones(3, requires_grad=True), ak.ones(3, requires_grad=True)

    def in_a_pass(g):
        a_inside.set()  # A's pass is running: B may start its own now
        b_progressed.wait(10)  # until B has read the switch (or finished its pass)

    def pass_a():
        y = x * 2
        y.register_hook(in_a_pass)
        y.sum().backward()

    def pass_b():
        a_inside.wait(10)
        (z * 3).sum().backward()
        b_progressed.set()

    was = gc.isenabled()
    try:
        gc.enable() if initially_enabled else gc.disable()
        thread_a, thread_b = threading.Thread(target=pass_a), threading.Thread(target=pass_b, name="B")
        thread_a.start(), thread_b.start()
        thread_a.join(20)
        a_finished.set()
        thread_b.join(20)
        assert not thread_a.is_alive() and not thread_b.is_alive()
        assert x.grad.tolist() == [2.0] * 3 and z.grad.tolist() == [3.0] * 3
        assert gc.isenabled() is initially_enabled
    finally:
        gc.enable() if was else gc.disable()


def test_many_threads_leave_the_gc_switch_as_it_was(frequent_switches):
    a = ak.ones(20_000, requires_grad=True)

    def work():
        for _ in range(50):
            (a * 2).sin().sum().backward()

    assert gc.isenabled()
    run_threads(work, count=4)
    assert gc.isenabled()


def test_gc_is_paused_during_backward_and_restored_after():
    seen = []
    x = ak.ones(2, requires_grad=True)
    y = x * 2
    y.register_hook(lambda g: seen.append(gc.isenabled()))
    assert gc.isenabled()
    y.sum().backward()
    assert seen == [False] and gc.isenabled()


def test_nested_backward_inside_a_hook_keeps_the_pause():
    seen = []
    x = ak.ones(2, requires_grad=True)
    inner = ak.ones(2, requires_grad=True)

    def hook(g):
        with ak.enable_grad():  # backward runs its hooks with grad mode off
            (inner * 3).sum().backward()
        seen.append(gc.isenabled())

    y = x * 2
    y.register_hook(hook)
    y.sum().backward()
    assert seen == [False] and gc.isenabled()
    assert inner.grad.numpy().tolist() == [3.0, 3.0]
