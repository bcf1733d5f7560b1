"""``torch.save`` / ``torch.load`` in a format of our own that never runs code on load.

A file is a zip archive: ``manifest.json`` describes the saved object as a tree of typed nodes
and each array is a ``data/<n>.npy`` member in NumPy's npy format, read with
``allow_pickle=False``. Only tensors, NumPy arrays, numbers, strings, None, dtypes, Sizes and
dict/list/tuple of them can be saved, so loading always has PyTorch's ``weights_only=True``
meaning. The format is specified in docs/serialization.md.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import re
import zipfile
from collections import OrderedDict
from typing import IO, Any

import numpy as np

from . import dtypes
from ._tensor.device import device
from ._tensor.tensor import Size, Tensor, wrap_array

__all__ = ["save", "load", "FORMAT", "VERSION"]

FORMAT = "autograd_kit"
VERSION = 1
_MANIFEST = "manifest.json"
_MEMBER = re.compile(r"data/[0-9]+\.npy")
_CUDA_ERROR = (
    "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. If you "
    "are running on a CPU-only machine, please use torch.load with map_location=torch.device('cpu') "
    "to map your storages to the CPU."
)


class _Writer:
    """Turns an object into manifest nodes, collecting the arrays to write."""

    def __init__(self) -> None:
        self.arrays: list[np.ndarray] = []
        self._files: dict[int, str] = {}  # id(tensor) -> member, so a repeated tensor is one file
        self._open: set[int] = set()  # containers being written, to refuse cycles

    def _array(self, key: object, array: np.ndarray) -> str:
        name = self._files.get(id(key))
        if name is None:
            name = self._files[id(key)] = f"data/{len(self.arrays)}.npy"
            self.arrays.append(array)
        return name

    def node(self, obj: Any, where: str) -> dict:
        if obj is None:
            return {"type": "none"}
        if isinstance(obj, Tensor):
            from .nn.parameter import Parameter

            return {
                "type": "tensor",
                "data": self._array(obj, obj._data),
                "dtype": obj._data.dtype.name,
                "requires_grad": obj.requires_grad,
                "parameter": isinstance(obj, Parameter),
            }
        if isinstance(obj, (np.ndarray, np.generic)):  # before float: np.float64 is a float
            if obj.dtype.kind not in "biuf":
                raise TypeError(f"torch.save: cannot save a NumPy array of dtype {obj.dtype} (at {where})")
            scalar = isinstance(obj, np.generic)
            return {"type": "ndarray", "data": self._array(obj, np.asarray(obj)), "scalar": scalar}
        for plain in (bool, int, str):  # bool before int; subclasses (IntEnum...) save their value
            if isinstance(obj, plain):
                return {"type": plain.__name__, "value": plain(obj)}
        if isinstance(obj, float):
            return {"type": "float", "value": repr(float(obj))}  # repr: exact, and nan/inf survive JSON
        if isinstance(obj, dtypes.dtype):
            return {"type": "dtype", "value": obj.name}
        if isinstance(obj, device):
            return {"type": "device", "value": str(obj)}
        if isinstance(obj, (dict, list, tuple)):
            return self._container(obj, where)
        hint = " Save its state_dict() instead." if hasattr(obj, "state_dict") else ""
        raise TypeError(
            f"torch.save: cannot save an object of type {type(obj).__name__} (at {where}): autograd_kit's "
            "format holds tensors, NumPy arrays, numbers, strings, None, dtypes and dict/list/tuple of "
            f"them, so that loading never runs code (docs/serialization.md).{hint}"
        )

    def _container(self, obj: Any, where: str) -> dict:
        if id(obj) in self._open:
            raise ValueError(f"torch.save: cannot save a container that contains itself (at {where})")
        self._open.add(id(obj))
        try:
            if isinstance(obj, dict):
                kind = "OrderedDict" if isinstance(obj, OrderedDict) else "dict"
                items = [[self.node(k, where), self.node(v, f"{where}[{k!r}]")] for k, v in obj.items()]
                return {"type": kind, "items": items}
            kind = "Size" if isinstance(obj, Size) else "tuple" if isinstance(obj, tuple) else "list"
            return {"type": kind, "items": [self.node(v, f"{where}[{i}]") for i, v in enumerate(obj)]}
        finally:
            self._open.discard(id(obj))


def save(obj: Any, f: str | os.PathLike | IO[bytes], pickle_module: Any = None, pickle_protocol: int = 2,
         _use_new_zipfile_serialization: bool = True, _disable_byteorder_record: bool = False) -> None:  # fmt: skip
    """Write ``obj`` (tensors, state_dicts, nested dict/list/tuple of them and plain values) to ``f``."""
    writer = _Writer()
    manifest = {"format": FORMAT, "version": VERSION, "object": writer.node(obj, "obj")}
    with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(_entry(_MANIFEST), json.dumps(manifest, indent=1, ensure_ascii=False))
        for n, array in enumerate(writer.arrays):
            with archive.open(_entry(f"data/{n}.npy"), "w", force_zip64=True) as member:
                np.save(member, array, allow_pickle=False)


def _entry(name: str) -> zipfile.ZipInfo:
    # A fixed timestamp, so saving the same object twice writes the same bytes.
    return zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))


def _format_error(message: str) -> pickle.UnpicklingError:
    # UnpicklingError, as PyTorch raises for content weights_only refuses.
    return pickle.UnpicklingError(f"torch.load: {message}")


class _Reader:
    """Rebuilds an object from manifest nodes, reading each array once."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self._loaded: dict[str, Any] = {}

    def _array(self, name: Any) -> np.ndarray:
        if not isinstance(name, str) or not _MEMBER.fullmatch(name):
            raise _format_error(f"bad array member name {name!r} in the manifest")
        try:
            with self.archive.open(name) as member:
                return np.load(io.BytesIO(member.read()), allow_pickle=False)
        except KeyError:
            raise _format_error(f"the manifest names {name!r} but the archive has no such member") from None
        except ValueError as e:
            raise _format_error(f"{name} is not a plain npy array ({e})") from None

    def node(self, node: Any) -> Any:
        kind = node.get("type") if isinstance(node, dict) else None
        if kind == "tensor":
            return self._tensor(node)
        if kind == "ndarray":
            array = self._array(node["data"])
            return array[()] if node.get("scalar") else array
        if kind in ("list", "tuple", "Size"):
            items = [self.node(v) for v in node["items"]]
            return {"list": list, "tuple": tuple, "Size": Size}[kind](items)
        if kind in ("dict", "OrderedDict"):
            pairs = [(self.node(k), self.node(v)) for k, v in node["items"]]
            return OrderedDict(pairs) if kind == "OrderedDict" else dict(pairs)
        if kind == "none":
            return None
        value = node.get("value") if kind else None
        if kind == "float" and isinstance(value, str):
            return float(value)
        if kind in _SCALARS and type(value) is _SCALARS[kind]:
            return value
        if kind == "dtype" and node.get("value") in _DTYPES:
            return _DTYPES[node["value"]]
        if kind == "device" and isinstance(node.get("value"), str):
            return device(node["value"])
        raise _format_error(f"unsupported entry {json.dumps(node)[:200]} in the manifest")

    def _tensor(self, node: dict) -> Tensor:
        name = node["data"]
        if name in self._loaded:  # the same tensor saved twice loads as one object, as in PyTorch
            return self._loaded[name]
        array = self._array(name)
        if node.get("dtype") not in _DTYPES or array.dtype != _DTYPES[node["dtype"]].numpy_dtype:
            raise _format_error(f"{name} holds {array.dtype}, not the declared {node.get('dtype')!r}")
        t = wrap_array(array)
        if node.get("parameter"):
            from .nn.parameter import Parameter

            t = Parameter(t, requires_grad=bool(node.get("requires_grad")))
        elif node.get("requires_grad"):
            t.requires_grad = True
        self._loaded[name] = t
        return t


