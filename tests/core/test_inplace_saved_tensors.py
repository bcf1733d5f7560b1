"""The saved-tensor version error: a tensor saved for backward and then modified in place.
Each scenario's message (which op, which version) was checked against torch 2.13, as were the
cases where nothing was saved and the modification is harmless.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers import arr, raises
from tests.helpers import const32 as const
from tests.helpers import leaf32 as leaf

HINT = (
    " Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
    "with torch.autograd.set_detect_anomaly(True, check_nan=False)."
)


def modified(desc: str, version: int, expected: int = 0) -> str:
    """torch's message for a saved tensor modified in place (``desc`` includes the 'which is' part)."""
    return (
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: {desc} is at version {version}; expected version {expected} instead." + HINT
    )


def test_saved_input_modified_names_the_inplace_op():
    x = leaf([1.0, 1.0, 1.0])
    y = x * 2
    z = y * y  # saves y
    y.mul_(3)  # y's grad_fn is now the mul_ node
    with pytest.raises(
        RuntimeError, match=re.escape(modified("[torch.FloatTensor [3]], which is output 0 of Mul,", 1))
    ):
        z.sum().backward()


def test_saved_input_modified_twice_reports_current_version():
    x = leaf([1.0, 1.0, 1.0])
    y = x * 2
    z = y * y
    y.mul_(3)
    y.mul_(3)
    with pytest.raises(
        RuntimeError, match=re.escape(modified("[torch.FloatTensor [3]], which is output 0 of Mul,", 2))
    ):
        z.sum().backward()


def test_saved_input_float64_2d_modified_by_add():
    x = leaf(np.ones((2, 3)), np.float64)
    y = x * 2
    z = y * y
    y.add_(1)
    with pytest.raises(
        RuntimeError, match=re.escape(modified("[torch.DoubleTensor [2, 3]], which is output 0 of Add,", 1))
    ):
        z.sum().backward()


def test_saved_zero_dim_modified():
    x = leaf(1.0)
    y = x * 2
    z = y * y
    y.add_(1)
    with pytest.raises(
        RuntimeError, match=re.escape(modified("[torch.FloatTensor []], which is output 0 of Add,", 1))
    ):
        z.backward()


@pytest.mark.parametrize(
    "make, label",
    [
        (lambda x: 2 - x, "Rsub1"),
        (lambda x: x ** const([1.0, 1.0, 1.0]), "Pow1"),
        (lambda x: 2.0**x, "Pow2"),
        (lambda x: x / 2, "Div"),
    ],
)
def test_modified_through_detach_names_the_creating_op(make, label):
    # detach() shares the version counter but not grad_fn: the message names the op that made y
    x = leaf([1.0, 1.0, 1.0])
    y = make(x)
    z = y * y
    y.detach().add_(1)
    with pytest.raises(
        RuntimeError, match=re.escape(modified(f"[torch.FloatTensor [3]], which is output 0 of {label},", 1))
    ):
        z.sum().backward()


def test_saved_output_modified_names_its_own_node():
    # reciprocal saves its result; torch: "which is output 0 of Reciprocal"
    x = leaf([1.0, 2.0, 4.0])
    y = x.reciprocal()
    y.mul_(2)
    with pytest.raises(
        RuntimeError,
        match=re.escape(modified("[torch.FloatTensor [3]], which is output 0 of Reciprocal,", 1)),
    ):
        y.sum().backward()


@pytest.mark.parametrize("name, label", [("exp", "Exp"), ("sigmoid", "Sigmoid"), ("tanh", "Tanh")])
def test_saved_output_of_pointwise_modified(name, label):
    x = leaf([0.0, 1.0, 2.0])
    y = getattr(x, name)()
    w = y * 1  # keeps the original node reachable after y is rebound
    y.add_(1)
    with pytest.raises(
        RuntimeError, match=re.escape(modified(f"[torch.FloatTensor [3]], which is output 0 of {label},", 1))
    ):
        w.sum().backward()


def test_leaf_saved_and_modified_under_no_grad():
    # a leaf has no grad_fn: torch omits the "which is output" part
    x = leaf([1.0, 1.0, 1.0])
    y = x * x
    with ak.no_grad():
        x.add_(1)
    with raises(RuntimeError, modified("[torch.FloatTensor [3]]", 1)):
        y.sum().backward()


def test_leaf_without_grad_saved_and_modified():
    a = const([1.0, 1.0, 1.0])
    x = leaf([1.0, 1.0, 1.0])
    y = x * a
    a.add_(1)
    with raises(RuntimeError, modified("[torch.FloatTensor [3]]", 1)):
        y.sum().backward()


def test_unsaved_input_may_be_modified():
    # x + c saves nothing, so modifying c afterwards is harmless
    x, c = leaf([1.0, 2.0]), const([3.0, 4.0])
    y = x + c
    c.mul_(10)
    y.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [1.0, 1.0])


def test_operand_saved_only_for_the_other_gradient_may_be_modified():
    # torch saves a*b's self only when other requires grad: y*2 keeps no reference to y, so
    # modifying y afterwards is harmless there too (x.grad = 2)
    x = leaf([1.0, 2.0])
    y = x + 1
    w = y * 2
    y.add_(1)
    w.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [2.0, 2.0])
    # ...but the constant a gradient is computed from is saved and checked
    c = const([3.0, 4.0])
    x2 = leaf([1.0, 2.0])
    v = x2 * c
    c.add_(1)
    with raises(RuntimeError, modified("[torch.FloatTensor [2]]", 1)):
        v.sum().backward()


def test_pow_with_number_exponent_does_not_save_its_result():
    # torch: y = x**2; y.mul_(2) is fine, x.grad = 2 * 2x
    x = leaf([1.0, 2.0, 3.0])
    y = x**2
    y.mul_(2)
    y.sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [4.0, 8.0, 12.0])


def test_version_error_also_from_autograd_grad():
    x = leaf([1.0, 2.0])
    y = x * 2
    z = y * y
    y.add_(1)
    with pytest.raises(
        RuntimeError, match=re.escape(modified("[torch.FloatTensor [2]], which is output 0 of Add,", 1))
    ):
        ak.autograd.grad(z.sum(), x)
