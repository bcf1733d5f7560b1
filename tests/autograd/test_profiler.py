"""The autograd profiler on real computations: rows, nesting, shapes, memory, traces, threads.

Timings use ``clock="counter"`` (each clock read advances 1 us), so self and total times follow
from the order of events alone and are derived by hand in each test.
"""

from __future__ import annotations

import json
import threading
import warnings

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit._tensor.tensor import wrap_array
from autograd_kit.autograd.profiler import session as profiler
from autograd_kit.autograd.profiler.session import profile, record_function
from autograd_kit.graph.switches import SWITCHES
from autograd_kit.nn.module import Module
from autograd_kit.nn.parameter import Parameter
from autograd_kit.optim import SGD
from tests.helpers.profiler import ACC, EVAL, Flat, Twice, leaf, names, ones


def test_hooks_are_installed_only_inside_the_block():
    assert SWITCHES.op_hook is None and SWITCHES.node_hook is None
    with profile() as prf:
        assert SWITCHES.op_hook is not None and SWITCHES.node_hook is not None
    assert SWITCHES.op_hook is None and SWITCHES.node_hook is None
    assert profiler._recorder is None and names(prf) == []


def test_self_and_total_times_of_nested_blocks_with_the_counter_clock():
    x = leaf(1.0, 2.0)
    with profile(clock="counter") as prf:
        with record_function("outer"):  # t=0
            y = x * 2  # 1..2
            with record_function("inner"):  # 3
                y + 1  # 4..5
            # inner ends at 6, outer at 7
    ev = {e.name: e for e in prf.events()}
    assert [(e.name, e.start_us, e.end_us) for e in prf.events()] == [
        ("outer", 0, 7), ("aten::mul", 1, 2), ("inner", 3, 6), ("aten::add", 4, 5)
    ]  # fmt: skip
    assert (ev["outer"].cpu_time_total, ev["outer"].self_cpu_time_total) == (7, 7 - 1 - 3)
    assert (ev["inner"].cpu_time_total, ev["inner"].self_cpu_time_total) == (3, 2)
    assert ev["aten::add"].cpu_parent is ev["inner"] and ev["inner"].cpu_parent is ev["outer"]
    assert prf.self_cpu_time_total == 7
    total = prf.total_average()
    assert (total.key, total.count, total.self_cpu_time_total) == ("Total", 4, 7)
    assert prf.key_averages().table().endswith("Self CPU time total: 7.000us\n")


def test_custom_clock_gives_exact_times():
    ticks = iter([100, 250, 400, 1000, 1750])  # outer start, op start, op end, outer end, exit
    with profile(clock=lambda: next(ticks)) as prf:
        with record_function("block"):
            leaf(1.0) * 3
    block, mul = prf.events()
    assert (block.cpu_time_total, block.self_cpu_time_total, mul.cpu_time_total) == (900, 750, 150)


def test_backward_rows_and_their_nesting():
    x, w = leaf(1.0, 2.0, 3.0), leaf(0.5, 0.5, 0.5)
    with profile() as prf:
        loss = x * w + 1
        loss.backward(ones(3))
    got = names(prf)
    assert got[:2] == ["aten::mul", "aten::add"]
    assert got[2:6] == [EVAL + "AddBackward0", "AddBackward0", EVAL + "MulBackward0", "MulBackward0"]
    assert got[6:] == [EVAL + ACC, ACC, EVAL + ACC, ACC]  # one per leaf
    for evt in prf.events()[2:]:
        if not evt.name.startswith(EVAL):
            assert evt.cpu_parent.name == EVAL + evt.name and evt.cpu_parent.cpu_children == [evt]
    rows = prf.key_averages().table()
    assert (
        f"{EVAL}MulBackward0  " in rows
        and "autograd::engine::evaluate_function: torch::autograd...  " in rows
    )


def test_ops_run_by_a_create_graph_backward_nest_under_the_node():
    a = leaf(1.0, 2.0)
    with profile(clock="counter") as prf:
        (a * a).backward(ones(2), create_graph=True)
    node = next(e for e in prf.events() if e.name == "MulBackward0")
    assert [c.name for c in node.cpu_children] == ["aten::mul", "aten::mul"]
    assert node.self_cpu_time_total == node.cpu_time_total - 2


