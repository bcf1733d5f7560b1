"""Comparing an answer with the expected value and naming the mistake: shape, sign, factor, known slips.

The diagnosis runs from the most specific to the most general: a missing answer, a function
where a value was expected, a shape that differs (with the transposed and reshaped cases
spelled out), one of the exercise's known mistakes (each a wrong value with its explanation),
a flipped sign, a constant factor, and last the first element that differs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np

from ..random import default_generator
from ._exercise import Wrong

__all__ = ["as_array", "expect_close", "expect_equal", "expect_callable", "kept_random_state"]

RTOL = 1e-4
ATOL = 1e-5


def as_array(value: Any, what: str = "your answer") -> np.ndarray:
    """The numbers of a tensor, array, list or number as a float64 array (Wrong if not numbers)."""
    if value is None:
        raise Wrong(f"{what} is None. (Did a function forget to return, or is .grad still None?)")
    if callable(value) and not hasattr(value, "shape"):
        raise Wrong(f"{what} is a function; this exercise wants a value (call it first).")
    if hasattr(value, "detach"):
        value = value.detach()
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Wrong(f"{what} should be a tensor or a number, got {type(value).__name__}") from None
    return arr


def _shape(arr: np.ndarray) -> str:
    return "torch.Size([" + ", ".join(str(s) for s in arr.shape) + "])"


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def expect_close(
    answer: Any,
    expected: Any,
    *,
    what: str = "your answer",
    mistakes: Mapping[str, Any] | None = None,
) -> None:
    """Wrong unless ``answer`` has ``expected``'s shape and values (float32 tolerance)."""
    arr = as_array(answer, what)
    exp = as_array(expected, "the expected value")
    for message, wrong_value in (mistakes or {}).items():
        if _close(arr, as_array(wrong_value, "a known mistake")) and not _close(arr, exp):
            raise Wrong(message)
    if arr.shape != exp.shape:
        detail = ""
        if arr.size == 1 and exp.size > 1:
            detail = f" One number is not enough: there is one value per element ({exp.size})."
        elif arr.ndim == 2 and arr.T.shape == exp.shape:
            detail = " It looks transposed: rows are outputs, columns are inputs."
        elif arr.size == exp.size and _close(arr.reshape(exp.shape), exp):
            detail = " The values are right; only the shape is not."
        raise Wrong(f"shapes differ: expected {_shape(exp)}, got {_shape(arr)}.{detail}")
    if _close(arr, exp):
        return
    if np.abs(exp).max(initial=0) > ATOL and _close(arr, -exp):
        raise Wrong("sign flipped: every value is the negative of the right one.")
    nonzero = np.abs(exp) > ATOL
    if nonzero.any() and np.allclose(arr[~nonzero], 0, atol=ATOL):
        ratios = arr[nonzero] / exp[nonzero]
        if np.allclose(ratios, ratios.flat[0], rtol=RTOL) and not np.isclose(ratios.flat[0], 0):
            raise Wrong(f"off by a constant factor: every value is {ratios.flat[0]:.4g} times the right one.")
    bad = np.unravel_index(int(np.argmax(np.abs(arr - exp) - RTOL * np.abs(exp))), exp.shape)
    where = f" at index {list(map(int, bad))}" if exp.ndim else ""
    raise Wrong(f"values differ{where}: expected {exp[bad]:.4g}, got {arr[bad]:.4g}.")


def expect_equal(answer: Any, expected: Any, *, mistakes: Mapping[Any, str] | None = None) -> None:
    """Wrong unless ``answer == expected`` (for names, counts, shapes); known wrong answers explained."""
    if answer == expected:
        return
    for wrong_answer, message in (mistakes or {}).items():
        if answer == wrong_answer:
            raise Wrong(message)
    if answer is None:
        raise Wrong("your answer is None.")
    if type(answer) is not type(expected) and not (isinstance(answer, int) and isinstance(expected, int)):
        raise Wrong(f"expected a {type(expected).__name__}, got {type(answer).__name__}: {answer!r}")
    raise Wrong(f"{answer!r} is not it.")


def expect_callable(answer: Any, what: str) -> None:
    """Wrong unless the answer is a function (the exercise calls it with its own inputs)."""
    if not callable(answer):
        raise Wrong(f"this exercise wants {what}, a function it can call; got {type(answer).__name__}")


@contextmanager
def kept_random_state() -> Iterator[None]:
    """Run a block that draws random numbers (nn.Linear's init) and then restore torch's stream,
    so that checking an answer does not change the numbers of the notebook's later cells."""
    state = default_generator.get_state()
    try:
        yield
    finally:
        default_generator.set_state(state)
