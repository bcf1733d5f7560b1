"""Tensor printing, pinned to PyTorch 2.13's exact output (every expected string was produced by
``repr`` of the same tensor in real torch)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit._tensor import printing as _tensor_str

NAN, INF = float("nan"), float("inf")


@pytest.fixture(autouse=True)
def _default_print_options():
    ak.set_printoptions(profile="default")
    yield
    ak.set_printoptions(profile="default")
    ak.set_default_dtype(ak.float32)


def arr(values, dtype=np.float32):
    return ak.from_numpy(np.asarray(values, dtype=dtype))


TUTORIAL_A = (
    "tensor([0.0000, 0.2618, 0.5236, 0.7854, 1.0472, 1.3090, 1.5708, 1.8326, 2.0944,\n"
    "        2.3562, 2.6180, 2.8798, 3.1416, 3.4034, 3.6652, 3.9270, 4.1888, 4.4506,\n"
    "        4.7124, 4.9742, 5.2360, 5.4978, 5.7596, 6.0214, 6.2832],\n"
    "       requires_grad=True)"
)
TUTORIAL_SIN = (
    "tensor([ 0.0000e+00,  2.5882e-01,  5.0000e-01,  7.0711e-01,  8.6603e-01,\n"
    "         9.6593e-01,  1.0000e+00,  9.6593e-01,  8.6603e-01,  7.0711e-01,\n"
    "         5.0000e-01,  2.5882e-01, -8.7423e-08, -2.5882e-01, -5.0000e-01,\n"
    "        -7.0711e-01, -8.6603e-01, -9.6593e-01, -1.0000e+00, -9.6593e-01,\n"
    "        -8.6603e-01, -7.0711e-01, -5.0000e-01, -2.5882e-01,  1.7485e-07],\n"
    "       grad_fn=<SinBackward0>)"
)


def test_tutorial_linspace_prints_byte_for_byte():
    a = ak.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
    assert repr(a) == TUTORIAL_A
    assert str(a) == TUTORIAL_A


def test_tutorial_sin_prints_in_sci_mode():
    a = ak.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
    assert repr(ak.sin(a)) == TUTORIAL_SIN


def test_tutorial_sum_prints_scalar_with_grad_fn():
    a = ak.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
    out = (2 * ak.sin(a) + 1).sum()
    assert repr(out) == "tensor(25., grad_fn=<SumBackward0>)"


CASES = {
    "int": (lambda: ak.tensor([1, -20, 300]), "tensor([  1, -20, 300])"),
    "bool": (lambda: ak.tensor([True, False]), "tensor([ True, False])"),
    "bool_2d": (lambda: ak.tensor([[True], [False]]), "tensor([[ True],\n        [False]])"),
    "f64": (lambda: arr([1.5, 2.0], np.float64), "tensor([1.5000, 2.0000], dtype=torch.float64)"),
    "f64_rg": (
        lambda: arr([1.5, 2.0], np.float64).requires_grad_(),
        "tensor([1.5000, 2.0000], dtype=torch.float64, requires_grad=True)",
    ),
    "f64_suffixes_wrap": (
        lambda: ak.from_numpy(np.arange(9.0) / 7).requires_grad_(),
        "tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429],\n"
        "       dtype=torch.float64, requires_grad=True)",
    ),
    "int32": (lambda: arr([1, 2], np.int32), "tensor([1, 2], dtype=torch.int32)"),
    "uint8": (
        lambda: arr([[1, 2], [3, 255]], np.uint8),
        "tensor([[  1,   2],\n        [  3, 255]], dtype=torch.uint8)",
    ),
    "f16": (
        lambda: arr([1.5, 2.25, -0.001], np.float16),
        "tensor([ 1.5000e+00,  2.2500e+00, -1.0004e-03], dtype=torch.float16)",
    ),
    "2d": (
        lambda: ak.tensor([[1.0, 2.5, -3.0], [4.0, 5.0, 6.0]]),
        "tensor([[ 1.0000,  2.5000, -3.0000],\n        [ 4.0000,  5.0000,  6.0000]])",
    ),
    "3d": (
        lambda: arr(np.arange(12).reshape(2, 2, 3), np.int64),
        "tensor([[[ 0,  1,  2],\n         [ 3,  4,  5]],\n\n        [[ 6,  7,  8],\n         [ 9, 10, 11]]])",
    ),
    "3d_float": (
        lambda: arr(np.arange(12, dtype=np.float32).reshape(2, 2, 3) / np.float32(3)),
        "tensor([[[0.0000, 0.3333, 0.6667],\n         [1.0000, 1.3333, 1.6667]],\n\n"
        "        [[2.0000, 2.3333, 2.6667],\n         [3.0000, 3.3333, 3.6667]]])",
    ),
    "summarised_2000": (
        lambda: arr(np.arange(2000)),
        "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])",
    ),
    "summarised_100x100": (
        lambda: arr(np.arange(10000).reshape(100, 100), np.int64),
        "tensor([[   0,    1,    2,  ...,   97,   98,   99],\n"
        "        [ 100,  101,  102,  ...,  197,  198,  199],\n"
        "        [ 200,  201,  202,  ...,  297,  298,  299],\n"
        "        ...,\n"
        "        [9700, 9701, 9702,  ..., 9797, 9798, 9799],\n"
        "        [9800, 9801, 9802,  ..., 9897, 9898, 9899],\n"
        "        [9900, 9901, 9902,  ..., 9997, 9998, 9999]])",
    ),
    "summarised_100x100_float": (
        lambda: arr(np.arange(10000, dtype=np.float32).reshape(100, 100) / np.float32(7)),
        "tensor([[0.0000e+00, 1.4286e-01, 2.8571e-01,  ..., 1.3857e+01, 1.4000e+01,\n"
        "         1.4143e+01],\n"
        "        [1.4286e+01, 1.4429e+01, 1.4571e+01,  ..., 2.8143e+01, 2.8286e+01,\n"
        "         2.8429e+01],\n"
        "        [2.8571e+01, 2.8714e+01, 2.8857e+01,  ..., 4.2429e+01, 4.2571e+01,\n"
        "         4.2714e+01],\n"
        "        ...,\n"
        "        [1.3857e+03, 1.3859e+03, 1.3860e+03,  ..., 1.3996e+03, 1.3997e+03,\n"
        "         1.3999e+03],\n"
        "        [1.4000e+03, 1.4001e+03, 1.4003e+03,  ..., 1.4139e+03, 1.4140e+03,\n"
        "         1.4141e+03],\n"
        "        [1.4143e+03, 1.4144e+03, 1.4146e+03,  ..., 1.4281e+03, 1.4283e+03,\n"
        "         1.4284e+03]])",
    ),
    "empty": (lambda: ak.tensor([]), "tensor([])"),
    "empty_2d": (lambda: ak.zeros(0, 3), "tensor([], size=(0, 3))"),
    "empty_int": (lambda: ak.tensor([], dtype=ak.int64), "tensor([], dtype=torch.int64)"),
    "empty_3d_int": (
        lambda: ak.zeros((2, 0, 4), dtype=ak.int64),
        "tensor([], size=(2, 0, 4), dtype=torch.int64)",
    ),
    "empty_f64": (lambda: ak.zeros(0, dtype=ak.float64), "tensor([], dtype=torch.float64)"),
    "nan_inf": (lambda: ak.tensor([NAN, INF, -INF]), "tensor([nan, inf, -inf])"),
    "nan_fixed": (lambda: ak.tensor([1.5, NAN, -INF]), "tensor([1.5000,    nan,   -inf])"),
    "nan_sci": (
        lambda: ak.tensor([1e-5, NAN, -INF, 0.0]),
        "tensor([1.0000e-05,        nan,       -inf, 0.0000e+00])",
    ),
    "wide_ratio": (lambda: ak.tensor([123456.789, 1.0]), "tensor([1.2346e+05, 1.0000e+00])"),
    "fixed_mixed": (lambda: ak.tensor([100.0, 1.5]), "tensor([100.0000,   1.5000])"),
    "integer_valued_huge": (lambda: ak.tensor([1e20, 3.0]), "tensor([1.0000e+20, 3.0000e+00])"),
    "tiny": (lambda: ak.tensor([1e-8]), "tensor([1.0000e-08])"),
    "f64_three_digit_exponent": (
        lambda: arr([1e100, 1e-100], np.float64),
        "tensor([1.0000e+100, 1.0000e-100], dtype=torch.float64)",
    ),
    "neg_zero": (lambda: ak.tensor([0.0, -0.0]), "tensor([0., -0.])"),
    "neg_zero_fixed": (lambda: ak.tensor([1.5, -0.0]), "tensor([1.5000, -0.0000])"),
    "0d_float": (lambda: ak.tensor(25.0), "tensor(25.)"),
    "0d_int": (lambda: ak.tensor(3), "tensor(3)"),
    "0d_bool": (lambda: ak.tensor(True), "tensor(True)"),
    "0d_f64": (lambda: arr(2.5, np.float64), "tensor(2.5000, dtype=torch.float64)"),
    "0d_neg_zero": (lambda: ak.tensor(-0.0), "tensor(-0.)"),
    "0d_sci": (lambda: ak.tensor(1e-5), "tensor(1.0000e-05)"),
    "leaf_requires_grad": (
        lambda: ak.tensor([1.0, 2.0], requires_grad=True),
        "tensor([1., 2.], requires_grad=True)",
    ),
    "mul_node": (
        lambda: ak.tensor([1.0, 2.0], requires_grad=True) * 2,
        "tensor([2., 4.], grad_fn=<MulBackward0>)",
    ),
    "2d_requires_grad": (
        lambda: ak.zeros(2, 3, requires_grad=True),
        "tensor([[0., 0., 0.],\n        [0., 0., 0.]], requires_grad=True)",
    ),
    # On one line this would be exactly 80 columns, but PyTorch over-counts, so the suffix wraps.
    "suffix_wraps_at_pytorch_count": (
        lambda: ak.full((13,), 1.0, requires_grad=True),
        "tensor([1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1.],\n       requires_grad=True)",
    ),
    "suffix_stays": (
        lambda: ak.full((12,), 1.0, requires_grad=True),
        "tensor([1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1.], requires_grad=True)",
    ),
    "int8_suffix_wraps": (
        lambda: arr(np.arange(18) % 10, np.int8),
        "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7],\n       dtype=torch.int8)",
    ),
    "wrapped_ints": (
        lambda: arr(np.arange(30) * 1000, np.int64),
        "tensor([    0,  1000,  2000,  3000,  4000,  5000,  6000,  7000,  8000,  9000,\n"
        "        10000, 11000, 12000, 13000, 14000, 15000, 16000, 17000, 18000, 19000,\n"
        "        20000, 21000, 22000, 23000, 24000, 25000, 26000, 27000, 28000, 29000])",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_repr_matches_pytorch(name):
    build, expected = CASES[name]
    t = build()
    assert repr(t) == expected
    assert str(t) == expected


OPTION_CASES = [
    ({"threshold": 5}, lambda: ak.arange(10), "tensor([0, 1, 2,  ..., 7, 8, 9])"),
    ({"precision": 2}, lambda: ak.tensor([1.12345, -2.0]), "tensor([ 1.12, -2.00])"),
    ({"precision": 6}, lambda: ak.tensor([1.12345, -2.0]), "tensor([ 1.123450, -2.000000])"),
    ({"sci_mode": False}, lambda: ak.tensor([1e-5, 1.0]), "tensor([0.0000, 1.0000])"),
    ({"sci_mode": True}, lambda: ak.tensor([1.5, 2.0]), "tensor([1.5000e+00, 2.0000e+00])"),
    ({"profile": "short"}, lambda: ak.tensor([1.12345, 2.5]), "tensor([1.12, 2.50])"),
    ({"threshold": 5, "edgeitems": 0}, lambda: ak.arange(10), "tensor([...], size=(10,))"),
    (
        {"threshold": 5, "edgeitems": 0},
        lambda: arr(np.arange(12).reshape(3, 4)),
        "tensor([...], size=(3, 4))",
    ),
    (
        {"threshold": 5, "edgeitems": 1},
        lambda: arr(np.arange(12).reshape(3, 4)),
        "tensor([[ 0.,  ...,  3.],\n        ...,\n        [ 8.,  ..., 11.]])",
    ),
    (
        {"linewidth": 30},
        lambda: ak.arange(10.0),
        "tensor([0., 1., 2., 3., 4.,\n        5., 6., 7., 8., 9.])",
    ),
    (
        {"linewidth": 30},
        lambda: ak.tensor([1.0, 2.0], requires_grad=True),
        "tensor([1., 2.],\n       requires_grad=True)",
    ),
]


@pytest.mark.parametrize(("options", "build", "expected"), OPTION_CASES)
def test_set_printoptions_matches_pytorch(options, build, expected):
    ak.set_printoptions(**options)
    assert repr(build()) == expected


def test_profile_default_restores_and_full_disables_summarising():
    t = ak.arange(2000)
    ak.set_printoptions(profile="full")
    full = repr(t)
    assert "..." not in full and full.startswith("tensor([   0,    1,    2,    3")
    assert len(full) == 13336  # the length PyTorch prints with profile="full"
    ak.set_printoptions(profile="default")
    assert "..." in repr(t)
    assert ak.get_printoptions() == {
        "precision": 4,
        "threshold": 1000,
        "edgeitems": 3,
        "linewidth": 80,
        "sci_mode": None,
    }


def test_printoptions_context_manager_restores_previous_options():
    with ak.printoptions(precision=2):
        assert repr(ak.tensor([1.12345])) == "tensor([1.12])"
    assert repr(ak.tensor([1.12345])) == "tensor([1.1235])"


def test_non_default_float_dtype_gets_a_suffix_under_default_float64():
    ak.set_default_dtype(ak.float64)
    assert repr(arr([1.0, 2.0], np.float32)) == "tensor([1., 2.], dtype=torch.float32)"
    assert repr(arr([1.0, 2.0], np.float64)) == "tensor([1., 2.])"
    assert repr(ak.zeros(0, dtype=ak.float32)) == "tensor([], dtype=torch.float32)"
    assert repr(ak.zeros(0)) == "tensor([])"


def test_user_subclass_prints_its_class_name():
    class MyT(ak.Tensor):
        pass

    t = MyT([1.0, 2.0])
    assert repr(t) == "MyT([1., 2.])"


def test_printing_does_not_record_a_graph_or_bump_versions():
    x = ak.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    version, node = y._version, y.grad_fn
    repr(y)
    assert y._version == version and y.grad_fn is node


def test_formatter_width_matches_a_full_scan():
    # The formatter measures only each sign's extreme values; check that equals a full scan.
    rng = np.random.default_rng(0)
    for scale in (1e-6, 1.0, 1e3, 1e12):
        values = (rng.standard_normal(500) * scale).astype(np.float32)
        fmt = _tensor_str._Formatter(values)
        full = max(len(fmt.format(float(v)).lstrip()) for v in values)
        assert fmt.max_width == full
