"""PyTorch's ``torch.autograd.profiler``: time every op, backward node and labelled block.

``with profile() as prf:`` installs two hooks through ``graph/switches.py`` (one around every
op's apply, one around every backward node) and removes them on exit, even when the profiled
code raises; outside a profile they are None and cost a None check. ``is_active()`` tells
nn.Module and optimizers whether to label their calls.
``record_function("label")`` marks a block or a function. Results come as ``prf.events()``,
``prf.key_averages()`` and ``print(prf.key_averages().table(sort_by="self_cpu_time_total"))``.
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Callable
from typing import Any

from ...graph.switches import profiler_active, set_profiler_hooks
from ..profiler_util import EventList, FunctionEvent, FunctionEventAvg
from .recorder import Recorder, make_clock

__all__ = ["profile", "record_function", "EventList", "FunctionEvent", "FunctionEventAvg", "is_active"]

_recorder: Recorder | None = None  # the open profile's recorder; None outside a profile


def is_active() -> bool:
    """Whether a profile is open (nn.Module calls and optimizer steps then get their own rows)."""
    return _recorder is not None and _recorder.records_this_thread()


class record_function:
    """Label a block (``with record_function("name"):``) or a function (as a decorator);
    inside a profile it becomes its own row, enclosing the ops it runs. Free otherwise."""

    __slots__ = ("name", "args", "_open")

    def __init__(self, name: str, args: str | None = None) -> None:
        if not isinstance(name, str):
            raise TypeError(f"record_function(): name must be a str, got {type(name).__name__}")
        self.name = name
        self.args = args
        self._open: list = []

    def __enter__(self) -> record_function:
        rec = _recorder
        recording = rec is not None and rec.records_this_thread()
        self._open.append((rec, rec.push(self.name, [], True)) if recording else None)
        return self

    def __exit__(self, *exc: object) -> bool:
        if not self._open:
            raise RuntimeError(f"record_function({self.name!r}): __exit__ without a matching __enter__")
        entry = self._open.pop()
        if entry is not None:
            entry[0].pop(entry[1])
        return False

    def __call__(self, fn: Callable) -> Callable:
        """Decorate ``fn`` so that each call is recorded under this name."""
        name, args = self.name, self.args

        @functools.wraps(fn)
        def wrapper(*a: Any, **k: Any) -> Any:
            if _recorder is None:
                return fn(*a, **k)
            with record_function(name, args):  # one instance per call: recursion/thread safe
                return fn(*a, **k)

        return wrapper


def _check_flag(name: str, value: Any) -> None:
    if value:
        raise NotImplementedError(f"profile({name}=True) is not supported by autograd_kit's profiler")


class profile:
    """Record ops, backward nodes and ``record_function`` blocks run inside ``with``.

    ``clock`` (autograd_kit only): None for wall time, ``'counter'`` to advance 1 us per clock
    read (a stable table for tests and notebooks), or a callable returning microseconds.
    """

    def __init__(
        self,
        enabled: bool = True,
        *,
        use_cuda: bool = False,
        use_device: str | None = None,
        record_shapes: bool = False,
        with_flops: bool = False,
        profile_memory: bool = False,
        with_stack: bool = False,
        with_modules: bool = False,
        use_kineto: bool = False,
        use_cpu: bool = True,
        clock: Any = None,
    ) -> None:
        if use_device is not None and not isinstance(use_device, str):
            raise TypeError(f"profile(): use_device must be a str or None, got {type(use_device).__name__}")
        for name, value in (
            ("with_flops", with_flops),
            ("with_stack", with_stack),
            ("with_modules", with_modules),
        ):
            _check_flag(name, value)
        if not use_cpu:
            raise ValueError("profile(use_cpu=False) would record nothing: autograd_kit runs only on the CPU")
        device = "cuda" if use_cuda else use_device
        if device is not None and device != "cpu":
            warnings.warn(
                f"profile(): autograd_kit computes with NumPy and has no {device!r} device; "
                "profiling on the CPU only (the table has no device columns)",
                UserWarning,
                stacklevel=2,
            )
        make_clock(clock)  # validate now rather than at __enter__
        self.enabled = bool(enabled)
        self.use_device = device
        self.record_shapes = bool(record_shapes)
        self.profile_memory = bool(profile_memory)
        self.use_kineto = use_kineto  # accepted for PyTorch compatibility; one backend here
        self._clock = clock
        self._state = "new"
        self._function_events: EventList | None = None
        self._to_us: Callable[[float], float] = lambda t: t
        self._rec: Recorder | None = None

    def __enter__(self) -> profile:
        global _recorder
        if self._state != "new":
            raise RuntimeError(
                "profile(): this profiler has already run; create a new profile() for each block"
            )
        if not self.enabled:
            self._state = "running"
            return self
        if _recorder is not None or profiler_active():
            raise RuntimeError(
                "profile(): another profiler is already running; nested profile() blocks are not "
                "supported (use record_function() to label a part of the outer one)"
            )
        read, self._to_us = make_clock(self._clock)
        rec = self._rec = Recorder(read, self.record_shapes, self.profile_memory)
        _recorder = rec
        set_profiler_hooks(rec.op_hook, rec.node_hook)
        self._state = "running"
        return self

    def __exit__(self, *exc: object) -> bool:
        global _recorder
        if self._state != "running":
            raise RuntimeError("profile(): __exit__ without a matching __enter__")
        rec = self._rec
        if rec is not None:
            if _recorder is rec:
                set_profiler_hooks(None, None)
                _recorder = None
            end = rec.clock()
            for stack in rec.stacks.values():  # blocks left open (a manual __enter__) end here
                for evt in stack:
                    evt.end_us = end
            rec.stacks = {}  # a record_function exiting later must not touch finished events
        self._function_events = self._finish(rec)
        self._state = "done"
        return False  # the profiled code's own exception propagates

    def _finish(self, rec: Recorder | None) -> EventList:
        events = [] if rec is None else rec.events
        to_us = self._to_us
        threads: dict[int, int] = {}
        for evt in events:
            evt.start_us = to_us(evt.start_us)
            evt.end_us = to_us(evt.end_us)
            evt.thread = threads.setdefault(evt.thread, len(threads) + 1)  # 1, 2, ... as PyTorch
        return EventList(events, profile_memory=self.profile_memory, use_device=self.use_device)

    def _results(self, what: str) -> EventList:
        if self._state == "running":
            raise RuntimeError(
                f"{what}: the profiler is still running; call it after the `with profile() as prf:` block ends"
            )
        if self._state == "new":
            raise RuntimeError(
                f"{what}: the profiler has not run yet; use it as `with profile() as prf: ...` first"
            )
        return self._function_events

    @property
    def function_events(self) -> EventList:
        """The raw events, in the order they started."""
        return self._results("function_events")

    def events(self) -> EventList:
        """The raw events (``FunctionEvent``: name, times, thread, parent/children, shapes)."""
        return self._results("events()")

    def key_averages(self, group_by_input_shape: bool = False, group_by_stack_n: int = 0) -> EventList:
        """Events averaged per name (and per input shapes with ``group_by_input_shape``)."""
        events = self._results("key_averages()")
        if group_by_stack_n:
            raise NotImplementedError("key_averages(group_by_stack_n=...): stacks are not recorded")
        if group_by_input_shape and not self.record_shapes:
            raise ValueError("key_averages(group_by_input_shape=True) needs profile(record_shapes=True)")
        return events.key_averages(group_by_input_shape)

    def total_average(self) -> FunctionEventAvg:
        """All events summed into one average with key ``'Total'``."""
        return self._results("total_average()").total_average()

    def table(self, *args: Any, **kwargs: Any) -> str:
        """The raw events' table (see ``EventList.table``)."""
        return self._results("table()").table(*args, **kwargs)

    @property
    def self_cpu_time_total(self) -> float:
        """Total profiled time (us): the sum of every event's self time."""
        return self._results("self_cpu_time_total").self_cpu_time_total

    def export_chrome_trace(self, path: str | os.PathLike) -> None:
        """Write the raw events as Chrome trace JSON, viewable in Perfetto or chrome://tracing."""
        self._results("export_chrome_trace()").export_chrome_trace(path)

    def __str__(self) -> str:
        if self._state != "done":
            return "<unfinished autograd_kit.autograd.profile>"
        return str(self._function_events)
