"""GraphView: draw the backward graph (grad_fn / next_functions) of output tensors, interactively.

``GraphView(out)`` shows backward nodes, one AccumulateGrad per leaf, the leaves, the outputs,
and optionally constants ``(None, 0)`` and saved tensors, as a layered SVG computed in Python.
Toggles choose what to show; clicking a box (with anywidget) or picking it from the list shows
its details. It reads only the
public node protocol, so a ``torch.Tensor`` works too (torch is never imported here).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets

from ._base import check_int, esc, is_tensor, normalize_outputs
from .canvas import CLICKABLE, graph_row, make_canvas
from .details import node_details_html
from .graph_model import GNode, GraphModel, GraphOptions, build_graph
from .legend import legend_html
from .recording import check_backward_args, run_and_record
from .svg import Drawing, to_dot

__all__ = ["GraphView"]

_TOGGLES = (
    ("constants", "show_constants", "constants (None, 0)"),
    ("saved", "show_saved", "saved tensors"),
    ("values", "show_values", "values"),
    ("grad", "show_grad", "gradients"),
    ("versions", "show_versions", "versions"),
)


class GraphView(widgets.VBox):
    """The backward graph of one or several outputs, with toggles and a node inspector.

    ``outputs``: a tensor, a list of tensors or a ``{name: tensor}`` dict. ``names`` labels
    leaves (``{"a": a}``); ``module`` (an nn.Module) names its parameters and lets large graphs
    collapse into one box per submodule. ``steps`` (from ``engine.record_steps()``) supplies the
    gradients of a backward pass already run; ``run_backward()`` runs and records one.
    """

    def __init__(
        self,
        outputs: Any,
        *,
        names: dict | None = None,
        steps: list | None = None,
        module: Any = None,
        show_constants: bool = True,
        show_saved: bool = False,
        show_values: bool = False,
        show_grad: bool = False,
        show_versions: bool = False,
        collapse: bool | None = None,
        max_nodes: int = 400,
    ) -> None:
        max_nodes = check_int("GraphView", "max_nodes", max_nodes, minimum=1)
        self._outputs = normalize_outputs(outputs, "GraphView")
        if names is not None and not isinstance(names, dict):
            raise TypeError(f"GraphView: names must be a {{name: tensor}} dict, got {type(names).__name__}")
        if module is not None and not hasattr(module, "named_parameters"):
            raise TypeError(f"GraphView: module must be an nn.Module, got {type(module).__name__}")
        self._names = {k: v for k, v in (names or {}).items() if is_tensor(v)}
        self._steps = list(steps) if steps is not None else None
        self._opts = GraphOptions(
            show_constants,
            show_saved,
            show_values,
            show_grad,
            show_versions,
            max_nodes,
            module,
            collapse,
        )
        self.toggles = {
            key: widgets.Checkbox(
                value=getattr(self._opts, attr),
                description=label,
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            for key, attr, label in _TOGGLES
        }
        self.backward_button = widgets.Button(
            description="run backward()", tooltip="out.backward(retain_graph=True)"
        )
        self.node_list = widgets.Dropdown(
            description="node", options=[], layout=widgets.Layout(width="320px")
        )
        self.message = widgets.HTML()
        self.canvas = make_canvas(layout=widgets.Layout(overflow="auto", max_height="640px"))
        self.details = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.legend = widgets.HTML(legend_html(("selected",)))
        for box in self.toggles.values():
            box.observe(self._on_toggle, names="value")
        self.node_list.observe(self._on_select, names="value")
        if CLICKABLE:
            self.canvas.observe(self._on_click, names="clicked")
        self.backward_button.on_click(self._on_backward_click)
        super().__init__(
            children=[
                # a narrow page wraps the controls instead of cutting them off
                widgets.HBox(
                    [*self.toggles.values(), self.backward_button], layout={"flex_flow": "row wrap"}
                ),
                self.message,
                graph_row(self.canvas, widgets.VBox([self.node_list, self.details]), 420),
                self.legend,
            ]
        )
        self._selected_obj: Any = None
        self._rebuild()

    # --- state -------------------------------------------------------------------------
    @property
    def model(self) -> GraphModel:
        """The drawn graph: boxes (``.nodes``), arrows (``.edges``) and messages."""
        return self._model

    @property
    def selected(self) -> GNode | None:
        """The box whose details are shown."""
        return self._model.node(self.node_list.value) if self.node_list.value else None

    @property
    def steps(self) -> list | None:
        """The recorded steps of the last backward shown (None before any)."""
        return self._steps

    def select(self, target: Any) -> None:
        """Show the details of a box, given its id (``'n2'``), its node or its tensor."""
        gid = target if isinstance(target, str) else self._model.index.get(id(target))
        if gid not in {n.id for n in self._model.nodes}:
            raise ValueError(
                f"GraphView.select: {target!r} is not drawn in this graph"
                if isinstance(target, str)
                else f"GraphView.select: that {type(target).__name__} is not drawn in this graph"
            )
        self.node_list.value = gid

    def _rebuild(self) -> None:
        for key, attr, _ in _TOGGLES:
            setattr(self._opts, attr, self.toggles[key].value)
        self._model = build_graph(self._outputs, self._opts, self._names, self._steps)
        self._drawing = Drawing(self._model)
        self.message.value = "".join(
            f"<div style='color:#8a5300;font-family:monospace'>{esc(m)}</div>" for m in self._model.messages
        )
        self._by_node = {id(s.node): s for s in self._steps or ()}
        options = [(f"{n.id}: {n.lines[0]}", n.id) for n in self._model.nodes]
        keep = self._model.index.get(id(self._selected_obj)) if self._selected_obj is not None else None
        current = self.node_list.value
        if keep is None:
            keep = current if current in {v for _, v in options} else None
        if keep is None:
            keep = next(
                (n.id for n in self._model.nodes if n.kind != "output"), options[0][1] if options else None
            )
        self.node_list.unobserve(self._on_select, names="value")
        self.node_list.options = options
        self.node_list.value = keep
        self.node_list.observe(self._on_select, names="value")
        self._show_selection()

    def _show_selection(self) -> None:
        box = self.selected
        self._selected_obj = box.obj if box is not None else None
        marks = {box.id: "selected"} if box is not None else {}
        if CLICKABLE:  # so that clicking this box again after a list pick is a change
            self.canvas.clicked = box.id if box is not None else ""
        self.canvas.value = self._drawing.svg(marks)
        if box is None:
            self.details.value = ""
            return
        self.details.value = node_details_html(box, self._model, self._by_node.get(id(box.obj)))

    def _on_toggle(self, change: dict) -> None:
        self._rebuild()

    def _on_select(self, change: dict) -> None:
        self._show_selection()

    def _on_click(self, change: dict) -> None:
        if change["new"] in {n.id for n in self._model.nodes}:
            self.node_list.value = change["new"]

    def _on_backward_click(self, button: Any) -> None:
        try:
            self.run_backward()
        except (ValueError, RuntimeError, TypeError) as exc:
            self.message.value = f"<div style='color:#b00020;font-family:monospace'>{esc(exc)}</div>"

    # --- actions -----------------------------------------------------------------------
    def run_backward(self, gradient: Any = None, retain_graph: bool = True) -> list:
        """Run ``backward()`` on the outputs, record each step, and show the gradients."""
        drawn = [(n, t) for n, t in self._outputs if t.grad_fn is not None]
        if not drawn:
            raise ValueError("GraphView.run_backward: no output has a backward graph")
        grads = list(gradient) if isinstance(gradient, (list, tuple)) else [gradient] * len(drawn)
        check_backward_args(drawn, grads, "GraphView.run_backward")
        self._steps = run_and_record(drawn, grads, retain_graph=retain_graph)
        if self.toggles["grad"].value:
            self._rebuild()
        else:
            self.toggles["grad"].value = True  # its observer rebuilds
        return self._steps

    def to_svg(self) -> str:
        """The graph as standalone SVG text (deterministic for the same graph)."""
        return self._drawing.svg()

    def to_dot(self) -> str:
        """The graph as Graphviz DOT source, for those who have Graphviz."""
        return to_dot(self._model)

    def save(self, path: str | Path) -> Path:
        """Write the graph to ``path``: ``.svg`` (rendered here) or ``.dot`` (Graphviz source)."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".svg", ".dot", ".gv"):
            raise ValueError(f"GraphView.save writes .svg or .dot files, got {path.name!r}")
        path.write_text(self.to_svg() if suffix == ".svg" else self.to_dot(), encoding="utf-8")
        return path

    def _repr_svg_(self) -> str:
        return self.to_svg()

    def __repr__(self) -> str:
        m = self._model
        extra = f", omitted={m.omitted}" if m.omitted else ""
        return f"GraphView(nodes={len(m.nodes)}, edges={len(m.edges)}, outputs={m.outputs}{extra})"
