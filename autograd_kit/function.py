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

import functools
import re
import traceback
from typing import Any

import numpy as np

from . import grad_mode
from ._dtype import from_numpy_dtype
from .graph import Node, _sequence
from .tensor import Tensor, _make

__all__ = ["Function", "FunctionCtx", "BackwardNode", "once_differentiable"]

_grad_state = grad_mode._state
_new = object.__new__
_ndarray = np.ndarray
# Set by autograd.profiler while a profile is open; a None check is all it costs otherwise.
profile_hook = None
# Set by autograd.anomaly_mode: nodes then record the stack that created them.
anomaly_enabled = False

SECOND_BACKWARD_MSG = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)


class _SavedOutput:
    """An output saved by its own node: kept as data + version, so tensor -> node -> tensor
    never forms a reference cycle (PyTorch's SavedVariable does the same)."""

    __slots__ = ("data", "_vc", "version", "output_nr")

    def __init__(self, data: np.ndarray, vc: list, output_nr: int) -> None:
        self.data = data
        self._vc = vc
        self.version = vc[0]
        self.output_nr = output_nr


class FunctionCtx:
    """What ``forward`` may call on ``ctx``: saving tensors and marking outputs."""

    _saved: tuple | None = ()
    _saved_versions: tuple = ()
    _dirty: tuple = ()
    _non_differentiable: tuple = ()
    materialize_grads = True

    def save_for_backward(self, *tensors: Any) -> None:
        """Save tensors (or None) for ``backward``; read them back with ``saved_tensors``."""
        self._saved = tensors
        self._saved_versions = tuple(t._vc[0] if hasattr(t, "_vc") else None for t in tensors)

    def mark_dirty(self, *tensors: Any) -> None:
        """Declare inputs that ``forward`` modified in place."""
        self._dirty = tensors

    def mark_non_differentiable(self, *tensors: Any) -> None:
        """Declare outputs that get no gradient (e.g. indices)."""
        self._non_differentiable = tensors

    def set_materialize_grads(self, value: bool) -> None:
        """Whether undefined output gradients reach ``backward`` as zeros (default) or None."""
        self.materialize_grads = bool(value)


class _NoGradCtx:
    """The ctx built-in forwards get when no graph is recorded: attribute writes vanish."""

    __slots__ = ()
    needs_input_grad = ()

    def __setattr__(self, name: str, value: Any) -> None:
        pass

    def save_for_backward(self, *tensors: Any) -> None:
        pass

    mark_dirty = mark_non_differentiable = set_materialize_grads = save_for_backward


_NO_GRAD_CTX = _NoGradCtx()


def _describe(tensor: Any) -> str:
    shape = ", ".join(str(s) for s in tensor._data.shape)
    return f"[torch.{from_numpy_dtype(tensor._data.dtype).tensor_type} [{shape}]]"


class BackwardNode(Node, FunctionCtx):
    """Base of every op's node class (``MulBackward0``, ``MyFunctionBackward``, ...)."""

    _forward_cls: type[Function]

    @property
    def needs_input_grad(self) -> tuple:
        """One bool per input: whether a gradient flows to it."""
        custom = self.__dict__.get("_needs_input_grad")  # custom Functions: one per forward arg
        if custom is not None:
            return custom
        return tuple(fn is not None for fn, _ in self.next_functions)

    @property
    def saved_tensors(self) -> tuple:
        """The saved values: arrays in a plain backward of a built-in op, else Tensors."""
        saved = self._saved
        if saved is None:
            raise RuntimeError(SECOND_BACKWARD_MSG)
        for entry, version in zip(saved, self._saved_versions):
            if version is not None and entry._vc[0] != version:
                self._check_versions()
        if self._forward_cls._arrays_in_backward and not _grad_state.enabled:
            return tuple(
                [e._data if isinstance(e, Tensor) else (e.data if type(e) is _SavedOutput else e) for e in saved]
            )
        return tuple([self._unpack(e) for e in saved])

    def _unpack(self, entry: Any) -> Any:
        if type(entry) is _SavedOutput:
            t = _make(entry.data)
            t.grad_fn = self
            t._output_nr = entry.output_nr
            t._vc = entry._vc
            return t
        return entry

    def _check_versions(self) -> None:
        for entry, version in zip(self._saved, self._saved_versions):
            if version is None:
                continue
            if type(entry) is _SavedOutput:
                current, owner, nr, desc = entry._vc[0], self, entry.output_nr, None
            else:
                current, owner, nr, desc = entry._vc[0], entry.grad_fn, entry._output_nr, entry
            if current != version:
                if desc is None:
                    desc = self._unpack(entry)
                # PyTorch (2.13) names the op, not the node: MulBackward0 -> Mul, PowBackward1 -> Pow1.
                label = re.sub(r"Backward0?(\d*)$", r"\1", owner.name()) if owner is not None else ""
                where = f", which is output {nr} of {label}," if owner is not None else ""
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by "
                    f"an inplace operation: {_describe(desc)}{where} is at version {current}; "
                    f"expected version {version} instead. Hint: enable anomaly detection to find "
                    "the operation that failed to compute its gradient, with "
                    "torch.autograd.set_detect_anomaly(True, check_nan=False)."
                )

    def __getattr__(self, name: str) -> Any:
        # PyTorch exposes saved values as ``_saved_<name>``; only reached for missing attributes.
        if name.startswith("_saved_"):
            key = name[7:]
            names = self._forward_cls._save_names
            if key in names:
                if self._saved is None:
                    raise RuntimeError(SECOND_BACKWARD_MSG)
                value = self._unpack(self._saved[names.index(key)])
                if value is not None and not hasattr(value, "_vc"):
                    value = _make(np.asarray(value))
                return value
            if key in self.__dict__:
                return self.__dict__[key]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def _run_backward(self, grads: list) -> tuple:
        return self._forward_cls._call_backward(self, grads)

    def __call__(self, *grads: Any) -> Any:
        """Run this node's backward on output gradients (as PyTorch's ``node(grad)``)."""
        return self._run_backward(list(grads))


