"""``nn.Parameter``: a leaf Tensor that a Module registers as one of its parameters."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._tensor.tensor import Tensor, init_from

__all__ = ["Parameter"]


class Parameter(Tensor):
    """A Tensor that is a module parameter: assigning it to a Module attribute registers it."""

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> Parameter:
        if data is None:
            array = np.empty((0,), dtype=dtypes.get_default_dtype().numpy_dtype)
            vc = [0]
        elif isinstance(data, Tensor):
            array, vc = data._data, data._vc
        else:
            raise TypeError(f"Parameter(): data must be a Tensor, got {type(data).__name__}")
        self = object.__new__(cls)
        init_from(self, array)
        # Shares storage and version counter with ``data``, as PyTorch's Parameter(t) does.
        self._vc = vc
        if requires_grad:
            self.requires_grad = True
        return self

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        pass

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __reduce_ex__(self, protocol: int) -> tuple:
        return (_rebuild_parameter, (self._data.copy(), self._requires_grad))


def _rebuild_parameter(data: np.ndarray, requires_grad: bool) -> Parameter:
    from .._tensor.tensor import wrap_array

    return Parameter(wrap_array(data), requires_grad)
