"""AccumulationLab: the three zeroing modes (growing, zeros, None), the tutorial loop, controls, bad input."""

from __future__ import annotations

import html

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.widgets import AccumulationLab
from tests.helpers.widgets import line

pytestmark = pytest.mark.usefixtures("no_open_figures")

MODES = ["no zeroing", "zeros", "None"]
TITLES = ["no zeroing", "zero_grad(set_to_none=False)", "zero_grad()"]
NONE_ERROR = "TypeError: 'NoneType' object is not subscriptable"


class TinyModel(ak.nn.Module):
    """Written out as in the tutorial, independently of the lab's own copy."""

    def __init__(self):
        super().__init__()
        self.layer1 = ak.nn.Linear(1000, 100)
        self.relu = ak.nn.ReLU()
        self.layer2 = ak.nn.Linear(100, 10)

    def forward(self, x):
        return self.layer2(self.relu(self.layer1(x)))


def small(seed: int = 0, n: int = 8):
    """A small user model and data: Sequential(Linear(3, 4), ReLU(), Linear(4, 1))."""
    ak.manual_seed(seed)
    model = ak.nn.Sequential(ak.nn.Linear(3, 4), ak.nn.ReLU(), ak.nn.Linear(4, 1))
    return model, (ak.randn(n, 3), ak.randn(n, 1))


def test_three_modes_growing_zeros_none_without_optimizer_steps():
    lab = AccumulationLab(seed=0)
    lab.optimizer_step.value = False  # backward only, as in the tutorial's accumulation cell
    for _ in range(3):
        lab.step_button.click()
    assert lab.steps_done == 3
    hist = lab.history
    first = hist["zeros"]["grad_norm"][0]
    np.testing.assert_allclose(hist["no zeroing"]["grad_norm"], [first, 2 * first, 3 * first], rtol=1e-5)
    assert hist["zeros"]["grad_norm"] == [first] * 3 == hist["None"]["grad_norm"]
    grown = lab.grad("no zeroing")
    assert grown is not None and np.abs(grown).max() > 0
    np.testing.assert_array_equal(lab.grad("zeros"), np.zeros_like(grown))
    assert lab.grad("None") is None
    code, out = lab.probe("None")
    assert code == "print(model.layer2.weight.grad[0][0:10])" and out == NONE_ERROR
    assert lab.probe("zeros")[1] == "tensor([0., 0., 0., 0., 0., 0., 0., 0., 0., 0.])"
    assert lab.probe("no zeroing")[1] == str(ak.tensor(grown[0][0:10]))
    assert html.escape(NONE_ERROR) in lab.probes.value
    assert html.escape(">>> optimizer.zero_grad(set_to_none=False)") in lab.probes.value


def test_plotted_lines_are_the_history():
    lab = AccumulationLab(seed=0)
    lab.n.value = 4
    lab.run_button.click()
    norm_ax, loss_ax = lab.figure.axes
    for mode, title in zip(MODES, TITLES):
        assert list(line(norm_ax, title).get_xdata()) == [1, 2, 3, 4]
        assert list(line(norm_ax, title).get_ydata()) == lab.history[mode]["grad_norm"]
        assert list(line(loss_ax, title).get_ydata()) == lab.history[mode]["loss"]
    assert norm_ax.get_title() == "‖layer2.weight.grad‖ after backward()"


def test_zeroed_modes_reproduce_the_tutorial_training_loop():
    lab = AccumulationLab(seed=0)
    lab.run(4)
    ak.manual_seed(0)
    model = TinyModel()
    some_input, ideal_output = ak.randn(16, 1000), ak.randn(16, 10)
    optimizer = ak.optim.SGD(model.parameters(), lr=0.001)
    losses, norms = [], []
    for _ in range(4):
        optimizer.zero_grad()
        loss = (ideal_output - model(some_input)).pow(2).sum()
        loss.backward()
        losses.append(loss.item())
        norms.append(float(np.linalg.norm(model.layer2.weight.grad.numpy().astype(np.float64))))
        optimizer.step()
    for mode in ("zeros", "None"):
        assert lab.history[mode]["loss"] == losses
        np.testing.assert_allclose(lab.history[mode]["grad_norm"], norms, rtol=1e-12)
    assert losses[-1] < losses[0]
    acc = lab.history["no zeroing"]
    assert acc["loss"][0] == losses[0] and acc["loss"][1:] != losses[1:]
    assert acc["grad_norm"][-1] > norms[-1]  # stale gradients keep adding up


def test_seed_makes_it_repeatable_and_leaves_the_global_generator_alone():
    ak.manual_seed(5)
    expected = ak.randn(3).numpy()
    ak.manual_seed(5)
    a = AccumulationLab(seed=1)
    np.testing.assert_array_equal(ak.randn(3).numpy(), expected)
    b, c = AccumulationLab(seed=1), AccumulationLab(seed=2)
    for lab in (a, b, c):
        lab.run(2)
    assert a.history == b.history and a.history != c.history


