"""PyTorch's ``torch.backends``: what the tutorials' device checks ask (``mps``, ``cuda``, ``cudnn``);
no accelerator backend exists here, so every check answers that none is available."""

from __future__ import annotations

from . import cuda, cudnn, mps

__all__ = ["cuda", "cudnn", "mps"]
