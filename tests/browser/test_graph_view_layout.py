"""GraphView on a two-layer MLP with saved tensors and values shown: the details panel and the
graph never overlap, and neither the panel nor the toggles are cut off, at 800 px and 1400 px."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ._lab import Lab
from ._page import open_and_run, output_locator, shutdown_kernel

if TYPE_CHECKING:
    from playwright.sync_api import Page

NAME = "graph_view_layout.ipynb"
SOURCE = """import autograd_kit as torch
from autograd_kit.widgets import GraphView

_ = torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
loss = ((model(torch.randn(3, 4)) - torch.randn(3, 2)) ** 2).mean()
GraphView(loss, module=model, show_saved=True, show_values=True)"""


# the box of the scrolling canvas around the SVG (the SVG itself may be larger, and clipped)
_VISIBLE_BOX = """el => {
  let n = el.parentElement;
  while (n && !/auto|scroll/.test(getComputedStyle(n).overflow)) n = n.parentElement;
  const r = (n || el).getBoundingClientRect();
  return {x: r.x, y: r.y, width: r.width, height: r.height};
}"""


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"] + 1
        or b["x"] + b["width"] <= a["x"] + 1
        or a["y"] + a["height"] <= b["y"] + 1
        or b["y"] + b["height"] <= a["y"] + 1
    )


@pytest.mark.parametrize("width", [800, 1400])
def test_details_panel_and_graph_do_not_overlap(lab: Lab, page: Page, width: int) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SOURCE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, lab.root / NAME)
    page.set_viewport_size({"width": width, "height": 1400})
    try:
        cells = open_and_run(page, lab.notebook_url(NAME), NAME)
        (out,) = [o for c in cells for o in c.outputs if o.widget == "GraphView"]
        loc = output_locator(page, out)
        loc.locator("svg g.node.backward").first.click()  # its details: formula, saved tensors, values
        details = loc.locator(".widget-html", has_text="(backward, ").first
        details.wait_for(state="visible")
        area = loc.bounding_box()
        graph_box, details_box = loc.locator("svg").first.evaluate(_VISIBLE_BOX), details.bounding_box()
        assert not _overlap(graph_box, details_box), (graph_box, details_box)
        assert details_box["x"] + details_box["width"] <= area["x"] + area["width"] + 4, (
            details_box,
            area,
        )  # borders
        last_toggle = loc.locator("input[type=checkbox]").last.bounding_box()  # "versions"
        assert last_toggle["x"] + last_toggle["width"] <= area["x"] + area["width"], (last_toggle, area)
    finally:
        page.set_viewport_size({"width": 1400, "height": 1800})
        shutdown_kernel(page, NAME)
