"""learner_copy(): the learner's version of a workbook notebook has blank answers and no outputs,
and each blank answer gets 'not yet' from its checker (so nothing is given away or pre-checked)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import autograd_kit as ak
from autograd_kit.workbook import exercises
from autograd_kit.workbook.learner_copy import blank_answer, learner_copy

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def test_blank_answer_keeps_signatures_and_names():
    assert blank_answer("def f(x, y=2):\n    return x * y") == "def f(x, y=2):\n    ...  # your answer"
    assert blank_answer("x = torch.tensor(3.)\n(g,) = 1, \nanswer = g") == (
        "x = ...  # your answer\n\ng = ...  # your answer\n\nanswer = ...  # your answer"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_learner_copy_blanks_every_answer_and_each_blank_is_not_yet_right(path, tmp_path):
    copy = json.loads(learner_copy(path, tmp_path / path.name).read_text(encoding="utf-8"))
    code = [c for c in copy["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    answers = [c for c in code if "solution" in c["metadata"].get("tags", [])]
    check = exercises(path.name[:2])
    assert len(answers) == len(check.names)
    for cell, name in zip(answers, check.names):
        assert "# your answer" in cell["source"] and "source_hidden" not in cell["metadata"].get(
            "jupyter", {}
        )
        scope = {"torch": ak}
        exec(cell["source"], scope)  # the package's own skeleton text, not a learner's
        value = list(scope.values())[-1]
        assert not check.check(name, value).ok, (path.name, name)
