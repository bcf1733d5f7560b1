"""``Module.state_dict`` / ``load_state_dict``: dotted-name snapshots and strict, checked loading."""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Mapping
from typing import Any

import numpy as np

from .._tensor.tensor import Tensor

__all__ = ["state_dict", "load_state_dict", "IncompatibleKeys"]


class IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: keys the module wanted but did not get, and extras."""

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return f"_IncompatibleKeys(missing_keys={self.missing_keys}, unexpected_keys={self.unexpected_keys})"

    __str__ = __repr__


def _local_state(module: Any) -> dict:
    skip = module._non_persistent_buffers_set
    local = {name: p for name, p in module._parameters.items() if p is not None}
    local.update((name, b) for name, b in module._buffers.items() if b is not None and name not in skip)
    return local


def state_dict(module: Any, destination: Any = None, prefix: str = "", keep_vars: bool = False) -> Any:
    """Every parameter and persistent buffer of ``module``'s tree, keyed by dotted name."""
    if destination is None:
        destination = OrderedDict()
    for mod_prefix, mod in module.named_modules(prefix=prefix.rstrip(".")):
        dotted = mod_prefix + "." if mod_prefix else ""
        for name, value in _local_state(mod).items():
            destination[dotted + name] = value if keep_vars else value.detach()
    return destination


def load_state_dict(
    module: Any, state: Mapping, strict: bool = True, assign: bool = False
) -> IncompatibleKeys:
    """Copy ``state`` into ``module``'s parameters and buffers, with PyTorch's error report."""
    if not isinstance(state, Mapping):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(state)}.")
    missing: list[str] = []
    unexpected: list[str] = []
    errors: list[str] = []
    for mod_prefix, mod in module.named_modules():
        dotted = mod_prefix + "." if mod_prefix else ""
        local = _local_state(mod)
        for name, target in local.items():
            key = dotted + name
            if key not in state:
                missing.append(key)
                continue
            _copy_into(mod, name, key, target, state[key], assign, errors)
        for key in state:
            if key.startswith(dotted):
                head = key[len(dotted) :].split(".", 1)[0]
                if head not in mod._modules and head not in local:
                    unexpected.append(key)
    if strict:
        if unexpected:
            errors.insert(
                0, "Unexpected key(s) in state_dict: {}. ".format(", ".join(f'"{k}"' for k in unexpected))
            )
        if missing:
            errors.insert(
                0, "Missing key(s) in state_dict: {}. ".format(", ".join(f'"{k}"' for k in missing))
            )
    if errors:
        raise RuntimeError(
            "Error(s) in loading state_dict for {}:\n\t{}".format(type(module).__name__, "\n\t".join(errors))
        )
    return IncompatibleKeys(missing, unexpected)


def _copy_into(mod: Any, name: str, key: str, target: Tensor, value: Any, assign: bool, errors: list) -> None:
    if not isinstance(value, Tensor):
        errors.append(
            f'While copying the parameter named "{key}", expected torch.Tensor or Tensor-like object from '
            f"checkpoint but received {type(value)}"
        )
        return
    if value.shape != target.shape:
        errors.append(
            f"size mismatch for {key}: copying a param with shape {value.shape} from checkpoint, "
            f"the shape in current model is {target.shape}."
        )
        return
    if assign:
        from .parameter import Parameter

        if isinstance(target, Parameter) and not isinstance(value, Parameter):
            value = Parameter(value.detach(), requires_grad=target.requires_grad)
        setattr(mod, name, value)
        return
    # A plain copy into existing storage (never recorded), so optimizers keep their references.
    np.copyto(target._data, value._data, casting="unsafe")
    target._vc[0] += 1
