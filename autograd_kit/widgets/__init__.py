"""Jupyter widgets that make autograd visible (needs the ``widgets`` extra: ipywidgets & co).

One line each in a notebook: ``GraphView(out)`` draws the backward graph,
``BackwardStepper(loss)`` replays ``loss.backward()`` node by node, ``FunctionGradPlot()`` plots
a function next to its gradient, ``AccumulationLab()`` trains with and without ``zero_grad``,
``ProfilerView(prf)`` sorts and charts a profile, ``JacobianView(J)`` draws a Jacobian or Hessian.
The core package never imports this subpackage.
"""

from __future__ import annotations

from .accumulation_lab import AccumulationLab
from .function_plot import FunctionGradPlot
from .graph_view import GraphView
from .jacobian_view import JacobianView
from .profiler_view import ProfilerView
from .stepper import BackwardStepper

__all__ = [
    "GraphView",
    "BackwardStepper",
    "FunctionGradPlot",
    "AccumulationLab",
    "ProfilerView",
    "JacobianView",
]
