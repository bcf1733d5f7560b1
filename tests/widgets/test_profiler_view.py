"""ProfilerView: sorting, row limit and forward/backward filter drive the table and the bars."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.colors import to_hex

import autograd_kit as ak
from autograd_kit.autograd.profiler.session import profile, record_function
from autograd_kit.widgets import ProfilerView
from autograd_kit.widgets._profile_rows import is_backward
from autograd_kit.widgets.profiler_view import PHASE_COLORS

pytestmark = pytest.mark.usefixtures("no_open_figures")

ATTRS = {"Self CPU": "self_cpu_time_total", "CPU total": "cpu_time_total", "# of Calls": "count"}


@pytest.fixture(scope="module")
def prf():
    """A deterministic profile (one clock tick per read) with a forward and a backward pass."""
    x = ak.linspace(0.0, 1.0, 6, requires_grad=True)
    w = ak.ones(6, requires_grad=True)
    with profile(clock="counter") as p:
        with record_function("forward"):
            y = (ak.sin(x) * w + x * x).sum()
        y.backward()
    return p


def table_keys(view: ProfilerView) -> list[str]:
    """Names in the HTML table's rows, top to bottom."""
    return re.findall(r"<tr><td[^>]*>([^<]*)</td>", view.table.value)


def bars(view: ProfilerView) -> list[tuple[str, float, str]]:
    """(y label, width, colour) of each bar, top to bottom."""
    ax = view.figure.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    return [(n, p.get_width(), to_hex(p.get_facecolor())) for n, p in zip(names, ax.patches)]


def expected_order(p, attr: str) -> list[str]:
    """The row order of the profiler's own printed table (names A to Z for "key")."""
    if attr == "key":
        return sorted(e.key for e in p.key_averages())
    lines = p.key_averages().table(sort_by=attr, max_name_column_width=200).splitlines()[3:-2]
    return [ln.strip().split("  ")[0] for ln in lines]  # names are right-aligned, columns 2 spaces apart


@pytest.mark.parametrize("label", ["Self CPU", "CPU total", "CPU time avg", "# of Calls", "Name"])
def test_sorting_orders_table_and_bars(prf, label):
    view = ProfilerView(prf, row_limit=100)
    view.sort_by.label = label
    attr = view.sort_by.value
    order = expected_order(prf, attr)
    assert [r.key for r in view.rows] == order == table_keys(view)
    assert [b[0] for b in bars(view)] == [k.replace("autograd::engine::evaluate_function: ", "evaluate_function: ")
                                          .replace("torch::autograd::", "") for k in order]  # fmt: skip
    by_key = {e.key: e for e in prf.key_averages()}
    assert [b[1] for b in bars(view)] == [by_key[k].self_cpu_time_total for k in order]
    if attr != "key":
        values = [getattr(r, attr) for r in view.rows]
        assert values == sorted(values, reverse=True)


def test_forward_and_backward_are_coloured_and_filtered(prf):
    view = ProfilerView(prf, row_limit=100)
    for name, _, colour in bars(view):
        full = next(r.key for r in view.rows if name in r.key.replace("torch::autograd::", ""))
        assert colour == PHASE_COLORS["backward" if is_backward(full) else "forward"]
    everything = {r.key for r in view.rows}
    view.phase.value = "backward"
    back = {r.key for r in view.rows}
    assert "MulBackward0" in back and "torch::autograd::AccumulateGrad" in back
    assert "autograd::engine::evaluate_function: SinBackward0" in back
    assert {c for _, _, c in bars(view)} == {PHASE_COLORS["backward"]}
    view.phase.value = "forward"
    fwd = {r.key for r in view.rows}
    assert {"aten::sin", "aten::mul", "forward"} <= fwd
    assert fwd | back == everything and not fwd & back
    assert "backward" not in {r.phase for r in view.rows}


def test_row_limit_cuts_table_and_chart(prf):
    view = ProfilerView(prf)
    n = len(prf.key_averages())
    assert view.row_limit.max == n and len(view.rows) == min(20, n)
    view.row_limit.value = 3
    assert len(view.rows) == 3 == len(table_keys(view)) == len(bars(view))
    assert f"showing 3 of {n} rows" in view.table.value
    assert view.figure.get_size_inches()[1] == pytest.approx(0.9 + 0.26 * 3)


def test_table_numbers_match_the_profilers_own_table(prf):
    view = ProfilerView(prf, row_limit=100)
    total = re.search(r"Self CPU time total: (\S+)", prf.key_averages().table()).group(1)
    assert f"Self CPU time total: {total}" in view.table.value
    shares = [float(s) for s in re.findall(r">(\d+\.\d\d)%<", view.table.value)]
    self_shares = shares[0::2]  # Self CPU % then CPU total % per row
    assert sum(self_shares) == pytest.approx(100.0, abs=0.05)
    row = prf.key_averages().table(sort_by="self_cpu_time_total").splitlines()[3].split()
    first = view.rows[0]
    assert row[-1] == str(first.count) and row[-5] == f"{first.self_cpu_time_total:.3f}us"
    assert " ".join(row[:-6]) == first.key


