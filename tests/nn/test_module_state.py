"""nn.Module state: buffers and state_dict keys, load_state_dict (round trip, errors,
strict=False), deepcopy and pickle, and dtype casts of parameters and grads.

Expected error messages were produced by PyTorch 2.13 running the same code."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit import nn
from tests.helpers.nn import TinyModel


def test_buffers_and_state_dict_keys() -> None:
    m = nn.Module()
    m.register_buffer("running", ak.zeros(2))
    m.register_buffer("scratch", ak.zeros(1), persistent=False)
    m.lin = nn.Linear(2, 1)
    assert list(m.state_dict()) == ["running", "lin.weight", "lin.bias"]
    assert [n for n, _ in m.named_buffers()] == ["running", "scratch"]
    sd = m.state_dict()
    assert not sd["lin.weight"].requires_grad
    assert np.shares_memory(sd["lin.weight"]._data, m.lin.weight._data)


def test_load_state_dict_round_trip_keeps_identity() -> None:
    src, dst = TinyModel(), TinyModel()
    weight = dst.layer1.weight
    result = dst.load_state_dict(src.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    assert dst.layer1.weight is weight  # copied into the existing Parameter
    for (_, p), (_, q) in zip(src.named_parameters(), dst.named_parameters()):
        np.testing.assert_array_equal(p._data, q._data)


def test_load_state_dict_errors_match_pytorch() -> None:
    lin = nn.Linear(2, 3)
    with pytest.raises(RuntimeError) as err:
        lin.load_state_dict({"weight": ak.zeros(3, 2)})
    assert (
        str(err.value)
        == 'Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: "bias". '
    )
    with pytest.raises(RuntimeError) as err:
        lin.load_state_dict({"weight": ak.zeros(3, 2), "bias": ak.zeros(3), "foo": ak.zeros(1)})
    assert (
        str(err.value)
        == 'Error(s) in loading state_dict for Linear:\n\tUnexpected key(s) in state_dict: "foo". '
    )
    with pytest.raises(RuntimeError) as err:
        lin.load_state_dict({"weight": ak.zeros(2, 2), "bias": ak.zeros(4)})
    assert str(err.value) == (
        "Error(s) in loading state_dict for Linear:\n"
        "\tsize mismatch for weight: copying a param with shape torch.Size([2, 2]) from checkpoint, the shape "
        "in current model is torch.Size([3, 2]).\n"
        "\tsize mismatch for bias: copying a param with shape torch.Size([4]) from checkpoint, the shape in "
        "current model is torch.Size([3])."
    )
    with pytest.raises(RuntimeError) as err:
        TinyModel().load_state_dict({"weight": ak.zeros(2, 2), "bias": ak.zeros(4)})
    assert str(err.value) == (
        "Error(s) in loading state_dict for TinyModel:\n"
        '\tMissing key(s) in state_dict: "layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias". \n'
        '\tUnexpected key(s) in state_dict: "weight", "bias". '
    )
    with pytest.raises(TypeError, match=r"Expected state_dict to be dict-like, got <class 'list'>\."):
        nn.Module().load_state_dict([1])
    result = lin.load_state_dict({"weight": ak.ones(3, 2)}, strict=False)
    assert repr(result) == "_IncompatibleKeys(missing_keys=['bias'], unexpected_keys=[])"
    np.testing.assert_array_equal(lin.weight._data, np.ones((3, 2)))


def test_deepcopy_and_pickle_keep_parameters() -> None:
    model = TinyModel()
    clone = copy.deepcopy(model)
    assert isinstance(clone.layer1.weight, nn.Parameter)
    assert clone.layer1.weight is not model.layer1.weight
    np.testing.assert_array_equal(clone.layer1.weight._data, model.layer1.weight._data)
    restored = pickle.loads(pickle.dumps(model))
    assert isinstance(restored.layer2.bias, nn.Parameter) and restored.layer2.bias.requires_grad
    np.testing.assert_array_equal(restored.layer2.bias._data, model.layer2.bias._data)


def test_double_casts_parameters_and_grads() -> None:
    lin = nn.Linear(3, 2)
    lin(ak.randn(4, 3)).sum().backward()
    lin.double()
    assert lin.weight.dtype == ak.float64 and lin.weight.grad.dtype == ak.float64
    lin(ak.randn(4, 3, dtype=ak.float64)).sum().backward()  # the cached grad node was refreshed
    assert lin.weight.grad.dtype == ak.float64
    assert lin.to(ak.float32).weight.dtype == ak.float32
    with pytest.raises(RuntimeError, match="CPU only"):
        lin.to("cuda")