def test_forward_op_and_its_backward_node_share_a_sequence_number():
    x = leaf(1.0)
    with profile() as prf:
        (x * 3 + 1).backward()
    mul, add, _, add_node, _, mul_node, *_ = prf.events()
    assert (add_node.name, mul_node.name) == ("AddBackward0", "MulBackward0")
    assert mul.sequence_nr == mul_node.sequence_nr >= 0 and add.sequence_nr == add_node.sequence_nr
    assert mul.sequence_nr != add.sequence_nr


def test_record_function_as_decorator_nests_each_call():
    @record_function("step")
    def step(t, depth):
        return t if depth == 0 else step(t * 2, depth - 1)

    x = leaf(1.0)
    assert step(x, 1) is not None  # free and harmless outside a profile
    with profile(clock="counter") as prf:
        step(x, 1)
    outer, mul, inner = prf.events()
    assert (outer.name, mul.name, inner.name) == ("step", "aten::mul", "step")
    assert inner.cpu_parent is outer and mul.cpu_parent is outer and outer.is_user_annotation
    assert prf.key_averages()[0].count == 2


def test_user_function_contains_its_ops():
    x = leaf(1.0, 2.0)
    with profile(clock="counter") as prf:
        Twice.apply(x)
    twice, mul = prf.events()
    assert (twice.name, mul.cpu_parent) == ("Twice", twice)


def test_record_shapes_and_grouping_by_them():
    x = leaf(1, 2, 3, 4, 5, 6, shape=(2, 3))
    with profile(record_shapes=True) as prf:
        y = x * 2
        y * x
    plain = prf.key_averages()
    assert [(e.key, e.count) for e in plain] == [("aten::mul", 2)] and "Input Shapes" not in plain.table()
    grouped = prf.key_averages(group_by_input_shape=True)
    assert [(e.key, e.input_shapes) for e in grouped] == [
        ("aten::mul", [[2, 3], []]),
        ("aten::mul", [[2, 3], [2, 3]]),
    ]
    lines = grouped.table().splitlines()
    assert lines[1].endswith("Input Shapes  ") and lines[3].endswith("[[2, 3], []]  ")
    with profile() as unshaped:
        x * 2
    assert unshaped.events()[0].input_shapes == []
    with pytest.raises(ValueError, match=r"group_by_input_shape=True\) needs profile\(record_shapes=True\)"):
        unshaped.key_averages(group_by_input_shape=True)


def test_profile_memory_counts_new_output_bytes():
    x = leaf(1, 2, 3, 4, 5, 6, shape=(2, 3))  # float32: 24 bytes
    with profile(profile_memory=True) as prf:
        with record_function("block"):
            y = Twice.apply(x)  # the inner mul allocates; Twice returns that same array
            Flat.apply(y)  # a view: 0 B
        (y * x).backward(ones((2, 3)))  # MulBackward0 returns two new 24-byte gradients
    ev = {e.name: e for e in prf.events()}
    assert (ev["block"].cpu_memory_usage, ev["block"].self_cpu_memory_usage) == (24, 0)
    assert (ev["Twice"].cpu_memory_usage, ev["Twice"].self_cpu_memory_usage) == (24, 0)
    assert ev["Flat"].cpu_memory_usage == 0
    assert (ev["MulBackward0"].cpu_memory_usage, ev[EVAL + "MulBackward0"].self_cpu_memory_usage) == (48, 0)
    assert ev[ACC].cpu_memory_usage == 0
    header = prf.key_averages().table().splitlines()[1]
    assert "       CPU Mem  Self CPU Mem    # of Calls  " in header
    with profile() as no_mem:
        x * 2
    assert "CPU Mem" not in no_mem.key_averages().table()


