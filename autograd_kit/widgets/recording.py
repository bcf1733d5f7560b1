"""Run a backward pass and keep its step record: what each node received and sent, in order.

For autograd_kit tensors this is the engine's own ``record_steps()``. For other tensors that
follow PyTorch's node protocol (a real ``torch.Tensor``), node pre/post hooks record the same
facts while that engine runs, so the order is still the engine's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._tensor.tensor import Tensor
from ..autograd.backprop import backward
from ..graph.engine import BackwardStep, record_steps
from ._base import is_accumulate, no_graph_message, node_name, shape_text, to_array
from .graph_model import walk_nodes

__all__ = ["check_backward_args", "run_and_record", "record_with_hooks"]


def check_backward_args(tensors: list[tuple[str, Any]], gradients: list[Any], what: str) -> None:
    """Raise a clear error before backward when an output has no graph or needs a gradient."""
    for (name, t), g in zip(tensors, gradients):
        if t.grad_fn is None:
            raise ValueError(f"{what}: " + no_graph_message(name, t))
        numel = int(np.prod(tuple(t.shape), dtype=np.int64))
        if g is None and numel != 1:
            raise ValueError(
                f"{what}: {name!r} has shape {shape_text(t.shape)}, and backward() without a gradient "
                "needs a single-element output: reduce it (e.g. .sum()) or pass gradient= (a tensor "
                "of the same shape, e.g. ones_like)"
            )


def record_with_hooks(roots: list, run: Callable[[], None]) -> list[BackwardStep]:
    """Call ``run()`` with pre/post hooks on every node reachable from ``roots``."""
    steps: list[BackwardStep] = []
    before: dict[int, Any] = {}
    handles = []

    def snap(values: Any) -> tuple:
        return tuple(None if v is None else np.array(to_array(v), copy=True) for v in values or ())

    def leaf_grad(node: Any) -> np.ndarray | None:
        g = getattr(node.variable, "grad", None)
        return None if g is None else np.array(to_array(g), copy=True)

    for node in walk_nodes(roots):

        def pre(grad_outputs: Any, node: Any = node) -> None:
            if is_accumulate(node):
                before[id(node)] = leaf_grad(node)

        def post(grad_inputs: Any, grad_outputs: Any, node: Any = node) -> None:
            acc = is_accumulate(node)
            steps.append(
                BackwardStep(
                    len(steps),
                    node,
                    snap(grad_outputs),
                    snap(grad_inputs),
                    before.get(id(node)) if acc else None,
                    leaf_grad(node) if acc else None,
                )
            )

        try:
            handles.append(node.register_prehook(pre))
            handles.append(node.register_hook(post))
        except Exception as exc:  # a node type that refuses hooks cannot be recorded
            for h in handles:
                h.remove()
            raise TypeError(f"cannot record the backward of {node_name(node)}: {exc}") from exc
    try:
        run()
    finally:
        for h in handles:
            h.remove()
    return steps


def run_and_record(
    tensors: list[tuple[str, Any]], gradients: list[Any] | None = None, retain_graph: bool = True
) -> list[BackwardStep]:
    """Run ``backward()`` of each tensor (with its gradient) and return the recorded steps."""
    gradients = list(gradients) if gradients is not None else [None] * len(tensors)
    outs = [t for _, t in tensors]
    if all(isinstance(t, Tensor) for t in outs):
        with record_steps() as steps:
            backward(outs, gradients, retain_graph=retain_graph)
        return list(steps)

    def run() -> None:
        for t, g in zip(outs, gradients):
            t.backward(g, retain_graph=retain_graph)

    return record_with_hooks([t.grad_fn for t in outs], run)
