"""Core engine speed against hand-written NumPy (the limit) and PyTorch (when installed).

Run: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_core.py
Prints a Markdown table of medians and ratios (the README shows the latest one).
"""

from __future__ import annotations

import gc
import math
import subprocess
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# _harness first: it pins BLAS to one thread, which NumPy reads once, when it is imported.
from _harness import median_time, print_table, try_import_torch, warn_if_coretype  # noqa: E402

# isort: split
import numpy as np  # noqa: E402

import autograd_kit as ak  # noqa: E402

CHAIN = 1000  # ops per chain: cycles of (* c, + c, sin, tanh) on a 1-element tensor


def chain_lib(lib, n: int = CHAIN, grad: bool = True) -> None:
    """The chain in a PyTorch-like library (ours or torch)."""
    x = lib.tensor([0.5], requires_grad=grad)
    y = x
    for _ in range(n // 4):
        y = (y * 1.0001 + 0.001).sin().tanh()
    if grad:
        y.backward(lib.ones(1))


def chain_lib_no_grad(lib, n: int = CHAIN) -> None:
    """The chain's forward under no_grad."""
    with lib.no_grad():
        chain_lib(lib, n, grad=False)


def chain_numpy(n: int = CHAIN, grad: bool = True) -> np.ndarray:
    """The same chain written by hand: forward saving what backward needs, then backward."""
    y = np.array([0.5], dtype=np.float32)
    c_mul, c_add = np.float32(1.0001), np.float32(0.001)
    saved = []
    for _ in range(n // 4):
        y = y * c_mul + c_add
        s = np.sin(y)
        t = np.tanh(s)
        if grad:
            saved.append((y, t))
        y = t
    if not grad:
        return y
    g = np.ones(1, dtype=np.float32)
    for pre_sin, t in reversed(saved):
        g = g * (1 - t * t)
        g = g * np.cos(pre_sin)
        g = g * c_mul
    return g


def tutorial_lib(lib) -> None:
    """PyTorch tutorial graph: linspace(25) -> sin -> *2 -> +1 -> sum -> backward."""
    a = lib.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
    out = (2 * lib.sin(a) + 1).sum()
    out.backward()


def tutorial_numpy() -> np.ndarray:
    """The tutorial graph by hand."""
    a = np.linspace(0.0, 2.0 * math.pi, 25, dtype=np.float32)
    b = np.sin(a)
    d = 2 * b + 1
    d.sum()
    return np.ones_like(d) * 2 * np.cos(a)


BIG = 1_000_000
_big = np.random.default_rng(0).standard_normal(BIG).astype(np.float32)


def big_lib(lib) -> None:
    """(sin(x)*x + x**2).sum() and backward on 1M float32 elements."""
    x = lib.tensor(_big, requires_grad=True) if lib is not ak else ak.from_numpy(_big).requires_grad_()
    ((x.sin() * x + x**2).sum()).backward()


def big_numpy() -> np.ndarray:
    """The same, by hand (no multiplications by a ones gradient)."""
    x = _big
    s = np.sin(x)
    (s * x + x**2).sum()
    return s + x * np.cos(x) + 2 * x


def memory_growth(loops: int = 200) -> tuple[float, float]:
    """Peak traced memory (KiB) after 20 and after `loops` graph build/backward/release loops."""
    gc.collect()
    tracemalloc.start()
    peaks = []
    for i in range(loops):
        chain_lib(ak, 200)
        if i in (19, loops - 1):
            peaks.append(tracemalloc.get_traced_memory()[1] / 1024)
    tracemalloc.stop()
    return peaks[0], peaks[1]


def scaling() -> None:
    """Cost per op of chains of 1k, 10k and 100k ops, with and without the cyclic GC."""
    # CPython's cyclic collector rescans the live graph while it is being built (the engine
    # pauses it during backward); the second column shows the library's own cost without it.
    print("Scaling (fwd+bwd, us per op):      default gc   gc.disable()")
    for n in (1_000, 10_000, 100_000):
        repeats = 3 if n == 100_000 else 7
        with_gc = median_time(lambda n=n: chain_lib(ak, n), repeats=repeats, warmup=1)
        gc.disable()
        try:
            without_gc = median_time(lambda n=n: chain_lib(ak, n), repeats=repeats, warmup=1)
        finally:
            gc.enable()
        print(f"  {n:>7} ops: {with_gc / n * 1e6:27.2f} {without_gc / n * 1e6:14.2f}")


def main() -> None:
    """Run every benchmark and print the table."""
    if "--scaling" in sys.argv:
        scaling()
        return
    warn_if_coretype()
    torch = try_import_torch()
    rows = []

    def row(name, ours, numpy_fn, torch_fn, target, repeats=25):
        rows.append(
            {
                "name": name,
                "ours": median_time(ours, repeats),
                "numpy": median_time(numpy_fn, repeats) if numpy_fn else None,
                "torch": median_time(torch_fn, repeats) if torch and torch_fn else None,
                "target": target,
            }
        )

    row(
        f"chain of {CHAIN} ops, fwd+bwd",
        lambda: chain_lib(ak),
        chain_numpy,
        lambda: chain_lib(torch),
        "<=2.6x NumPy, <=0.6x PyTorch",
    )
    row(
        f"chain of {CHAIN} ops, no_grad fwd",
        lambda: chain_lib_no_grad(ak),
        lambda: chain_numpy(grad=False),
        lambda: chain_lib_no_grad(torch),
        "<=1.6x NumPy",
    )
    row(
        "tutorial graph fwd+bwd",
        lambda: tutorial_lib(ak),
        tutorial_numpy,
        lambda: tutorial_lib(torch),
        "<=2.2x NumPy, <=0.5x PyTorch",
        200,
    )
    row(
        "(sin(x)*x + x**2).sum() 1M fwd+bwd",
        lambda: big_lib(ak),
        big_numpy,
        lambda: big_lib(torch),
        "<=1.15x NumPy",
        15,
    )
    print_table(rows)

    # The scaling rows run in a fresh interpreter: torch, imported above only for comparison,
    # leaves ~10^5 GC-tracked objects that every full collection here would rescan as well.
    print(f"\n(this process tracks {len(gc.get_objects())} objects; the scaling runs in a fresh one)")
    subprocess.run([sys.executable, __file__, "--scaling"], check=True)
    first, last = memory_growth()
    print(f"\nPeak traced memory: {first:.0f} KiB after 20 graphs, {last:.0f} KiB after 200 (flat = no leak)")


if __name__ == "__main__":
    main()
