"""Every built-in op states its derivative (``formula``), and the widgets show that text."""

from __future__ import annotations

import autograd_kit as ak
from autograd_kit.graph.function import Function
from autograd_kit.nn import functional as F
from autograd_kit.widgets.formulas import FORMULAS, formula_for
from tests.helpers.profiler import Twice


def builtin_op_classes() -> list[type]:
    """Every op class with ``operands`` (not the abstract bases), including cat/stack's per-arity classes."""
    x = ak.ones(2)
    ak.cat([x, x]), ak.stack([x, x])  # those classes are made on first use
    found, todo = [], [Function]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.operands:
            found.append(cls)
    return found


def test_every_builtin_op_states_its_formula():
    classes = builtin_op_classes()
    assert len(classes) > 100
    missing = [c.__qualname__ for c in classes if not (isinstance(c.formula, str) and c.formula.strip())]
    assert missing == []


def test_widgets_show_the_op_class_formula():
    x = ak.randn(3, 4, requires_grad=True)
    y = ak.randn(3, 4, requires_grad=True)
    w = ak.randn(4, 2, requires_grad=True)
    target = ak.tensor([0, 1, 0])
    for out in (x.sin(), x * y, x @ w, F.cross_entropy(x, target), ak.cat([x, y])):
        node = out.grad_fn
        assert formula_for(node) == type(node)._forward_cls.formula
    assert formula_for(x.sin().grad_fn) == "grad_self = grad * cos(self)"
    assert formula_for(F.cross_entropy(x, target).grad_fn).startswith("grad_self[i, target[i]]")


def test_the_widget_table_holds_only_pytorch_only_names():
    names = {c._backward_cls.__name__ for c in builtin_op_classes()}
    assert "AccumulateGrad" in FORMULAS
    assert names.isdisjoint(FORMULAS)


class DocumentedTwice(Twice):
    formula = "grad_x = 2 * grad"


def test_custom_functions_show_their_formula_if_they_set_one():
    x = ak.ones(2, requires_grad=True)
    assert formula_for(Twice.apply(x).grad_fn) == "formula not documented"
    assert formula_for(DocumentedTwice.apply(x).grad_fn) == "grad_x = 2 * grad"
