"""What the README promises a newcomer: set-up commands that work as root and name their system
packages, an own-notebook example with one widget per cell, a picture of every widget, and a short
Speed section pointing to docs/performance.md."""

from __future__ import annotations

import re
from pathlib import Path

import autograd_kit.widgets as widgets

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    return README.split(f"\n## {title}", 1)[1].split("\n## ", 1)[0]


def test_set_up_names_allow_root_and_the_browser_tests_system_packages():
    setup = _section("Set up")
    assert "jupyter lab --allow-root notebooks/" in setup
    assert "apt-get install -y chromium fonts-symbola" in setup


def test_own_notebook_example_has_one_widget_per_cell():
    blocks = re.findall(r"```python\n(.*?)```", _section("Widgets in your own notebooks"), flags=re.S)
    names = "|".join(widgets.__all__)
    calls = re.compile(rf"^(?:{names})\(")  # a widget displayed as the value of a cell
    shown = [sum(bool(calls.match(line)) for line in block.splitlines()) for block in blocks]
    assert sum(shown) >= 3 and max(shown) == 1, shown


def test_every_widget_has_a_picture_in_the_readme():
    for name in widgets.__all__:
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
        assert f"![{name}](docs/images/{snake}.png)" in README, name
        assert (ROOT / "docs" / "images" / f"{snake}.png").is_file(), name


def test_speed_is_a_summary_that_links_the_performance_page():
    speed = _section("Speed")
    assert len(speed.strip().splitlines()) <= 4 and "docs/performance.md" in speed
    performance = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    assert "benchmarks/bench_core.py" in performance and "| benchmark |" in performance
