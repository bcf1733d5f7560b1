"""What the op base reports about an op: PyTorch's broadcast error for operands whose shapes do
not broadcast, and (under anomaly mode) the user's stack that created a node."""

from __future__ import annotations

import traceback
from typing import Any

import numpy as np

__all__ = ["broadcast_error", "forward_stack"]


def forward_stack() -> str:
    """The stack that is creating a node, minus the op machinery's own frames (anomaly mode)."""
    frames = traceback.extract_stack()[:-1]
    while (
        frames
        and frames[-1].filename.endswith(("function.py", "_custom_function.py"))
        and "autograd_kit" in frames[-1].filename
    ):
        frames.pop()
    return "".join(traceback.format_list(frames))


def broadcast_error(*operands: Any) -> RuntimeError | None:
    """PyTorch's error for operands whose shapes do not broadcast (None if they do)."""
    acc: tuple = ()
    for op in operands:
        shape = np.shape(op)
        n = max(len(acc), len(shape))
        a = (1,) * (n - len(acc)) + tuple(acc)
        b = (1,) * (n - len(shape)) + tuple(shape)
        for i in range(n - 1, -1, -1):  # PyTorch reports the right-most mismatch
            if a[i] != b[i] and a[i] != 1 and b[i] != 1:
                return RuntimeError(
                    f"The size of tensor a ({a[i]}) must match the size of tensor b ({b[i]}) "
                    f"at non-singleton dimension {i}"
                )
        acc = tuple(max(x, y) if min(x, y) != 0 else 0 for x, y in zip(a, b))
    return None
