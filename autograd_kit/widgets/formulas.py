"""The derivative formula of each backward node, as the widgets show it.

``grad`` is the gradient arriving at the node (w.r.t. its forward output); ``grad_<input>`` is
what the node sends to that input. Names follow PyTorch's ``derivatives.yaml`` operands.
An autograd_kit node's formula is its op class's ``formula`` attribute; a node known only by
name (a real PyTorch graph, a test stand-in) is looked up among the built-in ops' formulas, then
in ``FORMULAS``, which holds only the names no autograd_kit op has.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..graph.function import Function
from ..ops.join import JOINED_FORMULAS
from ._base import short_name

__all__ = ["FORMULAS", "formula_for"]

UNDOCUMENTED = "formula not documented"

# PyTorch-only node names: autograd_kit records none of these, but the widgets draw real torch graphs.
FORMULAS: dict[str, str] = {
    "AccumulateGrad": "variable.grad += grad   (sets .grad when it is None)",
    "AddBackward1": "grad_self = grad   (other is a number)",
    "SubBackward1": "grad_self = grad   (other is a number)",
    "MulBackward1": "grad_self = grad * other   (other is a number)",
    "DivBackward1": "grad_self = grad / other   (other is a number)",
    "LeakyReluBackward0": "grad_self = grad * (self > 0 ? 1 : negative_slope)",
    "GeluBackward0": "grad_self = grad * (Phi(self) + self * phi(self))",
}


def formula_for(node: Any) -> str:
    """The readable derivative formula of a node, or ``'formula not documented'``."""
    op = getattr(type(node), "_forward_cls", None)
    if op is not None:  # an autograd_kit node: its op class states the formula (custom ones may not)
        return op.formula or UNDOCUMENTED
    name = short_name(node)
    return _builtin_formulas().get(name) or FORMULAS.get(name, UNDOCUMENTED)


@cache
def _builtin_formulas() -> dict[str, str]:
    """Node name -> formula of every built-in op class (all exist once the package is imported)."""
    table = {f"{kind}Backward0": text for kind, text in JOINED_FORMULAS.items()}  # made per arity later
    todo = [Function]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.operands is not None and cls.formula:
            table.setdefault(cls._backward_cls.__name__, cls.formula)
    return table
