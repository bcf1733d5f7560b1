"""Render a graph model as SVG (self-contained, deterministic) or as Graphviz DOT text.

The SVG uses presentation attributes only: a ``<style>`` element or element ids inside inline
SVG would leak into the whole notebook page. Boxes carry ``data-node`` and a ``<title>`` tooltip.
"""

from __future__ import annotations

from ._base import esc
from .graph_model import GraphModel
from .layout import Layout, layered_layout

__all__ = ["STYLES", "EDGE_STYLES", "box_size", "Drawing", "to_dot"]

CHAR_W, LINE_H, PAD_X, PAD_Y = 6.7, 14.0, 8.0, 5.0
# kind: (fill, stroke, dash)
STYLES: dict[str, tuple[str, str, str]] = {
    "output": ("#d9f2c4", "#5a8a2f", ""),
    "backward": ("#ececec", "#555555", ""),
    "accumulate": ("#dde6f5", "#4a6fa5", ""),
    "leaf": ("#cfe8fc", "#3a78b5", ""),
    "constant": ("#ffffff", "#9a9a9a", "4 3"),
    "saved": ("#ffe2bf", "#c98a2e", ""),
    "group": ("#efe4fa", "#8a5cb5", ""),
    "more": ("#fff8e1", "#b08d2e", "4 3"),
}
EDGE_STYLES: dict[str, tuple[str, str]] = {
    "grad": ("#555555", ""),
    "output": ("#5a8a2f", ""),
    "variable": ("#3a78b5", ""),
    "constant": ("#9a9a9a", "4 3"),
    "saved": ("#c98a2e", "2 3"),
}
EDGE_WEIGHTS: dict[str, float] = {
    "backward": 4.0,
    "group": 4.0,
    "accumulate": 1.0,
    "leaf": 2.0,
    "more": 1.0,
}
MARKS: dict[str, tuple[str, float]] = {
    "current": ("#d62728", 3.0),
    "selected": ("#ff7f0e", 3.0),
    "done": ("#2ca02c", 2.0),
}


