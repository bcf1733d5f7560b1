"""The op base: ``Function`` with ``forward(ctx, ...)``/``backward(ctx, grad)``; ctx is the node.

Every operation, built-in or user-defined, is a ``Function``. ``apply`` decides whether a graph
is recorded, creates the ``grad_fn`` node (which doubles as ``ctx``), runs ``forward`` and wraps
the result. Built-in ops declare ``operands`` (their tensor-or-number positions, each of which
gets a ``next_functions`` edge) and ``saves`` (what backward needs, by operand name or
``"result"``, visible as ``_saved_<name>``, PyTorch's spelling). Their ``forward`` receives
NumPy arrays; their ``backward`` receives arrays in a plain backward and Tensors under
``create_graph=True``, so one formula (written with ``ops._math``) serves both. User-defined
Functions follow PyTorch's contract: Tensors in, Tensors out, ``ctx.save_for_backward``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import grad_mode
from ._op_diagnostics import broadcast_error, forward_stack
from ._views import refresh_view, share_view
from .ctx import NO_GRAD_CTX as _NO_GRAD_CTX
from .ctx import (
    SECOND_BACKWARD_MSG,
    BackwardNode,
    FunctionCtx,
    ctx_attribute_names,
    ctx_attribute_property,
    saved_value_property,
)
from .ctx import SavedOutput as _SavedOutput
from .graph import _sequence
from .tensor import TENSOR_TYPES as _TENSOR_TYPES
from .tensor import Tensor

__all__ = ["Function", "FunctionCtx", "BackwardNode", "SECOND_BACKWARD_MSG", "broadcast_error"]

_grad_state = grad_mode._state
_new = object.__new__
_ndarray = np.ndarray
# Set by autograd.profiler while a profile is open; a None check is all it costs otherwise.
profile_hook = None
# Set by autograd.anomaly_mode: nodes then record the stack that created them.
anomaly_enabled = False


def _edge(x: Any) -> tuple:
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
_PLAN_SELF, _PLAN_BOTH, _PLAN_RESULT = (0,), (0, 1), (-1,)


class Function:
    """Base class of differentiable operations (PyTorch's ``torch.autograd.Function``)."""

    operands: tuple | None = None  # built-ins: names of the tensor-or-number positions
    saves: tuple = ()  # built-ins: operand names (or "result") that backward reads
    # Two-operand built-ins: saved operands that only the *other* operand's gradient reads (a*b
    # saves self only for d/d other); not saved when that operand needs no grad, as in PyTorch.
    saved_for_other: tuple = ()
    _saved_for_other: tuple = ()
    aten_name: str | None = None  # the profiler's row name, e.g. "aten::mul"
    is_view = False  # built-ins whose result shares memory with operand 0
    # Built-ins: values forward stores on ctx outside its own body (in a helper), shown as
    # ``_saved_<name>``; those it stores itself are found in its bytecode.
    ctx_attributes: tuple = ()
    _arrays_in_backward = False
    _save_names: tuple = ()
    _fast_apply = None  # built-ins of one or two operands: their specialised apply

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        builtin = cls.operands is not None
        cls._arrays_in_backward = builtin
        default = f"{cls.__name__}Backward0" if builtin else f"{cls.__name__}Backward"
        name = cls.__dict__.get("node_name", default)
        namespace = {"_forward_cls": cls, "__module__": cls.__module__, "_arrays_in_backward": builtin}
        if builtin:
            namespace["_run_backward"] = _run_builtin_backward
            # The engine's plain loop calls this directly: one output, one incoming gradient.
            namespace["_single_backward"] = staticmethod(cls.backward)
            for attr in (*ctx_attribute_names(cls.forward), *cls.ctx_attributes):
                namespace[f"_saved_{attr}"] = ctx_attribute_property(attr)
            for index, saved in enumerate(cls.saves):
                namespace[f"_saved_{saved}"] = saved_value_property(index)
        # PyTorch's C++ nodes print as `<CopySlices ...>` but name() includes the namespace.
        short = name.rsplit("::", 1)[-1]
        if short != name:
            namespace["name"] = _fixed_name(name)
        cls._backward_cls = type(short, (BackwardNode,), namespace)
        if builtin:
            cls._apply = classmethod(lambda c, args: _apply_builtin(c, args, False))
            cls.apply = classmethod(_builtin_apply)
            cls._n_operands = len(cls.operands)
            cls._save_names = tuple(cls.saves)
            plan = tuple(-1 if s == "result" else cls.operands.index(s) for s in cls.saves)
            # Canonical objects, so _apply_builtin tells the common plans apart by identity.
            cls._save_plan = next((p for p in (_PLAN_SELF, _PLAN_BOTH, _PLAN_RESULT) if p == plan), plan)
            cls._saved_for_other = tuple(k for k, s in enumerate(cls.saves) if s in cls.saved_for_other)
            cls._self_for_other = "self" in cls.saved_for_other
            cls._other_for_other = "other" in cls.saved_for_other
            if cls.aten_name is None:
                cls.aten_name = "aten::" + cls.__name__.lower()
            cls._fast_apply = _specialise(cls)
        elif cls.aten_name is None:
            cls.aten_name = cls.__name__

    @staticmethod
    def forward(ctx: Any, *args: Any) -> Any:
        """Compute the op's output(s); override."""
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        """Return one gradient per forward input (None where there is none); override."""
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD."
        )

    vjp = backward

    @classmethod
    def apply(cls, *args: Any) -> Any:
        """Run the op, recording a graph node when grad mode is on and an input requires grad."""
        if profile_hook is not None:
            return profile_hook(cls, args)
        return cls._apply(args)

    @classmethod
    def _apply(cls, args: tuple) -> Any:
        """Run the op without the profiler check (the profiler's hook calls this)."""
        from ._custom_function import apply_custom

        return apply_custom(cls, args)

    @classmethod
    def _call_backward(cls, node: BackwardNode, grads: list) -> tuple:
        if not cls._arrays_in_backward:
            from ._custom_function import call_custom_backward

            return call_custom_backward(cls, node, grads)
        result = cls.backward(node, grads[0]) if len(grads) == 1 else cls.backward(node, *grads)
        return result if type(result) is tuple else (result,)


