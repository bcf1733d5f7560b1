"""Run one notebook with nbclient and print a JSON summary; tests/notebooks/test_binder.py runs
this file with the interpreter of a fresh virtual environment built from binder/requirements.txt.

It uses only what that environment has (nbformat and nbclient come with JupyterLab), and adds
one last cell that reports which interpreter and which autograd_kit the kernel actually used.

    python tests/helpers/binder_notebook.py NOTEBOOK.ipynb
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

RAISES_MARKER = "# NBVAL_RAISES_EXCEPTION"
PROBE = "import sys, autograd_kit\nprint(sys.prefix)\nprint(autograd_kit.__file__)"


def marked_raises(source: str) -> bool:
    """Whether a cell carries the NBVAL_RAISES_EXCEPTION marker as a whole line."""
    return RAISES_MARKER in (line.strip() for line in source.splitlines())


def summarize(nb: nbformat.NotebookNode) -> dict:
    """Errors outside marked cells, marked cells that did not raise, unexecuted cells, the probe."""
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    unexpected, silent, not_run, widgets = [], [], [], 0
    for i, cell in code[:-1]:
        errors = [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]
        if marked_raises(cell.source):
            silent += [] if errors else [i]
        elif errors:
            unexpected.append({"cell": i, "errors": errors})
        if cell.execution_count is None and cell.source.strip():
            not_run.append(i)
        widgets += sum("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in cell.outputs)
    probe = "".join(o.get("text", "") for o in code[-1][1].outputs if o.output_type == "stream")
    return {
        "unexpected_errors": unexpected,
        "marked_but_silent": silent,
        "not_run": not_run,
        "widget_outputs": widgets,
        "probe": probe.splitlines(),
    }


def main(path: str) -> None:
    """Execute the notebook in its own folder with the ``python3`` kernel and print the summary."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    # allow_errors: intended errors (marked cells) must not stop the run; they are judged above
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    client.execute()
    print(json.dumps(summarize(nb)))


if __name__ == "__main__":
    main(sys.argv[1])
