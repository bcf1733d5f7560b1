"""autograd_kit.testing's sanitize file lets nbval pass twice in a row on a learner's own notebook
that prints grad_fn reprs (addresses) and a profiler table with real wall-clock times."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

from autograd_kit.testing import SANITIZE_FILE, sanitize_file

CELLS = [
    "import autograd_kit as torch\n"
    "x = torch.ones(3, requires_grad=True)\n"
    "y = (x * 2).sin()\n"
    "print(y.grad_fn)\n"
    "print(y.grad_fn.next_functions)",
    "with torch.autograd.profiler.profile() as prof:  # real wall-clock times\n"
    "    for _ in range(300):\n"
    "        z = torch.sin(x) * 2\n"
    'print(prof.key_averages().table(sort_by="count"))',
]


@pytest.fixture(scope="module")
def notebook(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("learner")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbclient.NotebookClient(nb, kernel_name="python3", timeout=60).execute()
    path = folder / "mine.ipynb"
    nbformat.write(nb, path)
    (folder / "pytest.ini").write_text("[pytest]\n")  # not this repository's configuration
    return path


def _nbval(path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
         *extra, path.name],
        cwd=path.parent, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_file_is_shipped_in_the_package_and_printed_by_the_module():
    assert SANITIZE_FILE.is_file() and SANITIZE_FILE.parent.name == "autograd_kit"
    run = subprocess.run([sys.executable, "-m", "autograd_kit.testing"], capture_output=True, text=True)
    assert run.stdout.strip() == sanitize_file()


def test_the_notebook_really_prints_addresses_and_times(notebook):
    text = notebook.read_text()
    assert "object at 0x" in text and "Self CPU time total:" in text
    assert _nbval(notebook).returncode != 0, "without the sanitize file nbval should fail on this notebook"


def test_nbval_passes_twice_in_a_row_with_the_sanitize_file(notebook):
    for _ in range(2):
        run = _nbval(notebook, "--nbval-sanitize-with", sanitize_file())
        assert run.returncode == 0, run.stdout[-3000:]
        assert "2 passed" in run.stdout
