"""``nn.functional``: the stateless layer and loss functions behind the ``nn`` modules."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

import autograd_kit as _torch

from .._tensor.tensor import Tensor
from ..ops._argcheck import cpp_type_name
from ..ops.addmm import Addmm
from ..random import numpy_rng
from . import _functional_loss
from ._functional_loss import *  # noqa: F403

__all__ = [
    "linear",
    "relu",
    "tanh",
    "sigmoid",
    "softmax",
    "log_softmax",
    "dropout",
    *_functional_loss.__all__,
]


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias``; a 2-D input with bias records ``AddmmBackward0`` as PyTorch."""
    if not (
        isinstance(input, Tensor)
        and isinstance(weight, Tensor)
        and (bias is None or isinstance(bias, Tensor))
    ):
        for pos, (name, value) in enumerate((("input", input), ("weight", weight), ("bias", bias)), 1):
            if not isinstance(value, Tensor) and (value is not None or name != "bias"):
                raise TypeError(
                    f"linear(): argument '{name}' (position {pos}) must be Tensor, not {type(value).__name__}"
                )
    x, w = input._data, weight._data
    if x.ndim == 2 and w.ndim == 2 and x.shape[1] == w.shape[1] and x.dtype == w.dtype:
        # nn.Linear's path, checked here once: the op is applied directly (PyTorch's AddmmBackward0).
        if bias is None:
            return input.mm(weight.t())
        if bias._data.shape == w.shape[:1] and bias._data.dtype == x.dtype:
            return Addmm.apply(bias, input, weight.t(), 1, 1)
        return _torch.addmm(bias, input, weight.t())
    _check_linear(x, w)
    if x.ndim == 2:
        return input.mm(weight.t()) if bias is None else _torch.addmm(bias, input, weight.t())
    # Other ranks run as one matrix product over the flattened leading dims (PyTorch's view trick).
    flat = input.reshape(-1, x.shape[-1])
    out = flat.mm(weight.t()) if bias is None else _torch.addmm(bias, flat, weight.t())
    return out.reshape(*x.shape[:-1], w.shape[0])


def _check_linear(x: np.ndarray, w: np.ndarray) -> None:
    if not x.ndim or not w.ndim:
        raise RuntimeError(
            f"both arguments to linear need to be at least 1D, but they are {x.ndim}D and {w.ndim}D"
        )
    if x.shape[-1] != w.shape[-1]:
        rows = int(np.prod(x.shape[:-1], dtype=np.int64))
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{x.shape[-1]} and {w.shape[-1]}x{w.shape[0]})"
        )
    if x.dtype != w.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {cpp_type_name(x.dtype)} != {cpp_type_name(w.dtype)}"
        )


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """``max(input, 0)`` elementwise."""
    return input.relu_() if inplace else input.relu()


def tanh(input: Tensor) -> Tensor:
    """Hyperbolic tangent elementwise."""
    return input.tanh()


def sigmoid(input: Tensor) -> Tensor:
    """``1 / (1 + exp(-input))`` elementwise."""
    return input.sigmoid()


def _softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as an argument.",
        UserWarning,
        stacklevel=stacklevel,
    )
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """Softmax along ``dim`` (optionally computed in ``dtype``)."""
    if dim is None:
        dim = _softmax_dim("softmax", input.dim(), _stacklevel)
    return input.softmax(dim) if dtype is None else input.to(dtype).softmax(dim)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """``log(softmax(input))`` along ``dim``, computed stably."""
    if dim is None:
        dim = _softmax_dim("log_softmax", input.dim(), _stacklevel)
    return input.log_softmax(dim) if dtype is None else input.to(dtype).log_softmax(dim)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by ``1/(1-p)`` (training only)."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    data = input._data
    if p == 1.0:
        mask = np.zeros_like(data)
    else:
        keep = numpy_rng().random(data.shape) >= p
        mask = keep.astype(data.dtype) * np.asarray(1.0 / (1.0 - p), dtype=data.dtype)
    return input.mul_(mask) if inplace else input * mask
