"""Op-table cases for + - * / ** and negation."""

import numpy as np

from tests.ops.op_table import OpCase

BROADCAST_PAIRS = [((3, 4), (3, 4)), ((3, 1), (4,)), ((2, 3, 4), (3, 1)), ((), (3,)), ((4,), ())]

CASES = [
    OpCase("add", lambda a, b: a + b, np.add, BROADCAST_PAIRS, node="AddBackward0"),
    OpCase("add_alpha", lambda a, b: a.add(b, alpha=2.5), lambda a, b: a + 2.5 * b, BROADCAST_PAIRS[:2]),
    OpCase("add_scalar", lambda a: a + 1.5, lambda a: a + 1.5, [((3,),)], node="AddBackward0"),
    OpCase("radd_scalar", lambda a: 1.5 + a, lambda a: 1.5 + a, [((3,),)], node="AddBackward0"),
    OpCase("sub", lambda a, b: a - b, np.subtract, BROADCAST_PAIRS, node="SubBackward0"),
    OpCase("rsub_scalar", lambda a: 2 - a, lambda a: 2 - a, [((2, 3),)], node="RsubBackward1"),
    OpCase("mul", lambda a, b: a * b, np.multiply, BROADCAST_PAIRS, node="MulBackward0"),
    OpCase("mul_scalar", lambda a: 2 * a, lambda a: 2 * a, [((3,),)], node="MulBackward0"),
    OpCase("div", lambda a, b: a / b, np.divide, BROADCAST_PAIRS, low=0.5, high=2.0, node="DivBackward0"),
    OpCase("rdiv_scalar", lambda a: 2 / a, lambda a: 2 / a, [((3,),)], low=0.5, high=2.0),
    OpCase("pow_scalar", lambda a: a**3, lambda a: a**3, [((3, 2),), ((),)], node="PowBackward0"),
    OpCase("pow_frac", lambda a: a**0.5, np.sqrt, [((4,),)], low=0.5, high=2.0, node="PowBackward0"),
    # Exponents with a cheaper kernel (square, reciprocal), as PyTorch has; 1 and -2 take pow.
    OpCase("pow_square", lambda a: a**2, np.square, [((3, 2),), ((),)], node="PowBackward0"),
    OpCase("pow_square_float", lambda a: a**2.0, np.square, [((4,),)], node="PowBackward0"),
    OpCase(
        "pow_reciprocal", lambda a: a**-1, np.reciprocal, [((4,),)], low=0.5, high=2.0, node="PowBackward0"
    ),
    OpCase("pow_one", lambda a: a**1, lambda a: a.copy(), [((4,),)], node="PowBackward0"),
    OpCase(
        "pow_minus_two", lambda a: a**-2, lambda a: a**-2.0, [((4,),)], low=0.5, high=2.0, node="PowBackward0"
    ),
    OpCase(
        "pow_tensor", lambda a, b: a**b, np.power, BROADCAST_PAIRS[:3], low=0.5, high=2.0, node="PowBackward1"
    ),
    OpCase("rpow_scalar", lambda a: 2.0**a, lambda a: 2.0**a, [((3,),)], node="PowBackward2"),
    OpCase("neg", lambda a: -a, np.negative, [((3, 2),), ((),)], node="NegBackward0"),
    OpCase(
        "reciprocal",
        lambda a: a.reciprocal(),
        np.reciprocal,
        [((3,),)],
        low=0.5,
        high=2.0,
        node="ReciprocalBackward0",
    ),
]
