"""The committed notebooks are valid tests: executed in order, kernel python3, markers that nbval
sees, stored errors where errors are expected, nothing machine-specific, and listed in the index.

nbval (run by ``python -m pytest``, see pyproject.toml) compares the stored outputs; these checks
catch what nbval would silently accept: a cell with ``execution_count: null`` is skipped, a
marker with trailing text is ignored, ``NBVAL_RAISES_EXCEPTION`` does not assert that the cell
raises, and an address that the sanitize file does not mask would fail only on other machines.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
INDEX = NOTEBOOKS / "README.md"
SANITIZE = NOTEBOOKS / "sanitize.cfg"
ADDRESS = r"\b0x[0-9a-fA-F]{6,16}\b"
MARKERS = {"NBVAL_IGNORE_OUTPUT", "NBVAL_CHECK_OUTPUT", "NBVAL_RAISES_EXCEPTION", "NBVAL_SKIP"}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
BINARY_MIMES = {"image/png", "image/jpeg", WIDGET_MIME}
BINDER = "https://mybinder.org/v2/gh/{repo}/HEAD?urlpath=lab/tree/notebooks/{name}"
# absolute paths of this machine or any other: home folders, temp files, interpreters
ABSOLUTE = re.compile(
    r"(?<![\w.])(?:/home/|/root/|/Users/|/tmp/|/private/|/opt/|/usr/|/var/|/work/|\b[A-Z]:\\)|ipykernel_\d+"
)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def source(cell: dict) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def markers(cell: dict) -> set[str]:
    return {line.strip().lstrip("#").strip() for line in source(cell).splitlines() if "NBVAL_" in line}


def output_texts(cell: dict) -> list[tuple[str, str]]:
    """(where, text) of every textual piece of a cell's outputs."""
    texts = []
    for out in cell.get("outputs", []):
        kind = out["output_type"]
        if kind == "stream":
            texts.append((f"stream {out['name']}", _join(out["text"])))
        elif kind == "error":
            texts.append(("error evalue", out["evalue"]))
            texts.append(("traceback", "\n".join(out["traceback"])))
        else:
            for mime, value in out.get("data", {}).items():
                if mime not in BINARY_MIMES:
                    texts.append((mime, _join(value) if not isinstance(value, dict) else json.dumps(value)))
    return texts


