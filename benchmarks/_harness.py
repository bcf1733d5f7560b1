"""Shared benchmark plumbing: single-threaded BLAS, medians, and the results table."""

from __future__ import annotations

import os

# One BLAS thread for every library, set before NumPy (or torch) is imported, so ratios compare
# the engines rather than thread pools.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

__all__ = ["median_time", "try_import_torch", "print_table", "warn_if_coretype"]


def median_time(fn: Callable[[], object], repeats: int = 25, warmup: int = 3) -> float:
    """Median wall time of ``fn()`` in seconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def try_import_torch():  # noqa: ANN201
    """torch if installed (a benchmark-only comparison), else None."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def warn_if_coretype() -> None:
    """Say so when OPENBLAS_CORETYPE is set: it selects a slower kernel on this machine."""
    if os.environ.get("OPENBLAS_CORETYPE") or os.environ.get("OPENBLAS_L2_SIZE"):
        print(
            "note: OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are set; run with "
            "`env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE` for representative numbers\n"
        )


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def print_table(rows: list[dict]) -> None:
    """Print rows of {name, ours, numpy, torch, target} with ratios, as a Markdown table."""
    header = "| benchmark | autograd_kit | NumPy (hand-written) | ratio vs NumPy | PyTorch | ratio vs PyTorch | target |"
    print(header)
    print("|" + "---|" * 7)
    for r in rows:
        ours, numpy_t, torch_t = r["ours"], r.get("numpy"), r.get("torch")
        vs_np = f"{ours / numpy_t:.2f}x" if numpy_t else "-"
        vs_torch = f"{ours / torch_t:.2f}x" if torch_t else "-"
        print(
            f"| {r['name']} | {_fmt(ours)} | {_fmt(numpy_t)} | {vs_np} | {_fmt(torch_t)} | {vs_torch} | {r.get('target', '')} |"
        )
