"""The floor of a Python engine: bench_core's 1000-op chain on the leanest reverse mode we can write.

A parent pointer per node, the formula as a function, no version counters, dependency counts,
shape/dtype checks, hooks or ``next_functions`` tuples. What autograd_kit costs above this is
the price of PyTorch's semantics; what this costs above hand-written NumPy is Python's.

Run: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_floor.py
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
# _harness first: it pins BLAS to one thread, which NumPy reads once, when it is imported.
from _harness import warn_if_coretype  # noqa: E402

# isort: split
import numpy as np  # noqa: E402
from bench_core import CHAIN, chain_lib, chain_numpy  # noqa: E402

import autograd_kit as ak  # noqa: E402

__all__ = ["main"]

_new = object.__new__


class Value:
    """A bare tensor: data and the node that made it."""

    __slots__ = ("data", "node")


class Node:
    """A bare node: its one parent, what backward needs, and the formula."""

    __slots__ = ("parent", "saved", "formula")


def _record(x: Value, data: np.ndarray, saved: Any, formula: Callable) -> Value:
    out = _new(Value)
    out.data = data
    node = _new(Node)
    node.parent, node.saved, node.formula = x.node, saved, formula
    out.node = node
    return out


def _mul_grad(node: Node, g: np.ndarray) -> np.ndarray:
    return g * node.saved


def _add_grad(node: Node, g: np.ndarray) -> np.ndarray:
    return g


def _sin_grad(node: Node, g: np.ndarray) -> np.ndarray:
    return g * np.cos(node.saved)


def _tanh_grad(node: Node, g: np.ndarray) -> np.ndarray:
    return g * (1 - node.saved * node.saved)


def forward(n: int = CHAIN) -> Value:
    """The chain's forward: cycles of (* c, + c, sin, tanh) on a 1-element array."""
    y = _new(Value)
    y.data, y.node = np.array([0.5], dtype=np.float32), None
    for _ in range(n // 4):
        y = _record(y, y.data * 1.0001, 1.0001, _mul_grad)
        y = _record(y, y.data + 0.001, None, _add_grad)
        y = _record(y, np.sin(y.data), y.data, _sin_grad)
        t = np.tanh(y.data)
        y = _record(y, t, t, _tanh_grad)
    return y


def backward(y: Value) -> np.ndarray:
    """Walk the parent pointers from ``y``, applying each formula."""
    g, node = np.ones(1, dtype=np.float32), y.node
    while node is not None:
        g = node.formula(node, g)
        node = node.parent
    return g


def _median(fn: Callable[[], Any], repeats: int = 41) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print the floor, autograd_kit and hand-written NumPy on the same chain."""
    warn_if_coretype()
    expected = chain_numpy()
    if not np.allclose(backward(forward()), expected, rtol=1e-5):
        raise RuntimeError("the floor engine's gradient differs from the hand-written one")
    numpy_time = _median(chain_numpy)
    floor_time = _median(lambda: backward(forward()))
    ours_time = _median(lambda: chain_lib(ak))
    gc.disable()  # per-op split, without the collector's share
    try:
        fwd = _median(forward)
        graph = forward()
        bwd = _median(lambda: backward(graph))
    finally:
        gc.enable()
    print(f"{CHAIN}-op chain, fwd+bwd (medians):")
    print(f"  hand-written NumPy   {numpy_time * 1e3:7.3f} ms")
    print(f"  floor engine         {floor_time * 1e3:7.3f} ms  {floor_time / numpy_time:5.2f}x NumPy")
    print(f"  autograd_kit         {ours_time * 1e3:7.3f} ms  {ours_time / numpy_time:5.2f}x NumPy")
    print(f"  floor, GC off: {fwd / CHAIN * 1e6:.2f} us/op forward, {bwd / CHAIN * 1e6:.2f} us/node backward")


if __name__ == "__main__":
    main()
