"""Figures and text panels of the plotting widgets: matplotlib without pyplot, shown as PNG images.

Figures are built with ``matplotlib.figure.Figure`` and an Agg canvas, never through pyplot, so
the widgets leave no figures open, do not depend on the notebook's backend, and draw the same
pixels in a test as in JupyterLab. PNGs carry no software/date metadata, so they are stable.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ._base import esc

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "DPI",
    "new_figure",
    "png_bytes",
    "image_widget",
    "show_figure",
    "message_html",
    "table_html",
    "sci",
    "StaticPicture",
]

DPI = 100
_COLORS = {"error": "#b00020", "warning": "#8a5300", "info": "#333333"}
_TABLE = '<table style="border-collapse:collapse;font-family:monospace;font-size:12px">'
_CELL = "padding:1px 8px;border-bottom:1px solid #ddd;vertical-align:top;text-align:{align}"


def new_figure(width: float, height: float, **adjust: float) -> Figure:
    """A figure of an explicit size (inches at ``DPI``) with its own Agg canvas; ``adjust`` goes to
    ``subplots_adjust`` (fixed margins: a layout engine would triple the drawing time)."""
    # imported here so that GraphView users never pay for matplotlib's import
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(float(width), float(height)), dpi=DPI)
    FigureCanvasAgg(fig)
    if adjust:
        fig.subplots_adjust(**adjust)
    return fig


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes, without the metadata that would differ between runs."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def image_widget() -> widgets.Image:
    """An empty PNG image widget sized by its picture."""
    return widgets.Image(format="png", layout=widgets.Layout(width="auto", max_width="100%"))


def show_figure(image: widgets.Image, fig: Figure) -> None:
    """Draw ``fig`` into ``image``."""
    image.value = png_bytes(fig)


class StaticPicture:
    """Mixin for widgets that draw into ``self.image``: the current picture as ``image/png`` in the
    display bundle, beside the widget view, so a saved notebook shows it on GitHub, in nbviewer and
    in JupyterLab before the kernel runs (the live widget replaces it)."""

    image: widgets.Image

    def _repr_png_(self) -> bytes | None:
        return bytes(self.image.value) or None


def message_html(lines: str | Sequence[str], kind: str = "error") -> str:
    """One or more sentences as a coloured monospace block (empty for no lines)."""
    if isinstance(lines, str):
        lines = [lines]
    color = _COLORS[kind]
    return "".join(f"<div style='color:{color};font-family:monospace'>{esc(m)}</div>" for m in lines if m)


def table_html(header: Sequence[str] | None, rows: Sequence[Sequence[Any]], align: Sequence[str] = ()) -> str:
    """A compact HTML table (no header row for None); values are escaped, ``align`` per column."""
    width = max([len(header or ())] + [len(r) for r in rows])
    aligns = list(align) + ["left"] * (width - len(align))
    head = "".join(f'<th style="{_CELL.format(align=a)}">{esc(h)}</th>' for h, a in zip(header or (), aligns))
    head = f"<tr>{head}</tr>" if header else ""
    body = "".join(
        "<tr>"
        + "".join(f'<td style="{_CELL.format(align=a)}">{esc(c)}</td>' for c, a in zip(r, aligns))
        + "</tr>"
        for r in rows
    )
    return f"{_TABLE}{head}{body}</table>"


def sci(x: float) -> str:
    """A small or large number in 3 significant digits (``5.96e-08``, ``0.5``, ``nan``)."""
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return str(x)
    if x == 0:
        return "0"
    return f"{x:.3g}"
