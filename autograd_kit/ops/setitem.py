"""``tensor[key] = value``: an in-place write with PyTorch's checks, version bump and nodes.

In a graph it records what PyTorch records: CopySlices when the key makes a view first,
IndexPutBackward0 for index arrays on the whole tensor, CopyBackwards / FillBackward3 for a
whole-tensor write. The backward gives zeros at the overwritten positions for the old tensor
and the indexed gradient for the value (the engine sums it over broadcast dims).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .. import grad_mode
from .._tensor.tensor import Tensor
from ..dtypes import from_numpy_dtype
from ..graph.function import BuiltinFunction
from ._index_key import advanced_shape, parse_key
from .gather import scalar_type
from .indexing import Index, take_index
from .inplace import OVERLAP_MESSAGE, check_inplace, check_view_write, rebase_view
from .shape import check_expand

__all__: list[str] = []

_grad_state = grad_mode._state


class SetItem(BuiltinFunction):
    """``x[basic][adv] = value`` written into x itself (the caller did the in-place checks)."""

    operands = ("self", "value")
    formula = "grad_self = grad with zeros at [key];  grad_value = grad[key] (summed to value's shape)"
    ctx_attributes = ("basic", "adv", "value_shape")
    node_name = "torch::autograd::CopySlices"
    aten_name = "aten::copy_"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, value: Any, basic: Any, adv: Any, value_shape: Any) -> np.ndarray:
        ctx.basic, ctx.adv, ctx.value_shape = basic, adv, value_shape
        target = x if basic is None else x[basic]
        if adv is None:
            target[...] = value
        else:
            target[adv] = value
        return x

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        basic, adv = ctx.basic, ctx.adv
        if isinstance(grad, Tensor):
            grad_self = MaskOut.apply(grad, basic, adv)
        else:
            grad_self = _mask_out(grad, basic, adv)
        if ctx.next_functions[1][0] is None:
            return grad_self, None
        if isinstance(grad, Tensor):
            grad_value = Index.apply(grad, basic, adv)
        else:
            grad_value = take_index(grad, basic, adv)
        extra = len(ctx.value_shape) - grad_value.ndim
        if extra > 0:  # the value had leading 1s that setitem dropped; the engine sums the rest
            grad_value = grad_value.reshape((1,) * extra + tuple(grad_value.shape))
        return grad_self, grad_value


class CopyBackwards(SetItem):
    node_name = "torch::autograd::CopyBackwards"
    formula = "grad_self = zeros_like(grad);  grad_src = grad (summed to src's shape, cast to its dtype)"
    aten_name = "aten::copy_"


class Fill(SetItem):
    node_name = "FillBackward3"
    formula = "grad_self = zeros_like(grad);  grad_value = grad.sum()"
    aten_name = "aten::fill_"


class IndexPut(SetItem):
    node_name = "IndexPutBackward0"
    formula = "grad_self = grad with zeros at [indices];  grad_value = grad[indices]"
    aten_name = "aten::index_put_"


def _mask_out(g: np.ndarray, basic: Any, adv: Any) -> np.ndarray:
    out = g.copy()
    target = out if basic is None else out[basic]
    if adv is None:
        target[...] = 0
    else:
        target[adv] = 0
    return out


class MaskOut(BuiltinFunction):
    """The gradient w.r.t. the overwritten tensor: zeros where it was assigned. A projection,
    so its backward is itself."""

    operands = ("grad",)
    formula = "grad_grad = grad with zeros at [key]   (a projection: its own adjoint)"
    ctx_attributes = ("basic", "adv")
    node_name = "CopySlicesBackward0"

    @staticmethod
    def forward(ctx: Any, g: np.ndarray, basic: Any, adv: Any) -> np.ndarray:
        ctx.basic, ctx.adv = basic, adv
        return _mask_out(g, basic, adv)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        if isinstance(grad, Tensor):
            return MaskOut.apply(grad, ctx.basic, ctx.adv)
        return _mask_out(grad, ctx.basic, ctx.adv)


def _type_label(value: Any) -> str:
    t = type(value)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__name__}"


def _check_value(value: Any, target: tuple, advanced: bool, self: Tensor) -> tuple | None:
    """Check that ``value`` fits the indexed region; return its shape (None for numbers)."""
    if not isinstance(value, Tensor):
        if isinstance(value, (numbers.Number, np.bool_)):
            return None
        raise TypeError(
            f"can't assign a {_type_label(value)} to a torch.{from_numpy_dtype(self._data.dtype).tensor_type}"
        )
    vshape = value._data.shape
    stripped = vshape
    while len(stripped) > len(target) and stripped[0] == 1:
        stripped = stripped[1:]
    if advanced:
        lead = len(target) - len(stripped)
        if lead < 0 or any(s != 1 and s != t for s, t in zip(stripped, target[lead:])):
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {list(vshape)} cannot be broadcast to indexing "
                f"result of shape {list(target)}"
            )
        if vshape and value._data.dtype != self._data.dtype:
            raise RuntimeError(
                "Index put requires the source and destination dtypes match, got "
                f"{scalar_type(self._data.dtype)} for the destination and "
                f"{scalar_type(value._data.dtype)} for the source."
            )
    else:
        check_expand(stripped, target, from_numpy_dtype(value._data.dtype).tensor_type)
    return vshape


def _requires_grad(value: Any) -> bool:
    return isinstance(value, Tensor) and value.requires_grad


def __setitem__(self: Tensor, key: Any, value: Any) -> None:
    data = self._data
    p = parse_key(key, data.shape)
    advanced = p.adv is not None
    target = advanced_shape(p.adv, p.shape) if advanced else p.shape
    value_shape = _check_value(value, target, advanced, self)
    if _grad_state.enabled:
        if self.grad_fn is None and self._requires_grad and p.ops:
            raise RuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place operation."
            )
        check_inplace(self)
    if not data.flags.writeable:
        raise RuntimeError(OVERLAP_MESSAGE)
    if self._base is not None and _grad_state.enabled and (self.requires_grad or _requires_grad(value)):
        check_view_write(self)  # before SetItem's forward writes into the storage
    if p.ops:  # the basic step makes a view, so PyTorch records CopySlices on the base
        cls = SetItem
    elif advanced:
        cls = IndexPut
    else:
        cls = CopyBackwards if value_shape is not None else Fill
    result = cls.apply(self, value, p.basic, p.adv, value_shape)
    self._vc[0] += 1
    node = result.grad_fn
    if node is not None and self._base is not None:
        rebase_view(self, result)  # a write into a view: its base records the change
    elif node is not None:
        self.grad_fn = node
        self._output_nr = 0


TENSOR_METHODS = {"__setitem__": __setitem__}
