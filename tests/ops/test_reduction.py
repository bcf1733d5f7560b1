"""Reductions beyond the op table: result dtypes, the max/min named tuple, ties, zeros, nan and
numerical stability. Expected values were checked against PyTorch 2.13 (or NumPy, as noted)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.autograd import grad as autograd_grad


def _grad_of(fn, values, dtype=ak.float32):
    t = ak.tensor(values, dtype=dtype, requires_grad=True)
    fn(t).backward()
    return t.grad.numpy()


# --- dtypes -------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [ak.int64, ak.int32, ak.int16, ak.uint8, ak.bool])
@pytest.mark.parametrize("op", ["sum", "prod"])
def test_integer_sum_and_prod_accumulate_in_int64(op, dtype):
    x = ak.tensor([[1, 2], [3, 1]], dtype=dtype)
    out = getattr(x, op)()
    assert out.dtype is ak.int64
    assert out.item() == getattr(np, op)(x.numpy().astype(np.int64))
    assert getattr(x, op)(0).dtype is ak.int64


def test_cumsum_of_integers_is_int64():
    out = ak.tensor([1, 2, 3], dtype=ak.int32).cumsum(0)
    assert out.dtype is ak.int64 and out.tolist() == [1, 3, 6]
    assert ak.tensor([True, True]).cumsum(0).tolist() == [1, 2]


def test_float_sums_keep_their_dtype_and_dtype_argument_casts_first():
    assert ak.tensor([1.0, 2.0], dtype=ak.float16).sum().dtype is ak.float16
    assert ak.tensor([1.0, 2.0]).sum(dtype=ak.float64).dtype is ak.float64
    # PyTorch casts before reducing: 1.5 -> 1 and 2.7 -> 2.
    assert ak.tensor([1.5, 2.7]).sum(dtype=ak.int64).item() == 3
    assert ak.tensor([1.0, 2.0]).cumsum(0, dtype=ak.float64).dtype is ak.float64


def test_sum_with_dtype_sends_gradient_in_the_input_dtype():
    x = ak.tensor([1.0, 2.0], requires_grad=True)
    x.sum(dtype=ak.float64).backward()
    assert x.grad.dtype is ak.float32 and x.grad.tolist() == [1.0, 1.0]


def test_mean_of_integers_needs_a_floating_dtype():
    with pytest.raises(
        RuntimeError, match=r"mean\(\): could not infer output dtype\. Input dtype must be .* Got: Long"
    ):
        ak.tensor([1, 2]).mean()
    with pytest.raises(
        RuntimeError, match="Input dtype must be either a floating point or complex dtype. Got: Bool"
    ):
        ak.tensor([True]).mean(0)
    with pytest.raises(
        RuntimeError, match="Optional dtype must be either a floating point or complex dtype. Got: Long"
    ):
        ak.tensor([1.0]).mean(dtype=ak.int64)
    out = ak.tensor([1, 2]).mean(dtype=ak.float32)
    assert out.dtype is ak.float32 and out.item() == 1.5


def test_logsumexp_of_integers_is_default_float():
    out = ak.tensor([1, 2]).logsumexp(0)
    assert out.dtype is ak.float32
    assert out.item() == pytest.approx(np.log(np.exp(1) + np.exp(2)), rel=1e-6)


def test_empty_reductions():
    assert ak.zeros(0).sum().item() == 0 and ak.zeros(0).prod().item() == 1
    assert ak.zeros(0, 3).sum(0).tolist() == [0.0, 0.0, 0.0]
    assert math.isnan(ak.zeros(0).mean().item())  # and quietly: RuntimeWarnings are errors here
    assert ak.zeros(0, 3).logsumexp(0).tolist() == [-math.inf] * 3


# --- max / min ----------------------------------------------------------------------------
def test_max_with_dim_is_a_named_tuple():
    x = ak.tensor([[1.0, 5.0], [3.0, 2.0]], requires_grad=True)
    out = x.max(1)
    assert isinstance(out, tuple) and len(out) == 2 and type(out).__name__ == "max"
    values, indices = out
    assert values is out.values and indices is out.indices and out[0] is values
    assert values.tolist() == [5.0, 3.0] and values.grad_fn.name() == "MaxBackward0"
    assert indices.tolist() == [1, 0] and indices.dtype is ak.int64 and not indices.requires_grad
    assert out.values.grad_fn._saved_dim == 1
    assert out.values.grad_fn._saved_indices.tolist() == [1, 0]


def test_named_tuple_prints_as_pytorch():
    x = ak.tensor([[1.0, 5.0], [3.0, 2.0]])
    assert repr(x.max(1)) == "torch.return_types.max(\nvalues=tensor([5., 3.]),\nindices=tensor([1, 0]))"
    assert repr(x.min(0, keepdim=True)) == (
        "torch.return_types.min(\nvalues=tensor([[1., 2.]]),\nindices=tensor([[0, 1]]))"
    )
    assert repr(ak.tensor([[1, 5], [3, 2]]).max(1)) == (
        "torch.return_types.max(\nvalues=tensor([5, 3]),\nindices=tensor([1, 0]))"
    )
    x.requires_grad_()
    assert repr(x.max(1)) == (
        "torch.return_types.max(\nvalues=tensor([5., 3.], grad_fn=<MaxBackward0>),\nindices=tensor([1, 0]))"
    )


def test_max_keeps_integer_dtype_and_0d_dim():
    assert ak.tensor([[1, 7], [3, 2]], dtype=ak.int32).max().dtype is ak.int32
    values, indices = ak.tensor(2.0).max(0)
    assert values.item() == 2.0 and indices.item() == 0 and indices.shape == ()


def test_max_with_tensor_argument_is_elementwise_maximum():
    a, b = ak.tensor([1.0, 4.0, -2.0]), ak.tensor([3.0, 0.0, -1.0])
    np.testing.assert_array_equal(ak.max(a, b).numpy(), np.maximum(a.numpy(), b.numpy()))
    np.testing.assert_array_equal(a.min(b).numpy(), np.minimum(a.numpy(), b.numpy()))
    np.testing.assert_array_equal(ak.max(a, other=b).numpy(), np.maximum(a.numpy(), b.numpy()))


def test_full_max_and_amax_share_the_gradient_between_ties():
    assert _grad_of(lambda t: t.max(), [1.0, 3.0, 3.0, 2.0]).tolist() == [0.0, 0.5, 0.5, 0.0]
    assert _grad_of(lambda t: t.min(), [2.0, 1.0, 1.0]).tolist() == [0.0, 0.5, 0.5]
    assert _grad_of(lambda t: t.amax(1).sum(), [[1.0, 3.0, 3.0, 2.0]]).tolist() == [[0.0, 0.5, 0.5, 0.0]]
    np.testing.assert_allclose(
        _grad_of(lambda t: t.amin((0, 1)), [[1.0, 2.0], [1.0, 1.0]]), [[1 / 3, 0], [1 / 3, 1 / 3]]
    )


def test_max_with_dim_sends_the_gradient_to_the_returned_index_only():
    t = ak.tensor([1.0, 3.0, 3.0, 2.0], requires_grad=True)
    values, indices = t.max(0)
    values.backward()
    assert indices.item() == 1 and t.grad.tolist() == [0.0, 1.0, 0.0, 0.0]
    assert _grad_of(lambda t: t.min(0).values, [2.0, 1.0, 1.0]).tolist() == [0.0, 1.0, 0.0]


def test_nan_is_the_maximum():
    x = [1.0, math.nan, 3.0]
    assert math.isnan(ak.tensor(x).max().item())
    assert ak.tensor(x).max(0).indices.item() == 1 and ak.tensor(x).argmax().item() == 1
    assert _grad_of(lambda t: t.max(), x).tolist() == [0.0, 1.0, 0.0]
    assert np.isnan(_grad_of(lambda t: t.amax(), x)).all()  # PyTorch: nan everywhere


def test_argmax_argmin():
    x = ak.tensor([[1.0, 5.0, 5.0], [7.0, 2.0, 0.0]])
    assert x.argmax().item() == 3 and x.argmin().item() == 5
    assert x.argmax(1).tolist() == [1, 0] and x.argmin(-1, keepdim=True).tolist() == [[0], [2]]
    assert x.argmax(keepdim=True).shape == (1, 1) and x.argmax().dtype is ak.int64
    assert ak.argmax(ak.tensor(2.0), 0, keepdim=True).shape == ()
    assert not x.requires_grad_().argmax().requires_grad


# --- prod, var/std, norm at their special points ------------------------------------------
def test_prod_gradient_with_zeros():
    assert _grad_of(lambda t: t.prod(), [0.0, 2.0, 3.0]).tolist() == [6.0, 0.0, 0.0]
    assert _grad_of(lambda t: t.prod(), [0.0, 2.0, 0.0]).tolist() == [0.0, 0.0, 0.0]
    assert _grad_of(lambda t: t.prod(1).sum(), [[0.0, 2.0], [3.0, 4.0]]).tolist() == [[2.0, 0.0], [4.0, 3.0]]


def test_prod_second_derivative_at_a_zero():
    # d/dx of (x1 * x2) = [0, x2, x1] for prod = x0 * x1 * x2 (analytic).
    x = ak.tensor([0.0, 2.0, 3.0], dtype=ak.float64, requires_grad=True)
    (g,) = autograd_grad(x.prod(), x, create_graph=True)
    assert g.tolist() == [6.0, 0.0, 0.0]
    (h0,) = autograd_grad(g[0], x)
    assert h0.tolist() == [0.0, 3.0, 2.0]


def test_std_of_a_constant_has_zero_gradient():
    assert _grad_of(lambda t: t.std(), [1.0, 1.0, 1.0]).tolist() == [0.0, 0.0, 0.0]
    g = _grad_of(lambda t: t.std(), [1.0, 2.0, 4.0])
    np.testing.assert_allclose(g, [-0.4364, -0.1091, 0.5455], atol=1e-4)  # PyTorch's values


def test_var_arguments_follow_pytorch():
    x = ak.tensor([[1.0, 2.0, 4.0], [0.0, 3.0, 9.0]])
    data = x.numpy()
    assert x.var(False).item() == pytest.approx(data.var(), rel=1e-6)  # positional unbiased
    np.testing.assert_allclose(x.var(1, False).numpy(), data.var(1), rtol=1e-6)
    np.testing.assert_allclose(
        ak.var(x, 1, True, True).numpy(), data.var(1, ddof=1, keepdims=True), rtol=1e-6
    )
    np.testing.assert_allclose(x.std(correction=1.5).numpy(), data.std(ddof=1.5), rtol=1e-6)
    with pytest.raises(TypeError, match=r"var\(\) received an invalid combination of arguments"):
        x.var(unbiased=False, correction=1)


def test_var_without_degrees_of_freedom_warns_and_gives_nan_or_inf():
    with pytest.warns(UserWarning, match=r"var\(\): degrees of freedom is <= 0"):
        assert math.isnan(ak.tensor([1.0]).var().item())
    with pytest.warns(UserWarning, match=r"std\(\): degrees of freedom is <= 0"):
        assert ak.tensor([1.0, 2.0, 3.0, 4.0]).std(correction=5).item() == math.inf
    t = ak.tensor([1.0], requires_grad=True)
    with pytest.warns(UserWarning):
        t.var().backward()
    assert math.isnan(t.grad.item())


@pytest.mark.parametrize(
    "p, values, expected",  # gradients PyTorch gives (its norm_backward at 0: 0, never nan)
    [
        (2, [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]),
        (1, [0.0, -2.0, 1.0], [0.0, -1.0, 1.0]),
        (3, [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]),
        (0.5, [1.0, -2.0, 0.0], [2.4142, -1.7071, 0.0]),
        (-1, [1.0, -2.0, 0.0], [0.0, 0.0, 0.0]),
        (math.inf, [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]),
        (math.inf, [1.0, -3.0, 3.0, 2.0], [0.0, -0.5, 0.5, 0.0]),
        (-math.inf, [1.0, -2.0, 1.0], [0.5, 0.0, 0.5]),
        (-math.inf, [1.0, -2.0, 0.0], [0.0, 0.0, 0.0]),
    ],
)
def test_norm_gradient_at_zeros_and_ties(p, values, expected):
    np.testing.assert_allclose(_grad_of(lambda t: t.norm(p), values), expected, atol=1e-4)


def test_norm_p0_counts_and_sends_no_gradient():
    t = ak.tensor([1.0, -2.0, 0.0], requires_grad=True)
    out = t.norm(p=0)
    assert out.item() == 2.0
    out.backward()
    assert t.grad is None


def test_norm_keeps_pytorch_overflow_and_dtype():
    assert ak.tensor([1e30, 1e30]).norm().item() == math.inf  # float32, unscaled as PyTorch
    assert ak.tensor([1.0, 2.0]).norm(2, 0, True, dtype=ak.float64).dtype is ak.float64
    assert ak.norm(ak.tensor([[3.0, 4.0]]), "fro", 1).tolist() == [5.0]


# --- numerical stability --------------------------------------------------------------------
def test_softmax_and_logsumexp_of_large_values():
    big = ak.tensor([1000.0, 1000.0], requires_grad=True)
    assert big.softmax(0).tolist() == [0.5, 0.5]
    lse = big.logsumexp(0)
    assert lse.item() == pytest.approx(1000 + math.log(2), rel=1e-6)
    lse.backward()
    # exp(x - lse) with lse rounded to float32: PyTorch gets exactly this value too.
    assert big.grad.tolist() == [0.4999854564666748] * 2
    assert ak.tensor([1000.0, -1000.0]).log_softmax(0).tolist() == [0.0, -2000.0]
    assert ak.tensor([1e4, 0.0]).logsumexp(0).item() == 1e4


def test_softmax_backward_of_large_values_is_finite():
    x = ak.tensor([[1000.0, 999.0, -1000.0]], requires_grad=True)
    (x.softmax(1) * ak.tensor([[1.0, 2.0, 3.0]])).sum().backward()
    assert np.isfinite(x.grad.numpy()).all()
    x.grad = None
    x.log_softmax(1)[0, 0].backward()
    np.testing.assert_allclose(
        x.grad.numpy(), [[1 - 1 / (1 + math.exp(-1)), -1 / (1 + math.exp(1)), 0.0]], atol=1e-6
    )


def test_infinite_inputs_follow_pytorch():
    assert ak.tensor([math.inf, 1.0]).logsumexp(0).item() == math.inf
    assert ak.tensor([-math.inf, -math.inf]).logsumexp(0).item() == -math.inf
    assert ak.tensor([-math.inf, 0.0]).logsumexp(0).item() == 0.0
    assert np.isnan(ak.tensor([-math.inf, -math.inf]).softmax(0).numpy()).all()
    assert ak.tensor([[-math.inf, 0.0]]).log_softmax(1).tolist() == [[-math.inf, 0.0]]
    assert _grad_of(lambda t: t.logsumexp(0), [-math.inf, 0.0]).tolist() == [0.0, 1.0]


def test_softmax_dtype_argument():
    x = ak.tensor([1.0, 2.0], requires_grad=True)
    out = x.softmax(0, dtype=ak.float64)
    assert out.dtype is ak.float64
    out[0].backward()
    assert x.grad.dtype is ak.float32
    assert ak.tensor([[0, 1]]).softmax(1, dtype=ak.float64).dtype is ak.float64
