"""Shape and dtype checks of the matrix products, raising PyTorch's exact errors, in PyTorch's
order (kept apart from linalg.py, which holds the ops themselves)."""

from __future__ import annotations

import numpy as np

from ..dtypes import from_numpy_dtype
from ._checks import cpp_name, scalar_name

__all__ = ["check_mm", "check_mv", "check_dot", "check_bmm", "check_batched", "check_addmm"]


def _numel(shape: tuple) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def _no_bool(kernel: str, dt: np.dtype) -> None:
    if dt == np.bool_:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _same_scalar_type(a: np.ndarray, b: np.ndarray) -> None:
    if a.dtype != b.dtype:
        raise RuntimeError(f"expected scalar type {scalar_name(a.dtype)} but found {scalar_name(b.dtype)}")


def check_mm(a: np.ndarray, b: np.ndarray, rows: int) -> None:
    """``a`` (its rows flattened to ``rows``) @ the matrix ``b``."""
    k, kb, n = a.shape[-1], b.shape[0], b.shape[1]
    if k != kb:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{k} and {kb}x{n})")
    if a.dtype != b.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {cpp_name(a.dtype)} != {cpp_name(b.dtype)}"
        )
    _no_bool("addmm_impl_cpu_", a.dtype)


def _check_mv_sizes(a: np.ndarray, v: np.ndarray, rows: int) -> None:
    k = a.shape[-1]
    if v.shape[0] != k:
        raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{k}), vec ({v.shape[0]})")
    if a.dtype != v.dtype:
        vec, mat = scalar_name(v.dtype), scalar_name(a.dtype)
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got {vec}, {mat}, and {vec}")
    _no_bool("addmv_impl_cpu", a.dtype)


def check_mv(a: np.ndarray, v: np.ndarray) -> None:
    """A matrix @ a vector."""
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.ndim}, {v.ndim}")
    _check_mv_sizes(a, v, a.shape[0])


def check_dot(a: np.ndarray, b: np.ndarray) -> None:
    """Two vectors of one size and dtype."""
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.dtype != b.dtype:
        raise RuntimeError(
            f"dot : expected both vectors to have same dtype, but found {scalar_name(a.dtype)} and {scalar_name(b.dtype)}"
        )
    n, m = a.shape[0], b.shape[0]
    if n != m:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same number of "
            f"elements, but got {n} and {m} elements respectively"
        )
    _no_bool("dot", a.dtype)


def _check_bmm_sizes(batch: int, k: int, batch2: int, k2: int) -> None:
    if batch2 != batch or k2 != k:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{batch}, {k}] but got: [{batch2}, {k2}]."
        )


def check_bmm(a: np.ndarray, b: np.ndarray) -> None:
    """Two 3-D tensors with equal batch sizes."""
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    _check_bmm_sizes(a.shape[0], a.shape[2], b.shape[0], b.shape[1])
    _same_scalar_type(a, b)
    _no_bool("bmm", a.dtype)


def _broadcast_batch(sa: tuple, sb: tuple) -> tuple:
    n = max(len(sa), len(sb))
    pa, pb = (1,) * (n - len(sa)) + sa, (1,) * (n - len(sb)) + sb
    out = []
    for i, (x, y) in enumerate(zip(pa, pb)):
        if x != y and x != 1 and y != 1:
            raise RuntimeError(
                f"The size of tensor a ({x}) must match the size of tensor b ({y}) at non-singleton dimension {i}"
            )
        out.append(y if x == 1 else x)
    return tuple(out)


def check_batched(a: np.ndarray, b: np.ndarray) -> str:
    """A ``matmul`` beyond 2-D @ 2-D, 2-D @ 1-D and 1-D @ 1-D; returns the product PyTorch runs
    underneath ('mm', 'mv' or 'bmm'), which names the node."""
    na, nb = a.ndim, b.ndim
    if nb == 1:
        _check_mv_sizes(a, b, _numel(a.shape[:-1]))
        return "mv"
    if nb == 2:
        check_mm(a, b, _numel(a.shape[:-1]))
        return "mm"
    batch = _numel(_broadcast_batch(a.shape[:-2], b.shape[:-2]))
    _check_bmm_sizes(batch, a.shape[-1], batch, b.shape[-2])
    _same_scalar_type(a, b)
    _no_bool("bmm", a.dtype)
    return "mv" if na == 1 else "mm" if na == 2 else "bmm"


def _check_expand(bias: np.ndarray, m: int, n: int) -> None:
    s = bias.shape
    if len(s) > 2:
        kind = from_numpy_dtype(bias.dtype).tensor_type
        raise RuntimeError(
            f"expand(torch.{kind}{{{list(s)}}}, size={[m, n]}): the number of sizes provided (2) must be "
            f"greater or equal to the number of dimensions in the tensor ({len(s)})"
        )
    target = (m, n)
    for i in range(1, len(s) + 1):
        if s[-i] != 1 and s[-i] != target[-i]:
            raise RuntimeError(
                f"The expanded size of the tensor ({target[-i]}) must match the existing size ({s[-i]}) at "
                f"non-singleton dimension {2 - i}.  Target sizes: {[m, n]}.  Tensor sizes: {list(s)}"
            )


def check_addmm(bias: np.ndarray, m1: np.ndarray, m2: np.ndarray) -> np.dtype:
    """``bias + m1 @ m2``; returns the common dtype."""
    if bias.dtype != m2.dtype:
        raise RuntimeError(
            f"self and mat2 must have the same dtype, but got {scalar_name(bias.dtype)} and {scalar_name(m2.dtype)}"
        )
    if m1.dtype != m2.dtype:
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {scalar_name(m1.dtype)} and {scalar_name(m2.dtype)}"
        )
    for name, m in (("mat1", m1), ("mat2", m2)):
        if m.ndim != 2:
            raise RuntimeError(f"{name} must be a matrix, got {m.ndim}-D tensor")
    if m1.shape[1] != m2.shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({m1.shape[0]}x{m1.shape[1]} and {m2.shape[0]}x{m2.shape[1]})"
        )
    _no_bool("addmm_impl_cpu_", m1.dtype)
    _check_expand(bias, m1.shape[0], m2.shape[1])
    return m1.dtype
