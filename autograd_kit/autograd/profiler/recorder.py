"""The profiler's recorder: the two hooks, per-thread stacks of open events, and clocks.

While a profile is open, the switches' ``op_hook`` is ``Recorder.op_hook`` and their
``node_hook`` is ``Recorder.node_hook``; each pushes an event, runs the op or node, and
pops it in a ``finally`` so nesting stays right even when the op raises. Memory is counted as
the bytes of outputs that are neither inputs, views of them, nor arrays a nested event produced.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from threading import get_ident
from typing import Any

import numpy as np

from ..._tensor.tensor import Tensor
from ...graph.node import AccumulateGrad
from ..profiler_util import FunctionEvent

__all__ = ["Recorder", "make_clock"]

_EVALUATE = "autograd::engine::evaluate_function: "
_ACCUMULATE_GRAD = "torch::autograd::AccumulateGrad"  # PyTorch's name for the node's event


def _shapes(values: Any) -> list:
    return [list(v.shape) if isinstance(v, (Tensor, np.ndarray)) else [] for v in values]


def _arrays(value: Any) -> list:
    if isinstance(value, Tensor):
        return [value._data]
    if isinstance(value, (np.ndarray, np.generic)):
        return [value]
    if isinstance(value, (tuple, list)):
        return [a for v in value for a in _arrays(v)]
    return []


def _root(a: Any) -> Any:
    while isinstance(getattr(a, "base", None), np.ndarray):
        a = a.base
    return a


class Recorder:
    """The events of one open profile: the ops, nodes and labelled blocks of the thread that
    opened it (as PyTorch's autograd profiler records its own thread only)."""

    def __init__(self, clock: Callable[[], float], record_shapes: bool, profile_memory: bool) -> None:
        self.clock = clock
        self.record_shapes = record_shapes
        self.profile_memory = profile_memory
        self.events: list[FunctionEvent] = []
        self.stacks: dict[int, list[FunctionEvent]] = {}
        self.thread = get_ident()

    def records_this_thread(self) -> bool:
        """Whether the calling thread is the one being profiled."""
        return get_ident() == self.thread

    def push(self, name: str, shapes: list, annotation: bool = False) -> FunctionEvent:
        """Open an event nested in the innermost open event of this thread."""
        tid = get_ident()
        stack = self.stacks.get(tid)
        if stack is None:
            stack = self.stacks[tid] = []
        evt = FunctionEvent(len(self.events) + 1, name, tid, 0, 0, shapes, 0, -1, annotation)
        if stack:
            stack[-1].append_cpu_child(evt)
        stack.append(evt)
        self.events.append(evt)
        evt.start_us = self.clock()  # last, so the bookkeeping above is not timed as the op
        return evt

    def pop(self, evt: FunctionEvent, outputs: Any = None, inputs: Any = ()) -> None:
        """Close ``evt`` (and anything left open inside it); count its outputs' new bytes."""
        end = self.clock()
        stack = self.stacks.get(evt.thread)
        if not stack or evt not in stack:
            return  # already closed when the profile ended
        while stack:
            top = stack.pop()
            top.end_us = end
            if self.profile_memory:
                self._count_memory(top, outputs if top is evt else None, inputs if top is evt else ())
            if top is evt:
                break

    def _count_memory(self, evt: FunctionEvent, outputs: Any, inputs: Any) -> None:
        # An output is a new allocation unless it is (a view of) an input or of an array a
        # nested event already produced: views cost 0 B, as in PyTorch's table.
        produced = evt._produced or {}
        seen = {id(_root(a)) for a in _arrays(inputs)}
        seen.update(produced)
        new, outs = 0, _arrays(outputs)
        for a in outs:
            root = _root(a)
            if id(root) not in seen:
                seen.add(id(root))
                new += a.nbytes
        evt.cpu_memory_usage = new + sum(c.cpu_memory_usage for c in evt.cpu_children)
        parent = evt.cpu_parent
        if parent is not None:
            if parent._produced is None:
                parent._produced = {}
            parent._produced.update(produced)
            parent._produced.update((id(_root(a)), _root(a)) for a in outs)  # keeps ids valid
        evt._produced = None

    def op_hook(self, cls: Any, args: tuple, name: str | None = None) -> Any:
        """The op hook: time one op's forward as ``name`` (in-place ops) or ``cls.aten_name``."""
        if get_ident() != self.thread:
            return cls._apply(args)
        evt = self.push(name or cls.aten_name, _shapes(args) if self.record_shapes else [])
        out = None
        try:
            out = cls._apply(args)
        finally:
            self.pop(evt, out, args)
        node = getattr(out[0] if type(out) is tuple and out else out, "grad_fn", None)
        if node is not None and type(node) is getattr(cls, "_backward_cls", None):
            evt.sequence_nr = node._seq  # links the op to its backward node in the trace
        return out

    def node_hook(self, node: Any, grads: list) -> Any:
        """The node hook: time one backward node, inside PyTorch's engine event."""
        if get_ident() != self.thread:
            return node._run_backward(grads)
        name = _ACCUMULATE_GRAD if type(node) is AccumulateGrad else node.name()
        outer = self.push(_EVALUATE + name, [])
        inner = self.push(name, _shapes(grads) if self.record_shapes else [])
        seq = getattr(node, "_seq", -1)
        if type(seq) is int:
            outer.sequence_nr = inner.sequence_nr = seq
        outs = None
        try:
            outs = node._run_backward(grads)
        finally:
            self.pop(inner, outs, grads)
            self.pop(outer)
        return outs


def make_clock(clock: Any) -> tuple[Callable[[], float], Callable[[float], float]]:
    """(read, to_us): the hot-path reader and the conversion applied once at the end."""
    if clock is None:
        base = time.perf_counter_ns()
        return time.perf_counter_ns, lambda t: (t - base) / 1000.0
    if clock == "counter":
        return itertools.count().__next__, lambda t: t
    if callable(clock) and not isinstance(clock, str):
        return clock, lambda t: t
    raise ValueError(
        f"profile(): clock must be None (wall time), 'counter' (every clock read advances 1 us, "
        f"for reproducible tables) or a callable returning microseconds, got {clock!r}"
    )
