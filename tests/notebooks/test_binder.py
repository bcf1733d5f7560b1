"""Binder: the files in binder/ make repo2docker install this repository with its notebook extras
on Python 3.11, a fresh environment built the same way runs the first notebook, and the README's
Binder badge opens a notebook that exists.

repo2docker is checked without Docker (``--no-build --debug`` prints the Dockerfile it would
build). The fresh-environment test installs from the package registry into a temporary venv, so
it takes a minute or two; it always runs under CI and is skipped locally with
``AUTOGRAD_KIT_FAST=1``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BINDER = REPO / "binder"
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
REQUIREMENT = re.compile(r"^-e\s+\.\[(?P<extras>[\w,\s-]+)\]$")
BADGE = re.compile(
    r"\[!\[Binder\]\(https://mybinder\.org/badge_logo\.svg\)\]"
    r"\(https://mybinder\.org/v2/gh/[\w.-]+/[\w.-]+/HEAD\?urlpath=lab/tree/(?P<path>notebooks/[\w.-]+\.ipynb)\)"
)


def pyproject() -> dict:
    """pyproject.toml, parsed (tomllib is Python 3.11+; Binder and CI use 3.11)."""
    tomllib = pytest.importorskip("tomllib")
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def requirement_lines() -> list[str]:
    """binder/requirements.txt without comments and blank lines."""
    text = (BINDER / "requirements.txt").read_text(encoding="utf-8")
    return [line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


def expand_extras(extras: list[str]) -> set[str]:
    """The extras of this project that ``extras`` pull in, following self-references."""
    declared, seen, todo = pyproject()["project"]["optional-dependencies"], set(), list(extras)
    while todo:
        extra = todo.pop()
        assert extra in declared, f"binder/requirements.txt asks for an undeclared extra [{extra}]"
        if extra not in seen:
            seen.add(extra)
            for dep in declared[extra]:
                if m := re.match(r"autograd_kit\[([\w,\s-]+)\]", dep):
                    todo += [e.strip() for e in m.group(1).split(",")]
    return seen


def repo2docker() -> str:
    """Path of the repo2docker command (skip locally, fail under CI, when it is missing)."""
    exe = Path(sys.executable).parent / "repo2docker"
    found = str(exe) if exe.exists() else shutil.which("repo2docker")
    if found is None:
        message = "repo2docker is missing: pip install -e .[test]"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


def test_requirements_install_this_repo_with_the_notebook_extras() -> None:
    """One editable install of "." with extras that bring ipywidgets, anywidget and JupyterLab."""
    lines = requirement_lines()
    assert len(lines) == 1, lines
    m = REQUIREMENT.match(lines[0])
    assert m, f"expected '-e .[extras]', got {lines[0]!r}"
    extras = expand_extras([e.strip() for e in m.group("extras").split(",")])
    deps = {
        re.split(r"[<>=!\[ ;]", d, maxsplit=1)[0].lower()
        for e in extras
        for d in pyproject()["project"]["optional-dependencies"][e]
    }
    assert {"ipywidgets", "anywidget", "matplotlib", "jupyterlab"} <= deps, sorted(deps)


def test_runtime_is_a_python_the_package_supports() -> None:
    """runtime.txt pins Python 3.11 (Binder's default is older), within requires-python."""
    assert (BINDER / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.11"
    floor = re.match(r">=\s*3\.(\d+)", pyproject()["project"]["requires-python"])
    assert floor and int(floor.group(1)) <= 11


def test_repo2docker_installs_binder_requirements_on_python_311() -> None:
    """The Dockerfile that repo2docker generates installs binder/requirements.txt, after copying
    the whole repository in (``-e .`` needs it), into a Python 3.11 environment."""
    proc = subprocess.run(
        [repo2docker(), "--no-build", "--debug", "."], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "Building conda environment for python=3.11" in out, out
    install = re.search(
        r'^RUN \$\{KERNEL_PYTHON_PREFIX\}/bin/pip install .*-r "binder/requirements\.txt"$', out, re.M
    )
    assert install, out
    copy_all = re.search(r"^COPY --chown=\S+ src/ \$\{REPO_DIR\}/$", out, re.M)
    assert copy_all and copy_all.start() < install.start(), "requirements installed before the repo is copied"
    # binder/ takes precedence: nothing else in the repository (a root requirements.txt, setup.py) is used
    assert len(re.findall(r"pip install", out[copy_all.start() :])) == 1, out


def test_readme_binder_badge_opens_the_first_notebook() -> None:
    """The README's badge starts JupyterLab on notebooks/ 's first notebook."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    badges = [m.group("path") for m in BADGE.finditer(readme)]
    assert badges, "README.md has no Binder badge"
    assert NOTEBOOKS, "notebooks/*.ipynb: none found"
    assert badges[0] == f"notebooks/{NOTEBOOKS[0].name}"


@pytest.mark.slow
def test_fresh_binder_environment_runs_the_first_notebook(tmp_path: Path) -> None:
    """pip install -r binder/requirements.txt (from the repository root, as repo2docker does) into a
    new venv, then run the first notebook there: every cell runs, errors only where marked."""
    if os.environ.get("AUTOGRAD_KIT_FAST") == "1" and not os.environ.get("CI"):
        pytest.skip("AUTOGRAD_KIT_FAST=1: skipped the fresh Binder environment (1-2 min); unset it to run")
    assert NOTEBOOKS, "notebooks/*.ipynb: none found"
    env_dir = tmp_path / "binder-venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # --no-compile only skips writing .pyc files (a third of the install time); same packages
    pip = [str(python), "-m", "pip", "install", "-q", "--no-compile", "-r", "binder/requirements.txt"]
    proc = subprocess.run(pip, cwd=REPO, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    # the notebook runs in a copy, so that nothing it writes lands in the working tree
    work = tmp_path / "notebooks"
    shutil.copytree(REPO / "notebooks", work)
    notebook = work / NOTEBOOKS[0].name
    run = subprocess.run(
        [str(python), str(REPO / "tests" / "helpers" / "binder_notebook.py"), str(notebook)],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")},
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    assert summary["unexpected_errors"] == [], summary
    assert summary["marked_but_silent"] == [], summary
    assert summary["not_run"] == [], summary
    assert summary["widget_outputs"] > 0, "no widget shown: were the widget extras installed?"
    prefix, package = summary["probe"]
    assert Path(prefix).resolve() == env_dir.resolve(), "the kernel did not run in the fresh environment"
    editable = (REPO / "autograd_kit" / "__init__.py").resolve()  # -e: the kernel imports the repo itself
    assert Path(package).resolve() == editable
