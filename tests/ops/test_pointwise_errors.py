"""Pointwise ops beyond the op table: error messages (checked with torch 2.13)."""

import pytest

import autograd_kit as ak
from tests.helpers import raises, raises_prefix

BROADCAST_3_4 = "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"
BROADCAST_5_3 = "The size of tensor a (5) must match the size of tensor b (3) at non-singleton dimension 0"


@pytest.mark.parametrize(
    "call, exc, message",
    [
        (
            lambda: ak.clamp(ak.zeros(3)),
            RuntimeError,
            "torch.clamp: At least one of 'min' or 'max' must not be None",
        ),
        (
            lambda: ak.zeros(3).clip_(),
            RuntimeError,
            "torch.clamp: At least one of 'min' or 'max' must not be None",
        ),
        (
            lambda: ak.clamp(ak.zeros(3), "a"),
            TypeError,
            "clamp() received an invalid combination of arguments - got (Tensor, str), but expected one of:\n * (Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)\n",
        ),
        (
            lambda: ak.clamp_min(ak.zeros(3), None),
            TypeError,
            "clamp_min() received an invalid combination of arguments - got (Tensor, NoneType)",
        ),
        (lambda: ak.clamp(ak.zeros(5), ak.zeros(3), ak.zeros(5)), RuntimeError, BROADCAST_5_3),
        (lambda: ak.clamp(ak.zeros(5), ak.zeros(5), ak.zeros(3)), RuntimeError, BROADCAST_5_3),
        (
            lambda: ak.maximum(ak.zeros(3), 2),
            TypeError,
            "maximum(): argument 'other' (position 2) must be Tensor, not int",
        ),
        (lambda: ak.minimum(ak.zeros(5), ak.zeros(3)), RuntimeError, BROADCAST_5_3),
        (lambda: ak.where(ak.zeros(2, 3) > 0, ak.zeros(3), ak.zeros(4)), RuntimeError, BROADCAST_3_4),
        (lambda: ak.where(ak.zeros(5) > 0, ak.zeros(3), ak.zeros(3)), RuntimeError, BROADCAST_5_3),
        (
            lambda: ak.where(ak.tensor([1]), ak.zeros(1), 0.0),
            RuntimeError,
            "where expected condition to be a boolean tensor, but got a tensor with dtype Long",
        ),
        (
            lambda: ak.where(ak.zeros(1), ak.zeros(1), 0.0),
            RuntimeError,
            "where expected condition to be a boolean tensor, but got a tensor with dtype Float",
        ),
        (
            lambda: ak.where(ak.tensor([True]), "a", 1),
            TypeError,
            "where() received an invalid combination of arguments - got (Tensor, str, int), but expected one of:\n * (Tensor condition)\n",
        ),
        (
            lambda: ak.zeros(3).masked_fill(ak.tensor([1, 0, 1]), 2.0),
            RuntimeError,
            "masked_fill_ only supports boolean masks, but got mask with dtype long int",
        ),
        (
            lambda: ak.zeros(3).masked_fill(ak.zeros(3, dtype=ak.uint8), 2.0),
            RuntimeError,
            "masked_fill_ only supports boolean masks, but got mask with dtype unsigned char",
        ),
        (
            lambda: ak.zeros(3).masked_fill(ak.zeros(3) > 0, ak.zeros(3)),
            RuntimeError,
            "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s).",
        ),
        (
            lambda: ak.zeros(5).masked_fill(ak.zeros(3) > 0, 0.5),
            RuntimeError,
            "The size of tensor a (3) must match the size of tensor b (5) at non-singleton dimension 0",
        ),
        (
            lambda: ak.zeros(3).masked_fill(ak.zeros(3) > 0, "a"),
            TypeError,
            "masked_fill() received an invalid combination of arguments - got (Tensor, Tensor, str)",
        ),
        (
            lambda: ak.lerp(ak.zeros(2), ak.zeros(2, dtype=ak.float64), 0.5),
            RuntimeError,
            "expected dtype float for `end` but got dtype double",
        ),
        (
            lambda: ak.lerp(ak.zeros(2), ak.zeros(2), ak.tensor([1, 2])),
            RuntimeError,
            "expected dtype float for `weight` but got dtype long int",
        ),
        (
            lambda: ak.lerp(ak.tensor([1, 2]), ak.tensor([1, 2]), 0.5),
            NotImplementedError,
            "\"lerp_kernel_scalar\" not implemented for 'Long'",
        ),
        (lambda: ak.lerp(ak.zeros(5), ak.zeros(3), 0.5), RuntimeError, BROADCAST_5_3),
        (lambda: ak.relu(ak.tensor([True])), RuntimeError, "Boolean inputs not supported for relu"),
        (lambda: ak.abs(ak.tensor([True])), NotImplementedError, "\"abs_cpu\" not implemented for 'Bool'"),
        (
            lambda: ak.floor(ak.tensor([True])),
            NotImplementedError,
            "\"floor_vml_cpu\" not implemented for 'Bool'",
        ),
        (lambda: ak.sin(2.0), TypeError, "sin(): argument 'input' (position 1) must be Tensor, not float"),
        (lambda: ak.relu(2.0), TypeError, "relu(): argument 'input' (position 1) must be Tensor, not float"),
        (lambda: ak.abs(2.0), TypeError, "abs(): argument 'input' (position 1) must be Tensor, not float"),
    ],
)
def test_error_messages(call, exc, message):
    # "invalid combination" rows give the message up to the overloads they care about (torch
    # lists every overload after them); every other row is the whole message
    check = raises_prefix if "received an invalid combination of arguments" in message else raises
    with check(exc, message):
        call()
