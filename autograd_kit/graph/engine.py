"""The backward engine: an iterative, dependency-counted walk of the graph, newest node first.

Every gradient a node sends is reduced to its input's shape and cast to its dtype here, once,
so no op handles broadcasting in its backward. ``record_steps()`` exposes each step the engine
takes, for replaying a backward pass exactly as it ran.
"""

from __future__ import annotations

from heapq import heappop, heappush
from itertools import count, repeat

from .. import dtypes, grad_mode
from .fpstate import quiet_fp, restore_fp
from .gc_pause import GC_PAUSE
from .gradients import must_copy, sum_to
from .hooks import (
    BackwardStep,
    accumulate_into_grad,
    record,
    record_steps,
    recorders,
    run_post_hooks,
    run_pre_hooks,
    snapshot,
)
from .node import AccumulateGrad, Node
from .switches import SWITCHES

__all__ = ["execute", "run_backward", "record_steps", "BackwardStep", "accumulate_into_grad", "sum_to"]

_grad_state = grad_mode._state


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


def execute(roots: list, retain_graph: bool, create_graph: bool, captures: dict | None = None) -> None:
    """Run the graph from ``roots`` [(node, output_nr, grad)]. With ``captures`` {node: slot
    list}, gradients reaching those nodes are stored there (and the nodes run only when another
    captured node lies below them)."""
    # It runs with grad mode = create_graph and NumPy's FP warnings off (a formula meeting
    # inf * 0 gives nan silently, as in PyTorch), and the cyclic GC paused (see gc_pause.py).
    GC_PAUSE.enter()
    previous_mode = _grad_state.enabled
    _grad_state.enabled = create_graph
    token = quiet_fp()
    try:
        _execute(roots, retain_graph, create_graph, captures)
    finally:
        restore_fp(token)
        _grad_state.enabled = previous_mode
        GC_PAUSE.leave()


def _execute(roots: list, retain_graph: bool, create_graph: bool, captures: dict | None) -> None:
    deps = _dependencies(roots)
    # The common backward (arrays, nothing captured, recorded or hooked in) runs each node's
    # formula directly; everything else goes through _run_node.
    plain = (
        captures is None
        and not create_graph
        and not recorders
        and SWITCHES.node_hook is None
        and SWITCHES.anomaly_runner is None
    )
    needed = _needed(deps, set(captures)) if captures is not None else None
    graph = create_graph
    buffers: dict = {}
    heap: list = []
    tie = count()
    for node, nr, g in roots:
        buf = buffers.get(node)
        if buf is None:
            buf = buffers[node] = [None] * max(node._n_outputs, nr + 1)
        buf[nr] = g if buf[nr] is None else buf[nr] + g
    # Only roots can start ready (every other node has a consumer); scanning all of deps would
    # cost a dict walk over the whole graph.
    for node in buffers:
        if deps[node] == 0:
            heappush(heap, (-node._seq, next(tie), node))
    # The ready queue is a heap ordered newest-first (PyTorch's order); when exactly one node is
    # ready, as along a chain, it is handed over directly instead of going through the heap.
    # A node made ready by its last consumer while nothing else is queued also gets its
    # gradients handed over directly, without the buffer dict. (This chain lane pays on
    # benchmarks/bench_core.py's chain row; without it the chain runs measurably more code.)
    pending = pending_grads = None
    while True:
        if pending is not None:
            node, grads = pending, pending_grads
            pending = pending_grads = None
        elif heap:
            node = heappop(heap)[2]
            grads = buffers.pop(node, None)
        else:
            break
        edges = node.next_functions
        outs = None
        if grads is None:  # nothing flowed here: only release the nodes below
            pass
        elif plain:
            single = node._single_backward
            if single is not None:
                outs = single(node, grads[0])
                if type(outs) is not tuple:
                    outs = (outs,)
            else:  # a node with hooks (see Node._mark_hooked), or without a one-gradient formula
                if node._has_pre_hooks:
                    grads = run_pre_hooks(node, grads, False)
                if not _all_none(grads):  # a pre-hook may have dropped every gradient
                    outs = node._run_backward(grads)
                    if node._hooks:
                        outs = run_post_hooks(node, _validated(node, outs, False), grads, False)
            if not retain_graph and node._saved:
                node._saved = None
        else:
            outs = _run_node(node, grads, retain_graph, graph, captures, needed)
        if outs is not None:
            if len(outs) != len(edges):
                raise _count_error(node, edges, outs)
            # Only the identity of the incoming gradient is kept: holding the array itself would
            # make every view of it look shared to must_copy and be copied at a leaf.
            incoming = id(grads[0])
        grads = None
        for (nxt, nr), g in zip(edges, _NO_OUTPUTS if outs is None else outs):
            if nxt is None:
                continue
            remaining = deps[nxt] - 1
            deps[nxt] = remaining
            if g is not None:
                if nr == 0:
                    shape, dtype = nxt._shape, nxt._dtype
                else:
                    shape, dtype = nxt._meta[nr]
                if g.shape != shape:
                    g = sum_to(g, shape, node, edges.index((nxt, nr)))
                if graph:
                    if g._data.dtype != dtype:
                        g = g.to(dtypes.from_numpy_dtype(dtype))
                elif g.dtype is not dtype and g.dtype != dtype:
                    g = g.astype(dtype)
                elif type(nxt) is AccumulateGrad and must_copy(g, incoming, outs):
                    g = g.copy()  # a pass-through gradient must not alias another leaf's .grad
                buf = buffers.get(nxt)
                if buf is None:
                    if nr == 0 and nxt._n_outputs == 1:
                        if remaining == 0 and pending is None and not heap:
                            pending, pending_grads = nxt, [g]
                            continue
                        buffers[nxt] = [g]
                    else:
                        buf = buffers[nxt] = [None] * nxt._n_outputs
                        buf[nr] = g
                elif buf[nr] is None:
                    buf[nr] = g
                else:
                    buf[nr] = buf[nr] + g
            if remaining == 0:
                if pending is None and not heap:
                    pending, pending_grads = nxt, buffers.pop(nxt, None)
                else:
                    if pending is not None:
                        if pending_grads is not None:
                            buffers[pending] = pending_grads
                        heappush(heap, (-pending._seq, next(tie), pending))
                        pending = pending_grads = None
                    heappush(heap, (-nxt._seq, next(tie), nxt))
        # Drop this node's gradients from the frame too (see the note on `incoming`).
        g = buf = outs = None


