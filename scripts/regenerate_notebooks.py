#!/usr/bin/env python
"""Execute every notebook in ``notebooks/`` in place and store outputs that are byte-stable.

    .venv/bin/python scripts/regenerate_notebooks.py            # all notebooks
    .venv/bin/python scripts/regenerate_notebooks.py 03 05      # those whose name starts so

Each notebook runs top to bottom in a fresh ``python3`` kernel (this interpreter), with
``notebooks/`` as the working directory and a fixed timeout per cell. A cell that raises stops
the run unless it is marked ``# NBVAL_RAISES_EXCEPTION`` (the error output then is stored, and
nbval compares it); such cells also get the ``raises-exception`` tag, without which JupyterLab's
Run All would stop at them. Afterwards, what would differ from one run to the next is normalised, so
that running the script twice with nothing changed gives byte-identical files:

- widget model ids in ``application/vnd.jupyter.widget-view+json`` outputs become a counter per
  notebook (``<notebook stem>-<n>`` hashed to 32 hex digits), and ``metadata.widgets`` (the
  saved widget state) is not stored;
- memory addresses (``0x7f...``, the very pattern ``notebooks/sanitize.cfg`` masks for nbval)
  become fake addresses numbered in order of first appearance, so that one object keeps one
  address within a notebook (``c.grad_fn`` and the node reached through ``next_functions``
  still print the same address);
- consecutive stream outputs of one stream are merged (how print calls are split into messages
  depends on timing);
- tracebacks keep the frames of the notebook's cells and the error line, not the library frames
  (which change with every edit of the library), and never an absolute path; a live run shows no
  library frames either (``autograd_kit/_tracebacks.py``), so this only guards other errors;
- no timing metadata (``record_timing`` is off); the notebook metadata is reduced to the
  kernelspec (``python3``) and a version-free ``language_info``;
- a cell marked ``# NBVAL_IGNORE_OUTPUT`` (wall-clock timings) keeps its stored output when its
  source has not changed; ``--refresh-ignored`` stores fresh output for them too.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
KERNEL_NAME = "python3"
CELL_TIMEOUT = 120  # seconds per cell; each notebook as a whole must run in under 30 s
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,16}\b")  # the same regex as notebooks/sanitize.cfg
IGNORE_MARKER = "# NBVAL_IGNORE_OUTPUT"
RAISES_MARKER = "# NBVAL_RAISES_EXCEPTION"
RAISES_TAG = "raises-exception"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO_KEYS = (
    "name",
    "codemirror_mode",
    "file_extension",
    "mimetype",
    "nbconvert_exporter",
    "pygments_lexer",
)
# only text is rewritten; images and widget JSON are left alone (base64 can look like an address)
TEXT_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex", "image/svg+xml")


def notebook_paths(prefixes: list[str]) -> list[Path]:
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    if prefixes:
        paths = [p for p in paths if any(p.name.startswith(pre) for pre in prefixes)]
    return paths


def has_marker(source: str, marker: str) -> bool:
    return any(line.strip() == marker for line in source.splitlines())


def execute(nb: nbformat.NotebookNode) -> None:
    """Run all cells in a fresh kernel; only cells marked NBVAL_RAISES_EXCEPTION may (and must) raise."""
    marked = [c for c in nb.cells if c.cell_type == "code" and has_marker(c.source, RAISES_MARKER)]
    for cell in marked:  # nbclient, and JupyterLab's Run All, carry on past a cell with this tag
        tags = cell.metadata.setdefault("tags", [])
        if RAISES_TAG not in tags:
            tags.append(RAISES_TAG)
    client = NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        record_timing=False,
        store_widget_state=False,
    )
    client.execute()
    for cell in marked:
        if not any(o.get("output_type") == "error" for o in cell.outputs):
            raise SystemExit(f"a cell marked {RAISES_MARKER} did not raise:\n{cell.source}")


class Normaliser:
    """Rewrites one notebook's outputs deterministically (state: the id and address numbering)."""

    def __init__(self, stem: str) -> None:
        self.stem = stem
        self.model_ids: dict[str, str] = {}
        self.addresses: dict[str, str] = {}
        self.path_rules = _path_rules()

    def model_id(self, real: str) -> str:
        if real not in self.model_ids:
            n = len(self.model_ids) + 1
            self.model_ids[real] = hashlib.md5(f"{self.stem}-{n}".encode()).hexdigest()
        return self.model_ids[real]

    def address(self, match: re.Match) -> str:
        real = match.group(0).lower()
        if real not in self.addresses:
            self.addresses[real] = f"0x7f{0xA0000000 + 0x40 * len(self.addresses):010x}"
        return self.addresses[real]

    def text(self, value, paths: bool = False):  # noqa: ANN001
        if isinstance(value, list):
            return [self.text(v, paths) for v in value]
        if not isinstance(value, str):
            return value
        value = ADDRESS.sub(self.address, value)
        if paths:
            for pattern, repl in self.path_rules:
                value = pattern.sub(repl, value)
        return value

    def outputs(self, outputs: list) -> list:
        merged: list = []
        for out in outputs:
            if (
                out.get("output_type") == "stream"
                and merged
                and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == out.get("name")
            ):
                merged[-1]["text"] += out["text"]
                continue
            merged.append(out)
        for out in merged:
            kind = out.get("output_type")
            if kind == "stream":
                out["text"] = self.text(out["text"])
            elif kind in ("display_data", "execute_result"):
                data = out.get("data", {})
                for mime in TEXT_MIMES:
                    if mime in data:
                        data[mime] = self.text(data[mime])
                view = data.get(WIDGET_MIME)
                if isinstance(view, dict) and "model_id" in view:
                    view["model_id"] = self.model_id(view["model_id"])
            elif kind == "error":
                out["evalue"] = self.text(out["evalue"], paths=True)
                # keep the notebook's own frames and the error line; library frames (their paths,
                # line numbers and source) would change the stored file with every library edit
                frames = [t for t in out["traceback"] if not ANSI.sub("", t).startswith("File ")]
                out["traceback"] = self.text(frames, paths=True)
        return merged


