"""Fixtures of the browser tests: one JupyterLab server over a temporary copy of the notebooks,
and Debian's Chromium driven through Playwright's Python API, both shared by the whole session.

Chromium comes from apt (``/usr/bin/chromium``), never from ``playwright install``, which
downloads a browser. Without Chromium or Playwright the tests are skipped on a developer's
machine and fail under CI (``CI`` set), so that CI cannot pass without having run them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ._lab import Lab, log_tail, start_lab, stop_lab

if TYPE_CHECKING:  # Playwright is imported only once require_browser() has found it
    from playwright.sync_api import Browser, Page

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOW_TO_ENABLE = "install Chromium: apt-get install chromium; pip install -e .[browser]"


def missing() -> list[str]:
    """What the browser tests need and this machine lacks."""
    gaps = []
    if not CHROMIUM.exists():
        gaps.append(str(CHROMIUM))
    try:
        has_playwright = importlib.util.find_spec("playwright") is not None
    except ImportError:  # a broken install counts as missing
        has_playwright = False
    if not has_playwright:
        gaps.append("the playwright package")
    return gaps


def require_browser() -> None:
    """Skip (or, under CI, fail) when Chromium or Playwright is missing."""
    gaps = missing()
    if not gaps:
        return
    message = f"browser tests need {' and '.join(gaps)}: {HOW_TO_ENABLE}"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def tag_raising_cells(root: Path) -> None:
    """Give cells marked ``# NBVAL_RAISES_EXCEPTION`` JupyterLab's ``raises-exception`` tag.

    Without it Run All stops at the first intended error and every later widget would be reported
    missing; test_raising_cells_do_not_stop_run_all reports the committed notebooks' tags once.
    """
    for path in root.glob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            lines = (line.strip() for line in "".join(cell["source"]).splitlines())
            tags = cell.setdefault("metadata", {}).setdefault("tags", [])
            if "# NBVAL_RAISES_EXCEPTION" in lines and "raises-exception" not in tags:
                tags.append("raises-exception")
        path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab serving a copy of notebooks/ (autosave must not touch the tracked files)."""
    require_browser()
    base = tmp_path_factory.mktemp("lab")
    root = base / "notebooks"
    shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    tag_raising_cells(root)
    server = start_lab(root, base / "state")
    yield server
    survivors = stop_lab(server)
    if survivors:
        raise RuntimeError(f"processes still running after teardown: {survivors}\n{log_tail(server.log)}")


@pytest.fixture(scope="session")
def browser(lab: Lab) -> Iterator[Browser]:
    """Debian's Chromium, launched once for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def page(browser: Browser) -> Iterator[Page]:
    """One page for all notebooks: each test navigates it to a fresh workspace, and the shared
    HTTP cache saves about a second of JupyterLab start-up per notebook."""
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    context.set_default_timeout(30_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where every screenshot of the session goes (printed in the test report)."""
    return tmp_path_factory.mktemp("screenshots")
