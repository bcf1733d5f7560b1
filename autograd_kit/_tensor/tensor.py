"""The Tensor: a NumPy array plus autograd state (requires_grad, grad, grad_fn, version)."""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import dtypes
from ..dtypes import cpp_type_name
from ..graph.node import AccumulateGrad, RemovableHandle, add_hook
from .convert import TensorConversions

__all__ = ["Tensor", "Size"]

_new = object.__new__
_ndarray = np.ndarray

NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information."
)


class Size(tuple):
    """A shape; prints as ``torch.Size([2, 3])``."""

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    def numel(self) -> int:
        """Number of elements a tensor of this shape holds."""
        return int(np.prod(self, dtype=np.int64))


def wrap_array(data: np.ndarray) -> Tensor:
    """Wrap an ndarray in a fresh Tensor without copying (the internal constructor)."""
    t = _new(Tensor)
    t._data = data
    t.grad_fn = None
    t._vc = [0]
    return t


class Tensor(TensorConversions):
    """A multi-dimensional array that records operations for automatic differentiation."""

    # Only the attributes every op touches are slots; the rest are class-level defaults that an
    # instance overrides in its __dict__ when set, so creating a tensor costs three stores.
    __slots__ = ("_data", "grad_fn", "_vc", "__weakref__", "__dict__")
    _requires_grad = False
    _grad = None
    _output_nr = 0
    _base = None
    _view_chain = None  # views: ((op, args), ...) that make this view from _base
    _view_version = 0  # views: the version at which grad_fn was last derived
    _view_no_grad = False  # views made under no_grad: their grad_fn is never re-derived
    _hooks = None
    _grad_acc = None
    # NumPy must defer to our reflected operators (ndarray * Tensor -> Tensor.__rmul__).
    __array_ufunc__ = None
    __array_priority__ = 1000
    is_cuda = False
    device = "cpu"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        TENSOR_TYPES.add(cls)

    def __init__(self, *args: Any) -> None:
        """Legacy constructor: ``Tensor([1., 2.])`` (data) or ``Tensor(2, 3)`` (uninitialised)."""
        if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
            data = np.array(args[0], dtype=np.float32)
        else:
            data = np.zeros(tuple(int(a) for a in args), dtype=np.float32)
        init_from(self, data)

    # --- autograd state -------------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        """Whether gradients are computed for this tensor."""
        return self._requires_grad or self.grad_fn is not None

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if self.grad_fn is not None:
            if value:  # PyTorch's attribute setter refuses even True on a non-leaf
                raise RuntimeError("you can only change requires_grad flags of leaf variables.")
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        if value and self._data.dtype.kind not in "fc":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place and return self."""
        # Unlike the attribute, PyTorch's method accepts True on a non-leaf (a no-op) and words
        # its dtype error differently.
        if requires_grad and self.grad_fn is not None:
            return self
        if requires_grad and self._data.dtype.kind not in "fc":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        """True for tensors not produced by a recorded op."""
        return self.grad_fn is None

    @property
    def grad(self) -> Tensor | None:
        """The accumulated gradient (leaves, or non-leaves after ``retain_grad()``)."""
        if self._grad is None and self.grad_fn is not None and not self.retains_grad:
            warnings.warn(NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}"
                )
            if value._data.shape != self._data.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value._data.shape)}' to a tensor of size "
                    f"'{list(self._data.shape)}'. Please ensure that the gradient and the tensor are the same size"
                )
            if value._data.dtype != self._data.dtype:
                # PyTorch names the gradient's C++ type and the tensor's scalar type
                have = cpp_type_name(value._data.dtype)
                want = dtypes.from_numpy_dtype(self._data.dtype).tensor_type.removesuffix("Tensor")
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{have}' to a tensor with grad_dtype '{want}'. "
                    "The gradient must match the tensor's grad_dtype (defaults to the tensor's dtype). You can "
                    "set the tensor's grad_dtype attribute with a specific dtype, or None to allow any dtype. "
                    "Set grad_dtype with caution. Diverging the dtypes of a tensor and its gradient may break "
                    "downstream systems that assume they match."
                )
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def retains_grad(self) -> bool:
        """True for a non-leaf after ``retain_grad()``."""
        return self.__dict__.get("_retains_grad", False)

    def retain_grad(self) -> None:
        """Make backward populate ``.grad`` of this non-leaf tensor."""
        if self.grad_fn is None:
            if not self._requires_grad:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            return
        if self.retains_grad:
            return
        self.__dict__["_retains_grad"] = True
        ref = weakref.ref(self)
        hooks = self.grad_fn._retain_grad_hooks
        if hooks is None:
            hooks = self.grad_fn._retain_grad_hooks = {}
        hooks[self._output_nr] = ref
        self.grad_fn._mark_hooked()

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Call ``hook(grad)`` when this tensor's gradient is computed; a return replaces it."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is None:
            self._hooks, handle = add_hook(self._hooks, hook)
            self._grad_accumulator()._mark_hooked()
            return handle
        node = self.grad_fn
        if node._tensor_pre_hooks is None:
            node._tensor_pre_hooks = {}
        hooks, handle = add_hook(node._tensor_pre_hooks.get(self._output_nr), hook)
        node._tensor_pre_hooks[self._output_nr] = hooks
        node._mark_hooked()
        return handle

    def _grad_accumulator(self) -> AccumulateGrad:
        ref = self._grad_acc
        node = ref() if ref is not None else None
        if node is None:
            node = AccumulateGrad(self)
            self._grad_acc = weakref.ref(node)
        return node

    def backward(
        self,
        gradient: Tensor | None = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Any = None,
    ) -> None:
        """Compute the gradient of this tensor w.r.t. graph leaves (accumulated in ``.grad``)."""
        self._autograd_backward(
            (self,), None if gradient is None else (gradient,), retain_graph, create_graph, inputs=inputs
        )

    # autograd.backprop.backward, bound by autograd_kit/_bindings.py (the engine imports Tensor).
    _autograd_backward: Callable = None  # type: ignore[assignment]

    def detach(self) -> Tensor:
        """A tensor sharing data and version counter, cut from the graph."""
        t = wrap_array(self._data)
        t._vc = self._vc
        return t

    def detach_(self) -> Tensor:
        """Cut this tensor from the graph in place, making it a leaf."""
        self.grad_fn = None
        self._requires_grad = False
        return self

    # --- data access ----------------------------------------------------------------------
    @property
    def data(self) -> Tensor:
        """The tensor's values as a tensor outside the graph (shares storage)."""
        return wrap_array(self._data)

    @data.setter
    def data(self, value: Tensor) -> None:
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    @property
    def _version(self) -> int:
        return self._vc[0]

    @property
    def shape(self) -> Size:
        """The size of each dimension."""
        return Size(self._data.shape)

    def size(self, dim: int | None = None) -> Size | int:
        """The shape, or the size of dimension ``dim``."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[wrap_dim(dim, self._data.ndim)]

    @property
    def dtype(self) -> dtypes.dtype:
        """The element type."""
        return dtypes.from_numpy_dtype(self._data.dtype)

    @property
    def ndim(self) -> int:
        """Number of dimensions."""
        return self._data.ndim

    def dim(self) -> int:
        """Number of dimensions."""
        return self._data.ndim

    def numel(self) -> int:
        """Number of elements."""
        return self._data.size

    nelement = numel

    def is_floating_point(self) -> bool:
        """True for float16/32/64 tensors."""
        return self._data.dtype.kind == "f"

    def element_size(self) -> int:
        """Bytes per element."""
        return self._data.itemsize

    def __repr__(self) -> str:
        from .printing import tensor_repr

        return tensor_repr(self)

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0 and spec:
            return format(self.item(), spec)
        return repr(self)


TENSOR_TYPES = {Tensor}


def init_from(t: Tensor, data: np.ndarray) -> None:
    t._data = data
    t.grad_fn = None
    t._vc = [0]


def wrap_dim(dim: int, ndim: int) -> int:
    """Normalise a possibly negative dim, with PyTorch's IndexError when out of range."""
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not lo <= dim <= hi:
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})")
    return dim % max(ndim, 1)
