"""Benchmark: one SGD training step of a 784-256-128-10 ReLU MLP with cross-entropy (float32).

Compares autograd_kit (``nn.Sequential`` + ``CrossEntropyLoss`` + ``optim.SGD``) with the same
step written by hand in NumPy, and with PyTorch when it is importable, all on one BLAS thread,
interleaved in the same run. Also checks that memory stays flat over 200 steps.

Run: ``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_mlp.py``
"""

from __future__ import annotations

import os

# Before NumPy is imported: BLAS reads these once, at load time.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import gc  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable  # noqa: E402
from types import ModuleType  # noqa: E402

import numpy as np  # noqa: E402

import autograd_kit as ak  # noqa: E402

try:
    import torch  # noqa: E402

    torch.set_num_threads(1)
except ImportError:  # PyTorch is only a reference point
    torch = None

SIZES = (784, 256, 128, 10)
LR = 0.01


def make_weights(seed: int = 0) -> list[np.ndarray]:
    """PyTorch-style U(-1/sqrt(in), 1/sqrt(in)) weights and biases, shared by every contender."""
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        bound = 1 / np.sqrt(fan_in)
        params.append(rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32))
        params.append(rng.uniform(-bound, bound, fan_out).astype(np.float32))
    return params


def numpy_step_fn(params: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> Callable[[], float]:
    """The hand-written step: forward, log-softmax cross-entropy, backward, SGD update."""
    w1, b1, w2, b2, w3, b3 = params
    rows = np.arange(x.shape[0])

    def step() -> float:
        h1 = x @ w1.T + b1
        a1 = np.maximum(h1, 0)
        h2 = a1 @ w2.T + b2
        a2 = np.maximum(h2, 0)
        z = a2 @ w3.T + b3
        m = z.max(axis=1, keepdims=True)
        logp = z - (np.log(np.exp(z - m).sum(axis=1, keepdims=True)) + m)
        loss = -logp[rows, y].mean()
        g = np.exp(logp)
        g[rows, y] -= 1
        g /= x.shape[0]
        gw3, gb3, ga2 = g.T @ a2, g.sum(0), g @ w3
        ga2 *= h2 > 0
        gw2, gb2, ga1 = ga2.T @ a1, ga2.sum(0), ga2 @ w2
        ga1 *= h1 > 0
        gw1, gb1 = ga1.T @ x, ga1.sum(0)
        for p, gp in ((w1, gw1), (b1, gb1), (w2, gw2), (b2, gb2), (w3, gw3), (b3, gb3)):
            p -= LR * gp
        return float(loss)

    return step


def _library_step_fn(
    lib: ModuleType, params: list[np.ndarray], x: np.ndarray, y: np.ndarray
) -> Callable[[], float]:
    """The step as a PyTorch user writes it, run by ``lib``: autograd_kit and torch share the code."""
    nn = lib.nn
    model = nn.Sequential(
        nn.Linear(SIZES[0], SIZES[1]),
        nn.ReLU(),
        nn.Linear(SIZES[1], SIZES[2]),
        nn.ReLU(),
        nn.Linear(SIZES[2], SIZES[3]),
    )
    with lib.no_grad():
        for p, value in zip(model.parameters(), params):
            p.copy_(lib.from_numpy(value))
    loss_fn = nn.CrossEntropyLoss()
    opt = lib.optim.SGD(model.parameters(), lr=LR)
    xt, yt = lib.from_numpy(x), lib.from_numpy(y)

    def step() -> float:
        opt.zero_grad()
        loss = loss_fn(model(xt), yt)
        loss.backward()
        opt.step()
        return loss.item()

    return step


def ak_step_fn(params: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> Callable[[], float]:
    """The same step with autograd_kit, written as a PyTorch user would."""
    return _library_step_fn(ak, params, x, y)


def torch_step_fn(params: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> Callable[[], float]:
    """The same step in PyTorch eager (reference only)."""
    return _library_step_fn(torch, params, x, y)


def make_batch(seed: int, batch: int) -> tuple[np.ndarray, np.ndarray]:
    """A float32 input batch and its int64 class labels, from ``seed``."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, SIZES[0])).astype(np.float32)
    return x, rng.integers(0, SIZES[-1], batch)


def time_interleaved(
    steps: dict[str, Callable], rounds: int, per_round: int
) -> dict[str, tuple[float, float]]:
    """Median (wall, thread-CPU) seconds per step. Contenders alternate in short blocks so drift hits
    all alike; CPU time counts only what the step itself ran (robust when other processes compete)."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in steps}
    for fn in steps.values():
        for _ in range(10):
            fn()
    for _ in range(rounds):
        for name, fn in steps.items():
            for _ in range(per_round):
                w0, c0 = time.perf_counter(), time.thread_time()
                fn()
                samples[name].append((time.perf_counter() - w0, time.thread_time() - c0))
    return {
        name: (statistics.median(w for w, _ in s), statistics.median(c for _, c in s))
        for name, s in samples.items()
    }


def check_losses_agree(batch: int) -> float:
    """autograd_kit and hand-written NumPy must follow the same trajectory (same init, same data)."""
    x, y = make_batch(1, batch)
    a, b = numpy_step_fn(make_weights(), x, y), ak_step_fn(make_weights(), x, y)
    losses = [(a(), b()) for _ in range(20)]
    return max(abs(p - q) / abs(p) for p, q in losses)


def memory_profile(batch: int, steps: int = 200) -> tuple[list[int], list[int]]:
    """Traced bytes alive after each step and the peak of each half of the run (NumPy reports its
    buffers to tracemalloc): flat means no graph or gradient outlives its step."""
    x, y = make_batch(2, batch)
    step = ak_step_fn(make_weights(), x, y)
    for _ in range(5):
        step()
    gc.collect()
    tracemalloc.start()
    alive, peaks = [], []
    for _ in range(2):
        tracemalloc.reset_peak()
        for _ in range(steps // 2):
            step()
            alive.append(tracemalloc.get_traced_memory()[0])
        peaks.append(tracemalloc.get_traced_memory()[1])
    tracemalloc.stop()
    return alive, peaks


def main(argv: list[str]) -> None:
    """Print the timing table, the trajectory check and the memory check."""
    quick = "--quick" in argv
    rounds, per_round = (5, 10) if quick else (15, 20)
    print(
        f"numpy {np.__version__}, one BLAS thread; torch: {torch.__version__ if torch else 'not installed'}"
    )
    header = f"{'batch':>5}  {'clock':>5}  {'numpy ms':>9}  {'autograd_kit ms':>15}  {'ak/numpy':>8}"
    header += f"  {'torch ms':>9}  {'ak/torch':>8}" if torch else ""
    print(header)
    for batch in (32, 128, 1024):
        x, y = make_batch(0, batch)
        steps = {"numpy": numpy_step_fn(make_weights(), x, y), "ak": ak_step_fn(make_weights(), x, y)}
        if torch:
            steps["torch"] = torch_step_fn(make_weights(), x, y)
        med = time_interleaved(steps, rounds, per_round)
        for k, clock in enumerate(("wall", "cpu")):
            t = {name: v[k] for name, v in med.items()}
            line = f"{batch:>5}  {clock:>5}  {t['numpy'] * 1e3:>9.3f}  {t['ak'] * 1e3:>15.3f}  {t['ak'] / t['numpy']:>7.2f}x"
            if torch:
                line += f"  {t['torch'] * 1e3:>9.3f}  {t['ak'] / t['torch']:>7.2f}x"
            print(line)
    print(
        f"loss trajectory vs NumPy over 20 steps (batch 128): max relative difference {check_losses_agree(128):.1e}"
    )
    alive, peaks = memory_profile(128)
    print(
        f"memory over 200 steps (batch 128): alive after step 10 {alive[9] / 1e6:.2f} MB, after step 200 "
        f"{alive[-1] / 1e6:.2f} MB; peak in steps 1-100 {peaks[0] / 1e6:.2f} MB, in steps 101-200 "
        f"{peaks[1] / 1e6:.2f} MB; objects left in reference cycles: {gc.collect()}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
