"""The ctx of an op, which is its backward node: saving values for backward, version checks,
``needs_input_grad``, and PyTorch's ``_saved_<name>`` attributes."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from .. import grad_mode
from .._tensor.tensor import wrap_array
from ..dtypes import from_numpy_dtype
from .node import Node

__all__ = [
    "FunctionCtx",
    "BackwardNode",
    "SavedOutput",
    "SECOND_BACKWARD_MSG",
    "NO_GRAD_CTX",
    "op_label",
    "saved_value_property",
    "ctx_attribute_property",
]

_grad_state = grad_mode._state

SECOND_BACKWARD_MSG = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)


class SavedOutput:
    """An output saved by its own node: kept as data + version, so tensor -> node -> tensor
    never forms a reference cycle (PyTorch's SavedVariable does the same)."""

    # `_data`, as on Tensor, so a plain backward reads either kind of saved entry the same way.
    __slots__ = ("_data", "_vc", "version", "output_nr")

    def __init__(self, data: np.ndarray, vc: list, output_nr: int) -> None:
        self._data = data
        self._vc = vc
        self.version = vc[0]
        self.output_nr = output_nr


class FunctionCtx:
    """What ``forward`` may call on ``ctx``: saving tensors and marking outputs."""

    _saved: tuple | None = ()
    _versions_at_save: tuple = ()
    _dirty: tuple = ()
    _non_differentiable: tuple = ()
    materialize_grads = True

    def save_for_backward(self, *tensors: Any) -> None:
        """Save tensors (or None) for ``backward``; read them back with ``saved_tensors``."""
        self._saved = tensors
        self._versions_at_save = tuple(t._vc[0] if hasattr(t, "_vc") else None for t in tensors)

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


NO_GRAD_CTX = _NoGradCtx()


def op_label(node: Node) -> str:
    """The op a node belongs to, as PyTorch (2.13) names it in errors: MulBackward0 -> Mul,
    PowBackward1 -> Pow1, SplitBackward0 -> Split."""
    return _NODE_SUFFIX.sub(r"\1", node.name())


_NODE_SUFFIX = re.compile(r"Backward0?(\d*)$")


def _describe(tensor: Any) -> str:
    shape = ", ".join(str(s) for s in tensor._data.shape)
    return f"[torch.{from_numpy_dtype(tensor._data.dtype).tensor_type} [{shape}]]"


class BackwardNode(Node, FunctionCtx):
    """Base of every op's node class (``MulBackward0``, ``MyFunctionBackward``, ...)."""

    _forward_cls: type  # the Function class whose node this is
    _arrays_in_backward = False  # built-ins: a plain backward computes on arrays

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
        versions = self._versions_at_save
        if self._arrays_in_backward and not _grad_state.enabled:
            # Every backward formula reads this, so the one- and two-value cases are unrolled. A saved
            # Tensor or output has a version; anything else (a number, None) is returned as is.
            if len(saved) == 1:
                version = versions[0]
                if version is None:
                    return saved
                entry = saved[0]
                if entry._vc[0] != version:
                    self._check_versions()
                return (entry._data,)
            if len(saved) == 2:
                first, second = saved
                first_version, second_version = versions
                if first_version is not None:
                    if first._vc[0] != first_version:
                        self._check_versions()
                    first = first._data
                if second_version is not None:
                    if second._vc[0] != second_version:
                        self._check_versions()
                    second = second._data
                return (first, second)
            arrays = []
            for entry, version in zip(saved, versions):
                if version is None:
                    arrays.append(entry)
                else:
                    if entry._vc[0] != version:
                        self._check_versions()
                    arrays.append(entry._data)
            return tuple(arrays)
        for entry, version in zip(saved, versions):
            if version is not None and entry._vc[0] != version:
                self._check_versions()
        return tuple([self._unpack(e) for e in saved])

    def _unpack(self, entry: Any) -> Any:
        if type(entry) is SavedOutput:
            t = wrap_array(entry._data)
            t.grad_fn = self
            t._output_nr = entry.output_nr
            t._vc = entry._vc
            return t
        return entry

    def _check_versions(self) -> None:
        for entry, version in zip(self._saved, self._versions_at_save):
            if version is None:
                continue
            if type(entry) is SavedOutput:
                current, owner, nr, desc = entry._vc[0], self, entry.output_nr, None
            else:
                current, owner, nr, desc = entry._vc[0], entry.grad_fn, entry._output_nr, entry
            if current != version:
                if desc is None:
                    desc = self._unpack(entry)
                label = op_label(owner) if owner is not None else ""
                where = f", which is output {nr} of {label}," if owner is not None else ""
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by "
                    f"an inplace operation: {_describe(desc)}{where} is at version {current}; "
                    f"expected version {version} instead. Hint: enable anomaly detection to find "
                    "the operation that failed to compute its gradient, with "
                    "torch.autograd.set_detect_anomaly(True, check_nan=False)."
                )

    def _run_backward(self, grads: list) -> tuple:
        return self._forward_cls._call_backward(self, grads)

    def __call__(self, *grads: Any) -> Any:
        """Run this node's backward on output gradients (as PyTorch's ``node(grad)``)."""
        return self._run_backward(list(grads))


# PyTorch shows what a node saved as ``_saved_<name>`` attributes. They are properties made
# once per op class (not a __getattr__, which would slow every attribute read of every node).


def saved_value_property(index: int) -> property:
    """``_saved_<operand>``: the saved operand (or result) as a Tensor."""

    def get(node: BackwardNode) -> Any:
        if node._saved is None:
            raise RuntimeError(SECOND_BACKWARD_MSG)
        value = node._unpack(node._saved[index])
        if value is not None and not hasattr(value, "_vc"):
            value = wrap_array(np.asarray(value))
        return value

    return property(get, doc="A value this node saved for backward (PyTorch's _saved_ name).")


def ctx_attribute_property(name: str) -> property:
    """``_saved_<attribute>``: a value ``forward`` stored on ctx (``ctx.dim = dim``)."""
    return property(lambda node: node.__dict__.get(name), doc=f"The ``{name}`` this node's forward stored.")
