"""nn.Module registration and traversal: dotted names, reassignment, shared parameters,
get_submodule, and registration errors.

Expected error messages were produced by PyTorch 2.13 running the same code."""

from __future__ import annotations

import pytest

import autograd_kit as ak
from autograd_kit import nn
from tests.helpers.nn import TinyModel


def test_registration_and_dotted_names() -> None:
    model = TinyModel()
    names = [name for name, _ in model.named_parameters()]
    assert names == ["layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias"]
    assert [p.shape for p in model.parameters()] == [(100, 1000), (100,), (10, 100), (10,)]
    assert all(isinstance(p, nn.Parameter) and p.requires_grad and p.is_leaf for p in model.parameters())
    assert [type(m).__name__ for m in model.children()] == ["Linear", "ReLU", "Linear"]
    assert [name for name, _ in model.named_modules()] == ["", "layer1", "relu", "layer2"]
    assert [type(m).__name__ for m in model.modules()] == ["TinyModel", "Linear", "ReLU", "Linear"]
    assert list(model.named_parameters(prefix="m", recurse=False)) == []
    assert model.layer1 is model._modules["layer1"]


def test_reassignment_reregisters() -> None:
    # "A Gentle Introduction to torch.autograd": freeze everything, then replace the head.
    model = nn.Sequential()
    model.body = nn.Linear(4, 4)
    model.fc = nn.Linear(4, 3)
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(4, 10)
    trainable = [name for name, p in model.named_parameters() if p.requires_grad]
    assert trainable == ["fc.weight", "fc.bias"]
    assert model.fc.out_features == 10
    assert len(list(model.parameters())) == 4
    # A parameter name reassigned to a module moves registries (and back).
    model.fc = nn.Parameter(ak.zeros(2))
    assert "fc" not in model._modules and "fc" in model._parameters
    del model.fc
    assert "fc" not in model._parameters
    with pytest.raises(AttributeError, match="'Sequential' object has no attribute 'fc'"):
        model.fc  # noqa: B018


def test_shared_parameters_listed_once() -> None:
    a = nn.Linear(2, 2)
    model = nn.Sequential(a, a)
    assert len(list(model.parameters())) == 2
    assert len(list(model.named_modules())) == 2


def test_call_without_forward_and_missing_attribute() -> None:
    with pytest.raises(
        NotImplementedError, match=r'Module \[Module\] is missing the required "forward" function'
    ):
        nn.Module()(3)
    with pytest.raises(AttributeError, match="'Linear' object has no attribute 'nothing'"):
        nn.Linear(2, 3).nothing  # noqa: B018


def test_registration_errors_match_pytorch() -> None:
    with pytest.raises(KeyError, match=r'parameter name can.+t contain "\."'):
        nn.Linear(2, 3).register_parameter("a.b", None)
    with pytest.raises(TypeError) as err:
        nn.Linear(2, 3).weight = ak.zeros(3, 2)
    assert (
        str(err.value)
        == "cannot assign 'torch.FloatTensor' as parameter 'weight' (torch.nn.Parameter or None expected)"
    )
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        nn.Linear(2, 3).add_module("x", 3)
    with pytest.raises(KeyError, match="attribute 'weight' already exists"):
        nn.Linear(2, 3).register_buffer("weight", ak.zeros(1))
    with pytest.raises(
        TypeError, match=r"cannot assign 'int' object to buffer 'a' \(torch Tensor or None required\)"
    ):
        nn.Module().register_buffer("a", 3)
    with pytest.raises(TypeError) as err:
        nn.Module().register_parameter("a", ak.zeros(1))
    assert (
        str(err.value)
        == "cannot assign 'torch.FloatTensor' object to parameter 'a' (torch.nn.Parameter or None required)"
    )
    with pytest.raises(
        TypeError, match=r"cannot assign 'int' as child module '0' \(torch.nn.Module or None expected\)"
    ):
        setattr(nn.Sequential(nn.ReLU()), "0", 3)

    class Early(nn.Module):
        def __init__(self) -> None:
            self.w = nn.Parameter(ak.zeros(1))

    with pytest.raises(AttributeError, match=r"cannot assign parameters before Module.__init__\(\) call"):
        Early()


def test_get_submodule() -> None:
    model = nn.Sequential(nn.Sequential(nn.ReLU()))
    assert type(model.get_submodule("0.0")).__name__ == "ReLU"
    with pytest.raises(AttributeError, match="Sequential has no attribute `3`"):
        model.get_submodule("3")
