"""Backward-graph nodes: the Node protocol (name, next_functions, hooks) and AccumulateGrad."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._tensor.tensor import Tensor

__all__ = ["Node", "AccumulateGrad", "RemovableHandle"]

# Creation order; the engine runs ready nodes newest-first, as PyTorch's ready queue does.
node_order = itertools.count()


class RemovableHandle:
    """Handle returned by ``register_hook``; ``remove()`` unregisters the hook."""

    __slots__ = ("_hooks", "_key")
    _ids = itertools.count()

    def __init__(self, hooks: dict) -> None:
        self._hooks = hooks
        self._key = next(RemovableHandle._ids)

    def remove(self) -> None:
        """Unregister the hook (idempotent)."""
        self._hooks.pop(self._key, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def add_hook(hooks: dict | None, fn: Callable) -> tuple[dict, RemovableHandle]:
    """Add ``fn`` to an ordered hook dict (creating it) and return the dict and its handle."""
    if not callable(fn):
        raise TypeError(f"hook must be callable, got {type(fn).__name__}")
    hooks = {} if hooks is None else hooks
    handle = RemovableHandle(hooks)
    hooks[handle._key] = fn
    return hooks, handle


class Node:
    """A node of the backward graph.

    Public protocol, shared with PyTorch: ``name()``, ``next_functions`` (a tuple of
    ``(node_or_None, input_nr)``), ``register_hook``, ``register_prehook``, ``metadata``.
    ``_meta`` holds ``(shape, numpy dtype)`` of each forward output, which the engine uses to
    reduce broadcast gradients and cast them to the input's dtype once, for every op. Output 0's
    pair is kept as ``_shape``/``_dtype`` (plain attributes, read by the engine), so a node of
    one output stores no tuples for it: every tuple that holds a node is one more object for
    Python's cyclic GC to scan on each full collection of a large graph.
    """

    # Class-level defaults keep node creation cheap: instances set only what they use.
    next_functions: tuple = ()
    _shape: tuple = ()
    _dtype: Any = None  # None: the node has no outputs (or they are not known)
    _n_outputs = 1
    _outputs_meta: tuple | None = None  # nodes of several outputs: every (shape, dtype)
    _hooks: dict | None = None
    _pre_hooks: dict | None = None
    _tensor_pre_hooks: dict | None = None
    _metadata: dict | None = None
    _retain_grad_hooks: dict | None = None
    _anomaly_trace: str | None = None
    _saved: tuple | None = ()
    _has_pre_hooks = False
    # Built-in ops: backward(ctx, grad), which the engine's plain path calls directly; None on a
    # node with hooks (see _mark_hooked), so that path checks one attribute per node.
    _single_backward = None

    def name(self) -> str:
        """The node's type name, e.g. ``'MulBackward0'``."""
        return type(self).__name__

    @property
    def _meta(self) -> tuple:
        """``(shape, numpy dtype)`` of each forward output."""
        if self._outputs_meta is not None:
            return self._outputs_meta
        return () if self._dtype is None else ((self._shape, self._dtype),)

    @_meta.setter
    def _meta(self, meta: tuple) -> None:
        meta = tuple(meta)
        self._outputs_meta = meta if len(meta) != 1 else None
        self._n_outputs = len(meta)
        self._shape, self._dtype = meta[0] if meta else ((), None)

    @property
    def metadata(self) -> dict:
        """A dict for user annotations; created on first use."""
        if self._metadata is None:
            self._metadata = {}
        return self._metadata

    def register_hook(self, fn: Callable) -> RemovableHandle:
        """Call ``fn(grad_inputs, grad_outputs)`` after this node runs; a non-None return
        replaces ``grad_inputs`` (the gradients this node sends to its inputs)."""
        self._hooks, handle = add_hook(self._hooks, fn)
        self._mark_hooked(pre=False)
        return handle

    def register_prehook(self, fn: Callable) -> RemovableHandle:
        """Call ``fn(grad_outputs)`` before this node runs; a non-None return replaces them."""
        self._pre_hooks, handle = add_hook(self._pre_hooks, fn)
        self._mark_hooked()
        return handle

    def _mark_hooked(self, pre: bool = True) -> None:
        """Route this node through the engine's hooked path (with ``pre``, running pre-hooks):
        the plain path calls ``_single_backward``, the bare formula, and no hook."""
        self._single_backward = None
        if pre:
            self._has_pre_hooks = True

    def _run_backward(self, grads: list) -> tuple:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {hex(id(self))}>"


class AccumulateGrad(Node):
    """Sink node of a leaf tensor that requires grad: adds incoming gradients to ``.grad``."""

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable
        if variable._hooks:  # the leaf's own tensor hooks run before accumulation
            self._mark_hooked()
        self._seq = float("inf")  # PyTorch gives AccumulateGrad the top priority too
        data = variable._data
        self._shape, self._dtype = data.shape, data.dtype

    def name(self) -> str:
        """PyTorch's name for this node: ``'torch::autograd::AccumulateGrad'``."""
        return "torch::autograd::AccumulateGrad"

    # graph.hooks.accumulate_into_grad, bound by autograd_kit/_bindings.py (hooks import Tensor,
    # which imports this module).
    _accumulate: Any = None

    def _run_backward(self, grads: list) -> tuple:
        self._accumulate(self.variable, grads[0])
        return ()

    @staticmethod
    def _single_backward(node: AccumulateGrad, grad: Any) -> tuple:
        """The engine's direct call: accumulate one gradient, send nothing further."""
        node._accumulate(node.variable, grad)
        return ()

    def __call__(self, *args: Any) -> tuple:
        return self._run_backward(list(args))
