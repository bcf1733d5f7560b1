"""autograd_kit: a NumPy-backed autograd tensor library that behaves like PyTorch."""

# Order matters: ops install the Tensor methods that autograd, nn and optim build on.
# ruff: noqa: E402, I001

from __future__ import annotations

from ._dtype import *  # noqa: F403
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .tensor import Size, Tensor
from . import ops
from ._device import device
from ._tensor_str import get_printoptions, printoptions, set_printoptions
from .creation import *  # noqa: F403
from . import _dtype, creation, cuda
from . import autograd, profiler
from . import nn, optim

# Every op family's functions at top level (torch.sin, torch.cat, ...), listed once in FAMILIES.
for _family in ops.FAMILIES:
    globals().update({_name: getattr(_family, _name) for _name in _family.__all__})

__version__ = "0.1.0"

# In IPython/Jupyter, errors the library raises show the learner's lines, not ours (see _tracebacks)
from ._tracebacks import install as _install_tracebacks

_install_tracebacks()

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
    "cuda",
    "device",
    "profiler",
    "set_printoptions",
    "get_printoptions",
    "printoptions",
    *creation.__all__,
    *(name for family in ops.FAMILIES for name in family.__all__),
]