def test_a_pytorch_shaped_profile_and_its_key_averages():
    def ev(key, count, self_us, total_us):
        return SimpleNamespace(key=key, count=count, self_cpu_time_total=self_us, cpu_time_total=total_us,
                               cpu_time=total_us / count, cpu_memory_usage=0)  # fmt: skip

    events = [
        ev("aten::mul", 1000, 4178.0, 4178.0),
        ev("aten::div", 1000, 4346.0, 4346.0),
        ev("autograd::engine::evaluate_function: MulBackward0", 2, 10.0, 30.0),
        ev("MulBackward0", 2, 20.0, 20.0),
        ev("torch::autograd::AccumulateGrad", 1, 3.0, 3.0),
    ]
    fake = SimpleNamespace(key_averages=lambda: list(events))
    view = ProfilerView(fake)
    assert [r.key for r in view.rows][:2] == ["aten::div", "aten::mul"]
    assert [r.phase for r in view.rows] == ["forward", "forward", "backward", "backward", "backward"]
    assert "4.346ms" in view.table.value and "50.79%" in view.table.value
    assert view.figure.axes[0].get_xlabel() == "self CPU time (us)"
    view.sort_by.value = "count"
    assert [r.key for r in view.rows][:2] == ["aten::mul", "aten::div"]  # ties keep the profile's order
    assert [r.key for r in ProfilerView(events, sort_by="Name").rows][0] == "MulBackward0"


def test_raw_events_are_averaged(prf):
    assert sorted(r.key for r in ProfilerView(prf.events()).all_rows) == sorted(
        e.key for e in prf.key_averages()
    )


def test_backward_rule():
    for key in ("MulBackward0", "SumBackward1", "autograd::engine::evaluate_function: AddBackward0",
                "torch::autograd::AccumulateGrad", "autograd::engine::evaluate_function: torch::autograd::AccumulateGrad"):  # fmt: skip
        assert is_backward(key), key
    for key in ("aten::mul", "forward", "nn.Module: Linear", "Backward0 of mine", "aten::backward_thing"):
        assert not is_backward(key), key


def test_unfinished_and_wrong_inputs():
    not_run = profile()
    with pytest.raises(RuntimeError, match="it has not finished: create the view after the `with profile"):
        ProfilerView(not_run)
    with profile() as running:
        with pytest.raises(RuntimeError, match="has not finished.*still running"):
            ProfilerView(running)
    with pytest.raises(TypeError, match="expects a finished profiler .* got Tensor"):
        ProfilerView(ak.ones(2))
    with pytest.raises(TypeError, match="got str"):
        ProfilerView("prof.json")
    with pytest.raises(TypeError, match="lacks the key_averages\\(\\) attributes"):
        ProfilerView([SimpleNamespace(key="x", self_cpu_time_total=1.0)])
    with profile() as empty:
        pass
    view = ProfilerView(empty)
    assert view.rows == [] and "the profile has no events" in view.message.value


def test_bad_options(prf):
    with pytest.raises(ValueError, match="cannot sort by 'cpu_memory_usage'"):
        ProfilerView(prf, sort_by="cpu_memory_usage")
    with pytest.raises(ValueError, match="phase must be one of all, forward, backward"):
        ProfilerView(prf, phase="both")
    with pytest.raises(ValueError, match="row_limit must be at least 1"):
        ProfilerView(prf, row_limit=0)
    no_backward = SimpleNamespace(key_averages=lambda: [
        SimpleNamespace(key="aten::mul", count=1, self_cpu_time_total=1.0, cpu_time_total=1.0, cpu_time=1.0)
    ])  # fmt: skip
    view = ProfilerView(no_backward, phase="backward")
    assert view.rows == [] and "no backward rows in this profile" in view.message.value


def test_repr_is_stable(prf):
    view = ProfilerView(prf, sort_by="count", row_limit=5)
    n = len(prf.key_averages())
    assert repr(view) == f"ProfilerView(rows={n}, shown=5, sort_by='count', phase='all')"
    assert np.all([b[1] > 0 for b in bars(view)])


def test_plotting_widgets_load_matplotlib_only_when_drawing_and_never_torch():
    code = textwrap.dedent(
        """
        import sys
        from autograd_kit.widgets import GraphView, ProfilerView
        before = "matplotlib" in sys.modules
        from autograd_kit.autograd.profiler import profile
        import autograd_kit as ak
        with profile(clock="counter") as p:
            ak.ones(2).sum()
        ProfilerView(p)
        print(before, "matplotlib.pyplot" in sys.modules, "matplotlib" in sys.modules, "torch" in sys.modules)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False", "True", "False"]


def test_chart_labels_are_not_clipped_at_the_left_edge():
    import autograd_kit as ak

    x = ak.randn(4, 3, requires_grad=True)
    w = ak.randn(3, 2, requires_grad=True)
    with ak.autograd.profiler.profile(clock="counter") as prf:
        ((ak.tanh(x @ w) - 1) ** 2).mean().backward()
    view = ProfilerView(prf, row_limit=12)
    fig = view.figure
    renderer = fig.canvas.get_renderer()
    labels = fig.axes[0].get_yticklabels()
    assert any(t.get_text().startswith("evaluate_function: AccumulateGrad") for t in labels)
    assert min(t.get_window_extent(renderer).x0 for t in labels) >= 0  # it was cut off at the edge