def test_chrome_trace_is_json_with_every_event(tmp_path):
    x = leaf(1.0, 2.0)
    with profile(record_shapes=True) as prf:
        with record_function("block"):
            y = x * 2
        y.backward(ones(2))
    path = tmp_path / "trace.json"
    prf.export_chrome_trace(path)
    trace = json.loads(path.read_text())
    complete = [e for e in trace["traceEvents"] if e["ph"] == "X"]
    assert [e["name"] for e in complete] == names(prf)
    for e, evt in zip(complete, prf.events()):
        assert (e["ts"], e["dur"], e["tid"]) == (evt.start_us, evt.cpu_time_total, 1)
    assert complete[0]["cat"] == "user_annotation" and complete[1]["args"]["Input Dims"] == [[2], []]
    flows = [e for e in trace["traceEvents"] if e["ph"] in "sf"]
    assert [(e["ph"], e["name"]) for e in flows] == [("s", "fwdbwd"), ("f", "fwdbwd")]
    assert flows[0]["id"] == flows[1]["id"] and flows[1]["ts"] == complete[3]["ts"]  # MulBackward0


def test_seed_code_with_use_cuda_runs_and_warns_once():
    x, y, z = leaf(1, 2, 3, 4, 5, 6, shape=(2, 3)), leaf(1, 1, 1, 1, 1, 1, shape=(2, 3)), ones((2, 3))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with ak.autograd.profiler.profile(use_cuda=True) as prf:
            for _ in range(1000):
                z = (z / x) * y
    assert [str(w.message) for w in caught] == [
        "profile(): autograd_kit computes with NumPy and has no 'cuda' device; profiling on the CPU "
        "only (the table has no device columns)"
    ]
    table = prf.key_averages().table(sort_by="self_cpu_time_total")
    rows = table.splitlines()
    assert rows[0] == "-------------  " + "------------  " * 6
    assert (
        rows[1]
        == "         Name    Self CPU %      Self CPU   CPU total %     CPU total  CPU time avg    # of Calls  "
    )
    assert sorted(r.split()[0] for r in rows[3:5]) == ["aten::div", "aten::mul"] and rows[3].endswith(
        " 1000  "
    )
    with pytest.warns(UserWarning, match="no 'cuda' device"):
        ak.profiler.profile(use_device="cuda")


def test_print_profile_gives_the_raw_table(capsys):
    with ak.profiler.profile() as prf:
        leaf(1.0) * 2
    print(prf)
    assert capsys.readouterr().out == prf.events().table() + "\n"
    assert ak.profiler.record_function is record_function


def test_only_the_profiling_threads_ops_are_recorded():
    """PyTorch's autograd profiler records the thread that opened it; ops, nodes and labels
    of other threads running meanwhile leave no rows."""
    x = leaf(1.0)

    def work():
        with record_function("worker"):
            (x * 2).sum().backward()

    with profile() as prf:
        with record_function("main"):
            worker = threading.Thread(target=work)
            worker.start()
            worker.join()
            y = x * 3
    assert names(prf) == ["main", "aten::mul"]
    assert {e.thread for e in prf.events()} == {1}
    assert y.item() == 3.0 and x.grad.item() == 2.0  # the worker's ops ran all the same


class Scale(Module):
    def __init__(self):
        super().__init__()
        self.w = Parameter(wrap_array(np.array([0.5, 2.0], dtype=np.float32)))

    def forward(self, x):
        return x * self.w


def test_module_forward_and_optimizer_step_rows():
    model = Scale()
    opt = SGD(model.parameters(), lr=0.1)
    with profile(clock="counter") as prf:
        model(ones(2)).backward(ones(2))
        opt.step()
    events = prf.events()
    assert [e.name for e in events if e.cpu_parent is None] == [
        "nn.Module: Scale", EVAL + "MulBackward0", EVAL + ACC, "Optimizer.step#SGD.step"
    ]  # fmt: skip
    assert events[1].name == "aten::mul" and events[1].cpu_parent is events[0]


def test_inplace_ops_record_their_own_names():
    """As PyTorch 2.13 names them: aten::add_, aten::mul_, aten::sin_, aten::zero_, ..."""
    x, z = ak.ones(2), ak.zeros(2)  # (creation functions have no rows here yet)
    w = ak.ones(2, requires_grad=True)
    with profile() as prf:
        x.add_(1)
        x.mul_(2)
        y = w * 1
        y.sin_()
        x.zero_()
        x.fill_(3)
        x.copy_(z)
    top = [e.name for e in prf.events() if e.cpu_parent is None]
    assert top == [
        "aten::add_",
        "aten::mul_",
        "aten::mul",
        "aten::sin_",
        "aten::zero_",
        "aten::fill_",
        "aten::copy_",
    ]
