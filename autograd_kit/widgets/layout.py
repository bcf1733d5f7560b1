"""Layered (Sugiyama-style) layout of a directed acyclic graph, in pure Python.

Layers by longest path from the sources, dummy nodes on edges that span several layers,
barycenter sweeps to reduce crossings (keeping the best order seen), then x positions that are
as close as possible to the neighbours' mean without overlap (an isotonic regression per layer).
Everything is ordered by input index, so the same graph always gets the same coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Layout", "layered_layout"]


@dataclass
class Layout:
    """Node centres, one polyline per edge (through its dummy nodes), and the canvas size."""

    x: list[float]
    y: list[float]
    routes: list[list[tuple[float, float]]]
    width: float
    height: float


def _layers(n: int, succ: list[list[int]], pred: list[list[int]]) -> list[int]:
    indeg = [len(p) for p in pred]
    layer = [0] * n
    ready = [v for v in range(n) if indeg[v] == 0]
    done = 0
    while done < n:
        if not ready:  # a cycle (not in a backward graph, but never hang): break it at the lowest index
            ready = [min(v for v in range(n) if indeg[v] > 0)]
            indeg[ready[0]] = 0
        nxt = []
        for v in ready:
            done += 1
            for w in succ[v]:
                if layer[w] < layer[v] + 1:
                    layer[w] = layer[v] + 1
                indeg[w] -= 1
                if indeg[w] == 0:
                    nxt.append(w)
        ready = nxt
    return layer


def _crossings(order: list[list[int]], succ: list[list[int]], pos: list[int]) -> int:
    total = 0
    for upper in order[:-1]:
        seq = [pos[w] for v in upper for w in sorted(succ[v], key=pos.__getitem__)]
        total += _inversions(seq)
    return total


def _inversions(seq: list[int]) -> int:
    if len(seq) < 2:
        return 0
    mid = len(seq) // 2
    left, right = sorted(seq[:mid]), sorted(seq[mid:])
    count = _inversions(seq[:mid]) + _inversions(seq[mid:])
    j = 0
    for a in left:  # pairs (a in left, b in right) with a > b
        while j < len(right) and right[j] < a:
            j += 1
        count += j
    return count


def _sweep(order: list[list[int]], nbrs: list[list[int]], pos: list[int], layers: range) -> None:
    for i in layers:
        row = order[i]
        keys = {}
        for idx, v in enumerate(row):
            ns = nbrs[v]
            keys[v] = sum(pos[u] for u in ns) / len(ns) if ns else float(idx)
        row.sort(key=lambda v: (keys[v], pos[v]))
        for idx, v in enumerate(row):
            pos[v] = idx


def _pava(target: list[float], sep: list[float], prio: list[float]) -> list[float]:
    """Positions closest to ``target`` (least squares weighted by ``prio``) keeping
    x[i+1] - x[i] >= sep[i]: an isotonic regression, solved by pooling adjacent violators."""
    offs = [0.0]
    for s in sep:
        offs.append(offs[-1] + s)
    blocks: list[list[float]] = []  # [weighted mean, total weight, count]
    for t, o, w in zip(target, offs, prio):
        blocks.append([t - o, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks[-1]
            blocks[-1] = [(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2]
    out: list[float] = []
    for mean, _, count in blocks:
        out.extend([mean] * int(count))
    return [y + o for y, o in zip(out, offs)]


def layered_layout(
    sizes: list[tuple[float, float]],
    edges: list[tuple[int, int]],
    node_gap: float = 18.0,
    layer_gap: float = 42.0,
    margin: float = 10.0,
    weights: list[float] | None = None,
) -> Layout:
    """Lay out nodes of given (width, height) so that every edge points down.

    ``weights`` (one per edge, default 1) say how strongly an edge pulls its ends into line:
    heavy edges come out straight, as Graphviz's edge weights do.
    """
    n = len(sizes)
    succ: list[list[int]] = [[] for _ in range(n)]
    pred: list[list[int]] = [[] for _ in range(n)]
    weight: dict[tuple[int, int], float] = {}
    for k, (a, b) in enumerate(edges):
        if a != b and b not in succ[a]:
            succ[a].append(b)
            pred[b].append(a)
        if a != b:
            weight[(a, b)] = max(weight.get((a, b), 0.0), weights[k] if weights else 1.0)
    layer = _layers(n, succ, pred)
    widths = [w for w, _ in sizes]
    # Long edges get one dummy per crossed layer, so sweeps route them between real boxes.
    chains: dict[tuple[int, int], list[int]] = {}
    for a in range(n):
        for b in list(succ[a]):
            if layer[b] - layer[a] <= 1:
                continue
            chain = []
            for lv in range(layer[a] + 1, layer[b]):
                chain.append(len(layer))
                layer.append(lv)
                widths.append(4.0)
                succ.append([])
                pred.append([])
            succ[a][succ[a].index(b)] = chain[0]
            pred[b][pred[b].index(a)] = chain[-1]
            for u, w in zip([a, *chain], [*chain, b]):
                if u != a:
                    succ[u].append(w)
                if w != b:
                    pred[w].append(u)
                weight[(u, w)] = weight[(a, b)]
            chains[(a, b)] = chain
    total = len(layer)
    depth = max(layer) + 1 if layer else 0
    order: list[list[int]] = [[] for _ in range(depth)]
    for v in range(total):
        order[layer[v]].append(v)
    pos = [0] * total
    for row in order:
        for idx, v in enumerate(row):
            pos[v] = idx
    best = [row[:] for row in order]
    best_cross = _crossings(order, succ, pos)
    for _ in range(6):
        _sweep(order, pred, pos, range(1, depth))
        _sweep(order, succ, pos, range(depth - 2, -1, -1))
        cross = _crossings(order, succ, pos)
        if cross < best_cross:
            best, best_cross = [row[:] for row in order], cross
        if best_cross == 0:
            break
    order = best
    x = [0.0] * total
    for row in order:
        acc = 0.0
        for v in row:
            x[v] = acc + widths[v] / 2
            acc += widths[v] + node_gap
    for it in range(8):
        rows = range(1, depth) if it % 2 == 0 else range(depth - 2, -1, -1)
        down = it % 2 == 0
        nbrs = pred if down else succ
        for i in rows:
            row = order[i]
            target, prio = [], []
            for v in row:
                ws = [weight[(u, v) if down else (v, u)] for u in nbrs[v]]
                total_w = sum(ws)
                target.append(sum(w * x[u] for w, u in zip(ws, nbrs[v])) / total_w if total_w else x[v])
                prio.append(max(ws, default=0.0) + 0.05)  # well-anchored boxes keep their place
            sep = [(widths[a] + widths[b]) / 2 + node_gap for a, b in zip(row, row[1:])]
            for v, xv in zip(row, _pava(target, sep, prio)):
                x[v] = xv
    left = min((x[v] - widths[v] / 2 for v in range(total)), default=0.0)
    x = [xv - left + margin for xv in x]
    heights = [0.0] * depth
    for v in range(n):
        heights[layer[v]] = max(heights[layer[v]], sizes[v][1])
    ys, acc = [], margin
    for h in heights:
        ys.append(acc + h / 2)
        acc += h + layer_gap
    y = [ys[layer[v]] for v in range(total)]
    routes = []
    for a, b in edges:
        pts = [(x[d], y[d]) for d in chains.get((a, b), [])]
        routes.append(pts)
    width = max((x[v] + widths[v] / 2 for v in range(total)), default=0.0) + margin
    height = acc - layer_gap + margin if depth else 2 * margin
    return Layout(x[:n], y[:n], routes, width, height)
