"""The legacy and device-check spellings old notebooks use: torch.backends, autograd.Variable,
torch.FloatTensor and friends, set_default_device, torch.autograd.function — values and error
messages as PyTorch 2.13 gives them, and the same transcript as PyTorch (skipped without torch)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import autograd_kit as ak
from tests.helpers.differential import assert_same_as_torch, attempt


def test_the_tutorials_device_check_picks_the_cpu() -> None:
    device = (
        "cuda"
        if ak.cuda.is_available()
        else "mps"
        if ak.backends.mps.is_available()
        else "cpu"
    )  # fmt: skip
    assert device == "cpu" and not ak.backends.mps.is_built() and not ak.backends.cuda.is_built()
    assert ak.backends.cudnn.version() is None and not ak.backends.cudnn.is_available()
    assert ak.backends.cudnn.enabled and not ak.backends.cudnn.benchmark
    assert ak.backends.cuda.matmul.allow_tf32 is False
    ak.backends.cudnn.deterministic = True  # reproducibility boilerplate: accepted
    ak.backends.cudnn.deterministic = False


def test_variable_returns_a_detached_alias() -> None:
    from autograd_kit.autograd import Variable

    a = ak.ones(2)
    v = Variable(a, requires_grad=True)
    assert type(v) is ak.Tensor and v is not a and v.requires_grad and v.is_leaf
    with ak.no_grad():
        v[0] = 5.0
    assert a.tolist() == [5.0, 1.0]  # shares storage, as PyTorch's Variable(t) does
    assert isinstance(a, Variable) and not isinstance([1], Variable)
    assert Variable().shape == ak.Size([0])
    nonleaf = ak.ones(2, requires_grad=True) * 2
    assert Variable(nonleaf).is_leaf and not Variable(nonleaf).requires_grad
    with pytest.raises(TypeError, match="^Variable data has to be a tensor, but got list$"):
        Variable([1, 2])
    with pytest.raises(
        RuntimeError, match="Only Tensors of floating point and complex dtype can require gradients"
    ):
        Variable(ak.tensor([1]), requires_grad=True)
    with pytest.warns(UserWarning, match="volatile was removed and now has no effect"):
        Variable(a, volatile=True)


def test_legacy_typed_constructors() -> None:
    t = ak.FloatTensor(2, 3)
    assert type(t) is ak.Tensor and t.shape == ak.Size([2, 3]) and t.dtype == ak.float32
    assert ak.FloatTensor([1, 2]).tolist() == [1.0, 2.0] and ak.FloatTensor().shape == ak.Size([0])
    assert ak.LongTensor([1.7]).tolist() == [1] and ak.LongTensor(2, 3).dtype == ak.int64
    assert ak.DoubleTensor([1]).dtype == ak.float64 and ak.IntTensor(2).dtype == ak.int32
    assert ak.BoolTensor([1, 0]).tolist() == [True, False]
    assert ak.FloatTensor((2, 3)).tolist() == [2.0, 3.0]  # a tuple is data, a Size is a shape
    assert ak.FloatTensor(ak.Size([2])).shape == ak.Size([2])
    assert ak.FloatTensor(np.array([1, 2])).dtype == ak.float32
    assert isinstance(ak.zeros(2), ak.FloatTensor) and not isinstance(ak.zeros(2), ak.LongTensor)
    assert ak.FloatTensor.dtype is ak.float32 and repr(ak.FloatTensor) == "<class 'torch.FloatTensor'>"
    src = ak.zeros(2)
    alias = ak.FloatTensor(src)
    alias[0] = 1.0
    assert alias is not src and src.tolist() == [1.0, 0.0]


def test_set_default_device() -> None:
    ak.set_default_device("cpu")
    ak.set_default_device(ak.device("cpu"))
    ak.set_default_device(None)
    assert ak.get_default_device() == ak.device("cpu")
    with pytest.raises(AssertionError, match="^Torch not compiled with CUDA enabled$"):
        ak.set_default_device("cuda")
    with pytest.raises(RuntimeError, match="device type at start of device string: foo"):
        ak.set_default_device("foo")


def test_autograd_function_module_and_once_differentiable() -> None:
    from autograd_kit.autograd.function import Function, once_differentiable

    assert (
        Function is ak.autograd.Function and ak.autograd.function.once_differentiable is once_differentiable
    )

    class Exp(Function):
        @staticmethod
        def forward(ctx: Any, x: ak.Tensor) -> ak.Tensor:
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        @once_differentiable
        def backward(ctx: Any, grad: ak.Tensor) -> ak.Tensor:
            (y,) = ctx.saved_tensors
            return grad * y

    x = ak.tensor([0.0, 1.0], requires_grad=True)
    Exp.apply(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp([0.0, 1.0]), rtol=1e-6)


def test_legacy_surface_matches_torch() -> None:
    def scenario(tm: Any, out: list) -> None:
        from_var = tm.autograd.Variable
        for make in (
            lambda: (tm.FloatTensor(2, 3).shape, tm.FloatTensor(2, 3).dtype),  # values uninitialised
            lambda: tm.FloatTensor([1, 2]),
            lambda: tm.LongTensor([1.7]),
            lambda: tm.FloatTensor(),
            lambda: tm.FloatTensor((2, 3)),
            lambda: tm.BoolTensor([1, 0]),
            lambda: tm.IntTensor(2).dtype,
            lambda: tm.HalfTensor([1]),
            lambda: tm.ByteTensor(1, 2).shape,
            lambda: tm.FloatTensor(tm.zeros(2)),
            lambda: tm.FloatTensor(2, [3]),
            lambda: tm.FloatTensor(2, 3.0),
            lambda: tm.FloatTensor([1], [2]),
            lambda: tm.FloatTensor(2.5),
            lambda: tm.FloatTensor(True),
            lambda: tm.FloatTensor(-1),
            lambda: tm.FloatTensor([[1], [2, 3]]),
            lambda: tm.FloatTensor(2, requires_grad=True),
            lambda: tm.FloatTensor([1], device="cuda"),
            lambda: tm.FloatTensor(tm.zeros(2, dtype=tm.float64)),
            lambda: tm.LongTensor(tm.zeros(2)),
            lambda: tm.HalfTensor(tm.zeros(2, dtype=tm.int8)),
            lambda: tm.ByteTensor(tm.zeros(2, dtype=tm.int16)),
            lambda: tm.IntTensor(tm.zeros(2, dtype=tm.bool)),
            lambda: [
                isinstance(tm.zeros(2), c) for c in (tm.FloatTensor, tm.DoubleTensor, tm.autograd.Variable)
            ],
            lambda: issubclass(tm.FloatTensor, tm.Tensor),
            lambda: tm.FloatTensor,
            lambda: from_var(tm.ones(2), requires_grad=True),
            lambda: from_var(),
            lambda: from_var([1, 2]),
            lambda: from_var(tm.tensor([1]), requires_grad=True),
            lambda: tm.backends.mps.is_available(),
            lambda: (tm.backends.cuda.is_built(), tm.backends.cuda.matmul.allow_tf32),
            lambda: (
                tm.backends.cudnn.is_available(),
                tm.backends.cudnn.version(),
                tm.backends.cudnn.enabled,
            ),
            lambda: (
                tm.backends.cudnn.benchmark,
                tm.backends.cudnn.deterministic,
                tm.backends.cudnn.allow_tf32,
            ),
            lambda: tm.get_default_device(),
            lambda: tm.set_default_device("cpu"),
        ):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                attempt(out, make)
            # Only the first line: PyTorch goes on to explain which overload failed how.
            out[-1] = out[-1].split("\n")[0]

    assert_same_as_torch(scenario)
