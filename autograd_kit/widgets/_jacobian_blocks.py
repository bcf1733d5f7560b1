"""Turn ``autograd.functional.jacobian``/``hessian`` results into one 2-D matrix made of blocks.

A result is a tensor, a tuple of tensors (one per input) or a tuple of tuples (one row per
output, or per first input of a Hessian). Each block of shape ``out_shape + in_shape`` is
flattened to ``numel(out) x numel(in)``; the blocks are then laid side by side. The input shapes
come from the inputs when given; otherwise a block's dims are split in half (a note says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._base import is_tensor, shape_text, to_array

__all__ = ["BlockMatrix", "block_matrix", "as_grid"]


@dataclass
class BlockMatrix:
    """The full matrix, each block's 2-D array, and the rows'/columns' block boundaries."""

    blocks: list[list[np.ndarray]]
    row_names: list[str]
    col_names: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def row_sizes(self) -> list[int]:
        """Rows of each block-row."""
        return [row[0].shape[0] for row in self.blocks]

    @property
    def col_sizes(self) -> list[int]:
        """Columns of each block-column."""
        return [b.shape[1] for b in self.blocks[0]]

    def full(self) -> np.ndarray:
        """All blocks assembled into one matrix."""
        return np.block(self.blocks) if self.blocks else np.zeros((0, 0))


def as_grid(result: Any) -> tuple[list[list[Any]], bool]:
    """``(grid of tensors, was nested)`` from a tensor, a tuple of tensors or a tuple of tuples."""
    what = (
        "JacobianView expects a tensor, a tuple of tensors or a tuple of tuples of tensors (what "
        "autograd.functional.jacobian / hessian return)"
    )
    if is_tensor(result):
        return [[result]], False
    if not isinstance(result, (tuple, list)) or not result:
        raise TypeError(
            f"{what}; got {type(result).__name__}" + (" (empty)" if isinstance(result, (tuple, list)) else "")
        )
    nested = all(isinstance(r, (tuple, list)) for r in result)
    grid = [list(r) for r in result] if nested else [list(result)]
    for row in grid:
        if not row or len(row) != len(grid[0]):
            raise TypeError(f"{what}; the rows of this tuple of tuples have different lengths")
        for item in row:
            if not is_tensor(item):
                raise TypeError(f"{what}; found a value of type {type(item).__name__} inside")
    return grid, nested


def _split(arr: np.ndarray, in_shape: tuple | None, where: str, notes: list[str]) -> np.ndarray:
    shape = arr.shape
    if in_shape is not None:
        k = len(in_shape)
        if len(shape) < k or tuple(shape[len(shape) - k :]) != tuple(in_shape):
            raise ValueError(
                f"JacobianView: block {where} has shape {shape_text(shape)}, which does not end with the "
                f"input's shape {shape_text(in_shape)}"
            )
        cut = len(shape) - k
    elif arr.ndim <= 2:
        cut = 0 if arr.ndim == 1 else arr.ndim // 2  # 1-D: the gradient of a scalar output, a row
    else:
        cut = arr.ndim // 2
        notes.append(
            f"block {where}: shape {shape_text(shape)} read as outputs {shape_text(shape[:cut])} x inputs "
            f"{shape_text(shape[cut:])}; pass inputs= to say otherwise"
        )
    rows = int(np.prod(shape[:cut], dtype=np.int64))
    cols = int(np.prod(shape[cut:], dtype=np.int64))
    return arr.reshape(rows, cols)


def block_matrix(
    result: Any, inputs: Any = None, row_names: list[str] | None = None, col_names: list[str] | None = None
) -> BlockMatrix:
    """Flatten every block of ``result`` to 2-D (using the ``inputs``' shapes when given)."""
    grid, _ = as_grid(result)
    in_shapes: list[tuple | None] = [None] * len(grid[0])
    if inputs is not None:
        ins = list(inputs) if isinstance(inputs, (tuple, list)) else [inputs]
        if len(ins) != len(grid[0]) or not all(is_tensor(t) for t in ins):
            raise ValueError(
                f"JacobianView: inputs= must be the {len(grid[0])} tensor(s) the result was taken with, got "
                f"{len(ins)} item(s)"
            )
        in_shapes = [tuple(t.shape) for t in ins]
    notes: list[str] = []
    blocks = []
    for i, row in enumerate(grid):
        out = []
        for j, t in enumerate(row):
            arr = to_array(t)
            if arr is None:
                raise TypeError(f"JacobianView: the values of block ({i}, {j}) cannot be read")
            arr = np.asarray(arr, dtype=np.float64)
            out.append(_split(arr, in_shapes[j], f"({i}, {j})", notes))
        blocks.append(out)
    for i, row in enumerate(blocks):
        if len({b.shape[0] for b in row}) > 1:
            raise ValueError(f"JacobianView: the blocks of row {i} disagree on the number of outputs")
    for j in range(len(blocks[0])):
        if len({row[j].shape[1] for row in blocks}) > 1:
            raise ValueError(f"JacobianView: the blocks of column {j} disagree on the number of inputs")
    rows = row_names or ([f"out{i}" for i in range(len(grid))] if len(grid) > 1 else ["out"])
    cols = col_names or ([f"in{j}" for j in range(len(grid[0]))] if len(grid[0]) > 1 else ["in"])
    if len(rows) != len(grid) or len(cols) != len(grid[0]):
        raise ValueError(
            f"JacobianView: {len(grid)} x {len(grid[0])} blocks need as many row and column names, got "
            f"{len(rows)} and {len(cols)}"
        )
    return BlockMatrix(blocks, list(rows), list(cols), notes)
