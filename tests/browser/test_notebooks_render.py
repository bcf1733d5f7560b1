"""Every notebook, run in a real JupyterLab in Debian's Chromium: all cells run, no unexpected
error, every widget and plot actually renders, and the interactive widgets answer clicks.

nbval already compares what the kernel sends; these tests check what a reader sees: the widget
JavaScript (ipywidgets, anywidget) loading and drawing the graph SVG, sliders, buttons and
images. Screenshots of each widget go to a temporary directory, and with
``AUTOGRAD_KIT_UPDATE_SCREENSHOTS=1`` the first of each kind to ``docs/images/`` for the README.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ._lab import Lab
from ._page import Cell, Output, open_and_run, output_locator, shutdown_kernel, widget_name

if TYPE_CHECKING:  # Playwright may be absent: the fixtures then skip the browser tests
    from playwright.sync_api import Locator, Page

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
IMAGES = REPO / "docs" / "images"
RAISES_TAG = "raises-exception"
# What each widget must show besides its ipywidgets frame (CSS selectors inside its output).
PARTS = {
    "GraphView": ["svg g.node[data-node]", "select", "input[type=checkbox]", "button"],
    "BackwardStepper": [".widget-slider", "svg g.node.current", "button"],
    "FunctionGradPlot": [".widget-slider", "img"],
    "AccumulationLab": ["button", "img"],
    "ProfilerView": [".widget-slider", "table"],
    "JacobianView": ["img"],
}
SAVED: set[str] = set()  # widget kinds already written to docs/images in this session


def snake(name: str) -> str:
    """``GraphView`` -> ``graph_view`` (the README picture's file name)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def stored_widgets(name: str) -> list[str]:
    """Widget class names in the committed outputs of a notebook, from their text/plain repr."""
    nb = json.loads((REPO / "notebooks" / name).read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            kind = widget_name(list(data), "".join(data.get("text/plain", "")))
            if kind:
                found.append(kind)
    return found


def save_picture(loc: Locator, kind: str, shots: Path, tag: str, readme: bool = True) -> None:
    """Screenshot one widget into the session's directory, and for the README when asked to."""
    loc.screenshot(path=str(shots / f"{tag}-{snake(kind)}.png"))
    if readme and os.environ.get("AUTOGRAD_KIT_UPDATE_SCREENSHOTS") == "1" and kind not in SAVED:
        IMAGES.mkdir(parents=True, exist_ok=True)
        loc.screenshot(path=str(IMAGES / f"{snake(kind)}.png"))
        SAVED.add(kind)


def check_ran(name: str, cells: list[Cell]) -> None:
    """Every code cell ran, errors only where marked, and marked cells did raise."""
    code = [c for c in cells if c.type == "code" and c.source.strip()]
    assert code, f"{name}: no code cells"
    not_run = [c.index for c in code if c.count is None]
    assert not not_run, f"{name}: Run All did not reach cells {not_run}"
    for c in code:
        errors = [f"{o.ename}: {o.evalue}" for o in c.outputs if o.output_type == "error"]
        if c.raises:
            assert errors, f"{name} cell {c.index} is marked NBVAL_RAISES_EXCEPTION but raised nothing"
        else:
            assert not errors, f"{name} cell {c.index} raised {errors}"


def check_widget(page: Page, out: Output) -> Locator:
    """The widget's view is drawn with its parts (and as many SVG boxes as its model has)."""
    from playwright.sync_api import expect

    loc = output_locator(page, out)
    expect(loc.locator(".jupyter-widgets").first).to_be_visible()
    expect(loc).not_to_contain_text("Error displaying widget")
    expect(loc).not_to_contain_text("Loading widget")
    for selector in PARTS.get(out.widget, []):
        expect(loc.locator(selector).first, f"{out.widget}: {selector}").to_be_visible()
    if out.svg_nodes and out.widget in ("GraphView", "BackwardStepper"):
        expect(loc.locator("svg g.node[data-node]")).to_have_count(out.svg_nodes)
    for img in loc.locator("img").all():
        img.wait_for(state="visible")
        page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=img.element_handle())
    return loc


def check_plot(page: Page, out: Output) -> None:
    """A matplotlib PNG output is shown as a loaded ``<img>``."""
    img = output_locator(page, out).locator("img")
    img.wait_for(state="visible")
    page.wait_for_function("el => el.complete && el.naturalWidth > 100", arg=img.element_handle())


def click_step(loc: Locator) -> None:
    """BackwardStepper: Step moves the red highlight to another box and marks the old one done."""
    from playwright.sync_api import expect

    current = loc.locator("svg g.node.current")
    readout = loc.locator(".widget-readout")
    step = loc.get_by_role("button", name="Step")
    if step.is_disabled():  # a stepper already at its last node: start over first
        loc.get_by_role("button", name="Reset").click()
        expect(readout).to_have_text("1")  # the slider counts steps from 1, as the panel does
    expect(current).to_have_count(1)
    before, position = current.get_attribute("data-node"), int(readout.inner_text())
    step.click()
    expect(readout).to_have_text(str(position + 1))
    expect(current).to_have_count(1)
    expect(current).not_to_have_attribute("data-node", before)
    expect(loc.locator(f'svg g.node[data-node="{before}"]')).to_have_class(re.compile(r"\bdone\b"))


def click_node(loc: Locator) -> None:
    """GraphView: clicking a box selects it (orange frame, list entry) and shows its details."""
    from playwright.sync_api import expect

    box = loc.locator("svg g.node.backward:not(.selected)").first
    gid, kind = box.get_attribute("data-node"), "backward"
    title = box.locator("text").first.text_content()
    box.click()
    expect(loc.locator(f'svg g.node[data-node="{gid}"]')).to_have_class(re.compile(r"\bselected\b"))
    expect(loc.locator("svg g.node.selected")).to_have_count(1)
    expect(loc.locator("select option:checked")).to_have_text(f"{gid}: {title}")
    details = loc.locator(".widget-html-content", has_text=f"({kind}, {gid})")
    expect(details).to_contain_text(title)


def test_there_are_notebooks() -> None:
    """The parametrized test below would pass vacuously without notebooks."""
    assert NOTEBOOKS, "notebooks/*.ipynb: none found"


def test_notebooks_exercise_the_interactive_widgets() -> None:
    """Some notebook shows a GraphView and a BackwardStepper, so the click checks do run."""
    kinds = {kind for name in NOTEBOOKS for kind in stored_widgets(name)}
    assert {"GraphView", "BackwardStepper"} <= kinds, f"widgets in the notebooks: {sorted(kinds)}"


def test_readme_pictures_every_widget_of_the_notebooks() -> None:
    """README.md shows a committed picture of each widget kind the notebooks use."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\((docs/images/[\w.-]+\.png)\)", readme))
    assert shown, "README.md shows no docs/images pictures"
    assert all((REPO / p).is_file() for p in shown), sorted(p for p in shown if not (REPO / p).is_file())
    kinds = {kind for name in NOTEBOOKS for kind in stored_widgets(name) if kind in PARTS}
    missing = sorted(k for k in kinds if f"docs/images/{snake(k)}.png" not in shown)
    assert not missing, f"no README picture for {missing}: run with AUTOGRAD_KIT_UPDATE_SCREENSHOTS=1"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_raising_cells_do_not_stop_run_all(name: str) -> None:
    """JupyterLab's Run All stops at the first error unless the cell carries the
    ``raises-exception`` tag, so a reader (on Binder too) would never reach the later cells."""
    nb = json.loads((REPO / "notebooks" / name).read_text(encoding="utf-8"))
    untagged = [
        i
        for i, c in enumerate(nb["cells"])
        if "# NBVAL_RAISES_EXCEPTION" in (line.strip() for line in "".join(c["source"]).splitlines())
        and RAISES_TAG not in c.get("metadata", {}).get("tags", [])
    ]
    assert not untagged, f"{name}: cells {untagged} need the {RAISES_TAG!r} tag"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_renders(name: str, lab: Lab, page: Page, screenshot_dir: Path) -> None:
    """Run All in JupyterLab; every widget and plot renders; GraphView and BackwardStepper answer clicks."""
    tag = Path(name).stem
    try:
        cells = open_and_run(page, lab.notebook_url(name), name)
        check_ran(name, cells)
        outputs = [o for c in cells for o in c.outputs]
        assert sorted(o.widget for o in outputs if o.widget) == sorted(stored_widgets(name))
        for out in outputs:
            if out.widget:
                loc = check_widget(page, out)
                # the clickable two are pictured for the README after a click (below)
                clickable = out.widget in ("GraphView", "BackwardStepper")
                save_picture(loc, out.widget, screenshot_dir, f"{tag}-cell{out.cell}", readme=not clickable)
            elif "image/png" in out.mimes:
                check_plot(page, out)
        steppers = [o for o in outputs if o.widget == "BackwardStepper"]
        if steppers:
            loc = output_locator(page, steppers[0])
            click_step(loc)
            save_picture(loc, "BackwardStepper", screenshot_dir, f"{tag}-stepped")
        graphs = [o for o in outputs if o.widget == "GraphView"]
        if graphs:
            loc = output_locator(page, graphs[0])
            click_node(loc)
            save_picture(loc, "GraphView", screenshot_dir, f"{tag}-selected")
    finally:
        page.screenshot(path=str(screenshot_dir / f"{tag}.png"))
        shutdown_kernel(page, name)
    print(f"screenshots: {screenshot_dir}")
