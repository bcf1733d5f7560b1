"""gradcheck / gradgradcheck: compare analytical Jacobians with central finite differences."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._tensor.tensor import Tensor, wrap_array
from .backprop import grad as autograd_grad

__all__ = [
    "gradcheck",
    "gradgradcheck",
    "GradcheckError",
    "get_numerical_jacobian",
    "get_analytical_jacobian",
]


class GradcheckError(RuntimeError):
    """Raised by gradcheck when numerical and analytical Jacobians differ."""


def _as_tuple(x: Any) -> tuple:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _differentiable_outputs(func: Callable, inputs: tuple) -> tuple:
    outs = _as_tuple(func(*inputs))
    return tuple(o for o in outs if isinstance(o, Tensor) and o.requires_grad)


def get_numerical_jacobian(
    func: Callable, inputs: Sequence[Any], eps: float = 1e-6
) -> list[list[np.ndarray]]:
    """J[i][o] of shape (inputs[i].numel(), outputs[o].numel()) by central differences."""
    inputs = _as_tuple(inputs)
    wrt = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    # Perturbs the inputs' storage directly (no version bump): graphs built here are discarded.
    if True:
        n_out = [o._data.size for o in _float_outputs(func, inputs)]
        jac = []
        for t in wrt:
            flat = t._data.reshape(-1)
            if flat.size and not np.shares_memory(flat, t._data):
                raise ValueError("gradcheck needs contiguous inputs")
            blocks = [np.zeros((flat.size, n)) for n in n_out]
            for k in range(flat.size):
                orig = flat[k].item()
                flat[k] = orig - eps
                lo = [o._data.astype(np.float64).ravel() for o in _float_outputs(func, inputs)]
                flat[k] = orig + eps
                hi = [o._data.astype(np.float64).ravel() for o in _float_outputs(func, inputs)]
                flat[k] = orig
                for b, (h, low) in zip(blocks, zip(hi, lo)):
                    b[k] = (h - low) / (2 * eps)
            jac.append(blocks)
    return jac


def _float_outputs(func: Callable, inputs: tuple) -> list:
    return [o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor) and o._data.dtype.kind == "f"]


def get_analytical_jacobian(func: Callable, inputs: Sequence[Any]) -> list[list[np.ndarray]]:
    """J[i][o] from one backward pass per output element (via autograd.grad)."""
    inputs = _as_tuple(inputs)
    wrt = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    outs = _float_outputs(func, inputs)
    jac = [[np.zeros((t._data.size, o._data.size)) for o in outs] for t in wrt]
    for j, o in enumerate(outs):
        if not o.requires_grad:
            continue
        for k in range(o._data.size):
            seed = np.zeros(o._data.size, dtype=o._data.dtype)
            seed[k] = 1
            grads = autograd_grad(
                o, wrt, wrap_array(seed.reshape(o._data.shape)), retain_graph=True, allow_unused=True
            )
            for i, g in enumerate(grads):
                if g is not None:
                    jac[i][j][:, k] = g._data.astype(np.float64).ravel()
    return jac


def gradcheck(
    func: Callable,
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    **_ignored: Any,
) -> bool:
    """Check ``func``'s gradients against finite differences for inputs that require grad."""
    inputs = _as_tuple(inputs)
    wrt = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    if not wrt:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of them have requires_grad=True."
        )
    for k, t in enumerate(inputs):  # by position: inputs.index() would compare tensors with ==
        if isinstance(t, Tensor) and t.requires_grad and t._data.dtype != np.float64:
            warnings.warn(
                f"Input #{k} requires gradient and is not a double precision floating point "
                "or complex. This check will likely fail if all the inputs are not of double precision "
                "floating point or complex. ",
                UserWarning,
                stacklevel=2,
            )
    numerical = get_numerical_jacobian(func, inputs, eps)
    analytical = get_analytical_jacobian(func, inputs)
    for i, (num_row, ana_row) in enumerate(zip(numerical, analytical)):
        for o, (n, a) in enumerate(zip(num_row, ana_row)):
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                if not raise_exception:
                    return False
                # PyTorch's text, the Jacobians printed as (float64) tensors like PyTorch's
                raise GradcheckError(
                    f"Jacobian mismatch for output {o} with respect to input {i},\n"
                    f"numerical:{wrap_array(n)!r}\nanalytical:{wrap_array(a)!r}\n"
                )
    return True


def gradgradcheck(
    func: Callable,
    inputs: Any,
    grad_outputs: Any = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    seed: int = 0,
    **_ignored: Any,
) -> bool:
    """Check second derivatives: gradcheck of the first-order gradients (create_graph=True)."""
    inputs = _as_tuple(inputs)
    outs = _differentiable_outputs(func, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(seed)
        grad_outputs = tuple(
            wrap_array(rng.standard_normal(o._data.shape).astype(o._data.dtype)).requires_grad_()
            for o in outs
        )
    grad_outputs = _as_tuple(grad_outputs)
    n = len(inputs)

    def first_grads(*args: Any) -> tuple:
        ins, gos = args[:n], args[n:]
        targets = [t for t in ins if isinstance(t, Tensor) and t.requires_grad]
        result = autograd_grad(
            _differentiable_outputs(func, ins), targets, gos, create_graph=True, allow_unused=True
        )
        return tuple(g for g in result if g is not None)

    return gradcheck(
        first_grads,
        inputs + tuple(grad_outputs),
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
    )
