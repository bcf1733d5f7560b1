"""Rows of a profiler's ``key_averages()``, read through public attributes only, so torch's work too.

A row keeps what PyTorch's table shows (name, calls, self and total CPU time, average) and
whether it belongs to the backward pass, which is decided from the name alone: the engine's
``autograd::engine::evaluate_function: ...`` wrappers, nodes named ``...Backward<N>`` and
``torch::autograd::AccumulateGrad`` are backward; everything else is forward.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["ProfileRow", "SORT_OPTIONS", "read_rows", "is_backward", "sort_rows", "format_us"]

_BACKWARD = re.compile(r"^autograd::engine::evaluate_function|Backward\d+$|^torch::autograd::AccumulateGrad$")

# label -> attribute; numbers sort largest first, names alphabetically
SORT_OPTIONS = {
    "Self CPU": "self_cpu_time_total",
    "CPU total": "cpu_time_total",
    "CPU time avg": "cpu_time",
    "# of Calls": "count",
    "Name": "key",
}


@dataclass(frozen=True)
class ProfileRow:
    """One averaged event: its key, call count, times in microseconds and pass."""

    key: str
    count: int
    self_cpu_time_total: float
    cpu_time_total: float
    cpu_time: float
    backward: bool

    @property
    def phase(self) -> str:
        """``'backward'`` or ``'forward'``."""
        return "backward" if self.backward else "forward"


def is_backward(key: str) -> bool:
    """True for keys of the backward pass (engine wrappers, ``...Backward0`` nodes, AccumulateGrad)."""
    return bool(_BACKWARD.search(key))


def _events(profile: Any) -> list:
    listed = isinstance(profile, (list, tuple))
    if isinstance(profile, (str, bytes)) or not (listed or hasattr(profile, "key_averages")):
        raise TypeError(
            "ProfilerView expects a finished profiler (`with profiler.profile() as prf: ...`, then "
            f"ProfilerView(prf)) or its key_averages(); got {type(profile).__name__}"
        )
    # raw events (prf.events()) have a time_range; averages are used as they are
    if listed and not (hasattr(profile, "key_averages") and any(hasattr(e, "time_range") for e in profile)):
        return list(profile)
    try:
        return list(profile.key_averages())
    except Exception as exc:  # ours says "still running"; torch's "didn't finish": both mean not finished
        raise RuntimeError(
            "ProfilerView: cannot read the profile, it has not finished: create the view after the "
            f"`with profile() as prf:` block ends ({type(exc).__name__}: {exc})"
        ) from exc


def read_rows(profile: Any) -> list[ProfileRow]:
    """The profile's averaged rows in the profiler's own order."""
    rows = []
    for e in _events(profile):
        try:
            key = str(e.key)
            rows.append(
                ProfileRow(
                    key=key,
                    count=int(e.count),
                    self_cpu_time_total=float(e.self_cpu_time_total),
                    cpu_time_total=float(e.cpu_time_total),
                    cpu_time=float(getattr(e, "cpu_time", e.cpu_time_total / max(int(e.count), 1))),
                    backward=is_backward(key),
                )
            )
        except (AttributeError, TypeError, ValueError) as exc:
            raise TypeError(
                f"ProfilerView: a {type(e).__name__} in the profile lacks the key_averages() attributes "
                f"(key, count, self_cpu_time_total, cpu_time_total): {exc}"
            ) from exc
    return rows


def sort_rows(rows: list[ProfileRow], by: str) -> list[ProfileRow]:
    """Rows sorted by an attribute of ``SORT_OPTIONS``: largest first (names A to Z).

    Ties keep the profile's order, as in ``key_averages().table(sort_by=...)``, so the view lists
    rows in the same order as the printed table.
    """
    if by not in SORT_OPTIONS.values():
        raise ValueError(
            f"ProfilerView: cannot sort by {by!r}; choose one of {', '.join(SORT_OPTIONS.values())}"
        )
    if by == "key":
        return sorted(rows, key=lambda r: r.key)
    return sorted(rows, key=lambda r: getattr(r, by), reverse=True)


def format_us(us: float) -> str:
    """Microseconds as the profiler table prints them: ``12.000us``, ``4.346ms``, ``1.500s``."""
    if abs(us) >= 1e6:
        return f"{us / 1e6:.3f}s"
    if abs(us) >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"
