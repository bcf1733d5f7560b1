"""What a custom ``autograd.Function``'s backward may return: the number, type and shape of
gradients (broadcastable ones are summed), and missing forward/backward. Messages checked
against torch 2.13.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from autograd_kit.autograd import Function
from tests.helpers import arr, const, leaf, raises


def test_wrong_number_of_gradients():
    class TooFew(Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return g

    class TooMany(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g, g

    class ExtraNone(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2, None

    a, b = leaf([1.0, 1.0]), leaf([1.0, 1.0])
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "function TooFewBackward returned an incorrect number of gradients (expected 2, got 1)"
        ),
    ):
        TooFew.apply(a, b).sum().backward()
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "function TooManyBackward returned an incorrect number of gradients (expected 1, got 2)"
        ),
    ):
        TooMany.apply(a).sum().backward()
    ExtraNone.apply(a).sum().backward()  # torch tolerates trailing Nones
    np.testing.assert_array_equal(arr(a.grad), [2.0, 2.0])


def test_gradient_of_wrong_type():
    class Bad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return 3.0

    with raises(RuntimeError, "expected Variable or None (got float)"):
        Bad.apply(leaf([1.0])).sum().backward()


def test_gradient_of_wrong_shape():
    class WrongShape(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return const(np.ones(3))

    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "Function WrongShapeBackward returned an invalid gradient at index 0 - got [3] but expected "
            "shape compatible with [2]"
        ),
    ):
        WrongShape.apply(leaf([1.0, 1.0])).sum().backward()


def test_broadcastable_gradient_is_summed_to_input_shape():
    # torch: a (3, 2) gradient for a (2,) input is summed -> [3, 3]
    class Broad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return const(np.ones((3, 2)))

    x = leaf([1.0, 1.0])
    Broad.apply(x).sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [3.0, 3.0])


def test_missing_forward_or_backward():
    class NoBackward(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    class NoForward(Function):
        pass

    with pytest.raises(
        NotImplementedError,
        match=re.escape(
            "You must implement either the backward or vjp method for your custom autograd.Function to use it "
            "with backward mode AD."
        ),
    ):
        NoBackward.apply(leaf([1.0])).sum().backward()
    with pytest.raises(
        NotImplementedError,
        match=re.escape("You must implement the forward function for custom autograd.Function."),
    ):
        NoForward.apply(leaf([1.0]))
