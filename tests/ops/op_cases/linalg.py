"""Op-table cases for the matrix products: matmul/@ in every rank combination (1-D, 2-D,
batched with broadcasting), mm, bmm, mv, dot, outer and addmm (nn.Linear's form included)."""

import numpy as np

import autograd_kit as ak
from tests.ops.op_table import OpCase

CASES = [
    OpCase(
        "matmul_2d",
        lambda a, b: a @ b,
        np.matmul,
        [((3, 3), (3, 3)), ((2, 3), (3, 4)), ((1, 1), (1, 2))],
        node="MmBackward0",
    ),
    OpCase("matmul_fn", lambda a, b: ak.matmul(a, b), np.matmul, [((2, 3), (3, 4))], node="MmBackward0"),
    OpCase("matmul_1d_1d", lambda a, b: a @ b, np.matmul, [((3,), (3,)), ((1,), (1,))], node="DotBackward0"),
    OpCase("matmul_2d_1d", lambda a, b: a @ b, np.matmul, [((2, 3), (3,))], node="MvBackward0"),
    OpCase("matmul_1d_2d", lambda a, b: a @ b, np.matmul, [((3,), (3, 4))], node="MmBackward0"),
    OpCase(
        "matmul_nd_2d",
        lambda a, b: a @ b,
        np.matmul,
        [((2, 2, 3), (3, 4)), ((2, 1, 2, 3), (3, 2))],
        node="MmBackward0",
    ),
    OpCase("matmul_2d_nd", lambda a, b: a @ b, np.matmul, [((2, 3), (2, 3, 4))], node="MmBackward0"),
    OpCase("matmul_nd_1d", lambda a, b: a @ b, np.matmul, [((2, 2, 3), (3,))], node="MvBackward0"),
    OpCase(
        "matmul_1d_nd",
        lambda a, b: a @ b,
        np.matmul,
        [((3,), (2, 3, 4)), ((3,), (2, 1, 3, 2))],
        node="MvBackward0",
    ),
    OpCase(
        "matmul_batched",
        lambda a, b: a @ b,
        np.matmul,
        [((3, 3, 3), (3, 3, 3)), ((2, 2, 3), (2, 3, 4)), ((2, 1, 2, 3), (3, 3, 2)), ((1, 2, 3), (4, 3, 2))],
        node="BmmBackward0",
    ),
    OpCase("rmatmul", lambda a, b: b.__rmatmul__(a), np.matmul, [((2, 3), (3, 4))], node="MmBackward0"),
    OpCase("mm", lambda a, b: a.mm(b), np.matmul, [((3, 3), (3, 3)), ((2, 3), (3, 4))], node="MmBackward0"),
    OpCase(
        "bmm",
        lambda a, b: ak.bmm(a, b),
        np.matmul,
        [((2, 3, 3), (2, 3, 3)), ((2, 2, 3), (2, 3, 4))],
        node="BmmBackward0",
    ),
    OpCase("mv", lambda a, b: a.mv(b), np.matmul, [((2, 3), (3,)), ((1, 1), (1,))], node="MvBackward0"),
    OpCase("dot", lambda a, b: ak.dot(a, b), np.dot, [((4,), (4,))], node="DotBackward0"),
    OpCase(
        "outer",
        lambda a, b: a.outer(b),
        np.outer,
        [((3,), (3,)), ((3,), (4,)), ((1,), (2,))],
        node="MulBackward0",
    ),
    OpCase(
        "addmm",
        lambda c, a, b: ak.addmm(c, a, b),
        lambda c, a, b: c + a @ b,
        [
            ((3, 3), (3, 3), (3, 3)),
            ((4,), (2, 3), (3, 4)),
            ((1, 4), (2, 3), (3, 4)),
            ((2, 1), (2, 3), (3, 4)),
            ((), (2, 3), (3, 4)),
        ],
        node="AddmmBackward0",
    ),
    OpCase(
        "addmm_beta_alpha",
        lambda c, a, b: c.addmm(a, b, beta=0.5, alpha=-2.0),
        lambda c, a, b: 0.5 * c + -2.0 * (a @ b),
        [((3, 3), (3, 3), (3, 3)), ((4,), (2, 3), (3, 4))],
        node="AddmmBackward0",
    ),
    OpCase(
        "addmm_beta0",
        lambda c, a, b: ak.addmm(c, a, b, beta=0),
        lambda c, a, b: a @ b,
        [((4,), (2, 3), (3, 4))],
    ),
    OpCase(
        "addmm_linear",
        lambda bias, x, w: ak.addmm(bias, x, w.t()),
        lambda bias, x, w: x @ w.T + bias,
        [((4,), (5, 3), (4, 3))],
        node="AddmmBackward0",
    ),
]
