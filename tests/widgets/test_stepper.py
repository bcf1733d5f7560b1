"""BackwardStepper: engine order, final gradients equal to backward(), and its controls."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit._tensor.tensor import wrap_array
from autograd_kit.graph.engine import record_steps
from autograd_kit.widgets import BackwardStepper
from tests.helpers.widgets import tutorial

SVG = "{http://www.w3.org/2000/svg}"
TUTORIAL_ORDER = ["SumBackward0", "AddBackward0", "MulBackward0", "SinBackward0", "AccumulateGrad"]


def branchy(seed: int = 0) -> tuple:
    """Two leaves, fan-out, broadcasting and a constant: loss = ((x*w + w) * x / 3 - x).sum()."""
    rng = np.random.default_rng(seed)
    x = wrap_array(rng.standard_normal((2, 3)).astype(np.float32)).requires_grad_()
    w = wrap_array(rng.standard_normal(3).astype(np.float32)).requires_grad_()
    return (x, w), ((x * w + w) * x / 3 - x).sum()


def marks(stepper: BackwardStepper) -> dict[str, str]:
    """data-node -> class of every box in the stepper's SVG."""
    root = ET.fromstring(stepper.canvas.value)
    return {g.get("data-node"): g.get("class") for g in root.iter(f"{SVG}g") if g.get("data-node")}


def test_order_is_the_engine_order():
    _, out = tutorial()
    stepper = BackwardStepper(out)
    assert stepper.order() == TUTORIAL_ORDER
    (x, w), loss = branchy()
    with record_steps() as steps:
        loss.backward()
    (_, _), loss2 = branchy()
    # order() gives short names (no C++ namespace): compare with the same spelling.
    assert BackwardStepper(loss2).order() == [s.node.name().rsplit("::", 1)[-1] for s in steps]


@pytest.mark.parametrize("make", [tutorial, branchy])
def test_final_gradients_equal_plain_backward(make):
    leaves, loss = make()
    loss.backward()
    leaves2, loss2 = make()
    stepper = BackwardStepper(loss2)
    leaves, leaves2 = (leaves, leaves2) if isinstance(leaves, tuple) else ((leaves,), (leaves2,))
    assert stepper.position == 0
    for leaf2 in leaves2:
        assert stepper.leaf_grad(leaf2) is None  # nothing accumulated yet at the first step
    stepper.slider.value = stepper.slider.max
    for leaf, leaf2 in zip(leaves, leaves2):
        expected = leaf.grad.detach().numpy()
        np.testing.assert_array_equal(stepper.leaf_grad(leaf2), expected)
        np.testing.assert_array_equal(leaf2.grad.detach().numpy(), expected)  # it ran a real backward


def test_buttons_slider_and_play_move_through_the_steps():
    _, out = tutorial()
    s = BackwardStepper(out)
    assert s.back_button.disabled and not s.step_button.disabled
    s.step_button.click()
    assert s.position == 1 and s.current.node.name() == "AddBackward0"
    assert "step 2 / 5: AddBackward0" in s.panel.value
    s.step_button.click()
    s.back_button.click()
    assert s.position == 1 and s.play.value == 2 and s.slider.value == 2  # the slider counts as the panel
    s.slider.value = 5
    assert s.step_button.disabled and "step 5 / 5: AccumulateGrad" in s.panel.value
    s.step_button.click()
    assert s.position == 4  # stays at the last step
    s.play.value = 3  # what the Play widget does each tick
    assert s.slider.value == 3 and s.current.node.name() == "MulBackward0" and "step 3 / 5" in s.panel.value
    s.play.playing = True
    s.reset_button.click()
    assert s.position == 0 and s.play.playing is False and s.back_button.disabled


def test_current_node_is_highlighted_and_done_nodes_marked():
    _, out = tutorial()
    s = BackwardStepper(out)
    ids = {name: s._model.index[id(step.node)] for name, step in zip(s.order(), s.steps)}
    assert marks(s)[ids["SumBackward0"]] == "node backward current"
    s.slider.value = 4
    m = marks(s)
    assert m[ids["SinBackward0"]] == "node backward current"
    assert [m[ids[n]] for n in ("SumBackward0", "AddBackward0", "MulBackward0")] == ["node backward done"] * 3
    assert m[ids["AccumulateGrad"]] == "node accumulate"
    assert 'stroke="#d62728" stroke-width="2.4"' in s.canvas.value  # its outgoing arrow


def test_panel_shows_gradient_in_and_out():
    _, out = tutorial()
    s = BackwardStepper(out)
    s.slider.value = 3  # MulBackward0 of 2 * sin(a)
    arriving, sent = s.panel.value.split("gradient arriving")[1].split("gradients sent")
    assert "min 1 · mean 1 · max 1" in arriving
    assert "next_functions[0] → SinBackward0" in sent and "min 2 · mean 2 · max 2" in sent
    assert "next_functions[1] → None (constant: nothing flows back)" in sent
    assert "dropped (no gradient needed)" in sent
    assert "grad_self = grad * other" in s.panel.value


def test_accumulate_step_shows_grad_before_and_after():
    a = wrap_array(np.array([1.0, 2.0], dtype=np.float32)).requires_grad_()
    (a * 3).sum().backward()
    s = BackwardStepper((a * a).sum(), names={"a": a})
    s.slider.value = s.slider.max
    before, after = s.panel.value.split("leaf .grad")[1].split("after")
    assert "[3, 3]" in before and "[5, 7]" in after  # 3 + 2a
    assert s.leaf_grad(a, position=0).tolist() == [3.0, 3.0]


def test_steps_argument_replays_without_running_backward():
    a, out = tutorial()
    with record_steps() as steps:
        out.backward()
    before = a.grad.detach().numpy().copy()
    s = BackwardStepper(out, steps=steps)
    assert s.order() == TUTORIAL_ORDER
    np.testing.assert_array_equal(a.grad.detach().numpy(), before)
    with pytest.raises(ValueError, match="step record is empty"):
        BackwardStepper(out, steps=[])


def test_non_scalar_loss_with_gradient():
    x = wrap_array(np.array([1.0, 2.0, 3.0], dtype=np.float32)).requires_grad_()
    s = BackwardStepper(x * x, wrap_array(np.array([1.0, 0.0, 2.0], dtype=np.float32)))
    s.slider.value = s.slider.max
    assert s.leaf_grad(x).tolist() == [2.0, 0.0, 12.0]


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(TypeError, match="expects a tensor .* got str"):
        BackwardStepper("loss")
    leaf = wrap_array(np.ones(3, dtype=np.float32)).requires_grad_()
    with pytest.raises(ValueError, match="is a leaf tensor"):
        BackwardStepper(leaf)
    with ak.no_grad():
        frozen = leaf * 2
    with pytest.raises(ValueError, match="no_grad"):
        BackwardStepper(frozen)
    with pytest.raises(ValueError, match=r"has shape \[3\].*gradient="):
        BackwardStepper(leaf * 2)
    with pytest.raises(ValueError, match="one tensor, got 2"):
        BackwardStepper([leaf * 2, leaf * 3])
    _, out = tutorial()
    out.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        BackwardStepper(out)


def test_repr_is_stable():
    _, out = tutorial()
    s = BackwardStepper(out)
    assert repr(s) == "BackwardStepper(steps=5, position=0, current='SumBackward0')"
    assert s._repr_mimebundle_()["text/plain"] == repr(s)
    assert s.to_svg() == BackwardStepper(tutorial()[1]).to_svg()
    s.step()
    assert repr(s) == "BackwardStepper(steps=5, position=1, current='AddBackward0')"
