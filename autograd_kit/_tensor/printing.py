"""Tensor printing: ``repr(tensor)`` exactly as PyTorch prints it, and the print options.

The layout rules (precision, summarisation, int/fixed/scientific formatting, line wrapping,
suffix placement) follow PyTorch's ``torch/_tensor_str.py`` so printed output in notebooks can
be compared with PyTorch's character for character. Everything works on the NumPy array in
``t._data``: printing must not depend on (or be recorded by) Tensor ops.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from .. import dtypes

__all__ = ["tensor_repr", "set_printoptions", "get_printoptions", "printoptions"]

_DEFAULTS = {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80}


class _PrintOptions:
    __slots__ = ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")

    def __init__(self) -> None:
        self.precision = 4
        self.threshold: float = 1000
        self.edgeitems = 3
        self.linewidth = 80
        self.sci_mode: bool | None = None


PRINT_OPTS = _PrintOptions()
_PROFILES = {
    "default": _DEFAULTS,
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Set how tensors print (PyTorch's options; ``profile`` is 'default', 'short' or 'full')."""
    if profile is not None:
        # PyTorch silently ignores unknown profile names.
        for key, value in _PROFILES.get(profile, {}).items():
            setattr(PRINT_OPTS, key, value)
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    # As in PyTorch, sci_mode is always assigned: omitting it restores automatic choice.
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current print options, as keyword arguments for ``set_printoptions``."""
    return {name: getattr(PRINT_OPTS, name) for name in _PrintOptions.__slots__}


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Temporarily change the print options inside a ``with`` block."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


class _Formatter:
    """Chooses int/fixed/scientific mode and the common column width for a whole tensor."""

    __slots__ = ("floating", "int_mode", "sci_mode", "max_width", "precision")

    def __init__(self, arr: np.ndarray) -> None:
        self.floating = arr.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        self.precision = PRINT_OPTS.precision
        flat = arr.ravel()
        if flat.size == 0:
            return
        if not self.floating:
            # str() width is monotone in the value for each sign, so the extremes decide it.
            self.max_width = max(len(str(flat.min().item())), len(str(flat.max().item())), 1)
            return
        vals = flat[np.isfinite(flat) & (flat != 0)]
        if vals.size == 0:
            return
        absval = np.abs(vals).astype(np.float64)
        lo, hi = float(absval.min()), float(absval.max())
        self.int_mode = bool(np.all(vals == np.ceil(vals)))
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
        else:
            self.sci_mode = bool(PRINT_OPTS.sci_mode)
        # Formatted width only grows with |value| (also the exponent's digit count in sci mode),
        # so the smallest and largest value of each sign are the only candidates for the widest.
        pos, neg = vals[vals > 0], vals[vals < 0]
        candidates = [float(x) for part in (pos, neg) if part.size for x in (part.min(), part.max())]
        p = self.precision
        if self.sci_mode:
            width = max(len(f"{v:.{p}e}") for v in candidates)
        elif self.int_mode:
            width = max(len(f"{v:.0f}") for v in candidates) + 1  # + 1 for the trailing '.'
        else:
            width = max(len(f"{v:.{p}f}") for v in candidates)
        self.max_width = max(width, 1)

    def format(self, value: Any) -> str:
        """One element, right-aligned to the tensor's column width."""
        if self.floating:
            if self.sci_mode:
                ret = f"{value:{self.max_width}.{self.precision}e}"
            elif self.int_mode:
                ret = f"{value:.0f}"
                if math.isfinite(value):
                    ret += "."
            else:
                ret = f"{value:.{self.precision}f}"
        else:
            ret = f"{value}"
        return ret.rjust(self.max_width)


def _vector_str(arr: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    edge = PRINT_OPTS.edgeitems
    per_line = max(1, (PRINT_OPTS.linewidth - indent) // (fmt.max_width + 2))
    f = fmt.format
    if summarize and not edge:
        data = ["..."]
    elif summarize and arr.shape[0] > 2 * edge:
        data = [f(v) for v in arr[:edge].tolist()] + [" ..."] + [f(v) for v in arr[-edge:].tolist()]
    else:
        data = [f(v) for v in arr.tolist()]
    lines = [", ".join(data[i : i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested_str(arr: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    ndim = arr.ndim
    if ndim == 0:
        return fmt.format(arr.item())
    if ndim == 1:
        return _vector_str(arr, indent, summarize, fmt)
    n, edge = arr.shape[0], PRINT_OPTS.edgeitems
    if summarize and n > 2 * edge:
        rows = [*range(edge), None, *range(n - edge, n)]
    else:
        rows = range(n)
    slices = ["..." if i is None else _nested_str(arr[i], indent + 1, summarize, fmt) for i in rows]
    return "[" + ("," + "\n" * (ndim - 1) + " " * (indent + 1)).join(slices) + "]"


def _summarized(arr: np.ndarray) -> np.ndarray:
    """The elements a summarised print shows (edge items of every dimension), for the formatter."""
    edge = PRINT_OPTS.edgeitems
    if arr.ndim == 0:
        return arr
    if not edge:
        # PyTorch's quirk: a 1-d tensor keeps all values (self[-0:]); higher dims keep none.
        return arr if arr.ndim == 1 else arr[(slice(0, 0),) * arr.ndim]
    index = []
    for n in arr.shape:
        index.append(np.r_[0:edge, n - edge : n] if n > 2 * edge else np.arange(n))
    return arr[np.ix_(*index)]


def _tensor_str(arr: np.ndarray, indent: int) -> str:
    if arr.size == 0:
        return "[]"
    summarize = arr.size > PRINT_OPTS.threshold
    fmt = _Formatter(_summarized(arr) if summarize else arr)
    return _nested_str(arr, indent, summarize, fmt)


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    parts = [text]
    # PyTorch's arithmetic, including its +1 (and +2 when there is no newline) over-count.
    last_line_len = len(text) - text.rfind("\n") + 1
    linewidth = PRINT_OPTS.linewidth
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


_ALWAYS_IMPLIED = (np.dtype(np.int64), np.dtype(np.bool_))


def tensor_repr(t: Any) -> str:
    """PyTorch's ``repr`` of a tensor: values, then dtype / requires_grad / grad_fn suffixes."""
    arr = t._data
    cls = type(t)
    # Our own classes (Tensor, nn.Parameter) print as tensor(...); user subclasses by name.
    prefix = "tensor(" if cls.__module__.startswith("autograd_kit") else f"{cls.__name__}("
    indent = len(prefix)
    default = dtypes.get_default_dtype().numpy_dtype
    suffixes = []
    if arr.size == 0:
        if arr.ndim != 1:
            suffixes.append(f"size={tuple(arr.shape)}")
        # An empty tensor has no values to hint at its dtype, so only the default is implied.
        if arr.dtype != default:
            suffixes.append(f"dtype={dtypes.from_numpy_dtype(arr.dtype)!r}")
        text = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={tuple(arr.shape)}")
        if arr.dtype != default and arr.dtype not in _ALWAYS_IMPLIED:
            suffixes.append(f"dtype={dtypes.from_numpy_dtype(arr.dtype)!r}")
        text = _tensor_str(arr, indent)
    if t.grad_fn is not None:
        # PyTorch drops a C++ namespace ("torch::autograd::...") from the printed node name.
        suffixes.append(f"grad_fn=<{t.grad_fn.name().rsplit('::', 1)[-1]}>")
    elif t._requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + text, suffixes, indent)
