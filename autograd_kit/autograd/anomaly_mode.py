"""Anomaly detection: ``detect_anomaly`` / ``set_detect_anomaly``. While on, forward ops record
the stack that created them; backward raises when a node returns NaN, naming the node and showing
that stack, and warns with the stack when a node's backward raises."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._tensor.tensor import Tensor
from ..graph.engine import run_backward
from ..graph.switches import SWITCHES, set_anomaly_runner

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled", "is_anomaly_check_nan_enabled"]

_check_nan = True
_NO_TRACE = "(no forward traceback recorded: anomaly detection was off when the forward op ran)"


def is_anomaly_enabled() -> bool:
    """Whether anomaly detection is on."""
    return SWITCHES.anomaly_runner is not None


def is_anomaly_check_nan_enabled() -> bool:
    """Whether anomaly detection also checks backward outputs for NaN."""
    return _check_nan


def _forward_trace(node: Any) -> str:
    return node._anomaly_trace or _NO_TRACE


def _run_node(node: Any, grads: list) -> Any:
    """The engine's node runner while anomaly detection is on (the switches' ``anomaly_runner``)."""
    try:
        outs = run_backward(node, grads)
    except Exception:
        warnings.warn(
            f"Error detected in {node.name()}. Traceback of forward call that caused the error:\n"
            + _forward_trace(node),
            UserWarning,
            stacklevel=2,
        )
        raise
    if _check_nan:
        for i, out in enumerate(outs):
            data = out._data if isinstance(out, Tensor) else out
            if data is not None and data.dtype.kind in "fc" and np.isnan(data).any():
                raise RuntimeError(
                    f"Function '{node.name()}' returned nan values in its {i}th output.\n\n"
                    "Traceback of forward call that caused the error:\n" + _forward_trace(node)
                )
    return outs


def _set(mode: bool, check_nan: bool) -> None:
    global _check_nan
    _check_nan = bool(check_nan)
    set_anomaly_runner(_run_node if mode else None)


class set_detect_anomaly:
    """Turn anomaly detection on or off now; as a context manager, restore the previous state on exit."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        """Switch at once (usable as a plain call or a ``with`` block)."""
        self.prev = is_anomaly_enabled()
        self.prev_check_nan = _check_nan
        _set(mode, check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        _set(self.prev, self.prev_check_nan)


class detect_anomaly:
    """Context manager that enables anomaly detection inside its block (with PyTorch's warning)."""

    def __init__(self, check_nan: bool = True) -> None:
        """Warn, as PyTorch does, that the mode slows execution."""
        self.prev = is_anomaly_enabled()
        self.check_nan = check_nan
        self.prev_check_nan = _check_nan
        warnings.warn(
            "Anomaly Detection has been enabled. This mode will increase the runtime and should only be "
            "enabled for debugging.",
            UserWarning,
            stacklevel=2,
        )

    def __enter__(self) -> None:
        _set(True, self.check_nan)

    def __exit__(self, *exc: object) -> None:
        _set(self.prev, self.prev_check_nan)
