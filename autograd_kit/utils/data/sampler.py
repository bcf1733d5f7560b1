"""Samplers: the order in which a DataLoader visits a map-style dataset, and how it groups the
indices into batches (PyTorch's ``Sampler``, ``SequentialSampler``, ``RandomSampler``,
``SubsetRandomSampler``, ``BatchSampler``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Any

from ...creation.random import randint, randperm
from ...random import Generator, numpy_rng

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler", "BatchSampler"]


class Sampler:
    """Base class: an iterable of dataset indices (subclasses define ``__iter__``, often ``__len__``)."""

    def __init__(self, data_source: Sized | None = None) -> None:
        """Accepts (and ignores) ``data_source``, as PyTorch's base class does."""

    def __iter__(self) -> Iterator:
        """The indices; subclasses implement it."""
        raise NotImplementedError


class SequentialSampler(Sampler):
    """``0, 1, ..., len(data_source) - 1``."""

    def __init__(self, data_source: Sized) -> None:
        """Visit ``data_source`` in order."""
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        """The indices in order."""
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        """The dataset's length."""
        return len(self.data_source)


def _fresh_generator(generator: Generator | None) -> Generator:
    """``generator``, or a new one seeded from the default generator, so that ``manual_seed``
    makes unseeded shuffles reproducible too (PyTorch draws the seed the same way)."""
    if generator is not None:
        return generator
    return Generator().manual_seed(int(numpy_rng().integers(0, 2**63)))


class RandomSampler(Sampler):
    """A random permutation of the indices (or ``num_samples`` draws with replacement)."""

    def __init__(
        self,
        data_source: Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: Generator | None = None,
    ) -> None:
        """Shuffle ``data_source``'s indices, drawing from ``generator`` when given."""
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got replacement={replacement}")
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(
                f"num_samples should be a positive integer value, but got num_samples={self.num_samples}"
            )

    @property
    def num_samples(self) -> int:
        """How many indices one pass yields (the dataset's length unless given)."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        """A fresh random order on every pass."""
        n, count = len(self.data_source), self.num_samples
        generator = _fresh_generator(self.generator)
        if self.replacement:
            # In chunks of 32, as PyTorch draws them.
            for size in [32] * (count // 32) + [count % 32]:
                yield from randint(high=n, size=(size,), generator=generator).tolist()
            return
        for _ in range(count // n):
            yield from randperm(n, generator=generator).tolist()
        yield from randperm(n, generator=generator).tolist()[: count % n]

    def __len__(self) -> int:
        """``num_samples``."""
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given ``indices`` in a random order."""

    def __init__(self, indices: Sequence[int], generator: Generator | None = None) -> None:
        """Shuffle ``indices`` on every pass."""
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        """``indices`` permuted."""
        for i in randperm(len(self.indices), generator=self.generator).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        """How many indices."""
        return len(self.indices)


class BatchSampler(Sampler):
    """Groups another sampler's indices into lists of ``batch_size`` (the last one shorter unless
    ``drop_last``)."""

    def __init__(self, sampler: Sampler | Iterable, batch_size: int, drop_last: bool) -> None:
        """Batch ``sampler``'s indices."""
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size}"
            )
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[Any]]:
        """The batches, as lists of indices."""
        batch: list[Any] = []
        for idx in self.sampler:
            batch.append(idx)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        """How many batches one pass yields."""
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
