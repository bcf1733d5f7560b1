"""``backward()`` and ``grad()``: the public entry points to the engine (PyTorch's
``torch.autograd.backward`` / ``torch.autograd.grad``), with their argument checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import grad_mode
from .._tensor.tensor import Tensor, wrap_array
from ..graph.engine import accumulate_into_grad, execute
from ..graph.node import Node

__all__ = ["backward", "grad"]


_ONE: dict = {}


def _implicit_grad(data: np.ndarray) -> np.ndarray:
    """A fresh 1 shaped like the scalar output ``data``: a copy of a cached 0-d one for the usual
    0-d loss (np.ones is several times slower, a visible part of a small graph's backward:
    bench_core's tutorial row)."""
    if data.shape:
        return np.ones(data.shape, data.dtype)
    one = _ONE.get(data.dtype)
    if one is None:
        one = _ONE[data.dtype] = np.ones((), data.dtype)
    return one.copy()


def _root_edges(tensors: Sequence[Tensor], grads: Sequence[Any], graph: bool) -> list:
    roots = []
    for i, (t, g) in enumerate(zip(tensors, grads)):
        if not isinstance(t, Tensor):
            raise TypeError(f"backward expects Tensors, got {type(t).__name__} at position {i}")
        if t.grad_fn is None and not t._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        if g is None:
            if t._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            g = _implicit_grad(t._data)
        else:
            g_data = g._data if isinstance(g, Tensor) else np.asarray(g, dtype=t._data.dtype)
            if g_data.shape != t._data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of torch.Size({list(g_data.shape)}) "
                    f"and output[{i}] has a shape of torch.Size({list(t._data.shape)})."
                )
            if not graph:
                g = g_data.copy()  # the engine may pass it through to a leaf's .grad
            elif not isinstance(g, Tensor):
                g = wrap_array(g_data)
        if graph and not isinstance(g, Tensor):
            g = wrap_array(g)
        node, nr = (t.grad_fn, t._output_nr) if t.grad_fn is not None else (t._grad_accumulator(), 0)
        roots.append((node, nr, g))
    return roots


def _as_tuple(x: Any) -> tuple:
    if x is None:
        return ()
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def backward(
    tensors: Any,
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Any = None,
) -> None:
    """Accumulate gradients of ``tensors`` into the ``.grad`` of graph leaves (or ``inputs``)."""
    tensors = _as_tuple(tensors)
    grads = _as_tuple(grad_tensors) or (None,) * len(tensors)
    if len(grads) != len(tensors):
        raise RuntimeError(f"got {len(grads)} gradients for {len(tensors)} tensors")
    retain = create_graph if retain_graph is None else retain_graph
    if inputs is not None and not _as_tuple(inputs):
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    inputs = _as_tuple(inputs)
    roots = _root_edges(tensors, grads, create_graph)
    if not inputs:
        execute(roots, retain, create_graph)
        return
    captures = {}
    for i, t in enumerate(inputs):  # one slot per output, like grad(): a node may go unreached
        node = _capture_node(t, i, "inputs")
        captures[node] = [None] * max(len(node._meta), 1)
        if t.grad_fn is not None:
            t.retain_grad()  # as PyTorch: a non-leaf input's .grad is filled by its retain hook
    execute(roots, retain, create_graph, captures)
    with grad_mode.set_grad_enabled(create_graph):  # as inside the engine, like PyTorch
        for t in inputs:
            if t.grad_fn is None:
                slot = captures[t._grad_accumulator()][0]
                if slot is not None:
                    accumulate_into_grad(t, slot)


def _capture_node(t: Any, i: int, what: str) -> Node:
    if not isinstance(t, Tensor):
        raise RuntimeError(f"all inputs have to be Tensors or GradientEdges, but got {type(t).__name__}")
    if not t.requires_grad:
        raise RuntimeError("One of the differentiated Tensors does not require grad")
    return t.grad_fn if t.grad_fn is not None else t._grad_accumulator()


def grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    materialize_grads: bool = False,
) -> tuple:
    """Return d(outputs)/d(inputs) as a tuple, leaving every ``.grad`` untouched."""
    outputs, inputs = _as_tuple(outputs), _as_tuple(inputs)
    grads = _as_tuple(grad_outputs) or (None,) * len(outputs)
    if len(grads) != len(outputs):
        raise RuntimeError(f"grad requires one grad_output per output: got {len(grads)} for {len(outputs)}")
    retain = create_graph if retain_graph is None else retain_graph
    roots = _root_edges(outputs, grads, create_graph)
    captures: dict = {}
    for i, t in enumerate(inputs):
        node = _capture_node(t, i, "inputs")
        captures.setdefault(node, [None] * max(len(node._meta), 1))
    execute(roots, retain, create_graph, captures)
    result = []
    for i, t in enumerate(inputs):
        node = t.grad_fn if t.grad_fn is not None else t._grad_accumulator()
        g = captures[node][t._output_nr if t.grad_fn is not None else 0]
        if g is None:
            if materialize_grads:
                g = np.zeros_like(t._data)
            elif not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in the graph. "
                    "Set allow_unused=True if this is the desired behavior."
                )
        result.append(
            None if g is None else (g if isinstance(g, Tensor) else wrap_array(np.array(g, copy=True)))
        )
    return tuple(result)
