"""Walk the public node protocol from output tensors into drawable boxes and edges.

Only ``name()``, ``next_functions``, ``variable`` and saved values (see ``saved.py``) are read, so autograd_kit graphs, real PyTorch graphs and stand-ins all work.
Edges follow ``next_functions``: from a node to the nodes its gradient flows into, so outputs are
drawn on top and leaves at the bottom, in the order the backward pass visits them.
"""

from __future__ import annotations

import warnings
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from ._base import is_accumulate, no_graph_message, shape_text, short_name, summary, to_array
from .saved import SavedEntry, saved_entries

__all__ = ["GNode", "GEdge", "GraphOptions", "GraphModel", "walk_nodes", "build_graph"]


@dataclass
class GNode:
    """A box: ``kind`` is output, backward, accumulate, leaf, constant, saved, group or more."""

    id: str
    kind: str
    lines: list[str]
    obj: Any = None
    tooltip: str = ""


@dataclass
class GEdge:
    """An arrow from ``src`` to ``dst``; ``slot`` is the index in the source's next_functions."""

    src: str
    dst: str
    kind: str
    slot: int | None = None


@dataclass
class GraphOptions:
    """What to draw; ``collapse=None`` collapses by module only when over ``max_nodes``."""

    show_constants: bool = True
    show_saved: bool = False
    show_values: bool = False
    show_grad: bool = False
    show_versions: bool = False
    max_nodes: int = 400
    module: Any = None
    collapse: bool | None = None


@dataclass
class GraphModel:
    """The drawable graph plus what was left out and why."""

    nodes: list[GNode] = field(default_factory=list)
    edges: list[GEdge] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    index: dict[int, str] = field(default_factory=dict)  # id(node or tensor) -> box id
    total_nodes: int = 0  # backward + AccumulateGrad nodes reachable from the outputs
    omitted: int = 0  # of those, how many were left out (over max_nodes)

    def node(self, gid: str) -> GNode:
        """The box with id ``gid``."""
        return next(n for n in self.nodes if n.id == gid)


def walk_nodes(roots: list) -> list:
    """Every node reachable from ``roots`` through next_functions, breadth-first, each once."""
    order, seen, queue = [], set(), deque()
    for r in roots:
        if id(r) not in seen:
            seen.add(id(r))
            queue.append(r)
    while queue:
        node = queue.popleft()
        order.append(node)
        for nxt, _ in getattr(node, "next_functions", ()) or ():
            if nxt is not None and id(nxt) not in seen:
                seen.add(id(nxt))
                queue.append(nxt)
    return order


def _scopes(order: list, module: Any) -> dict[int, str]:
    """Attribute nodes to ``nn.Module`` scopes: a parameter's AccumulateGrad and its direct users."""
    owner = {id(p): name.rpartition(".")[0] or "(root)" for name, p in module.named_parameters()}
    scope: dict[int, str] = {}
    for node in order:
        tagged = getattr(node, "metadata", None) or {}
        if isinstance(tagged, dict) and "module" in tagged:
            scope[id(node)] = str(tagged["module"])
        elif is_accumulate(node) and id(node.variable) in owner:
            scope[id(node)] = owner[id(node.variable)]
    for node in order:
        if id(node) not in scope and not is_accumulate(node):
            for nxt, _ in node.next_functions:
                if nxt is not None and is_accumulate(nxt) and id(nxt) in scope:
                    scope[id(node)] = scope[id(nxt)]
                    break
    return scope


def _tensor_lines(title: str, t: Any, opts: GraphOptions, grad: bool = False) -> list[str]:
    lines = [title, shape_text(t.shape)]
    if opts.show_values:
        lines.append(summary(to_array(t)))
    if grad and opts.show_grad:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            g = getattr(t, "grad", None)
        lines.append("grad " + ("None" if g is None else summary(to_array(g))))
    return lines


