"""The .grad attribute: the non-leaf .grad warning (text as in torch 2.13), retain_grad(),
and assigning or deleting .grad (type, size and dtype errors checked against torch 2.13).
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit._tensor.tensor import NON_LEAF_GRAD_WARNING
from tests.helpers import arr, const, leaf

# --- retain_grad and the non-leaf .grad warning -------------------------------------------------


def test_non_leaf_grad_warns_and_is_none():
    x = leaf([1.0, 2.0])
    y = x * 2
    y.sum().backward()
    with pytest.warns(UserWarning, match=re.escape(NON_LEAF_GRAD_WARNING)):
        assert y.grad is None


def test_non_leaf_grad_warning_text_matches_torch():
    assert NON_LEAF_GRAD_WARNING == (
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
        "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
        "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
        "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
        "github.com/pytorch/pytorch/pull/30531 for more information."
    )


def test_retain_grad_populates_non_leaf_grad_without_warning():
    xs = np.array([1.0, 2.0])
    x = leaf(xs)
    y = x * 2
    y.retain_grad()
    assert y.retains_grad and not x.retains_grad
    z = (y * y).sum()
    z.backward(retain_graph=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(arr(y.grad), 2 * 2 * xs)
    z.backward()  # accumulates like a leaf's
    np.testing.assert_allclose(arr(y.grad), 8 * xs)
    np.testing.assert_allclose(arr(x.grad), 16 * xs)


def test_retain_grad_on_leaf_is_noop_and_errors_without_grad():
    x = leaf([1.0])
    x.retain_grad()
    assert not x.retains_grad
    with pytest.raises(
        RuntimeError, match=re.escape("can't retain_grad on Tensor that has requires_grad=False")
    ):
        const([1.0]).retain_grad()


# --- .grad assignment -----------------------------------------------------------------------------


def test_assigning_grad():
    x = leaf([1.0, 2.0], np.float32)
    x.grad = ak.tensor([3.0, 4.0])
    np.testing.assert_array_equal(arr(x.grad), [3.0, 4.0])
    (x * 1).sum().backward()  # accumulates onto the assigned value
    np.testing.assert_array_equal(arr(x.grad), [4.0, 5.0])
    del x.grad
    assert x.grad is None
    with pytest.raises(
        TypeError, match=re.escape("assigned grad expected to be a Tensor or None but got grad of type int")
    ):
        x.grad = 3
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "attempting to assign a gradient of size '[3]' to a tensor of size '[2]'. Please ensure that the "
            "gradient and the tensor are the same size"
        ),
    ):
        x.grad = ak.ones(3)


@pytest.mark.parametrize(
    "tensor_dtype, grad_dtype, have, want",
    [
        (ak.float32, ak.float64, "double", "Float"),
        (ak.float64, ak.float32, "float", "Double"),
        (ak.float32, ak.float16, "c10::Half", "Float"),
        (ak.float16, ak.int64, "long int", "Half"),
        (ak.float32, ak.uint8, "unsigned char", "Float"),
    ],
)
def test_assigning_grad_of_other_dtype(tensor_dtype, grad_dtype, have, want):
    x = ak.ones(2, dtype=tensor_dtype, requires_grad=True)
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            f"attempting to assign a gradient with dtype '{have}' to a tensor with grad_dtype '{want}'. The "
            "gradient must match the tensor's grad_dtype (defaults to the tensor's dtype). You can set the "
            "tensor's grad_dtype attribute with a specific dtype, or None to allow any dtype. Set grad_dtype "
            "with caution. Diverging the dtypes of a tensor and its gradient may break downstream systems that "
            "assume they match."
        ),
    ):
        x.grad = ak.ones(2, dtype=grad_dtype)
