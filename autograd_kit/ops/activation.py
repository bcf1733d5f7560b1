"""Elementwise activations: ``relu``, ``sigmoid``, ``tanh`` and their in-place spellings. Each
saves its result (as PyTorch does), so backward reuses the forward's work."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor.tensor import Tensor
from ..graph.function import BuiltinFunction
from . import _math
from ._argcheck import floating_forward, unary_op
from .inplace import apply_inplace

__all__ = ["relu", "sigmoid", "tanh", "relu_", "sigmoid_", "tanh_"]

# 0-d constants of each dtype: NumPy's Python-scalar promotion costs more than the ufunc itself.
_ZERO = {
    np.dtype(t): np.zeros((), t) for t in (np.float16, np.float32, np.float64, np.int8, np.int16, np.int32)
}
_ZERO.update({np.dtype(t): np.zeros((), t) for t in (np.int64, np.uint8)})
_ONE = {dt: np.ones((), dt) for dt in _ZERO if dt.kind == "f"}


class Relu(BuiltinFunction):
    operands = ("self",)
    saves = ("result",)
    formula = "grad_self = grad * (result > 0)"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        if x.dtype.kind == "b":
            raise RuntimeError("Boolean inputs not supported for relu")
        return np.maximum(x, _ZERO[x.dtype])  # NaN stays NaN, as PyTorch

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (result,) = ctx.saved_tensors
        # PyTorch's threshold_backward: the gradient is blocked where the output is <= 0 and
        # passes elsewhere, NaN outputs included.
        if type(grad) is not np.ndarray:  # a graph of the backward (create_graph)
            return _math.where(_math.data(result) <= 0, 0, grad)
        if grad.size > 1024 and grad.dtype.itemsize in _INT_OF_SIZE and grad.shape == result.shape:
            # Masking the bits gives exactly where(mask, grad, +0.) (NaN and -0. included), ~20x
            # faster than np.where on large arrays, whose per-element branch mispredicts on ReLU's
            # random masks (small arrays keep np.where: fewer calls). The bool mask is turned
            # into -1 (pass) / 0 (block) in place as bytes and then widened: faster than a
            # casting negative.
            mask = (result <= 0).view(np.int8)
            mask -= 1
            bits = mask.astype(_INT_OF_SIZE[grad.dtype.itemsize])
            bits &= grad.view(bits.dtype)
            return bits.view(grad.dtype)
        return np.where(result <= 0, 0, grad)


_INT_OF_SIZE = {2: np.int16, 4: np.int32, 8: np.int64}


def _sigmoid(x: np.ndarray) -> np.ndarray:
    one = _ONE[x.dtype]
    # exp overflows to inf for very negative x, which gives exactly 0, as PyTorch.
    return np.divide(one, np.add(np.exp(np.negative(x)), one))


class Sigmoid(BuiltinFunction):
    operands = ("self",)
    saves = ("result",)
    formula = "grad_self = grad * result * (1 - result)"
    forward = floating_forward(_sigmoid, "sigmoid", quiet=True)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (result,) = ctx.saved_tensors
        return _math.times_grad(result * (1 - result), grad)


class Tanh(BuiltinFunction):
    operands = ("self",)
    saves = ("result",)
    formula = "grad_self = grad * (1 - result**2)"
    forward = floating_forward(np.tanh, "tanh")  # np.tanh never warns, even for inf and nan

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (result,) = ctx.saved_tensors
        return _math.times_grad(1 - result * result, grad)


relu = unary_op(Relu, "relu", "``max(input, 0)``; the gradient at 0 is 0, as PyTorch.")
sigmoid = unary_op(Sigmoid, "sigmoid", "``1 / (1 + exp(-input))``.")
tanh = unary_op(Tanh, "tanh", "Hyperbolic tangent.")


def relu_(input: Tensor) -> Tensor:
    """In-place ``relu``."""
    return apply_inplace(Relu, input)


def sigmoid_(input: Tensor) -> Tensor:
    """In-place ``sigmoid``."""
    return apply_inplace(Sigmoid, input)


def tanh_(input: Tensor) -> Tensor:
    """In-place ``tanh``."""
    return apply_inplace(Tanh, input)


TENSOR_METHODS = {fn.__name__: fn for fn in (relu, sigmoid, tanh, relu_, sigmoid_, tanh_)}
