"""Every widget carries a static picture in its display bundle, so a saved notebook shows the graph,
the plot or the chart on GitHub, in nbviewer and before the kernel runs.

The committed notebooks are rendered with ``nbconvert --to html`` (the HTML exporter), one widget
output at a time, and each must show its picture, not the one-line text twin.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest
from IPython.core.formatters import DisplayFormatter
from nbconvert import HTMLExporter

import autograd_kit as ak
from autograd_kit.widgets import (
    AccumulationLab,
    BackwardStepper,
    FunctionGradPlot,
    GraphView,
    JacobianView,
    ProfilerView,
)

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
PICTURES = ("image/svg+xml", "image/png")


def _widgets() -> dict[str, object]:
    x = ak.tensor([1.0, 2.0], requires_grad=True)
    with ak.autograd.profiler.profile(clock="counter") as prof:
        (x.sin() * x).sum().backward()
    return {
        "GraphView": GraphView((x.sin() * x).sum()),
        "BackwardStepper": BackwardStepper((x.sin() * x).sum()),
        "FunctionGradPlot": FunctionGradPlot("tanh", steps=11),
        "AccumulationLab": AccumulationLab(seed=0),
        "ProfilerView": ProfilerView(prof),
        "JacobianView": JacobianView.of(ak.sin, ak.tensor([0.0, 1.0])),
    }


@pytest.mark.parametrize("name", list(_widgets()))
def test_a_displayed_widget_has_its_view_a_picture_and_text(name):
    widget = _widgets()[name]
    data, _ = DisplayFormatter().format(widget)
    assert WIDGET_MIME in data and "text/plain" in data
    pictures = [m for m in PICTURES if data.get(m)]
    assert pictures, f"{name} has no static picture: {sorted(data)}"
    if "image/png" in pictures:
        assert data["image/png"][:4] == b"\x89PNG"


def test_the_png_follows_the_widget_state():
    plot = FunctionGradPlot("sin", steps=11)
    before = plot._repr_png_()
    plot.function.value = "tanh"
    assert plot._repr_png_() != before


def _widget_outputs() -> list[tuple[str, dict, dict]]:
    found = []
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)  # joins the stored line lists, as nbconvert expects
        for i, cell in enumerate(nb.cells):
            for out in cell.get("outputs", []):
                if WIDGET_MIME in out.get("data", {}):
                    found.append((f"{path.name}:cell{i}", nb, out))
    return found


OUTPUTS = _widget_outputs()


def test_every_notebook_with_widgets_is_covered():
    assert {where.split(":")[0] for where, _, _ in OUTPUTS} >= {
        p.name for p in NOTEBOOKS if p.name[:2] != "04"
    }


@pytest.mark.parametrize(("where", "nb", "output"), OUTPUTS, ids=[w for w, _, _ in OUTPUTS])
def test_nbconvert_html_shows_each_widgets_picture(where, nb, output):
    single = copy.deepcopy(nb)
    single.cells = [nbformat.v4.new_code_cell("widget", outputs=[output], execution_count=1)]
    html, _ = HTMLExporter().from_notebook_node(single)
    shown = html[html.index('<div class="jp-OutputArea jp-Cell-outputArea">') :]
    assert 'data-mime-type="image/svg+xml"' in shown or 'src="data:image/png;base64,' in shown, (
        f"{where}: the HTML shows no picture for the widget, only its text"
    )
    assert 'data-mime-type="text/plain"' not in shown
