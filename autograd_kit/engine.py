"""The backward engine: an iterative, dependency-counted walk of the graph, newest node first.

Every gradient a node sends is reduced to its input's shape and cast to its dtype here, once,
so no op handles broadcasting in its backward. ``record_steps()`` exposes each step the engine
takes, for replaying a backward pass exactly as it ran.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Sequence
from heapq import heappop, heappush
from itertools import count
from sys import getrefcount
from typing import Any, NamedTuple

import numpy as np

from . import _dtype, grad_mode
from ._fpstate import quiet_fp, restore_fp
from .graph import AccumulateGrad, Node
from .tensor import Tensor, _make

__all__ = ["backward", "grad", "record_steps", "BackwardStep", "accumulate_into_grad", "sum_to"]

_grad_state = grad_mode._state
_recorders: list[list] = []
# Set by autograd.profiler while a profile is open: called as node_hook(node, grads) -> outs
# in place of node._run_backward(grads); a None check is all it costs otherwise.
node_hook = None
# Set by autograd.anomaly_mode while anomaly detection is on: runs the node (NaN check, forward trace).
anomaly_hook = None


class BackwardStep(NamedTuple):
    """One node execution: what arrived, what it sent along ``next_functions``."""

    index: int
    node: Node
    grad_outputs: tuple  # gradients w.r.t. the node's forward outputs (what arrived)
    grad_inputs: tuple  # one per next_functions edge (None where nothing flows)
    grad_before: Any = None  # AccumulateGrad only: the leaf's .grad before and after
    grad_after: Any = None


@contextlib.contextmanager
def record_steps() -> Iterator[list[BackwardStep]]:
    """Record every node execution of backward passes run inside the block."""
    steps: list[BackwardStep] = []
    _recorders.append(steps)
    try:
        yield steps
    finally:
        _recorders.remove(steps)


def _snapshot(value: Any) -> Any:
    if value is None:
        return None
    data = value._data if isinstance(value, Tensor) else value
    return np.array(data, copy=True)


def sum_to(g: Any, shape: tuple, node: Node | None = None, index: int = 0) -> Any:
    """Sum a broadcast gradient down to ``shape`` (works on arrays and on Tensors)."""
    gshape = g.shape
    lead = len(gshape) - len(shape)
    if lead < 0 or any(s != 1 and s != gs for s, gs in zip(shape, gshape[lead:])):
        owner = f" {node.name()}" if node is not None else ""
        raise RuntimeError(  # PyTorch's text
            f"Function{owner} returned an invalid gradient at index {index} - got {list(gshape)} but "
            f"expected shape compatible with {list(shape)}"
        )
    axes = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(shape) if s == 1 and gshape[lead + i] != 1
    )
    if axes:
        g = g.sum(axis=axes, keepdims=True)
    return g.reshape(shape) if lead else g


def accumulate_into_grad(variable: Tensor, g: Any) -> None:
    """Add ``g`` to ``variable.grad``, in place when no graph is being built (as PyTorch)."""
    old = variable._grad
    if isinstance(g, Tensor):
        variable._grad = g if old is None else old + g
    elif old is None:
        variable._grad = _make(g if type(g) is np.ndarray else np.asarray(g))
    elif old.grad_fn is None and old._data.flags.writeable:
        old._data += g
    else:
        variable._grad = _make(old._data + g)


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
            g = np.ones(t._data.shape, t._data.dtype)
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
                g = _make(g_data)
        if graph and not isinstance(g, Tensor):
            g = _make(g)
        node, nr = (t.grad_fn, t._output_nr) if t.grad_fn is not None else (t._grad_accumulator(), 0)
        roots.append((node, nr, g))
    return roots


def _dependencies(roots: list) -> dict:
    """How many edges of the graph below ``roots`` point at each node (roots start at 0)."""
    deps: dict = {}
    stack = []
    for node, _, _ in roots:
        if node not in deps:
            deps[node] = 0
            stack.append(node)
    pop, push = stack.pop, stack.append
    while stack:
        for nxt, _ in pop().next_functions:
            if nxt is not None:
                if nxt in deps:
                    deps[nxt] += 1
                else:
                    deps[nxt] = 1
                    push(nxt)
    return deps


def _needed(deps: dict, targets: set) -> set:
    """Nodes from which a target is reachable (only they run when gradients are captured)."""
    remaining = dict(deps)
    order = [n for n, d in remaining.items() if d == 0]
    for node in order:  # Kahn's order: every node after all that point to it
        for nxt, _ in node.next_functions:
            if nxt is not None:
                remaining[nxt] -= 1
                if remaining[nxt] == 0:
                    order.append(nxt)
    needed = set(targets)
    for node in reversed(order):
        if node not in needed and any(n in needed for n, _ in node.next_functions if n is not None):
            needed.add(node)
    return needed


def _run_pre_hooks(
    node: Node, grads: list, graph: bool, tensor_level: bool = True, node_level: bool = True
) -> list:
    grads = list(grads)
    if tensor_level and (node._tensor_pre_hooks or node._retain_grad_hooks):
        for nr in range(len(grads)):
            if grads[nr] is None:
                continue
            for hook in (node._tensor_pre_hooks or {}).get(nr, {}).copy().values():
                out = hook(grads[nr] if graph else _make(grads[nr]))
                if out is not None:
                    grads[nr] = out if graph else out._data
            ref = (node._retain_grad_hooks or {}).get(nr)
            tensor = ref() if ref is not None else None
            if tensor is not None:
                g = grads[nr]
                accumulate_into_grad(tensor, g if graph else np.array(g, copy=True))
    if tensor_level and type(node) is AccumulateGrad and node.variable._hooks:
        for hook in node.variable._hooks.copy().values():
            out = hook(grads[0] if graph else _make(grads[0]))
            if out is not None:
                grads[0] = out if graph else out._data
    if node_level and node._pre_hooks:
        for hook in node._pre_hooks.copy().values():
            out = hook(tuple(grads if graph else (_wrap(g) for g in grads)))
            if out is not None:
                grads = [o if graph else _unwrap(o) for o in out]
    return grads


def _wrap(g: Any) -> Any:
    return None if g is None else _make(g)


def _unwrap(g: Any) -> Any:
    return g._data if isinstance(g, Tensor) else g


def execute(roots: list, retain_graph: bool, create_graph: bool, captures: dict | None = None) -> None:
    """Run the graph from ``roots`` [(node, output_nr, grad)]. With ``captures`` {node: slot
    list}, gradients reaching those nodes are stored there (and the nodes run only when another
    captured node lies below them)."""
    # A backward pass allocates many short-lived containers and creates no reference cycles;
    # Python's cyclic collector would rescan the whole (large, live) graph again and again,
    # making long chains superlinear, so it is paused for the pass.
    # It also runs with grad mode = create_graph and NumPy's FP warnings off (a formula meeting
    # inf * 0 gives nan silently, as in PyTorch); plain switches, as context objects cost ~1 us.
    collecting = gc.isenabled()
    gc.disable()
    previous_mode = _grad_state.enabled
    _grad_state.enabled = create_graph
    token = quiet_fp()
    try:
        _execute(roots, retain_graph, create_graph, captures)
    finally:
        restore_fp(token)
        _grad_state.enabled = previous_mode
        if collecting:
            gc.enable()


def _execute(roots: list, retain_graph: bool, create_graph: bool, captures: dict | None) -> None:
    deps = _dependencies(roots)
    if (
        captures is None
        and not create_graph
        and not _recorders
        and node_hook is None
        and anomaly_hook is None
    ):
        _execute_plain(roots, retain_graph, deps)
        return
    needed = _needed(deps, set(captures)) if captures is not None else None
    buffers: dict = {}
    heap: list = []
    tie = count()
    for node, nr, g in roots:
        buf = buffers.get(node)
        if buf is None:
            buf = buffers[node] = [None] * max(len(node._meta), nr + 1)
        buf[nr] = g if buf[nr] is None else buf[nr] + g
    for node in {node for node, _, _ in roots}:
        if deps[node] == 0:
            heappush(heap, (-node._seq, next(tie), node))
    recorders = _recorders
    graph = create_graph
    # The ready queue is a heap ordered newest-first (PyTorch's order); when exactly one node is
    # ready, as along a chain, it is handed over directly instead of going through the heap.
    pending = None
    while True:
        if pending is not None:
            node, pending = pending, None
        elif heap:
            node = heappop(heap)[2]
        else:
            break
        grads = buffers.pop(node, None)
        run = grads is not None and (needed is None or node in needed)
        tensor_hooks_done = False
        if run and captures is not None and node in captures:
            if node._has_pre_hooks:  # PyTorch applies tensor hooks before capturing a gradient
                grads = _run_pre_hooks(node, grads, graph, node_level=False)
                tensor_hooks_done = True
            captures[node][:] = grads
            run = type(node) is not AccumulateGrad and any(
                n in needed for n, _ in node.next_functions if n is not None and n is not node
            )
        edges = node.next_functions
        if run:
            if node._has_pre_hooks:
                grads = _run_pre_hooks(node, grads, graph, tensor_level=not tensor_hooks_done)
            before = _snapshot(node.variable._grad) if recorders and type(node) is AccumulateGrad else None
            if anomaly_hook is None:
                outs = node._run_backward(grads) if node_hook is None else node_hook(node, grads)
            else:
                outs = anomaly_hook(node, grads)
            if node._hooks:
                outs = _run_post_hooks(node, outs, grads, graph)
            if not retain_graph and node._saved:
                node._saved = None
            if recorders:
                _record(node, grads, outs, before)
            if len(outs) != len(edges):
                raise _count_error(node, edges, outs)
            incoming = grads[0]
        i = -1
        for nxt, nr in edges:
            i += 1
            if nxt is None:
                continue
            if run and (g := outs[i]) is not None:
                meta = nxt._meta
                shape, dtype = meta[nr]
                if g.shape != shape:
                    g = sum_to(g, shape, node, i)
                if graph:
                    if g._data.dtype != dtype:
                        g = g.to(_dtype.from_numpy_dtype(dtype))
                elif g.dtype is not dtype and g.dtype != dtype:
                    g = g.astype(dtype)
                elif type(nxt) is AccumulateGrad and (g is incoming or _repeats(outs, i) or _shared_view(g)):
                    g = g.copy()  # a pass-through gradient must not alias another leaf's .grad
                buf = buffers.get(nxt)
                if buf is None:
                    if nr == 0 and len(meta) == 1:
                        buffers[nxt] = [g]
                    else:
                        buf = buffers[nxt] = [None] * len(meta)
                        buf[nr] = g
                elif buf[nr] is None:
                    buf[nr] = g
                else:
                    buf[nr] = buf[nr] + g
            remaining = deps[nxt] - 1
            deps[nxt] = remaining
            if remaining == 0:
                if pending is None and not heap:
                    pending = nxt
                else:
                    if pending is not None:
                        heappush(heap, (-pending._seq, next(tie), pending))
                        pending = None
                    heappush(heap, (-nxt._seq, next(tie), nxt))


def _execute_plain(roots: list, retain_graph: bool, deps: dict) -> None:
    """The common backward: arrays, no captured inputs, no recording. The same walk as the
    general loop in _execute, with its per-node branches for those features taken out."""
    buffers: dict = {}
    heap: list = []
    tie = count()
    for node, nr, g in roots:
        buf = buffers.get(node)
        if buf is None:
            buf = buffers[node] = [None] * max(len(node._meta), nr + 1)
        buf[nr] = g if buf[nr] is None else buf[nr] + g
    for node in deps:
        if deps[node] == 0:
            heappush(heap, (-node._seq, next(tie), node))
    pending = None
    while True:
        if pending is not None:
            node, pending = pending, None
        elif heap:
            node = heappop(heap)[2]
        else:
            break
        grads = buffers.pop(node, None)
        edges = node.next_functions
        if grads is None:  # nothing flowed here: only release the nodes below
            outs = (None,) * len(edges)
        else:
            if node._has_pre_hooks:
                grads = _run_pre_hooks(node, grads, False)
            single = node._single_backward
            if single is not None:
                outs = single(node, grads[0])
                if type(outs) is not tuple:
                    outs = (outs,)
            else:
                outs = node._run_backward(grads)
            if node._hooks:
                outs = _run_post_hooks(node, outs, grads, False)
            if not retain_graph and node._saved:
                node._saved = None
            if len(outs) != len(edges):
                raise _count_error(node, edges, outs)
            incoming = grads[0]
        for (nxt, nr), g in zip(edges, outs):
            if nxt is None:
                continue
            if g is not None:
                meta = nxt._meta
                shape, dtype = meta[nr]
                if g.shape != shape:
                    g = sum_to(g, shape, node, edges.index((nxt, nr)))
                if g.dtype is not dtype and g.dtype != dtype:
                    g = g.astype(dtype)
                elif type(nxt) is AccumulateGrad and (
                    g is incoming or _shared_view(g) or _count(outs, g) > 1
                ):
                    g = g.copy()  # a pass-through gradient must not alias another leaf's .grad
                buf = buffers.get(nxt)
                if buf is None:
                    if nr == 0 and len(meta) == 1:
                        buffers[nxt] = [g]
                    else:
                        buf = buffers[nxt] = [None] * len(meta)
                        buf[nr] = g
                elif buf[nr] is None:
                    buf[nr] = g
                else:
                    buf[nr] = buf[nr] + g
            remaining = deps[nxt] - 1
            deps[nxt] = remaining
            if remaining == 0:
                if pending is None and not heap:
                    pending = nxt
                else:
                    if pending is not None:
                        heappush(heap, (-pending._seq, next(tie), pending))
                        pending = None
                    heappush(heap, (-nxt._seq, next(tie), nxt))


def _count(outs: tuple, g: Any) -> int:
    return sum(1 for o in outs if o is g)


def _count_error(node: Node, edges: tuple, outs: tuple) -> RuntimeError:
    return RuntimeError(
        f"function {node.name()} returned an incorrect number of gradients "
        f"(expected {len(edges)}, got {len(outs)})"
    )


def _run_post_hooks(node: Node, outs: tuple, grads: list, graph: bool) -> tuple:
    for hook in node._hooks.copy().values():
        # Hooks see Tensors, as in PyTorch, also in a plain (array) backward.
        if graph:
            replaced = hook(tuple(outs), tuple(grads))
        else:
            replaced = hook(tuple(_wrap(g) for g in outs), tuple(_wrap(g) for g in grads))
        if replaced is not None:
            outs = tuple(replaced) if graph else tuple(_unwrap(g) for g in replaced)
    return outs


def _shared_view(g: np.ndarray) -> bool:
    """A view that cannot become a leaf's .grad as it is: read-only, or its base is referenced
    elsewhere (2 = the view's own reference plus getrefcount's argument), as PyTorch steals a
    gradient buffer only when nothing else holds it."""
    base = g.base
    return base is not None and (not g.flags.writeable or getrefcount(base) > 2)


def _repeats(outs: tuple, i: int) -> bool:
    g = outs[i]
    return any(o is g for o in outs[:i])


def _record(node: Node, grads: list, outs: tuple, before: Any) -> None:
    after = _snapshot(node.variable._grad) if type(node) is AccumulateGrad else None
    for steps in _recorders:
        steps.append(
            BackwardStep(
                len(steps),
                node,
                tuple(_snapshot(g) for g in grads),
                tuple(_snapshot(g) for g in outs),
                before,
                after,
            )
        )


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
        result.append(None if g is None else (g if isinstance(g, Tensor) else _make(np.array(g, copy=True))))
    return tuple(result)
