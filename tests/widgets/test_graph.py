"""GraphView: the drawn graph of the tutorial, its toggles, node list, details and reprs."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit._tensor.tensor import wrap_array
from autograd_kit.graph.engine import record_steps
from autograd_kit.widgets import GraphView
from autograd_kit.widgets.graph_model import GraphOptions, build_graph
from autograd_kit.widgets.layout import layered_layout
from autograd_kit.widgets.svg import Drawing
from tests.helpers.widgets import box_id, svg_boxes, svg_edges, tutorial


def test_tutorial_graph_nodes_and_edges_in_svg():
    a, out = tutorial()
    view = GraphView(out, names={"a": a})
    boxes = svg_boxes(view.to_svg())
    kinds = [(cls, title) for _, cls, title in boxes]
    assert kinds == [
        ("node output", "out"),
        ("node backward", "SumBackward0"),
        ("node backward", "AddBackward0"),
        ("node backward", "MulBackward0"),
        ("node backward", "SinBackward0"),
        ("node accumulate", "AccumulateGrad"),
        ("node constant", "an input that needs no gradient"),
        ("node constant", "an input that needs no gradient"),
        ("node leaf", "leaf tensor a"),
    ]
    ids = {title: gid for gid, _, title in boxes}
    consts = [gid for gid, cls, _ in boxes if cls == "node constant"]
    assert svg_edges(view.to_svg()) == [
        (ids["out"], ids["SumBackward0"], "edge output"),
        (ids["SumBackward0"], ids["AddBackward0"], "edge grad"),
        (ids["AddBackward0"], ids["MulBackward0"], "edge grad"),
        (ids["AddBackward0"], consts[0], "edge constant"),  # the "+ 1": (None, 0)
        (ids["MulBackward0"], ids["SinBackward0"], "edge grad"),
        (ids["MulBackward0"], consts[1], "edge constant"),  # the "2 *": (None, 0)
        (ids["SinBackward0"], ids["AccumulateGrad"], "edge grad"),
        (ids["AccumulateGrad"], ids["leaf tensor a"], "edge variable"),
    ]
    assert repr(view) == "GraphView(nodes=9, edges=8, outputs=['out'])"
    leaf = view.model.node(ids["leaf tensor a"])
    assert leaf.lines == ["a", "[25]"] and leaf.obj is a


def test_layout_points_every_edge_down_without_overlap():
    _, out = tutorial()
    view = GraphView(out, show_saved=True)
    lay, sizes = view._drawing.layout, view._drawing.sizes
    for a, b in view._drawing.pairs:
        assert lay.y[a] < lay.y[b]
    boxes = [(lay.x[i] - w / 2, lay.x[i] + w / 2, lay.y[i]) for i, (w, _) in enumerate(sizes)]
    for i, (l1, r1, y1) in enumerate(boxes):
        for l2, r2, y2 in boxes[i + 1 :]:
            assert y1 != y2 or r1 <= l2 or r2 <= l1


def test_layout_handles_long_edges_and_is_deterministic():
    edges = [(0, 1), (1, 2), (2, 3), (0, 3), (1, 3)]
    first = layered_layout([(60.0, 20.0)] * 4, edges)
    assert first == layered_layout([(60.0, 20.0)] * 4, edges)
    assert len(first.routes[3]) == 2 and len(first.routes[4]) == 1  # one dummy per crossed layer
    assert first.y == sorted(first.y)


def test_constants_toggle_hides_none_edges():
    _, out = tutorial()
    view = GraphView(out)
    view.toggles["constants"].value = False
    assert [cls for _, cls, _ in svg_boxes(view.canvas.value)].count("node constant") == 0
    assert repr(view) == "GraphView(nodes=7, edges=6, outputs=['out'])"
    view.toggles["constants"].value = True
    assert [cls for _, cls, _ in svg_boxes(view.canvas.value)].count("node constant") == 2


def test_saved_toggle_draws_saved_tensors_and_links_saved_leaves():
    a, out = tutorial()
    view = GraphView(out, names={"a": a})
    view.toggles["saved"].value = True
    saved = [n for n in view.model.nodes if n.kind == "saved"]
    mul = box_id(view, "MulBackward0")
    # 2 * b saves only the 2 (as PyTorch: _saved_self is None, b is needed only for d/d other)
    assert [n.lines[:2] for n in saved if any(e.src == mul and e.dst == n.id for e in view.model.edges)] == [
        ["saved other", "[]"]
    ]
    view.select(mul)
    assert "_saved_self</td><td" in view.details.value and ">None</td>" in view.details.value
    # SinBackward0 saved `a` itself: a dotted edge to a's box, not a second box
    sin, leaf = box_id(view, "SinBackward0"), box_id(view, "a")
    assert any(e.src == sin and e.dst == leaf and e.kind == "saved" for e in view.model.edges)
    assert 'class="edge saved"' in view.canvas.value


def test_values_grad_and_version_toggles_change_labels():
    a, out = tutorial()
    view = GraphView(out, names={"a": a}, show_saved=True)
    view.toggles["values"].value = True
    assert view.model.node(box_id(view, "a")).lines[2] == "min 0 · mean 3.142 · max 6.283"
    view.toggles["grad"].value = True
    assert view.model.node(box_id(view, "a")).lines[3] == "grad None"
    view.toggles["versions"].value = True
    mul_saved = next(n for n in view.model.nodes if n.lines[0] == "saved other")
    assert mul_saved.lines == ["saved other", "[]", "2", "version 0"]


def test_version_counter_marks_in_place_modification():
    x = wrap_array(np.arange(3, dtype=np.float32)).requires_grad_()
    b = x * 2
    c = b * b
    b.mul_(3)
    view = GraphView(c, show_saved=True, show_versions=True)
    top = view.model.index[id(c.grad_fn)]
    saved = [view.model.node(e.dst) for e in view.model.edges if e.src == top and e.kind == "saved"]
    assert [n.lines[-1] for n in saved] == ["version 1 (saved at 0: modified in place)"] * 2
    view.select(c.grad_fn)
    assert "version 1 (saved at 0: modified in place)" in view.details.value


def test_selecting_from_list_shows_details_and_highlights():
    a, out = tutorial()
    view = GraphView(out, names={"a": a})
    sin = box_id(view, "SinBackward0")
    view.node_list.value = sin
    html = view.details.value
    assert "grad_self = grad * cos(self)" in html
    assert "_saved_self" in html and "[25] torch.float32 version 0" in html
    assert "next_functions[0] → AccumulateGrad" in html
    assert "no backward recorded yet" in html
    assert "node backward selected" in [cls for gid, cls, _ in svg_boxes(view.canvas.value) if gid == sin]
    view.node_list.value = box_id(view, "MulBackward0")
    assert "next_functions[1] → None (constant: nothing flows back)" in view.details.value
    assert "grad_self = grad * other" in view.details.value
    view.select(a)
    assert view.selected.kind == "leaf" and "requires_grad" in view.details.value


def test_backward_button_records_gradients_equal_to_backward():
    a, out = tutorial()
    view = GraphView(out, names={"a": a})
    view.node_list.value = box_id(view, "SinBackward0")
    view.backward_button.click()
    assert view.toggles["grad"].value is True
    assert [s.node.name() for s in view.steps] == [
        "SumBackward0",
        "AddBackward0",
        "MulBackward0",
        "SinBackward0",
        "torch::autograd::AccumulateGrad",  # PyTorch's name() for the leaf's sink
    ]
    expected = 2 * np.cos(np.linspace(0, 2 * math.pi, 25).astype(np.float32))
    np.testing.assert_allclose(a.grad.detach().numpy(), expected, rtol=1e-5, atol=1e-6)
    html = view.details.value
    arriving, sent = html.split("gradient arriving")[1].split("gradients sent")
    assert "min 2 · mean 2 · max 2" in arriving  # d(out)/d(sin a) = 2 everywhere
    assert "next_functions[0] → AccumulateGrad" in sent and "min -2 · mean 0.08 · max 2" in sent
    assert view.model.node(box_id(view, "a")).lines[-1].startswith("grad min -2 ·")
    assert view.model.node(box_id(view, "SinBackward0")).lines[-1] == "grad min 2 · mean 2 · max 2"


def test_freed_saved_tensors_show_freed():
    _, out = tutorial()
    out.backward()
    view = GraphView(out, show_saved=True)
    freed = [n.lines for n in view.model.nodes if n.kind == "saved"]
    assert freed and all(lines[1] == "freed" for lines in freed)
    view.node_list.value = box_id(view, "MulBackward0")
    assert "freed (backward ran without retain_graph=True)" in view.details.value


def test_steps_argument_supplies_last_backward():
    a, out = tutorial()
    with record_steps() as steps:
        out.backward(retain_graph=True)
    view = GraphView(out, steps=steps, show_grad=True)
    view.node_list.value = box_id(view, "AccumulateGrad")
    assert "leaf .grad" in view.details.value and "before" in view.details.value


def test_run_backward_errors_are_clear():
    y = wrap_array(np.ones(3, dtype=np.float32)).requires_grad_() * 2
    view = GraphView(y)
    with pytest.raises(ValueError, match=r"has shape \[3\].*gradient="):
        view.run_backward()
    view.backward_button.click()
    assert "has shape [3]" in view.message.value
    view.run_backward(wrap_array(np.ones(3, dtype=np.float32)))
    assert len(view.steps) == 2


def test_bad_inputs():
    with pytest.raises(TypeError, match="expects a tensor .* got int"):
        GraphView(3)
    with pytest.raises(ValueError, match="at least one output"):
        GraphView([])
    leaf = wrap_array(np.ones(2, dtype=np.float32)).requires_grad_()
    view = GraphView(leaf)
    assert repr(view) == "GraphView(nodes=0, edges=0, outputs=['out'])"
    assert "is a leaf tensor" in view.message.value and "is a leaf tensor" in view.to_svg()
    with ak.no_grad():
        z = leaf * 2
    assert "no_grad()" in GraphView(z).message.value
    with pytest.raises(ValueError, match="no output has a backward graph"):
        GraphView(z).run_backward()
    with pytest.raises(ValueError, match="writes .svg or .dot"):
        GraphView(leaf * 2).save("graph.png")


def test_repr_svg_dot_are_stable(tmp_path):
    views = [GraphView(tutorial()[1], show_saved=True, show_values=True) for _ in range(2)]
    assert views[0].to_svg() == views[1].to_svg()
    assert views[0].to_dot() == views[1].to_dot()
    assert "0x" not in repr(views[0]) and "0x" not in views[0].to_svg()
    assert views[0]._repr_svg_() == views[0].to_svg()
    bundle = views[0]._repr_mimebundle_()
    assert bundle["text/plain"] == repr(views[0])
    dot = views[0].to_dot()
    assert dot.startswith("digraph backward {") and dot.count("->") == len(views[0].model.edges)
    assert views[0].save(tmp_path / "g.svg").read_text() == views[0].to_svg()
    assert views[0].save(tmp_path / "g.dot").read_text() == dot


def test_several_outputs_share_one_graph():
    a = wrap_array(np.ones(3, dtype=np.float32)).requires_grad_()
    h = a * 3
    view = GraphView({"y1": h + 1, "y2": h * h})
    assert view.model.outputs == ["y1", "y2"]
    assert [n.lines[0] for n in view.model.nodes if n.kind != "constant"] == [
        "y1",
        "y2",
        "AddBackward0",
        "MulBackward0",
        "MulBackward0",
        "AccumulateGrad",
        "leaf",
    ]
    # x*x: two arrows from the same node into the same next function, both drawn
    square = [n.id for n in view.model.nodes if n.lines[0] == "MulBackward0"][0]
    assert sum(1 for e in view.model.edges if e.src == square and e.kind == "grad") == 2


def test_drawing_of_an_empty_model_shows_the_message():
    model = build_graph([], GraphOptions())
    assert Drawing(model).svg().count("<text") == 1
