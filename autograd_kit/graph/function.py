"""The op base: ``Function`` with ``forward(ctx, ...)``/``backward(ctx, grad)``; ctx is the node.

Every operation, built-in or user-defined, is a ``Function``. ``apply`` decides whether a graph
is recorded, creates the ``grad_fn`` node (which doubles as ``ctx``), runs ``forward`` and wraps
the result. Built-in ops declare ``operands`` (their tensor-or-number positions, each of which
gets a ``next_functions`` edge) and ``saves`` (what backward needs, by operand name or
``"result"``, visible as ``_saved_<name>``, PyTorch's spelling). Their ``forward`` receives
NumPy arrays; their ``backward`` receives arrays in a plain backward and Tensors under
``create_graph=True``, so one formula (written with ``ops._math``) serves both. User-defined
Functions follow PyTorch's contract: Tensors in, Tensors out, ``ctx.save_for_backward``.
"""

from __future__ import annotations

from typing import Any

from . import builtin_apply as _builtin_apply
from .builtin_apply import PLAN_BOTH, PLAN_RESULT, PLAN_SELF, specialise
from .builtin_apply import apply_builtin as _apply_builtin
from .ctx import SECOND_BACKWARD_MSG, BackwardNode, FunctionCtx, ctx_attribute_property, saved_value_property
from .diagnostics import broadcast_error

__all__ = ["Function", "FunctionCtx", "BackwardNode", "SECOND_BACKWARD_MSG", "broadcast_error"]


class Function:
    """Base class of differentiable operations (PyTorch's ``torch.autograd.Function``)."""

    operands: tuple | None = None  # built-ins: names of the tensor-or-number positions
    saves: tuple = ()  # built-ins: operand names (or "result") that backward reads
    # The node's derivative as the widgets show it, in derivatives.yaml's spirit: ``grad`` is the
    # gradient arriving, ``grad_<input>`` what goes to each input. Custom Functions may set it too.
    formula: str | None = None
    # Two-operand built-ins: saved operands that only the *other* operand's gradient reads (a*b
    # saves self only for d/d other); not saved when that operand needs no grad, as in PyTorch.
    saved_for_other: tuple = ()
    _saved_for_other: tuple = ()
    aten_name: str | None = None  # the profiler's row name, e.g. "aten::mul"
    is_view = False  # built-ins whose result shares memory with operand 0
    fills_uniformly = False  # in-place ops writing one value everywhere: allowed on expanded tensors
    # Built-ins: the values forward stores on ctx (``ctx.dim = dim``), shown as ``_saved_<name>``
    # as PyTorch shows them; tests/test_op_table.py checks that every stored name is declared.
    ctx_attributes: tuple = ()
    _arrays_in_backward = False
    _save_names: tuple = ()
    _fast_apply = None  # built-ins of one or two operands: their specialised apply

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        builtin = cls.operands is not None
        cls._arrays_in_backward = builtin
        default = f"{cls.__name__}Backward0" if builtin else f"{cls.__name__}Backward"
        name = cls.__dict__.get("node_name", default)
        namespace = {"_forward_cls": cls, "__module__": cls.__module__, "_arrays_in_backward": builtin}
        if builtin:
            namespace["_run_backward"] = _run_builtin_backward
            # The engine's plain loop calls this directly: one output, one incoming gradient.
            namespace["_single_backward"] = staticmethod(cls.backward)
            for attr in cls.ctx_attributes:
                namespace[f"_saved_{attr}"] = ctx_attribute_property(attr)
            for index, saved in enumerate(cls.saves):
                namespace[f"_saved_{saved}"] = saved_value_property(index)
        # PyTorch's C++ nodes print as `<CopySlices ...>` but name() includes the namespace.
        short = name.rsplit("::", 1)[-1]
        if short != name:
            namespace["name"] = _fixed_name(name)
        cls._backward_cls = type(short, (BackwardNode,), namespace)
        if builtin:
            cls._apply = classmethod(lambda c, args: _apply_builtin(c, args, False))
            cls.apply = classmethod(_apply_classmethod)
            cls._n_operands = len(cls.operands)
            cls._save_names = tuple(cls.saves)
            plan = tuple(-1 if s == "result" else cls.operands.index(s) for s in cls.saves)
            # Canonical objects, so _apply_builtin tells the common plans apart by identity.
            cls._save_plan = next((p for p in (PLAN_SELF, PLAN_BOTH, PLAN_RESULT) if p == plan), plan)
            cls._saved_for_other = tuple(k for k, s in enumerate(cls.saves) if s in cls.saved_for_other)
            cls._self_for_other = "self" in cls.saved_for_other
            cls._other_for_other = "other" in cls.saved_for_other
            if cls.aten_name is None:
                cls.aten_name = "aten::" + cls.__name__.lower()
            cls._fast_apply = specialise(cls)
        elif cls.aten_name is None:
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
        if _builtin_apply.profile_hook is not None:
            return _builtin_apply.profile_hook(cls, args)
        return cls._apply(args)

    @classmethod
    def _apply(cls, args: tuple) -> Any:
        """Run the op without the profiler check (the profiler's hook calls this)."""
        from .custom_function import apply_custom

        return apply_custom(cls, args)

    @classmethod
    def _call_backward(cls, node: BackwardNode, grads: list) -> tuple:
        if not cls._arrays_in_backward:
            from .custom_function import call_custom_backward

            return call_custom_backward(cls, node, grads)
        result = cls.backward(node, grads[0]) if len(grads) == 1 else cls.backward(node, *grads)
        return result if type(result) is tuple else (result,)


def _fixed_name(name: str) -> Any:
    def node_name(self: BackwardNode) -> str:
        """PyTorch's name for this node."""
        return name

    return node_name


def _run_builtin_backward(node: BackwardNode, grads: list) -> tuple:
    # Built-ins have one output, so backward gets one gradient.
    result = node._forward_cls.backward(node, grads[0])
    return result if type(result) is tuple else (result,)


def _apply_classmethod(cls: type[Function], *args: Any) -> Any:
    """``apply`` of built-in ops."""
    return _apply_builtin(cls, args)
