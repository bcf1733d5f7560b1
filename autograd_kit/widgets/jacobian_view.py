"""JacobianView: a heatmap of an ``autograd.functional.jacobian`` or ``hessian`` result.

Rows are outputs and columns inputs (both flattened); for several inputs or outputs the blocks
sit side by side with lines between them. Colours are symmetric around zero (white), so signs and
sparsity show at a glance; small matrices also show their values. A block dropdown zooms into one
block, and the report gives the range, the zero count and, for square matrices, the symmetry that
every Hessian should have.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import numpy as np

from ._base import fmt
from ._figures import StaticPicture, image_widget, message_html, new_figure, sci, show_figure, table_html
from ._jacobian_blocks import BlockMatrix, as_grid, block_matrix

__all__ = ["JacobianView"]

_ANNOTATE_MAX = 400  # cells; beyond this the numbers would be unreadable
_ALL = "all blocks"
_ALL_VALUE = "all"  # not None: a Dropdown whose value is None has no index and shows blank


class JacobianView(StaticPicture, widgets.VBox):
    """Heatmap of a Jacobian or Hessian (a tensor, a tuple per input, or a tuple of tuples).

    ``inputs`` (the tensors the result was taken with) tells apart output and input dims of a
    block; ``names`` labels the inputs. ``JacobianView.of(func, inputs)`` computes the result.
    """

    def __init__(
        self,
        result: Any,
        inputs: Any = None,
        *,
        kind: str = "jacobian",
        names: list[str] | None = None,
        output_names: list[str] | None = None,
        annotate: bool | None = None,
        width: float = 6.4,
        height: float = 4.8,
    ) -> None:
        if kind not in ("jacobian", "hessian"):
            raise ValueError(f"JacobianView: kind must be 'jacobian' or 'hessian', got {kind!r}")
        grid, _ = as_grid(result)
        if kind == "hessian" and output_names is None and names is not None and len(grid) == len(names):
            output_names = list(names)  # a Hessian's rows are inputs too
        self._matrix: BlockMatrix = block_matrix(result, inputs, output_names, names)
        self.kind = kind
        self._size = (float(width), float(height))
        full = self._matrix.full()
        options = [(_ALL, _ALL_VALUE)] if len(grid) * len(grid[0]) > 1 else []
        options += [
            (f"d {r} / d {c}", (i, j))
            for i, r in enumerate(self._matrix.row_names)
            for j, c in enumerate(self._matrix.col_names)
        ]
        self.block = widgets.Dropdown(options=options, value=options[0][1], description="block")
        self.block.layout.display = None if len(options) > 1 else "none"
        self.values = widgets.Checkbox(
            value=full.size <= 144 if annotate is None else bool(annotate),
            description="show values",
            indent=False,
        )
        self.message = widgets.HTML()
        self.image = image_widget()
        self.report = widgets.HTML()
        self.block.observe(self._on_change, names="value")
        self.values.observe(self._on_change, names="value")
        super().__init__(
            children=[widgets.HBox([self.block, self.values]), self.message, self.image, self.report]
        )
        self.figure: Any = None
        self.refresh()

    @classmethod
    def of(cls, func: Callable, inputs: Any, *, hessian: bool = False, **kwargs: Any) -> JacobianView:
        """Compute ``jacobian(func, inputs)`` (or ``hessian``) with autograd_kit and show it."""
        from ..autograd import functional

        how = functional.hessian if hessian else functional.jacobian
        try:
            result = how(func, inputs)
        except Exception as exc:  # the user's function: say which call failed and why
            raise ValueError(
                f"JacobianView.of: {how.__name__}(func, inputs) raised {type(exc).__name__}: {exc}"
            ) from exc
        if not isinstance(inputs, tuple) and isinstance(result, tuple):
            result = tuple((r,) for r in result)  # one input, several outputs: a column of blocks
        return cls(result, inputs, kind="hessian" if hessian else "jacobian", **kwargs)

    # --- state -------------------------------------------------------------------------
    @property
    def matrix(self) -> np.ndarray:
        """The matrix drawn now: every block, or the chosen one (float64)."""
        choice = self.block.value
        if choice == _ALL_VALUE:
            return self._matrix.full()
        return self._matrix.blocks[choice[0]][choice[1]]

    # --- drawing -----------------------------------------------------------------------
    def _on_change(self, change: dict) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Redraw for the current block and value toggle."""
        m = self.matrix
        notes = list(self._matrix.notes)
        bad = int((~np.isfinite(m)).sum())
        if bad:
            notes.append(f"{bad} entries are not finite (drawn blank)")
        if self.values.value and m.size > _ANNOTATE_MAX:
            notes.append(f"{m.size} cells are too many to print values; choose a block or read .matrix")
        self.message.value = message_html(notes, "warning")
        self._plot(m)
        self.report.value = self._report_html(m)

    def _plot(self, m: np.ndarray) -> None:
        fig = new_figure(*self._size, left=0.14, right=0.95, bottom=0.12, top=0.9)
        ax = fig.add_subplot()
        finite = m[np.isfinite(m)]
        lim = float(np.abs(finite).max()) if finite.size else 1.0
        lim = lim or 1.0
        img = ax.imshow(m, cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest", aspect="auto")
        fig.colorbar(img, ax=ax, fraction=0.05, pad=0.03)
        if self.values.value and m.size <= _ANNOTATE_MAX:
            for (r, c), v in np.ndenumerate(m):
                dark = np.isfinite(v) and abs(v) > 0.6 * lim
                ax.text(
                    c, r, fmt(v), ha="center", va="center", fontsize=7, color="white" if dark else "black"
                )
        self._label_axes(ax, m)
        self.figure = fig
        show_figure(self.image, fig)

    def _label_axes(self, ax: Any, m: np.ndarray) -> None:
        bm, choice = self._matrix, self.block.value
        if choice == _ALL_VALUE:
            rows, cols = bm.row_names, bm.col_names
            for edge in np.cumsum(bm.row_sizes)[:-1]:
                ax.axhline(edge - 0.5, color="k", linewidth=1)
            for edge in np.cumsum(bm.col_sizes)[:-1]:
                ax.axvline(edge - 0.5, color="k", linewidth=1)
        else:
            rows, cols = [bm.row_names[choice[0]]], [bm.col_names[choice[1]]]
        ax.set_xlabel("inputs: " + " | ".join(cols) + " (flattened)")
        ax.set_ylabel(("outputs: " if self.kind == "jacobian" else "inputs: ") + " | ".join(rows))
        ax.set_title(f"{self.kind} {m.shape[0]} x {m.shape[1]}")
        for axis, n in ((ax.xaxis, m.shape[1]), (ax.yaxis, m.shape[0])):
            if n <= 20:
                axis.set_ticks(range(n))

    def _report_html(self, m: np.ndarray) -> str:
        finite = m[np.isfinite(m)]
        rows = [
            ["shape", f"{m.shape[0]} x {m.shape[1]} (outputs x inputs, flattened)"],
            ["range", f"{fmt(finite.min())} .. {fmt(finite.max())}" if finite.size else "no finite values"],
            ["zeros", f"{int((m == 0).sum())} of {m.size}"],
        ]
        if m.shape[0] == m.shape[1] and m.size:
            with np.errstate(invalid="ignore"):
                asym = np.nanmax(np.abs(m - m.T)) if np.isfinite(m).any() else float("nan")
            rows.append(["max |M - Mᵀ|", sci(asym) + (" (symmetric)" if asym == 0 else "")])
        return table_html(None, rows)

    def __repr__(self) -> str:
        grid = f"{len(self._matrix.row_sizes)}x{len(self._matrix.col_sizes)}"
        full = self._matrix.full()
        return f"JacobianView(kind={self.kind!r}, shape=[{full.shape[0]}, {full.shape[1]}], blocks={grid})"