def _edge(x: Any) -> tuple:
    fn = x.grad_fn
    if fn is not None:
        return (fn, x._output_nr)
    if x._requires_grad:
        return (x._grad_accumulator(), 0)
    return (None, 0)


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
    _arrays_in_backward = False
    _save_names: tuple = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        builtin = cls.operands is not None
        cls._arrays_in_backward = builtin
        default = f"{cls.__name__}Backward0" if builtin else f"{cls.__name__}Backward"
        name = cls.__dict__.get("node_name", default)
        namespace = {"_forward_cls": cls, "__module__": cls.__module__}
        if builtin:
            namespace["_run_backward"] = _run_builtin_backward
        cls._backward_cls = type(name, (BackwardNode,), namespace)
        if builtin:
            cls._apply = classmethod(lambda c, args: _apply_builtin(c, args, False))
            cls.apply = classmethod(_builtin_apply)
            cls._n_operands = len(cls.operands)
            cls._save_names = tuple(cls.saves)
            plan = tuple(-1 if s == "result" else cls.operands.index(s) for s in cls.saves)
            # Canonical objects, so _apply_builtin tells the common plans apart by identity.
            cls._save_plan = next((p for p in (_PLAN_SELF, _PLAN_BOTH, _PLAN_RESULT) if p == plan), plan)
            cls._saves_result = "result" in cls.saves
            cls._saved_for_other = tuple(k for k, s in enumerate(cls.saves) if s in cls.saved_for_other)
            if cls.aten_name is None:
                cls.aten_name = "aten::" + cls.__name__.lower()
        elif cls.aten_name is None:
            cls.aten_name = cls.__name__

    @staticmethod
    def forward(ctx: Any, *args: Any) -> Any:
        """Compute the op's output(s); override."""
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        """Return one gradient per forward input (None where there is none); override."""
        raise NotImplementedError("You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.")

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


def _run_builtin_backward(node: BackwardNode, grads: list) -> tuple:
    # Built-ins have one output, so backward gets one gradient.
    result = node._forward_cls.backward(node, grads[0])
    return result if type(result) is tuple else (result,)


def _builtin_apply(cls: type[Function], *args: Any) -> Any:
    """``apply`` of built-in ops."""
    return _apply_builtin(cls, args)


