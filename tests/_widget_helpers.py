"""Helpers shared by the widget tests: the tutorial graph and reading boxes/arrows from SVG."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import autograd_kit as torch
from autograd_kit.widgets import GraphView

SVG = "{http://www.w3.org/2000/svg}"


def tutorial() -> tuple:
    """The autograd tutorial's graph: out = (2 * sin(a) + 1).sum()."""
    a = torch.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
    b = torch.sin(a)
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
