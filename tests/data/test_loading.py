"""torch.utils.data without PyTorch: the lessons' Dataset/DataLoader cells, seeded shuffling and
random_split (reproducible, each index once), collation values pinned from PyTorch 2.13."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.utils.data import (
    DataLoader,
    Dataset,
    IterableDataset,
    RandomSampler,
    Subset,
    TensorDataset,
    default_collate,
    random_split,
)


class CustomImageDataset(Dataset):
    """The 'Learn the Basics' custom Dataset, with small local data instead of files."""

    def __init__(self, n: int) -> None:
        self.images = ak.arange(n * 4, dtype=ak.float32).reshape(n, 1, 2, 2)
        self.labels = [i % 3 for i in range(n)]

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, idx: int) -> tuple:
        return self.images[idx], self.labels[idx]


def _order(loader: DataLoader) -> list[int]:
    return [int(i) for _, y in loader for i in y]


def test_reachable_as_torch_utils_data() -> None:
    import autograd_kit.utils.data as data

    assert ak.utils.data is data and data.DataLoader is DataLoader


def test_custom_dataset_batches_like_the_tutorial() -> None:
    loader = DataLoader(CustomImageDataset(10), batch_size=4)
    images, labels = next(iter(loader))
    assert images.shape == ak.Size([4, 1, 2, 2]) and images.dtype == ak.float32
    assert labels.tolist() == [0, 1, 2, 0] and labels.dtype == ak.int64
    assert len(loader) == 3 and [len(y) for _, y in loader] == [4, 4, 2]
    assert len(DataLoader(CustomImageDataset(10), batch_size=4, drop_last=True)) == 2


def test_seeded_shuffle_is_a_reproducible_permutation_that_changes_each_epoch() -> None:
    ds = TensorDataset(ak.zeros(50, 2), ak.arange(50))
    loader = DataLoader(ds, batch_size=8, shuffle=True, generator=ak.Generator().manual_seed(42))
    first, second = _order(loader), _order(loader)
    assert sorted(first) == sorted(second) == list(range(50))
    assert first != second and first != list(range(50))
    again = DataLoader(ds, batch_size=8, shuffle=True, generator=ak.Generator().manual_seed(42))
    assert _order(again) == first and _order(again) == second
    ak.manual_seed(3)
    unseeded = _order(DataLoader(ds, batch_size=8, shuffle=True))
    ak.manual_seed(3)
    assert _order(DataLoader(ds, batch_size=8, shuffle=True)) == unseeded


def test_random_split_is_disjoint_and_reproducible() -> None:
    parts = random_split(range(10), [0.7, 0.3], generator=ak.Generator().manual_seed(42))
    assert [len(p) for p in parts] == [7, 3] and all(isinstance(p, Subset) for p in parts)
    assert sorted(i for p in parts for i in p) == list(range(10))
    same = random_split(range(10), [7, 3], generator=ak.Generator().manual_seed(42))
    assert [list(p) for p in same] == [list(p) for p in parts]
    ak.manual_seed(0)
    a = [list(p) for p in random_split(range(10), [5, 5])]
    ak.manual_seed(0)
    assert [list(p) for p in random_split(range(10), [5, 5])] == a


def test_random_sampler_with_replacement_draws_num_samples() -> None:
    sampler = RandomSampler(range(3), replacement=True, num_samples=70, generator=ak.Generator())
    drawn = list(sampler)
    assert len(sampler) == len(drawn) == 70 and set(drawn) <= {0, 1, 2}
    assert len(list(RandomSampler(range(4), num_samples=10))) == 10


def test_collate_values_pinned_from_pytorch() -> None:
    batch = default_collate([{"a": 1, "b": (1.0, "x")}, {"a": 2, "b": (2.0, "y")}])
    assert batch["a"].dtype == ak.int64 and batch["a"].tolist() == [1, 2]
    assert batch["b"][0].dtype == ak.float64 and batch["b"][1] == ("x", "y")
    assert default_collate([np.float32(1), np.float32(2)]).dtype == ak.float32
    assert default_collate([True, False]).dtype == ak.bool
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal size"):
        default_collate([[1, 2], [3]])
    with pytest.raises(TypeError, match="batch must contain tensors, numpy arrays, numbers, dicts or lists"):
        default_collate([object()])


def test_iterable_dataset_batches_and_length() -> None:
    class Counter(IterableDataset):
        def __iter__(self):  # noqa: ANN204
            return iter(range(7))

    assert [b.tolist() for b in DataLoader(Counter(), batch_size=3)] == [[0, 1, 2], [3, 4, 5], [6]]
    assert len(list(DataLoader(Counter(), batch_size=3, drop_last=True))) == 2
    with pytest.raises(ValueError, match="expected unspecified shuffle option, but got shuffle=True"):
        DataLoader(Counter(), shuffle=True)


def test_pin_memory_warns_as_on_a_machine_without_accelerator() -> None:
    loader = DataLoader(TensorDataset(ak.zeros(2)), pin_memory=True)
    with pytest.warns(UserWarning, match="'pin_memory' argument is set as true but no accelerator is found"):
        next(iter(loader))


def test_iterating_under_the_profiler_records_pytorchs_row() -> None:
    loader = DataLoader(TensorDataset(ak.zeros(4)), batch_size=2)
    with ak.autograd.profiler.profile() as prof:
        list(loader)
    names = [e.key for e in prof.key_averages()]
    assert "enumerate(DataLoader)#_SingleProcessDataLoaderIter.__next__" in names


def test_pytorch_names_not_built_say_so() -> None:
    import autograd_kit.utils.data as data

    with pytest.raises(
        NotImplementedError, match="torch.utils.data.WeightedRandomSampler is not implemented"
    ):
        data.WeightedRandomSampler  # noqa: B018
    with pytest.raises(AttributeError, match="has no attribute 'Nonsense'"):
        data.Nonsense  # noqa: B018
