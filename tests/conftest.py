"""Fixtures shared by every test folder (plain helpers are in tests/helpers/).

tests/browser/ keeps its own conftest.py: its fixtures start JupyterLab and a browser.
"""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib
import pytest

# Agg before pyplot is imported anywhere in the session: the plotting widgets must draw without a
# display, and a figure left open must show up in no_open_figures rather than in a window.
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture
def no_open_figures() -> Iterator[None]:
    """Fail if a widget leaves a pyplot figure open (they draw without pyplot)."""
    plt.close("all")
    yield
    leaked = plt.get_fignums()
    plt.close("all")
    assert leaked == [], f"pyplot figures left open: {leaked}"
