"""Every notebook ends as a workbook: 3-6 exercises with folded answer cells whose stored verdict is
"right" (nbval re-runs them, so a broken checker or answer fails the tests), then a recap and a
link to the next notebook. Notebook 2 works the chain rule by hand and confirms it with the stepper.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from autograd_kit.workbook import exercises

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
CHECK_CALL = re.compile(r"^check\.(\w+)\((\w+)\)$")


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _plain(cell: dict) -> str:
    return "".join("".join(o.get("data", {}).get("text/plain", "")) for o in cell["outputs"] if "data" in o)


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def nb(request) -> tuple[str, list[dict]]:
    return request.param.name, json.loads(request.param.read_text(encoding="utf-8"))["cells"]


def test_exercises_come_last_with_a_solved_checked_answer_each(nb):
    name, cells = nb
    start = next(i for i, c in enumerate(cells) if _source(c).startswith("## Exercises"))
    section = cells[start:]
    setup = next(c for c in section if c["cell_type"] == "code")
    assert f'check = exercises("{name[:2]}")' in _source(setup)
    checks = [(c, CHECK_CALL.match(_source(c))) for c in section if c["cell_type"] == "code"]
    checked = [(c, m) for c, m in checks if m]  # check.x(name); the wrong-answer demo passes a lambda
    names = [m.group(1) for _, m in checked]
    assert names == exercises(name[:2]).names, "one check cell per exercise, in order"
    assert 3 <= len(names) <= 6
    for cell, match in checked:
        assert _plain(cell).startswith(f"✔ {match.group(1)}: right."), _plain(cell)
        answer = section[section.index(cell) - 1]
        assert answer["cell_type"] == "code" and "solution" in answer["metadata"].get("tags", [])
        assert answer["metadata"]["jupyter"]["source_hidden"] is True, "answers are folded away"
        assert re.search(rf"\b{match.group(2)}\b", _source(answer)), "the answer cell defines what is checked"


def test_the_last_cell_is_a_recap_with_a_link_onward(nb):
    name, cells = nb
    last = cells[-1]
    assert last["cell_type"] == "markdown" and _source(last).startswith("## Recap")
    position = [p.name for p in NOTEBOOKS].index(name)
    onward = NOTEBOOKS[position + 1].name if position + 1 < len(NOTEBOOKS) else "README.md"
    assert f"]({onward})" in _source(last)


def test_notebook_2_works_the_chain_rule_by_hand_and_confirms_it_with_the_stepper():
    cells = json.loads(NOTEBOOKS[1].read_text(encoding="utf-8"))["cells"]
    at = next(i for i, c in enumerate(cells) if _source(c).startswith("## The chain rule, by hand"))
    assert "| `SinBackward0` | b = sin(a) | ∂b/∂a = cos(a) | 2 · cos(a) |" in _source(cells[at])
    confirm = cells[at + 1]
    assert "stepper.steps" in _source(confirm)
    printed = "".join("".join(o["text"]) for o in confirm["outputs"] if o["output_type"] == "stream")
    assert printed.count("as by hand: True") == 4 and "a.grad = 2 cos(a): True" in printed
    assert "False" not in printed


def test_the_topics_tutorial_users_ask_about_are_covered():
    def code(index: int) -> str:
        cells = json.loads(NOTEBOOKS[index].read_text(encoding="utf-8"))["cells"]
        return "\n".join(_source(c) for c in cells if c["cell_type"] == "code")

    assert ".register_hook(" in code(1)
    assert "torch.inference_mode()" in code(3) and "model.eval()" in code(3) and "torch.no_grad()" in code(3)
    real = [c for c in code(4).split("# NBVAL_IGNORE_OUTPUT")[1:] if "optimizer.step()" in c]
    assert real and "ProfilerView(" in real[0] and 'clock="counter"' not in real[0]
