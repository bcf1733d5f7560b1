"""The array path of built-in ops: a generic apply, a specialised apply per one/two-operand op
class, and the two switches that path checks (the profiler's hook, anomaly mode).

Built-in ``forward``s receive NumPy arrays; this path unwraps the operands, decides whether a
graph is recorded, creates the node (which doubles as ctx), saves what backward needs and wraps
the result. It is the per-op overhead every expression pays, hence written for speed.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from .. import grad_mode
from .._tensor.tensor import TENSOR_TYPES as _TENSOR_TYPES
from .._tensor.tensor import Tensor
from .ctx import NO_GRAD_CTX as _NO_GRAD_CTX
from .ctx import BackwardNode
from .ctx import SavedOutput as _SavedOutput
from .diagnostics import broadcast_error, forward_stack
from .node import _sequence
from .views import refresh_view, share_view

__all__ = ["apply_builtin", "specialise", "edge", "PLAN_SELF", "PLAN_BOTH", "PLAN_RESULT"]

_grad_state = grad_mode._state
_new = object.__new__
_ndarray = np.ndarray
# Set by autograd.profiler while a profile is open; a None check is all it costs otherwise.
profile_hook = None
# Set by autograd.anomaly_mode: nodes then record the stack that created them.
anomaly_enabled = False


def edge(x: Any) -> tuple:
    """The ``next_functions`` entry for operand ``x``: its grad_fn, its AccumulateGrad, or none."""
    if x._base is not None and x._view_version != x._vc[0]:
        refresh_view(x)
    fn = x.grad_fn
    if fn is not None:
        return (fn, x._output_nr)
    if x._requires_grad:
        return (x._grad_accumulator(), 0)
    return _NO_EDGE


_NO_EDGE = (None, 0)
_NO_VERSION = (None,)
# The save plans most ops have (operand positions; -1 = the result), as canonical objects so the
# apply paths tell them apart by identity.
PLAN_SELF, PLAN_BOTH, PLAN_RESULT = (0,), (0, 1), (-1,)


def apply_builtin(cls: type, args: tuple, check_profiler: bool = True) -> Any:
    """The array path of every built-in op. Ops with one or two operands and nothing else take
    the specialised path (see ``specialise``); this generic one serves the rest and the
    profiler, which has already been told about the op."""
    fast = cls._fast_apply
    if fast is not None and check_profiler:
        return fast(*args)
    if profile_hook is not None and check_profiler:
        return profile_hook(cls, args)
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
        node.next_functions = tuple([edge(a) if type(a) in _TENSOR_TYPES else _NO_EDGE for a in args[:n]])
    node._seq = next(_sequence)
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
    if anomaly_enabled:
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


def _takes_exactly(forward: Any, count: int) -> bool:
    """Whether ``forward`` takes exactly ``count`` positional parameters and nothing else."""
    try:
        params = inspect.signature(forward).parameters.values()
    except (TypeError, ValueError):
        return False
    return len(params) == count and all(p.kind is p.POSITIONAL_OR_KEYWORD for p in params)


def specialise(cls: type) -> Any:
    """``cls``'s apply with its constants bound, for ops of one or two operands and no other
    argument (None for the rest). It is the per-op overhead every expression pays, so it reads
    closure cells instead of class attributes and inlines the edges and the common save plans;
    ``apply_builtin`` is its reference and must behave the same."""
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
    keep_self_always = not cls._self_for_other
    keep_other_always = not cls._other_for_other

    def apply_unary(a: Any) -> Any:
        if profile_hook is not None:
            return profile_hook(cls, (a,))
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
        node._seq = next(_sequence)
        node._shape = out.shape
        node._dtype = out.dtype
        if plan is PLAN_SELF:
            node._saved = (a,)
            node._versions_at_save = (a._vc[0],)
        elif plan is PLAN_RESULT:
            node._saved = (_SavedOutput(out, vc, 0),)
            node._versions_at_save = (0,)
        if anomaly_enabled:
            node._anomaly_trace = forward_stack()
        result.grad_fn = node
        return result

    # The same steps as apply_unary for two operands. The lines they share are not factored
    # into a helper on purpose: one more call costs ~10% of a no-grad op on a small tensor.
    def apply_binary(a: Any, b: Any) -> Any:
        if profile_hook is not None:
            return profile_hook(cls, (a, b))
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
        node.next_functions = (edge(a) if a_is_t else _NO_EDGE, edge(b) if b_is_t else _NO_EDGE)
        node._seq = next(_sequence)
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
        if anomaly_enabled:
            node._anomaly_trace = forward_stack()
        result.grad_fn = node
        return result

    return apply_unary if n == 1 else apply_binary
