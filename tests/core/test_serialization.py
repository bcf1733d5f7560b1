"""torch.save / torch.load: round trips of tensors, state_dicts and checkpoints (dtype, shape,
requires_grad, Parameter, structure), paths and file objects, and the refusals that keep
loading free of code execution."""

from __future__ import annotations

import io
import json
import math
import pickle
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit import nn, optim


def roundtrip(obj: object, **load_kw: object) -> object:
    buf = io.BytesIO()
    ak.save(obj, buf)
    buf.seek(0)
    return ak.load(buf, **load_kw)


@pytest.mark.parametrize("dtype", [ak.float16, ak.float32, ak.float64, ak.int8, ak.int16,
                                   ak.int32, ak.int64, ak.uint8, ak.bool], ids=str)  # fmt: skip
def test_every_dtype_and_shape_survives(dtype: ak.dtype) -> None:
    for shape in [(), (0,), (3,), (2, 0, 3), (2, 3, 4)]:
        t = ak.from_numpy(np.asarray(np.arange(math.prod(shape)).reshape(shape) % 5)).to(dtype)
        back = roundtrip(t)
        assert back.dtype == dtype and back.shape == t.shape and back.is_leaf
        np.testing.assert_array_equal(back.numpy(), t.numpy())


def test_views_requires_grad_and_parameters() -> None:
    base = ak.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(roundtrip(base.t()[::2]).numpy(), base.t()[::2].numpy())
    leaf = ak.ones(2, requires_grad=True)
    got = roundtrip({"leaf": leaf, "nonleaf": leaf * 2, "param": nn.Parameter(ak.zeros(2))})
    assert got["leaf"].requires_grad and got["leaf"].is_leaf
    assert got["nonleaf"].requires_grad and got["nonleaf"].is_leaf  # as PyTorch: a leaf that requires grad
    assert type(got["param"]) is nn.Parameter and got["param"].requires_grad
    frozen = roundtrip(nn.Parameter(ak.zeros(1), requires_grad=False))
    assert type(frozen) is nn.Parameter and not frozen.requires_grad


def test_plain_values_and_containers_keep_their_types() -> None:
    obj = {
        "epoch": 5,
        1: [0.1, float("inf"), -0.0, True, None, "text ü"],
        (2, "k"): (ak.float64, ak.Size([2, 3]), ak.device("cpu")),
        "od": OrderedDict([("b", 1), ("a", 2)]),
        "np": np.arange(3, dtype=np.int16),
        "npscalar": np.float32(1.5),
    }
    got = roundtrip(obj)
    assert got[1][:4] == [0.1, math.inf, -0.0, True] and math.copysign(1, got[1][2]) == -1
    assert got[1][4:] == [None, "text ü"] and got["epoch"] == 5
    assert got[(2, "k")] == (ak.float64, ak.Size([2, 3]), ak.device("cpu"))
    assert type(got[(2, "k")][1]) is ak.Size
    assert type(got["od"]) is OrderedDict and list(got["od"]) == ["b", "a"]
    assert got["np"].dtype == np.int16 and got["np"].tolist() == [0, 1, 2]
    assert type(got["npscalar"]) is np.float32 and got["npscalar"] == 1.5
    assert math.isnan(roundtrip(float("nan")))


def test_a_tensor_saved_twice_loads_as_one_object() -> None:
    t = ak.zeros(2)
    got = roundtrip({"a": t, "b": [t], "c": ak.zeros(2)})
    assert got["a"] is got["b"][0] and got["a"] is not got["c"]


def test_paths_and_file_objects(tmp_path: Path) -> None:
    t = ak.tensor([1.0, 2.0])
    ak.save(t, tmp_path / "a.pt")
    ak.save(t, str(tmp_path / "b.pt"))
    with open(tmp_path / "c.pt", "wb") as f:
        ak.save(t, f)
    for name in ("a.pt", "b.pt", "c.pt"):
        assert roundtrip(ak.load(tmp_path / name)).tolist() == [1.0, 2.0]
        with open(tmp_path / name, "rb") as f:
            assert ak.load(f, map_location="cpu").tolist() == [1.0, 2.0]
    # Same object, same bytes: no timestamps in the archive.
    assert (tmp_path / "a.pt").read_bytes() == (tmp_path / "c.pt").read_bytes()


