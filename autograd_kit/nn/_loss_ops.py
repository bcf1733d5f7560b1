"""The loss ops as Functions (MseLossBackward0, NllLossBackward0, BinaryCrossEntropy[WithLogits]
Backward0): NumPy forwards and backward formulas that also run on Tensors (double backward)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor.tensor import wrap_array
from ..dtypes import result_numpy_dtype
from ..graph.ctx import NO_GRAD_CTX as _NO_GRAD_CTX
from ..graph.function import BuiltinFunction
from ..ops import _math

__all__ = ["MseLoss", "NllLoss", "BinaryCrossEntropy", "BinaryCrossEntropyWithLogits", "REDUCTIONS"]

# PyTorch's enum values (visible as ``grad_fn._saved_reduction``).
REDUCTIONS = {"none": 0, "mean": 1, "sum": 2}


def _reduce(loss: np.ndarray, reduction: int) -> np.ndarray:
    if reduction == 1:
        return loss.mean()
    if reduction == 2:
        return loss.sum()
    return loss


def _scale(ctx: Any, grad: Any) -> Any:
    """The incoming gradient spread over the elements: divided by their count for 'mean'."""
    return grad / ctx.numel if ctx.reduction == 1 else grad


def _clamp_min(x: Any, low: float) -> Any:
    if _math.is_tensor(x):
        return _math.where(x._data < low, wrap_array(np.asarray(low, dtype=x._data.dtype)), x)
    return np.maximum(x, low)


def _log1p_neg(x: Any) -> Any:
    """``log(1 - x)``, accurate near 0 for arrays (-inf at 1, without NumPy's warning)."""
    return _math.log(1 - x) if _math.is_tensor(x) else _math.quiet(np.log1p, -x)


def _log(x: Any) -> Any:
    return x.log() if _math.is_tensor(x) else _math.quiet(np.log, x)


def _sigmoid(x: Any) -> Any:
    # exp(-x) overflows to inf for very negative x, which correctly gives 0.
    return x.sigmoid() if _math.is_tensor(x) else 1 / (1 + _math.quiet(np.exp, -x))


class MseLoss(BuiltinFunction):
    operands = ("self", "target")
    ctx_attributes = ("reduction", "numel")
    saves = ("self", "target")
    formula = "grad_self = 2 * (self - target) * grad / N   (reduction='mean');  grad_target = -grad_self"
    aten_name = "aten::mse_loss"

    @staticmethod
    def forward(ctx: Any, x: Any, y: Any, reduction: int) -> np.ndarray:
        ctx.reduction = reduction
        # PyTorch's promotion (float32 with an int64 target stays float32; NumPy would widen it).
        diff = x - y if x.dtype == y.dtype else np.subtract(x, y, dtype=result_numpy_dtype((x, y)))
        ctx.numel = diff.size
        return _reduce(diff * diff, reduction)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        x, y = ctx.saved_tensors
        g = _scale(ctx, grad) * 2 * (x - y)
        return g, (-g if ctx.next_functions[1][0] is not None else None)


# ufunc reductions without ndarray.min/.max/.sum's Python frames (bench_mlp: a batch's labels).
_min_reduce, _max_reduce, _sum_reduce = np.minimum.reduce, np.maximum.reduce, np.add.reduce


def _check_targets(target: np.ndarray, classes: int, ignore_index: int) -> bool:
    """Raise PyTorch's IndexError for a class index out of range; True when none is ignored."""
    if target.size == 0:
        return True
    low, high = _min_reduce(target, None), _max_reduce(target, None)
    if 0 <= low and high < classes:  # the common case: two reductions and done
        return not (low <= ignore_index <= high and (target == ignore_index).any())
    valid = target != ignore_index
    bad = valid & ((target < 0) | (target >= classes))
    if bad.any():
        raise IndexError(f"Target {target[bad].flat[0]} is out of bounds.")
    return bool(valid.all())


class NllLoss(BuiltinFunction):
    """Negative log-likelihood of class ``target`` along the class axis (1, or 0 for 1-D input)."""

    operands = ("self",)
    formula = "grad_self[i, target[i]] = -weight[target[i]] * grad / N   (reduction='mean'); 0 elsewhere"
    ctx_attributes = ("coef", "axis", "reduction", "ignore_index", "target", "weight", "total_weight")
    aten_name = "aten::nll_loss"

    @staticmethod
    def forward(
        ctx: Any, x: np.ndarray, target: np.ndarray, weight: Any, reduction: int, ignore_index: int
    ) -> Any:
        axis = 1 if x.ndim >= 2 else 0
        classes = x.shape[axis]
        all_valid = _check_targets(target, classes, ignore_index)
        valid = True if all_valid else target != ignore_index
        safe = (target if all_valid else np.where(valid, target, 0)).reshape(-1)
        # Gather x[n, t_n, ...] from a (samples, classes) view with the class axis last.
        last = axis == x.ndim - 1
        flat = (x if last else np.moveaxis(x, axis, -1)).reshape(-1, classes)
        rows = np.arange(safe.size)
        picked = flat[rows, safe]
        if weight is None and all_valid:  # the common case: every sample counts once
            w = None
            n = safe.size
            total = np.array(n, x.dtype)
            if reduction == 0:
                out = -picked.reshape(target.shape)
            else:
                summed = _sum_reduce(picked, None)
                out = -summed / n if reduction == 1 and n else (-summed if reduction == 2 else np.nan)
        else:
            w = (
                np.ones(safe.shape, dtype=x.dtype)
                if weight is None
                else weight[safe].astype(x.dtype, copy=False)
            )
            if not all_valid:
                w = w * valid.reshape(-1)
            total = w.sum()
            loss = -picked * w
            if reduction == 0:
                out = loss.reshape(target.shape)
            else:
                out = loss.sum()
                if reduction == 1:
                    out = _math.quiet(np.divide, out, total)  # all targets ignored: 0/0 = nan, as PyTorch
        if ctx is not _NO_GRAD_CTX:  # the gradient is only built when a graph is recorded
            if w is None:
                coef = -1 / n if reduction == 1 and n else -1
            else:
                # Every target ignored: the loss is 0/0 = nan, but the gradient is 0, not nan (PyTorch).
                coef = (-w / total if total else np.zeros_like(w)) if reduction == 1 else -w
            dflat = np.zeros(flat.shape, dtype=x.dtype)
            dflat[rows, safe] = coef
            if last:
                ctx.coef = dflat.reshape(x.shape)
            else:
                ctx.coef = np.moveaxis(dflat.reshape(np.moveaxis(x, axis, -1).shape), -1, axis)
            ctx.axis = axis
            ctx.reduction = reduction
            ctx.ignore_index = ignore_index
            ctx.target = wrap_array(target)
            ctx.weight = None if weight is None else wrap_array(weight)
            ctx.total_weight = wrap_array(np.asarray(total, dtype=x.dtype))
        return np.asarray(out, dtype=x.dtype)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        if ctx.reduction == 0:
            shape = list(grad.shape)
            shape.insert(ctx.axis, 1)
            grad = grad.reshape(tuple(shape))
        return grad * ctx.coef


def _weighted(loss: Any, weight: Any) -> Any:
    return loss if weight is None else loss * weight


class BinaryCrossEntropy(BuiltinFunction):
    operands = ("self", "target")
    ctx_attributes = ("reduction", "weight", "numel")
    saves = ("self", "target")
    formula = "grad_self = grad * (self - target) / (self * (1 - self)) / N"
    aten_name = "aten::binary_cross_entropy"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, y: Any, weight: Any, reduction: int) -> np.ndarray:
        if not ((x >= 0) & (x <= 1)).all():
            raise RuntimeError("all elements of input should be between 0 and 1")
        ctx.reduction, ctx.weight, ctx.numel = reduction, weight, x.size
        with np.errstate(divide="ignore"):
            # PyTorch clamps each log at -100 so that x = 0 or 1 gives a finite loss.
            loss = (y - 1) * np.maximum(np.log1p(-x), -100) - y * np.maximum(np.log(x), -100)
        return _reduce(_weighted(loss, weight), reduction)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        x, y = ctx.saved_tensors
        g = _weighted(_scale(ctx, grad), ctx.weight)
        grad_x = g * (x - y) / _clamp_min((1 - x) * x, 1e-12)
        grad_y = None
        if ctx.next_functions[1][0] is not None:
            grad_y = g * (_clamp_min(_log1p_neg(x), -100) - _clamp_min(_log(x), -100))
        return grad_x, grad_y


