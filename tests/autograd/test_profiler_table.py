"""The profiler table's layout, checked against tables PyTorch 2.13 printed for the same events.

The expected texts below were produced by ``torch.autograd.profiler_util.EventList.table()`` on
``FunctionEvent`` objects built from ``SPEC`` (same names, threads, times, shapes and bytes), so
header and separator lines, column widths, two-space gaps, name truncation, unit switching and
the footer are compared character for character.
"""

from __future__ import annotations

import pytest

from autograd_kit.autograd.profiler.table import SORT_KEYS, format_memory, format_time
from autograd_kit.autograd.profiler_util import EventList, FunctionEvent, FunctionEventAvg

# id, name, thread, start us, end us, input shapes, bytes allocated (children included)
SPEC = [
    (1, "my_block", 1, 0, 1500, [], 96),
    (2, "aten::mul", 1, 10, 30, [[3, 4], []], 48),
    (3, "aten::mul", 1, 40, 1040, [[3, 4], [3, 4]], 48),
    (4, "autograd::engine::evaluate_function: MulBackward0", 1, 2000, 2600, [], 0),
    (5, "MulBackward0", 1, 2100, 2500, [[3, 4]], 2048),
    (6, "autograd::engine::evaluate_function: torch::autograd::AccumulateGrad", 1, 3000, 1003000, [], 0),
    (7, "torch::autograd::AccumulateGrad", 1, 3001, 1002999, [[3, 4]], 3 * 1024 * 1024),
    (8, "aten::add", 2, 5, 7, [[2], [2]], 1536),
]

KEY_AVERAGES_MEMORY = (
    "-------------------------------------------------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  \n"
    "                                                   Name    Self CPU %      Self CPU   CPU total %     CPU total  CPU time avg       CPU Mem  Self CPU Mem    # of Calls  \n"
    "-------------------------------------------------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  \n"
    "                        torch::autograd::AccumulateGrad        99.79%     999.998ms        99.79%     999.998ms     999.998ms       3.00 MB       3.00 MB             1  \n"
    "                                              aten::mul         0.10%       1.020ms         0.10%       1.020ms     510.000us          96 B          96 B             2  \n"
    "                                               my_block         0.05%     480.000us         0.15%       1.500ms       1.500ms          96 B           0 B             1  \n"
    "                                           MulBackward0         0.04%     400.000us         0.04%     400.000us     400.000us       2.00 KB       2.00 KB             1  \n"
    "      autograd::engine::evaluate_function: MulBackward0         0.02%     200.000us         0.06%     600.000us     600.000us           0 B      -2.00 KB             1  \n"
    "autograd::engine::evaluate_function: torch::autograd...         0.00%       2.000us        99.79%        1.000s        1.000s           0 B      -3.00 MB             1  \n"
    "                                              aten::add         0.00%       2.000us         0.00%       2.000us       2.000us       1.50 KB       1.50 KB             1  \n"
    "-------------------------------------------------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  \n"
    "Self CPU time total: 1.002s\n"
)
BY_SHAPES_TRUNCATED = (
    "------------------------------  ------------  ------------  ------------  ------------  ------------  ------------  --------------------  \n"
    "                          Name    Self CPU %      Self CPU   CPU total %     CPU total  CPU time avg    # of Calls          Input Shapes  \n"
    "------------------------------  ------------  ------------  ------------  ------------  ------------  ------------  --------------------  \n"
    "autograd::engine::evaluate_...         0.00%       2.000us        99.79%        1.000s        1.000s             1                    []  \n"
    "torch::autograd::Accumulate...        99.79%     999.998ms        99.79%     999.998ms     999.998ms             1              [[3, 4]]  \n"
    "                      my_block         0.05%     480.000us         0.15%       1.500ms       1.500ms             1                    []  \n"
    "                     aten::mul         0.10%       1.000ms         0.10%       1.000ms       1.000ms             1      [[3, 4], [3, 4]]  \n"
    "autograd::engine::evaluate_...         0.02%     200.000us         0.06%     600.000us     600.000us             1                    []  \n"
    "------------------------------  ------------  ------------  ------------  ------------  ------------  ------------  --------------------  \n"
    "Self CPU time total: 1.002s\n"
)
RAW_HEADER_MS = (
    "=================================================================================================================================================================\n"
    "HEAD\n"
    "-------------------------------------------------------  ------------  ------------  ------------  ------------  ------------  ------------  --------------------  \n"
    "                                                   Name    Self CPU %      Self CPU   CPU total %     CPU total  CPU time avg    # of Calls          Input Shapes  \n"
    "-------------------------------------------------------  ------------  ------------  ------------  ------------  ------------  ------------  --------------------  \n"
    "                                               my_block         0.05%       0.480ms         0.15%       1.500ms       1.500ms             1                    []  \n"
    "                                              aten::mul         0.00%       0.020ms         0.00%       0.020ms       0.020ms             1          [[3, 4], []]  \n"
    "                                              aten::mul         0.10%       1.000ms         0.10%       1.000ms       1.000ms             1      [[3, 4], [3, 4]]  \n"
    "      autograd::engine::evaluate_function: MulBackward0         0.02%       0.200ms         0.06%       0.600ms       0.600ms             1                    []  \n"
    "                                           MulBackward0         0.04%       0.400ms         0.04%       0.400ms       0.400ms             1              [[3, 4]]  \n"
    "autograd::engine::evaluate_function: torch::autograd...         0.00%       0.002ms        99.79%    1000.000ms    1000.000ms             1                    []  \n"
    "                        torch::autograd::AccumulateGrad        99.79%     999.998ms        99.79%     999.998ms     999.998ms             1              [[3, 4]]  \n"
    "                                              aten::add         0.00%       0.002ms         0.00%       0.002ms       0.002ms             1            [[2], [2]]  \n"
    "-------------------------------------------------------  ------------  ------------  ------------  ------------  ------------  ------------  --------------------  \n"
    "Self CPU time total: 1002.102ms\n"
)


