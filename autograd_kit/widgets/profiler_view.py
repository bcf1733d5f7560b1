"""ProfilerView: a profiler's ``key_averages()`` as a table you can sort and filter, and a bar chart.

It takes a finished profile: ours (``autograd_kit.autograd.profiler.profile``) or PyTorch's,
which has the same ``key_averages()`` attribute names, or the ``key_averages()`` list itself.
Controls pick the sort key, the row limit and forward/backward rows; the chart shows each shown
row's self CPU time, forward and backward coloured apart.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ._figures import DPI, StaticPicture, image_widget, message_html, new_figure, show_figure, table_html
from ._profile_rows import SORT_OPTIONS, ProfileRow, format_us, read_rows, sort_rows

__all__ = ["ProfilerView"]

PHASE_COLORS = {"forward": "#4c72b0", "backward": "#dd8452"}
_PHASES = ("all", "forward", "backward")
_LABEL_CHARS = 48


class ProfilerView(StaticPicture, widgets.VBox):
    """Sortable table and self-time bar chart of a finished profile.

    ``sort_by`` is a ``key_averages()`` attribute (``'self_cpu_time_total'``, ``'cpu_time_total'``,
    ``'cpu_time'``, ``'count'``, ``'key'``) or its column title; ``phase`` is ``'all'``,
    ``'forward'`` or ``'backward'``.
    """

    def __init__(
        self,
        profile: Any,
        *,
        sort_by: str = "self_cpu_time_total",
        row_limit: int = 20,
        phase: str = "all",
        width: float = 9.0,
    ) -> None:
        self._rows = read_rows(profile)
        sort_by = SORT_OPTIONS.get(sort_by, sort_by)
        if sort_by not in SORT_OPTIONS.values():
            raise ValueError(
                f"ProfilerView: cannot sort by {sort_by!r}; choose one of {', '.join(SORT_OPTIONS.values())}"
            )
        if phase not in _PHASES:
            raise ValueError(f"ProfilerView: phase must be one of {', '.join(_PHASES)}, got {phase!r}")
        if int(row_limit) < 1:
            raise ValueError(f"ProfilerView: row_limit must be at least 1, got {row_limit}")
        self._width = float(width)
        self._total = sum(r.self_cpu_time_total for r in self._rows)
        n = max(len(self._rows), 1)
        self.sort_by = widgets.Dropdown(
            options=list(SORT_OPTIONS.items()), value=sort_by, description="sort by"
        )
        self.row_limit = widgets.IntSlider(value=min(int(row_limit), n), min=1, max=n, description="rows")
        self.phase = widgets.ToggleButtons(options=list(_PHASES), value=phase, description="show")
        self.phase.style.button_width = "auto"  # 80px cut "backward" to "backw…"
        self.message = widgets.HTML()
        self.table = widgets.HTML(layout=widgets.Layout(overflow="auto"))
        self.image = image_widget()
        for control in (self.sort_by, self.row_limit, self.phase):
            control.observe(self._on_change, names="value")
        super().__init__(
            children=[
                widgets.HBox([self.sort_by, self.row_limit]),
                self.phase,
                self.message,
                self.table,
                self.image,
            ]
        )
        self.figure: Any = None
        self.refresh()

    # --- state -------------------------------------------------------------------------
    @property
    def all_rows(self) -> list[ProfileRow]:
        """Every row of the profile, in the profiler's order."""
        return list(self._rows)

    @property
    def rows(self) -> list[ProfileRow]:
        """The rows shown: filtered by pass, sorted, cut at the row limit."""
        phase = self.phase.value
        rows = [r for r in self._rows if phase == "all" or r.phase == phase]
        return sort_rows(rows, self.sort_by.value)[: self.row_limit.value]

    # --- drawing -----------------------------------------------------------------------
    def _on_change(self, change: dict) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Redraw the table and the chart for the current controls."""
        rows = self.rows
        if not self._rows:
            # a PyTorch profile read before its `with` block ends looks just like this: no rows
            self.message.value = message_html(
                "the profile has no events: did its `with` block run any operations, and has it ended?"
            )
        elif not rows:
            self.message.value = message_html(f"no {self.phase.value} rows in this profile", "warning")
        else:
            self.message.value = ""
        self.table.value = self._table_html(rows)
        self._plot(rows)

    def _share(self, us: float) -> str:
        return "NaN" if self._total == 0 else f"{us * 100.0 / self._total:.2f}%"

    def _table_html(self, rows: list[ProfileRow]) -> str:
        header = [
            "Name",
            "Pass",
            "Self CPU %",
            "Self CPU",
            "CPU total %",
            "CPU total",
            "CPU time avg",
            "# of Calls",
        ]
        body = [
            [
                r.key,
                r.phase,
                self._share(r.self_cpu_time_total),
                format_us(r.self_cpu_time_total),
                self._share(r.cpu_time_total),
                format_us(r.cpu_time_total),
                format_us(r.cpu_time),
                r.count,
            ]
            for r in rows
        ]
        backward = sum(r.backward for r in rows)
        foot = (
            f"<div style='font-family:monospace;font-size:12px'>Self CPU time total: {format_us(self._total)}"
            f" · showing {len(rows)} of {len(self._rows)} rows ({len(rows) - backward} forward, "
            f"{backward} backward), sorted by {self.sort_by.label}</div>"
        )
        return table_html(header, body, ["right", "left"] + ["right"] * 6) + foot

    def _plot(self, rows: list[ProfileRow]) -> None:
        from matplotlib.patches import Patch  # lazily, like every matplotlib import of the widgets

        labels = [_short(r.key) for r in rows]
        height = 0.9 + 0.26 * max(len(rows), 1)
        fig = new_figure(
            self._width, height, left=0.3, right=0.97, top=1 - 0.35 / height, bottom=0.55 / height
        )
        ax = fig.add_subplot()
        y = list(range(len(rows)))
        times = [r.self_cpu_time_total for r in rows]
        scale, unit = (1e3, "ms") if max(times, default=0) >= 1e4 else (1.0, "us")
        ax.barh(y, [t / scale for t in times], color=[PHASE_COLORS[r.phase] for r in rows])
        ax.set_yticks(y, labels, fontsize=8)
        # the margin from the labels' measured width: estimating it from characters clipped the longest
        renderer = fig.canvas.get_renderer()
        widest = max((t.get_window_extent(renderer).width for t in ax.get_yticklabels()), default=0.0)
        fig.subplots_adjust(left=min(0.6, (widest + 12) / (self._width * DPI)))
        ax.invert_yaxis()  # first row on top, as in the table
        ax.set_xlabel(f"self CPU time ({unit})")
        ax.grid(True, axis="x", alpha=0.3)
        ax.legend(
            handles=[Patch(color=c, label=p) for p, c in PHASE_COLORS.items()], fontsize=8, loc="lower right"
        )
        self.figure = fig
        show_figure(self.image, fig)

    def __repr__(self) -> str:
        return (
            f"ProfilerView(rows={len(self._rows)}, shown={len(self.rows)}, sort_by={self.sort_by.value!r}, "
            f"phase={self.phase.value!r})"
        )


def _short(key: str) -> str:
    # chart labels only (the table keeps full keys): the namespaces make every backward label long
    key = key.replace("autograd::engine::evaluate_function: ", "evaluate_function: ")
    key = key.replace("torch::autograd::", "")
    return key if len(key) <= _LABEL_CHARS else key[: _LABEL_CHARS - 1] + "…"
