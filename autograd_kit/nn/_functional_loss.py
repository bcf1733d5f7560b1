"""The loss functions of ``nn.functional``: argument checks with PyTorch's messages, then the
loss Functions of ``_loss_ops`` (or a composite where PyTorch records one)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .. import grad_mode
from .._tensor.tensor import Tensor, wrap_array
from ..dtypes import result_numpy_dtype
from ..ops._argcheck import broadcast_error, scalar_type_name
from ._loss_ops import REDUCTIONS, BinaryCrossEntropy, BinaryCrossEntropyWithLogits, MseLoss, NllLoss

__all__ = [
    "mse_loss",
    "l1_loss",
    "nll_loss",
    "cross_entropy",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
]


def reduction_code(size_average: bool | None, reduce: bool | None, reduction: str) -> int:
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = ("mean" if size_average else "sum") if reduce else "none"
        warnings.warn(
            f"size_average and reduce args will be deprecated, please use reduction='{reduction}' instead.",
            UserWarning,
            stacklevel=3,
        )
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return REDUCTIONS[reduction]


def _check_pair(input: Tensor, target: Any) -> None:
    if not isinstance(input, Tensor) or not isinstance(target, Tensor):
        bad, name = (input, "input") if not isinstance(input, Tensor) else (target, "target")
        raise TypeError(f"loss: argument '{name}' must be Tensor, not {type(bad).__name__}")
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
            "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.",
            UserWarning,
            stacklevel=3,
        )
        error = broadcast_error(input._data, target._data)
        if error is not None:
            raise error


def _weighted_pointwise(loss: Tensor, weight: Tensor, reduction: int) -> Tensor:
    if weight.shape != loss.shape:
        raise ValueError("Weights and input must have the same size.")
    loss = loss * weight
    if reduction == 0:
        return loss
    return loss.sum() if reduction == 2 else loss.sum() / weight.sum()


def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mean (or sum) of squared differences; records ``MseLossBackward0``."""
    red = reduction_code(size_average, reduce, reduction)
    _check_pair(input, target)
    dtype = result_numpy_dtype((input._data, target._data))
    if dtype.kind not in "fc":
        raise NotImplementedError(f"\"mse_cpu\" not implemented for '{scalar_type_name(dtype)}'")
    if weight is not None:
        return _weighted_pointwise((input - target) ** 2, weight, red)
    return MseLoss.apply(input, target, red)