def build_graph(
    outputs: list[tuple[str, Any]], opts: GraphOptions, names: dict | None = None, steps: list | None = None
) -> GraphModel:
    """Build the drawable model of the backward graph of ``outputs`` ([(name, tensor)])."""
    m = GraphModel(outputs=[n for n, _ in outputs])
    tensor_names = {id(t): k for k, t in (names or {}).items()}
    if opts.module is not None:
        tensor_names.update({id(p): k for k, p in opts.module.named_parameters()})
    arrived = {id(s.node): s for s in steps or ()}
    roots = [t.grad_fn for _, t in outputs if t.grad_fn is not None]
    order = walk_nodes(roots)
    m.total_nodes = len(order)
    collapse = opts.collapse if opts.collapse is not None else len(order) > opts.max_nodes
    scope = _scopes(order, opts.module) if collapse and opts.module is not None else {}
    if collapse and opts.module is None and opts.collapse:
        m.messages.append("collapse=True needs module= (the nn.Module whose scopes to group by).")
    modules = dict(opts.module.named_modules()) if scope else {}
    counter = iter(range(10**9))

    def add(kind: str, lines: list[str], obj: Any = None, tooltip: str = "") -> str:
        gid = f"n{next(counter)}"
        m.nodes.append(GNode(gid, kind, lines, obj, tooltip or lines[0]))
        return gid

    for name, t in outputs:
        if t.grad_fn is None:
            m.messages.append(no_graph_message(name, t))
    out_ids = [
        (add("output", _tensor_lines(name, t, opts), t), t) for name, t in outputs if t.grad_fn is not None
    ]
    unit_of: dict[int, str] = {}
    groups: dict[str, list] = {}
    drawn = 0
    more_id = None
    for node in order:
        s = scope.get(id(node))
        if s is not None and s in groups:
            groups[s].append(node)
            unit_of[id(node)] = m.index[id(node)] = unit_of[id(groups[s][0])]
            continue
        if drawn >= opts.max_nodes:
            continue
        drawn += 1
        if s is not None:
            groups[s] = [node]
            kind_name = type(modules.get(s, None)).__name__ if s in modules else "Module"
            gid = add("group", [f"{s} ({kind_name})"], None)
        elif is_accumulate(node):
            gid = add("accumulate", ["AccumulateGrad"], node, short_name(node))
        else:
            lines = [short_name(node)]
            meta = getattr(node, "_meta", None)
            if isinstance(meta, tuple) and meta:
                lines.append(" ".join(shape_text(shape) for shape, _ in meta))
            step = arrived.get(id(node))
            if opts.show_grad and step is not None and step.grad_outputs:
                lines.append("grad " + summary(to_array(step.grad_outputs[0])))
            gid = add("backward", lines, node)
        unit_of[id(node)] = m.index[id(node)] = gid
    for s, members in groups.items():
        g = m.node(unit_of[id(members[0])])
        params = sum(1 for n in members if is_accumulate(n))
        g.lines.append(f"{len(members)} nodes · {params} params")
        g.tooltip = f"module {s}: " + ", ".join(sorted({short_name(n) for n in members}))
    omitted = m.omitted = len(order) - len(unit_of)
    if omitted:
        more_id = add("more", [f"… {omitted} more nodes", f"not drawn (max_nodes={opts.max_nodes})"])
        m.messages.append(
            f"Showing {len(unit_of)} of {len(order)} nodes: {omitted} nodes further from the outputs "
            f"were left out (max_nodes={opts.max_nodes}). Raise max_nodes, or pass module= to "
            "collapse each nn.Module into one box."
        )
    for gid, t in out_ids:
        if id(t.grad_fn) in unit_of:
            m.edges.append(GEdge(gid, unit_of[id(t.grad_fn)], "output"))
    seen_pairs: set = set()
    leaf_ids: dict[int, str] = {}
    for node in order:
        src = unit_of.get(id(node))
        if src is None:
            continue
        grouped = id(node) in scope
        if is_accumulate(node) and not grouped:
            var = node.variable
            title = tensor_names.get(id(var), "leaf")
            leaf = add("leaf", _tensor_lines(title, var, opts, grad=True), var, f"leaf tensor {title}")
            leaf_ids[id(var)] = m.index[id(var)] = leaf
            m.edges.append(GEdge(src, leaf, "variable"))
            continue
        for slot, (nxt, _nr) in enumerate(node.next_functions):
            if nxt is None:
                if opts.show_constants and not grouped:
                    c = add("constant", ["constant", "(None, 0)"], None, "an input that needs no gradient")
                    m.edges.append(GEdge(src, c, "constant", slot))
                continue
            dst = unit_of.get(id(nxt), more_id)
            if dst == src or (dst is None):
                continue
            if grouped or id(nxt) in scope or dst == more_id:
                if (src, dst) in seen_pairs:
                    continue
                seen_pairs.add((src, dst))
            m.edges.append(GEdge(src, dst, "grad", slot))
    if opts.show_saved:
        for node in order:
            src = unit_of.get(id(node))
            if src is None or id(node) in scope or is_accumulate(node):
                continue
            for entry in saved_entries(node):
                if not (entry.freed or entry.is_tensor):
                    continue
                if entry.is_tensor and id(entry.value) in leaf_ids:
                    if (src, leaf_ids[id(entry.value)]) not in seen_pairs:  # x*x saves x twice
                        seen_pairs.add((src, leaf_ids[id(entry.value)]))
                        m.edges.append(GEdge(src, leaf_ids[id(entry.value)], "saved"))
                    continue
                lines = [f"saved {entry.name}"]
                if entry.freed:
                    lines.append("freed")
                else:
                    lines = _tensor_lines(lines[0], entry.value, opts)
                    if opts.show_versions:
                        lines.append(_version_text(entry))
                sid = add("saved", lines, entry.value, f"_saved_{entry.name} of {short_name(node)}")
                m.edges.append(GEdge(src, sid, "saved"))
    return m


def _version_text(entry: SavedEntry) -> str:
    version = getattr(entry.value, "_version", None)
    text = f"version {version}"
    if entry.saved_version is not None and version is not None and version != entry.saved_version:
        text += f" (saved at {entry.saved_version}: modified in place)"
    return text if version is not None else "version ?"
