"""Shared helpers of the widgets: recognising tensors and nodes by protocol, and formatting values.

Everything here works by duck typing, so the same code serves autograd_kit tensors and nodes,
real PyTorch ones, and test stand-ins. Formatting is deterministic (fixed precision, no object
addresses) so notebooks that display the widgets compare equal under nbval.
"""

from __future__ import annotations

import html
import numbers
from typing import Any

import numpy as np

__all__ = [
    "is_tensor",
    "to_array",
    "shape_text",
    "fmt",
    "summary",
    "values_text",
    "node_name",
    "short_name",
    "is_accumulate",
    "normalize_outputs",
    "no_graph_message",
    "esc",
    "check_int",
]


def is_tensor(x: Any) -> bool:
    """True for tensor-like objects: autograd_kit or torch tensors (anything with the protocol)."""
    return not isinstance(x, type) and all(hasattr(x, a) for a in ("grad_fn", "shape", "requires_grad"))


def to_array(x: Any) -> np.ndarray | None:
    """The values of a tensor or array as a NumPy array, or None when they cannot be read."""
    if x is None:
        return None
    try:
        if hasattr(x, "detach"):
            x = x.detach()
        if hasattr(x, "cpu") and not isinstance(x, np.ndarray):
            x = x.cpu()
        return np.asarray(x)
    except Exception:  # a freed or exotic tensor: the caller shows "unavailable"
        return None


def shape_text(shape: Any) -> str:
    """A shape as ``[2, 3]`` (``[]`` for a 0-d tensor)."""
    try:
        return "[" + ", ".join(str(int(s)) for s in shape) + "]"
    except TypeError:
        return "[?]"


def fmt(x: float) -> str:
    """One number, 4 significant digits, stable across runs."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    x = float(x)
    if x == 0:
        return "0"  # avoids "-0"
    return f"{x:.4g}"


def summary(arr: np.ndarray | None) -> str:
    """``min · mean · max`` of an array (its single value when it has one element)."""
    if arr is None:
        return "unavailable"
    if arr.size == 0:
        return "empty"
    if arr.dtype.kind not in "biuf":
        return f"dtype {arr.dtype}"
    if arr.size == 1:
        return fmt(arr.reshape(()).item())
    a = arr.astype(np.float64, copy=False)
    finite = a[np.isfinite(a)]
    if finite.size == 0:
        return "no finite values"
    text = f"min {fmt(finite.min())} · mean {fmt(finite.mean())} · max {fmt(finite.max())}"
    return text if finite.size == a.size else text + f" ({a.size - finite.size} non-finite)"


def values_text(arr: np.ndarray | None, limit: int = 8) -> str:
    """Small arrays in full (``[1, 2.5]``), larger ones as a summary."""
    if arr is None:
        return "None"
    if arr.size <= limit and arr.dtype.kind in "biuf":
        flat = [fmt(v) for v in arr.reshape(-1).tolist()]
        return flat[0] if arr.ndim == 0 else "[" + ", ".join(flat) + "]"
    return summary(arr)


def node_name(node: Any) -> str:
    """``node.name()``, falling back to the class name for objects without it."""
    try:
        return str(node.name())
    except Exception:
        return type(node).__name__


def short_name(node: Any) -> str:
    """The name without a C++ namespace: ``torch::autograd::AccumulateGrad`` -> ``AccumulateGrad``."""
    return node_name(node).rsplit("::", 1)[-1]


def is_accumulate(node: Any) -> bool:
    """True for the gradient sink of a leaf (``AccumulateGrad``: it has ``.variable``)."""
    return short_name(node) == "AccumulateGrad" or hasattr(node, "variable")


def normalize_outputs(outputs: Any, what: str) -> list[tuple[str, Any]]:
    """Turn a tensor, a sequence or a ``{name: tensor}`` dict into ``[(name, tensor)]``."""
    if isinstance(outputs, dict):
        pairs = [(str(k), v) for k, v in outputs.items()]
    elif isinstance(outputs, (list, tuple)):
        pairs = [(f"out{i}", v) for i, v in enumerate(outputs)]
    else:
        pairs = [("out", outputs)]
    if not pairs:
        raise ValueError(f"{what} needs at least one output tensor, got an empty {type(outputs).__name__}")
    for name, t in pairs:
        if not is_tensor(t):
            raise TypeError(
                f"{what} expects a tensor (autograd_kit.Tensor or torch.Tensor), a list of tensors or a "
                f"{{name: tensor}} dict; got {type(t).__name__} for {name!r}"
            )
    return pairs


def no_graph_message(name: str, t: Any) -> str:
    """Why a tensor has no backward graph to draw, in a sentence."""
    if getattr(t, "requires_grad", False):
        return (
            f"{name!r} is a leaf tensor (requires_grad=True, grad_fn=None): it has no backward graph; "
            "its gradient lands directly in its .grad. Draw a tensor computed from it instead."
        )
    return (
        f"{name!r} has no backward graph (requires_grad=False, grad_fn=None): it was made without "
        "gradient tracking (under no_grad(), from tensors that do not require grad, or by detach())."
    )


def esc(text: Any) -> str:
    """HTML/XML-escape a value's text."""
    return html.escape(str(text), quote=True)


def check_int(owner: str, name: str, value: Any, *, minimum: int, maximum: int | None = None) -> int:
    """``value`` as an int, or a TypeError / ValueError that names the widget and the argument."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{owner}: {name} must be an integer, got {type(value).__name__} {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        allowed = f"from {minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
        raise ValueError(f"{owner}: {name} must be {allowed}, got {value}")
    return int(value)
