"""In-place ops: run the op out of place, write into the tensor's storage, bump its version,
and make the new node its grad_fn, with PyTorch's leaf and view checks."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import grad_mode
from ..dtypes import category, scalar_type_name
from ..graph.ctx import SavedOutput as _SavedOutput
from ..graph.ctx import op_label
from ..graph.function import BuiltinFunction
from ..graph.switches import SWITCHES
from ..graph.views import apply_view_chain, refresh_view
from . import _math

__all__ = ["check_inplace", "check_view_write", "apply_inplace", "rebase_view", "OVERLAP_MESSAGE"]

_grad_state = grad_mode._state

NO_GRAD_VIEW_MESSAGE = (  # PyTorch's text
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. "
    "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your "
    "code by moving both the view and the inplace either both inside the no_grad block (if you "
    "don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked)."
)


def check_inplace(t: Any) -> None:
    """Raise PyTorch's error for an in-place op on a leaf (or view of one) that requires grad."""
    if not _grad_state.enabled:
        return
    if t.grad_fn is None and t._requires_grad:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    base = t._base
    if base is not None and base.grad_fn is None and base._requires_grad:
        raise RuntimeError(
            "a view of a leaf Variable that requires grad is being used in an in-place operation."
        )
    if t._view_no_grad and base.requires_grad:
        raise RuntimeError(NO_GRAD_VIEW_MESSAGE)


OVERLAP_MESSAGE = (  # PyTorch's text
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation."
)


def check_view_write(view: Any) -> None:
    """Raise PyTorch's error, before anything is written, when a recorded in-place write into
    ``view`` could not be given a graph: a view made under no_grad, or one of several views
    returned by one op (split/chunk/unbind), which has no recipe to re-make it from its base."""
    if view._view_no_grad:
        raise RuntimeError(NO_GRAD_VIEW_MESSAGE)
    if view._view_chain is None:
        fn = view.grad_fn
        who = "This view" if fn is None else f"Output {view._output_nr} of {op_label(fn)} is a view and"
        raise RuntimeError(
            f"{who} is being modified inplace. This view is the output of a function that "
            "returns multiple views. Such functions do not allow the output views to be modified inplace. "
            "You should replace the inplace operation by an out-of-place one."
        )


def _writable(data: np.ndarray, cls: Any) -> np.ndarray:
    """The array an in-place op writes into. An expanded tensor is a read-only NumPy view (several
    elements share one memory location): only a fill, which writes one value everywhere, may
    write it, through a writable alias (PyTorch allows fill_/zero_ there too)."""
    if data.flags.writeable:
        return data
    alias = _writable_alias(data) if cls.fills_uniformly else None
    if alias is None:
        raise RuntimeError(OVERLAP_MESSAGE)
    return alias


def _writable_alias(data: np.ndarray) -> np.ndarray | None:
    """A writable array over the memory of read-only view ``data``, when that memory belongs to
    a writable NumPy array (None otherwise)."""
    owner = data
    while isinstance(owner.base, np.ndarray):
        owner = owner.base
    if not owner.flags.writeable or not owner.flags.c_contiguous:
        return None
    offset = data.__array_interface__["data"][0] - owner.__array_interface__["data"][0]
    return np.ndarray(data.shape, data.dtype, buffer=owner, offset=offset, strides=data.strides)


def apply_inplace(cls: Any, t: Any, *args: Any) -> Any:
    """Apply Function ``cls`` to ``(t, *args)`` in place on ``t`` and return ``t``."""
    check_inplace(t)
    data = _writable(t._data, cls)
    hook = SWITCHES.op_hook
    if hook is None:
        result = cls._apply((t, *args))
    else:  # the profiler's row is the in-place op's own, as PyTorch names it (aten::add_)
        name = cls.aten_name if cls.aten_name.endswith("_") else cls.aten_name + "_"
        result = hook(cls, (t, *args), name)
    new = result._data
    if new.shape != data.shape:
        raise RuntimeError(
            f"output with shape {list(data.shape)} doesn't match the broadcast shape {list(new.shape)}"
        )
    if new.dtype != data.dtype and category(new.dtype) > category(data.dtype):
        raise RuntimeError(
            f"result type {scalar_type_name(new.dtype)} can't be cast to the desired output type "
            f"{scalar_type_name(data.dtype)}"
        )
    node = result.grad_fn
    if node is not None and t._base is not None:
        check_view_write(t)
    if node is not None and node._saved:
        node._saved = tuple(_snapshot(e, t) if e is t else e for e in node._saved)
    np.copyto(data, new, casting="unsafe")
    t._vc[0] += 1
    if node is not None and t._base is not None:
        rebase_view(t, result)
    elif node is not None:
        t.grad_fn = node
        t._output_nr = 0
        node._meta = ((data.shape, data.dtype),)
        if node._saved:
            node._saved = tuple(_rebind_output(e, t) for e in node._saved)
            node._versions_at_save = tuple(
                e.version if type(e) is _SavedOutput else getattr(e, "_vc", (None,))[0] for e in node._saved
            )
    return t


def _snapshot(entry: Any, t: Any) -> Any:
    # The op saved the very tensor it overwrites: keep its old value (PyTorch's original_self).
    from .._tensor.tensor import wrap_array

    old = wrap_array(t._data.copy())
    old.grad_fn, old._output_nr, old._requires_grad = t.grad_fn, t._output_nr, t._requires_grad
    return old


def _rebind_output(entry: Any, t: Any) -> Any:
    if type(entry) is _SavedOutput:
        return _SavedOutput(t._data, t._vc, 0)
    return entry


class CopySlices(BuiltinFunction):
    """The base of a view that was written in place: the old base outside the view's region,
    the new values (``src``) inside it. PyTorch names this node ``CopySlices`` too."""

    operands = ("self", "src")
    formula = "grad_self = grad with the view's region zeroed;  grad_src = grad[view's region]"
    ctx_attributes = ("chain",)
    node_name = "torch::autograd::CopySlices"
    aten_name = "aten::copy_"

    @staticmethod
    def forward(ctx: Any, base: np.ndarray, src: np.ndarray, chain: tuple) -> np.ndarray:
        ctx.chain = chain
        return base  # the storage already holds the new values

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        chain = ctx.chain
        keep = np.ones(grad.shape, dtype=bool)
        region = apply_view_chain(chain, keep)
        (region if region.flags.writeable else _writable_alias(region))[...] = False  # an expand
        if _math.is_tensor(grad):
            return grad * _make_const(keep), apply_view_chain(chain, grad)
        return grad * keep, apply_view_chain(chain, grad)


def _make_const(array: np.ndarray) -> Any:
    from .._tensor.tensor import wrap_array

    return wrap_array(array)


def rebase_view(view: Any, new_value: Any) -> None:
    """After ``view``'s storage was written in place with ``new_value`` (a Tensor carrying the
    graph of the new values), give its base a CopySlices node and re-derive the view from it
    (``check_view_write`` has vetted the view before the write)."""
    base = view._base
    result = CopySlices.apply(base, new_value, view._view_chain)
    base.grad_fn, base._output_nr = result.grad_fn, 0
    refresh_view(view)
