"""BackwardStepper: replay a backward pass one node at a time, in the engine's own order.

``BackwardStepper(loss)`` runs ``loss.backward(retain_graph=True)`` once inside the engine's
``record_steps()`` (so, like that call, it accumulates into the leaves' ``.grad``) and replays the
record: Step / Back / Play / Reset and a slider move through it, the current node is highlighted
on the graph, and a panel shows the gradient arriving and the gradients sent to each input.
Because it replays the record, it cannot disagree with the engine. A ``torch.Tensor`` works too:
node hooks then record the same facts while PyTorch's engine runs (torch is never imported).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ._base import check_int, is_accumulate, normalize_outputs, short_name
from .canvas import graph_row
from .details import step_html
from .graph_model import GraphOptions, build_graph
from .legend import legend_html
from .recording import check_backward_args, run_and_record
from .svg import Drawing

__all__ = ["BackwardStepper"]


class BackwardStepper(widgets.VBox):
    """Step through ``loss.backward()`` node by node.

    ``gradient`` is passed to ``backward()`` for a non-scalar ``loss``. ``steps`` (from
    ``engine.record_steps()``) replays a backward pass the caller already ran instead of running
    one. ``names`` labels leaves (``{"a": a}``).
    """

    def __init__(
        self,
        loss: Any,
        gradient: Any = None,
        *,
        steps: list | None = None,
        names: dict | None = None,
        show_constants: bool = True,
        interval: int = 800,
        max_nodes: int = 400,
    ) -> None:
        max_nodes = check_int("BackwardStepper", "max_nodes", max_nodes, minimum=1)
        interval = check_int("BackwardStepper", "interval", interval, minimum=1)
        name, tensor = _single(loss)
        if steps is None:
            check_backward_args([(name, tensor)], [gradient], "BackwardStepper")
            steps = run_and_record([(name, tensor)], [gradient], retain_graph=True)
        self._steps = list(steps)
        if not self._steps:
            raise ValueError("BackwardStepper: the step record is empty: no backward pass ran inside it")
        self._loss_name = name
        graph_of = tensor if tensor.grad_fn is not None else None
        # capped like GraphView's: a 10k-node chain would otherwise send megabytes of SVG per step
        opts = GraphOptions(show_constants=show_constants, max_nodes=max_nodes)
        self._model = build_graph([(name, graph_of)] if graph_of is not None else [], opts, names)
        self._drawing = Drawing(self._model)
        # the slider counts from 1, as the panel's "step k / n" does; position stays 0-based
        total = len(self._steps)
        self.slider = widgets.IntSlider(value=1, min=1, max=total, description="step", continuous_update=True)
        self.play = widgets.Play(value=1, min=1, max=total, step=1, interval=interval, description="play")
        self._link = widgets.link((self.play, "value"), (self.slider, "value"))
        self.reset_button = widgets.Button(description="⏮ Reset", tooltip="back to the first step")
        self.back_button = widgets.Button(description="◀ Back", tooltip="previous step")
        self.step_button = widgets.Button(description="Step ▶", tooltip="next step")
        self.canvas = widgets.HTML(layout=widgets.Layout(overflow="auto", max_height="640px"))
        self.panel = widgets.HTML(layout=widgets.Layout(width="460px"))  # max 100% in graph_row
        self.legend = widgets.HTML(legend_html(("current", "done")))
        self.reset_button.on_click(lambda _: self.reset())
        self.back_button.on_click(lambda _: self.back())
        self.step_button.on_click(lambda _: self.step())
        self.slider.observe(self._on_position, names="value")
        super().__init__(
            children=[
                widgets.HBox(
                    [self.reset_button, self.back_button, self.step_button, self.play, self.slider],
                    layout=widgets.Layout(flex_flow="row wrap"),  # a narrow page wraps, not cuts, them
                ),
                graph_row(self.canvas, self.panel, 460),
                self.legend,
            ]
        )
        self._show()

    # --- state -------------------------------------------------------------------------
    @property
    def steps(self) -> list:
        """The replayed record: one ``BackwardStep`` per node execution, in engine order."""
        return self._steps

    @property
    def position(self) -> int:
        """Index of the current step (0-based: the slider shows it plus one)."""
        return self.slider.value - 1

    @property
    def current(self) -> Any:
        """The current ``BackwardStep``."""
        return self._steps[self.position]

    def order(self) -> list[str]:
        """The node names in the order the engine ran them."""
        return [short_name(s.node) for s in self._steps]

    def leaf_grad(self, leaf: Any, position: int | None = None) -> Any:
        """A leaf's ``.grad`` (a NumPy array, or None) as it stands after the step ``position``."""
        pos = self.position if position is None else position
        for step in reversed(self._steps[: pos + 1]):
            if is_accumulate(step.node) and step.node.variable is leaf:
                return step.grad_after
        for step in self._steps:
            if is_accumulate(step.node) and step.node.variable is leaf:
                return step.grad_before  # not reached yet: what .grad held before this backward
        return None

    # --- controls ----------------------------------------------------------------------
    def step(self) -> None:
        """Advance one node."""
        self.slider.value = min(self.slider.value + 1, self.slider.max)

    def back(self) -> None:
        """Go back one node."""
        self.slider.value = max(self.slider.value - 1, 1)

    def reset(self) -> None:
        """Stop playing and return to the first step."""
        self.play.playing = False
        self.slider.value = 1

    def _on_position(self, change: dict) -> None:
        self._show()

    def _marks(self) -> dict[str, str]:
        marks: dict[str, str] = {}
        index = self._model.index
        for step in self._steps[: self.position]:
            gid = index.get(id(step.node))
            if gid is not None:
                marks[gid] = "done"
        gid = index.get(id(self.current.node))
        if gid is not None:
            marks[gid] = "current"
        return marks

    def _show(self) -> None:
        self.back_button.disabled = self.slider.value == self.slider.min
        self.step_button.disabled = self.slider.value == self.slider.max
        self.canvas.value = self._drawing.svg(self._marks())
        self.panel.value = step_html(self.current, len(self._steps), self._model)

    def to_svg(self) -> str:
        """The graph with the current node highlighted, as SVG text."""
        return self._drawing.svg(self._marks())

    def _repr_svg_(self) -> str:
        return self.to_svg()

    def __repr__(self) -> str:
        return (
            f"BackwardStepper(steps={len(self._steps)}, position={self.position}, "
            f"current={short_name(self.current.node)!r})"
        )


def _single(loss: Any) -> tuple[str, Any]:
    pairs = normalize_outputs(loss, "BackwardStepper")
    if len(pairs) != 1:
        raise ValueError(f"BackwardStepper replays the backward of one tensor, got {len(pairs)}")
    return pairs[0] if isinstance(loss, dict) else ("loss", pairs[0][1])
