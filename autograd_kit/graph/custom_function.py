"""apply/backward for user-defined Functions, which follow PyTorch's Tensor-in/Tensor-out contract."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from .. import grad_mode
from .._tensor.tensor import Tensor
from .builtin_apply import edge as _edge
from .ctx import SavedOutput as _SavedOutput
from .diagnostics import forward_stack
from .function import Function
from .node import node_order
from .switches import SWITCHES

__all__ = ["apply_custom", "call_custom_backward", "once_differentiable"]


def apply_custom(cls: type, args: tuple) -> Any:
    """Run a user Function's forward under no_grad and attach its node to the outputs."""
    from .._tensor.tensor import Tensor, wrap_array

    positions = tuple(i for i, a in enumerate(args) if isinstance(a, Tensor))
    needs = grad_mode._state.enabled and any(args[i].requires_grad for i in positions)
    node = cls._backward_cls()
    node._tensor_positions = positions
    node._n_args = len(args)
    # One flag per forward argument (non-Tensors False), readable in forward as in PyTorch.
    node._needs_input_grad = tuple(needs and isinstance(a, Tensor) and a.requires_grad for a in args)
    with grad_mode.no_grad():
        outputs = cls.forward(node, *args)
    single = not isinstance(outputs, tuple)
    outs = (outputs,) if single else outputs
    if not needs:
        return outputs
    node.next_functions = tuple(_edge(args[i]) for i in positions)
    node._seq = next(node_order)
    if SWITCHES.trace_forward:
        node._anomaly_trace = forward_stack()
    dirty = {id(t) for t in node._dirty}
    non_diff = {id(t) for t in node._non_differentiable}
    inputs = {id(a) for a in args}
    results, meta = [], []
    for nr, out in enumerate(outs):
        if not isinstance(out, Tensor):
            results.append(out)
            meta.append(((), np.dtype(np.float32)))
            node._non_tensor_outputs = (*node.__dict__.get("_non_tensor_outputs", ()), nr)
            continue
        if id(out) in dirty:
            if out.grad_fn is None and out._requires_grad:
                raise RuntimeError(
                    "a leaf Variable that requires grad has been used in an in-place operation."
                )
            out._vc[0] += 1  # PyTorch bumps a dirty tensor's version once more on top of forward's
        elif id(out) in inputs:
            shared = wrap_array(out._data)
            shared._vc = out._vc
            out = shared
        meta.append((out._data.shape, out._data.dtype))
        if id(out) not in non_diff and out._data.dtype.kind in "fc":
            out.grad_fn = node
            out._output_nr = nr
            out._requires_grad = False
        results.append(out)
    node._meta = tuple(meta)
    if node._saved:
        by_id = {id(t): (nr, t) for nr, t in enumerate(results) if isinstance(t, Tensor)}
        node._saved = tuple(
            _SavedOutput(by_id[id(t)][1]._data, by_id[id(t)][1]._vc, by_id[id(t)][0])
            if id(t) in by_id and (id(t) not in inputs or id(t) in dirty)
            else t
            for t in node._saved
        )
        # Saved outputs (a dirty input is one) are checked against their version after forward,
        # and kept as data so that tensor -> node -> tensor forms no reference cycle.
        node._versions_at_save = tuple(
            e.version if type(e) is _SavedOutput else v for e, v in zip(node._saved, node._versions_at_save)
        )
    return results[0] if single else tuple(results)


def call_custom_backward(cls: type, node: Any, grads: list) -> tuple:
    """Call a user backward with Tensors and return its gradients for the tensor inputs."""
    from .._tensor.tensor import Tensor, wrap_array

    wrapped = []
    non_tensor = node.__dict__.get("_non_tensor_outputs", ())  # these get None, as in PyTorch
    for nr, (g, (shape, dtype)) in enumerate(zip(grads, node._meta)):
        if g is None and node.materialize_grads and nr not in non_tensor:
            g = np.zeros(shape, dtype)
        wrapped.append(g if g is None or isinstance(g, Tensor) else wrap_array(np.asarray(g)))
    result = cls.backward(node, *wrapped)
    if not isinstance(result, tuple):
        result = (result,)
    if len(result) > node._n_args and all(g is None for g in result[node._n_args :]):
        result = result[: node._n_args]  # PyTorch tolerates extra gradients only when all None
    if len(result) != node._n_args:
        raise RuntimeError(
            f"function {node.name()} returned an incorrect number of gradients "
            f"(expected {node._n_args}, got {len(result)})"
        )
    picked = []
    arrays = not grad_mode._state.enabled
    for i in node._tensor_positions:
        g = result[i]
        if g is not None and not isinstance(g, Tensor):
            raise RuntimeError(f"expected Variable or None (got {type(g).__name__})")
        picked.append(g._data if arrays and g is not None else g)
    return tuple(picked)


class _DelayedError(Function):
    """Stands in for the graph a once_differentiable backward did not record."""

    node_name = "Error"

    @staticmethod
    def forward(ctx: Any, *grads: Any) -> Any:
        return grads[0] if len(grads) == 1 else grads

    @staticmethod
    def backward(ctx: Any, *grads: Any) -> Any:
        raise RuntimeError(
            "trying to differentiate twice a function that was marked with @once_differentiable"
        )


def once_differentiable(fn: Any) -> Any:
    """Mark a custom backward as not itself differentiable (runs without recording)."""

    @functools.wraps(fn)
    def wrapper(ctx: Any, *args: Any) -> Any:
        with grad_mode.no_grad():
            outputs = fn(ctx, *args)
        if not grad_mode._state.enabled or not any(isinstance(a, Tensor) and a.requires_grad for a in args):
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
