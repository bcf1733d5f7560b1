"""Benchmark the profiler's cost: nothing measurable when idle, a small per-op cost when on.

Runs a chain of tiny ops (alternating ``* c`` and ``+ c`` on a 0-d float32 tensor) forward and
backward, and reports:

1. the chain with the profiler hook checks removed ("absent": the specialised apply of ``*`` and
   ``+`` (``fast_apply.specialise``) and the engine's ``execute`` recompiled from their source
   without the op-hook/node-hook check, and verified to record nothing under a profile)
   against the shipped code with the hooks present but inactive; the difference should be < 3%;
2. the cost per op and per backward node inside ``profile()`` (wall clock, and with
   ``record_shapes`` + ``profile_memory``).

Rounds are interleaved so that drift on a busy machine hits every variant alike; the garbage
collector is run before and paused during each timed chain (as ``timeit`` does); medians.

Usage: ``python benchmarks/bench_profiler.py [--ops 1000] [--repeats 41]``
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import inspect
import re
import statistics
import textwrap
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

import autograd_kit as torch
from autograd_kit._tensor.tensor import Tensor, wrap_array
from autograd_kit.graph import engine, fast_apply
from autograd_kit.ops.arithmetic import Add, Mul

__all__ = ["main"]


def _strip(fn: Callable, patterns: list[tuple[str, str]]) -> Callable:
    """Recompile ``fn`` from its source with the hook check removed (same globals otherwise)."""
    src = textwrap.dedent(inspect.getsource(fn))
    stripped = src
    for pattern, repl in patterns:
        stripped = re.sub(pattern, repl, stripped)
    if stripped == src:
        raise RuntimeError(f"cannot build the hook-free baseline: no hook check found in {fn.__qualname__}")
    namespace = dict(fn.__globals__)
    exec(compile(stripped, f"<{fn.__qualname__} without hook>", "exec"), namespace)
    return namespace[fn.__name__]


_APPLY_CHECK = [
    (r"\n[ \t]*if switches\.op_hook is not None[^\n]*:\n[ \t]*return switches\.op_hook\([^\n]*", "")
]
# The engine checks the hook once per backward call, choosing its plain loop when none is set.
_NODE_CHECK = [(r"\n[ \t]*and SWITCHES\.node_hook is None", "")]


_BARE: dict[str, Callable] = {}
# The chain's operators and the op classes whose specialised apply they are.
_OPERATORS = {"__mul__": Mul, "__add__": Add}


@contextlib.contextmanager
def hooks_absent() -> Iterator[None]:
    """Run with the chain's operators and the engine loop rebuilt without their profiler checks."""
    execute = engine._execute
    if not _BARE:  # compiled once: fresh code objects would start cold every round
        specialise = _strip(fast_apply.specialise, _APPLY_CHECK)
        for name, cls in _OPERATORS.items():
            _BARE[name] = specialise(cls)
        _BARE["execute"] = _strip(execute, _NODE_CHECK)
    shipped = {name: Tensor.__dict__[name] for name in _OPERATORS}
    try:
        for name in _OPERATORS:
            setattr(Tensor, name, _BARE[name])
        engine._execute = _BARE["execute"]
        yield
    finally:
        for name, fn in shipped.items():
            setattr(Tensor, name, fn)
        engine._execute = execute


def _verify_absent() -> None:
    """Prove the baseline really lacks the checks: a profile around it must record nothing."""
    with hooks_absent(), torch.autograd.profiler.profile() as prf:
        x = wrap_array(np.array(1.0, dtype=np.float32)).requires_grad_()
        (x * 2.0 + 1.0).backward()
    if len(prf.events()):
        raise RuntimeError(
            f"the hook-free baseline still reaches the profiler: {[e.name for e in prf.events()]}"
        )


def chain(n_ops: int) -> tuple[float, float]:
    """Seconds for ``n_ops`` tiny ops forward, then for their backward."""
    x = wrap_array(np.array(1.0, dtype=np.float32)).requires_grad_()
    t0 = time.perf_counter()
    y = x
    for _ in range(n_ops // 2):
        y = y * 1.0001
        y = y + 0.0001
    t1 = time.perf_counter()
    y.backward()
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def _measure(variants: dict[str, Callable[[], Any]], n_ops: int, repeats: int) -> dict[str, list]:
    times: dict[str, list] = {name: [] for name in variants}
    for _ in range(repeats):
        for name, context in variants.items():
            gc.collect()  # garbage from the previous variant (a profile's events) is not ours
            gc.disable()
            try:
                with context():
                    times[name].append(chain(n_ops))
            finally:
                gc.enable()
    return times


def main() -> None:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=1000, help="ops in the chain (default 1000)")
    parser.add_argument("--repeats", type=int, default=41, help="rounds per variant (default 41)")
    args = parser.parse_args()
    n_ops = args.ops - args.ops % 2

    def profiled(**kw: Any) -> Callable[[], Any]:
        return lambda: torch.autograd.profiler.profile(**kw)

    variants = {
        "hooks absent": hooks_absent,
        "hooks present, inactive": contextlib.nullcontext,
        "profile()": profiled(),
        "profile(record_shapes, profile_memory)": profiled(record_shapes=True, profile_memory=True),
    }
    _verify_absent()
    _measure(variants, n_ops, 3)  # warm-up
    times = _measure(variants, n_ops, args.repeats)
    med = {k: [statistics.median(t[i] for t in v) for i in (0, 1)] for k, v in times.items()}
    total = {k: statistics.median(f + b for f, b in v) for k, v in times.items()}

    base, present = times["hooks absent"], times["hooks present, inactive"]
    ratios = [(pf + pb) / (af + ab) for (af, ab), (pf, pb) in zip(base, present)]
    diff = (statistics.median(ratios) - 1) * 100
    print(
        f"{n_ops} tiny ops forward + backward ({n_ops} nodes + 1 AccumulateGrad), {args.repeats} rounds, medians\n"
    )
    print(f"{'variant':<40} {'forward':>10} {'backward':>10} {'total':>10}")
    for name in variants:
        f, b = med[name]
        print(f"{name:<40} {f * 1e3:>8.3f}ms {b * 1e3:>8.3f}ms {total[name] * 1e3:>8.3f}ms")
    verdict = "OK (< 3%)" if abs(diff) < 3 else "OVER 3%"
    print(f"\nidle hooks vs no hooks: {diff:+.2f}% (median of per-round ratios) -> {verdict}\n")

    idle_f, idle_b = med["hooks present, inactive"]
    print(f"{'inside profile':<40} {'per op':>10} {'per node':>10}")
    for name in ("profile()", "profile(record_shapes, profile_memory)"):
        f, b = med[name]
        per_op = (f - idle_f) / n_ops * 1e6
        per_node = (b - idle_b) / (n_ops + 1) * 1e6
        print(f"{name:<40} {per_op:>8.2f}us {per_node:>8.2f}us")
    print(
        f"{'(idle cost of the same op / node)':<40} {idle_f / n_ops * 1e6:>8.2f}us {idle_b / (n_ops + 1) * 1e6:>8.2f}us"
    )


if __name__ == "__main__":
    main()