class BinaryCrossEntropyWithLogits(BuiltinFunction):
    operands = ("self", "target")
    ctx_attributes = ("reduction", "weight", "pos_weight", "numel")
    saves = ("self", "target")
    formula = "grad_self = grad * (sigmoid(self) - target) / N;  grad_target = -grad * self / N   (reduction='mean', no pos_weight)"
    aten_name = "aten::binary_cross_entropy_with_logits"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, y: Any, weight: Any, pos_weight: Any, reduction: int) -> np.ndarray:
        ctx.reduction, ctx.weight, ctx.pos_weight, ctx.numel = reduction, weight, pos_weight, x.size
        # softplus(-x) = max(-x, 0) + log1p(exp(-|x|)): never overflows.
        softplus_neg = np.maximum(-x, 0) + np.log1p(np.exp(-np.abs(x)))
        if pos_weight is None:
            loss = (1 - y) * x + softplus_neg
        else:
            loss = (1 - y) * x + ((pos_weight - 1) * y + 1) * softplus_neg
        return _reduce(_weighted(loss, weight), reduction)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        x, y = ctx.saved_tensors
        g = _weighted(_scale(ctx, grad), ctx.weight)
        pw = ctx.pos_weight
        sig = _sigmoid(x)
        if pw is None:
            grad_x = g * (sig - y)
        else:
            grad_x = g * (sig - y - (pw - 1) * y * (1 - sig))
        grad_y = None
        if ctx.next_functions[1][0] is not None:
            grad_y = -g * x
            if pw is not None:
                softplus_neg = (1 + (-x).exp()).log() if _math.is_tensor(x) else np.logaddexp(0, -x)
                grad_y = grad_y + g * (pw - 1) * softplus_neg
        return grad_x, grad_y