def _path_rules() -> list[tuple[re.Pattern, str]]:
    """Absolute paths in tracebacks -> relative ones (repository, site-packages, stdlib)."""
    rules = [(re.compile(r"(?:/[^\s:'\"\x1b]+)*/site-packages/"), "site-packages/")]
    for root, repl in ((REPO, ""), (Path(sys.base_prefix), "<python>/"), (Path(sys.prefix), "<venv>/")):
        rules.append((re.compile(re.escape(str(root).rstrip("/") + "/")), repl))
    rules.append((re.compile(r"/tmp/ipykernel_\d+/\d+\.py"), "<cell>"))
    return rules


def normalise(
    nb: nbformat.NotebookNode, stem: str, previous: nbformat.NotebookNode | None, refresh: bool
) -> None:
    norm = Normaliser(stem)
    old_by_source = {}
    if previous is not None and not refresh:
        for cell in previous.cells:
            if cell.cell_type == "code" and cell.source.startswith(IGNORE_MARKER) and cell.execution_count:
                old_by_source.setdefault(cell.source, cell.outputs)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("collapsed", None)
        kept = old_by_source.get(cell.source) if cell.source.startswith(IGNORE_MARKER) else None
        outputs = copy.deepcopy(kept) if kept is not None else cell.outputs
        cell.outputs = norm.outputs(outputs)
        for out in cell.outputs:
            if out.get("output_type") == "execute_result":
                out["execution_count"] = cell.execution_count
    info = nb.metadata.get("language_info", {})
    nb.metadata = nbformat.NotebookNode(
        kernelspec=nbformat.NotebookNode(KERNELSPEC),
        language_info=nbformat.NotebookNode({k: info[k] for k in LANGUAGE_INFO_KEYS if k in info}),
    )


def regenerate(path: Path, refresh: bool) -> float:
    previous = nbformat.read(path, as_version=4)
    nb = copy.deepcopy(previous)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    start = time.perf_counter()
    try:
        execute(nb)
    except CellExecutionError as exc:
        raise SystemExit(f"{path.name}: a cell raised without # NBVAL_RAISES_EXCEPTION:\n{exc}") from None
    elapsed = time.perf_counter() - start
    normalise(nb, path.stem, previous, refresh)
    nbformat.validate(nb)
    text = nbformat.writes(nb) + "\n"
    if path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("prefixes", nargs="*", help="only notebooks whose file name starts with one of these")
    parser.add_argument(
        "--refresh-ignored",
        action="store_true",
        help="also store fresh output for cells marked # NBVAL_IGNORE_OUTPUT (timings)",
    )
    args = parser.parse_args(argv)
    os.environ.pop("MPLBACKEND", None)  # %matplotlib inline must produce the stored images
    os.environ["PYTHONHASHSEED"] = "0"  # the kernels inherit it: set and dict orders are stable
    paths = notebook_paths(args.prefixes)
    if not paths:
        print("no notebooks matched", file=sys.stderr)
        return 1
    for path in paths:
        seconds = regenerate(path, args.refresh_ignored)
        print(f"{path.relative_to(REPO)}: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
