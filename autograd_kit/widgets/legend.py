"""The legend of the graph drawings: what each box colour, edge style and highlight means.

Drawn from the very styles ``svg.py`` uses (``STYLES``, ``EDGE_STYLES``, ``MARKS``), so the legend
cannot drift from the picture. It is HTML under the canvas, outside the SVG, so the saved SVG of a
graph stays the graph alone.
"""

from __future__ import annotations

from .svg import EDGE_STYLES, MARKS, STYLES

__all__ = ["BOXES", "EDGES", "legend_html"]

BOXES = (
    ("output", "output tensor"),
    ("backward", "backward node (grad_fn)"),
    ("accumulate", "AccumulateGrad"),
    ("leaf", "leaf tensor"),
    ("constant", "constant (None, 0)"),
    ("saved", "saved tensor"),
)
EDGES = (
    ("grad", "gradient flow"),
    ("variable", "AccumulateGrad → its leaf"),
    ("constant", "to a constant"),
    ("saved", "saved for backward"),
)
_MARK_LABELS = {"current": "current node", "done": "already run", "selected": "selected"}


def _box(fill: str, stroke: str, dash: str, width: float = 1.2) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        '<svg width="22" height="12"><rect x="1" y="1" width="20" height="10" rx="3" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dashes}/></svg>'
    )


def _line(color: str, dash: str) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<svg width="26" height="12"><line x1="1" y1="6" x2="25" y2="6" stroke="{color}" stroke-width="1.6"{dashes}/></svg>'


def _item(swatch: str, label: str) -> str:
    return f'<span style="margin-right:12px;white-space:nowrap">{swatch} {label}</span>'


def legend_html(marks: tuple[str, ...] = ()) -> str:
    """The legend as HTML: boxes, edges, and the highlights in ``marks`` (e.g. ``("current", "done")``)."""
    items = [_item(_box(*STYLES[kind]), label) for kind, label in BOXES]
    items += [_item(_line(*EDGE_STYLES[kind]), label) for kind, label in EDGES]
    items += [_item(_box("#ffffff", MARKS[m][0], "", MARKS[m][1]), _MARK_LABELS[m]) for m in marks]
    return f'<div style="font-family:monospace;font-size:11px;line-height:18px">{"".join(items)}</div>'
