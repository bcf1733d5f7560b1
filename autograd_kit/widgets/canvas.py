"""The SVG canvas of the graph widgets: boxes are clickable when anywidget is installed.

Clicking needs a few lines of JavaScript, which plain ipywidgets cannot run; anywidget (in the
``widgets`` extra) runs the inline ES module below. Without it the canvas is an ``HTML`` widget
and nodes are picked from the list. Either way the SVG is in ``.value``.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import traitlets

try:
    import anywidget
except ImportError:  # the list still selects nodes; only clicking is lost
    anywidget = None

__all__ = ["make_canvas", "graph_row", "CLICKABLE"]

CLICKABLE = anywidget is not None

_ESM = """
function render({ model, el }) {
  const box = document.createElement("div");
  box.style.overflow = "auto";
  box.style.maxHeight = "640px";
  el.appendChild(box);
  const draw = () => {
    box.innerHTML = model.get("value");
    for (const g of box.querySelectorAll("[data-node]")) g.style.cursor = "pointer";
  };
  box.addEventListener("click", (event) => {
    const node = event.target.closest("[data-node]");
    if (!node) return;
    model.set("clicked", node.getAttribute("data-node"));
    model.save_changes();
  });
  model.on("change:value", draw);
  draw();
}
export default { render };
"""

if anywidget is not None:

    class ClickableSvg(anywidget.AnyWidget):
        """SVG whose ``[data-node]`` boxes report clicks in ``clicked`` (the box id)."""

        _esm = _ESM
        value = traitlets.Unicode("").tag(sync=True)
        clicked = traitlets.Unicode("").tag(sync=True)

        def __repr__(self) -> str:
            return f"ClickableSvg(clicked={self.clicked!r})"

    __all__.append("ClickableSvg")


def make_canvas(**kwargs: Any) -> widgets.DOMWidget:
    """A clickable SVG canvas when anywidget is available, else an ``HTML`` widget."""
    if anywidget is not None:
        return ClickableSvg(**kwargs)
    return widgets.HTML(**kwargs)


def graph_row(canvas: widgets.DOMWidget, side: widgets.DOMWidget, side_width: int) -> widgets.HBox:
    """The graph with its panel beside it, or below it when the row is too narrow for both.

    With a fixed-width panel and a canvas as wide as its SVG, a narrow page pushed the panel out
    of the output area (cut off). Here the canvas takes what the panel leaves (at least 300 px),
    and the row wraps instead of overflowing; the panel never grows wider than the output area.
    """
    canvas.layout.flex = "1 1 0%"
    canvas.layout.min_width = "300px"
    side.layout.flex = f"0 1 {side_width}px"
    side.layout.max_width = "100%"
    return widgets.HBox([canvas, side], layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"))
