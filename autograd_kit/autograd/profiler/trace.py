"""Chrome trace export: raw profiler events in the Trace Event Format that Perfetto reads.

One complete (``'X'``) event per recorded call with its input shapes and memory as args, a
``'user_annotation'`` category for ``record_function`` blocks, and flow arrows (``'s'``/``'f'``,
category ``fwdbwd``) from each forward op to the backward node it created, as PyTorch draws them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from ..profiler_util import FunctionEvent
from .table import format_memory

__all__ = ["chrome_trace"]

_EVALUATE = "autograd::engine::evaluate_function: "


def chrome_trace(events: Iterable[FunctionEvent]) -> dict:
    """The Trace Event Format object for raw events: one complete ('X') event per call,
    plus flow arrows from each forward op to the backward node it created."""
    events = list(events)
    for evt in events:
        if not isinstance(evt, FunctionEvent):
            raise TypeError(
                "export_chrome_trace() needs the raw events (prf.events()), not averages "
                f"(got {type(evt).__name__})"
            )
    pid = os.getpid()
    out: list[dict] = [
        {"ph": "M", "name": "process_name", "pid": pid, "tid": 0, "args": {"name": "autograd_kit"}}
    ]
    for tid in sorted({e.thread for e in events}):
        out.append(
            {"ph": "M", "name": "thread_name", "pid": pid, "tid": tid, "args": {"name": f"thread {tid}"}}
        )
    # One arrow per sequence number: from the first forward op that made the node to the
    # first run of that node (a backward run twice with retain_graph keeps one arrow).
    starts: dict[int, FunctionEvent] = {}
    ends: dict[int, FunctionEvent] = {}
    for evt in events:
        role = _role(evt)
        if evt.sequence_nr >= 0 and role != "engine":
            (ends if role == "backward" else starts).setdefault(evt.sequence_nr, evt)
    arrows = {id(e): "s" for seq, e in starts.items() if seq in ends}
    arrows.update({id(e): "f" for seq, e in ends.items() if seq in starts})
    for evt in events:
        args: dict = {"External id": evt.id}
        if evt.input_shapes:
            args["Input Dims"] = evt.input_shapes
        if evt.sequence_nr >= 0:
            args["Sequence number"] = evt.sequence_nr
        if evt.cpu_memory_usage:
            args["CPU Mem"] = format_memory(evt.cpu_memory_usage)
        cat = "user_annotation" if evt.is_user_annotation else "cpu_op"
        common = {"pid": pid, "tid": evt.thread, "ts": evt.start_us}
        out.append(
            {"ph": "X", "cat": cat, "name": evt.name, **common, "dur": evt.cpu_time_total, "args": args}
        )
        phase = arrows.get(id(evt))
        if phase is not None:
            flow = {"ph": phase, "id": evt.sequence_nr, **common, "cat": "fwdbwd", "name": "fwdbwd"}
            out.append({**flow, "bp": "e"} if phase == "f" else flow)
    return {"traceEvents": out, "displayTimeUnit": "ms"}


def _role(evt: FunctionEvent) -> str:
    """'engine' for the evaluate_function wrapper, 'backward' for the node inside it, else 'forward'."""
    if evt.name.startswith(_EVALUATE):
        return "engine"
    parent = evt.cpu_parent
    return "backward" if parent is not None and parent.name.startswith(_EVALUATE) else "forward"
