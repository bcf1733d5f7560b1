"""Op-table cases for the unary math ops, activations, clamp/where/maximum/masked_fill/lerp, the
overwriting ops (copy_, fill_) and in-place spellings on non-leaves. Node names were checked
against PyTorch 2.13."""

import math

import numpy as np

import autograd_kit as ak
from tests.ops.op_table import OpCase

UNARY = [((3, 4),), ((),)]
PAIRS = [((3, 4), (3, 4)), ((3, 1), (4,)), ((2, 3, 4), (3, 1)), ((), (3,)), ((4,), ())]
TRIPLES = [((3, 4), (3, 4), (3, 4)), ((3, 4), (4,), (3, 1)), ((), (3,), ())]


def _unary(name, fn, ref, node, low=-2.0, high=2.0):
    return OpCase(name, fn, ref, UNARY, low=low, high=high, node=node)


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


def _lerp(a, b, w):
    return a + w * (b - a)


CASES = [
    _unary("exp", ak.exp, np.exp, "ExpBackward0"),
    _unary("expm1", lambda a: a.expm1(), np.expm1, "Expm1Backward0"),
    _unary("log", ak.log, np.log, "LogBackward0", low=0.5),
    _unary("log1p", ak.log1p, np.log1p, "Log1PBackward0", low=-0.5),
    _unary("log2", ak.log2, np.log2, "Log2Backward0", low=0.5),
    _unary("log10", lambda a: a.log10(), np.log10, "Log10Backward0", low=0.5),
    _unary("sqrt", ak.sqrt, np.sqrt, "SqrtBackward0", low=0.5),
    _unary("rsqrt", ak.rsqrt, lambda a: 1 / np.sqrt(a), "RsqrtBackward0", low=0.5),
    _unary("sin", ak.sin, np.sin, "SinBackward0"),
    _unary("erf", ak.erf, np.vectorize(math.erf), "ErfBackward0"),
    _unary("cos", lambda a: a.cos(), np.cos, "CosBackward0"),
    _unary("tan", ak.tan, np.tan, "TanBackward0", low=-1.2, high=1.2),
    _unary("tanh", ak.tanh, np.tanh, "TanhBackward0"),
    _unary("sigmoid", lambda a: a.sigmoid(), _sigmoid, "SigmoidBackward0"),
    _unary("relu", ak.relu, lambda a: np.maximum(a, 0), "ReluBackward0"),
    _unary("abs", lambda a: a.abs(), np.abs, "AbsBackward0"),
    _unary("square", ak.square, np.square, "PowBackward0"),
    _unary("sign", ak.sign, np.sign, "SignBackward0"),
    _unary("floor", ak.floor, np.floor, "FloorBackward0"),
    _unary("ceil", lambda a: a.ceil(), np.ceil, "CeilBackward0"),
    _unary("round", ak.round, np.round, "RoundBackward0"),
    _unary("round_decimals", lambda a: ak.round(a, decimals=1), lambda a: np.round(a, 1), "RoundBackward1"),
    _unary("trunc", ak.trunc, np.trunc, "TruncBackward0"),
    # clamp: the gradient passes inside [min, max]; number bounds give ClampBackward1
    _unary("clamp", lambda a: a.clamp(-0.5, 0.8), lambda a: np.clip(a, -0.5, 0.8), "ClampBackward1"),
    _unary("clamp_min", lambda a: ak.clamp(a, min=0.3), lambda a: np.maximum(a, 0.3), "ClampBackward1"),
    _unary("clip_max", lambda a: ak.clip(a, max=0.3), lambda a: np.minimum(a, 0.3), "ClampBackward1"),
    _unary("clamp_min_fn", lambda a: ak.clamp_min(a, 0.3), lambda a: np.maximum(a, 0.3), "ClampMinBackward0"),
    _unary("clamp_max_fn", lambda a: a.clamp_max(0.3), lambda a: np.minimum(a, 0.3), "ClampMaxBackward0"),
    OpCase(
        "clamp_tensor",
        lambda a, lo, hi: ak.clamp(a, lo, hi),
        lambda a, lo, hi: np.minimum(np.maximum(a, lo), hi),
        TRIPLES,
        node="ClampBackward0",
    ),
    OpCase("clamp_tensor_min", lambda a, lo: a.clamp(min=lo), np.maximum, PAIRS, node="ClampBackward0"),
    OpCase("clamp_tensor_max", lambda a, hi: a.clamp(max=hi), np.minimum, PAIRS[:3], node="ClampBackward0"),
    OpCase("clamp_min_tensor", ak.clamp_min, np.maximum, PAIRS[:3], node="ClampMinBackward1"),
    OpCase(
        "clamp_max_tensor", lambda a, hi: a.clamp_max(hi), np.minimum, PAIRS[:3], node="ClampMaxBackward1"
    ),
    OpCase("maximum", ak.maximum, np.maximum, PAIRS, node="MaximumBackward0"),
    OpCase("minimum", lambda a, b: a.minimum(b), np.minimum, PAIRS, node="MinimumBackward0"),
    OpCase(
        "where",
        lambda a, b: ak.where(a > 0.3, a, b),
        lambda a, b: np.where(a > 0.3, a, b),
        PAIRS,
        node="WhereBackward0",
    ),
    OpCase("where_number_other", lambda a: ak.where(a > 0, a, 0.5), lambda a: np.where(a > 0, a, 0.5), UNARY),
    OpCase(
        "where_number_self",
        lambda a, b: ak.where(a < 0, 2.0, b),
        lambda a, b: np.where(a < 0, 2.0, b),
        PAIRS[:2],
        node="WhereBackward0",
    ),
    OpCase("where_method", lambda a, b: a.where(b > 0, b), lambda a, b: np.where(b > 0, a, b), PAIRS[:3]),
    OpCase(
        "masked_fill",
        lambda a: a.masked_fill(a > 0.5, 2.0),
        lambda a: np.where(a > 0.5, 2.0, a),
        UNARY,
        node="MaskedFillBackward0",
    ),
    OpCase(
        "masked_fill_broadcast_mask",
        lambda a, m: a.masked_fill(m > 0, -1.0),
        lambda a, m: np.where(m > 0, -1.0, a),
        [((4,), (3, 4)), ((3, 4), (3, 1))],
        node="MaskedFillBackward0",
    ),
    OpCase(
        "masked_fill_tensor_value",
        lambda a, v: ak.masked_fill(a, a > 0, v),
        lambda a, v: np.where(a > 0, v, a),
        [((3, 4), ()), ((), ())],
        node="MaskedFillBackward1",
    ),
    OpCase(
        "lerp", lambda a, b: ak.lerp(a, b, 0.3), lambda a, b: _lerp(a, b, 0.3), PAIRS, node="LerpBackward0"
    ),
    OpCase("lerp_high_weight", lambda a, b: a.lerp(b, 0.8), lambda a, b: _lerp(a, b, 0.8), PAIRS[:2]),
    OpCase("lerp_tensor", ak.lerp, _lerp, TRIPLES, low=-1.0, high=1.0, node="LerpBackward1"),
    # overwriting ops: the old values get a zero gradient, the source gets the (summed) gradient
    OpCase(
        "copy_",
        lambda a, b: (a * 1).copy_(b),
        lambda a, b: np.broadcast_to(b, a.shape).copy(),
        [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 3), ())],
        node="CopyBackwards",
    ),
    OpCase(
        "fill_tensor",
        lambda a, v: (a * 1).fill_(v),
        lambda a, v: np.full_like(a, v),
        [((3, 4), ()), ((), ())],
        node="FillBackward3",
    ),
    OpCase("fill_number", lambda a: (a * 1).fill_(0.5) * a, lambda a: 0.5 * a, UNARY),
    OpCase("zero_", lambda a: (a * 1).zero_() + a * a, lambda a: a * a, UNARY),
    # in-place spellings on a non-leaf: the node is rebound and saved inputs/results still hold
    _unary("sin_", lambda a: (a * 1).sin_(), np.sin, "SinBackward0"),
    _unary("exp_fn_", lambda a: ak.exp_(a * 1), np.exp, "ExpBackward0"),
    _unary("sqrt_", lambda a: (a + 0).sqrt_(), np.sqrt, "SqrtBackward0", low=0.5),
    _unary("relu_", lambda a: ak.relu_(a * 1), lambda a: np.maximum(a, 0), "ReluBackward0"),
    _unary("sigmoid_", lambda a: (a * 1).sigmoid_(), _sigmoid, "SigmoidBackward0"),
    _unary("tanh_", lambda a: (a * 1).tanh_(), np.tanh, "TanhBackward0"),
    _unary("clamp_", lambda a: (a * 1).clamp_(-0.5, 0.8), lambda a: np.clip(a, -0.5, 0.8), "ClampBackward1"),
    _unary("square_", lambda a: (a * 1).square_(), np.square, "PowBackward0"),
    OpCase(
        "masked_fill_",
        lambda a: (a * 1).masked_fill_(a > 0.5, 2.0),
        lambda a: np.where(a > 0.5, 2.0, a),
        UNARY,
        node="MaskedFillBackward0",
    ),
    OpCase("lerp_", lambda a, b: (a * 1).lerp_(b, 0.3), lambda a, b: _lerp(a, b, 0.3), PAIRS[:1]),
]
