"""What issue 15 adds, as a reader sees it in JupyterLab: a saved widget's picture before anything
runs, the exercises' verdicts, and errors that show the learner's line and the message only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lab import Lab
from ._page import _FIND_PANEL, open_and_run, output_locator, shutdown_kernel

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_a_saved_widget_shows_its_picture_before_the_kernel_runs(lab: Lab, page: Page) -> None:
    from playwright.sync_api import expect

    name = "03_training_and_accumulation.ipynb"
    try:
        page.goto(lab.notebook_url(name))
        page.wait_for_function(_FIND_PANEL, arg=name, timeout=180_000, polling=200)
        cell = page.locator(".jp-Notebook .jp-Notebook-cell").filter(has_text="lab = AccumulationLab(seed=0)")
        img = cell.locator(".jp-OutputArea-output img").first
        expect(img).to_be_visible(timeout=30_000)
        page.wait_for_function("el => el.complete && el.naturalWidth > 100", arg=img.element_handle())
    finally:
        shutdown_kernel(page, name)


def test_verdicts_and_short_tracebacks_after_run_all(lab: Lab, page: Page) -> None:
    from playwright.sync_api import expect

    for name in ("02_computing_gradients.ipynb", "04_turning_autograd_off.ipynb"):
        try:
            cells = open_and_run(page, lab.notebook_url(name), name)
            outputs = [o for c in cells for o in c.outputs]
            verdicts = [o for o in outputs if o.plain.startswith(("✔", "✘"))]
            assert len(verdicts) >= 3, name
            for out in verdicts:
                expect(output_locator(page, out)).to_contain_text(out.plain.splitlines()[0])
            if name.startswith("02"):
                assert any(o.plain.startswith("✘ chain_rule: not yet.") for o in verdicts)
            errors = [o for o in outputs if o.output_type == "error"]
            assert errors, name
            for out in errors:
                text = output_locator(page, out).inner_text()
                assert f"{out.ename}: " in text
                assert "autograd_kit" not in text and "File " not in text, text  # no library frames
        finally:
            shutdown_kernel(page, name)


def test_profiler_view_buttons_show_their_whole_labels(lab: Lab, page: Page) -> None:
    name = "05_profiling.ipynb"
    try:
        cells = open_and_run(page, lab.notebook_url(name), name)
        view = next(o for c in cells for o in c.outputs if o.widget == "ProfilerView")
        buttons = output_locator(page, view).locator(".widget-toggle-buttons button")
        assert buttons.count() == 3
        for button in buttons.all():  # no ellipsis: the text fits its button
            assert button.evaluate("el => el.scrollWidth <= el.clientWidth"), button.inner_text()
    finally:
        shutdown_kernel(page, name)