def _join(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def test_there_are_numbered_notebooks():
    names = [p.name for p in PATHS]
    assert len(names) >= 6
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", n) for n in names), names
    assert [n[:2] for n in names] == [f"{i:02d}" for i in range(1, len(names) + 1)], names


@pytest.fixture(params=PATHS, ids=[p.name for p in PATHS])
def nb(request) -> dict:
    return load(request.param)


def test_kernelspec_is_python3(nb):
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert nb["metadata"]["kernelspec"]["language"] == "python"
    assert nb["nbformat"] == 4


def test_every_code_cell_is_executed_in_order(nb):
    cells = code_cells(nb)
    assert cells, "a notebook without code"
    counts = [c["execution_count"] for c in cells]
    assert None not in counts, "unexecuted code cells (nbval would skip them silently)"
    assert counts == list(range(1, len(cells) + 1)), f"execution counts not 1..n in order: {counts}"
    for cell in cells:
        assert source(cell).strip(), "an empty code cell"
        for out in cell["outputs"]:
            if out["output_type"] == "execute_result":
                assert out["execution_count"] == cell["execution_count"]


def test_nothing_run_dependent_is_stored(nb):
    assert "widgets" not in nb["metadata"], "saved widget state (random model ids): drop it"
    assert "version" not in nb["metadata"].get("language_info", {})
    for cell in nb["cells"]:
        assert "execution" not in cell.get("metadata", {}), "timing metadata is stored"


def test_no_absolute_paths_or_unmasked_addresses(nb):
    for i, cell in enumerate(nb["cells"]):
        pieces = [("source", source(cell))] + (output_texts(cell) if cell["cell_type"] == "code" else [])
        for where, text in pieces:
            bad = ABSOLUTE.search(text)
            assert bad is None, (
                f"cell {i} {where}: absolute path {text[max(bad.start() - 40, 0) : bad.end() + 40]!r}"
            )
            # every 0x... token must be one the sanitize file masks, else it fails on other runs
            for token in re.finditer(r"\b0x[0-9a-fA-F]+", text):
                window = text[max(token.start() - 1, 0) : token.end() + 1]
                assert re.search(ADDRESS, window), (
                    f"cell {i} {where}: address not masked by sanitize.cfg: {window!r}"
                )


def test_widget_outputs_have_a_stable_text_twin(nb):
    """nbval skips the widget-view JSON, so the text/plain next to it is what gets compared."""
    for cell in code_cells(nb):
        for out in cell["outputs"]:
            view = out.get("data", {}).get(WIDGET_MIME)
            if view is None:
                continue
            plain = _join(out["data"].get("text/plain", ""))
            assert plain and not re.search(ADDRESS, plain), (
                f"widget repr is missing or has an address: {plain!r}"
            )
            assert re.fullmatch(r"[0-9a-f]{32}", view["model_id"])


def test_markers_are_whole_lines_at_the_top(nb):
    for cell in code_cells(nb):
        lines = source(cell).splitlines()
        for n, line in enumerate(lines):
            if "NBVAL" not in line:
                continue
            assert re.fullmatch(r"# (NBVAL_[A-Z_]+)", line), f"marker is not a whole line: {line!r}"
            assert line[2:] in MARKERS, f"unknown marker {line!r}"
            assert all(prev.startswith("# NBVAL_") for prev in lines[:n]), f"marker below code: {line!r}"


def test_raising_cells_store_their_error(nb):
    for cell in code_cells(nb):
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        if "NBVAL_RAISES_EXCEPTION" in markers(cell):
            assert len(errors) == 1, f"marked NBVAL_RAISES_EXCEPTION but no stored error:\n{source(cell)}"
            assert errors[0]["ename"] and errors[0]["evalue"]
            # without the tag, JupyterLab's Run All stops at this cell
            assert "raises-exception" in cell["metadata"].get("tags", []), (
                f"no raises-exception tag:\n{source(cell)}"
            )
        else:
            assert not errors, f"an error stored in a cell not marked NBVAL_RAISES_EXCEPTION:\n{source(cell)}"


def test_ignored_outputs_are_only_for_timings_and_optional_parts(nb):
    """NBVAL_IGNORE_OUTPUT hides regressions, so it must stay rare: at most two cells a notebook."""
    ignored = [c for c in code_cells(nb) if "NBVAL_IGNORE_OUTPUT" in markers(c)]
    assert len(ignored) <= 2
    for cell in ignored:
        assert source(cell).startswith("# NBVAL_IGNORE_OUTPUT\n"), "the marker must be the first line"


def test_matplotlib_is_inline_with_explicit_sizes(nb):
    text = "\n".join(source(c) for c in code_cells(nb))
    if re.search(r"\bplt\.|FunctionGradPlot|AccumulationLab|ProfilerView|JacobianView", text):
        assert "%matplotlib inline" in source(code_cells(nb)[0]), (
            "plots need %matplotlib inline in the first cell"
        )
    for call in re.finditer(r"plt\.(?:subplots|figure)\(([^)]*)\)", text):
        assert "figsize" in call.group(1), f"figure without an explicit size: {call.group(0)}"


def test_seeded(nb):
    assert "manual_seed(" in source(code_cells(nb)[0])


def test_index_lists_every_notebook_with_a_binder_link():
    index = INDEX.read_text(encoding="utf-8")
    links = re.findall(
        r"https://mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/HEAD\?urlpath=lab/tree/notebooks/([\w.]+)", index
    )
    assert links, "no Binder links"
    repos = {repo for repo, _ in links}
    assert len(repos) == 1, repos
    (repo,) = repos
    for path in PATHS:
        assert f"]({path.name})" in index, f"{path.name} is not linked from notebooks/README.md"
        assert BINDER.format(repo=repo, name=path.name) in index, f"no Binder link for {path.name}"
        row = next(line for line in index.splitlines() if f"]({path.name})" in line)
        assert row.count("|") >= 4, f"the index row of {path.name} has no description"
    listed = {name for _, name in links} | set(re.findall(r"\]\((\d\d_[\w]+\.ipynb)\)", index))
    assert listed <= {p.name for p in PATHS}, (
        f"the index lists missing notebooks: {listed - {p.name for p in PATHS}}"
    )


def test_sanitize_file_is_narrow():
    pairs = re.findall(r"^regex: (.*)\nreplace: (.*)$", SANITIZE.read_text(encoding="utf-8"), flags=re.M)
    assert pairs == [(ADDRESS, "0xADDRESS")]


def test_pytest_runs_the_notebooks_under_nbval():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"][
        "ini_options"
    ]
    assert "notebooks" in config["testpaths"]
    opts = config["addopts"].split()
    assert "--nbval" in opts and "--nbval-current-env" in opts
    assert opts[opts.index("--nbval-sanitize-with") + 1] == "notebooks/sanitize.cfg"
