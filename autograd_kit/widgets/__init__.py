"""Jupyter widgets that make autograd visible (needs the ``widgets`` extra: ipywidgets & co).

One line each in a notebook: ``GraphView(out)`` draws the backward graph,
``BackwardStepper(loss)`` replays ``loss.backward()`` node by node. The core package never
imports this subpackage.
"""

from __future__ import annotations

from .graph_view import GraphView
from .stepper import BackwardStepper

__all__ = ["GraphView", "BackwardStepper"]
