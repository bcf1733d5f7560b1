"""How a built-in op runs: ``apply_builtin``, the readable reference of the op path.

Built-in ``forward``s receive NumPy arrays; this path unwraps the operands, decides whether a
graph is recorded, creates the node (which doubles as ctx), saves what backward needs and wraps
the result. ``fast_apply.py`` holds the same steps specialised per op class of one or two
operands (the overhead every expression pays); tests/ops/test_specialised_apply.py pins the two
together on every op of the op table.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import grad_mode
from .._tensor.tensor import TENSOR_TYPES as _TENSOR_TYPES
from .._tensor.tensor import Tensor
from .ctx import NO_GRAD_CTX as _NO_GRAD_CTX
from .ctx import BackwardNode
from .ctx import SavedOutput as _SavedOutput
from .diagnostics import broadcast_error, forward_stack
from .node import node_order
from .switches import SWITCHES
from .views import refresh_view, share_view

__all__ = ["apply_builtin", "edge", "NO_EDGE", "PLAN_SELF", "PLAN_BOTH", "PLAN_RESULT"]

_grad_state = grad_mode._state
_new = object.__new__
_ndarray = np.ndarray


def edge(x: Any) -> tuple:
    """The ``next_functions`` entry for operand ``x``: its grad_fn, its AccumulateGrad, or none."""
    if x._base is not None and x._view_version != x._vc[0]:
        refresh_view(x)
    fn = x.grad_fn
    if fn is not None:
        return (fn, x._output_nr)
    if x._requires_grad:
        return (x._grad_accumulator(), 0)
    return NO_EDGE


NO_EDGE = (None, 0)
_NO_VERSION = (None,)
# The save plans most ops have (operand positions; -1 = the result), as canonical objects so the
# apply paths tell them apart by identity.
PLAN_SELF, PLAN_BOTH, PLAN_RESULT = (0,), (0, 1), (-1,)


def apply_builtin(cls: type, args: tuple, check_profiler: bool = True) -> Any:
    """Run built-in op ``cls`` on ``args`` (Tensors and numbers), recording its node when grad
    mode is on and an operand requires grad. An open profile's hook runs the op instead (and
    calls back here with ``check_profiler=False``)."""
    if check_profiler and SWITCHES.op_hook is not None:
        return SWITCHES.op_hook(cls, args)
    n = cls._n_operands
    if n == 1:  # one operand plus arguments (sum(dim), t(), reshape, indexing...): unrolled
        a = args[0]
        arrays = (a._data, *args[1:])
        needs = a.grad_fn is not None or a._requires_grad
    else:
        needs = False
        arrays = list(args)
        for i in range(n):
            a = args[i]
            if type(a) in _TENSOR_TYPES:
                arrays[i] = a._data
                if a.grad_fn is not None or a._requires_grad:
                    needs = True
    if not needs or not _grad_state.enabled:
        try:
            out = cls.forward(_NO_GRAD_CTX, *arrays)
        except ValueError as error:  # zero-cost unless raised: NumPy's broadcast error in torch's words
            raise (broadcast_error(*arrays[:n]) or error) from None
        result = _new(Tensor)
        result._data = out if type(out) is _ndarray else np.asarray(out)
        result.grad_fn = None
        result._vc = [0]
        if cls.is_view:
            share_view(result, args[0], cls, args)
        return result
    node = _new(cls._backward_cls)
    try:
        out = cls.forward(node, *arrays)
    except ValueError as error:
        raise (broadcast_error(*arrays[:n]) or error) from None
    if type(out) is not _ndarray:
        out = np.asarray(out)
    result = _new(Tensor)
    result._data = out
    result.grad_fn = None
    result._vc = vc = [0]
    if cls.is_view:
        share_view(result, args[0], cls, args)
    if out.dtype.kind not in "fc":  # integer/bool outputs carry no gradient
        return result
    if n == 1:
        node.next_functions = (edge(args[0]),)
    else:
        node.next_functions = tuple([edge(a) if type(a) in _TENSOR_TYPES else NO_EDGE for a in args[:n]])
    node._seq = next(node_order)
    node._shape = out.shape
    node._dtype = out.dtype
    plan = cls._save_plan
    if plan is PLAN_RESULT:
        node._saved = (_SavedOutput(out, vc, 0),)
        node._versions_at_save = (0,)
    elif plan is PLAN_SELF and n == 1:
        node._saved = (a,)
        node._versions_at_save = (a._vc[0],)
    elif plan:
        saved = tuple([_SavedOutput(out, vc, 0) if i < 0 else args[i] for i in plan])
        node._saved = saved
        node._versions_at_save = tuple([getattr(e, "_vc", _NO_VERSION)[0] for e in saved])
        if cls._saved_for_other:
            _drop_saves_for_other(cls, node, args)
    if SWITCHES.trace_forward:
        node._anomaly_trace = forward_stack()
    result.grad_fn = node
    return result


def _drop_saves_for_other(cls: type, node: BackwardNode, args: tuple) -> None:
    # a*b reads self only for d/d other (and vice versa): PyTorch skips such a save when the
    # other operand needs no gradient; a kept save would only hold memory and raise spurious
    # in-place version errors.
    saved, versions = list(node._saved), list(node._versions_at_save)
    for k in cls._saved_for_other:
        other = args[1 - cls._save_plan[k]]
        if not (isinstance(other, Tensor) and (other.grad_fn is not None or other._requires_grad)):
            saved[k] = versions[k] = None
    node._saved, node._versions_at_save = tuple(saved), tuple(versions)
