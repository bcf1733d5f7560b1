"""HTML panels: the details of one graph box, and what one backward step received and sent.

Both read the node protocol (``name()``, ``next_functions``, ``variable``, saved values) and the
engine's ``BackwardStep`` records; output is deterministic text (no addresses).
"""

from __future__ import annotations

import warnings
from typing import Any

from ._base import (
    esc,
    is_accumulate,
    is_tensor,
    node_name,
    shape_text,
    short_name,
    summary,
    to_array,
    values_text,
)
from .formulas import formula_for
from .graph_model import GNode, GraphModel
from .saved import saved_entries

__all__ = ["node_details_html", "step_html", "target_text"]

_TABLE = '<table style="border-collapse:collapse;font-family:monospace;font-size:12px">'
_TD = '<td style="padding:1px 8px;border-bottom:1px solid #ddd;vertical-align:top">'


def _rows(rows: list[list[str]]) -> str:
    body = "".join("<tr>" + "".join(f"{_TD}{c}</td>" for c in r) + "</tr>" for r in rows)
    return _TABLE + body + "</table>"


def _plain(value: Any) -> str:
    if value is None or isinstance(value, (bool, int, float, str, tuple, list)):
        return esc(repr(value))
    return esc(type(value).__name__)


def _tensor_rows(t: Any, with_grad: bool) -> list[list[str]]:
    rows = [
        ["shape", shape_text(t.shape)],
        ["dtype", esc(getattr(t, "dtype", "?"))],
        ["requires_grad", esc(getattr(t, "requires_grad", "?"))],
        ["version", esc(getattr(t, "_version", "?"))],
        ["values", esc(values_text(to_array(t)))],
    ]
    if with_grad:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            g = getattr(t, "grad", None)
        rows.append([".grad", esc("None" if g is None else values_text(to_array(g)))])
    return rows


def target_text(model: GraphModel | None, nxt: Any, slot: int) -> str:
    """How a next_functions entry reads: ``next_functions[0] → SinBackward0 (n3)``."""
    if nxt is None:
        return f"next_functions[{slot}] → None (constant: nothing flows back)"
    text = f"next_functions[{slot}] → {short_name(nxt)}"
    gid = model.index.get(id(nxt)) if model is not None else None
    return text + (f" ({gid})" if gid else "")


def _step_sections(step: Any, model: GraphModel | None) -> list[str]:
    node = step.node
    arrived = [[f"grad_outputs[{i}]", esc(values_text(to_array(g)))] for i, g in enumerate(step.grad_outputs)]
    parts = ["<b>gradient arriving</b>", _rows(arrived or [["(none)", ""]])]
    edges = tuple(getattr(node, "next_functions", ()) or ())
    if is_accumulate(node):
        parts += [
            "<b>leaf .grad</b>",
            _rows(
                [
                    ["before", esc(values_text(step.grad_before))],
                    ["after", esc(values_text(step.grad_after))],
                ]
            ),
        ]
    else:
        sent = []
        for i, g in enumerate(step.grad_inputs):
            nxt = edges[i][0] if i < len(edges) else None
            value = values_text(to_array(g)) if nxt is not None else "dropped (no gradient needed)"
            sent.append([esc(target_text(model, nxt, i)), esc(value)])
        parts += ["<b>gradients sent</b>", _rows(sent or [["(none)", ""]])]
    return parts


def node_details_html(box: GNode, model: GraphModel, step: Any = None) -> str:
    """The details of one box: op, formula, saved values, next_functions, last gradients."""
    obj, kind = box.obj, box.kind
    head = f"<div style='font-family:monospace;font-size:12px'><b>{esc(box.lines[0])}</b> <i>({kind}, {box.id})</i>"
    parts = [head]
    if kind in ("backward", "accumulate"):
        parts.append(f"<div>node: {esc(node_name(obj))}</div>")
        parts.append(f"<div>formula: <code>{esc(formula_for(obj))}</code></div>")
        if kind == "accumulate":
            parts += ["<b>variable (the leaf)</b>", _rows(_tensor_rows(obj.variable, True))]
        else:
            rows = []
            for e in saved_entries(obj):
                if e.freed:
                    rows.append([f"_saved_{esc(e.name)}", "freed (backward ran without retain_graph=True)"])
                elif e.is_tensor:
                    v = e.value
                    version = getattr(v, "_version", "?")
                    note = ""
                    if e.saved_version is not None and version != e.saved_version:
                        note = f" (saved at {e.saved_version}: modified in place)"
                    rows.append(
                        [
                            f"_saved_{esc(e.name)}",
                            f"{shape_text(v.shape)} {esc(getattr(v, 'dtype', ''))} version {esc(version)}{esc(note)}",
                            esc(summary(to_array(v))),
                        ]
                    )
                else:
                    rows.append([f"_saved_{esc(e.name)}", _plain(e.value)])
            parts += ["<b>saved for backward</b>", _rows(rows or [["(nothing saved)"]])]
            nexts = [[esc(target_text(model, n, i))] for i, (n, _) in enumerate(obj.next_functions)]
            parts += ["<b>next_functions</b>", _rows(nexts or [["()"]])]
        if step is not None:
            parts.append(f"<div><b>last backward</b> (step {step.index})</div>")
            parts += _step_sections(step, model)
        else:
            parts.append("<div><i>no backward recorded yet: run backward() to see the gradients</i></div>")
    elif is_tensor(obj):
        parts.append(_rows(_tensor_rows(obj, kind == "leaf")))
    elif kind == "constant":
        parts.append(
            "<div>An input that needs no gradient (a Python number or a tensor with "
            "requires_grad=False): its next_functions entry is <code>(None, 0)</code>.</div>"
        )
    else:
        parts.append(f"<div>{esc(box.tooltip)}</div>")
    parts.append("</div>")
    return "".join(parts)


def step_html(step: Any, total: int, model: GraphModel | None) -> str:
    """The panel of one backward step: the node, its formula, gradients in and out."""
    node = step.node
    gid = model.index.get(id(node)) if model is not None else None
    where = f" ({gid})" if gid else ""
    head = (
        f"<div style='font-family:monospace;font-size:12px'><b>step {step.index + 1} / {total}: "
        f"{esc(short_name(node))}{where}</b><div>formula: <code>{esc(formula_for(node))}</code></div>"
    )
    return head + "".join(_step_sections(step, model)) + "</div>"
