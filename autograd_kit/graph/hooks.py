"""What the engine does around a node besides running it: tensor/node hooks (which see Tensors,
as in PyTorch), accumulation into ``.grad``, and the step record widgets replay (``record_steps``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from threading import Lock
from typing import Any, NamedTuple

import numpy as np

from .._tensor.tensor import Tensor, wrap_array
from ..dtypes import from_numpy_dtype
from .node import AccumulateGrad, Node

__all__ = [
    "BackwardStep",
    "record_steps",
    "run_pre_hooks",
    "run_post_hooks",
    "record",
    "snapshot",
    "recorders",
    "accumulate_into_grad",
]


def accumulate_into_grad(variable: Tensor, g: Any) -> None:
    """Add ``g`` to ``variable.grad``, in place when no graph is being built (as PyTorch).

    Atomic per leaf: backward passes in several threads may meet at one leaf, and NumPy releases
    the GIL inside ``+=``, so two unguarded read-modify-writes would lose one of the updates."""
    lock = variable.__dict__.get("_grad_lock")
    if lock is None:  # setdefault is atomic: two threads racing here still share one lock
        lock = variable.__dict__.setdefault("_grad_lock", Lock())
    with lock:
        old = variable._grad
        if isinstance(g, Tensor):
            variable._grad = g if old is None else old + g
        elif old is None:
            variable._grad = wrap_array(g if type(g) is np.ndarray else np.asarray(g))
        elif old.grad_fn is None and old._data.flags.writeable:
            old._data += g
        else:
            variable._grad = wrap_array(old._data + g)


# The lists that record_steps() blocks are filling; the engine records only when one is open.
recorders: list[list] = []


class BackwardStep(NamedTuple):
    """One node execution: what arrived, what it sent along ``next_functions``."""

    index: int
    node: Node
    grad_outputs: tuple  # gradients w.r.t. the node's forward outputs (what arrived)
    grad_inputs: tuple  # one per next_functions edge (None where nothing flows)
    grad_before: Any = None  # AccumulateGrad only: the leaf's .grad before and after
    grad_after: Any = None


@contextlib.contextmanager
def record_steps() -> Iterator[list[BackwardStep]]:
    """Record every node execution of backward passes run inside the block."""
    steps: list[BackwardStep] = []
    recorders.append(steps)
    try:
        yield steps
    finally:
        recorders.remove(steps)


def snapshot(value: Any) -> Any:
    """A copy of a gradient (array or Tensor) as it is now, for the step record."""
    if value is None:
        return None
    data = value._data if isinstance(value, Tensor) else value
    return np.array(data, copy=True)


def run_pre_hooks(
    node: Node, grads: list, graph: bool, tensor_level: bool = True, node_level: bool = True
) -> list:
    """Run tensor hooks (and retain_grad) per output, a leaf's hooks, then node pre-hooks."""
    grads = list(grads)
    hooked = False
    if tensor_level and (node._tensor_pre_hooks or node._retain_grad_hooks):
        for nr in range(len(grads)):
            if grads[nr] is None:
                continue
            for hook in (node._tensor_pre_hooks or {}).get(nr, {}).copy().values():
                out = hook(grads[nr] if graph else wrap_array(grads[nr]))
                if out is not None:
                    grads[nr] = _checked(hook, out, grads[nr], graph)
            ref = (node._retain_grad_hooks or {}).get(nr)
            tensor = ref() if ref is not None else None
            if tensor is not None:
                g = grads[nr]
                accumulate_into_grad(tensor, g if graph else np.array(g, copy=True))
    if tensor_level and type(node) is AccumulateGrad and node.variable._hooks:
        for hook in node.variable._hooks.copy().values():
            out = hook(grads[0] if graph else wrap_array(grads[0]))
            hooked = True
            if out is not None:
                grads[0] = _checked(hook, out, grads[0], graph)
    if node_level and node._pre_hooks:
        for hook in node._pre_hooks.copy().values():
            out = hook(tuple(grads if graph else (_wrap(g) for g in grads)))
            hooked = True
            if out is not None:
                _check_count(hook, out, len(grads))
                grads = [None if o is None else _checked(hook, o, g, graph) for o, g in zip(out, grads)]
    if hooked and not graph and type(node) is AccumulateGrad and grads[0] is not None:
        # A hook saw (or returned) this gradient and may keep it: .grad gets its own copy, or
        # later accumulation in place would change what the user holds (PyTorch copies too).
        grads[0] = np.array(grads[0], copy=True)
    return grads


def _hook_name(hook: Any) -> str:
    return getattr(hook, "__name__", type(hook).__name__)


def _checked(hook: Any, value: Any, old: Any, graph: bool) -> Any:
    """A hook's replacement for gradient ``old``, checked as PyTorch checks it, in the form the
    engine holds gradients (an array in a plain backward, a Tensor under create_graph)."""
    if not isinstance(value, Tensor):
        raise TypeError(
            f"expected Variable, but hook returned '{type(value).__name__}' (hook '{_hook_name(hook)}')"
        )
    new = value._data
    if old is not None:
        was = old._data if isinstance(old, Tensor) else old
        if new.shape != was.shape:
            raise RuntimeError(f"hook '{_hook_name(hook)}' has changed the size of value")
        if new.dtype != was.dtype:
            raise RuntimeError(
                f"hook '{_hook_name(hook)}' has changed the type of value (was torch."
                f"{from_numpy_dtype(was.dtype).tensor_type} got torch.{from_numpy_dtype(new.dtype).tensor_type})"
            )
    return value if graph else new


def _check_count(hook: Any, values: Any, expected: int) -> None:
    """A node hook returns one value per gradient, in a tuple (PyTorch refuses a list too)."""
    if not isinstance(values, tuple):
        raise TypeError(f"expected tuple, but hook returned '{type(values).__name__}'")
    if len(values) != expected:
        raise RuntimeError(
            f"hook '{_hook_name(hook)}' has returned an incorrect number of values "
            f"(got {len(values)}, but expected {expected})"
        )


def _wrap(g: Any) -> Any:
    return None if g is None else wrap_array(g)


def run_post_hooks(node: Node, outs: tuple, grads: list, graph: bool) -> tuple:
    """Run ``node.register_hook`` hooks on what the node sends on; a return replaces it."""
    for hook in node._hooks.copy().values():
        # Hooks see Tensors, as in PyTorch, also in a plain (array) backward.
        if graph:
            replaced = hook(tuple(outs), tuple(grads))
        else:
            replaced = hook(tuple(_wrap(g) for g in outs), tuple(_wrap(g) for g in grads))
        if replaced is not None:
            _check_count(hook, replaced, len(outs))
            new = []
            for value, old in zip(replaced, outs):
                if value is not None and old is None:
                    raise RuntimeError("can't replace a None gradient with a non-None value")
                new.append(None if value is None else _checked(hook, value, old, graph))
            outs = tuple(new)
    return outs


def record(node: Node, grads: list, outs: tuple, before: Any) -> None:
    """Append this node's step to every open ``record_steps()`` list."""
    after = snapshot(node.variable._grad) if type(node) is AccumulateGrad else None
    for steps in recorders:
        steps.append(
            BackwardStep(
                len(steps),
                node,
                tuple(snapshot(g) for g in grads),
                tuple(snapshot(g) for g in outs),
                before,
                after,
            )
        )
