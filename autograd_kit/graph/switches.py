"""The switches the profiler and anomaly mode turn: the one place where the op path and the
engine are changed from outside, through the functions below (nothing assigns another module's
globals). Each switch is None or False when off, so the op path and the engine pay one
attribute read to check it.

- ``op_hook(cls, args, name=None)``: runs every op while a profile is open (it times the op and
  runs it); in-place ops pass their own row name (``aten::add_``).
- ``node_hook(node, grads)``: runs every backward node while a profile is open.
- ``anomaly_runner(node, grads)``: runs every backward node while anomaly detection is on.
- ``trace_forward``: anomaly detection is on, so each new node records the stack that made it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["SWITCHES", "profiler_active", "set_profiler_hooks", "set_anomaly_runner"]


class Switches:
    """The current switches (one instance, ``SWITCHES``)."""

    __slots__ = ("op_hook", "node_hook", "anomaly_runner", "trace_forward")

    def __init__(self) -> None:
        self.op_hook: Callable | None = None
        self.node_hook: Callable | None = None
        self.anomaly_runner: Callable | None = None
        self.trace_forward = False


SWITCHES = Switches()


def profiler_active() -> bool:
    """Whether a profile is open (its hooks run every op and node)."""
    return SWITCHES.op_hook is not None


def set_profiler_hooks(op_hook: Callable | None, node_hook: Callable | None) -> None:
    """Install a profile's hooks, or remove them with ``(None, None)``."""
    SWITCHES.op_hook, SWITCHES.node_hook = op_hook, node_hook


def set_anomaly_runner(runner: Callable[[Any, list], Any] | None) -> None:
    """Turn anomaly detection on (a node runner) or off (None)."""
    SWITCHES.anomaly_runner = runner
    SWITCHES.trace_forward = runner is not None
