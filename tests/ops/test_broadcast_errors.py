"""Operands that do not broadcast raise PyTorch's message (strings checked against torch 2.13)."""

import pytest

import autograd_kit as ak
from tests.helpers import raises

CASES = [
    ((3,), (2,), "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0"),
    (
        (2, 3),
        (4,),
        "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1",
    ),
    (
        (5, 2, 3),
        (4, 1, 3),
        "The size of tensor a (5) must match the size of tensor b (4) at non-singleton dimension 0",
    ),
]


@pytest.mark.parametrize("a, b, message", CASES)
@pytest.mark.parametrize("op", ["add", "mul", "sub", "div"])
def test_broadcast_mismatch_message(a, b, message, op):
    fn = getattr(ak, op)
    with raises(RuntimeError, message):
        fn(ak.ones(*a), ak.ones(*b))
    with raises(RuntimeError, message):  # the graph-recording path too
        fn(ak.ones(*a, requires_grad=True), ak.ones(*b))
