"""as_tensor / from_numpy: memory sharing with NumPy arrays and tensors, and PyTorch's error
messages (checked against torch 2.13)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import raises


def test_as_tensor_shares_memory_when_dtype_allows():
    a = np.array([1.0, 2.0])
    t = ak.as_tensor(a)
    a[0] = 5.0
    assert t.dtype is ak.float64 and t.tolist() == [5.0, 2.0]
    converted = ak.as_tensor(a, dtype=ak.float32)
    a[1] = 7.0
    assert converted.dtype is ak.float32 and converted.tolist() == [5.0, 2.0]
    existing = ak.tensor([1.0, 2.0])
    assert ak.as_tensor(existing) is existing
    assert ak.as_tensor(existing, dtype=ak.float64).dtype is ak.float64
    assert ak.as_tensor([1, 2]).dtype is ak.int64
    assert ak.as_tensor(3).tolist() == 3


def test_as_tensor_dtype_change_of_a_grad_tensor_is_differentiable():
    if not hasattr(ak.Tensor, "to"):
        pytest.skip("Tensor.to (ops/conversion) not available yet")
    x = ak.tensor([1.0, 2.0], requires_grad=True)
    y = ak.as_tensor(x, dtype=ak.float64)
    assert y.dtype is ak.float64 and y.grad_fn.name() == "ToCopyBackward0"


def test_from_numpy_shares_memory_both_ways():
    a = np.zeros(3, dtype=np.int32)
    t = ak.from_numpy(a)
    t._data[1] = 4
    a[2] = 7
    assert t.dtype is ak.int32 and t.tolist() == [0, 4, 7] and a.tolist() == [0, 4, 7]
    assert ak.from_numpy(np.array(3.5)).shape == ()


def test_from_numpy_warns_for_read_only_arrays():
    a = np.arange(3.0)
    a.flags.writeable = False
    with pytest.warns(UserWarning, match="The given NumPy array is not writable"):
        ak.from_numpy(a)


@pytest.mark.parametrize(
    ("data", "exc", "message"),
    [
        ([1, 2], TypeError, "expected np.ndarray (got list)"),
        (np.float64(3.5), TypeError, "expected np.ndarray (got numpy.float64)"),
        (
            np.array(["a"]),
            TypeError,
            "can't convert np.ndarray of type numpy.str_. The only supported types are: float64, float32, "
            "float16, int64, int32, int16, int8, uint8, and bool.",
        ),
        (
            np.array([1, 2], dtype=">i4"),
            ValueError,
            "given numpy array has byte order different from the native byte order. "
            "Conversion between byte orders is currently not supported.",
        ),
    ],
)
def test_from_numpy_errors(data, exc, message):
    with raises(exc, message):
        ak.from_numpy(data)
