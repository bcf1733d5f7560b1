"""autograd.functional (jacobian, hessian, vjp, jvp, hvp, vhp) against analytic derivatives and
central differences, return structures and errors (texts checked against PyTorch 2.13); and
gradcheck's error showing both Jacobians."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.autograd import GradcheckError, gradcheck, gradgradcheck
from autograd_kit.autograd.functional import hessian, hvp, jacobian, jvp, vhp, vjp

RNG = np.random.default_rng(0)


def t64(data: object, grad: bool = False) -> ak.Tensor:
    return ak.tensor(np.asarray(data, dtype=np.float64), requires_grad=grad)


def numeric_jacobian(f: object, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of a NumPy function: shape out.shape + x.shape."""
    out = np.asarray(f(x))
    jac = np.zeros(out.shape + x.shape)
    for idx in np.ndindex(x.shape):
        hi, lo = x.copy(), x.copy()
        hi[idx] += eps
        lo[idx] -= eps
        jac[(...,) + idx] = (np.asarray(f(hi)) - np.asarray(f(lo))) / (2 * eps)
    return jac


def exp_adder(x: ak.Tensor, y: ak.Tensor) -> ak.Tensor:
    return 2 * x.exp() + 3 * y


def test_tutorial_exp_adder_jacobian() -> None:
    a, b = RNG.random(3), RNG.random(3)
    jx, jy = jacobian(exp_adder, (t64(a), t64(b)))
    np.testing.assert_allclose(jx._data, np.diag(2 * np.exp(a)), rtol=1e-12)
    np.testing.assert_allclose(jy._data, 3 * np.eye(3))
    assert not jx.requires_grad
    single = jacobian(exp_adder, (t64([0.5]), t64([0.2])))
    assert isinstance(single, tuple) and single[0].shape == (1, 1)


def test_tutorial_vjp_of_doubling() -> None:
    def do_some_doubling(x: ak.Tensor) -> ak.Tensor:
        y = x * 2
        while y.data.norm() < 1000:
            y = y * 2
        return y

    x = t64(RNG.standard_normal(3))
    out, grad = vjp(do_some_doubling, x, v=t64([0.1, 1.0, 0.0001]))
    factor = out._data[0] / x._data[0]
    assert factor == 2 ** round(np.log2(factor))
    np.testing.assert_allclose(grad._data, factor * np.array([0.1, 1.0, 0.0001]), rtol=1e-12)