def _n(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def box_size(lines: list[str]) -> tuple[float, float]:
    """Width and height of a box holding ``lines`` of monospace text."""
    return max(len(s) for s in lines) * CHAR_W + 2 * PAD_X, len(lines) * LINE_H + 2 * PAD_Y


class Drawing:
    """A laid-out model: compute the layout once, render it with different highlights."""

    def __init__(self, model: GraphModel) -> None:
        self.model = model
        self.sizes = [box_size(n.lines) for n in model.nodes]
        pos = {n.id: i for i, n in enumerate(model.nodes)}
        self.pairs = [(pos[e.src], pos[e.dst]) for e in model.edges]
        # The backward chain pulls hardest, so it comes out straight; side boxes hang off it.
        weights = [
            0.3 if e.kind in ("saved", "constant") else EDGE_WEIGHTS.get(model.nodes[b].kind, 1.0)
            for e, (_, b) in zip(model.edges, self.pairs)
        ]
        self.layout: Layout = layered_layout(self.sizes, self.pairs, weights=weights)

    def svg(self, marks: dict[str, str] | None = None) -> str:
        """The SVG text; ``marks`` maps box ids to ``current``, ``selected`` or ``done``."""
        marks = marks or {}
        m, lay = self.model, self.layout
        if not m.nodes:
            text = m.messages[0] if m.messages else "empty graph"
            w = len(text) * CHAR_W + 20
            return (
                f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(w)}" height="30" '
                f'font-family="monospace" font-size="11"><text x="10" y="19">{esc(text)}</text></svg>'
            )
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(lay.width)}" height="{_n(lay.height)}" '
            f'viewBox="0 0 {_n(lay.width)} {_n(lay.height)}" font-family="monospace" font-size="11">'
        ]
        out += self._edges(marks)
        for i, node in enumerate(m.nodes):
            out.append(self._box(i, node, marks.get(node.id)))
        out.append("</svg>")
        return "\n".join(out)

    def _ports(self) -> tuple[dict[int, float], dict[int, float]]:
        """Spread the edges leaving (entering) a box along its bottom (top) side."""
        lay, src_x, dst_x = self.layout, {}, {}
        outgoing: dict[int, list[int]] = {}
        incoming: dict[int, list[int]] = {}
        for k, (a, b) in enumerate(self.pairs):
            outgoing.setdefault(a, []).append(k)
            incoming.setdefault(b, []).append(k)

        def spread(groups: dict[int, list[int]], far: int, result: dict[int, float]) -> None:
            for v, ks in groups.items():

                def aim(k: int) -> float:
                    route = lay.routes[k]
                    if route:
                        return route[0][0] if far == 1 else route[-1][0]
                    return lay.x[self.pairs[k][far]]

                ks = sorted(ks, key=lambda k: (aim(k), k))
                span = self.sizes[v][0] * 0.6
                for j, k in enumerate(ks):
                    result[k] = lay.x[v] + (span * ((j + 1) / (len(ks) + 1) - 0.5) if len(ks) > 1 else 0.0)

        spread(outgoing, 1, src_x)
        spread(incoming, 0, dst_x)
        return src_x, dst_x

    def _edges(self, marks: dict[str, str]) -> list[str]:
        lay, m = self.layout, self.model
        src_x, dst_x = self._ports()
        parts = []
        for k, ((a, b), edge) in enumerate(zip(self.pairs, m.edges)):
            color, dash = EDGE_STYLES.get(edge.kind, EDGE_STYLES["grad"])
            width = 1.2
            if marks.get(m.nodes[a].id) == "current":
                color, width = MARKS["current"][0], 2.4
            start = (src_x[k], lay.y[a] + self.sizes[a][1] / 2)
            end = (dst_x[k], lay.y[b] - self.sizes[b][1] / 2)
            pts = [start, *lay.routes[k], (end[0], end[1] - 7)]
            d = [f"M{_n(pts[0][0])},{_n(pts[0][1])}"]
            for (px, py), (qx, qy) in zip(pts, pts[1:]):
                dy = (qy - py) / 2
                d.append(f"C{_n(px)},{_n(py + dy)} {_n(qx)},{_n(qy - dy)} {_n(qx)},{_n(qy)}")
            ex, ey = end
            title = f"{m.nodes[a].lines[0]} → {m.nodes[b].lines[0]}"
            if edge.slot is not None:
                title += f" (next_functions[{edge.slot}])"
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<g class="edge {edge.kind}" data-src="{edge.src}" data-dst="{edge.dst}"><title>{esc(title)}</title>'
                f'<path d="{" ".join(d)}" fill="none" stroke="{color}" stroke-width="{_n(width)}"{dash_attr}/>'
                f'<polygon points="{_n(ex - 4)},{_n(ey - 8)} {_n(ex + 4)},{_n(ey - 8)} {_n(ex)},{_n(ey)}" '
                f'fill="{color}"/></g>'
            )
        return parts

    def _box(self, i: int, node, mark: str | None) -> str:
        lay = self.layout
        w, h = self.sizes[i]
        x0, y0 = lay.x[i] - w / 2, lay.y[i] - h / 2
        fill, stroke, dash = STYLES.get(node.kind, STYLES["backward"])
        width = 1.0
        if mark in MARKS:
            stroke, width = MARKS[mark]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts = [
            f'<g class="node {node.kind}{" " + mark if mark else ""}" data-node="{node.id}">'
            f"<title>{esc(node.tooltip)}</title>"
            f'<rect x="{_n(x0)}" y="{_n(y0)}" width="{_n(w)}" height="{_n(h)}" rx="5" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{_n(width)}"{dash_attr}/>'
        ]
        for j, line in enumerate(node.lines):
            ty = y0 + PAD_Y + LINE_H * (j + 0.78)
            weight = ' font-weight="bold"' if j == 0 else ""
            parts.append(
                f'<text x="{_n(lay.x[i])}" y="{_n(ty)}" text-anchor="middle"{weight}>{esc(line)}</text>'
            )
        parts.append("</g>")
        return "".join(parts)


def to_dot(model: GraphModel) -> str:
    """Graphviz DOT source for the model (for users who have ``dot`` installed)."""

    def q(lines: list[str]) -> str:
        return '"' + "\\n".join(s.replace("\\", "\\\\").replace('"', '\\"') for s in lines) + '"'

    out = [
        "digraph backward {",
        '  graph [rankdir=TB, fontname="monospace"];',
        '  node [shape=box, style="rounded,filled", fontname="monospace", fontsize=10];',
    ]
    for n in model.nodes:
        fill, stroke, dash = STYLES.get(n.kind, STYLES["backward"])
        style = ', style="rounded,filled,dashed"' if dash else ""
        out.append(f'  {n.id} [label={q(n.lines)}, fillcolor="{fill}", color="{stroke}"{style}];')
    for e in model.edges:
        color, dash = EDGE_STYLES.get(e.kind, EDGE_STYLES["grad"])
        style = ", style=dashed" if dash else ""
        out.append(f'  {e.src} -> {e.dst} [color="{color}"{style}];')
    out.append("}")
    return "\n".join(out) + "\n"
