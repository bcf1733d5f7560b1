"""PyTorch's ``torch.utils.data``: datasets, samplers, ``DataLoader``, ``random_split``, collation."""

from __future__ import annotations

from . import _collate, dataloader, dataset, sampler
from ._collate import *  # noqa: F403
from .dataloader import *  # noqa: F403
from .dataset import *  # noqa: F403
from .sampler import *  # noqa: F403

__all__ = [*dataset.__all__, *sampler.__all__, *dataloader.__all__, *_collate.__all__]

# PyTorch names this package does not build: a clear error rather than an AttributeError.
_NOT_BUILT = {
    "WeightedRandomSampler": "it draws with torch.multinomial",
    "DistributedSampler": "there is no torch.distributed",
    "IterDataPipe": "DataPipes (torchdata) are not built",
    "MapDataPipe": "DataPipes (torchdata) are not built",
    "DataChunk": "DataPipes (torchdata) are not built",
    "DFIterDataPipe": "DataPipes (torchdata) are not built",
    "functional_datapipe": "DataPipes (torchdata) are not built",
}


def __getattr__(name: str) -> None:
    """PyTorch's names that are not built raise NotImplementedError saying why."""
    if name in _NOT_BUILT:
        raise NotImplementedError(
            f"torch.utils.data.{name} is not implemented in autograd_kit: {_NOT_BUILT[name]}"
        )
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
