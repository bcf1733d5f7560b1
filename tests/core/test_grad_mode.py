"""Grad mode: no_grad, enable_grad, set_grad_enabled, inference_mode (context managers,
decorators, function call), nesting, restoring after exceptions and thread-locality.

Behaviour checked against torch 2.13 (e.g. bare ``@no_grad`` decorators, set_grad_enabled
taking effect at call time and restoring the previous mode on exit).
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.grad_mode import is_inference_mode_enabled
from tests.helpers import leaf


@pytest.fixture(autouse=True)
def _grad_mode_restored():
    # A failing test must not leave grad mode off for the rest of the suite.
    assert ak.is_grad_enabled()
    yield
    ak.set_grad_enabled(True)


def test_default_is_enabled_and_records():
    x = leaf([1.0])
    assert ak.is_grad_enabled()
    assert (x * 2).grad_fn is not None


def test_no_grad_context_stops_recording():
    x = leaf([1.0, 2.0])
    with ak.no_grad():
        assert not ak.is_grad_enabled()
        y = x * 2
    assert ak.is_grad_enabled()
    assert y.grad_fn is None and not y.requires_grad and y.is_leaf
    np.testing.assert_array_equal(y.numpy(), [2.0, 4.0])


def test_no_grad_enter_returns_none():
    with ak.no_grad() as value:
        assert value is None


def test_enable_grad_inside_no_grad():
    x = leaf([1.0])
    with ak.no_grad():
        with ak.enable_grad():
            assert ak.is_grad_enabled()
            y = x * 2
        assert not ak.is_grad_enabled()
    assert y.grad_fn is not None


def test_set_grad_enabled_as_function_call():
    ak.set_grad_enabled(False)
    assert not ak.is_grad_enabled()
    assert (leaf([1.0]) * 2).grad_fn is None
    ak.set_grad_enabled(True)
    assert ak.is_grad_enabled()


def test_set_grad_enabled_as_context_restores_previous_mode():
    with ak.set_grad_enabled(False):
        assert not ak.is_grad_enabled()
    assert ak.is_grad_enabled()
    ak.set_grad_enabled(False)
    with ak.set_grad_enabled(True):
        assert ak.is_grad_enabled()
    assert not ak.is_grad_enabled()  # torch: "restored False"
    ak.set_grad_enabled(True)


def test_set_grad_enabled_as_decorator_applies_per_call():
    @ak.set_grad_enabled(False)
    def f():
        return ak.is_grad_enabled()

    assert ak.is_grad_enabled()  # decorating must not switch the mode
    assert f() is False
    assert ak.is_grad_enabled()


@pytest.mark.parametrize("bare", [False, True])
def test_no_grad_decorator(bare):
    def body(x):
        assert not ak.is_grad_enabled()
        return x * 2

    f = ak.no_grad(body) if bare else ak.no_grad()(body)
    x = leaf([1.0])
    assert f(x).grad_fn is None
    assert ak.is_grad_enabled()
    assert f.__name__ == "body"  # functools.wraps


@pytest.mark.parametrize("bare", [False, True])
def test_enable_grad_decorator(bare):
    def body():
        return ak.is_grad_enabled()

    f = ak.enable_grad(body) if bare else ak.enable_grad()(body)
    with ak.no_grad():
        assert f() is True
        assert not ak.is_grad_enabled()


def test_decorated_function_is_reentrant():
    @ak.no_grad()
    def recurse(n):
        assert not ak.is_grad_enabled()
        return 0 if n == 0 else 1 + recurse(n - 1)

    assert recurse(5) == 5
    assert ak.is_grad_enabled()


def test_nesting_restores_each_level():
    seen = []
    with ak.no_grad():
        seen.append(ak.is_grad_enabled())
        with ak.enable_grad():
            seen.append(ak.is_grad_enabled())
            with ak.set_grad_enabled(False):
                seen.append(ak.is_grad_enabled())
            seen.append(ak.is_grad_enabled())
        seen.append(ak.is_grad_enabled())
    seen.append(ak.is_grad_enabled())
    assert seen == [False, True, False, True, False, True]


def test_same_instance_nested_restores():
    ng = ak.no_grad()
    with ng:
        with ng:
            pass
        assert not ak.is_grad_enabled()
    assert ak.is_grad_enabled()


@pytest.mark.parametrize(
    "make", [ak.no_grad, ak.enable_grad, lambda: ak.set_grad_enabled(False), ak.inference_mode]
)
def test_mode_restored_after_exception(make):
    with pytest.raises(ValueError, match="boom"):
        with make():
            raise ValueError("boom")
    assert ak.is_grad_enabled()
    assert not is_inference_mode_enabled()


def test_decorator_restores_after_exception():
    @ak.no_grad()
    def f():
        raise KeyError("k")

    with pytest.raises(KeyError):
        f()
    assert ak.is_grad_enabled()


def test_inference_mode():
    x = leaf([1.0, 2.0])
    assert not is_inference_mode_enabled()
    with ak.inference_mode():
        assert not ak.is_grad_enabled() and is_inference_mode_enabled()
        y = x * 2
    assert not is_inference_mode_enabled() and ak.is_grad_enabled()
    assert y.grad_fn is None and not y.requires_grad
    with ak.inference_mode():
        with ak.inference_mode(False):  # torch: (True, False)
            assert ak.is_grad_enabled() and not is_inference_mode_enabled()
        assert is_inference_mode_enabled()


@pytest.mark.parametrize("bare", [False, True])
def test_inference_mode_decorator(bare):
    def body():
        return ak.is_grad_enabled(), is_inference_mode_enabled()

    f = ak.inference_mode(body) if bare else ak.inference_mode()(body)
    assert f() == (False, True)
    assert (ak.is_grad_enabled(), is_inference_mode_enabled()) == (True, False)


def test_backward_runs_without_recording_but_create_graph_records():
    x = leaf([2.0])
    seen = []
    y = x * x
    y.grad_fn.register_prehook(lambda go: seen.append(ak.is_grad_enabled()))
    y.sum().backward(retain_graph=True)
    y.sum().backward(create_graph=True)
    assert seen == [False, True]
    assert ak.is_grad_enabled()


def test_backward_inside_no_grad_still_computes_grads():
    x = leaf([3.0])
    y = (x * x).sum()
    with ak.no_grad():
        y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [6.0])


def test_grad_mode_is_thread_local():
    results = {}
    ready = threading.Event()
    release = threading.Event()

    def other():
        # This thread never touched grad mode: it sees the default even while main has it off.
        ready.wait(5)
        results["enabled"] = ak.is_grad_enabled()
        results["records"] = (leaf([1.0]) * 2).grad_fn is not None
        with ak.no_grad():
            release.set()
            results["inner"] = ak.is_grad_enabled()

    t = threading.Thread(target=other)
    t.start()
    with ak.no_grad():
        ready.set()
        release.wait(5)
        assert not ak.is_grad_enabled()  # the other thread's no_grad did not leak here either
    t.join(5)
    assert results == {"enabled": True, "records": True, "inner": False}
    assert ak.is_grad_enabled()


def test_no_grad_in_thread_does_not_affect_main():
    flags = []

    def worker():
        ak.set_grad_enabled(False)
        flags.append(ak.is_grad_enabled())

    t = threading.Thread(target=worker)
    t.start()
    t.join(5)
    assert flags == [False]
    assert ak.is_grad_enabled()
