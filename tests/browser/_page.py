"""Drive one notebook in JupyterLab through ``window.jupyterapp`` and read back what ran.

The keyboard and the command palette are unreliable in headless Chromium, so everything goes
through the application object that ``--LabApp.expose_app_in_browser=True`` exposes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importable without Playwright, so that the suite can skip cleanly
    from playwright.sync_api import Locator, Page

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
RAISES_MARKER = "# NBVAL_RAISES_EXCEPTION"

# The notebook panel showing `path`, once its document and kernel session are ready.
_FIND_PANEL = """
(path) => {
  const app = window.jupyterapp;
  if (!app) return false;
  const panel = Array.from(app.shell.widgets('main')).find(w => w.context && w.context.path === path);
  if (!panel || !panel.context.isReady || !panel.sessionContext.isReady) return false;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle';
}
"""

# Run every cell with the same command as the Run menu. The command's promise settles as soon as
# one cell fails, while the cells queued behind a tagged raising cell still run; so a silent empty
# request follows it: the kernel answers requests in order, so its reply means all cells are done.
# Not awaited here (page.evaluate has no timeout): completion is flagged on window instead.
_RUN_ALL = """
(path) => {
  const app = window.jupyterapp;
  const panel = Array.from(app.shell.widgets('main')).find(w => w.context && w.context.path === path);
  app.shell.activateById(panel.id);
  window.__ranAll = null;
  app.commands.execute('notebook:run-all-cells')
    .catch(() => null)
    .then(() => panel.sessionContext.session.kernel.requestExecute({code: '', silent: true, store_history: false}).done)
    .catch(() => null)
    .finally(() => { window.__ranAll = path; });
}
"""

_RAN_ALL = """
(path) => {
  const panel = Array.from(window.jupyterapp.shell.widgets('main')).find(w => w.context && w.context.path === path);
  return window.__ranAll === path && panel.sessionContext.session.kernel.status === 'idle';
}
"""

# One summary per cell, read from the live notebook model (not the DOM): type, source, tags,
# execution count, and per output its type, MIME types, text/plain, error name and SVG node count.
_SUMMARY = """
(path) => {
  const panel = Array.from(window.jupyterapp.shell.widgets('main')).find(w => w.context && w.context.path === path);
  const cells = panel.content.model.cells;
  const result = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    const outputs = c.type === 'code' ? c.outputs.toJSON() : [];
    result.push({
      type: c.type,
      source: c.sharedModel.getSource(),
      count: c.type === 'code' ? c.executionCount : null,
      outputs: outputs.map(o => {
        const data = o.data || {};
        const plain = data['text/plain'];
        const svg = data['image/svg+xml'];
        const text = v => Array.isArray(v) ? v.join('') : (v || '');
        return {
          output_type: o.output_type, mimes: Object.keys(data), plain: text(plain),
          ename: o.ename || null, evalue: o.evalue || null,
          svg_nodes: (text(svg).match(/data-node=/g) || []).length,
        };
      }),
    });
  }
  return result;
}
"""

_SHUTDOWN = """
async (path) => {
  const panel = Array.from(window.jupyterapp.shell.widgets('main')).find(w => w.context && w.context.path === path);
  if (panel) await panel.sessionContext.shutdown();
}
"""


@dataclass
class Output:
    """One output of one cell, as the live notebook model holds it."""

    cell: int
    index: int
    output_type: str
    mimes: list[str]
    plain: str
    ename: str | None
    evalue: str | None
    svg_nodes: int

    @property
    def widget(self) -> str | None:
        """The widget's class name if this output is a widget view."""
        return widget_name(self.mimes, self.plain)


def widget_name(mimes: list[str], plain: str) -> str | None:
    """A widget view's class name, read from its repr (``GraphView(nodes=...)``); else None."""
    if WIDGET_MIME not in mimes:
        return None
    match = re.match(r"\s*([A-Za-z_]\w*)\(", plain)
    return match.group(1) if match else "widget"


@dataclass
class Cell:
    """One cell of the executed notebook."""

    index: int
    type: str
    source: str
    count: int | None
    outputs: list[Output]

    @property
    def raises(self) -> bool:
        """Whether the cell is marked as raising on purpose (the marker must be a whole line)."""
        return RAISES_MARKER in (line.strip() for line in self.source.splitlines())


def open_and_run(page: Page, url: str, path: str, timeout_ms: int = 180_000) -> list[Cell]:
    """Open the notebook at ``url``, run all cells, wait for an idle kernel; return the cells."""
    page.goto(url)
    page.wait_for_function(_FIND_PANEL, arg=path, timeout=timeout_ms, polling=200)
    page.evaluate(_RUN_ALL, path)
    page.wait_for_function(_RAN_ALL, arg=path, timeout=timeout_ms, polling=200)
    cells = []
    for i, raw in enumerate(page.evaluate(_SUMMARY, path)):
        outputs = [Output(i, j, **o) for j, o in enumerate(raw.pop("outputs"))]
        cells.append(Cell(i, outputs=outputs, **raw))
    return cells


def shutdown_kernel(page: Page, path: str) -> None:
    """Shut down the notebook's kernel from the page (the server fixture kills leftovers by PID)."""
    try:
        page.evaluate(_SHUTDOWN, path)
    except Exception:  # a page that never loaded JupyterLab: the server's teardown handles it
        pass


def output_locator(page: Page, out: Output) -> Locator:
    """The DOM element showing one output: cell ``out.cell`` of the notebook, output ``out.index``."""
    cell = page.locator(".jp-Notebook .jp-Notebook-cell").nth(out.cell)
    return cell.locator(".jp-OutputArea-child").nth(out.index).locator(".jp-OutputArea-output")


def image_loaded(img: Locator) -> bool:
    """Whether an ``<img>`` element has finished loading a non-empty picture."""
    return bool(img.evaluate("el => el.complete && el.naturalWidth > 0 && el.naturalHeight > 0"))
