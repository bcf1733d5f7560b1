"""Matrix products: ``matmul``/``@`` (1-D, 2-D and batched with broadcasting), ``mm``, ``bmm``,
``mv``, ``dot`` and ``outer``, with PyTorch's node names and shape/dtype errors (``addmm`` is in
``addmm.py``).

Backward computes only the gradients an input needs (``next_functions``), so a layer whose input
is data does no extra matrix product. Batched ``matmul`` records one node where PyTorch shows a
view on top: ``MmBackward0`` (1-D @ 2-D, N-D @ 2-D, 2-D @ N-D), ``MvBackward0`` (N-D @ 1-D,
1-D @ N-D) or ``BmmBackward0`` (N-D @ N-D), named after the product PyTorch runs underneath.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._tensor.tensor import Tensor
from ..graph.function import BuiltinFunction
from ._checks import tensor_arg
from ._linalg_checks import check_batched, check_bmm, check_dot, check_mm, check_mv
from ._math import swap_last

__all__ = ["matmul", "mm", "bmm", "mv", "dot", "outer"]

_ndarray = np.ndarray


def product_like(like: Any, left: Any, right: Any) -> Any:
    """``left @ right`` laid out like ``like``, the operand it is the gradient of. A transposed
    weight (``x @ w.t()``) thus gets a transposed gradient, which the transpose node hands back
    to the weight as a C-ordered array: no strided copy, as PyTorch's mm backward does."""
    if type(like) is _ndarray and like.ndim == 2 and not like.flags.c_contiguous and like.flags.f_contiguous:
        return (right.T @ left.T).T
    return left @ right


