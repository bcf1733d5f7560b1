"""How a DataLoader turns a list of samples into a batch: PyTorch's ``default_collate`` (stack
tensors, arrays and numbers along a new first dimension, recursing into dicts and sequences) and
``default_convert`` (arrays to tensors, no batching)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ... import dtypes as _dtype
from ..._tensor.tensor import Tensor
from ...creation.factories import as_tensor, tensor
from ...ops.join import stack

__all__ = ["default_collate", "default_convert"]

_ERR = "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
_STRING_OR_OBJECT = re.compile(r"[SaUO]")  # NumPy dtypes that have no tensor counterpart


def _rebuild(elem: Any, items: Any) -> Any:
    """A container like ``elem`` holding ``items``; a plain list/dict when its type refuses."""
    try:
        return type(elem)(items)
    except TypeError:
        return items


def default_collate(batch: list) -> Any:
    """Stack a list of samples into a batch, keeping the samples' structure (dict, tuple -> list...)."""
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(list(batch), 0)
    if isinstance(elem, (str, bytes)):  # before NumPy: np.str_ is a str and stays one
        return batch
    if isinstance(elem, (np.ndarray, np.generic)):
        if _STRING_OR_OBJECT.search(elem.dtype.str):
            raise TypeError(_ERR.format(elem.dtype))
        if isinstance(elem, np.generic):
            return as_tensor(np.array(batch))
        return stack([as_tensor(b) for b in batch], 0)
    if isinstance(elem, float):
        return tensor(batch, dtype=_dtype.float64)
    if isinstance(elem, int):  # bools too: tensor() gives them dtype bool
        return tensor(batch)
    if isinstance(elem, Mapping):
        return _rebuild(elem, {key: default_collate([d[key] for d in batch]) for key in elem})
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return type(elem)(*(default_collate(s) for s in zip(*batch)))
    if isinstance(elem, Sequence):
        size = len(elem)
        if any(len(e) != size for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [default_collate(s) for s in zip(*batch)]
        # Tuples become lists, as in PyTorch (a TensorDataset batch is [inputs, targets]).
        return columns if isinstance(elem, (tuple, list)) else _rebuild(elem, columns)
    raise TypeError(_ERR.format(type(elem)))


def default_convert(data: Any) -> Any:
    """NumPy arrays (also inside dicts and sequences) to tensors; everything else unchanged."""
    if isinstance(data, Tensor):
        return data
    if isinstance(data, (np.ndarray, np.generic)):
        return data if _STRING_OR_OBJECT.search(data.dtype.str) else as_tensor(data)
    if isinstance(data, Mapping):
        return _rebuild(data, {key: default_convert(v) for key, v in data.items()})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        return _rebuild(data, [default_convert(d) for d in data])
    return data
