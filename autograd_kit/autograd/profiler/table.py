"""The profiler's text table, laid out exactly as PyTorch's ``EventList.table()``.

Every column is right-aligned and followed by two spaces (so lines end in two spaces); the Name
column is as wide as the longest key plus 4, capped by ``max_name_column_width``; the others are
12 wide; an ``Input Shapes`` column appears when events carry shapes. Times print as
``us``/``ms``/``s`` with three decimals and memory as ``B``/``KB``/``MB``/``GB``, as PyTorch 2.13.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["SORT_KEYS", "build_table", "format_time", "format_time_share", "format_memory"]

# PyTorch's sort keys; cuda/xpu spellings read the (always zero) device statistics.
SORT_KEYS = (
    "cpu_time", "cpu_time_total", "self_cpu_time_total",
    "cpu_memory_usage", "self_cpu_memory_usage", "count",
    "cuda_time", "cuda_time_total", "self_cuda_time_total", "cuda_memory_usage", "self_cuda_memory_usage",
    "xpu_time", "xpu_time_total", "self_xpu_time_total", "xpu_memory_usage", "self_xpu_memory_usage",
    "device_time", "device_time_total", "self_device_time_total", "device_memory_usage",
    "self_device_memory_usage",
)  # fmt: skip
_TIME_UNITS = {"s": (1e6, "s"), "ms": (1e3, "ms"), "us": (1.0, "us")}
_COLUMN = 12
_GAP = "  "


def format_time(time_us: float, unit: str | None = None) -> str:
    """Microseconds as PyTorch prints them: ``'4.346ms'``, ``'12.000us'``, ``'1.500s'``."""
    if unit is None:
        unit = "s" if time_us >= 1e6 else ("ms" if time_us >= 1e3 else "us")
    scale, suffix = _TIME_UNITS[unit]
    return f"{time_us / scale:.3f}{suffix}"


def format_time_share(time_us: float, total_us: float) -> str:
    """``time_us`` as a percentage of ``total_us`` (``'NaN'`` when nothing was timed)."""
    if total_us == 0:
        return "NaN"
    return f"{time_us * 100.0 / total_us:.2f}%"


def format_memory(nbytes: int) -> str:
    """Bytes as PyTorch prints them: ``'24 B'``, ``'1.50 KB'``, ``'-2.00 MB'``."""
    for limit, suffix in ((1024**3, "GB"), (1024**2, "MB"), (1024, "KB")):
        if abs(nbytes) >= limit:
            return f"{nbytes / limit:.2f} {suffix}"
    return f"{nbytes} B"


def _sort_attribute(sort_by: str) -> str:
    if not isinstance(sort_by, str) or sort_by not in SORT_KEYS:
        raise ValueError(f"table(): unknown sort_by key {sort_by!r}; valid keys are: {', '.join(SORT_KEYS)}")
    return sort_by.replace("cuda", "device").replace("xpu", "device")


def build_table(
    events: Sequence[Any],
    sort_by: str | None = None,
    row_limit: int | None = 100,
    max_name_column_width: int | None = 55,
    max_shapes_column_width: int | None = 80,
    header: str | None = None,
    profile_memory: bool = False,
    top_level_events_only: bool = False,
    time_unit: str | None = None,
) -> str:
    """Render events (raw or averaged) as PyTorch's profiler table, footer included."""
    if sort_by is not None:
        attr = _sort_attribute(sort_by)
    if time_unit is not None and time_unit not in _TIME_UNITS:
        raise ValueError(f"table(): unknown time_unit {time_unit!r}; valid units are: s, ms, us")
    if row_limit is not None and (isinstance(row_limit, bool) or not isinstance(row_limit, int)):
        raise TypeError(f"table(): row_limit must be an int or None, got {type(row_limit).__name__}")
    for width, what in (
        (max_name_column_width, "max_name_column_width"),
        (max_shapes_column_width, "max_shapes_column_width"),
    ):
        if width is not None and (not isinstance(width, int) or width < 4):
            raise ValueError(f"table(): {what} must be an int >= 4 or None, got {width!r}")
    if len(events) == 0:
        return ""
    if sort_by is not None:
        # sorted() is stable with reverse=True: ties keep their recorded order, as in PyTorch.
        events = sorted(events, key=lambda e: getattr(e, attr), reverse=True)

    name_width = max(len(e.key) for e in events) + 4
    if max_name_column_width is not None:
        name_width = min(name_width, max_name_column_width)
    headers = ["Name", "Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg"]
    if profile_memory:
        headers += ["CPU Mem", "Self CPU Mem"]
    headers.append("# of Calls")
    widths = [name_width] + [_COLUMN] * (len(headers) - 1)
    has_shapes = any(e.input_shapes is not None and len(e.input_shapes) > 0 for e in events)
    if has_shapes:
        shapes_width = max(len(str(e.input_shapes)) for e in events) + 4
        if max_shapes_column_width is not None:
            shapes_width = min(shapes_width, max_shapes_column_width)
        headers.append("Input Shapes")
        widths.append(shapes_width)

    def row(values: list) -> str:
        return "".join(f"{v:>{w}}{_GAP}" for v, w in zip(values, widths))

    separator = "".join("-" * w + _GAP for w in widths)
    line_length = sum(widths) + len(_GAP) * (len(widths) - 1)
    total_self = sum(e.self_cpu_time_total for e in events)
    lines = []
    if header is not None:
        lines += ["=" * line_length, header]
    if top_level_events_only:
        lines += ["=" * line_length, "This report only display top-level ops statistics"]
    lines += [separator, row(headers), separator]
    shown = 0
    for evt in events:
        if shown == row_limit:
            break
        if top_level_events_only and evt.cpu_parent is not None:
            continue
        shown += 1
        name = evt.key
        if max_name_column_width is not None and len(name) >= max_name_column_width - 3:
            name = name[: max_name_column_width - 3] + "..."
        values = [
            name,
            format_time_share(evt.self_cpu_time_total, total_self),
            format_time(evt.self_cpu_time_total, time_unit),
            format_time_share(evt.cpu_time_total, total_self),
            format_time(evt.cpu_time_total, time_unit),
            format_time(evt.cpu_time, time_unit),
        ]
        if profile_memory:
            values += [format_memory(evt.cpu_memory_usage), format_memory(evt.self_cpu_memory_usage)]
        values.append(evt.count)
        if has_shapes:
            values.append(str(evt.input_shapes)[:shapes_width])
        lines.append(row(values))
    lines += [separator, f"Self CPU time total: {format_time(total_self, time_unit)}"]
    return "".join(line + "\n" for line in lines)