def _apply_builtin(cls: type[Function], args: tuple, check_profiler: bool = True) -> Any:
    """The array path of every built-in op; operators call it directly. This is the per-op
    overhead every expression pays, hence unrolled for one and two operands."""
    if profile_hook is not None and check_profiler:
        return profile_hook(cls, args)
    n = cls._n_operands
    a_is_t = b_is_t = True
    if n == 1:
        a = args[0]
        arrays = (a._data,) if len(args) == 1 else (a._data, *args[1:])
        needs = a.grad_fn is not None or a._requires_grad
    elif n == 2:
        a, b = args[0], args[1]
        if isinstance(a, Tensor):
            ad = a._data
            needs = a.grad_fn is not None or a._requires_grad
        else:
            ad, needs, a_is_t = a, False, False
        if isinstance(b, Tensor):
            bd = b._data
            needs = needs or b.grad_fn is not None or b._requires_grad
        else:
            bd, b_is_t = b, False
        arrays = (ad, bd) if len(args) == 2 else (ad, bd, *args[2:])
    else:
        needs = False
        arrays = list(args)
        for i in range(n):
            a = args[i]
            if isinstance(a, Tensor):
                arrays[i] = a._data
                if a.grad_fn is not None or a._requires_grad:
                    needs = True
    if not needs or not _grad_state.enabled:
        out = cls.forward(_NO_GRAD_CTX, *arrays)
        result = _new(Tensor)
        result._data = out if type(out) is _ndarray else np.asarray(out)
        result.grad_fn = None
        result._vc = [0]
        if cls.is_view:
            _share_view(result, args[0])
        return result
    node = _new(cls._backward_cls)
    out = cls.forward(node, *arrays)
    if type(out) is not _ndarray:
        out = np.asarray(out)
    result = _new(Tensor)
    result._data = out
    result.grad_fn = None
    result._vc = vc = [0]
    if cls.is_view:
        _share_view(result, args[0])
    if out.dtype.kind not in "fc":  # integer/bool outputs carry no gradient
        return result
    if n == 1:
        fn = a.grad_fn
        node.next_functions = ((fn, a._output_nr) if fn is not None else (a._grad_accumulator(), 0),)
    elif n == 2:
        node.next_functions = (_edge(a) if a_is_t else _NO_EDGE, _edge(b) if b_is_t else _NO_EDGE)
    else:
        node.next_functions = tuple([_edge(a) if isinstance(a, Tensor) else _NO_EDGE for a in args[:n]])
    node._seq = next(_sequence)
    node._meta = ((out.shape, out.dtype),)
    plan = cls._save_plan
    if plan:
        if plan is _PLAN_SELF:
            node._saved = (a,)
            node._saved_versions = (a._vc[0],)
        elif plan is _PLAN_BOTH:
            node._saved = (a, b)
            node._saved_versions = (a._vc[0] if a_is_t else None, b._vc[0] if b_is_t else None)
        elif plan is _PLAN_RESULT:
            node._saved = (_SavedOutput(out, vc, 0),)
            node._saved_versions = (0,)
        else:
            saved = tuple([_SavedOutput(out, vc, 0) if i < 0 else args[i] for i in plan])
            node._saved = saved
            node._saved_versions = tuple([getattr(e, "_vc", _NO_VERSION)[0] for e in saved])
        if cls._saved_for_other:
            _drop_saves_for_other(cls, node, args)
    if anomaly_enabled:
        node._anomaly_trace = forward_stack()
    result.grad_fn = node
    return result


def forward_stack() -> str:
    """The stack that is creating a node, minus the op machinery's own frames (anomaly mode)."""
    frames = traceback.extract_stack()[:-1]
    while frames and frames[-1].filename.endswith(("function.py", "_custom_function.py")) and "autograd_kit" in frames[-1].filename:
        frames.pop()
    return "".join(traceback.format_list(frames))


def _drop_saves_for_other(cls: type[Function], node: BackwardNode, args: tuple) -> None:
    # Unneeded saves would only hold memory and raise spurious in-place version errors.
    saved, versions = list(node._saved), list(node._saved_versions)
    for k in cls._saved_for_other:
        other = args[1 - cls._save_plan[k]]
        if not (isinstance(other, Tensor) and (other.grad_fn is not None or other._requires_grad)):
            saved[k] = versions[k] = None
    node._saved, node._saved_versions = tuple(saved), tuple(versions)


def _share_view(result: Any, source: Any) -> None:
    # Only a true alias shares the version counter (reshape may have had to copy).
    if np.may_share_memory(result._data, source._data):
        result._vc = source._vc
        result._base = source._base if source._base is not None else source


class _DelayedError(Function):
    """Stands in for the graph a once_differentiable backward did not record."""

    node_name = "Error"

    @staticmethod
    def forward(ctx: Any, *grads: Any) -> Any:
        return grads[0] if len(grads) == 1 else grads

    @staticmethod
    def backward(ctx: Any, *grads: Any) -> Any:
        raise RuntimeError("trying to differentiate twice a function that was marked with @once_differentiable")


def once_differentiable(fn: Any) -> Any:
    """Mark a custom backward as not itself differentiable (runs without recording)."""

    @functools.wraps(fn)
    def wrapper(ctx: Any, *args: Any) -> Any:
        with grad_mode.no_grad():
            outputs = fn(ctx, *args)
        if not _grad_state.enabled or not any(isinstance(a, Tensor) and a.requires_grad for a in args):
            return outputs
        # Under create_graph, route the results through a node whose backward raises (PyTorch's
        # DelayedError), so a second derivative fails loudly instead of silently missing.
        outs = outputs if isinstance(outputs, tuple) else (outputs,)
        fakes = tuple(
            o.detach().requires_grad_() if isinstance(o, Tensor) and o._data.dtype.kind in "fc" else o
            for o in outs
        )
        return _DelayedError.apply(*fakes)

    return wrapper