def synthetic(profile_memory: bool) -> EventList:
    events = EventList([FunctionEvent(*row) for row in SPEC], profile_memory=profile_memory)
    events._build_tree()
    return events


def test_key_averages_table_with_memory_matches_pytorch():
    table = synthetic(True).key_averages().table(sort_by="self_cpu_time_total")
    assert table == "".join(KEY_AVERAGES_MEMORY)


def test_shapes_grouping_truncation_and_row_limit_match_pytorch():
    averages = synthetic(False).key_averages(group_by_input_shapes=True)
    table = averages.table(sort_by="cpu_time_total", row_limit=5, max_name_column_width=30)
    assert table == "".join(BY_SHAPES_TRUNCATED)


def test_raw_table_with_header_and_time_unit_matches_pytorch():
    assert synthetic(False).table(header="HEAD", time_unit="ms") == "".join(RAW_HEADER_MS)


def test_every_line_is_columns_of_fixed_width_with_two_space_gaps():
    lines = synthetic(True).key_averages().table().splitlines()
    separator = lines[0]
    assert separator == lines[2] == lines[-2]
    widths = [len(cell) for cell in separator.split("  ")[:-1]]
    name_width = max(len(name) for _, name, *_ in SPEC) + 4
    assert widths == [min(name_width, 55)] + [12] * 8
    for line in lines[:-1]:
        assert len(line) == sum(widths) + 2 * len(widths) and line.endswith("  ")
    assert lines[-1].startswith("Self CPU time total: ")


def test_self_times_and_totals_of_nested_synthetic_events():
    events = {e.id: e for e in synthetic(True)}
    assert events[1].self_cpu_time_total == 1500 - 20 - 1000  # my_block minus its two muls
    assert events[6].self_cpu_time_total == 1_000_000 - 999_998
    assert events[1].self_cpu_memory_usage == 0 and events[4].self_cpu_memory_usage == -2048
    assert events[8].cpu_parent is None  # another thread: never nested in my_block
    total = synthetic(True).total_average()  # reference values from PyTorch's total_average()
    assert (total.key, total.count, total.self_cpu_time_total, total.cpu_time_total) == (
        "Total",
        8,
        1002102,
        2003520,
    )
    assert (total.cpu_memory_usage, total.self_cpu_memory_usage) == (3149504, 1632)


@pytest.mark.parametrize(
    ("time_us", "text"),  # PyTorch's _format_time on the same values
    [(0, "0.000us"), (0.0004, "0.000us"), (999.999, "999.999us"), (1000, "1.000ms"), (1234.5678, "1.235ms"),
     (999999, "999.999ms"), (1e6, "1.000s"), (2.5e6, "2.500s")],
)  # fmt: skip
def test_format_time(time_us, text):
    assert format_time(time_us) == text


@pytest.mark.parametrize(
    ("nbytes", "text"),  # PyTorch's _format_memory on the same values
    [(0, "0 B"), (1023, "1023 B"), (1024, "1.00 KB"), (-2048, "-2.00 KB"), (1536, "1.50 KB"),
     (1024**2 * 1.5, "1.50 MB"), (1024**3, "1.00 GB"), (-5 * 1024**3, "-5.00 GB")],
)  # fmt: skip
def test_format_memory(nbytes, text):
    assert format_memory(nbytes) == text


def test_sort_keys_order_descending_and_stably():
    averages = synthetic(True).key_averages()
    for key in SORT_KEYS:
        attr = key.replace("cuda", "device").replace("xpu", "device")
        rows = [line[:55].strip() for line in averages.table(sort_by=key).splitlines()[3:-2]]
        expected = sorted(averages, key=lambda e: getattr(e, attr), reverse=True)
        assert [e.key if len(e.key) < 52 else e.key[:52] + "..." for e in expected] == rows, key
    assert [e.key for e in averages][:2] == ["my_block", "aten::mul"]  # registration order kept


def test_unknown_sort_key_lists_the_valid_ones():
    with pytest.raises(
        ValueError, match=r"unknown sort_by key 'self_cpu_time'; valid keys are: cpu_time, .*count"
    ):
        synthetic(False).table(sort_by="self_cpu_time")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [({"time_unit": "min"}, ValueError, "unknown time_unit 'min'; valid units are: s, ms, us"),
     ({"row_limit": "5"}, TypeError, "row_limit must be an int or None, got str"),
     ({"max_name_column_width": 2}, ValueError, "max_name_column_width must be an int >= 4 or None, got 2")],
)  # fmt: skip
def test_bad_table_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        synthetic(False).table(**kwargs)


def test_empty_list_gives_an_empty_table_and_averages_check_keys():
    assert EventList().table() == ""
    avg = FunctionEventAvg().add(FunctionEvent(1, "a", 1, 0, 1))
    with pytest.raises(ValueError, match="cannot add an event with key 'b' to the average of 'a'"):
        avg.add(FunctionEvent(2, "b", 1, 0, 1))
    with pytest.raises(TypeError, match="can only add a FunctionEvent or FunctionEventAvg, got int"):
        avg.add(3)


def test_overlapping_synthetic_events_are_rejected():
    events = EventList([FunctionEvent(1, "a", 1, 0, 10), FunctionEvent(2, "b", 1, 5, 15)])
    with pytest.raises(ValueError, match="event 'b' overlaps 'a' without nesting in it"):
        events._build_tree()