class Mm(BuiltinFunction):
    """2-D @ 2-D: MmBackward0."""

    operands = ("self", "mat2")
    saves = ("self", "mat2")
    formula = "grad_self = grad @ mat2.T;  grad_mat2 = self.T @ grad"

    @staticmethod
    def forward(ctx: Any, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a @ b

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        a, b = ctx.saved_tensors
        fns = ctx.next_functions
        ga = product_like(a, grad, swap_last(b)) if fns[0][0] is not None else None
        gb = product_like(b, swap_last(a), grad) if fns[1][0] is not None else None
        return ga, gb


class Bmm(Mm):
    """Batch of 3-D products: BmmBackward0."""

    node_name = "BmmBackward0"
    formula = "grad_self = grad @ mat2.mT;  grad_mat2 = self.mT @ grad"
    aten_name = "aten::bmm"


class Mv(BuiltinFunction):
    """Matrix @ vector: MvBackward0."""

    operands = ("self", "vec")
    saves = ("self", "vec")
    formula = "grad_self = outer(grad, vec);  grad_vec = self.T @ grad"

    @staticmethod
    def forward(ctx: Any, a: np.ndarray, v: np.ndarray) -> np.ndarray:
        return a @ v

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        a, v = ctx.saved_tensors
        fns = ctx.next_functions
        ga = grad.reshape((-1, 1)) * v if fns[0][0] is not None else None
        gv = swap_last(a) @ grad if fns[1][0] is not None else None
        return ga, gv


class Dot(BuiltinFunction):
    """Vector . vector: DotBackward0."""

    operands = ("self", "tensor")
    saves = ("self", "tensor")
    formula = "grad_self = grad * tensor;  grad_tensor = grad * self"

    @staticmethod
    def forward(ctx: Any, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.dot(a, b)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        a, b = ctx.saved_tensors
        fns = ctx.next_functions
        return (grad * b if fns[0][0] is not None else None, grad * a if fns[1][0] is not None else None)


def _rows(x: Any) -> Any:
    """``x`` as a matrix of its last dim's rows (an explicit row count: -1 is ambiguous at size 0)."""
    shape = tuple(x.shape)
    return x.reshape((math.prod(shape[:-1]), shape[-1]))


class _Matmul(BuiltinFunction):
    """Every other ``matmul``: 1-D operands promoted and squeezed, batch dims broadcast (the
    engine sums broadcast batches out of each gradient)."""

    operands = ("self", "other")
    saves = ("self", "other")
    formula = "grad_self = grad @ other.mT;  grad_other = self.mT @ grad   (1-D operands unsqueezed, broadcast batch dims summed)"
    aten_name = "aten::matmul"

    @staticmethod
    def forward(ctx: Any, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if b.ndim == 2 and a.ndim > 2:
            # Folding the batch into rows is one BLAS call instead of one per matrix.
            return (_rows(a) @ b).reshape(a.shape[:-1] + (b.shape[1],))
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple:
        a, b = ctx.saved_tensors
        fns = ctx.next_functions
        need_a, need_b = fns[0][0] is not None, fns[1][0] is not None
        ga = gb = None
        gshape = tuple(grad.shape)
        if b.ndim == 1:  # (..., m, k) @ (k,)
            k = b.shape[0]
            if need_a:
                ga = grad.reshape(gshape + (1,)) * b
            if need_b:
                gb = (grad.reshape((1, -1)) @ _rows(a)).reshape((k,))
        elif a.ndim == 1:  # (k,) @ (..., k, n)
            if need_a:
                ga = b @ grad.reshape(gshape + (1,))
                ga = ga.reshape(tuple(ga.shape)[:-1])
            if need_b:
                gb = a.reshape((-1, 1)) * grad.reshape(gshape[:-1] + (1, gshape[-1]))
        elif b.ndim == 2 and a.ndim > 2:  # folded, as in forward
            g2 = _rows(grad)
            if need_a:
                ga = (g2 @ swap_last(b)).reshape(tuple(a.shape))
            if need_b:
                gb = swap_last(_rows(a)) @ g2
        else:
            if need_a:
                ga = grad @ swap_last(b)
            if need_b:
                gb = swap_last(a) @ grad
        return ga, gb


class MatmulMm(_Matmul):
    node_name = "MmBackward0"
    formula = "grad_self = grad @ mat2.T;  grad_mat2 = self.T @ grad"


class MatmulMv(_Matmul):
    node_name = "MvBackward0"
    formula = "grad_self = outer(grad, vec);  grad_vec = self.T @ grad"


class MatmulBmm(_Matmul):
    node_name = "BmmBackward0"
    formula = "grad_self = grad @ mat2.mT;  grad_mat2 = self.mT @ grad"


_BATCHED = {"mm": MatmulMm, "mv": MatmulMv, "bmm": MatmulBmm}


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Matrix product with NumPy/PyTorch semantics for 1-D, 2-D and batched operands."""
    if not isinstance(input, Tensor) or not isinstance(other, Tensor):
        tensor_arg("matmul", "input", 1, input)
        tensor_arg("matmul", "other", 2, other)
    a, b = input._data, other._data
    na, nb = a.ndim, b.ndim
    if na == 2 and nb == 2:
        if a.shape[1] != b.shape[0] or a.dtype != b.dtype or a.dtype.kind == "b":
            check_mm(a, b, a.shape[0])
        return Mm.apply(input, other)
    if na == 0 or nb == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {na}D and {nb}D")
    if na == 1 and nb == 1:
        return dot(input, other)
    if na == 2 and nb == 1:
        return mv(input, other)
    return _BATCHED[check_batched(a, b)].apply(input, other)


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """Product of two matrices."""
    tensor_arg("mm", "input", 1, input)
    tensor_arg("mm", "mat2", 2, mat2)
    a, b = input._data, mat2._data
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    check_mm(a, b, a.shape[0])
    return Mm.apply(input, mat2)


def _checked_product(op: str, other_name: str, check: Any, cls: type, input: Tensor, other: Tensor) -> Tensor:
    """``cls.apply(input, other)`` after PyTorch's argument checks: both Tensors, then ``check``."""
    tensor_arg(op, "input", 1, input)
    tensor_arg(op, other_name, 2, other)
    check(input._data, other._data)
    return cls.apply(input, other)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched product of two 3-D tensors with equal batch sizes (no broadcasting)."""
    return _checked_product("bmm", "mat2", check_bmm, Bmm, input, mat2)


def mv(input: Tensor, vec: Tensor) -> Tensor:
    """Product of a matrix and a vector."""
    return _checked_product("mv", "vec", check_mv, Mv, input, vec)


def dot(input: Tensor, tensor: Tensor) -> Tensor:
    """Inner product of two 1-D tensors of the same size and dtype."""
    return _checked_product("dot", "tensor", check_dot, Dot, input, tensor)


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """Outer product of two vectors; a column view times the row, as PyTorch records it."""
    tensor_arg("outer", "input", 1, input)
    tensor_arg("outer", "vec2", 2, vec2)
    for name, t in (("self", input), ("vec2", vec2)):
        if t._data.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t._data.ndim}-D")
    return input.reshape(-1, 1) * vec2


def _matmul_method(self: Tensor, other: Any) -> Any:
    return matmul(self, other) if isinstance(other, Tensor) else NotImplemented


def _rmatmul_method(self: Tensor, other: Any) -> Any:
    return matmul(other, self) if isinstance(other, Tensor) else NotImplemented


TENSOR_METHODS = {
    "matmul": matmul,
    "mm": mm,
    "bmm": bmm,
    "mv": mv,
    "dot": dot,
    "outer": outer,
    "__matmul__": _matmul_method,
    "__rmatmul__": _rmatmul_method,
}
