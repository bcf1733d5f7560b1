"""Profiler misuse and failures: clear errors, exceptions passing through, a clean state after."""

from __future__ import annotations

import pytest

from autograd_kit.autograd.profiler import session as profiler
from autograd_kit.autograd.profiler.session import profile, record_function
from autograd_kit.graph.switches import SWITCHES
from tests.helpers.profiler import Fails, leaf, names


def assert_clean():
    assert SWITCHES.op_hook is None and SWITCHES.node_hook is None and profiler._recorder is None


def test_profiled_exception_passes_through_and_leaves_a_clean_state():
    x = leaf(1.0, 2.0)
    with pytest.raises(ZeroDivisionError), profile(clock="counter") as prf:
        with record_function("block"):  # t=0
            x * 2  # 1..2
            raise ZeroDivisionError  # block closes at 3
    assert_clean()
    block, mul = prf.events()
    assert (block.start_us, block.end_us, mul.cpu_parent) == (0, 3, block)
    with pytest.raises(ValueError, match="Fails: no negative input"), profile(clock="counter") as failing:
        Fails.apply(x)  # raises inside the op, after a nested op: both events still close
    op, inner = failing.events()
    assert (op.name, op.cpu_time_total, inner.name, inner.cpu_parent) == ("Fails", 3, "aten::mul", op)
    assert_clean()
    with profile() as again:  # a new profile works afterwards
        x * 2
    assert names(again) == ["aten::mul"]


def test_nested_profile_is_refused_and_the_outer_one_keeps_recording():
    with profile() as outer:
        with pytest.raises(RuntimeError, match="another profiler is already running; nested profile"):
            with profile():
                pass
        leaf(1.0) * 2
    assert names(outer) == ["aten::mul"]
    assert_clean()


def test_results_are_refused_while_running_and_before_running():
    with profile() as prf:
        for call in (prf.key_averages, prf.events, prf.total_average, prf.table):
            with pytest.raises(RuntimeError, match="the profiler is still running; call it after the `with"):
                call()
        with pytest.raises(RuntimeError, match=r"export_chrome_trace\(\): the profiler is still running"):
            prf.export_chrome_trace("unused.json")
        assert str(prf) == "<unfinished autograd_kit.autograd.profile>"
    with pytest.raises(RuntimeError, match="has already run; create a new profile"):
        with prf:
            pass
    with pytest.raises(RuntimeError, match=r"key_averages\(\): the profiler has not run yet"):
        profile().key_averages()


def test_trace_errors(tmp_path):
    with profile() as prf:
        leaf(1.0) * 2
    bad = tmp_path / "missing" / "trace.json"
    with pytest.raises(
        FileNotFoundError, match=r"export_chrome_trace\(\): cannot write the trace to .*missing"
    ):
        prf.export_chrome_trace(bad)
    assert not bad.parent.exists()
    with pytest.raises(TypeError, match=r"needs the raw events \(prf.events\(\)\), not averages"):
        prf.key_averages().export_chrome_trace(tmp_path / "t.json")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"clock": "tick"}, ValueError, "clock must be None .* got 'tick'"),
        ({"clock": 5}, ValueError, "clock must be None .* got 5"),
        ({"with_stack": True}, NotImplementedError, r"profile\(with_stack=True\) is not supported"),
        ({"with_flops": True}, NotImplementedError, r"profile\(with_flops=True\) is not supported"),
        ({"use_cpu": False}, ValueError, r"use_cpu=False\) would record nothing"),
        ({"use_device": 0}, TypeError, "use_device must be a str or None, got int"),
    ],
)
def test_bad_profile_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        profile(**kwargs)


def test_bad_queries():
    with profile() as prf:
        leaf(1.0) * 2
    with pytest.raises(ValueError, match="unknown sort_by key 'bogus'; valid keys are: cpu_time, "):
        prf.key_averages().table(sort_by="bogus")
    with pytest.raises(NotImplementedError, match="stacks are not recorded"):
        prf.key_averages(group_by_stack_n=2)


def test_record_function_misuse():
    with pytest.raises(TypeError, match="name must be a str, got int"):
        record_function(3)
    with pytest.raises(RuntimeError, match=r"record_function\('x'\): __exit__ without a matching __enter__"):
        record_function("x").__exit__(None, None, None)


def test_disabled_profile_records_nothing():
    with profile(enabled=False) as prf:
        assert SWITCHES.op_hook is None
        leaf(1.0) * 2
    assert names(prf) == [] and prf.key_averages().table() == ""


def test_block_left_open_ends_with_the_profile():
    block = record_function("open")
    with profile(clock="counter") as prf:
        block.__enter__()  # t=0; the profile's exit reads the clock at 1
    block.__exit__(None, None, None)  # after the profile: changes nothing
    (evt,) = prf.events()
    assert (evt.start_us, evt.end_us) == (0, 1)
