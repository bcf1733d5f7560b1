"""Op-table cases for the differentiable conversions (casts are checked in float64, so only the
copying spellings are gradchecked here; dtype round trips live in tests/test_conversion.py)."""

import numpy as np

import autograd_kit as ak
from tests.ops.op_table import OpCase

CASES = [
    OpCase("clone", lambda a: a.clone(), lambda a: a.copy(), [((3, 4),), ((),)], node="CloneBackward0"),
    OpCase("clone_fn", lambda a: ak.clone(a) * a, np.square, [((3,),)], node="MulBackward0"),
    OpCase(
        "to_copy",
        lambda a: a.to(ak.float64, copy=True),
        lambda a: a.copy(),
        [((2, 3),)],
        node="ToCopyBackward0",
    ),
    OpCase(
        "contiguous_of_transpose",
        lambda a: a.t().contiguous(),
        lambda a: a.T.copy(),
        [((3, 4),)],
        node="CloneBackward0",
    ),
    OpCase("double_is_self", lambda a: a.double() * 2, lambda a: 2 * a, [((3,),)], node="MulBackward0"),
]
