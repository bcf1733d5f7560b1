"""Op-table cases for the reductions: sum, mean, max/min, amax/amin, prod, cumsum, var/std, norm,
logsumexp, softmax and log_softmax (dims, keepdim, negative dims, 0-d and 1-element inputs)."""

import numpy as np

import autograd_kit as ak
from tests.ops.op_table import OpCase

ONE = [((3, 4),), ((2, 3, 4),)]
WITH_SMALL = [((3, 4),), ((),), ((1,),), ((2, 3, 4),)]


def _distinct(shape: tuple, scale: float = 0.37):
    """Values ``scale`` apart and none 0, so a max/min (or |x|) is never tied or at its kink
    within finite-difference reach."""

    def make(rng: np.random.Generator) -> tuple:
        n = int(np.prod(shape))
        return (((rng.permutation(n) - n / 2 + 0.5) * scale).reshape(shape),)

    return make


def _distinct_abs(shape: tuple, scale: float = 0.29):
    """Magnitudes ``scale`` apart (none 0) with random signs: |x| is never tied."""

    def make(rng: np.random.Generator) -> tuple:
        n = int(np.prod(shape))
        signs = rng.choice([-1.0, 1.0], size=n)
        return (((rng.permutation(n) + 1) * scale * signs).reshape(shape),)

    return make


def _with_zeros(values: list):
    def make(rng: np.random.Generator) -> tuple:
        return (np.array(values, dtype=np.float64),)

    return make


