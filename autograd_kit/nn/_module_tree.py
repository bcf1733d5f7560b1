"""Traversal and bulk updates of a module tree (named_modules, parameters, train/eval,
zero_grad, apply, dtype casts); mixed into ``nn.Module``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .. import dtypes
from .._tensor.tensor import Tensor, wrap_array

__all__ = ["ModuleTree", "zero_grad_"]


class ModuleTree:
    """Methods of ``nn.Module`` that walk the tree of submodules."""

    _parameters: dict
    _buffers: dict
    _modules: dict

    def get_submodule(self, target: str) -> Any:
        """The submodule at dotted path ``target`` ('' is self)."""
        module = self
        for item in target.split(".") if target else ():
            if item not in module._modules:
                raise AttributeError(f"{type(module).__name__} has no attribute `{item}`")
            module = module._modules[item]
        return module

    # --- traversal --------------------------------------------------------------------------
    def named_modules(
        self, memo: set | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator:
        """Yield ``(dotted_name, module)`` for self and every descendant, each once."""
        if memo is None:
            memo = set()
        if remove_duplicate:
            if self in memo:
                return
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is not None:
                yield from module.named_modules(
                    memo, prefix + ("." if prefix else "") + name, remove_duplicate
                )

    def modules(self) -> Iterator[Any]:
        """Yield self and every descendant module."""
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator:
        """Yield ``(name, module)`` for the direct children."""
        seen = set()
        for name, module in self._modules.items():
            if module is not None and module not in seen:
                seen.add(module)
                yield name, module

    def children(self) -> Iterator[Any]:
        """Yield the direct child modules."""
        for _, module in self.named_children():
            yield module

    def _named_members(self, registry: str, prefix: str, recurse: bool, remove_duplicate: bool) -> Iterator:
        seen: set = set()
        mods = (
            self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
            if recurse
            else [(prefix, self)]
        )
        for mod_prefix, module in mods:
            for name, value in module.__dict__[registry].items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield mod_prefix + ("." if mod_prefix else "") + name, value

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator:
        """Yield ``(dotted_name, parameter)`` pairs, e.g. ``('layer1.weight', ...)``."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Tensor]:
        """Yield every parameter (once each)."""
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator:
        """Yield ``(dotted_name, buffer)`` pairs."""
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Yield every buffer."""
        for _, buf in self.named_buffers(recurse=recurse):
            yield buf

    # --- modes and bulk changes -------------------------------------------------------------
    def train(self, mode: bool = True) -> Any:
        """Set training mode on self and all descendants (affects Dropout)."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Any:
        """Set evaluation mode (``train(False)``)."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Any:
        """Set ``requires_grad`` of every parameter (False freezes the module)."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's ``.grad``: to None (default) or to zeros."""
        for param in self.parameters():
            zero_grad_(param, set_to_none)

    def apply(self, fn: Callable[[Any], None]) -> Any:
        """Call ``fn`` on every descendant (children first) and then on self."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    def to(self, *args: Any, **kwargs: Any) -> Any:
        """Cast floating parameters and buffers to a dtype (devices other than 'cpu' are refused)."""
        target = None
        for arg in (*args, *kwargs.values()):
            if isinstance(arg, dtypes.dtype):
                target = arg
            elif str(arg) != "cpu":
                raise RuntimeError(f"to(): autograd_kit runs on the CPU only, got device {arg!r}")
        return self if target is None else self._cast(target)

    def float(self) -> Any:
        """Cast floating parameters and buffers to float32."""
        return self._cast(dtypes.float32)

    def double(self) -> Any:
        """Cast floating parameters and buffers to float64."""
        return self._cast(dtypes.float64)

    def cpu(self) -> Any:
        """No-op: everything lives on the CPU."""
        return self

    def _cast(self, target: dtypes.dtype) -> Any:
        np_dtype = target.numpy_dtype
        for module in self.modules():
            for t in (*module._parameters.values(), *module._buffers.values()):
                if t is not None and t._data.dtype.kind == "f" and t._data.dtype != np_dtype:
                    t._data = t._data.astype(np_dtype)
                    t._grad_acc = None  # its cached node records the old dtype
                    if t._grad is not None:
                        t._grad = _cast_grad(t._grad, np_dtype)
        return self


def _cast_grad(grad: Tensor, np_dtype: np.dtype) -> Tensor:
    return wrap_array(grad._data.astype(np_dtype))


def zero_grad_(param: Tensor, set_to_none: bool) -> None:
    """Clear one parameter's ``.grad`` as PyTorch's zero_grad does."""
    grad = param._grad
    if grad is None:
        return
    if set_to_none:
        param._grad = None
        return
    if grad.grad_fn is not None:
        grad = param._grad = grad.detach()
    grad._requires_grad = False
    grad._data[...] = 0
    grad._vc[0] += 1
