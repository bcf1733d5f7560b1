"""PyTorch's ``torch.utils.data``: datasets, samplers, ``DataLoader``, ``random_split``, collation."""

from __future__ import annotations

from ._collate import default_collate, default_convert
from .dataloader import DataLoader, get_worker_info
from .dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
    random_split,
)
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler, SubsetRandomSampler

__all__ = [
    "Dataset",
    "IterableDataset",
    "TensorDataset",
    "StackDataset",
    "ConcatDataset",
    "ChainDataset",
    "Subset",
    "random_split",
    "Sampler",
    "SequentialSampler",
    "RandomSampler",
    "SubsetRandomSampler",
    "BatchSampler",
    "DataLoader",
    "get_worker_info",
    "default_collate",
    "default_convert",
]

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
    if name in _NOT_BUILT:
        raise NotImplementedError(
            f"torch.utils.data.{name} is not implemented in autograd_kit: {_NOT_BUILT[name]}"
        )
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