_NO_OUTPUTS = repeat(None)


def _run_node(
    node: Node, grads: list, retain_graph: bool, graph: bool, captures: dict | None, needed: set | None
) -> tuple | None:
    """Run one node with every feature: captured inputs, hooks, the profiler's and anomaly mode's
    hooks and step recording. None when the node does not run (captured, or not needed)."""
    if needed is not None and node not in needed:
        return None
    tensor_hooks_done = False
    if captures is not None and node in captures:
        if node._has_pre_hooks:  # PyTorch applies tensor hooks before capturing a gradient
            grads = run_pre_hooks(node, grads, graph, node_level=False)
            tensor_hooks_done = True
        captures[node][:] = grads
        # Go on below a captured node only where another captured node lies further down.
        if type(node) is AccumulateGrad or not any(
            n in needed for n, _ in node.next_functions if n is not None and n is not node
        ):
            return None
    if node._has_pre_hooks:
        grads = run_pre_hooks(node, grads, graph, tensor_level=not tensor_hooks_done)
        if _all_none(grads):  # a pre-hook dropped every gradient: nothing flows on
            return None
    before = snapshot(node.variable._grad) if recorders and type(node) is AccumulateGrad else None
    if SWITCHES.anomaly_runner is not None:
        outs = SWITCHES.anomaly_runner(node, grads)
    else:
        outs = run_backward(node, grads)
    if node._hooks:
        outs = run_post_hooks(node, _validated(node, outs, graph), grads, graph)
    if not retain_graph and node._saved:
        node._saved = None
    if recorders:
        record(node, grads, outs, before)
    return outs


def run_backward(node: Node, grads: list) -> tuple:
    """Run one node's backward, through the profiler's hook while a profile is open."""
    if SWITCHES.node_hook is not None:
        return SWITCHES.node_hook(node, grads)
    return node._run_backward(grads)


def _validated(node: Node, outs: tuple, graph: bool) -> tuple:
    """The gradients a node sends, each reduced to its input's shape and cast to its dtype, as
    PyTorch's validate_outputs makes them before a node's post-hooks see them. (The main loop
    does the same for every node; for a hooked node this runs first, and the loop's is a no-op.)"""
    edges = node.next_functions
    if len(outs) != len(edges):
        raise _count_error(node, edges, outs)
    fixed = []
    for index, ((nxt, nr), g) in enumerate(zip(edges, outs)):
        if g is not None and nxt is not None:
            shape, dtype = (nxt._shape, nxt._dtype) if nr == 0 else nxt._meta[nr]
            if g.shape != shape:
                g = sum_to(g, shape, node, index)
            if graph and g._data.dtype != dtype:
                g = g.to(dtypes.from_numpy_dtype(dtype))
            elif not graph and g.dtype != dtype:
                g = g.astype(dtype)
        fixed.append(g)
    return tuple(fixed)


def _all_none(grads: list) -> bool:
    return all(g is None for g in grads)


def _count_error(node: Node, edges: tuple, outs: tuple) -> RuntimeError:
    return RuntimeError(
        f"function {node.name()} returned an incorrect number of gradients "
        f"(expected {len(edges)}, got {len(outs)})"
    )
