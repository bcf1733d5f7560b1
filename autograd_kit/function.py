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

import traceback
from typing import Any

import numpy as np

from . import grad_mode
from .graph import Node, _sequence

__all__ = ["Function", "FunctionCtx", "BackwardNode", "once_differentiable"]

_grad_state = grad_mode._state
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

    __slots__ = ("data", "vc", "version", "output_nr")

    def __init__(self, data: np.ndarray, vc: list, output_nr: int) -> None:
        self.data = data
        self.vc = vc
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
    from ._dtype import from_numpy_dtype

    return f"[torch.{from_numpy_dtype(tensor._data.dtype).tensor_type} [{shape}]]"


class BackwardNode(Node, FunctionCtx):
    """Base of every op's node class (``MulBackward0``, ``MyFunctionBackward``, ...)."""

    _forward_cls: type[Function]

    @property
    def needs_input_grad(self) -> tuple:
        """One bool per input: whether a gradient flows to it."""
        return tuple(fn is not None for fn, _ in self.next_functions)

    @property
    def saved_tensors(self) -> tuple:
        """The saved values: arrays in a plain backward of a built-in op, else Tensors."""
        saved = self._saved
        if saved is None:
            raise RuntimeError(SECOND_BACKWARD_MSG)
        self._check_versions()
        if self._forward_cls._arrays_in_backward and not _grad_state.enabled:
            return tuple(
                e._data if hasattr(e, "_vc") else (e.data if type(e) is _SavedOutput else e)
                for e in saved
            )
        return tuple(self._unpack(e) for e in saved)

    def _unpack(self, entry: Any) -> Any:
        if type(entry) is _SavedOutput:
            from .tensor import _make

            t = _make(entry.data)
            t.grad_fn = self
            t._output_nr = entry.output_nr
            t._vc = entry.vc
            return t
        return entry

    def _check_versions(self) -> None:
        for entry, version in zip(self._saved, self._saved_versions):
            if version is None:
                continue
            if type(entry) is _SavedOutput:
                current, owner, nr, desc = entry.vc[0], self, entry.output_nr, None
            else:
                current, owner, nr, desc = entry._vc[0], entry.grad_fn, entry._output_nr, entry
            if current != version:
                if desc is None:
                    desc = self._unpack(entry)
                where = f", which is output {nr} of {owner.name()}," if owner is not None else ""
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by "
                    f"an inplace operation: {_describe(desc)}{where} is at version {current}; "
                    f"expected version {version} instead. Hint: enable anomaly detection to find "
                    "the operation that failed to compute its gradient, with "
                    "torch.autograd.set_detect_anomaly(True)."
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
                    from .tensor import _make

                    value = _make(np.asarray(value))
                return value
            if key in self.__dict__:
                return self.__dict__[key]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def _run_backward(self, grads: list) -> tuple:
        return self._forward_cls._call_backward(self, grads)

    def _release(self) -> None:
        if self._saved:
            self._saved = None

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


class Function:
    """Base class of differentiable operations (PyTorch's ``torch.autograd.Function``)."""

    operands: tuple | None = None  # built-ins: names of the tensor-or-number positions
    saves: tuple = ()  # built-ins: operand names (or "result") that backward reads
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
        cls._backward_cls = type(name, (BackwardNode,), {"_forward_cls": cls, "__module__": cls.__module__})
        if builtin:
            cls._n_operands = len(cls.operands)
            cls._save_names = tuple(cls.saves)
            cls._save_plan = tuple(-1 if s == "result" else cls.operands.index(s) for s in cls.saves)
            cls._saves_result = "result" in cls.saves
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
        if cls._arrays_in_backward:
            return _apply_builtin(cls, args)
        from ._custom_function import apply_custom

        return apply_custom(cls, args)

    @classmethod
    def _call_backward(cls, node: BackwardNode, grads: list) -> tuple:
        if not cls._arrays_in_backward:
            from ._custom_function import call_custom_backward

            return call_custom_backward(cls, node, grads)
        result = cls.backward(node, grads[0]) if len(grads) == 1 else cls.backward(node, *grads)
        return result if type(result) is tuple else (result,)


def _apply_builtin(cls: type[Function], args: tuple) -> Any:
    from .tensor import Tensor, _make

    n = cls._n_operands
    needs = False
    arrays = list(args)
    for i in range(n):
        a = args[i]
        if isinstance(a, Tensor):
            arrays[i] = a._data
            if a.grad_fn is not None or a._requires_grad:
                needs = True
    if not (needs and _grad_state.enabled):
        out = cls.forward(_NO_GRAD_CTX, *arrays)
        result = _make(out if type(out) is np.ndarray else np.asarray(out))
        if cls.is_view:
            _share_view(result, args[0])
        return result
    node = cls._backward_cls()
    out = cls.forward(node, *arrays)
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    result = _make(out)
    if cls.is_view:
        _share_view(result, args[0])
    if out.dtype.kind not in "fc":  # integer/bool outputs carry no gradient
        return result
    node.next_functions = tuple(
        _edge(a) if isinstance(a, Tensor) else (None, 0) for a in args[:n]
    )
    node._seq = next(_sequence)
    node._meta = ((out.shape, out.dtype),)
    plan = cls._save_plan
    if plan:
        saved = []
        for i in plan:
            if i < 0:
                saved.append(_SavedOutput(out, result._vc, 0))
            else:
                saved.append(args[i])
        node._saved = tuple(saved)
        node._saved_versions = tuple(
            e._vc[0] if isinstance(e, Tensor) else (e.version if type(e) is _SavedOutput else None)
            for e in saved
        )
    if anomaly_enabled:
        node._anomaly_trace = "".join(traceback.format_stack()[:-3])
    result.grad_fn = node
    return result


def _share_view(result: Any, source: Any) -> None:
    # Only a true alias shares the version counter (reshape may have had to copy).
    if np.may_share_memory(result._data, source._data):
        result._vc = source._vc
        result._base = source._base if source._base is not None else source


def once_differentiable(fn: Any) -> Any:
    """Mark a custom backward as not itself differentiable (runs without recording)."""

    def wrapper(ctx: Any, *args: Any) -> Any:
        with grad_mode.no_grad():
            return fn(ctx, *args)

    return wrapper


