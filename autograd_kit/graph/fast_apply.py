"""The op path's fast lane: ``specialise(cls)`` makes, for a built-in op of one or two operands
and no other argument, a closure doing ``apply_builtin``'s steps with the class's constants
bound. Operators and methods such as ``Tensor.__mul__`` and ``Tensor.sin`` are those closures.

It exists because this is the overhead every expression pays (benchmarks/bench_core.py measures
it); ``builtin_apply.apply_builtin`` is the readable reference, and
tests/ops/test_specialised_apply.py runs every op of the op table both ways and compares outputs,
nodes, saved values and versions.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from .. import grad_mode
from .._tensor.tensor import TENSOR_TYPES as _TENSOR_TYPES
from .._tensor.tensor import Tensor
from .builtin_apply import NO_EDGE, PLAN_BOTH, PLAN_RESULT, PLAN_SELF, edge
from .ctx import NO_GRAD_CTX as _NO_GRAD_CTX
from .ctx import SavedOutput as _SavedOutput
from .diagnostics import broadcast_error, forward_stack
from .node import node_order
from .switches import SWITCHES
from .views import refresh_view

__all__ = ["specialise"]

_grad_state = grad_mode._state
_new = object.__new__
_ndarray = np.ndarray


def _takes_exactly(forward: Any, count: int) -> bool:
    """Whether ``forward`` takes exactly ``count`` positional parameters and nothing else."""
    try:
        params = inspect.signature(forward).parameters.values()
    except (TypeError, ValueError):
        return False
    return len(params) == count and all(p.kind is p.POSITIONAL_OR_KEYWORD for p in params)


def specialise(cls: type) -> Any:
    """``cls``'s apply with its constants bound, for ops of one or two operands and no other
    argument (None for the rest). It reads closure cells instead of class attributes and
    inlines the edges and the common save plans; ``apply_builtin`` is its reference and must
    behave the same."""
    forward = cls.forward
    n = cls._n_operands
    plan = cls._save_plan
    if (
        n > 2
        or not _takes_exactly(forward, n + 1)
        or cls.is_view
        or plan not in (((), PLAN_SELF, PLAN_RESULT) if n == 1 else ((), PLAN_BOTH))
        or (cls._saved_for_other and plan is not PLAN_BOTH)
    ):
        return None
    node_cls = cls._backward_cls
    switches = SWITCHES
    keep_self_always = not cls._self_for_other
    keep_other_always = not cls._other_for_other

    def apply_unary(a: Any) -> Any:
        if switches.op_hook is not None:
            return switches.op_hook(cls, (a,))
        ad = a._data
        if (a.grad_fn is None and not a._requires_grad) or not _grad_state.enabled:
            out = forward(_NO_GRAD_CTX, ad)
            result = _new(Tensor)
            result._data = out if type(out) is _ndarray else np.asarray(out)
            result.grad_fn = None
            result._vc = [0]
            return result
        node = _new(node_cls)
        out = forward(node, ad)
        if type(out) is not _ndarray:
            out = np.asarray(out)
        result = _new(Tensor)
        result._data = out
        result.grad_fn = None
        result._vc = vc = [0]
        if out.dtype.kind not in "fc":
            return result
        if a._base is not None and a._view_version != a._vc[0]:
            refresh_view(a)
        fn = a.grad_fn
        node.next_functions = ((fn, a._output_nr) if fn is not None else (a._grad_accumulator(), 0),)
        node._seq = next(node_order)
        node._shape = out.shape
        node._dtype = out.dtype
        if plan is PLAN_SELF:
            node._saved = (a,)
            node._versions_at_save = (a._vc[0],)
        elif plan is PLAN_RESULT:
            node._saved = (_SavedOutput(out, vc, 0),)
            node._versions_at_save = (0,)
        if switches.trace_forward:
            node._anomaly_trace = forward_stack()
        result.grad_fn = node
        return result

    # The same steps as apply_unary for two operands. The lines they share are not factored
    # into a helper on purpose: one more call costs ~10% of a no-grad op on a small tensor.
    def apply_binary(a: Any, b: Any) -> Any:
        if switches.op_hook is not None:
            return switches.op_hook(cls, (a, b))
        if type(a) in _TENSOR_TYPES:
            ad = a._data
            a_req = a.grad_fn is not None or a._requires_grad
            a_is_t = True
        else:
            ad, a_req, a_is_t = a, False, False
        if type(b) in _TENSOR_TYPES:
            bd = b._data
            b_req = b.grad_fn is not None or b._requires_grad
            b_is_t = True
        else:
            bd, b_req, b_is_t = b, False, False
        if not (a_req or b_req) or not _grad_state.enabled:
            try:
                out = forward(_NO_GRAD_CTX, ad, bd)
            except ValueError as error:
                raise (broadcast_error(ad, bd) or error) from None
            result = _new(Tensor)
            result._data = out if type(out) is _ndarray else np.asarray(out)
            result.grad_fn = None
            result._vc = [0]
            return result
        node = _new(node_cls)
        try:
            out = forward(node, ad, bd)
        except ValueError as error:
            raise (broadcast_error(ad, bd) or error) from None
        if type(out) is not _ndarray:
            out = np.asarray(out)
        result = _new(Tensor)
        result._data = out
        result.grad_fn = None
        result._vc = [0]
        if out.dtype.kind not in "fc":
            return result
        node.next_functions = (edge(a) if a_is_t else NO_EDGE, edge(b) if b_is_t else NO_EDGE)
        node._seq = next(node_order)
        node._shape = out.shape
        node._dtype = out.dtype
        if plan is PLAN_BOTH:
            keep_a = b_req or keep_self_always
            keep_b = a_req or keep_other_always
            node._saved = (a if keep_a else None, b if keep_b else None)
            node._versions_at_save = (
                a._vc[0] if keep_a and a_is_t else None,
                b._vc[0] if keep_b and b_is_t else None,
            )
        if switches.trace_forward:
            node._anomaly_trace = forward_stack()
        result.grad_fn = node
        return result

    return apply_unary if n == 1 else apply_binary
