"""``torch.backends.cudnn``: cuDNN flags that scripts set for reproducibility; accepted and inert."""

from __future__ import annotations

__all__ = ["is_available", "version", "enabled", "benchmark", "deterministic", "allow_tf32"]

# PyTorch's defaults; assigning them (``cudnn.deterministic = True``) is allowed and changes nothing.
enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    """Always False: there is no cuDNN."""
    return False


def version() -> None:
    """None, as PyTorch reports without cuDNN."""
    return None
