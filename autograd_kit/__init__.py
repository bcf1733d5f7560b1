"""autograd_kit: a NumPy-backed autograd tensor library that behaves like PyTorch."""

from __future__ import annotations

from . import _dtype, ops
from ._dtype import (
    bool,
    double,
    dtype,
    float,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    set_default_dtype,
    short,
    uint8,
)
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .ops.arithmetic import *  # noqa: F403
from .ops.compare import *  # noqa: F403
from .ops.conversion import *  # noqa: F403
from .ops.indexing import *  # noqa: F403
from .ops.linalg import *  # noqa: F403
from .ops.addmm import *  # noqa: F403
from .ops.pointwise import *  # noqa: F403
from .ops.rounding import *  # noqa: F403
from .ops.activation import *  # noqa: F403
from .ops.clamp import *  # noqa: F403
from .ops.select import *  # noqa: F403
from .ops.fill import *  # noqa: F403
from .ops.reduction import *  # noqa: F403
from .ops.prod import *  # noqa: F403
from .ops.minmax import *  # noqa: F403
from .ops.softmax import *  # noqa: F403
from .ops.stats import *  # noqa: F403
from .ops.shape import *  # noqa: F403
from .ops.reorder import *  # noqa: F403
from .ops.join import *  # noqa: F403
from .ops.gather import *  # noqa: F403
from .ops.setitem import *  # noqa: F403
from .tensor import Size, Tensor
from . import cuda  # noqa: E402
from ._device import device  # noqa: E402
from . import creation  # noqa: E402
from ._tensor_str import get_printoptions, printoptions, set_printoptions  # noqa: E402
from .creation import *  # noqa: F403, E402
from . import autograd  # noqa: E402  (after ops: autograd's helpers use Tensor methods)
from . import profiler  # noqa: E402  (re-exports autograd.profiler)
from . import nn, optim  # noqa: E402  (after ops and autograd: layers are built from them)

__version__ = "0.1.0"

__all__ = [
    "Tensor",
    "Size",
    "dtype",
    "float16",
    "float32",
    "float64",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "bool",
    "half",
    "float",
    "double",
    "short",
    "int",
    "long",
    "get_default_dtype",
    "set_default_dtype",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "inference_mode",
    "is_grad_enabled",
    "autograd",
    "cuda",
    "device",
    "profiler",
    "set_printoptions",
    "get_printoptions",
    "printoptions",
    *creation.__all__,
    *ops.arithmetic.__all__,
    *ops.pointwise.__all__,
    *ops.rounding.__all__,
    *ops.activation.__all__,
    *ops.clamp.__all__,
    *ops.select.__all__,
    *ops.fill.__all__,
    *ops.compare.__all__,
    *ops.conversion.__all__,
    *ops.reduction.__all__,
    *ops.prod.__all__,
    *ops.minmax.__all__,
    *ops.softmax.__all__,
    *ops.stats.__all__,
    *ops.linalg.__all__,
    *ops.addmm.__all__,
    *ops.shape.__all__,
    *ops.indexing.__all__,
    *ops.reorder.__all__,
    *ops.join.__all__,
    *ops.gather.__all__,
    *ops.setitem.__all__,
]
