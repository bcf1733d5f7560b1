"""``addmm``: ``beta * input + alpha * (mat1 @ mat2)`` in one node, AddmmBackward0, which is
how nn.Linear records a batch through a layer (``addmm(bias, x, weight.t())``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor.tensor import Tensor
from ..graph.function import BuiltinFunction
from ._checks import tensor_arg
from ._linalg_checks import check_addmm
from .linalg import product_like, swap_last

__all__ = ["addmm"]

_ndarray = np.ndarray


class Addmm(BuiltinFunction):
    """``beta * input + alpha * (mat1 @ mat2)``: AddmmBackward0 (nn.Linear's op)."""

    operands = ("self", "mat1", "mat2")
    ctx_attributes = ("beta", "alpha")
    saves = ("mat1", "mat2")
    formula = (
        "grad_self = beta * grad;  grad_mat1 = alpha * grad @ mat2.T;  grad_mat2 = alpha * mat1.T @ grad"
    )

    @staticmethod
    def forward(
        ctx: Any, bias: np.ndarray, m1: np.ndarray, m2: np.ndarray, beta: Any, alpha: Any
    ) -> np.ndarray:
        ctx.beta, ctx.alpha = beta, alpha
        out = m1 @ m2
        if alpha != 1:
            np.multiply(out, alpha, out=out, casting="unsafe")
        if beta == 1:
            out += bias
        elif beta != 0:  # beta == 0 ignores input entirely (nan and inf included), as PyTorch
            out += bias * beta
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        m1, m2 = ctx.saved_tensors
        fns = ctx.next_functions
        beta, alpha = ctx.beta, ctx.alpha
        g_bias = g1 = g2 = None
        if fns[0][0] is not None:  # at the output's shape: the engine sums it to the bias's
            g_bias = grad if beta == 1 else grad * beta
        if fns[1][0] is not None:
            g1 = _scaled(product_like(m1, grad, swap_last(m2)), alpha)
        if fns[2][0] is not None:
            g2 = _scaled(product_like(m2, swap_last(m1), grad), alpha)
        return g_bias, g1, g2


def _scaled(x: Any, alpha: Any) -> Any:
    if alpha == 1:
        return x
    if type(x) is _ndarray:
        x *= alpha  # a fresh product: scaling it in place saves an array
        return x
    return x * alpha


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """``beta * input + alpha * (mat1 @ mat2)``; ``input`` broadcasts to the product's shape."""
    tensor_arg("addmm", "input", 1, input)
    tensor_arg("addmm", "mat1", 2, mat1)
    tensor_arg("addmm", "mat2", 3, mat2)
    dt = check_addmm(input._data, mat1._data, mat2._data)
    if dt.kind in "iu":  # integer products take integer scalars, truncated as in PyTorch
        beta, alpha = int(beta), int(alpha)
    return Addmm.apply(input, mat1, mat2, beta, alpha)


def _addmm_method(self: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    return addmm(self, mat1, mat2, beta=beta, alpha=alpha)


TENSOR_METHODS = {"addmm": _addmm_method}
