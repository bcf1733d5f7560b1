"""GraphView and BackwardStepper explain their colours: a legend of boxes, edges and highlights,
drawn with the same styles as the graph itself."""

from __future__ import annotations

import autograd_kit as ak
from autograd_kit.widgets import BackwardStepper, GraphView
from autograd_kit.widgets.svg import EDGE_STYLES, MARKS, STYLES


def _tutorial():
    a = ak.linspace(0.0, 6.0, steps=5, requires_grad=True)
    return a, (2 * ak.sin(a) + 1).sum()


def test_graph_view_shows_a_legend_in_the_drawings_own_colours():
    a, out = _tutorial()
    view = GraphView(out, names={"a": a})
    assert view.legend in view.children
    legend = view.legend.value
    for label in ("constant (None, 0)", "AccumulateGrad", "leaf tensor", "gradient flow", "selected"):
        assert label in legend
    svg = view.to_svg()
    for kind in ("backward", "accumulate", "leaf", "constant", "output"):
        fill, stroke, _ = STYLES[kind]
        assert f'fill="{fill}" stroke="{stroke}"' in legend and fill in svg, kind
    color, dash = EDGE_STYLES["constant"]
    assert f'stroke="{color}" stroke-width="1.6" stroke-dasharray="{dash}"' in legend


def test_backward_stepper_legend_explains_current_and_done():
    _, out = _tutorial()
    stepper = BackwardStepper(out)
    assert stepper.legend in stepper.children
    legend = stepper.legend.value
    assert "current node" in legend and "already run" in legend and "selected" not in legend
    stepper.step()
    assert MARKS["current"][0] in legend and MARKS["current"][0] in stepper.canvas.value
    assert MARKS["done"][0] in legend and MARKS["done"][0] in stepper.canvas.value
