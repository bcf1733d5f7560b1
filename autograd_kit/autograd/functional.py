"""``autograd.functional``: jacobian, hessian, vjp, jvp, hvp and vhp of a Python function, with
PyTorch's signatures, return structure (tuples in, tuples out) and strict-mode errors.

Forward-mode products (jvp, hvp) use the double-backward trick: the gradient of ``J^T u`` with
respect to a dummy ``u`` is ``J v``, so they need only reverse mode with ``create_graph=True``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import grad_mode
from .._tensor.tensor import Tensor, wrap_array
from ._functional_checks import (
    SINGLE_V,
    as_tuple,
    check_requires_grad,
    fill_zeros,
    finish,
    grad_or_none,
    graph_ctx,
    prepare,
    untuple,
    validate_v,
)

__all__ = ["jacobian", "hessian", "vjp", "jvp", "hvp", "vhp"]


def vjp(
    func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple:
    """``(func(inputs), v^T J)``: the vector-Jacobian product at ``inputs``."""
    with grad_mode.enable_grad():
        in_tuple, ins = as_tuple(inputs, "inputs", "vjp")
        ins = prepare(ins, create_graph, True)
        out_tuple, outs = as_tuple(func(*ins), "outputs of the user-provided function", "vjp")
        check_requires_grad(outs, "outputs", strict)
        if v is not None:
            vs = prepare(as_tuple(v, "v", "vjp")[1], create_graph, False)
            validate_v(vs, outs, out_tuple)
        else:
            if len(outs) != 1 or outs[0].numel() != 1:
                raise RuntimeError(
                    "The vector v can only be None if the user-provided function returns a single Tensor "
                    "with a single element."
                )
            vs = None
    with graph_ctx(create_graph):
        result = fill_zeros(grad_or_none(outs, ins, vs, create_graph), ins, strict, create_graph, "back")
    return untuple(finish(outs, create_graph), out_tuple), untuple(finish(result, create_graph), in_tuple)


def _v_for_inputs(v: Any, ins: tuple, in_tuple: bool, create_graph: bool, fn_name: str) -> tuple:
    if v is not None:
        vs = prepare(as_tuple(v, "v", fn_name)[1], create_graph, False)
        validate_v(vs, ins, in_tuple)
        return vs
    if len(ins) != 1 or ins[0].numel() != 1:
        raise RuntimeError(SINGLE_V)
    return (wrap_array(np.ones_like(ins[0]._data)),)


def jvp(
    func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple:
    """``(func(inputs), J v)``: the Jacobian-vector product (by the double-backward trick)."""
    with grad_mode.enable_grad():
        in_tuple, ins = as_tuple(inputs, "inputs", "jvp")
        ins = prepare(ins, create_graph, True)
        vs = _v_for_inputs(v, ins, in_tuple, create_graph, "jvp")
        out_tuple, outs = as_tuple(func(*ins), "outputs of the user-provided function", "jvp")
        check_requires_grad(outs, "outputs", strict)
        dummies = tuple(wrap_array(np.zeros_like(o._data)).requires_grad_() for o in outs)
        grad_inputs = grad_or_none(outs, ins, dummies, create_graph=True)
        check_requires_grad(grad_inputs, "grad_inputs", strict)
    with graph_ctx(create_graph):
        result = fill_zeros(
            grad_or_none(grad_inputs, dummies, vs, create_graph), outs, strict, create_graph, "back_trick"
        )
    return untuple(finish(outs, create_graph), out_tuple), untuple(finish(result, create_graph), out_tuple)


def _stack_rows(rows: list, shape: tuple, create_graph: bool) -> Tensor:
    if create_graph:
        from ..ops.join import stack

        return stack(rows).reshape(shape)
    return wrap_array(np.stack([r._data for r in rows]).reshape(shape))


def jacobian(
    func: Callable,
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    strategy: str = "reverse-mode",
) -> Any:
    """d func / d inputs; each block has shape ``output.shape + input.shape``; tuples nest (out, in)."""
    if strategy != "reverse-mode":
        raise NotImplementedError(
            "autograd_kit computes Jacobians in reverse mode only (strategy='reverse-mode')."
        )
    with grad_mode.enable_grad():
        in_tuple, ins = as_tuple(inputs, "inputs", "jacobian")
        ins = prepare(ins, create_graph, True)
        out_tuple, outs = as_tuple(func(*ins), "outputs of the user-provided function", "jacobian")
        check_requires_grad(outs, "outputs", strict)
        blocks = []
        for i, out in enumerate(outs):
            rows: list[list] = [[] for _ in ins]
            for k in range(out.numel()):
                seed = np.zeros(out._data.size, dtype=out._data.dtype)
                seed[k] = 1
                seed_t = wrap_array(seed.reshape(out._data.shape))
                grads = grad_or_none((out,), ins, (seed_t,), create_graph)
                for j, (g, inp) in enumerate(zip(grads, ins)):
                    if g is None:
                        if strict:
                            raise RuntimeError(
                                f"Output {i} of the user-provided function is independent of input {j}. "
                                "This is not allowed in strict mode."
                            )
                        g = wrap_array(np.zeros_like(inp._data))
                    elif strict and create_graph and not g.requires_grad:
                        raise RuntimeError(
                            f"The jacobian of the user-provided function is independent of input {i}. "
                            "This is not allowed in strict mode when create_graph=True."
                        )
                    rows[j].append(g)
            blocks.append(
                tuple(
                    _stack_rows(r, tuple(out.shape) + tuple(inp.shape), create_graph)
                    if r
                    else _empty(out, inp)
                    for r, inp in zip(rows, ins)
                )
            )
    blocks = [finish(b, create_graph) for b in blocks]
    if out_tuple:
        return tuple(b if in_tuple else b[0] for b in blocks)
    return blocks[0] if in_tuple else blocks[0][0]


def _empty(out: Tensor, inp: Tensor) -> Tensor:
    return wrap_array(np.zeros(tuple(out.shape) + tuple(inp.shape), dtype=inp._data.dtype))


def _single_output(func: Callable, strict: bool, fn_name: str) -> Callable:
    def wrapped(*args: Any) -> Tensor:
        out = func(*args)
        out_tuple, outs = as_tuple(out, "outputs of the user-provided function", fn_name)
        check_requires_grad(outs, "outputs", strict)
        if out_tuple or not isinstance(out, Tensor):
            raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
        if out.numel() != 1:
            raise RuntimeError(
                f"The Tensor returned by the function given to {fn_name} should contain a single element"
            )
        return out.reshape(())

    return wrapped


def hessian(
    func: Callable,
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    outer_jacobian_strategy: str = "reverse-mode",
) -> Any:
    """Second derivatives of a scalar ``func``; with a tuple of inputs, a tuple of tuples of blocks."""
    in_tuple, ins = as_tuple(inputs, "inputs", "hessian")
    scalar_func = _single_output(func, strict, "hessian")

    def jac_func(*args: Any) -> tuple:
        jac = jacobian(scalar_func, args, create_graph=True)
        check_requires_grad(jac, "jacobian", strict)
        return jac

    res = jacobian(jac_func, ins, create_graph=create_graph, strict=strict, strategy=outer_jacobian_strategy)
    if in_tuple:
        return res
    return res[0][0]


def _hessian_setup(
    func: Callable, inputs: Any, v: Any, create_graph: bool, strict: bool, fn_name: str
) -> tuple:
    with grad_mode.enable_grad():
        in_tuple, ins = as_tuple(inputs, "inputs", fn_name)
        ins = prepare(ins, create_graph, True)
        vs = _v_for_inputs(v, ins, in_tuple, create_graph, fn_name)
        out = func(*ins)
        out_tuple, outs = as_tuple(out, "outputs of the user-provided function", fn_name)
        check_requires_grad(outs, "outputs", strict)
        if out_tuple or not isinstance(outs[0], Tensor):
            raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
        if outs[0].numel() != 1:
            raise RuntimeError(
                f"The Tensor returned by the function given to {fn_name} should contain a single element"
            )
        jac = grad_or_none(outs, ins, create_graph=True)
        check_requires_grad(jac, "jacobian", strict)
    return in_tuple, ins, vs, out_tuple, outs, jac


def vhp(
    func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple:
    """``(func(inputs), v^T H)`` for a scalar ``func``."""
    in_tuple, ins, vs, out_tuple, outs, jac = _hessian_setup(func, inputs, v, create_graph, strict, "vhp")
    with graph_ctx(create_graph):
        result = fill_zeros(
            grad_or_none(jac, ins, vs, create_graph), ins, strict, create_graph, "double_back"
        )
    return untuple(finish(outs, create_graph), out_tuple), untuple(finish(result, create_graph), in_tuple)


def hvp(
    func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple:
    """``(func(inputs), H v)`` for a scalar ``func`` (by the double-backward trick)."""
    in_tuple, ins, vs, out_tuple, outs, jac = _hessian_setup(func, inputs, v, create_graph, strict, "hvp")
    with grad_mode.enable_grad():
        dummies = tuple(wrap_array(np.zeros_like(t._data)).requires_grad_() for t in ins)
        double_back = grad_or_none(jac, ins, dummies, create_graph=True)
        check_requires_grad(jac, "hessian", strict)
    with graph_ctx(create_graph):
        grads = grad_or_none(double_back, dummies, vs, create_graph)
        result = fill_zeros(grads, ins, strict, create_graph, "double_back_trick")
    return untuple(finish(outs, create_graph), out_tuple), untuple(finish(result, create_graph), in_tuple)
