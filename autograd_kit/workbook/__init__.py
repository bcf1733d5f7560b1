"""Exercises that check themselves, for the workbook notebooks (``check = exercises("02")``).

In a notebook: ``check = exercises("02")``, then ``check.chain_rule(my_grad)`` says right, or
what is wrong (shapes differ, sign flipped, a factor off, ``.grad`` accumulated...);
``check.hint("chain_rule")`` prints the next hint and ``check.solution("chain_rule")`` one
answer. Checkers read values and call the learner's functions with their own inputs; they
never run code given as text. Only the core package is imported (no widgets).
"""

from __future__ import annotations

import importlib

from ._exercise import Exercise, ExerciseSet, Verdict, Wrong
from .learner_copy import learner_copy

__all__ = ["exercises", "learner_copy", "Exercise", "ExerciseSet", "Verdict", "Wrong", "NOTEBOOKS"]

NOTEBOOKS = ("01", "02", "03", "04", "05", "06")


def exercises(notebook: str | int) -> ExerciseSet:
    """The exercises of a workbook notebook, by number (``"02"`` or ``2``), with fresh hint counters."""
    key = f"{int(notebook):02d}" if str(notebook).isdigit() else str(notebook)
    if key not in NOTEBOOKS:
        raise ValueError(f"exercises: no notebook {notebook!r}; the workbook has {', '.join(NOTEBOOKS)}")
    return importlib.import_module(f"{__name__}.nb{key}").exercises()
