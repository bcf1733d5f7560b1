"""Testing helpers for users' own notebooks: the nbval sanitize file that masks what changes per run.

Notebooks that print ``grad_fn`` reprs (``<MulBackward0 object at 0x7f...>``) or profiler tables
(wall-clock times and percentages) produce different text on every run, so ``pytest --nbval``
fails on them the second time. ``SANITIZE_FILE`` masks exactly those::

    pytest --nbval --nbval-sanitize-with "$(python -m autograd_kit.testing)" notebooks/

Profiler rows sorted by a time (``sort_by="self_cpu_time_total"``) may also change order from
run to run; sort by ``"count"`` in a tested notebook, or profile with ``clock="counter"``.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["SANITIZE_FILE", "sanitize_file"]

SANITIZE_FILE = Path(__file__).resolve().with_name("nbval_sanitize.cfg")


def sanitize_file() -> str:
    """The path of the nbval sanitize file, as a string for ``--nbval-sanitize-with``."""
    return str(SANITIZE_FILE)


if __name__ == "__main__":
    sys.stdout.write(sanitize_file() + "\n")
