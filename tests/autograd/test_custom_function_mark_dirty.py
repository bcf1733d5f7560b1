"""ctx.mark_dirty: a custom ``autograd.Function`` that modifies its input in place (rebinding,
version counters, the saved-tensor error and the leaf error, as in torch 2.13).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from autograd_kit.autograd import Function
from tests.helpers import arr, leaf


class Double_(Function):
    """Doubles its input in place."""

    @staticmethod
    def forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        ctx.save_for_backward(x)
        return x

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        assert y.grad_fn is ctx  # a saved dirty output is the output, owned by this node
        return g * 2


def test_mark_dirty_rebinds_the_input_in_place():
    # torch: d is c, version 2 (mul_ + the dirty bump), x.grad = 2
    x = leaf([1.0, 2.0])
    c = x * 1
    d = Double_.apply(c)
    assert d is c and c._version == 2
    assert c.grad_fn.name() == "Double_Backward"
    np.testing.assert_array_equal(arr(c), [2.0, 4.0])
    d.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [2.0, 2.0])


def test_mark_dirty_saved_output_then_modified():
    # torch: "... which is output 0 of Double_, is at version 3; expected version 2 instead."
    x = leaf([1.0, 2.0])
    d = Double_.apply(x * 1)
    d.add_(1)
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "[torch.DoubleTensor [2]], which is output 0 of Double_, is at version 3; expected version 2 instead."
        ),
    ):
        d.sum().backward()


def test_mark_dirty_on_leaf_requiring_grad():
    x = leaf([1.0, 2.0])
    with pytest.raises(
        RuntimeError,
        match=re.escape("a leaf Variable that requires grad has been used in an in-place operation."),
    ):
        Double_.apply(x)
