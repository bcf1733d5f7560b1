"""``torch.backends.mps``: Apple's Metal backend, never available in this NumPy engine."""

from __future__ import annotations

__all__ = ["is_available", "is_built"]


def is_available() -> bool:
    """Always False: the lessons' ``"mps" if torch.backends.mps.is_available() else "cpu"`` picks the CPU."""
    return False


def is_built() -> bool:
    """Always False."""
    return False