def test_state_dict_checkpoint_resumes_training_exactly() -> None:
    def make() -> tuple:
        ak.manual_seed(0)
        model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
        return model, optim.Adam(model.parameters(), lr=0.05)

    x, y = ak.randn(8, 3), ak.randn(8, 1)

    def step(model: nn.Module, opt: optim.Optimizer) -> None:
        opt.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        opt.step()

    model, opt = make()
    for _ in range(3):
        step(model, opt)
    checkpoint = roundtrip({"epoch": 3, "model": model.state_dict(), "optimizer": opt.state_dict()},
                           weights_only=True)  # fmt: skip
    step(model, opt)
    resumed, resumed_opt = make()
    resumed.load_state_dict(checkpoint["model"])
    resumed_opt.load_state_dict(checkpoint["optimizer"])
    step(resumed, resumed_opt)
    for a, b in zip(model.parameters(), resumed.parameters()):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


def test_map_location_forms() -> None:
    t = ak.ones(1)
    for where in ("cpu", ak.device("cpu"), {"cuda:0": "cpu"}, lambda storage, loc: storage, None):
        assert roundtrip(t, map_location=where).tolist() == [1.0]
    with pytest.raises(RuntimeError, match="Attempting to deserialize object on a CUDA device"):
        roundtrip(t, map_location="cuda")
    with pytest.raises(RuntimeError, match="no mps device; use map_location='cpu'"):
        roundtrip(t, map_location="mps")


def test_save_refuses_what_loading_would_have_to_unpickle() -> None:
    with pytest.raises(TypeError, match=r"type Linear \(at obj\['m'\]\).*Save its state_dict\(\) instead"):
        ak.save({"m": nn.Linear(1, 1)}, io.BytesIO())
    with pytest.raises(TypeError, match=r"cannot save an object of type object \(at obj\[1\]\)"):
        ak.save([1, object()], io.BytesIO())
    with pytest.raises(TypeError, match="cannot save a NumPy array of dtype object"):
        ak.save(np.array([None]), io.BytesIO())
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match="cannot save a container that contains itself"):
        ak.save(loop, io.BytesIO())


def _archive(manifest: object, members: dict | None = None) -> io.BytesIO:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        for name, data in (members or {}).items():
            z.writestr(name, data)
    buf.seek(0)
    return buf


def _npy(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.save(out, array, allow_pickle=True)
    return out.getvalue()


def _tensor_node(name: str = "data/0.npy", dtype: str = "float32") -> dict:
    return {"type": "tensor", "data": name, "dtype": dtype, "requires_grad": False, "parameter": False}


@pytest.mark.parametrize(
    ("buf", "message"),
    [
        (io.BytesIO(b"not a zip"), "is not a file written by autograd_kit's torch.save"),
        (_archive({"format": "other"}), "does not describe an autograd_kit file"),
        (_archive({"format": "autograd_kit", "version": 99}), "has format version 99; this is 1"),
        (_archive({"format": "autograd_kit", "version": 1, "object": {"type": "pickle"}}),
         'unsupported entry {"type": "pickle"}'),
        (_archive({"format": "autograd_kit", "version": 1, "object": _tensor_node("../x.npy")}),
         "bad array member name '../x.npy'"),
        (_archive({"format": "autograd_kit", "version": 1, "object": _tensor_node()}),
         "the manifest names 'data/0.npy' but the archive has no such member"),
        (_archive({"format": "autograd_kit", "version": 1, "object": _tensor_node()},
                  {"data/0.npy": _npy(np.array([print], dtype=object))}),
         "data/0.npy is not a plain npy array"),
        (_archive({"format": "autograd_kit", "version": 1, "object": _tensor_node(dtype="int64")},
                  {"data/0.npy": _npy(np.zeros(2, np.float32))}),
         "data/0.npy holds float32, not the declared 'int64'"),
        (_archive({"format": "autograd_kit", "version": 1, "object": {"type": "list"}}), "malformed manifest"),
    ],
    ids=["not-zip", "format", "version", "unknown-type", "member-name", "missing-member", "pickled-npy",
         "dtype-mismatch", "malformed"],
)  # fmt: skip
def test_load_refuses_foreign_or_tampered_files(buf: io.BytesIO, message: str) -> None:
    with pytest.raises(pickle.UnpicklingError, match=f"^torch.load: .*{__import__('re').escape(message)}"):
        ak.load(buf)


def test_load_refuses_a_manifest_that_is_not_json_or_nests_without_end() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("manifest.json", "{not json")
    buf.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="manifest.json is not valid JSON"):
        ak.load(buf)
    depth = 100_000  # written by hand: json.dumps itself refuses such depth
    deep = '{"type": "list", "items": [' * depth + '{"type": "none"}' + "]}" * depth
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("manifest.json", f'{{"format": "autograd_kit", "version": 1, "object": {deep}}}')
    buf.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="^torch.load: "):
        ak.load(buf)


