"""Helpers of the widget tests: the tutorial graph, boxes and arrows read from SVG, lines read from
matplotlib axes."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import autograd_kit as ak
from autograd_kit.widgets import GraphView

SVG = "{http://www.w3.org/2000/svg}"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def tutorial() -> tuple:
    """The autograd tutorial's graph: out = (2 * sin(a) + 1).sum()."""
    a = ak.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
    b = ak.sin(a)
    c = 2 * b
    d = c + 1
    return a, d.sum()


def svg_boxes(svg: str) -> list[tuple[str, str, str]]:
    """(data-node, class, title) of every box in the SVG."""
    root = ET.fromstring(svg)
    return [
        (g.get("data-node"), g.get("class"), g.find(f"{SVG}title").text)
        for g in root.iter(f"{SVG}g")
        if g.get("class", "").startswith("node")
    ]


def svg_edges(svg: str) -> list[tuple[str, str, str]]:
    """(data-src, data-dst, class) of every arrow in the SVG."""
    root = ET.fromstring(svg)
    return [
        (g.get("data-src"), g.get("data-dst"), g.get("class"))
        for g in root.iter(f"{SVG}g")
        if g.get("class", "").startswith("edge")
    ]


def box_id(view: GraphView, title: str) -> str:
    return next(n.id for n in view.model.nodes if n.lines[0] == title)


def line(ax, label: str):
    """The one line of ``ax`` with this legend label."""
    found = [ln for ln in ax.get_lines() if ln.get_label() == label]
    assert len(found) == 1, f"no single line labelled {label!r}: {[ln.get_label() for ln in ax.get_lines()]}"
    return found[0]


def labels(ax) -> list[str]:
    """Legend labels of the lines of ``ax``, in drawing order."""
    return [ln.get_label() for ln in ax.get_lines() if not ln.get_label().startswith("_")]
