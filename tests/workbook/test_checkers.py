"""autograd_kit.workbook's machinery: verdicts, hints in steps, solutions, and the mistake diagnosis."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.workbook import NOTEBOOKS, Exercise, ExerciseSet, Verdict, Wrong, exercises
from autograd_kit.workbook._compare import expect_close, expect_equal, kept_random_state


def _wrong(fn, *args, **kwargs) -> str:
    with pytest.raises(Wrong) as info:
        fn(*args, **kwargs)
    return str(info.value)


def test_every_notebook_has_three_to_six_exercises_with_hints_and_a_solution():
    for nb in NOTEBOOKS:
        check = exercises(nb)
        assert 3 <= len(check.names) <= 6, nb
        for name in check.names:
            ex = check.exercise(name)
            assert ex.hints and ex.solution and ex.level in {"easy", "medium", "think"}


def test_exercises_accepts_numbers_and_refuses_unknown_notebooks():
    assert exercises(2).names == exercises("02").names
    with pytest.raises(ValueError, match="no notebook '07'"):
        exercises("07")


def test_hints_come_in_steps_then_point_to_the_solution(capsys):
    check = exercises("02")
    n = len(check.exercise("chain_rule").hints)
    for i in range(n):
        check.hint("chain_rule")
        assert f"Hint {i + 1} of {n} for 'chain_rule'" in capsys.readouterr().out
    check.hint("chain_rule")
    assert "No more hints" in capsys.readouterr().out
    check.solution("chain_rule")
    assert "return 2 * torch.cos(a)" in capsys.readouterr().out
    exercises("02").hint("chain_rule")  # a fresh set starts again at hint 1
    assert "Hint 1 of" in capsys.readouterr().out


def test_hint_without_a_name_is_for_the_exercise_checked_last(capsys):
    check = exercises("06")
    check.jacobian_shape((3, 2))
    check.hint()
    assert "for 'jacobian_shape'" in capsys.readouterr().out


def test_verdicts_are_truthy_only_when_right_and_say_how_to_get_help():
    check = exercises("06")
    right, wrong = check.jacobian_shape((2, 3)), check.jacobian_shape((3, 2))
    assert isinstance(right, Verdict) and right and not wrong
    assert repr(right).startswith("✔ jacobian_shape: right.")
    assert "transposed" in repr(wrong) and "check.hint('jacobian_shape')" in repr(wrong)
    assert "#b00020" in wrong._repr_html_() and "#1b5e20" in right._repr_html_()


def test_unknown_exercise_names_the_ones_there_are():
    check = exercises("06")
    with pytest.raises(AttributeError, match="no exercise 'chain_rule'"):
        check.chain_rule(1)
    with pytest.raises(ValueError, match="second_derivative, derivative, jacobian_shape"):
        check.hint("nope")
    assert "derivative" in dir(check) and "second_derivative" in repr(check)


def test_a_placeholder_and_an_error_in_the_learners_code_are_verdicts():
    check = exercises("02")
    assert "no answer yet" in repr(check.chain_rule(...))
    assert "your code raised ZeroDivisionError" in repr(check.chain_rule(lambda a: 1 / 0))


def test_checkers_call_answers_but_never_run_strings():
    check = ExerciseSet("x", [Exercise("e", "easy", "p", lambda a: expect_equal(a, 1), ("h",), "s")])
    assert not check.e("__import__('os').system('false')")  # a string is a wrong value, nothing more
    assert check.e(1)


def test_expect_close_names_shape_sign_factor_and_position():
    exp = ak.tensor([1.0, -2.0, 3.0])
    assert expect_close(exp * 1.00001, exp) is None
    assert "shapes differ: expected torch.Size([3]), got torch.Size([2])" in _wrong(
        expect_close, exp[:2], exp
    )
    assert "One number is not enough" in _wrong(expect_close, exp.sum(), exp)
    assert "sign flipped" in _wrong(expect_close, -exp, exp)
    assert "3 times the right one" in _wrong(expect_close, 3 * exp, exp)
    assert "values differ at index [1]: expected -2, got 5" in _wrong(expect_close, [1.0, 5.0, 3.0], exp)
    m = np.arange(6.0).reshape(2, 3) + 1
    assert "transposed" in _wrong(expect_close, m.T, m)
    assert "only the shape is not" in _wrong(expect_close, m.reshape(6), m)
    assert "is None" in _wrong(expect_close, None, exp)
    assert "is a function" in _wrong(expect_close, len, exp)
    assert "should be a tensor or a number, got str" in _wrong(expect_close, "two", exp)
    assert _wrong(expect_close, 2 * exp, exp, mistakes={"doubled!": 2 * exp}) == "doubled!"


def test_kept_random_state_restores_the_stream():
    ak.manual_seed(0)
    expected = ak.randn(3)
    ak.manual_seed(0)
    with kept_random_state():
        ak.randn(10)
    assert ak.equal(ak.randn(3), expected)
