"""autograd_kit: a NumPy-backed autograd tensor library that behaves like PyTorch.

Everything a user reaches as ``autograd_kit.<name>`` (``torch.<name>`` in their code) is imported
here by name. The layers below, each a folder: ``_tensor`` (Tensor), ``graph`` (nodes, Function,
engine), ``ops`` (built-in ops by family), ``creation``, ``autograd``, ``nn``, ``optim``; the
late bindings between them are in ``_bindings.py``.
"""

# ruff: noqa: E402, I001, F401
# (E402, I001: the order below is the layering, ops before what builds on them; F401: the names
# imported here are the public face, and __all__ below lists them by the same groups.)

from __future__ import annotations

from .dtypes import (
    dtype,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
    bool,
    half,
    float,
    double,
    short,
    int,
    long,
    get_default_dtype,
    set_default_dtype,
)
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from ._tensor.tensor import Size, Tensor
from ._tensor.device import device, get_default_device, set_default_device
from ._tensor.printing import get_printoptions, printoptions, set_printoptions
from .ops.arithmetic import (
    add,
    sub,
    mul,
    div,
    neg,
    rsub,
    true_divide,
    divide,
    multiply,
    subtract,
    negative,
)
from .ops.power import (
    pow,
    reciprocal,
    float_power,
)
from .ops.pointwise import (
    abs,
    absolute,
    exp,
    expm1,
    log,
    log1p,
    log2,
    log10,
    sqrt,
    rsqrt,
    sin,
    cos,
    tan,
    square,
    abs_,
    exp_,
    expm1_,
    log_,
    log1p_,
    log2_,
    log10_,
    sqrt_,
    rsqrt_,
    sin_,
    cos_,
    tan_,
    square_,
    erf,
    erf_,
)
from .ops.rounding import (
    sign,
    floor,
    ceil,
    round,
    trunc,
    fix,
    floor_,
    ceil_,
    round_,
    trunc_,
    fix_,
)
from .ops.activation import (
    relu,
    sigmoid,
    tanh,
    relu_,
    sigmoid_,
    tanh_,
)
from .ops.clamp import (
    clamp,
    clip,
    clamp_min,
    clamp_max,
    clamp_,
    clip_,
    clamp_min_,
    clamp_max_,
    maximum,
    minimum,
)
from .ops.select import (
    where,
    masked_fill,
    lerp,
)
from .ops.fill import (
    fill_,
    zero_,
)
from .ops.compare import (
    eq,
    ne,
    lt,
    le,
    gt,
    ge,
    greater,
    greater_equal,
    less,
    less_equal,
    not_equal,
    logical_and,
    logical_or,
    logical_xor,
    logical_not,
    bitwise_and,
    bitwise_or,
    bitwise_xor,
    bitwise_not,
    isnan,
    isinf,
    isfinite,
    isposinf,
    isneginf,
    isclose,
    allclose,
    equal,
    any,
    all,
)
from .ops.conversion import (
    clone,
)
from .ops.reduction import (
    sum,
    mean,
    cumsum,
)
from .ops.prod import (
    prod,
)
from .ops.minmax import (
    max,
    min,
    amax,
    amin,
    argmax,
    argmin,
)
from .ops.softmax import (
    softmax,
    log_softmax,
    logsumexp,
)
from .ops.stats import (
    var,
    std,
    norm,
)
from .ops.linalg import (
    matmul,
    mm,
    bmm,
    mv,
    dot,
    outer,
)
from .ops.addmm import (
    addmm,
)
from .ops.shape import (
    reshape,
    flatten,
    unflatten,
    squeeze,
    unsqueeze,
    broadcast_to,
)
from .ops.reorder import (
    t,
    transpose,
    swapaxes,
    swapdims,
    permute,
    movedim,
    moveaxis,
    flip,
    roll,
)
from .ops.join import (
    cat,
    concat,
    concatenate,
    stack,
    split,
    chunk,
    unbind,
)
from .ops.indexing import (
    select,
    narrow,
)
from .ops.gather import (
    index_select,
    gather,
    masked_select,
    take,
    nonzero,
    argwhere,
)
from . import _bindings

_bindings.install()

from .creation import (
    tensor,
    as_tensor,
    from_numpy,
    zeros,
    ones,
    full,
    empty,
    zeros_like,
    ones_like,
    full_like,
    empty_like,
    rand,
    randn,
    rand_like,
    randn_like,
    randint,
    randperm,
    arange,
    linspace,
    logspace,
    eye,
    is_tensor,
    numel,
    manual_seed,
    initial_seed,
    seed,
    Generator,
    default_generator,
)
from .creation.legacy_types import (
    HalfTensor,
    FloatTensor,
    DoubleTensor,
    CharTensor,
    ShortTensor,
    IntTensor,
    LongTensor,
    ByteTensor,
    BoolTensor,
)
from . import autograd, backends, creation, cuda, dtypes, nn, ops, optim, profiler, utils
from .creation import legacy_types
from .serialization import load, save

__version__ = "0.1.0"

# In IPython/Jupyter, errors the library raises show the learner's lines, not ours (see _tracebacks)
from ._tracebacks import install as _install_tracebacks

_install_tracebacks()

__all__ = [
    "Tensor",
    "Size",
    *dtypes.__all__,
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
    *legacy_types.__all__,
    "profiler",
    "set_printoptions",
    "get_printoptions",
    "printoptions",
    *creation.__all__,
    *(name for family in ops.FAMILIES for name in family.__all__),
]
