"""autograd_kit: a NumPy-backed autograd tensor library that behaves like PyTorch."""

# Order matters: ops install the Tensor methods that autograd, nn and optim build on.
# ruff: noqa: E402, I001

from __future__ import annotations

from ._dtype import *  # noqa: F403
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .tensor import Size, Tensor
from . import ops
from ._device import device, get_default_device, set_default_device
from ._legacy_tensor_types import *  # noqa: F403
from ._tensor_str import get_printoptions, printoptions, set_printoptions
from .creation import *  # noqa: F403
from . import _dtype, _legacy_tensor_types, backends, creation, cuda
from . import autograd, profiler
from . import nn, optim, utils
from .serialization import load, save

# Every op family's functions at top level (torch.sin, torch.cat, ...), listed once in FAMILIES.
for _family in ops.FAMILIES:
    globals().update({_name: getattr(_family, _name) for _name in _family.__all__})

__version__ = "0.1.0"

__all__ = [
    "Tensor",
    "Size",
    *_dtype.__all__,
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "inference_mode",
    "is_grad_enabled",
    "autograd",
    "nn",
    "optim",
    "utils",
    "save",
    "load",
    "cuda",
    "backends",
    "device",
    "set_default_device",
    "get_default_device",
    *_legacy_tensor_types.__all__,
    "profiler",
    "set_printoptions",
    "get_printoptions",
    "printoptions",
    *creation.__all__,
    *(name for family in ops.FAMILIES for name in family.__all__),
]
