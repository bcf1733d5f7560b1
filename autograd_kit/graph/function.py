"""The op base: ``Function`` with ``forward(ctx, ...)``/``backward(ctx, grad)``; ctx is the node.

Every operation is a ``Function``: ``apply`` decides whether a graph is recorded, creates the
``grad_fn`` node (which doubles as ``ctx``), runs ``forward`` and wraps the result.
User-defined ops subclass ``Function`` (PyTorch's contract: Tensors in, Tensors out,
``ctx.save_for_backward``); autograd_kit's own ops subclass ``BuiltinFunction``, whose
``forward``/``backward`` compute on arrays and whose ``apply`` is ``apply_builtin``.
"""

from __future__ import annotations

from typing import Any

from .builtin_apply import PLAN_BOTH, PLAN_RESULT, PLAN_SELF, apply_builtin
from .ctx import SECOND_BACKWARD_MSG, BackwardNode, FunctionCtx, ctx_attribute_property, saved_value_property
from .diagnostics import broadcast_error
from .switches import SWITCHES

__all__ = [
    "Function",
    "BuiltinFunction",
    "FunctionCtx",
    "BackwardNode",
    "SECOND_BACKWARD_MSG",
    "broadcast_error",
]


def _node_class(cls: type, default_name: str, namespace: dict) -> type:
    """The node class of op ``cls``: a ``BackwardNode`` named after it (or its ``node_name``)."""
    name = cls.__dict__.get("node_name", default_name)
    namespace = {**namespace, "_forward_cls": cls, "__module__": cls.__module__}
    namespace["_arrays_in_backward"] = cls._arrays_in_backward
    # PyTorch's C++ nodes print as `<CopySlices ...>` but name() includes the namespace.
    short = name.rsplit("::", 1)[-1]
    if short != name:
        namespace["name"] = _fixed_name(name)
    return type(short, (BackwardNode,), namespace)


def _fixed_name(name: str) -> Any:
    def node_name(self: BackwardNode) -> str:
        """PyTorch's name for this node."""
        return name

    return node_name


def _run_builtin_backward(node: BackwardNode, grads: list) -> tuple:
    # Built-ins have one output, so backward gets one gradient.
    result = node._forward_cls.backward(node, grads[0])
    return result if type(result) is tuple else (result,)


class Function:
    """Base class of differentiable operations (PyTorch's ``torch.autograd.Function``): a
    user-defined op takes and returns Tensors, and saves with ``ctx.save_for_backward``."""

    operands: tuple | None = None  # set by BuiltinFunction subclasses only
    # The node's derivative as the widgets show it, in derivatives.yaml's spirit: ``grad`` is the
    # gradient arriving, ``grad_<input>`` what goes to each input. Custom Functions may set it too.
    formula: str | None = None
    aten_name: str | None = None  # the profiler's row name, e.g. "aten::mul"
    fills_uniformly = False  # in-place ops writing one value everywhere: allowed on expanded tensors
    _arrays_in_backward = False  # built-ins: backward computes on arrays in a plain backward

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Each op class gets its node class (PyTorch's FunctionMeta makes ``<Name>Backward`` too).
        cls._backward_cls = _node_class(cls, f"{cls.__name__}Backward", {})
        if cls.aten_name is None:
            cls.aten_name = cls.__name__

    @staticmethod
    def forward(ctx: Any, *args: Any) -> Any:
        """Compute the op's output(s); override."""
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        """Return one gradient per forward input (None where there is none); override."""
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD."
        )

    vjp = backward

    @classmethod
    def apply(cls, *args: Any) -> Any:
        """Run the op, recording a graph node when grad mode is on and an input requires grad."""
        if SWITCHES.op_hook is not None:
            return SWITCHES.op_hook(cls, args)
        return cls._apply(args)

    @classmethod
    def _apply(cls, args: tuple) -> Any:
        """Run the op without the profiler check (the profiler's hook calls this)."""
        from .custom_function import apply_custom  # custom_function subclasses Function

        return apply_custom(cls, args)

    @classmethod
    def _call_backward(cls, node: BackwardNode, grads: list) -> tuple:
        from .custom_function import call_custom_backward

        return call_custom_backward(cls, node, grads)


class BuiltinFunction(Function):
    """Base class of autograd_kit's own ops (``Mul``, ``Sin``, ``MseLoss``, ...).

    A built-in op declares ``operands`` (its tensor-or-number positions, each of which gets a
    ``next_functions`` edge), ``saves`` (what backward needs, by operand name or ``"result"``,
    shown as ``_saved_<name>``) and ``ctx_attributes`` (what forward stores on ctx). Its
    ``forward(ctx, *arrays)`` computes on NumPy arrays; its ``backward(ctx, grad)`` receives
    arrays in a plain backward and Tensors under ``create_graph=True``, so one formula (written
    with ``ops._math``) serves both. ``apply`` runs ``builtin_apply.apply_builtin``.
    """

    operands: tuple = ()
    saves: tuple = ()  # operand names (or "result") that backward reads
    # Two-operand ops: saved operands that only the *other* operand's gradient reads (a*b saves
    # self only for d/d other); not saved when that operand needs no grad, as in PyTorch.
    saved_for_other: tuple = ()
    is_view = False  # the result shares memory with operand 0
    # The values forward stores on ctx (``ctx.dim = dim``), shown as ``_saved_<name>`` as PyTorch
    # shows them; tests/ops/test_op_table.py checks that every stored name is declared.
    ctx_attributes: tuple = ()
    _arrays_in_backward = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Function.__init_subclass__ is not run: a built-in's node class and names differ.
        cls._n_operands = len(cls.operands)
        cls._save_names = tuple(cls.saves)
        plan = tuple(-1 if s == "result" else cls.operands.index(s) for s in cls.saves)
        # Canonical objects, so the apply paths tell the common plans apart by identity.
        cls._save_plan = next((p for p in (PLAN_SELF, PLAN_BOTH, PLAN_RESULT) if p == plan), plan)
        cls._saved_for_other = tuple(k for k, s in enumerate(cls.saves) if s in cls.saved_for_other)
        cls._self_for_other = "self" in cls.saved_for_other
        cls._other_for_other = "other" in cls.saved_for_other
        if "aten_name" not in cls.__dict__:
            cls.aten_name = "aten::" + cls.__name__.lower()
        namespace = {
            "_run_backward": _run_builtin_backward,
            # The engine's plain lane calls this directly: one output, one incoming gradient.
            "_single_backward": staticmethod(cls.backward),
            **{f"_saved_{attr}": ctx_attribute_property(attr) for attr in cls.ctx_attributes},
            **{f"_saved_{saved}": saved_value_property(i) for i, saved in enumerate(cls.saves)},
        }
        cls._backward_cls = _node_class(cls, f"{cls.__name__}Backward0", namespace)

    @classmethod
    def apply(cls, *args: Any) -> Any:
        """Run the op on Tensors and numbers (see ``builtin_apply.apply_builtin``)."""
        return apply_builtin(cls, args)

    @classmethod
    def _apply(cls, args: tuple) -> Any:
        """Run the op without the profiler check (the profiler's hook calls this)."""
        return apply_builtin(cls, args, check_profiler=False)

    @classmethod
    def _call_backward(cls, node: BackwardNode, grads: list) -> tuple:
        return _run_builtin_backward(node, grads)