def test_reset_and_the_parameter_dropdown():
    lab = AccumulationLab(seed=0)
    empty = bytes(lab.image.value)
    lab.run(2)
    assert bytes(lab.image.value) != empty
    lab.parameter.value = "layer1.bias"
    assert lab.history["None"]["grad_norm"] == lab.runs["None"].grad_norms["layer1.bias"]
    assert lab.probe("zeros")[0] == "print(model.layer1.bias.grad[0:10])"
    assert "layer1.bias" in lab.figure.axes[0].get_title()
    lab.reset_button.click()
    assert lab.steps_done == 0 and lab.history["no zeroing"] == {"loss": [], "grad_norm": []}
    assert lab.grad("no zeroing") is None and "step 0" in lab.status.value
    lab.step_button.click()
    lab2 = AccumulationLab(seed=0, parameter="layer1.bias")
    lab2.step()
    assert lab.history == lab2.history  # reset restored the initial weights


def test_user_model_data_and_loss():
    model, data = small()
    before = [p.detach().numpy().copy() for p in model.parameters()]
    lab = AccumulationLab(model, data, loss_fn=ak.nn.MSELoss(), lr=0.1)
    assert lab.parameter.value == "0.weight"
    assert list(lab.parameter.options) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    lab.run(3)
    assert lab.probe("zeros")[0] == "print(model[0].weight.grad[0][0:10])"
    assert lab.history["zeros"]["loss"] == lab.history["None"]["loss"]
    assert lab.history["zeros"]["loss"][-1] < lab.history["zeros"]["loss"][0]
    for p, b in zip(model.parameters(), before):  # the lab trains copies, never your model
        np.testing.assert_array_equal(p.detach().numpy(), b)
        assert p.grad is None


def test_divergence_is_reported():
    model, data = small()
    lab = AccumulationLab(model, data, lr=0.2)  # too large a step for this model: the loss blows up
    lab.run(60)
    for mode, title in zip(MODES, TITLES):
        losses = lab.history[mode]["loss"]
        bad = [i for i, v in enumerate(losses) if not np.isfinite(v)]
        assert lab.runs[mode].diverged_at == (bad[0] + 1 if bad else None)
        if bad:
            assert f"{title}: the loss stopped being finite at step {bad[0] + 1}" in lab.status.value
    assert lab.runs["None"].diverged_at is not None


def test_a_failing_forward_is_a_message_and_blocks_until_reset():
    model, _ = small()
    lab = AccumulationLab(model, (ak.randn(4, 5), ak.randn(4, 1)))  # 5 features for Linear(3, 4)
    lab.step_button.click()
    assert lab.error is not None and lab.error.startswith("step 1 (no zeroing) failed: RuntimeError: ")
    assert "press Reset" in lab.status.value and "#b00020" in lab.status.value
    assert lab.step_button.disabled and lab.run_button.disabled and lab.steps_done == 0
    lab.reset_button.click()
    assert lab.error is None and not lab.step_button.disabled


def test_a_loss_that_is_not_a_scalar_is_a_message():
    model, data = small()
    lab = AccumulationLab(model, data, loss_fn=lambda p, t: p - t)
    lab.step()
    assert "the loss function must return a single-element tensor, got shape [8, 1]" in lab.error


def test_bad_arguments_raise_clear_errors():
    model, data = small()
    with pytest.raises(ValueError, match="has no parameters"):
        AccumulationLab(ak.nn.ReLU(), data)
    with pytest.raises(ValueError, match="pass data=\\(inputs, targets\\) along with your own model"):
        AccumulationLab(model)
    with pytest.raises(TypeError, match="model must be an nn.Module"):
        AccumulationLab("TinyModel", data)
    with pytest.raises(TypeError, match="data must be a pair of tensors"):
        AccumulationLab(model, (np.zeros((8, 3)), np.zeros((8, 1))))
    with pytest.raises(ValueError, match="no parameter 'fc.weight'; the model has 0.weight, 0.bias"):
        AccumulationLab(model, data, parameter="fc.weight")
    with pytest.raises(ValueError, match="unknown mode 'none'"):
        AccumulationLab(model, data).grad("none")


def test_repr_is_stable():
    lab = AccumulationLab(seed=0)
    assert repr(lab) == (
        "AccumulationLab(model='TinyModel', parameter='layer2.weight', steps=0, "
        "modes=['no zeroing', 'zeros', 'None'])"
    )
    lab.step()
    assert "steps=1" in repr(lab) and "0x" not in repr(lab)
