"""Thread-local grad mode: no_grad, enable_grad, set_grad_enabled, inference_mode."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = [
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "inference_mode",
    "is_grad_enabled",
    "is_inference_mode_enabled",
]

F = TypeVar("F", bound=Callable[..., Any])


class _GradState(threading.local):
    # Class attributes are the per-thread defaults; each thread sees its own copy once written.
    enabled = True
    inference = False


_state = _GradState()


def is_grad_enabled() -> bool:
    """Return True if operations on this thread record a graph."""
    return _state.enabled


def is_inference_mode_enabled() -> bool:
    """Return True inside an ``inference_mode()`` block."""
    return _state.inference


class _GradModeContext:
    """Base for grad-mode switches usable as context managers and as decorators."""

    _target: bool = True

    def __new__(cls, *args: Any) -> Any:
        # Bare decorator use (``@no_grad``, ``@inference_mode``), which PyTorch allows too.
        if len(args) == 1 and callable(args[0]):
            return cls()(args[0])
        return super().__new__(cls)

    def __init__(self) -> None:
        self._prev: list[bool] = []

    def __enter__(self) -> None:
        self._prev.append(_state.enabled)
        _state.enabled = self._target

    def __exit__(self, *exc: object) -> None:
        _state.enabled = self._prev.pop()

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.clone():
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    def clone(self) -> _GradModeContext:
        """Return a fresh instance with the same target mode."""
        return type(self)()


class no_grad(_GradModeContext):
    """Disable graph recording; usable as ``with no_grad():`` or ``@no_grad()``."""

    _target = False


class enable_grad(_GradModeContext):
    """Enable graph recording inside a ``no_grad`` block."""

    _target = True


class set_grad_enabled(_GradModeContext):
    """Set grad mode to ``mode``; takes effect at once, and as a context manager restores it."""

    def __init__(self, mode: bool) -> None:
        super().__init__()
        self._target = bool(mode)
        self._prev.append(_state.enabled)
        _state.enabled = self._target

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        _state.enabled = self._prev.pop()

    def __call__(self, func: F) -> F:
        # As a decorator the mode applies per call, so undo the switch __init__ made.
        _state.enabled = self._prev.pop()
        return super().__call__(func)

    def clone(self) -> set_grad_enabled:
        """Return an instance that switches now and restores on exit (the decorator's per call)."""
        return set_grad_enabled(self._target)


class inference_mode(_GradModeContext):
    """Like ``no_grad`` (a NumPy engine has no extra view/version cost to skip)."""

    def __init__(self, mode: bool = True) -> None:
        super().__init__()
        self._mode = bool(mode)
        self._target = not self._mode
        self._prev_inference: list[bool] = []

    def __enter__(self) -> None:
        super().__enter__()
        self._prev_inference.append(_state.inference)
        _state.inference = self._mode

    def __exit__(self, *exc: object) -> None:
        super().__exit__()
        _state.inference = self._prev_inference.pop()

    def clone(self) -> inference_mode:
        """Return a fresh instance with the same mode."""
        return inference_mode(self._mode)
