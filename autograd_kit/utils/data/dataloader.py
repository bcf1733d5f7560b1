"""``DataLoader``: iterate over a dataset in (optionally shuffled) batches, collated into tensors.

Everything runs in the calling process: ``num_workers`` is accepted so that lesson code runs
unchanged, and gives the same batches as worker processes would (``get_worker_info()`` is None).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ...autograd.profiler import session as profiler
from ...random import Generator, numpy_rng
from ._collate import default_collate, default_convert
from .dataset import Dataset, IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader", "get_worker_info"]

_FROZEN = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers")


def get_worker_info() -> None:
    """Always None: batches are loaded in the calling process, never in a worker."""
    return None


def _check_options(num_workers: int, timeout: float, prefetch_factor: int | None, persistent: bool) -> None:
    if num_workers < 0:
        raise ValueError(
            "num_workers option should be non-negative; use num_workers=0 to disable multiprocessing."
        )
    if timeout < 0:
        raise ValueError("timeout option should be non-negative")
    if num_workers == 0 and prefetch_factor is not None:
        raise ValueError(
            "prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to "
            "enable multiprocessing, otherwise set prefetch_factor to None."
        )
    if prefetch_factor is not None and prefetch_factor < 0:
        raise ValueError("prefetch_factor option should be non-negative")
    if persistent and num_workers == 0:
        raise ValueError("persistent_workers option needs num_workers > 0")


def _check_iterable_options(shuffle: Any, sampler: Any, batch_sampler: Any) -> None:
    # PyTorch's checks: an IterableDataset decides its own order.
    if shuffle not in {False, None}:
        raise ValueError(
            f"DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle={shuffle}"
        )
    if sampler is not None:
        raise ValueError(
            f"DataLoader with IterableDataset: expected unspecified sampler option, but got sampler={sampler}"
        )
    if batch_sampler is not None:
        raise ValueError(
            "DataLoader with IterableDataset: expected unspecified batch_sampler option, but got "
            f"batch_sampler={batch_sampler}"
        )


class _InfiniteConstantSampler(Sampler):
    """The 'indices' of an IterableDataset: None forever (the dataset's iterator decides)."""

    def __iter__(self) -> Iterator[None]:
        while True:
            yield None


class DataLoader:
    """Batches of ``dataset``: ``for X, y in DataLoader(ds, batch_size=64, shuffle=True): ...``."""

    def __init__(
        self,
        dataset: Dataset | Iterable,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Sampler | Iterable | None = None,
        batch_sampler: Sampler | Iterable | None = None,
        num_workers: int = 0,
        collate_fn: Callable | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable | None = None,
        multiprocessing_context: Any = None,
        generator: Generator | None = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
    ) -> None:
        """PyTorch's arguments and checks; the sampler and batch sampler follow from them."""
        _check_options(num_workers, timeout, prefetch_factor, persistent_workers)
        self._iterable = isinstance(dataset, IterableDataset)
        if self._iterable:
            _check_iterable_options(shuffle, sampler, batch_sampler)
        shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(
                    "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last"
                )
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError(
                "batch_size=None option disables auto-batching and is mutually exclusive with drop_last"
            )
        if sampler is None:
            if self._iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        collate_fn = collate_fn or (default_collate if batch_sampler is not None else default_convert)
        # One update, before ``_initialized`` freezes the sampling attributes as PyTorch does.
        self.__dict__.update(
            dataset=dataset,
            batch_size=batch_size,
            drop_last=drop_last,
            sampler=sampler,
            batch_sampler=batch_sampler,
            generator=generator,
            num_workers=num_workers,
            collate_fn=collate_fn,
            pin_memory=pin_memory,
            pin_memory_device=pin_memory_device,
            timeout=timeout,
            worker_init_fn=worker_init_fn,
            multiprocessing_context=multiprocessing_context,
            prefetch_factor=prefetch_factor,
            persistent_workers=persistent_workers,
            in_order=in_order,
        )
        self._initialized = True

    def __setattr__(self, attr: str, value: Any) -> None:
        if attr in _FROZEN and self.__dict__.get("_initialized"):
            raise ValueError(f"{attr} attribute should not be set after {type(self).__name__} is initialized")
        super().__setattr__(attr, value)

    @property
    def _index_sampler(self) -> Iterable:
        return self.batch_sampler if self.batch_sampler is not None else self.sampler

    def __iter__(self) -> _SingleProcessDataLoaderIter:
        """A fresh pass over the data (a new shuffle when ``shuffle=True``)."""
        return _SingleProcessDataLoaderIter(self)

    def __len__(self) -> int:
        """How many batches one pass yields (an IterableDataset must define ``__len__``)."""
        if not self._iterable:
            return len(self._index_sampler)
        length = len(self.dataset)
        if self.batch_size is None:
            return length
        return length // self.batch_size if self.drop_last else -(-length // self.batch_size)


class _SingleProcessDataLoaderIter:
    """One pass of a DataLoader, named as PyTorch's so profiler rows and reprs match."""

    def __init__(self, loader: DataLoader) -> None:
        if loader.pin_memory:
            warnings.warn(
                "'pin_memory' argument is set as true but no accelerator is found, then device pinned "
                "memory won't be used.",
                UserWarning,
                stacklevel=3,
            )
        self._loader = loader
        self._auto_collation = loader.batch_sampler is not None
        self._sampler_iter = iter(loader._index_sampler)
        # PyTorch draws a base seed for workers here; drawing it too keeps the generator's
        # stream consumed the same way per epoch.
        numpy_rng(loader.generator).integers(0, 2**63)
        self._dataset_iter = iter(loader.dataset) if loader._iterable else None
        self._ended = False

    def __iter__(self) -> _SingleProcessDataLoaderIter:
        return self

    def __len__(self) -> int:
        return len(self._loader)

    def __next__(self) -> Any:
        if not profiler.is_active():
            return self._next_data()
        from ...autograd.profiler.session import record_function

        with record_function(f"enumerate(DataLoader)#{type(self).__name__}.__next__"):
            return self._next_data()

    def _next_data(self) -> Any:
        index = next(self._sampler_iter)
        loader = self._loader
        if self._dataset_iter is not None:
            return loader.collate_fn(self._next_stream_batch(index))
        dataset = loader.dataset
        if not self._auto_collation:
            return loader.collate_fn(dataset[index])
        if callable(getattr(dataset, "__getitems__", None)):
            return loader.collate_fn(dataset.__getitems__(index))
        return loader.collate_fn([dataset[i] for i in index])

    def _next_stream_batch(self, index: Any) -> Any:
        if self._ended:
            raise StopIteration
        if not self._auto_collation:
            return next(self._dataset_iter)
        data = []
        for _ in index:
            try:
                data.append(next(self._dataset_iter))
            except StopIteration:
                self._ended = True
                break
        if not data or (self._loader.drop_last and len(data) < len(index)):
            raise StopIteration
        return data
