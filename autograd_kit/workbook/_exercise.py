"""The exercise machinery: an exercise, a notebook's set of them, hints in steps and verdicts.

A checker is a function of the learner's answer that returns ``None`` when the answer is right
and otherwise raises :class:`Wrong` with what is wrong. Checkers only read values and call the
learner's functions; nothing here runs code from a string. An error the learner's own function
raises while being checked becomes a verdict too, naming the error, instead of a traceback.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Wrong", "Verdict", "Exercise", "ExerciseSet"]


class Wrong(Exception):
    """Raised by a checker: the answer is not right; the message says why."""


@dataclass(frozen=True)
class Verdict:
    """The result of a check: ``ok`` and a message. Truthy when the answer is right."""

    exercise: str
    ok: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        if self.ok:
            return f"✔ {self.exercise}: right. {self.message}".rstrip()
        return (
            f"✘ {self.exercise}: not yet. {self.message}\n"
            f"  (check.hint({self.exercise!r}) gives a hint, check.solution({self.exercise!r}) an answer)"
        )

    def _repr_html_(self) -> str:
        color, background = ("#1b5e20", "#e8f5e9") if self.ok else ("#b00020", "#fdecea")
        lines = html.escape(repr(self)).replace("\n", "<br>")
        return (
            f'<div style="color:{color};background:{background};padding:4px 8px;'
            f'font-family:monospace;white-space:pre-wrap">{lines}</div>'
        )


@dataclass(frozen=True)
class Exercise:
    """One exercise: its name, level, prompt, checker, hints in order, and one solution."""

    name: str
    level: str
    prompt: str
    checker: Callable[[Any], str | None]
    hints: Sequence[str]
    solution: str


class ExerciseSet:
    """A notebook's exercises: ``check.<name>(answer)`` checks, ``check.hint(name)`` hints."""

    def __init__(self, notebook: str, exercises: Sequence[Exercise]) -> None:
        self.notebook = notebook
        self._exercises = {e.name: e for e in exercises}
        self._hints_given: dict[str, int] = {}
        self._last: str | None = None

    @property
    def names(self) -> list[str]:
        """The exercise names, in order."""
        return list(self._exercises)

    def exercise(self, name: str) -> Exercise:
        """The exercise called ``name`` (a ValueError names the exercises there are)."""
        if name not in self._exercises:
            raise ValueError(
                f"notebook {self.notebook} has no exercise {name!r}; its exercises are: {', '.join(self._exercises)}"
            )
        return self._exercises[name]

    def check(self, name: str, answer: Any) -> Verdict:
        """Check ``answer`` to exercise ``name``: right, or what is wrong."""
        exercise = self.exercise(name)
        self._last = name
        if answer is Ellipsis:
            return Verdict(name, False, "no answer yet: replace the ... with yours.")
        try:
            praise = exercise.checker(answer)
        except Wrong as wrong:
            return Verdict(name, False, str(wrong))
        except Exception as exc:  # the learner's function raised while being called
            return Verdict(name, False, f"your code raised {type(exc).__name__}: {exc}")
        return Verdict(name, True, praise or "")

    def hint(self, name: str | None = None) -> None:
        """Print the next hint for ``name`` (default: the exercise checked last)."""
        name = self._default(name)
        hints = self.exercise(name).hints
        given = self._hints_given.get(name, 0)
        if given >= len(hints):
            print(f"No more hints for {name!r}: check.solution({name!r}) shows an answer.")
            return
        self._hints_given[name] = given + 1
        print(f"Hint {given + 1} of {len(hints)} for {name!r}: {hints[given]}")

    def solution(self, name: str | None = None) -> None:
        """Print one answer to ``name`` (default: the exercise checked last)."""
        name = self._default(name)
        print(f"One answer to {name!r}:\n{self.exercise(name).solution}")

    def _default(self, name: str | None) -> str:
        if name is not None:
            return name
        return self._last if self._last is not None else self.names[0]

    def __getattr__(self, name: str) -> Callable[[Any], Verdict]:
        # check.chain_rule(answer) reads better in a notebook than check.check("chain_rule", answer)
        exercises = self.__dict__.get("_exercises", {})
        if name not in exercises:
            raise AttributeError(f"notebook {self.__dict__.get('notebook')} has no exercise {name!r}")
        return lambda answer: self.check(name, answer)

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *self._exercises]

    def __repr__(self) -> str:
        rows = [f"  {e.name:22} ({e.level}) {e.prompt}" for e in self._exercises.values()]
        return f"Exercises of notebook {self.notebook}:\n" + "\n".join(rows)
