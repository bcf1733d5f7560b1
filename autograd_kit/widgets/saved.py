"""Discover the values a backward node saved, through PyTorch's public attribute protocol.

PyTorch nodes list them as ``_saved_<name>`` attributes (``dir()`` finds them); autograd_kit's
``BackwardNode`` resolves those lazily, so its ``_forward_cls._save_names`` and ctx attributes
are read instead. A saved value freed by a backward pass raises RuntimeError: it is "freed".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._base import is_accumulate, is_tensor

__all__ = ["SavedEntry", "saved_entries"]


@dataclass
class SavedEntry:
    """One value a node saved for backward (``freed`` after a backward without retain_graph)."""

    name: str
    value: Any = None
    freed: bool = False
    saved_version: int | None = None

    @property
    def is_tensor(self) -> bool:
        """Whether the value is a tensor (drawn as a box) rather than a number or tuple."""
        return is_tensor(self.value)


def saved_entries(node: Any) -> list[SavedEntry]:
    """The saved values of a node, discovered through the public attribute protocol."""
    names: list[str] = []
    fwd = getattr(type(node), "_forward_cls", None)
    if fwd is not None:  # autograd_kit resolves _saved_<name> lazily, so dir() cannot list them
        names += list(getattr(fwd, "_save_names", ()))
    else:
        names += [a[7:] for a in dir(node) if a.startswith("_saved_")]
    ctx = getattr(node, "__dict__", {})
    skip = {"next_functions", "variable", "materialize_grads", "needs_input_grad"}
    names += [k for k, v in ctx.items() if not k.startswith("_") and k not in skip and not callable(v)]
    versions = getattr(node, "_versions_at_save", ()) if fwd is not None else ()
    entries, seen = [], set()
    for i, name in enumerate(names):
        if name in seen:
            continue
        seen.add(name)
        version = versions[i] if i < len(versions) and isinstance(versions, tuple) else None
        try:
            entries.append(SavedEntry(name, getattr(node, "_saved_" + name), saved_version=version))
        except RuntimeError:
            entries.append(SavedEntry(name, freed=True))
        except AttributeError:
            entries.append(SavedEntry(name, ctx.get(name)))
    if not entries and hasattr(node, "saved_tensors") and not is_accumulate(node):
        try:
            entries = [SavedEntry(f"saved_tensors[{i}]", v) for i, v in enumerate(node.saved_tensors)]
        except RuntimeError:
            entries = [SavedEntry("saved_tensors", freed=True)]
        except Exception:
            entries = []
    return entries
