"""Every late binding of the package, in one place: what a lower layer calls but cannot import,
because the code it needs lives in a layer above it (importing it would be a cycle). ``install``
runs once, from ``autograd_kit/__init__.py``, before anything can call them.

- ``Tensor.<name>`` for every op family's ``TENSOR_METHODS`` (``x.sin()`` is
  ``ops.pointwise.sin``): Tensor is below the ops. ``_tensor/tensor.pyi`` lists them for IDEs and
  readers; tests/core/test_tensor_stub.py keeps it in sync.
- ``Tensor._autograd_backward`` is ``autograd.backprop.backward``: ``x.backward()`` runs the
  engine, which imports Tensor.
- ``AccumulateGrad._accumulate`` is ``graph.hooks.accumulate_into_grad``: the hooks module
  imports Tensor, which imports the node module.
"""

from __future__ import annotations

from ._tensor.tensor import Tensor
from .autograd.backprop import backward
from .graph.hooks import accumulate_into_grad
from .graph.node import AccumulateGrad
from .ops import FAMILIES

__all__ = ["install", "tensor_methods"]


def tensor_methods() -> dict:
    """Every Tensor method the op families provide, by name (a specialised op where one exists)."""
    methods = {}
    for family in FAMILIES:
        for name, fn in family.TENSOR_METHODS.items():
            methods[name] = getattr(fn, "tensor_method", fn)
    return methods


def install() -> None:
    """Attach the Tensor methods, ``Tensor.backward``'s engine and ``.grad`` accumulation."""
    for name, method in tensor_methods().items():
        setattr(Tensor, name, method)
    Tensor._autograd_backward = staticmethod(backward)
    AccumulateGrad._accumulate = staticmethod(accumulate_into_grad)