def f_np(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.sin(x) @ y + x.sum() * (y * y).sum()


def f_t(x: ak.Tensor, y: ak.Tensor) -> ak.Tensor:
    return x.sin() @ y + x.sum() * (y * y).sum()


def test_jacobian_shapes_and_values_against_central_differences() -> None:
    x, y = RNG.standard_normal((2, 3)), RNG.standard_normal(3)
    jx, jy = jacobian(f_t, (t64(x), t64(y)))
    assert jx.shape == (2, 2, 3) and jy.shape == (2, 3)
    np.testing.assert_allclose(jx._data, numeric_jacobian(lambda a: f_np(a, y), x), rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(jy._data, numeric_jacobian(lambda b: f_np(x, b), y), rtol=1e-7, atol=1e-9)
    outs = jacobian(lambda a: (a.sum(), a * 2), t64(y))
    assert isinstance(outs, tuple) and outs[0].shape == (3,) and outs[1].shape == (3, 3)
    nested = jacobian(lambda a, b: (a * b, a + b), (t64(y), t64(y)))
    assert len(nested) == 2 and all(len(row) == 2 for row in nested)
    assert jacobian(lambda a: a.sum(), t64(2.0)).shape == ()


def test_vjp_and_jvp_are_products_with_the_jacobian() -> None:
    x, y = RNG.standard_normal((2, 3)), RNG.standard_normal(3)
    jx, jy = (j._data for j in jacobian(f_t, (t64(x), t64(y))))
    v_out = RNG.standard_normal(2)
    out, (gx, gy) = vjp(f_t, (t64(x), t64(y)), t64(v_out))
    np.testing.assert_allclose(out._data, f_np(x, y), rtol=1e-12)
    np.testing.assert_allclose(gx._data, np.tensordot(v_out, jx, 1), rtol=1e-12)
    np.testing.assert_allclose(gy._data, v_out @ jy, rtol=1e-12)
    vx, vy = RNG.standard_normal((2, 3)), RNG.standard_normal(3)
    out, prod = jvp(f_t, (t64(x), t64(y)), (t64(vx), t64(vy)))
    np.testing.assert_allclose(prod._data, np.tensordot(jx, vx, 2) + jy @ vy, rtol=1e-12)
    assert not out.requires_grad and not prod.requires_grad
    _, scalar = jvp(lambda a: a * 3, t64([2.0]))  # v may be omitted for a one-element input
    np.testing.assert_allclose(scalar._data, [3.0])


def cubic(x: ak.Tensor, y: ak.Tensor) -> ak.Tensor:
    return (x**3).sum() * y.sum() + (x * y).sum()


def test_hessian_hvp_vhp_against_analytic() -> None:
    x, y = RNG.standard_normal(3), RNG.standard_normal(3)
    (hxx, hxy), (hyx, hyy) = hessian(cubic, (t64(x), t64(y)))
    np.testing.assert_allclose(hxx._data, np.diag(6 * x * y.sum()), rtol=1e-12)
    np.testing.assert_allclose(hxy._data, 3 * x[:, None] ** 2 * np.ones(3) + np.eye(3), rtol=1e-12)
    np.testing.assert_allclose(hyx._data, hxy._data.T, rtol=1e-12)
    np.testing.assert_allclose(hyy._data, 0)
    full = np.block([[hxx._data, hxy._data], [hyx._data, hyy._data]])
    v = RNG.standard_normal(6)
    out, (px, py) = hvp(cubic, (t64(x), t64(y)), (t64(v[:3]), t64(v[3:])))
    np.testing.assert_allclose(np.concatenate([px._data, py._data]), full @ v, rtol=1e-12)
    np.testing.assert_allclose(out._data, (x**3).sum() * y.sum() + (x * y).sum(), rtol=1e-12)
    _, (qx, qy) = vhp(cubic, (t64(x), t64(y)), (t64(v[:3]), t64(v[3:])))
    np.testing.assert_allclose(np.concatenate([qx._data, qy._data]), v @ full, rtol=1e-12)
    single = hessian(lambda a: (a**3).sum(), t64([1.0, 2.0]))
    np.testing.assert_allclose(single._data, [[6.0, 0.0], [0.0, 12.0]])


def test_create_graph_results_are_differentiable() -> None:
    x = t64(RNG.standard_normal(3), grad=True)
    _, g = vjp(lambda a: (a**3).sum(), x, create_graph=True)
    assert g.requires_grad
    g.sum().backward()
    np.testing.assert_allclose(x.grad._data, 6 * x._data, rtol=1e-12)
    jac = jacobian(lambda a: a**2, x, create_graph=True)
    assert jac.requires_grad and jac.shape == (3, 3)
    _, hv = hvp(lambda a: (a**4).sum(), x, t64(np.ones(3)), create_graph=True)
    assert hv.requires_grad


ERRORS = [
    (lambda x: jacobian(lambda a: a * 2, [x]), TypeError,
     "The inputs given to jacobian must be either a Tensor or a tuple of Tensors but the given inputs has type <class 'list'>."),
    (lambda x: jacobian(lambda a: a * 2, (x, 3)), TypeError,
     "The inputs given to jacobian must be either a Tensor or a tuple of Tensors but the value at index 1 has type <class 'int'>."),
    (lambda x: vjp(lambda a: a * 2, x), RuntimeError,
     "The vector v can only be None if the user-provided function returns a single Tensor with a single element."),
    (lambda x: vjp(lambda a: a * 2, x, ak.ones(2)), RuntimeError,
     "v has invalid size: should be torch.Size([3]) but got torch.Size([2])."),
    (lambda x: vjp(lambda a: (a * 2, a), x, (ak.ones(3),)), RuntimeError,
     "v is a tuple of invalid length: should be 2 but got 1."),
    (lambda x: vjp(lambda a: (a * 2, a), x, (ak.ones(3), ak.ones(2))), RuntimeError,
     "Entry 1 in v has invalid size: should be torch.Size([3]) but got torch.Size([2])."),
    (lambda x: jvp(lambda a: a * 2, x), RuntimeError,
     "The vector v can only be None if the input to the user-provided function is a single Tensor with a single element."),
    (lambda x: jvp(lambda a, b: a * 2, (x, x), (ak.ones(3),)), RuntimeError,
     "v is a tuple of invalid length: should be 2 but got 1."),
    (lambda x: hessian(lambda a: a * 2, x), RuntimeError,
     "The Tensor returned by the function given to hessian should contain a single element"),
    (lambda x: hessian(lambda a: (a, a), x), RuntimeError, "The function given to hessian should return a single Tensor"),
    (lambda x: hessian(lambda a: (a * 2).sum(), x, strict=True), RuntimeError,
     "While computing the hessian, found that the jacobian of the user-provided function with respect to input 0 is "
     "independent of the input. This is not allowed in strict mode. You should ensure that your function is twice "
     "differentiable and that the jacobian depends on the inputs (this would be violated by a linear function for example)."),
    (lambda x: vjp(lambda a, b: a * 2, (x, x), ak.ones(3), strict=True), RuntimeError,
     "The output of the user-provided function is independent of input 1. This is not allowed in strict mode."),
    (lambda x: jacobian(lambda a, b: a * 2, (x, x), strict=True), RuntimeError,
     "Output 0 of the user-provided function is independent of input 1. This is not allowed in strict mode."),
    (lambda x: jacobian(lambda a: a.detach(), x, strict=True), RuntimeError,
     "Output 0 of the user-provided function does not require gradients. The outputs must be computed in a "
     "differentiable manner from the input when running in strict mode."),
    (lambda x: hvp(lambda a: (a**3).sum(), x, ak.ones(2)), RuntimeError,
     "v has invalid size: should be torch.Size([3]) but got torch.Size([2])."),
    (lambda x: vhp(lambda a: a**3, x, ak.ones(3)), RuntimeError,
     "The Tensor returned by the function given to vhp should contain a single element"),
]  # fmt: skip


@pytest.mark.parametrize("call, exc, message", ERRORS, ids=range(len(ERRORS)))
def test_errors_match_pytorch(call: object, exc: type, message: str) -> None:
    with pytest.raises(exc) as err:
        call(ak.randn(3))
    assert str(err.value) == message


def test_non_strict_fills_zeros_for_unused_inputs() -> None:
    x = t64(RNG.standard_normal(3))
    _, (ga, gb) = vjp(lambda a, b: a * 2, (x, x), t64(np.ones(3)))
    np.testing.assert_array_equal(gb._data, 0)
    np.testing.assert_array_equal(ga._data, 2)
    ja, jb = jacobian(lambda a, b: a * 2, (x, x))
    np.testing.assert_array_equal(jb._data, np.zeros((3, 3)))


class BadSquare(ak.autograd.Function):
    """x**2 with a deliberately wrong derivative (3x instead of 2x)."""

    @staticmethod
    def forward(ctx: object, x: ak.Tensor) -> ak.Tensor:
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx: object, grad: ak.Tensor) -> ak.Tensor:
        (x,) = ctx.saved_tensors
        return grad * 3 * x


def test_gradcheck_error_shows_numerical_and_analytical_jacobians() -> None:
    x = t64([1.0, 2.0], grad=True)
    with pytest.raises(GradcheckError) as err:
        gradcheck(BadSquare.apply, (x,))
    text = str(err.value)
    assert text.startswith("Jacobian mismatch for output 0 with respect to input 0,\nnumerical:")
    numerical = text.split("numerical:")[1].split("analytical:")[0]
    analytical = text.split("analytical:")[1]
    assert "2.0000" in numerical and "4.0000" in numerical  # d(x^2)/dx = 2x at [1, 2]
    assert "3." in analytical and "6." in analytical
    assert gradcheck(BadSquare.apply, (x,), raise_exception=False) is False
    with pytest.raises(GradcheckError, match="Jacobian mismatch"):
        gradgradcheck(lambda a: BadSquare.apply(a) * a, (x,))
