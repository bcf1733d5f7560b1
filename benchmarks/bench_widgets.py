"""Benchmark: how long GraphView and BackwardStepper take on graphs of a few hundred nodes.

Run: ``python benchmarks/bench_widgets.py [nodes ...]``. Prints wall-clock milliseconds (best of
three) for building the graph model, laying it out and rendering SVG, for the whole GraphView,
and for one BackwardStepper step. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd_kit._tensor.tensor import wrap_array
from autograd_kit.widgets import BackwardStepper, GraphView
from autograd_kit.widgets.graph_model import GraphOptions, build_graph
from autograd_kit.widgets.svg import Drawing

__all__ = ["make_graph", "best_ms", "time_size", "main"]


def make_graph(nodes: int) -> tuple[Any, list]:
    """A loss whose backward graph has about ``nodes`` nodes: a residual chain with fan-in."""
    rng = np.random.default_rng(0)
    x = wrap_array(rng.standard_normal(8).astype(np.float32)).requires_grad_()
    leaves, h, skip = [x], x, x
    # Each block adds 2 op nodes + 2 AccumulateGrad nodes (+1 for the residual add every 3rd).
    for i in range(max(1, nodes // 4)):
        w = wrap_array(rng.standard_normal(8).astype(np.float32)).requires_grad_()
        b = wrap_array(rng.standard_normal(8).astype(np.float32)).requires_grad_()
        leaves += [w, b]
        h = h * w + b
        if i % 3 == 2:
            h, skip = h + skip, h
    return (h * h * 0.5), leaves


def best_ms(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Best wall time of ``fn()`` over ``repeat`` runs, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1000


def time_size(size: int) -> str:
    """One table row: the timings for a graph of about ``size`` nodes."""
    out, _ = make_graph(size)
    opts = GraphOptions(max_nodes=10**6)
    model = build_graph([("out", out)], opts)
    drawing = Drawing(model)
    t_model = best_ms(lambda: build_graph([("out", out)], opts))
    t_layout = best_ms(lambda: Drawing(model))
    t_svg = best_ms(drawing.svg)
    t_view = best_ms(lambda: GraphView(out, max_nodes=10**6))
    stepper = BackwardStepper(out, wrap_array(np.ones(8, dtype=np.float32)))
    t_step = best_ms(lambda: (stepper.step(), stepper.back()), repeat=5) / 2
    return (
        f"{model.total_nodes:>6} {len(model.nodes):>6} {t_model:>9.1f} {t_layout:>10.1f} {t_svg:>7.1f} "
        f"{t_view:>13.1f} {t_step:>8.1f}"
    )


def main(sizes: list[int]) -> None:
    """Print the timings for each graph size."""
    print(
        f"{'nodes':>6} {'boxes':>6} {'model ms':>9} {'layout ms':>10} {'svg ms':>7} {'GraphView ms':>13} {'step ms':>8}"
    )
    for size in sizes:
        print(time_size(size))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 300, 1000])