def _softmax_ref(a: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _lse_ref(a: np.ndarray, axis, keepdims: bool = False) -> np.ndarray:
    return np.log(np.exp(a).sum(axis=axis, keepdims=keepdims))


CASES = [
    # sum
    OpCase("sum", lambda a: a.sum(), np.sum, WITH_SMALL, node="SumBackward0"),
    OpCase("sum_dim", lambda a: a.sum(1), lambda a: a.sum(1), ONE, node="SumBackward1"),
    OpCase("sum_neg_dim", lambda a: ak.sum(a, -1), lambda a: a.sum(-1), ONE, node="SumBackward1"),
    OpCase("sum_keepdim", lambda a: a.sum(0, keepdim=True), lambda a: a.sum(0, keepdims=True), ONE),
    OpCase(
        "sum_tuple", lambda a: a.sum((0, -1)), lambda a: a.sum((0, -1)), [((2, 3, 4),)], node="SumBackward1"
    ),
    OpCase(
        "sum_tuple_keepdim",
        lambda a: a.sum((2, 0), keepdim=True),
        lambda a: a.sum((0, 2), keepdims=True),
        [((2, 3, 4),)],
    ),
    OpCase("sum_empty_dims", lambda a: a.sum(()), np.sum, [((3, 4),)], node="SumBackward1"),
    OpCase("sum_0d_dim", lambda a: a.sum(0), lambda a: a, [((),)], node="SumBackward1"),
    OpCase("sum_1elem_dim", lambda a: a.sum(0), lambda a: a.sum(0), [((1,),), ((1, 1),)]),
    OpCase(
        "sum_numpy_aliases",
        lambda a: a.sum(axis=(0,), keepdims=True),
        lambda a: a.sum(axis=0, keepdims=True),
        [((3, 4),)],
    ),
    # mean
    OpCase("mean", lambda a: a.mean(), np.mean, WITH_SMALL, node="MeanBackward0"),
    OpCase("mean_dim", lambda a: a.mean(-2), lambda a: a.mean(-2), ONE, node="MeanBackward1"),
    OpCase("mean_keepdim", lambda a: a.mean(1, keepdim=True), lambda a: a.mean(1, keepdims=True), ONE),
    OpCase("mean_tuple", lambda a: ak.mean(a, (0, 2)), lambda a: a.mean((0, 2)), [((2, 3, 4),)]),
    OpCase("mean_0d_dim", lambda a: a.mean(-1), lambda a: a, [((),)]),
    # max / min
    OpCase("max", lambda a: a.max(), np.max, make_inputs=_distinct((3, 4)), node="MaxBackward1"),
    OpCase("max_1elem", lambda a: a.max(), np.max, make_inputs=_distinct((1,)), node="MaxBackward1"),
    OpCase("max_0d", lambda a: ak.max(a), np.max, make_inputs=_distinct(())),
    OpCase(
        "max_dim",
        lambda a: a.max(1),
        lambda a: (a.max(1), a.argmax(1)),
        make_inputs=_distinct((3, 4)),
        node="MaxBackward0",
    ),
    OpCase(
        "max_dim_keepdim_3d",
        lambda a: ak.max(a, -2, keepdim=True),
        lambda a: (a.max(-2, keepdims=True), a.argmax(-2, keepdims=True)),
        make_inputs=_distinct((2, 3, 4)),
        node="MaxBackward0",
    ),
    OpCase(
        "max_dim_0d",
        lambda a: a.max(0),
        lambda a: (a, np.int64(0)),
        make_inputs=_distinct(()),
        node="MaxBackward0",
    ),
    OpCase("min", lambda a: a.min(), np.min, make_inputs=_distinct((2, 3)), node="MinBackward1"),
    OpCase(
        "min_dim",
        lambda a: a.min(0),
        lambda a: (a.min(0), a.argmin(0)),
        make_inputs=_distinct((3, 4)),
        node="MinBackward0",
    ),
    OpCase(
        "min_dim_keepdim",
        lambda a: a.min(-1, keepdim=True),
        lambda a: (a.min(-1, keepdims=True), a.argmin(-1, keepdims=True)),
        make_inputs=_distinct((3, 4)),
    ),
    OpCase(
        "min_dim_1elem",
        lambda a: a.min(-1),
        lambda a: (a.min(-1), a.argmin(-1)),
        make_inputs=_distinct((1, 1)),
        node="MinBackward0",
    ),
    OpCase("min_0d", lambda a: a.min(), np.min, make_inputs=_distinct(()), node="MinBackward1"),
    # amax / amin
    OpCase("amax", lambda a: a.amax(), np.max, make_inputs=_distinct((3, 4)), node="AmaxBackward0"),
    OpCase(
        "amax_dim",
        lambda a: a.amax(1),
        lambda a: a.max(1),
        make_inputs=_distinct((3, 4)),
        node="AmaxBackward0",
    ),
    OpCase(
        "amax_tuple_keepdim",
        lambda a: ak.amax(a, (0, -1), keepdim=True),
        lambda a: a.max((0, 2), keepdims=True),
        make_inputs=_distinct((2, 3, 4)),
    ),
    OpCase(
        "amin_dim",
        lambda a: a.amin(-1),
        lambda a: a.min(-1),
        make_inputs=_distinct((3, 4)),
        node="AminBackward0",
    ),
    OpCase("amin_0d", lambda a: a.amin(), lambda a: a, make_inputs=_distinct(())),
    OpCase("amax_1elem_dim", lambda a: a.amax(0), lambda a: a.max(0), make_inputs=_distinct((1, 2))),
    # prod
    OpCase(
        "prod",
        lambda a: a.prod(),
        np.prod,
        [((3, 4),), ((),), ((1,),)],
        low=0.5,
        high=1.5,
        node="ProdBackward0",
    ),
    OpCase("prod_signed", lambda a: a.prod(), np.prod, [((2, 3),)], node="ProdBackward0"),
    OpCase("prod_dim", lambda a: a.prod(1), lambda a: a.prod(1), ONE, node="ProdBackward1"),
    OpCase(
        "prod_neg_dim_keepdim", lambda a: a.prod(-1, keepdim=True), lambda a: a.prod(-1, keepdims=True), ONE
    ),
    OpCase("prod_0d_dim", lambda a: a.prod(0), lambda a: a, [((),)], node="ProdBackward1"),
    OpCase("prod_one_zero", lambda a: a.prod(), np.prod, make_inputs=_with_zeros([1.5, 0.0, -2.0, 0.7])),
    OpCase("prod_two_zeros", lambda a: a.prod(), np.prod, make_inputs=_with_zeros([1.5, 0.0, -2.0, 0.0])),
    OpCase(
        "prod_dim_zeros",
        lambda a: a.prod(0),
        lambda a: a.prod(0),
        make_inputs=lambda rng: (np.array([[0.0, 1.5, 0.0], [2.0, 0.0, 0.0], [-1.2, 0.8, 3.0]]),),
    ),
    # cumsum
    OpCase("cumsum", lambda a: a.cumsum(1), lambda a: np.cumsum(a, 1), ONE, node="CumsumBackward0"),
    OpCase("cumsum_neg", lambda a: ak.cumsum(a, dim=-3), lambda a: np.cumsum(a, 0), [((2, 3, 4),)]),
    OpCase("cumsum_1d", lambda a: a.cumsum(0), lambda a: np.cumsum(a), [((5,),), ((1,),)]),
    OpCase("cumsum_0d", lambda a: a.cumsum(0), lambda a: a, [((),)], node="CumsumBackward0"),
    # var / std (a 0-d or 1-element input has no degree of freedom: nan, see test_reduction)
    OpCase(
        "var",
        lambda a: a.var(),
        lambda a: a.var(ddof=1),
        WITH_SMALL[:1] + [((2, 3, 4),)],
        node="VarBackward0",
    ),
    OpCase("var_dim", lambda a: a.var(1), lambda a: a.var(1, ddof=1), ONE, node="VarBackward0"),
    OpCase("var_biased", lambda a: a.var(0, unbiased=False), lambda a: a.var(0), ONE),
    OpCase(
        "var_correction_keepdim",
        lambda a: ak.var(a, -1, keepdim=True, correction=2),
        lambda a: a.var(-1, ddof=2, keepdims=True),
        ONE,
    ),
    OpCase("var_tuple", lambda a: a.var((0, 2)), lambda a: a.var((0, 2), ddof=1), [((2, 3, 4),)]),
    OpCase("std", lambda a: a.std(), lambda a: a.std(ddof=1), ONE, node="StdBackward0"),
    OpCase(
        "std_dim_keepdim", lambda a: a.std(-1, keepdim=True), lambda a: a.std(-1, ddof=1, keepdims=True), ONE
    ),
    OpCase(
        "std_biased_tuple", lambda a: ak.std(a, (0, 1), correction=0), lambda a: a.std((0, 1)), [((2, 3, 4),)]
    ),
    # norm (inputs kept away from 0, where |x| has a kink)
    OpCase(
        "norm", lambda a: a.norm(), lambda a: np.sqrt((a * a).sum()), ONE, node="LinalgVectorNormBackward0"
    ),
    OpCase(
        "norm_dim",
        lambda a: a.norm(dim=1),
        lambda a: np.sqrt((a * a).sum(1)),
        ONE,
        node="LinalgVectorNormBackward0",
    ),
    OpCase(
        "norm_fro_tuple",
        lambda a: ak.norm(a, "fro", (0, 1), True),
        lambda a: np.sqrt((a * a).sum((0, 1), keepdims=True)),
        [((2, 3, 4),)],
    ),
    OpCase("norm_p1", lambda a: a.norm(p=1), lambda a: np.abs(a).sum(), make_inputs=_distinct_abs((3, 4))),
    OpCase(
        "norm_p1_dim", lambda a: a.norm(1, -1), lambda a: np.abs(a).sum(-1), make_inputs=_distinct_abs((3, 4))
    ),
    OpCase(
        "norm_inf",
        lambda a: a.norm(p=float("inf")),
        lambda a: np.abs(a).max(),
        make_inputs=_distinct_abs((3, 4)),
    ),
    OpCase(
        "norm_neg_inf_dim",
        lambda a: a.norm(-float("inf"), 0),
        lambda a: np.abs(a).min(0),
        make_inputs=_distinct_abs((3, 4)),
    ),
    OpCase(
        "norm_p3",
        lambda a: a.norm(3),
        lambda a: (np.abs(a) ** 3).sum() ** (1 / 3),
        make_inputs=_distinct_abs((3, 4)),
    ),
    OpCase(
        "norm_p_half_dim",
        lambda a: a.norm(0.5, 1),
        lambda a: (np.abs(a) ** 0.5).sum(1) ** 2,
        ONE[:1],
        low=0.3,
        high=2.0,
    ),
    OpCase("norm_0d", lambda a: a.norm(), np.abs, [((),)], low=0.5, high=2.0),
    OpCase(
        "norm_1elem_dim",
        lambda a: a.norm(dim=-1),
        lambda a: np.abs(a).sum(-1),
        [((2, 1),)],
        low=0.5,
        high=2.0,
    ),
    # logsumexp
    OpCase("logsumexp", lambda a: a.logsumexp(1), lambda a: _lse_ref(a, 1), ONE, node="LogsumexpBackward0"),
    OpCase(
        "logsumexp_keepdim", lambda a: ak.logsumexp(a, -1, keepdim=True), lambda a: _lse_ref(a, -1, True), ONE
    ),
    OpCase("logsumexp_tuple", lambda a: a.logsumexp((0, 2)), lambda a: _lse_ref(a, (0, 2)), [((2, 3, 4),)]),
    OpCase("logsumexp_0d", lambda a: a.logsumexp(0), lambda a: a, [((),), ((1,),)]),
    # softmax / log_softmax
    OpCase("softmax", lambda a: a.softmax(1), lambda a: _softmax_ref(a, 1), ONE, node="SoftmaxBackward0"),
    OpCase("softmax_dim0", lambda a: ak.softmax(a, 0), lambda a: _softmax_ref(a, 0), ONE),
    OpCase("softmax_neg", lambda a: a.softmax(-2), lambda a: _softmax_ref(a, -2), [((2, 3, 4),)]),
    OpCase("softmax_0d", lambda a: a.softmax(0), lambda a: np.ones_like(a), [((),), ((1,),)]),
    OpCase(
        "log_softmax",
        lambda a: a.log_softmax(1),
        lambda a: np.log(_softmax_ref(a, 1)),
        ONE,
        node="LogSoftmaxBackward0",
    ),
    OpCase(
        "log_softmax_neg",
        lambda a: ak.log_softmax(a, -3),
        lambda a: np.log(_softmax_ref(a, 0)),
        [((2, 3, 4),)],
    ),
    OpCase("log_softmax_0d", lambda a: a.log_softmax(0), lambda a: np.zeros_like(a), [((),), ((1,),)]),
]
