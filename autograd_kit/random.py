"""Random-number state: PyTorch's ``Generator`` API over a NumPy ``Generator`` (PCG64).

One module-level ``default_generator`` feeds rand/randn/randint/randperm and, through
``numpy_rng()``, anything else that draws random numbers (nn.init, dropout), so
``manual_seed`` makes a whole program reproducible. The streams differ from PyTorch's: the
same seed gives different numbers, only the API and the reproducibility match.
"""

from __future__ import annotations

import secrets
from typing import Any

import numpy as np

__all__ = ["Generator", "default_generator", "manual_seed", "initial_seed", "seed", "numpy_rng"]

# PyTorch's default CPU seed: like PyTorch, a fresh process is deterministic until seeded.
_DEFAULT_SEED = 67280421310721
_U64 = 2**64


def _seed_value(seed: Any) -> int:
    seed = int(seed)  # as PyTorch: 1.5 -> 1, "a" -> ValueError from int()
    if not -(2**63) <= seed < _U64:
        raise ValueError("Overflow when unpacking long long")
    return seed % _U64  # negative seeds wrap, as in PyTorch


class Generator:
    """A random-number generator with PyTorch's methods (``manual_seed``, ``initial_seed``...)."""

    __slots__ = ("_rng", "_seed", "__weakref__")

    def __init__(self, device: str = "cpu") -> None:
        if str(device) != "cpu":
            raise RuntimeError(f"Generator(): autograd_kit only supports device='cpu', got '{device}'")
        self.manual_seed(_DEFAULT_SEED)

    @property
    def device(self) -> str:
        """Always ``'cpu'``."""
        return "cpu"

    def manual_seed(self, seed: int) -> Generator:
        """Reset the stream from ``seed`` and return self."""
        self._seed = _seed_value(seed)
        self._rng = np.random.default_rng(self._seed)
        return self

    def initial_seed(self) -> int:
        """The seed the current stream started from."""
        return self._seed

    def seed(self) -> int:
        """Reseed from OS entropy and return the new seed."""
        new = secrets.randbits(64)
        self.manual_seed(new)
        return new

    def get_state(self) -> dict:
        """A snapshot of the stream; ``set_state`` restores it."""
        return {"seed": self._seed, "bit_generator": self._rng.bit_generator.state}

    def set_state(self, state: dict) -> Generator:
        """Restore a snapshot taken by ``get_state``."""
        self._seed = state["seed"]
        self._rng = np.random.default_rng(self._seed)
        self._rng.bit_generator.state = state["bit_generator"]
        return self

    def __repr__(self) -> str:
        # PyTorch's spelling, so notebook cells that end in manual_seed(...) print the same.
        return f"<torch._C.Generator object at {hex(id(self))}>"


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the default generator (rand, randn, randint, randperm, init, dropout) and return it."""
    return default_generator.manual_seed(seed)


def initial_seed() -> int:
    """The seed of the default generator."""
    return default_generator.initial_seed()


def seed() -> int:
    """Reseed the default generator from OS entropy and return the seed."""
    return default_generator.seed()


def numpy_rng(generator: Generator | None = None) -> np.random.Generator:
    """The NumPy generator to draw from: ``generator``'s, or the default one's (never cache it:
    ``manual_seed`` replaces it)."""
    if generator is None:
        return default_generator._rng
    if not isinstance(generator, Generator):
        raise TypeError(f"generator must be a Generator, not {type(generator).__name__}")
    return generator._rng
