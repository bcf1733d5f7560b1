"""Profiler results: recorded events, their per-key averages, and the lists that hold them.

``FunctionEvent`` is one timed call (an op, a backward node, a ``record_function`` block) with
its nesting; ``FunctionEventAvg`` sums events sharing a key; ``EventList`` is the list-like that
``profile.events()`` and ``profile.key_averages()`` return, with ``table()``,
``key_averages()``, ``total_average()`` and ``export_chrome_trace()``. Attribute names follow
``torch.autograd.profiler_util``. Times are microseconds, memory is bytes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

from .profiler.table import build_table, format_time

__all__ = ["Interval", "FunctionEvent", "FunctionEventAvg", "EventList"]


class Interval:
    """A start/end pair in microseconds (PyTorch's ``time_range``)."""

    __slots__ = ("start", "end")

    def __init__(self, start: float, end: float) -> None:
        self.start = start
        self.end = end

    def elapsed_us(self) -> float:
        """The interval's length in microseconds."""
        return self.end - self.start

    def __repr__(self) -> str:
        return f"Interval(start={self.start}, end={self.end})"


class _NoDevice:
    """Device-side statistics: always zero, since a NumPy engine has no accelerator."""

    __slots__ = ()
    device_time = device_time_total = self_device_time_total = 0
    device_memory_usage = self_device_memory_usage = 0
    is_async = False
    is_remote = False
    node_id = -1
    use_device = None


class FunctionEvent(_NoDevice):
    """One recorded call: name, thread, start/end, input shapes, memory and nesting."""

    count = 1
    # Fields the recorder fills in on the hot path; plain slots keep that cheap.
    __slots__ = (
        "id", "name", "thread", "start_us", "end_us", "input_shapes", "cpu_memory_usage",
        "sequence_nr", "is_user_annotation", "cpu_parent", "cpu_children", "_produced",
    )  # fmt: skip

    def __init__(
        self,
        id: int,
        name: str,
        thread: int,
        start_us: float,
        end_us: float,
        input_shapes: list | None = None,
        cpu_memory_usage: int = 0,
        sequence_nr: int = -1,
        is_user_annotation: bool = False,
    ) -> None:
        self.id = id
        self.name = name
        self.thread = thread
        self.start_us = start_us
        self.end_us = end_us
        self.input_shapes = [] if input_shapes is None else input_shapes
        self.cpu_memory_usage = cpu_memory_usage
        self.sequence_nr = sequence_nr
        self.is_user_annotation = is_user_annotation
        self.cpu_parent: FunctionEvent | None = None
        self.cpu_children: list[FunctionEvent] = []
        self._produced = None

    @property
    def key(self) -> str:
        """The grouping key: the event's name."""
        return self.name

    @property
    def trace_name(self) -> str:
        """The name shown in a Chrome trace."""
        return self.name

    @property
    def time_range(self) -> Interval:
        """Start and end in microseconds."""
        return Interval(self.start_us, self.end_us)

    @property
    def cpu_time_total(self) -> float:
        """Wall time from start to end, children included (us)."""
        return self.end_us - self.start_us

    @property
    def cpu_time(self) -> float:
        """Same as ``cpu_time_total`` for a single event (us)."""
        return self.end_us - self.start_us

    @property
    def self_cpu_time_total(self) -> float:
        """Time not spent inside child events (us)."""
        return self.cpu_time_total - sum(c.cpu_time_total for c in self.cpu_children)

    @property
    def self_cpu_memory_usage(self) -> int:
        """Bytes allocated by this event itself, children excluded."""
        return self.cpu_memory_usage - sum(c.cpu_memory_usage for c in self.cpu_children)

    def append_cpu_child(self, child: FunctionEvent) -> None:
        """Record ``child`` as nested directly inside this event."""
        self.cpu_children.append(child)
        child.cpu_parent = self

    def __repr__(self) -> str:
        return (
            f"<FunctionEvent id={self.id} name={self.name} thread={self.thread} "
            f"start_us={self.start_us} end_us={self.end_us} cpu_time={format_time(self.cpu_time)} "
            f"cpu_children={[c.id for c in self.cpu_children]} input_shapes={self.input_shapes} "
            f"cpu_memory_usage={self.cpu_memory_usage} seq_nr={self.sequence_nr}>"
        )


class FunctionEventAvg(_NoDevice):
    """The sum of events sharing a key (and input shapes when grouped by them)."""

    def __init__(self) -> None:
        self.key: str | None = None
        self.count = 0
        self.cpu_time_total = 0
        self.self_cpu_time_total = 0
        self.cpu_memory_usage = 0
        self.self_cpu_memory_usage = 0
        self.input_shapes: Any = None
        self.cpu_parent: FunctionEvent | None = None
        self.cpu_children: list | None = None
        self.is_user_annotation = False

    @property
    def cpu_time(self) -> float:
        """Average time per call, children included (us)."""
        return 0.0 if self.count == 0 else self.cpu_time_total / self.count

    def add(self, other: FunctionEvent | FunctionEventAvg) -> FunctionEventAvg:
        """Add another event (or average) with the same key into this one."""
        if not isinstance(other, (FunctionEvent, FunctionEventAvg)):
            raise TypeError(f"can only add a FunctionEvent or FunctionEventAvg, got {type(other).__name__}")
        if self.key is None:
            self.key = other.key
            self.input_shapes = other.input_shapes
            self.cpu_parent = other.cpu_parent
            self.cpu_children = other.cpu_children
            self.is_user_annotation = other.is_user_annotation
        elif other.key != self.key:
            raise ValueError(f"cannot add an event with key {other.key!r} to the average of {self.key!r}")
        self.count += other.count
        self.cpu_time_total += other.cpu_time_total
        self.self_cpu_time_total += other.self_cpu_time_total
        self.cpu_memory_usage += other.cpu_memory_usage
        self.self_cpu_memory_usage += other.self_cpu_memory_usage
        return self

    __iadd__ = add

    def __repr__(self) -> str:
        return (
            f"<FunctionEventAvg key={self.key} self_cpu_time={format_time(self.self_cpu_time_total)} "
            f"cpu_time={format_time(self.cpu_time)} input_shapes={self.input_shapes} "
            f"cpu_memory_usage={self.cpu_memory_usage}>"
        )


class EventList(list):
    """A list of events (raw or averaged) that prints as PyTorch's profiler table."""

    def __init__(self, events: Iterable = (), *, profile_memory: bool = False, use_device: str | None = None):
        super().__init__(events)
        self._profile_memory = profile_memory
        self._use_device = use_device

    def __str__(self) -> str:
        return self.table()

    def _build_tree(self) -> None:
        """Nest synthetic events (built by hand, e.g. in tests) by their time ranges, per thread."""
        for evt in self:
            evt.cpu_parent, evt.cpu_children = None, []
        by_thread: dict = {}
        for evt in sorted(self, key=lambda e: (e.thread, e.start_us, -e.end_us)):
            stack = by_thread.setdefault(evt.thread, [])
            while stack and stack[-1].end_us <= evt.start_us:
                stack.pop()
            if stack:
                if evt.end_us > stack[-1].end_us:
                    raise ValueError(f"event {evt.name!r} overlaps {stack[-1].name!r} without nesting in it")
                stack[-1].append_cpu_child(evt)
            stack.append(evt)

    @property
    def self_cpu_time_total(self) -> float:
        """Sum of every event's self time (us): the profiled time."""
        return sum(e.self_cpu_time_total for e in self)

    def table(
        self,
        sort_by: str | None = None,
        row_limit: int = 100,
        max_name_column_width: int | None = 55,
        max_shapes_column_width: int | None = 80,
        header: str | None = None,
        top_level_events_only: bool = False,
        time_unit: str | None = None,
    ) -> str:
        """The events as PyTorch's text table, optionally sorted by a key and truncated."""
        return build_table(
            self,
            sort_by=sort_by,
            row_limit=row_limit,
            max_name_column_width=max_name_column_width,
            max_shapes_column_width=max_shapes_column_width,
            header=header,
            profile_memory=self._profile_memory,
            top_level_events_only=top_level_events_only,
            time_unit=time_unit,
        )

    def key_averages(self, group_by_input_shapes: bool = False) -> EventList:
        """One ``FunctionEventAvg`` per key (per key and input shapes when grouping)."""
        stats: dict = {}
        for evt in self:
            key = (evt.key, str(evt.input_shapes)) if group_by_input_shapes else evt.key
            avg = stats.get(key)
            if avg is None:
                avg = stats[key] = FunctionEventAvg()
            avg.add(evt)
        if not group_by_input_shapes:
            for avg in stats.values():
                avg.input_shapes = ""  # PyTorch blanks them, so the table has no shapes column
        return EventList(stats.values(), profile_memory=self._profile_memory, use_device=self._use_device)

    def total_average(self) -> FunctionEventAvg:
        """Every event summed into one ``FunctionEventAvg`` with key ``'Total'``."""
        total = FunctionEventAvg()
        for evt in self:
            total.key = None
            total.add(evt)
        total.key = "Total"
        return total

    def export_chrome_trace(self, path: str | os.PathLike) -> None:
        """Write the events as Chrome trace JSON (chrome://tracing, https://ui.perfetto.dev)."""
        from .profiler.trace import chrome_trace

        text = json.dumps(chrome_trace(self))
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as e:
            raise type(e)(
                e.errno, f"export_chrome_trace(): cannot write the trace to {os.fspath(path)!r}: {e.strerror}"
            ) from e
