"""Random factories and seeding: ranges, dtypes, reproducibility, generators, and PyTorch's error
messages (each checked against torch 2.13)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit import random as _random
from tests.helpers import raises


def test_rand_and_randn_ranges_and_dtypes():
    ak.manual_seed(0)
    u = ak.rand(20000)
    assert u.dtype is ak.float32 and 0.0 <= u._data.min() and u._data.max() < 1.0
    assert abs(float(u._data.mean()) - 0.5) < 0.01
    n = ak.randn(20000, dtype=ak.float64)
    assert n.dtype is ak.float64
    assert abs(float(n._data.mean())) < 0.03 and abs(float(n._data.std()) - 1.0) < 0.03
    h = ak.rand(5000, dtype=ak.float16)
    assert h.dtype is ak.float16 and h._data.max() < 1.0
    assert ak.randn(2, 3, dtype=ak.float16).dtype is ak.float16
    assert ak.randn(()).shape == () and ak.rand(0).shape == (0,)


def test_manual_seed_makes_every_random_factory_reproducible():
    def draw():
        return [
            ak.rand(3)._data,
            ak.randn(2, 2)._data,
            ak.randint(0, 100, (4,))._data,
            ak.randperm(6)._data,
            ak.rand_like(ak.zeros(2))._data,
            ak.randn_like(ak.zeros(2, dtype=ak.float64))._data,
        ]

    ak.manual_seed(1234)
    first = draw()
    ak.manual_seed(1234)
    second = draw()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    ak.manual_seed(4321)
    assert not np.array_equal(ak.rand(3)._data, first[0])


def test_numpy_rng_follows_manual_seed():
    # Other modules (nn.init, dropout) draw through numpy_rng(); it must not be cached.
    ak.manual_seed(7)
    a = _random.numpy_rng().random(3)
    ak.manual_seed(7)
    np.testing.assert_array_equal(_random.numpy_rng().random(3), a)


def test_generator_objects():
    g = ak.manual_seed(5)
    assert g is ak.default_generator and g.initial_seed() == 5 == ak.initial_seed()
    assert re.fullmatch(r"<torch\._C\.Generator object at 0x[0-9a-f]+>", repr(g))
    assert ak.Generator().initial_seed() == 67280421310721  # PyTorch's default seed
    assert ak.manual_seed(-1).initial_seed() == 2**64 - 1
    assert ak.manual_seed(-(2**63)).initial_seed() == 2**63
    assert ak.manual_seed(2.7).initial_seed() == 2
    mine = ak.Generator().manual_seed(3)
    ref = ak.Generator().manual_seed(3)
    ak.manual_seed(99)
    np.testing.assert_array_equal(ak.randn(4, generator=mine)._data, ak.randn(4, generator=ref)._data)
    state = mine.get_state()
    x = ak.rand(3, generator=mine)._data
    mine.set_state(state)
    np.testing.assert_array_equal(ak.rand(3, generator=mine)._data, x)
    s = ak.seed()
    assert 0 <= s < 2**64 and ak.initial_seed() == s


@pytest.mark.parametrize(
    ("seed", "exc", "message"),
    [
        (2**64, ValueError, "Overflow when unpacking long long"),
        (-(2**63) - 1, ValueError, "Overflow when unpacking long long"),
        ("a", ValueError, "invalid literal for int() with base 10: 'a'"),
    ],
)
def test_manual_seed_errors(seed, exc, message):
    with raises(exc, message):
        ak.manual_seed(seed)


def test_randint_forms_and_ranges():
    ak.manual_seed(0)
    a = ak.randint(5, (1000,))
    assert a.dtype is ak.int64 and a._data.min() == 0 and a._data.max() == 4
    b = ak.randint(-3, 3, (2, 500))
    assert b.shape == (2, 500) and b._data.min() == -3 and b._data.max() == 2
    assert ak.randint(10, size=(2,)).shape == (2,)
    assert ak.randint(low=2, high=4, size=(50,))._data.min() >= 2
    assert ak.randint(3, ak.Size([2])).shape == (2,)
    assert ak.randint(0, 10, (3,), dtype=ak.float32).dtype is ak.float32
    assert ak.randint(0, 2, (3,), dtype=ak.bool).dtype is ak.bool
    assert ak.randint(np.int64(5), (2,)).shape == (2,)
    with pytest.warns(UserWarning, match=re.escape("to - 1 is out of bounds [-(2^24), 2^24]")):
        ak.randint(0, 2**25, (2,), dtype=ak.float32)


def test_randperm_is_a_permutation():
    ak.manual_seed(0)
    p = ak.randperm(50)
    assert p.dtype is ak.int64 and sorted(p.tolist()) == list(range(50))
    assert ak.randperm(4, dtype=ak.float32).dtype is ak.float32
    assert ak.randperm(0).shape == (0,) and ak.randperm(256, dtype=ak.uint8).shape == (256,)
    assert ak.randperm(4, dtype=ak.float32, requires_grad=True).requires_grad


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (lambda: ak.rand(2, dtype=ak.int64), NotImplementedError, "\"check_uniform_bounds\" not implemented for 'Long'"),
        (lambda: ak.rand(2, dtype=ak.uint8), NotImplementedError, "\"check_uniform_bounds\" not implemented for 'Byte'"),
        (lambda: ak.rand(2, dtype=ak.bool), NotImplementedError, "\"check_uniform_bounds\" not implemented for 'Bool'"),
        (lambda: ak.randn(2, dtype=ak.int32), NotImplementedError, "\"normal_kernel_cpu\" not implemented for 'Int'"),
        (lambda: ak.rand_like(ak.tensor([1, 2])), NotImplementedError, "\"check_uniform_bounds\" not implemented for 'Long'"),
        (lambda: ak.randn_like(ak.tensor([1, 2])), NotImplementedError, "\"normal_kernel_cpu\" not implemented for 'Long'"),
        (lambda: ak.rand(-1), RuntimeError, "Trying to create tensor with negative dimension -1: [-1]"),
        (lambda: ak.randn(2.5), TypeError, "randn(): argument 'size' (position 1) must be tuple of ints, not float"),
        (lambda: ak.randint(5, 5, (3,)), RuntimeError, "random_ expects 'from' to be less than 'to', but got from=5 >= to=5"),
        (lambda: ak.randint(0, 10), TypeError, "randint(): argument 'size' (position 2) must be tuple of ints, not int"),
        (lambda: ak.randint(5, None), TypeError, "randint(): argument 'size' (position 2) must be tuple of ints, not NoneType"),
        (lambda: ak.randint(2.0, (2,)), TypeError, "randint(): argument 'high' (position 1) must be int, not float"),
        (lambda: ak.randint(0, 2**63, (2,)), ValueError, "Overflow when unpacking long long"),
        (lambda: ak.randint(0, 5, (-1,)), RuntimeError, "Trying to create tensor with negative dimension -1: [-1]"),
        (lambda: ak.randint(0, 10, (3,), dtype=ak.bool), RuntimeError, "to - 1 is out of bounds for bool"),
        (lambda: ak.randint(0, 300, (3,), dtype=ak.uint8), RuntimeError, "to - 1 is out of bounds for unsigned char"),
        (lambda: ak.randint(-1, 10, (3,), dtype=ak.uint8), RuntimeError, "from is out of bounds for unsigned char"),
        (lambda: ak.randint(-200, 0, (2,), dtype=ak.int8), RuntimeError, "from is out of bounds for signed char"),
        (lambda: ak.randint(0, 2**15 + 1, (2,), dtype=ak.int16), RuntimeError, "to - 1 is out of bounds for short int"),
        (lambda: ak.randint(3, 10, (2,), requires_grad=True), RuntimeError, "Only Tensors of floating point and complex dtype can require gradients"),
        (lambda: ak.randperm(-1), RuntimeError, "Trying to create tensor with negative dimension -1: [-1]"),
        (lambda: ak.randperm(2.5), TypeError, "randperm(): argument 'n' (position 1) must be int, not float"),
        (lambda: ak.randperm(True), TypeError, "randperm(): argument 'n' (position 1) must be int, not bool"),
        (lambda: ak.randperm(257, dtype=ak.uint8), RuntimeError, "value cannot be converted to type uint8_t without overflow"),
        (lambda: ak.randperm(3000, dtype=ak.float16), RuntimeError, "n cannot be greater than 2049 for Half type."),
        (lambda: ak.randperm(3, dtype=ak.bool), NotImplementedError, "\"randperm\" not implemented for 'Bool'"),
        (lambda: ak.randperm(3, requires_grad=True), RuntimeError, "Only Tensors of floating point and complex dtype can require gradients"),
        (lambda: ak.randn(2, generator=3), TypeError, "generator must be a Generator, not int"),
        (lambda: ak.Generator(device="cuda"), RuntimeError, "Generator(): autograd_kit only supports device='cpu', got 'cuda'"),
        (lambda: ak.randperm(2**24 + 2, dtype=ak.float32), RuntimeError, "n cannot be greater than 2^24+1 for Float type."),
        # PyTorch lists its overloads for these; ours name the problem directly.
        (lambda: ak.randint(3), TypeError, "randint(): argument 'size' (position 1) must be tuple of ints, not int"),
        (lambda: ak.randint(size=(2,)), TypeError, "randint() missing required argument 'high'"),
        (lambda: ak.randint(), TypeError, "randint() missing required argument 'size'"),
        (lambda: ak.randint(0, 1, 2, (3,)), TypeError, "randint() takes at most 3 positional arguments (4 given)"),
        (lambda: ak.randint(0, 5, (2,), high=3), TypeError, "randint() got multiple values for argument 'low' or 'high'"),
    ],
)  # fmt: skip
def test_random_errors(call, exc, message):
    with raises(exc, message):
        call()