def l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mean (or sum) of absolute differences (composite, as PyTorch records it)."""
    red = reduction_code(size_average, reduce, reduction)
    _check_pair(input, target)
    loss = (input - target).abs()
    if weight is not None:
        return _weighted_pointwise(loss, weight, red)
    return loss if red == 0 else (loss.mean() if red == 1 else loss.sum())


def _check_class_target(input: Tensor, target: Any, weight: Tensor | None) -> None:
    if not isinstance(target, Tensor):
        raise TypeError(f"nll_loss(): argument 'target' must be Tensor, not {type(target).__name__}")
    in_shape, t_shape = input._data.shape, target._data.shape
    kind = target._data.dtype
    if kind != np.int64 and kind != np.uint8:
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {scalar_type_name(kind)}")
    if len(in_shape) == 0:
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    if len(in_shape) <= 2 and len(t_shape) > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if len(in_shape) == 1:
        if t_shape and t_shape[0] != 1:
            raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {t_shape[0]}")
    elif not t_shape or t_shape[0] != in_shape[0]:
        got = t_shape[0] if t_shape else 0
        raise ValueError(f"Expected input batch_size ({in_shape[0]}) to match target batch_size ({got}).")
    elif len(in_shape) > 2 and t_shape != in_shape[:1] + in_shape[2:]:
        raise RuntimeError(f"Expected target size {list(in_shape[:1] + in_shape[2:])}, got {list(t_shape)}")
    classes = in_shape[1] if len(in_shape) >= 2 else in_shape[0]
    if weight is not None and weight._data.shape != (classes,):
        raise RuntimeError(
            f"weight tensor should be defined either for all {classes} classes or no classes but got "
            f"weight tensor of shape: {list(weight._data.shape)}"
        )
    if weight is not None and weight._data.dtype != input._data.dtype:
        raise RuntimeError(  # PyTorch's kernels take the weight as it is, in the input's dtype
            f"expected scalar type {scalar_type_name(input._data.dtype)} but found "
            f"{scalar_type_name(weight._data.dtype)}"
        )


def _no_weight_grad(weight: Tensor | None, fn: str, arg: str = "weight") -> np.ndarray | None:
    """The array of a weight argument, which (as in PyTorch) may not require grad."""
    if weight is None:
        return None
    if weight.requires_grad and grad_mode._state.enabled:
        raise RuntimeError(
            f"The function '{fn}' is not differentiable with respect to argument '{arg}'. "
            "This input cannot have requires_grad True."
        )
    return weight._data


def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Negative log-likelihood of class-index ``target`` given log-probabilities ``input``."""
    red = reduction_code(size_average, reduce, reduction)
    _check_class_target(input, target, weight)
    t = target._data
    if input._data.ndim == 1:
        t = t.reshape(())
    return NllLoss.apply(input, t, _no_weight_grad(weight, "nll_loss_forward"), red, ignore_index)


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """``nll_loss(log_softmax(input))`` for class indices; soft-label cross entropy for probabilities."""
    red = reduction_code(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    class_dim = 1 if input.dim() >= 2 else 0
    if isinstance(target, Tensor) and target._data.dtype.kind == "f" and target.shape == input.shape:
        return _soft_cross_entropy(input, target, weight, red, label_smoothing, class_dim)
    _check_class_target(input, target, weight)
    logp = input.log_softmax(class_dim)
    t = target._data.reshape(()) if input._data.ndim == 1 else target._data
    nll = NllLoss.apply(logp, t, _no_weight_grad(weight, "nll_loss_forward"), red, ignore_index)
    if not label_smoothing:
        return nll
    return nll * (1 - label_smoothing) + _smooth_term(logp, t, weight, red, ignore_index, class_dim) * (
        label_smoothing / input.shape[class_dim]
    )


def _smooth_term(
    logp: Tensor, t: np.ndarray, weight: Tensor | None, red: int, ignore: int, class_dim: int
) -> Tensor:
    """PyTorch's label-smoothing part: ``-sum_c w_c log p_c`` per sample, ignored samples zeroed."""
    if weight is not None:
        shape = [1] * logp.dim()
        shape[class_dim] = logp.shape[class_dim]
        logp = logp * weight.reshape(*shape)
    keep = t != ignore
    # Filled, not multiplied by the mask: when every target is ignored the mean divides by 0,
    # and inf * 0 would send nan into the input's gradient (PyTorch's masked_fill_ sends 0).
    smooth = (-logp.sum(class_dim)).masked_fill(wrap_array(~keep), 0.0)
    if red == 0:
        return smooth
    if red == 2:
        return smooth.sum()
    denom = keep.sum() if weight is None else weight._data[t[keep]].sum()
    return smooth.sum() / float(denom)


def _soft_cross_entropy(
    input: Tensor, target: Tensor, weight: Tensor | None, red: int, smoothing: float, class_dim: int
) -> Tensor:
    classes = input.shape[class_dim]
    if smoothing:
        target = target * (1 - smoothing) + smoothing / classes
    logp = input.log_softmax(class_dim)
    if weight is not None:
        shape = [1] * input.dim()
        shape[class_dim] = classes
        logp = logp * weight.reshape(*shape)
    loss = -(logp * target).sum(class_dim)
    if red == 0:
        return loss
    total = loss.sum()
    return total / (input.shape[0] if input.dim() >= 2 else 1) if red == 1 else total


def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """``-w [y log x + (1-y) log(1-x)]`` for probabilities ``input`` (logs clamped at -100)."""
    red = reduction_code(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size ({input.shape}) is "
            "deprecated. Please ensure they have the same size."
        )
    return BinaryCrossEntropy.apply(input, target, _no_weight_grad(weight, "binary_cross_entropy"), red)


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """``binary_cross_entropy(sigmoid(input), target)`` computed stably from logits."""
    red = reduction_code(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    name = "binary_cross_entropy_with_logits"
    w, pw = _no_weight_grad(weight, name), _no_weight_grad(pos_weight, name, "pos_weight")
    return BinaryCrossEntropyWithLogits.apply(input, target, w, pw, red)
