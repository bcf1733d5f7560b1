"""Pausing Python's cyclic garbage collector while backward passes run, without changing the
switch that other threads see afterwards."""

from __future__ import annotations

import gc
from threading import Lock

__all__ = ["GCPause", "GC_PAUSE"]


class GCPause:
    """Pauses Python's cyclic GC while any backward pass runs, in any thread.

    A backward pass allocates many short-lived containers and creates no reference cycles;
    the collector would rescan the whole (large, live) graph again and again, making long
    chains superlinear. The GC switch is process-wide, so passes in several threads share one
    pause: the first to enter records whether the GC was on, the last to leave restores that.
    (Each pass saving and restoring the switch on its own could leave it off for good.)"""

    def __init__(self) -> None:
        self._lock = Lock()
        self._depth = 0
        self._was_enabled = False

    def enter(self) -> None:
        """Start (or join) the pause."""
        with self._lock:
            if self._depth == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._depth += 1

    def leave(self) -> None:
        """Leave the pause; the last pass out restores the GC's state."""
        with self._lock:
            self._depth -= 1
            if self._depth == 0 and self._was_enabled:
                gc.enable()


GC_PAUSE = GCPause()
