"""Silencing NumPy's floating-point warnings cheaply: PyTorch gives nan/inf without a word.

``np.errstate`` costs as much as a small op (benchmarks/bench_core.py), so the ignore-everything state is built once and swapped in
through NumPy's own context variable (what errstate does inside); on NumPy versions without it,
the public errstate is the fallback.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

__all__ = ["quiet_fp", "restore_fp"]

try:
    from numpy._core._ufunc_config import _extobj_contextvar
    from numpy._core.umath import _make_extobj

    # C callables, not Python functions: unary math ops call both on every forward, and two
    # Python frames cost as much as the ufunc itself on a small array (bench_core's chain).
    #: Switch NumPy's FP warnings off; returns a token for ``restore_fp``.
    quiet_fp = functools.partial(_extobj_contextvar.set, _make_extobj(all="ignore"))
    #: Restore the FP warning state that ``quiet_fp`` replaced.
    restore_fp = _extobj_contextvar.reset

except (ImportError, AttributeError, TypeError):  # pragma: no cover - depends on the NumPy version

    def quiet_fp() -> Any:
        """Switch NumPy's FP warnings off; returns a token for ``restore_fp``."""
        state = np.errstate(all="ignore")
        state.__enter__()
        return state

    def restore_fp(token: Any) -> None:
        """Restore the FP warning state that ``quiet_fp`` replaced."""
        token.__exit__(None, None, None)