def test_a_pytorch_checkpoint_is_recognised_and_never_unpickled() -> None:
    real = pytest.importorskip("torch")
    buf = io.BytesIO()
    real.save({"w": real.ones(2)}, buf)
    buf.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="was written by PyTorch's torch.save"):
        ak.load(buf)


def test_loaded_checkpoint_prints_as_pytorchs() -> None:
    from tests.helpers.differential import assert_same_as_torch, attempt

    def scenario(tm: object, out: list) -> None:
        tm.manual_seed(0)
        model = tm.nn.Linear(2, 1)
        with tm.no_grad():
            model.weight.copy_(tm.tensor([[0.5, -1.0]]))
            model.bias.fill_(0.25)
        leaf = tm.tensor([1.0, 2.0], dtype=tm.float64, requires_grad=True)
        checkpoint = {"epoch": 2, "model": model.state_dict(), "w": model.weight, "t": leaf,
                      "ints": tm.arange(3, dtype=tm.int32), "meta": ("a", 0.1, None, [True])}  # fmt: skip
        buf = io.BytesIO()
        tm.save(checkpoint, buf)
        for kw in ({"weights_only": True}, {"map_location": "cpu"}):
            buf.seek(0)
            out.append(repr(tm.load(buf, **kw)))
        buf.seek(0)
        attempt(out, lambda: tm.load(buf, map_location="cuda"))

    assert_same_as_torch(scenario)


_DTYPE_NAMES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"]


def _tensors() -> Any:
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp

    arrays = st.sampled_from(_DTYPE_NAMES).flatmap(
        lambda name: hnp.arrays(
            np.dtype(name), hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)
        )
    )
    return arrays.map(ak.from_numpy)


def _values() -> Any:
    from hypothesis import strategies as st

    keys = st.one_of(st.text(max_size=5), st.integers(-5, 5), st.booleans(), st.none())
    leaves = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8), _tensors()
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.tuples(inner, inner),
            st.dictionaries(keys, inner, max_size=3),
        ),
        max_leaves=8,
    )


def _same(a: object, b: object) -> bool:
    if isinstance(a, ak.Tensor):
        return (type(b) is type(a) and a.dtype == b.dtype and a.shape == b.shape
                and np.array_equal(a.numpy(), b.numpy(), equal_nan=a.dtype.is_floating_point))  # fmt: skip
    if isinstance(a, dict):
        return type(b) is type(a) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(b) is type(a) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(b) is type(a) and (a == b or a != a and b != b)


def test_any_supported_object_round_trips_exactly() -> None:
    from hypothesis import HealthCheck, given, settings

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_values())
    def check(obj: object) -> None:
        assert _same(obj, roundtrip(obj))

    check()
