"""Helpers shared by the plotting-widget tests: the Agg backend, leak checks, reading figures."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib
import pytest

matplotlib.use("Agg")  # before pyplot is imported anywhere in the test session's plotting tests

import matplotlib.pyplot as plt  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def no_open_figures() -> Iterator[None]:
    """Fail if a widget leaves a pyplot figure open (they draw without pyplot)."""
    plt.close("all")
    yield
    leaked = plt.get_fignums()
    plt.close("all")
    assert leaked == [], f"pyplot figures left open: {leaked}"


def line(ax, label: str):
    """The one line of ``ax`` with this legend label."""
    found = [ln for ln in ax.get_lines() if ln.get_label() == label]
    assert len(found) == 1, f"no single line labelled {label!r}: {[ln.get_label() for ln in ax.get_lines()]}"
    return found[0]


def labels(ax) -> list[str]:
    """Legend labels of the lines of ``ax``, in drawing order."""
    return [ln.get_label() for ln in ax.get_lines() if not ln.get_label().startswith("_")]
