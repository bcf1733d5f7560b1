"""``torch.cuda`` stand-in: a NumPy engine has no CUDA device, so code that asks can branch."""

from __future__ import annotations

__all__ = ["is_available", "device_count"]


def is_available() -> bool:
    """Always False: autograd_kit computes on the CPU with NumPy."""
    return False


def device_count() -> int:
    """Always 0."""
    return 0
