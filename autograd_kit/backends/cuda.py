"""``torch.backends.cuda``: CUDA settings, accepted and inert (there is no CUDA device)."""

from __future__ import annotations

__all__ = ["is_built", "matmul"]


class _MatmulSettings:
    """``torch.backends.cuda.matmul``: the precision flags, with PyTorch's defaults (settable)."""

    allow_tf32 = False
    allow_fp16_reduced_precision_reduction = True
    allow_bf16_reduced_precision_reduction = True


matmul = _MatmulSettings()


def is_built() -> bool:
    """Always False: autograd_kit is not built with CUDA."""
    return False
