"""``torch.device`` and the default device: accepted for PyTorch compatibility; everything runs on the CPU."""

from __future__ import annotations

__all__ = ["device", "check_device", "set_default_device", "get_default_device"]

_KNOWN = ("cpu", "cuda", "mps", "meta", "xpu")


class device:
    """A device name such as ``device('cpu')``; only 'cpu' can hold tensors here."""

    __slots__ = ("type", "index")

    def __init__(self, type: str | device, index: int | None = None) -> None:
        if isinstance(type, device):
            type, index = type.type, type.index
        name, _, idx = str(type).partition(":")
        if name not in _KNOWN:
            raise RuntimeError(
                f"Expected one of cpu, cuda, mps, meta, xpu device type at start of device string: {type}"
            )
        self.type = name
        self.index = int(idx) if idx else index

    def __repr__(self) -> str:
        return (
            f"device(type='{self.type}')"
            if self.index is None
            else f"device(type='{self.type}', index={self.index})"
        )

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


def check_device(dev: object) -> None:
    """Raise PyTorch's error for a device this NumPy engine cannot use."""
    if dev is None:
        return
    d = dev if isinstance(dev, device) else device(str(dev))
    if d.type != "cpu":
        raise AssertionError(
            "Torch not compiled with CUDA enabled"
            if d.type == "cuda"
            else f"{d.type} device is not available"
        )


def set_default_device(device: device | str | None) -> None:
    """Accept ``'cpu'`` (or None) as PyTorch does; any other device raises PyTorch's error for it."""
    check_device(device)


def get_default_device() -> device:
    """Always ``device(type='cpu')``."""
    return _CPU


_CPU = device("cpu")
