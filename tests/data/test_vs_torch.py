"""torch.utils.data against PyTorch 2.13 (skipped without torch): collation, batching, lengths,
random_split's lengths and every error message, compared as printed."""

from __future__ import annotations

import collections
import warnings
from typing import Any

import numpy as np

from tests.helpers.differential import assert_same_as_torch, attempt

Pair = collections.namedtuple("Pair", "x y")


def test_default_collate_and_convert_match_torch() -> None:
    def scenario(tm: Any, out: list) -> None:
        dc, dv = tm.utils.data.default_collate, tm.utils.data.default_convert
        for batch in (
            [np.float32(1), np.float32(2)],
            [np.int32(1), np.int32(2)],
            [1.5, 2],
            [1, 2],
            [True, False],
            [{"a": 1, "b": (1.0, "x")}, {"a": 2, "b": (2.0, "y")}],
            [Pair(1, 2.0), Pair(3, 4.0)],
            [np.zeros(2, dtype=np.float32), np.ones(2, dtype=np.float32)],
            [tm.tensor([1.0, 2.0]), tm.tensor([3.0, 4.0])],
            ["a", "b"],
            [np.str_("a")],
            [object()],
            [np.array(["a"])],
            [[1, 2], [3]],
        ):
            attempt(out, lambda batch=batch: dc(batch))
        attempt(out, lambda: dv((np.arange(3), 1, "s")))
        attempt(out, lambda: dv({"k": np.float32(2)}))

    assert_same_as_torch(scenario)


class _Squares:
    """A custom map-style dataset as the tutorials write one (subclassing Dataset)."""

    def __init__(self, tm: Any, n: int) -> None:
        self.x = tm.arange(n, dtype=tm.float32)

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, i: int) -> dict:
        return {"x": self.x[i], "y": float(self.x[i]) ** 2, "name": f"item{i}"}


def test_loading_batches_match_torch() -> None:
    def scenario(tm: Any, out: list) -> None:
        data = tm.utils.data
        ds = data.TensorDataset(tm.arange(10.0).reshape(5, 2), tm.arange(5))
        squares = type("Squares", (_Squares, data.Dataset), {})(tm, 5)
        for kw in ({}, {"batch_size": 2}, {"batch_size": 2, "drop_last": True}, {"batch_size": None}):
            loader = data.DataLoader(ds, **kw)
            out.append(f"{kw} len={len(loader)} {list(loader)!r}")
        out.append(repr(list(data.DataLoader(squares, batch_size=3))))
        out.append(repr(list(data.DataLoader(data.Subset(squares, [4, 0]), batch_size=2))))
        out.append(repr(list(data.DataLoader(ds + ds, batch_size=4))))
        sampler = data.BatchSampler(data.SequentialSampler(range(5)), 2, False)
        out.append(repr(list(data.DataLoader(ds, batch_sampler=sampler))))

        class Stream(data.IterableDataset):
            def __iter__(self) -> Any:
                return iter(range(7))

        for kw in ({"batch_size": 3}, {"batch_size": 3, "drop_last": True}, {}, {"batch_size": None}):
            out.append(repr(list(data.DataLoader(Stream(), **kw))))
        chain = Stream() + Stream()
        out.append(f"{type(chain).__name__} {list(data.DataLoader(chain, batch_size=5))!r}")
        stacked = data.StackDataset(ds, squares)
        out.append(repr(list(data.DataLoader(stacked, batch_size=2))[-1]))
        out.append(repr(data.StackDataset(a=range(5), b=ds)[1]))
        attempt(out, lambda: len(data.DataLoader(Stream())))
        out.append(type(iter(data.DataLoader(ds))).__name__)

    assert_same_as_torch(scenario)


def test_random_split_lengths_and_warning_match_torch() -> None:
    def scenario(tm: Any, out: list) -> None:
        split = tm.utils.data.random_split
        for n, lengths in ((10, [0.33, 0.33, 0.34]), (11, [0.5, 0.5]), (10, [3, 7]), (3, [0.1, 0.1, 0.8])):
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always")
                parts = split(range(n), lengths, generator=tm.Generator().manual_seed(0))
            out.append(f"{[len(p) for p in parts]} {sorted(i for p in parts for i in p)}")
            out.append(repr([str(w.message) for w in seen]))

    assert_same_as_torch(scenario)


def test_data_errors_match_torch() -> None:
    def scenario(tm: Any, out: list) -> None:
        data = tm.utils.data
        ds = data.TensorDataset(tm.zeros(5, 2), tm.zeros(5))

        class Stream(data.IterableDataset):
            def __iter__(self) -> Any:
                return iter(range(3))

        for bad in (
            lambda: data.random_split(range(5), [2, 2]),
            lambda: data.random_split(range(5), [1.5, -0.5]),
            lambda: data.TensorDataset(tm.zeros(2), tm.zeros(3)),
            lambda: data.DataLoader(ds, shuffle=True, sampler=[0]),
            lambda: data.DataLoader(ds, batch_sampler=[[0]], batch_size=2),
            lambda: data.DataLoader(ds, batch_size=0),
            lambda: data.DataLoader(ds, batch_size=2, drop_last=1),
            lambda: data.DataLoader(ds, batch_size=None, drop_last=True),
            lambda: data.DataLoader(ds, num_workers=-1),
            lambda: data.DataLoader(ds, timeout=-1),
            lambda: data.DataLoader(ds, prefetch_factor=2),
            lambda: data.DataLoader(ds, persistent_workers=True),
            lambda: data.DataLoader(Stream(), shuffle=True),
            lambda: data.DataLoader(Stream(), sampler=[0]),
            lambda: data.Dataset()[0],
            lambda: data.RandomSampler(ds, num_samples=0),
            lambda: data.RandomSampler(ds, replacement=1),
            lambda: data.ConcatDataset([]),
            lambda: data.ConcatDataset([Stream()]),
            lambda: (ds + ds)[-11],
            lambda: data.StackDataset(),
            lambda: data.StackDataset(ds, b=ds),
            lambda: data.StackDataset(ds, range(4)),
            lambda: list(data.ChainDataset([ds])),
        ):
            attempt(out, bad)
        loader = data.DataLoader(ds)
        attempt(out, lambda: setattr(loader, "batch_size", 3))

    assert_same_as_torch(scenario)