def _fixed_name(name: str) -> Any:
    def node_name(self: BackwardNode) -> str:
        """PyTorch's name for this node."""
        return name

    return node_name


def _run_builtin_backward(node: BackwardNode, grads: list) -> tuple:
    # Built-ins have one output, so backward gets one gradient.
    result = node._forward_cls.backward(node, grads[0])
    return result if type(result) is tuple else (result,)


def _builtin_apply(cls: type[Function], *args: Any) -> Any:
    """``apply`` of built-in ops."""
    return _apply_builtin(cls, args)


def _apply_builtin(cls: type[Function], args: tuple, check_profiler: bool = True) -> Any:
    """The array path of every built-in op. Ops with one or two operands and nothing else take
    the specialised path (see ``_specialise``); this generic one serves the rest and the
    profiler, which has already been told about the op."""
    fast = cls._fast_apply
    if fast is not None and check_profiler:
        return fast(*args)
    if profile_hook is not None and check_profiler:
        return profile_hook(cls, args)
    n = cls._n_operands
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
    node.next_functions = tuple([_edge(a) if type(a) in _TENSOR_TYPES else _NO_EDGE for a in args[:n]])
    node._seq = next(_sequence)
    node._meta = ((out.shape, out.dtype),)
    plan = cls._save_plan
    if plan:
        saved = tuple([_SavedOutput(out, vc, 0) if i < 0 else args[i] for i in plan])
        node._saved = saved
        node._saved_versions = tuple([getattr(e, "_vc", _NO_VERSION)[0] for e in saved])
        if cls._saved_for_other:
            _drop_saves_for_other(cls, node, args)
    if anomaly_enabled:
        node._anomaly_trace = forward_stack()
    result.grad_fn = node
    return result


def _drop_saves_for_other(cls: type[Function], node: BackwardNode, args: tuple) -> None:
    # a*b reads self only for d/d other (and vice versa): PyTorch skips such a save when the
    # other operand needs no gradient; a kept save would only hold memory and raise spurious
    # in-place version errors.
    saved, versions = list(node._saved), list(node._saved_versions)
    for k in cls._saved_for_other:
        other = args[1 - cls._save_plan[k]]
        if not (isinstance(other, Tensor) and (other.grad_fn is not None or other._requires_grad)):
            saved[k] = versions[k] = None
    node._saved, node._saved_versions = tuple(saved), tuple(versions)


def _specialise(cls: type[Function]) -> Any:
    """``cls``'s apply with its constants bound, for ops of one or two operands and no other
    argument (None for the rest). It is the per-op overhead every expression pays, so it reads
    closure cells instead of class attributes and inlines the edges and the common save plans;
    ``_apply_builtin`` is its reference and must behave the same."""
    forward = cls.forward
    code = getattr(forward, "__code__", None)
    n = cls._n_operands
    plan = cls._save_plan
    if (
        n > 2
        or code is None
        or code.co_argcount != n + 1
        or code.co_flags & 0x0C  # *args or **kwargs
        or cls.is_view
        or plan not in ((), _PLAN_SELF, _PLAN_BOTH, _PLAN_RESULT)
        or (cls._saved_for_other and plan is not _PLAN_BOTH)
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
        node._meta = ((out.shape, out.dtype),)
        if plan is _PLAN_SELF:
            node._saved = (a,)
            node._saved_versions = (a._vc[0],)
        elif plan is _PLAN_RESULT:
            node._saved = (_SavedOutput(out, vc, 0),)
            node._saved_versions = (0,)
        if anomaly_enabled:
            node._anomaly_trace = forward_stack()
        result.grad_fn = node
        return result

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
        result._vc = vc = [0]
        if out.dtype.kind not in "fc":
            return result
        node.next_functions = (_edge(a) if a_is_t else _NO_EDGE, _edge(b) if b_is_t else _NO_EDGE)
        node._seq = next(_sequence)
        node._meta = ((out.shape, out.dtype),)
        if plan is _PLAN_BOTH:
            keep_a = b_req or keep_self_always
            keep_b = a_req or keep_other_always
            node._saved = (a if keep_a else None, b if keep_b else None)
            node._saved_versions = (
                a._vc[0] if keep_a and a_is_t else None,
                b._vc[0] if keep_b and b_is_t else None,
            )
        elif plan is _PLAN_SELF:
            node._saved = (a,)
            node._saved_versions = (a._vc[0] if a_is_t else None,)
        elif plan is _PLAN_RESULT:
            node._saved = (_SavedOutput(out, vc, 0),)
            node._saved_versions = (0,)
        if anomaly_enabled:
            node._anomaly_trace = forward_stack()
        result.grad_fn = node
        return result

    return apply_unary if n == 1 else apply_binary
