"""arange / linspace / logspace: dtype rules, errors, and values bit for bit as PyTorch's CPU
kernels produce them (hex values below were printed by torch 2.13; a plain NumPy computation
differs from them in the last bit at several positions, which these tests detect)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import raises

PINNED = [
    (
        "linspace",
        (4.28, -4.3, 19),
        ak.float32,
        "0x1.11eb860000000p+2 0x1.e6d3a20000000p+1 0x1.a9d0380000000p+1 0x1.6cccce0000000p+1 "
        "0x1.2fc9640000000p+1 0x1.e58bf60000000p+0 0x1.6b85240000000p+0 0x1.e2fca00000000p-1 "
        "0x1.ddddf00000000p-2 -0x1.47b0400000000p-7 -0x1.f258d00000000p-2 -0x1.ed3a100000000p-1 "
        "-0x1.70a3dc0000000p+0 -0x1.eaaaae0000000p+0 -0x1.3258c00000000p+1 -0x1.6f5c2a0000000p+1 "
        "-0x1.ac5f940000000p+1 -0x1.e962fe0000000p+1 -0x1.1333340000000p+2 ",
    ),
    (
        "linspace",
        (-3.71, -0.01, 18),
        ak.float64,
        "-0x1.dae147ae147aep+1 -0x1.bf056bd2389f0p+1 -0x1.a3298ff65cc32p+1 -0x1.874db41a80e75p+1 "
        "-0x1.6b71d83ea50b7p+1 -0x1.4f95fc62c92f9p+1 -0x1.33ba2086ed53cp+1 -0x1.17de44ab1177ep+1 "
        "-0x1.f804d19e6b380p+0 -0x1.c04d19e6b3805p+0 -0x1.8895622efbc89p+0 -0x1.50ddaa774410ep+0 "
        "-0x1.1925f2bf8c592p+0 -0x1.c2dc760fa942ep-1 -0x1.536d06a039d37p-1 -0x1.c7fb2e6194c80p-2 "
        "-0x1.d2389f056bd24p-3 -0x1.47ae147ae147bp-7 ",
    ),
    (
        "linspace",
        (-3.3, 7.1, 11),
        ak.float16,
        "-0x1.a680000000000p+1 -0x1.2140000000000p+1 -0x1.3800000000000p+0 -0x1.6c00000000000p-3 "
        "0x1.ba00000000000p-1 0x1.e600000000000p+0 0x1.7800000000000p+1 0x1.fd40000000000p+1 "
        "0x1.4140000000000p+2 0x1.8400000000000p+2 0x1.c680000000000p+2 ",
    ),
    (
        "arange",
        (-3.62, 2.88, 0.352),
        ak.float32,
        "-0x1.cf5c280000000p+1 -0x1.a24dd20000000p+1 -0x1.753f7c0000000p+1 -0x1.4831260000000p+1 "
        "-0x1.1b22d00000000p+1 -0x1.dc28f40000000p+0 -0x1.820c480000000p+0 -0x1.27ef9c0000000p+0 "
        "-0x1.9ba5e40000000p-1 -0x1.ced9180000000p-2 -0x1.99999e0000000p-4 0x1.020c480000000p-2 "
        "0x1.353f7c0000000p-1 0x1.e978d40000000p-1 0x1.4ed9160000000p+0 0x1.a8f5c20000000p+0 "
        "0x1.0189380000000p+1 0x1.2e978e0000000p+1 0x1.5ba5e40000000p+1 ",
    ),
    (
        "arange",
        (4.28, -4.3, -0.477),
        ak.float64,
        "0x1.11eb851eb851fp+2 0x1.e6c8b43958107p+1 0x1.a9ba5e353f7d0p+1 0x1.6cac083126e98p+1 "
        "0x1.2f9db22d0e561p+1 0x1.e51eb851eb854p+0 0x1.6b020c49ba5e5p+0 0x1.e1cac083126edp-1 "
        "0x1.db22d0e560420p-2 -0x1.a9fbe76c8b340p-7 -0x1.f5c28f5c28f54p-2 -0x1.ef1a9fbe76c87p-1 "
        "-0x1.71a9fbe76c8b2p+0 -0x1.ebc6a7ef9db20p+0 -0x1.32f1a9fbe76c8p+1 -0x1.6ffffffffffffp+1 "
        "-0x1.ad0e560418936p+1 -0x1.ea1cac083126dp+1 ",
    ),
    (
        "arange",
        (-3.3, 7.1, 0.3),
        ak.float16,
        "-0x1.a680000000000p+1 -0x1.8000000000000p+1 -0x1.59c0000000000p+1 -0x1.3340000000000p+1 "
        "-0x1.0d00000000000p+1 -0x1.cd00000000000p+0 -0x1.8040000000000p+0 -0x1.3380000000000p+0 "
        "-0x1.cd40000000000p-1 -0x1.3380000000000p-1 -0x1.3400000000000p-2 -0x1.9980000000000p-11 "
        "0x1.3280000000000p-2 0x1.32c0000000000p-1 0x1.cc80000000000p-1 0x1.3300000000000p+0 "
        "0x1.8000000000000p+0 0x1.ccc0000000000p+0 0x1.0cc0000000000p+1 0x1.3340000000000p+1 "
        "0x1.5980000000000p+1 0x1.8000000000000p+1 0x1.a680000000000p+1 0x1.ccc0000000000p+1 "
        "0x1.f340000000000p+1 0x1.0cc0000000000p+2 0x1.2000000000000p+2 0x1.3340000000000p+2 "
        "0x1.4680000000000p+2 0x1.5980000000000p+2 0x1.6cc0000000000p+2 0x1.8000000000000p+2 "
        "0x1.9340000000000p+2 0x1.a680000000000p+2 0x1.b980000000000p+2 ",
    ),
    (
        "logspace",
        (-1.3, 2.2, 9, 3.7),
        ak.float64,
        "0x1.75d30f9b44e56p-3 0x1.4b4daf760767ep-2 0x1.259e7a05017c5p-1 0x1.0438992a34614p+0 "
        "0x1.cd3e77934faefp+0 0x1.98c786a0be203p+1 0x1.6a484c9500facp+2 0x1.411303ff500f8p+3 "
        "0x1.1c8dab7831d80p+4 ",
    ),
    (
        "logspace",
        (-1.3, 2.2, 9, 3.7),
        ak.float32,
        "0x1.75d3120000000p-3 0x1.4b4db00000000p-2 0x1.259e7c0000000p-1 0x1.04389a0000000p+0 "
        "0x1.cd3e7a0000000p+0 0x1.98c7880000000p+1 0x1.6a484e0000000p+2 0x1.4113060000000p+3 "
        "0x1.1c8dac0000000p+4 ",
    ),
]


@pytest.mark.parametrize(("fn", "args", "dtype", "expected"), PINNED)
def test_values_match_pytorch_bit_for_bit(fn, args, dtype, expected):
    if fn == "logspace":
        start, end, steps, base = args
        t = ak.logspace(start, end, steps, base=base, dtype=dtype)
    else:
        t = getattr(ak, fn)(*args, dtype=dtype)
    assert t.dtype is dtype
    assert [float(x).hex() for x in t._data] == expected.split()


def test_tutorial_linspace_holds_float32_pi_at_the_middle():
    a = ak.linspace(0.0, 2.0 * math.pi, steps=25)
    assert a._data[12] == np.float32(math.pi) and a._data[-1] == np.float32(2 * math.pi)


def test_integer_results_match_pytorch():
    assert ak.arange(5).tolist() == [0, 1, 2, 3, 4] and ak.arange(5).dtype is ak.int64
    assert ak.arange(-3, 3, 2).tolist() == [-3, -1, 1]
    assert ak.arange(5, 0, -1).tolist() == [5, 4, 3, 2, 1]
    assert ak.arange(-2.5, 3, 1.5, dtype=ak.int32).tolist() == [-2, -1, 0, 1]
    assert ak.arange(0.5, 3, dtype=ak.int64).tolist() == [0, 1, 2]
    assert ak.arange(0, 3, 0.5, dtype=ak.int32).tolist() == [0, 0, 0, 0, 0, 0]
    assert ak.arange(1, 1).tolist() == [] and ak.arange(1, 1).dtype is ak.int64
    assert ak.linspace(-5.5, 5.5, 5, dtype=ak.int32).tolist() == [-5, -2, 0, 2, 5]
    assert ak.linspace(0.0, 10.5, 4, dtype=ak.int64).tolist() == [0, 3, 6, 10]
    assert ak.linspace(10, 0, 4, dtype=ak.int64).tolist() == [10, 6, 3, 0]
    assert ak.logspace(0.0, 2.5, 4, dtype=ak.int64).tolist() == [1, 4, 21, 100]


def test_dtype_inference_and_arguments():
    assert ak.arange(5.0).dtype is ak.float32 and ak.arange(0, 1, 0.25).tolist() == [
        0,
        0.25,
        0.5,
        0.75,
    ]
    assert ak.arange(np.int64(3)).tolist() == [0, 1, 2] and ak.arange(True).tolist() == [0]
    assert ak.arange(ak.tensor(3.0)).dtype is ak.float32
    assert ak.arange(end=4).tolist() == [0, 1, 2, 3] and ak.arange(0, 4, step=2).tolist() == [0, 2]
    assert ak.arange(3, dtype=float).dtype is ak.float64
    assert ak.linspace(0, 10, 5).dtype is ak.float32  # integer bounds still give floats
    assert ak.linspace(0, 10, 5).tolist() == [0.0, 2.5, 5.0, 7.5, 10.0]
    assert ak.linspace(0, 10, 1).tolist() == [0.0] and ak.linspace(0, 10, 0).shape == (0,)
    assert ak.linspace(0, 1, ak.tensor(3)).shape == (3,)
    assert np.isnan(ak.linspace(0, float("inf"), 3)._data).all()
    assert ak.logspace(0, 2, 3).tolist() == [1.0, 10.0, 100.0]
    assert ak.logspace(0, 1, 1).tolist() == [1.0] and ak.logspace(0, 1, 0).shape == (0,)
    t = ak.linspace(-1, 1, 3, requires_grad=True)
    assert t.requires_grad and t.is_leaf
    ak.set_default_dtype(ak.float64)
    try:
        assert ak.arange(1.0).dtype is ak.float64 and ak.linspace(0, 1, 2).dtype is ak.float64
    finally:
        ak.set_default_dtype(ak.float32)


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (lambda: ak.arange(0, 5, 0), RuntimeError, "step must be nonzero"),
        (lambda: ak.arange(0, 3, 0.5, dtype=ak.int64), ValueError, "step must be nonzero"),
        (lambda: ak.arange(5, 0), RuntimeError, "upper bound and lower bound inconsistent with step sign"),
        (lambda: ak.arange(1.5, 0.5, 0.1), RuntimeError, "upper bound and lower bound inconsistent with step sign"),
        (lambda: ak.arange(0, float("inf")), RuntimeError, "unsupported range: 0 -> inf"),
        (lambda: ak.arange(-float("inf"), 3), RuntimeError, "unsupported range: -inf -> 3"),
        (lambda: ak.arange(0, 1e20), RuntimeError, "invalid size, possible overflow?"),
        (lambda: ak.arange("a"), TypeError, "arange(): argument 'end' (position 1) must be Number, not str"),
        (lambda: ak.arange(), TypeError, "arange() missing 1 required positional argument: 'end'"),
        (lambda: ak.arange(0, 5, dtype=ak.bool), NotImplementedError, "\"arange_cpu\" not implemented for 'Bool'"),
        (lambda: ak.arange(3, requires_grad=True), RuntimeError, "Only Tensors of floating point and complex dtype can require gradients"),
        (lambda: ak.linspace(0, 10, -1), RuntimeError, "number of steps must be non-negative"),
        (lambda: ak.linspace(0, 1, 2.5), TypeError, "linspace(): argument 'steps' (position 3) must be int, not float"),
        (lambda: ak.linspace(0, 1, 3, dtype=ak.bool), NotImplementedError, "\"linspace_cpu\" not implemented for 'Bool'"),
        (lambda: ak.logspace(0, 2, -1), RuntimeError, "number of steps must be non-negative"),
        (lambda: ak.logspace(0, 1, 3, dtype=ak.bool), NotImplementedError, "\"logspace_cpu\" not implemented for 'Bool'"),
        (lambda: ak.linspace(0, 1, 3, device="cuda"), RuntimeError, "linspace(): autograd_kit only runs on the CPU, got device='cuda'"),
    ],
)  # fmt: skip
def test_range_errors(call, exc, message):
    with raises(exc, message):
        call()
