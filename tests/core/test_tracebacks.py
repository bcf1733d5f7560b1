"""Errors a learner triggers show, in IPython and Jupyter, only the learner's frames and the message.

Plain Python keeps every frame; in IPython ``%xmode Verbose`` shows the library frames; an error
raised in the learner's own code called by the library (a hook) keeps all frames. The IPython
cases run in a subprocess so that no InteractiveShell singleton leaks into the other tests.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import autograd_kit as ak
from autograd_kit._tracebacks import learner_traceback

CELLS = {
    "leaf": "a = torch.ones(3, requires_grad=True)\ndef f():\n    a.sin_()\nf()",
    "twice": "b = (torch.ones(2, requires_grad=True) * 2).sum()\nb.backward()\nb.backward()",
    "shape": "torch.ones(3) + torch.ones(2)",
    "hook": (
        "x = torch.ones(2, requires_grad=True)\ndef bad_hook(g):\n    raise ValueError('from my hook')\n"
        "x.register_hook(bad_hook)\n(x * 2).sum().backward()"
    ),
    "verbose": "%xmode Verbose\na.sin_()",
}


def _ipython(cells: dict[str, str]) -> dict[str, str]:
    script = textwrap.dedent(
        """
        import sys
        from IPython.core.interactiveshell import InteractiveShell
        shell = InteractiveShell.instance(colors="nocolor")
        shell.run_cell("import autograd_kit as torch")
        for name, cell in CELLS.items():
            print("=====", name)
            shell.run_cell(cell)
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", f"CELLS = {cells!r}\n{script}"], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    parts = run.stdout.split("===== ")[1:]
    return {p.split("\n", 1)[0]: p.split("\n", 1)[1] for p in parts}


@pytest.fixture(scope="module")
def shown() -> dict[str, str]:
    return _ipython(CELLS)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("leaf", "RuntimeError: a leaf Variable that requires grad is being used in an in-place operation."),
        ("twice", "RuntimeError: Trying to backward through the graph a second time"),
        ("shape", "RuntimeError: The size of tensor a (3) must match the size of tensor b (2)"),
    ],
)
def test_ipython_shows_the_learners_lines_and_the_message_only(shown, cell, message):
    text = shown[cell]
    assert message in text
    assert "autograd_kit" not in text and "File " not in text, text
    assert "Cell In[" in text


def test_the_learners_own_frames_stay(shown):
    assert "in f()" in shown["leaf"] and "a.sin_()" in shown["leaf"]


def test_an_error_in_the_learners_hook_keeps_every_frame(shown):
    text = shown["hook"]
    assert "ValueError: from my hook" in text and "bad_hook" in text
    assert "autograd_kit" in text  # the library frames between the call and the hook are context here


def test_xmode_verbose_shows_the_library_frames(shown):
    assert "ops/inplace.py" in shown["verbose"]


def test_plain_python_keeps_the_library_frames():
    code = "import autograd_kit as torch\ntorch.ones(3, requires_grad=True).sin_()"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "a leaf Variable that requires grad" in run.stderr
    assert "ops/inplace.py" in run.stderr


def test_learner_traceback_trims_a_new_chain_and_leaves_the_exception_alone():
    a = ak.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError) as info:
        a.sin_()
    full = info.value.__traceback__
    trimmed = learner_traceback(full)
    frames, tb = [], trimmed
    while tb is not None:
        frames.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    assert frames == ["test_learner_traceback_trims_a_new_chain_and_leaves_the_exception_alone"]
    depth, tb = 0, full
    while tb is not None:
        depth, tb = depth + 1, tb.tb_next
    assert depth > 1  # the exception's own traceback still has the library frames
    assert learner_traceback(None) is None


def test_a_jupyter_kernel_sends_the_short_traceback_that_notebooks_store():
    """What a live run shows is what regenerate_notebooks.py stores: the cell's frame and the error."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import autograd_kit as torch\na = torch.ones(3, requires_grad=True)"),
        nbformat.v4.new_code_cell("a.sin_()"),
    ]
    nbclient.NotebookClient(nb, kernel_name="python3", timeout=60, allow_errors=True).execute()
    (error,) = nb.cells[1].outputs
    assert error["ename"] == "RuntimeError"
    frames = [line for line in error["traceback"] if "Cell" in line or "File" in line]
    assert len(frames) == 1 and "Cell" in frames[0] and "autograd_kit" not in "".join(error["traceback"])
