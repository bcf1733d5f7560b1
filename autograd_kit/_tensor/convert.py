"""How a Tensor becomes Python and NumPy values: ``item``, ``tolist``, ``numpy``, ``__array__``,
``len``/``iter``/``bool``/``int``/``float``, and copying and pickling (leaves only, as PyTorch)."""

from __future__ import annotations

import copy as _copy
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .tensor import Tensor

__all__ = ["TensorConversions"]


class TensorConversions:
    """Mixed into ``Tensor``: the conversions, kept apart from the autograd state."""

    __slots__ = ()

    def item(self) -> float | int | bool:
        """The single value as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self) -> Any:
        """Nested Python lists of the values."""
        return self._data.tolist()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The underlying array (shared, not copied)."""
        if self.requires_grad and not force:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
            )
        return self._data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if self.requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
            )
        data = self._data if dtype is None else self._data.astype(dtype, copy=False)
        return data.copy() if copy else data

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(()))

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    __hash__ = object.__hash__

    def __deepcopy__(self, memo: dict) -> Tensor:
        if self.grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                "protocol at the moment.  If you were attempting to deepcopy a module, this may be "
                "because of a torch.nn.utils.weight_norm usage, see "
                "https://github.com/pytorch/pytorch/pull/103001"
            )
        new = object.__new__(type(self))
        _blank(new, self._data.copy())
        new._requires_grad = self._requires_grad
        if self._grad is not None:
            new._grad = _copy.deepcopy(self._grad, memo)
        for key, value in self.__dict__.items():
            if key != "_grad_lock":  # the copy is a new leaf: it gets its own lock when it needs one
                new.__dict__[key] = _copy.deepcopy(value, memo)
        memo[id(self)] = new
        return new

    def __reduce_ex__(self, protocol: int) -> tuple:
        return (_rebuild, (type(self), self._data.copy(), self._requires_grad))


# The op path tells tensors from numbers with one set lookup (isinstance costs several times more).


def _rebuild(cls: type, data: np.ndarray, requires_grad: bool) -> Tensor:
    t = object.__new__(cls)
    _blank(t, data)
    t._requires_grad = requires_grad
    return t


def _blank(t: Any, data: np.ndarray) -> None:
    from .tensor import init_from

    init_from(t, data)
