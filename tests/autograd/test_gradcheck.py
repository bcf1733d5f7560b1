"""gradcheck / gradgradcheck: they pass on correct functions and catch wrong derivatives,
reporting both Jacobians as PyTorch does (texts checked against torch 2.13)."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.autograd import Function, GradcheckError, gradcheck, gradgradcheck
from tests.helpers import leaf


def jacobians(message: str) -> tuple[np.ndarray, np.ndarray]:
    """The numerical and analytical matrices printed in a GradcheckError."""

    def parse(block: str) -> np.ndarray:
        body = block[block.index("[") : block.rindex("]") + 1]
        rows = re.findall(r"\[([^\[\]]*)\]", body)
        return np.array([[float(v) for v in row.split(",")] for row in rows])

    numerical = message.split("numerical:")[1].split("analytical:")[0]
    analytical = message.split("analytical:")[1]
    return parse(numerical), parse(analytical)


class WrongCube(Function):
    """x**3 with a deliberately wrong derivative (2x instead of 3x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 2 * x


class Cube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x * x


class CubeFirstOrderOnly(Cube):
    """Correct first derivative, but computed from a detached x: its own derivative is wrong."""

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x.detach() * x.detach()


def test_gradcheck_passes_on_correct_functions():
    rng = np.random.default_rng(0)
    a, b = leaf(rng.uniform(0.5, 2, (3, 1))), leaf(rng.uniform(0.5, 2, (4,)))
    assert gradcheck(lambda a, b: a * b / (a + b) - b**2, (a, b))
    assert gradcheck(Cube.apply, (leaf([1.0, -2.0, 0.5]),))
    assert gradcheck(lambda x: (x * x).sum(), (leaf([1.0, 2.0]),))


def test_gradcheck_with_several_outputs_and_non_tensor_args():
    x = leaf([1.0, 2.0])
    assert gradcheck(lambda x, k: (x * k, x**2), (x, 3.0))


def test_gradcheck_catches_wrong_backward_and_shows_both_jacobians():
    # torch prints: numerical:tensor([[ 3.0000,  0.0000], [ 0.0000, 12.0000]], dtype=torch.float64)
    #               analytical:tensor([[2., 0.], [0., 4.]], dtype=torch.float64)
    x = leaf([1.0, 2.0])
    with pytest.raises(GradcheckError) as info:
        gradcheck(WrongCube.apply, (x,))
    message = str(info.value)
    assert isinstance(info.value, RuntimeError)
    assert message.startswith("Jacobian mismatch for output 0 with respect to input 0,\nnumerical:tensor([[")
    assert "dtype=torch.float64)\nanalytical:tensor([[" in message
    numerical, analytical = jacobians(message)
    np.testing.assert_allclose(numerical, np.diag([3.0, 12.0]), atol=1e-4)
    np.testing.assert_allclose(analytical, np.diag([2.0, 4.0]))


def test_gradcheck_error_text_matches_torch_exactly():
    x = leaf([1.0, 2.0])
    with pytest.raises(GradcheckError) as info:
        gradcheck(WrongCube.apply, (x,))
    assert str(info.value) == (
        "Jacobian mismatch for output 0 with respect to input 0,\n"
        "numerical:tensor([[ 3.0000,  0.0000],\n        [ 0.0000, 12.0000]], dtype=torch.float64)\n"
        "analytical:tensor([[2., 0.],\n        [0., 4.]], dtype=torch.float64)\n"
    )


def test_gradcheck_names_the_wrong_input_and_output():
    class WrongSecond(Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a * b, a + b

        @staticmethod
        def backward(ctx, g_prod, g_sum):
            a, b = ctx.saved_tensors
            return g_prod * b + g_sum, g_prod * a - g_sum  # d(a+b)/db should be +1

    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    with pytest.raises(GradcheckError, match=r"^Jacobian mismatch for output 1 with respect to input 1,"):
        gradcheck(WrongSecond.apply, (a, b))


def test_gradcheck_without_raise_returns_false():
    assert gradcheck(WrongCube.apply, (leaf([1.0, 2.0]),), raise_exception=False) is False
    assert gradcheck(Cube.apply, (leaf([1.0, 2.0]),), raise_exception=False) is True


def test_gradcheck_catches_a_broadcast_mistake():
    class NoReduce(Function):
        """a * b (shapes (3, 1) and (3,)) whose backward forgets the factor a in b's gradient."""

        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, g):
            a, b = ctx.saved_tensors
            return g * b, g  # b's gradient is missing the factor a

    a, b = leaf([[1.0], [2.0], [3.0]]), leaf([1.0, 2.0, 3.0])
    with pytest.raises(GradcheckError, match=r"with respect to input 1,"):
        gradcheck(NoReduce.apply, (a, b))


def test_gradcheck_needs_an_input_requiring_grad():
    with pytest.raises(
        ValueError,
        match=re.escape(
            "gradcheck expects at least one input tensor to require gradient, but none of them have requires_grad=True."
        ),
    ):
        gradcheck(lambda x: x * 2, (ak.ones(2, dtype=ak.float64),))


def test_gradcheck_warns_for_single_precision_inputs():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0], np.float32)
    with pytest.warns(
        UserWarning,
        match=re.escape(
            "Input #1 requires gradient and is not a double precision floating point or complex. This check will "
            "likely fail if all the inputs are not of double precision floating point or complex. "
        ),
    ):
        gradcheck(lambda a, b: a * b, (a, b), raise_exception=False)


def test_gradcheck_leaves_inputs_and_grads_untouched():
    x = leaf([1.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert gradcheck(Cube.apply, (x,))
    np.testing.assert_array_equal(x.detach().numpy(), [1.0, 2.0])
    assert x.grad is None and x._version == 0


def test_gradgradcheck_passes_on_twice_differentiable_functions():
    rng = np.random.default_rng(3)
    a, b = leaf(rng.uniform(0.5, 2, (2, 3))), leaf(rng.uniform(0.5, 2, (3,)))
    assert gradgradcheck(lambda a, b: a * a * b / (b + 1), (a, b))
    assert gradgradcheck(Cube.apply, (leaf([0.5, -1.5]),))


def test_gradgradcheck_catches_a_backward_that_is_not_differentiable():
    x = leaf([0.5, -1.5])
    assert gradcheck(CubeFirstOrderOnly.apply, (x,))  # first order is right...
    with pytest.raises(GradcheckError, match=r"^Jacobian mismatch for output 0 with respect to input 0,"):
        gradgradcheck(CubeFirstOrderOnly.apply, (x,))  # ...the second is not


def test_gradgradcheck_with_explicit_grad_outputs():
    x = leaf([1.0, 2.0])
    v = leaf([0.5, -1.0])
    assert gradgradcheck(lambda x: x**3, (x,), (v,))


def test_functions_built_from_ops_pass_gradcheck_through_the_engine():
    # the engine's broadcast reduction and dtype casts are what gradcheck sees here
    s = leaf(1.5)
    v = leaf([1.0, 2.0, 3.0])
    assert gradcheck(lambda s, v: (s * v - v / s) ** 2, (s, v))
    assert ak.autograd.gradgradcheck(lambda s, v: s * v * v, (s, v))
