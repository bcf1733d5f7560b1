"""nn.Module and nn.Parameter: registration, traversal, modes, state_dict, hooks, repr.

Expected strings (reprs, error messages) were produced by PyTorch 2.13 running the same code."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import autograd_kit as torch
from autograd_kit import nn


class TinyModel(nn.Module):
    """The model of PyTorch's "The Fundamentals of Autograd" tutorial."""

    def __init__(self) -> None:
        super().__init__()
        self.layer1 = nn.Linear(1000, 100)
        self.relu = nn.ReLU()
        self.layer2 = nn.Linear(100, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layer2(self.relu(self.layer1(x)))


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
    model.fc = nn.Parameter(torch.zeros(2))
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


def test_buffers_and_state_dict_keys() -> None:
    m = nn.Module()
    m.register_buffer("running", torch.zeros(2))
    m.register_buffer("scratch", torch.zeros(1), persistent=False)
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
        lin.load_state_dict({"weight": torch.zeros(3, 2)})
    assert (
        str(err.value)
        == 'Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: "bias". '
    )
    with pytest.raises(RuntimeError) as err:
        lin.load_state_dict({"weight": torch.zeros(3, 2), "bias": torch.zeros(3), "foo": torch.zeros(1)})
    assert (
        str(err.value)
        == 'Error(s) in loading state_dict for Linear:\n\tUnexpected key(s) in state_dict: "foo". '
    )
    with pytest.raises(RuntimeError) as err:
        lin.load_state_dict({"weight": torch.zeros(2, 2), "bias": torch.zeros(4)})
    assert str(err.value) == (
        "Error(s) in loading state_dict for Linear:\n"
        "\tsize mismatch for weight: copying a param with shape torch.Size([2, 2]) from checkpoint, the shape "
        "in current model is torch.Size([3, 2]).\n"
        "\tsize mismatch for bias: copying a param with shape torch.Size([4]) from checkpoint, the shape in "
        "current model is torch.Size([3])."
    )
    with pytest.raises(RuntimeError) as err:
        TinyModel().load_state_dict({"weight": torch.zeros(2, 2), "bias": torch.zeros(4)})
    assert str(err.value) == (
        "Error(s) in loading state_dict for TinyModel:\n"
        '\tMissing key(s) in state_dict: "layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias". \n'
        '\tUnexpected key(s) in state_dict: "weight", "bias". '
    )
    with pytest.raises(TypeError, match=r"Expected state_dict to be dict-like, got <class 'list'>\."):
        nn.Module().load_state_dict([1])
    result = lin.load_state_dict({"weight": torch.ones(3, 2)}, strict=False)
    assert repr(result) == "_IncompatibleKeys(missing_keys=['bias'], unexpected_keys=[])"
    np.testing.assert_array_equal(lin.weight._data, np.ones((3, 2)))


def test_zero_grad_train_eval_requires_grad() -> None:
    model = TinyModel()
    model(torch.randn(2, 1000)).sum().backward()
    assert model.layer2.weight.grad is not None
    model.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(model.layer2.weight.grad._data, 0)
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    assert model.training and model.layer1.training
    assert model.eval() is model and not model.layer1.training
    assert model.train().layer2.training
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        model.train("x")
    model.requires_grad_(False)
    assert not any(p.requires_grad for p in model.parameters())


def test_apply_visits_children_first() -> None:
    seen = []
    TinyModel().apply(lambda m: seen.append(type(m).__name__))
    assert seen == ["Linear", "ReLU", "Linear", "TinyModel"]


def test_forward_hooks_and_pre_hooks() -> None:
    lin = nn.Linear(2, 2)
    calls = []
    h1 = lin.register_forward_pre_hook(lambda m, args: (args[0] * 0,))
    h2 = lin.register_forward_hook(lambda m, args, out: calls.append(out.shape) or out + 1)
    out = lin(torch.ones(1, 2))
    np.testing.assert_allclose(out._data, lin.bias._data[None] + 1, rtol=1e-6)
    assert calls == [(1, 2)]
    h1.remove()
    h2.remove()
    np.testing.assert_allclose(lin(torch.zeros(1, 2))._data, lin.bias._data[None], rtol=1e-6)
    with pytest.raises(TypeError, match="hook must be callable"):
        lin.register_forward_hook(3)


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
        nn.Linear(2, 3).weight = torch.zeros(3, 2)
    assert (
        str(err.value)
        == "cannot assign 'torch.FloatTensor' as parameter 'weight' (torch.nn.Parameter or None expected)"
    )
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        nn.Linear(2, 3).add_module("x", 3)
    with pytest.raises(KeyError, match="attribute 'weight' already exists"):
        nn.Linear(2, 3).register_buffer("weight", torch.zeros(1))
    with pytest.raises(
        TypeError, match=r"cannot assign 'int' object to buffer 'a' \(torch Tensor or None required\)"
    ):
        nn.Module().register_buffer("a", 3)
    with pytest.raises(TypeError) as err:
        nn.Module().register_parameter("a", torch.zeros(1))
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
            self.w = nn.Parameter(torch.zeros(1))

    with pytest.raises(AttributeError, match=r"cannot assign parameters before Module.__init__\(\) call"):
        Early()


def test_parameter_repr_sharing_and_version() -> None:
    t = torch.zeros(2)
    p = nn.Parameter(t)
    assert (
        repr(nn.Parameter(torch.tensor([1.0, 2.0])))
        == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    )
    assert (
        repr(nn.Parameter(torch.zeros(2), requires_grad=False)) == "Parameter containing:\ntensor([0., 0.])"
    )
    assert repr(nn.Parameter(torch.zeros(2, 2, dtype=torch.float64))) == (
        "Parameter containing:\ntensor([[0., 0.],\n        [0., 0.]], dtype=torch.float64, requires_grad=True)"
    )
    t[0] = 5.0  # shares storage and version counter with t, as in PyTorch
    assert p._data[0] == 5.0 and p._version == t._version == 1
    assert type(p * 2) is torch.Tensor and (p * 2).grad_fn.name() == "MulBackward0"
    with pytest.raises(TypeError, match="Parameter\\(\\): data must be a Tensor"):
        nn.Parameter([1.0])


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
    lin(torch.randn(4, 3)).sum().backward()
    lin.double()
    assert lin.weight.dtype == torch.float64 and lin.weight.grad.dtype == torch.float64
    lin(torch.randn(4, 3, dtype=torch.float64)).sum().backward()  # the cached grad node was refreshed
    assert lin.weight.grad.dtype == torch.float64
    assert lin.to(torch.float32).weight.dtype == torch.float32
    with pytest.raises(RuntimeError, match="CPU only"):
        lin.to("cuda")


def test_get_submodule() -> None:
    model = nn.Sequential(nn.Sequential(nn.ReLU()))
    assert type(model.get_submodule("0.0")).__name__ == "ReLU"
    with pytest.raises(AttributeError, match="Sequential has no attribute `3`"):
        model.get_submodule("3")