_SCALARS = {"bool": bool, "int": int, "str": str}
_DTYPES = {d.name: d for d in dtypes.ALL_DTYPES}


def _check_map_location(map_location: Any) -> None:
    # Everything lives on the CPU; a mapping that asks for another device is PyTorch's error.
    targets = map_location.values() if isinstance(map_location, dict) else [map_location]
    for target in targets:
        if target is None or callable(target) and not isinstance(target, (str, device)):
            continue
        kind = device(target).type
        if kind == "cuda":
            raise RuntimeError(_CUDA_ERROR)
        if kind != "cpu":
            raise RuntimeError(f"torch.load: autograd_kit has no {kind} device; use map_location='cpu'")


def load(f: str | os.PathLike | IO[bytes], map_location: Any = None, pickle_module: Any = None, *,
         weights_only: bool | None = None, mmap: bool | None = None, **pickle_load_args: Any) -> Any:  # fmt: skip
    """Read an object written by ``save``; never unpickles (``weights_only`` is always in effect)."""
    _check_map_location(map_location)
    try:
        archive = zipfile.ZipFile(f)
    except zipfile.BadZipFile:
        raise _format_error(f"{_name(f)} is not a file written by autograd_kit's torch.save") from None
    with archive:
        names = set(archive.namelist())
        if _MANIFEST not in names:
            pytorch = any(n.endswith("data.pkl") for n in names)
            raise _format_error(
                f"{_name(f)} was written by PyTorch's torch.save: its pickle is never unpickled here; "
                "convert the tensors to NumPy arrays in PyTorch (np.savez) and load those"
                if pytorch
                else f"{_name(f)} has no {_MANIFEST}: not a file written by autograd_kit's torch.save"
            )
        try:
            manifest = json.loads(archive.read(_MANIFEST))
        except (ValueError, RecursionError) as e:
            raise _format_error(
                f"{_name(f)}: {_MANIFEST} is not valid JSON or nests too deeply ({e})"
            ) from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise _format_error(f"{_name(f)}: {_MANIFEST} does not describe an {FORMAT} file")
        if manifest.get("version") != VERSION:
            raise _format_error(
                f"{_name(f)} has format version {manifest.get('version')!r}; this is {VERSION}"
            )
        try:
            return _Reader(archive).node(manifest.get("object"))
        except (KeyError, TypeError, AttributeError, ValueError, RecursionError) as e:
            raise _format_error(f"malformed manifest in {_name(f)} ({type(e).__name__}: {e})") from None


def _name(f: Any) -> str:
    return repr(os.fspath(f)) if isinstance(f, (str, os.PathLike)) else "the file object"
