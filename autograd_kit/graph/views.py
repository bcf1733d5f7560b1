"""Views: what a view records about its base, and how its grad_fn is re-derived after the
shared storage is written in place (PyTorch regenerates a view's grad_fn the same way)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import grad_mode
from .._tensor.tensor import Tensor
from .ctx import NO_GRAD_CTX

__all__ = ["share_view", "apply_view_chain", "refresh_view"]


def share_view(result: Any, source: Any, cls: type, args: tuple) -> None:
    """Make ``result`` a view of ``source``: shared version counter, ``_base`` and the recipe
    (``_view_chain``) to re-make it from the base. Only a true alias qualifies (reshape may copy)."""
    out, src = result._data, source._data
    base = out.base
    # NumPy points a view's base at the array owning the memory, so one identity test settles
    # the usual case; the slower np.may_share_memory decides the rest (every view op: bench_mlp's
    # Linear transposes).
    if (base is not None and (base is src or base is src.base)) or np.may_share_memory(out, src):
        result._vc = source._vc
        step = ((cls, args[1:]),)
        if source._base is None:
            result._base, result._view_chain = source, step
        else:
            result._base = source._base
            result._view_chain = None if source._view_chain is None else source._view_chain + step
        result._view_version = source._vc[0]
        if not grad_mode._state.enabled:
            result._view_no_grad = True  # never tracked later, as PyTorch's NO_GRAD_MODE views


def apply_view_chain(chain: tuple, x: Any) -> Any:
    """Re-apply a view's recipe to its base: an array (no graph) or a Tensor (recorded)."""
    if isinstance(x, Tensor):
        for cls, extra in chain:
            x = cls.apply(x, *extra)
    else:
        for cls, extra in chain:
            x = cls.forward(NO_GRAD_CTX, x, *extra)
    return x


def refresh_view(view: Any) -> None:
    """Re-derive a view's grad_fn from its base after the shared storage was written in place
    (PyTorch regenerates a view's grad_fn when its version changed the same way)."""
    view._view_version = view._vc[0]
    chain = view._view_chain
    if chain is None or view._view_no_grad or view.grad_fn is None and not view._base.requires_grad:
        return
    with grad_mode.enable_grad():
        fresh = apply_view_chain(chain, view._base)
    view.grad_fn, view._output_nr = fresh.grad_fn, fresh._output_nr
