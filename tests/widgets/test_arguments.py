"""Bad arguments to the widgets raise errors that name the widget and the argument, and the
BackwardStepper caps its drawing like GraphView, so a huge graph does not send megabytes per step."""

from __future__ import annotations

import pytest

import autograd_kit as ak
from autograd_kit.widgets import AccumulationLab, BackwardStepper, FunctionGradPlot, GraphView


def _loss():
    x = ak.tensor([1.0, 2.0], requires_grad=True)
    return (x.sin() * x).sum()


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (
            lambda: GraphView(_loss(), max_nodes="a"),
            TypeError,
            "GraphView: max_nodes must be an integer, got str 'a'",
        ),
        (
            lambda: GraphView(_loss(), max_nodes=-1),
            ValueError,
            "GraphView: max_nodes must be at least 1, got -1",
        ),
        (lambda: GraphView(_loss(), max_nodes=2.5), TypeError, "GraphView: max_nodes must be an integer"),
        (
            lambda: BackwardStepper(_loss(), max_nodes=0),
            ValueError,
            "BackwardStepper: max_nodes must be at least 1",
        ),
        (
            lambda: BackwardStepper(_loss(), interval=-5),
            ValueError,
            "BackwardStepper: interval must be at least 1",
        ),
        (
            lambda: FunctionGradPlot(steps=10**7),
            ValueError,
            "FunctionGradPlot: steps must be from 2 to 100000, got 10000000",
        ),
        (
            lambda: FunctionGradPlot(steps=1),
            ValueError,
            "FunctionGradPlot: steps must be from 2 to 100000, got 1",
        ),
        (lambda: FunctionGradPlot(steps=True), TypeError, "FunctionGradPlot: steps must be an integer"),
        (
            lambda: AccumulationLab(run_steps=-1),
            ValueError,
            "AccumulationLab: run_steps must be from 1 to 1000",
        ),
        (lambda: AccumulationLab().run(-1), ValueError, "AccumulationLab.run: n must be at least 0, got -1"),
        (lambda: AccumulationLab().run("3"), TypeError, "AccumulationLab.run: n must be an integer"),
    ],
)
def test_bad_arguments_name_the_widget_and_the_argument(make, error, message):
    with pytest.raises(error) as info:
        make()
    assert message in str(info.value)


def test_numpy_integers_are_integers():
    import numpy as np

    assert GraphView(_loss(), max_nodes=np.int64(3)).model.omitted > 0


def test_backward_stepper_caps_a_long_chain_like_graph_view():
    x = ak.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(3000):
        y = y * 1.0
    stepper = BackwardStepper(y.sum())
    assert len(stepper.steps) == 3002  # every step is still replayed
    drawn = [n for n in stepper._model.nodes if n.kind == "backward"]
    assert stepper._model.omitted == 3002 - 400 and len(drawn) == 400
    assert len(stepper.to_svg()) < 1_000_000  # uncapped: about 4 MB
    stepper.slider.value = stepper.slider.max  # a step whose node is not drawn still shows its panel
    assert "AccumulateGrad" in stepper.panel.value
    small = BackwardStepper(y.sum(), max_nodes=50)
    assert small._model.omitted == 3002 - 50


def test_accumulation_lab_says_what_to_do_at_step_0_and_keeps_its_legend_off_the_data():
    lab = AccumulationLab(seed=0)
    for ax in lab.figure.axes:
        assert all(len(line.get_xdata()) == 0 for line in ax.lines)
        assert [t.get_text() for t in ax.texts] == ["no step yet: press Step or Run N"]
    lab.run(3)
    (legend,) = lab.figure.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "no zeroing",
        "zero_grad(set_to_none=False)",
        "zero_grad()",
    ]
    renderer = lab.figure.canvas.get_renderer()
    box = legend.get_window_extent(renderer)
    for ax in lab.figure.axes:
        assert len(ax.lines) == 3 and not ax.texts and ax.get_legend() is None
        assert box.y1 < ax.get_window_extent(renderer).y0  # under the axes, not over a curve


def test_jacobian_view_block_dropdown_is_not_blank_at_first():
    from autograd_kit.widgets import JacobianView

    view = JacobianView.of(lambda x, y: x * y, (ak.tensor([1.0, 2.0]), ak.tensor([3.0, 4.0])))
    assert view.block.index == 0 and view.block.label == "all blocks"  # a None value showed blank
    full = view.matrix.shape
    view.block.index = 1
    assert view.matrix.shape == (2, 2)
    view.block.index = 0
    assert view.matrix.shape == full == (2, 4)
