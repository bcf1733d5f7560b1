"""GraphView beyond the tutorial: stand-in torch graphs, large graphs, modules, clicking."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_kit._tensor.tensor import wrap_array
from autograd_kit.graph.engine import record_steps
from autograd_kit.widgets import GraphView
from autograd_kit.widgets.formulas import formula_for
from autograd_kit.widgets.recording import record_with_hooks
from tests.helpers.widgets import box_id, svg_boxes, tutorial


def chain(n: int) -> tuple:
    x = wrap_array(np.ones(2, dtype=np.float32)).requires_grad_()
    y = x
    for _ in range(n):
        y = y * 1.0001
    return x, y


def test_large_graph_says_what_it_left_out():
    _, y = chain(150)
    view = GraphView(y, max_nodes=40, show_constants=False)
    assert repr(view) == "GraphView(nodes=42, edges=41, outputs=['out'], omitted=111)"
    assert "Showing 40 of 151 nodes: 111 nodes" in view.message.value
    more = [n for n in view.model.nodes if n.kind == "more"]
    assert more[0].lines == ["… 111 more nodes", "not drawn (max_nodes=40)"]


class StandInModule:
    """What GraphView reads from an nn.Module: named_parameters() and named_modules()."""

    def __init__(self, params: dict) -> None:
        self.params = params

    def named_parameters(self):
        return iter(self.params.items())

    def named_modules(self):
        yield "", self
        yield "layer1", type("Linear", (), {})()
        yield "layer2", type("Linear", (), {})()


def test_collapse_by_module_scope():
    rng = np.random.default_rng(0)
    leaf = lambda: wrap_array(rng.standard_normal(3).astype(np.float32)).requires_grad_()  # noqa: E731
    x, w1, b1, w2, b2 = leaf(), leaf(), leaf(), leaf(), leaf()
    y = ((x * w1 + b1) * 0.5 * w2 + b2).sum()
    module = StandInModule({"layer1.weight": w1, "layer1.bias": b1, "layer2.weight": w2, "layer2.bias": b2})
    full = GraphView(y, module=module, show_constants=False)
    assert "layer1.weight" in [n.lines[0] for n in full.model.nodes]
    view = GraphView(y, module=module, collapse=True, show_constants=False)
    groups = [n.lines for n in view.model.nodes if n.kind == "group"]
    assert groups == [["layer2 (Linear)", "4 nodes · 2 params"], ["layer1 (Linear)", "4 nodes · 2 params"]]
    titles = [n.lines[0] for n in view.model.nodes]
    assert "layer1.weight" not in titles and "MulBackward0" in titles  # the unscoped "* 0.5" stays
    # automatic when the graph is over max_nodes
    auto = GraphView(y, module=module, max_nodes=5, show_constants=False)
    assert [n.kind for n in auto.model.nodes].count("group") == 2 and auto.model.omitted == 0
    with pytest.raises(TypeError, match="module must be an nn.Module"):
        GraphView(y, module=3)


# --- a stand-in that speaks PyTorch's node protocol (torch itself is never imported) ----------
class FakeTensor:
    def __init__(self, values, grad_fn=None, requires_grad=False):
        self._values = np.asarray(values, dtype=np.float32)
        self.grad_fn = grad_fn
        self.requires_grad = requires_grad
        self.grad = None
        self._version = 0

    @property
    def shape(self):
        return self._values.shape

    @property
    def dtype(self):
        return "torch.float32"

    def detach(self):
        return self._values


class FakeNode:
    def __init__(self, name, nexts, saved=None):
        self._name, self.next_functions = name, tuple(nexts)
        for key, value in (saved or {}).items():
            setattr(self, "_saved_" + key, value)
        self._raw_saved_self = object()  # PyTorch also has these; they are not saved values

    def name(self):
        return self._name


class FreedNode(FakeNode):
    @property
    def _saved_other(self):
        raise RuntimeError("Trying to backward through the graph a second time")


class FakeAccumulateGrad:
    next_functions = ()

    def __init__(self, variable):
        self.variable = variable

    def name(self):
        return "torch::autograd::AccumulateGrad"


def test_stand_in_torch_protocol_graph():
    a = FakeTensor([0.0, 1.0, 2.0], requires_grad=True)
    acc = FakeAccumulateGrad(a)
    sin = FakeNode("SinBackward0", [(acc, 0)], {"self": a})
    mul = FreedNode("MulBackward0", [(sin, 0), (None, 0)])
    out = FakeTensor([1.0, 2.0, 3.0], grad_fn=FakeNode("SumBackward0", [(mul, 0)], {"self_sym_sizes": (3,)}))
    view = GraphView(out, names={"a": a}, show_saved=True, show_versions=True)
    assert [(n.kind, n.lines[0]) for n in view.model.nodes] == [
        ("output", "out"),
        ("backward", "SumBackward0"),
        ("backward", "MulBackward0"),
        ("backward", "SinBackward0"),
        ("accumulate", "AccumulateGrad"),
        ("constant", "constant"),
        ("leaf", "a"),
        ("saved", "saved other"),
    ]
    assert view.model.node(box_id(view, "saved other")).lines == ["saved other", "freed"]
    sin_id, leaf_id = box_id(view, "SinBackward0"), box_id(view, "a")
    assert any(e.src == sin_id and e.dst == leaf_id and e.kind == "saved" for e in view.model.edges)
    view.node_list.value = box_id(view, "SumBackward0")
    assert "_saved_self_sym_sizes" in view.details.value and "(3,)" in view.details.value
    view.node_list.value = box_id(view, "AccumulateGrad")
    assert "variable.grad += grad" in view.details.value
    assert len(svg_boxes(view.to_svg())) == 8


def test_formula_table():
    assert formula_for(FakeNode("SinBackward0", [])) == "grad_self = grad * cos(self)"
    assert formula_for(FakeAccumulateGrad(None)).startswith("variable.grad += grad")
    assert formula_for(FakeNode("FrobnicateBackward0", [])) == "formula not documented"


def test_hook_recording_matches_engine_record():
    a1, out1 = tutorial()
    with record_steps() as engine_steps:
        out1.backward()
    a2, out2 = tutorial()
    hook_steps = record_with_hooks([out2.grad_fn], lambda: out2.backward())
    assert [s.node.name() for s in hook_steps] == [s.node.name() for s in engine_steps]
    for h, e in zip(hook_steps, engine_steps):
        for got, want in zip(h.grad_outputs + h.grad_inputs, e.grad_outputs + e.grad_inputs):
            np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(hook_steps[-1].grad_after, engine_steps[-1].grad_after)
    assert hook_steps[-1].grad_before is None


def test_clicking_a_box_selects_it():
    pytest.importorskip("anywidget")
    a, out = tutorial()
    view = GraphView(out, names={"a": a})
    sin = box_id(view, "SinBackward0")
    view.canvas.clicked = sin  # what the front end sends when the box is clicked
    assert view.node_list.value == sin
    assert "grad_self = grad * cos(self)" in view.details.value
    view.node_list.value = box_id(view, "a")
    assert view.canvas.clicked == box_id(view, "a")  # a later click on Sin is a change again
    view.canvas.clicked = "not-a-box"
    assert view.node_list.value == box_id(view, "a")


def test_without_anywidget_the_list_still_selects(monkeypatch):
    import ipywidgets

    from autograd_kit.widgets import graph_view

    monkeypatch.setattr(graph_view, "CLICKABLE", False)
    monkeypatch.setattr(graph_view, "make_canvas", lambda **kw: ipywidgets.HTML(**kw))
    _, out = tutorial()
    view = GraphView(out)
    assert type(view.canvas) is ipywidgets.HTML and "<svg" in view.canvas.value
    view.node_list.value = box_id(view, "SinBackward0")
    assert "grad_self = grad * cos(self)" in view.details.value


def test_click_script_reports_the_clicked_box(tmp_path):
    """Run the canvas's ES module under Node with a fake DOM: a click sets ``clicked``."""
    import shutil
    import subprocess

    canvas = pytest.importorskip("autograd_kit.widgets.canvas")
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    (tmp_path / "canvas.mjs").write_text(canvas._ESM)
    (tmp_path / "drive.mjs").write_text(
        """
        const listeners = {};
        const styled = [];
        const div = { style: {}, set innerHTML(v) { this.html = v; },
          addEventListener: (type, fn) => { listeners[type] = fn; },
          querySelectorAll: () => [{ style: styled }] };
        globalThis.document = { createElement: () => div };
        const state = { value: "<svg/>", clicked: "" }, saved = [], handlers = {};
        const model = { get: (k) => state[k], set: (k, v) => { state[k] = v; },
          save_changes: () => saved.push(state.clicked), on: (ev, fn) => { handlers[ev] = fn; } };
        const el = { appendChild: () => {} };
        const mod = await import("./canvas.mjs");
        mod.default.render({ model, el });
        const box = { getAttribute: (k) => (k === "data-node" ? "n4" : null) };
        listeners.click({ target: { closest: (sel) => (sel === "[data-node]" ? box : null) } });
        listeners.click({ target: { closest: () => null } });
        state.value = "<svg>2</svg>"; handlers["change:value"]();
        console.log(JSON.stringify({ saved, html: div.html, cursor: styled.cursor }));
        """
    )
    result = subprocess.run(["node", str(tmp_path / "drive.mjs")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '{"saved":["n4"],"html":"<svg>2</svg>","cursor":"pointer"}'


def test_real_module_names_parameters_and_collapses():
    from autograd_kit import nn

    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    loss = model(wrap_array(np.ones((5, 4), dtype=np.float32))).sum()
    full = GraphView(loss, module=model)
    leaves = sorted(n.lines[0] for n in full.model.nodes if n.kind == "leaf")
    assert leaves == ["0.bias", "0.weight", "2.bias", "2.weight"]
    small = GraphView(loss, module=model, max_nodes=6)  # over max_nodes: collapses by module
    assert [n.lines for n in small.model.nodes if n.kind == "group"] == [
        ["2 (Linear)", "4 nodes · 2 params"],
        ["0 (Linear)", "4 nodes · 2 params"],
    ]
    assert "ReluBackward0" in [n.lines[0] for n in small.model.nodes] and small.model.omitted == 0
