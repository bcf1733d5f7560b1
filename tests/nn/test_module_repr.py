"""nn.Module and nn.Parameter reprs: the tutorial's TinyModel, every layer, ModuleList's
grouping of repeats, and Parameter (plus its storage and version sharing).

Expected strings were produced by PyTorch 2.13 running the same code."""

from __future__ import annotations

import pytest

import autograd_kit as ak
from autograd_kit import nn
from tests.helpers.nn import TinyModel

TINY_REPR = """TinyModel(
  (layer1): Linear(in_features=1000, out_features=100, bias=True)
  (relu): ReLU()
  (layer2): Linear(in_features=100, out_features=10, bias=True)
)"""


def test_tiny_model_repr_matches_pytorch() -> None:
    assert repr(TinyModel()) == TINY_REPR


def test_every_layer_repr_matches_pytorch() -> None:
    model = nn.Sequential(
        nn.Linear(2, 3),
        nn.Tanh(),
        nn.Sigmoid(),
        nn.Softmax(dim=1),
        nn.LogSoftmax(dim=1),
        nn.Identity(),
        nn.Flatten(),
        nn.Dropout(),
        nn.ModuleList([nn.ReLU()]),
        nn.MSELoss(),
        nn.L1Loss(),
        nn.CrossEntropyLoss(),
        nn.NLLLoss(),
        nn.BCELoss(),
        nn.BCEWithLogitsLoss(),
        nn.Softmax(),
        nn.Linear(2, 3, bias=False),
        nn.ModuleList(),
        nn.Sequential(),
    )
    expected = """Sequential(
  (0): Linear(in_features=2, out_features=3, bias=True)
  (1): Tanh()
  (2): Sigmoid()
  (3): Softmax(dim=1)
  (4): LogSoftmax(dim=1)
  (5): Identity()
  (6): Flatten(start_dim=1, end_dim=-1)
  (7): Dropout(p=0.5, inplace=False)
  (8): ModuleList(
    (0): ReLU()
  )
  (9): MSELoss()
  (10): L1Loss()
  (11): CrossEntropyLoss()
  (12): NLLLoss()
  (13): BCELoss()
  (14): BCEWithLogitsLoss()
  (15): Softmax(dim=None)
  (16): Linear(in_features=2, out_features=3, bias=False)
  (17): ModuleList()
  (18): Sequential()
)"""
    assert repr(model) == expected
    assert repr(nn.Dropout(0.3)) == "Dropout(p=0.3, inplace=False)"
    assert repr(nn.ReLU(inplace=True)) == "ReLU(inplace=True)"
    assert repr(nn.Flatten(0, -1)) == "Flatten(start_dim=0, end_dim=-1)"


def test_module_list_repr_groups_repeats_like_pytorch() -> None:
    mods = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU(), nn.ReLU(), nn.Tanh()])
    assert repr(mods) == (
        "ModuleList(\n"
        "  (0-2): 3 x Linear(in_features=2, out_features=2, bias=True)\n"
        "  (3-4): 2 x ReLU()\n"
        "  (5): Tanh()\n"
        ")"
    )


def test_parameter_repr_sharing_and_version() -> None:
    t = ak.zeros(2)
    p = nn.Parameter(t)
    assert (
        repr(nn.Parameter(ak.tensor([1.0, 2.0])))
        == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    )
    assert repr(nn.Parameter(ak.zeros(2), requires_grad=False)) == "Parameter containing:\ntensor([0., 0.])"
    assert repr(nn.Parameter(ak.zeros(2, 2, dtype=ak.float64))) == (
        "Parameter containing:\ntensor([[0., 0.],\n        [0., 0.]], dtype=torch.float64, requires_grad=True)"
    )
    t[0] = 5.0  # shares storage and version counter with t, as in PyTorch
    assert p._data[0] == 5.0 and p._version == t._version == 1
    assert type(p * 2) is ak.Tensor and (p * 2).grad_fn.name() == "MulBackward0"
    with pytest.raises(TypeError, match="Parameter\\(\\): data must be a Tensor"):
        nn.Parameter([1.0])
