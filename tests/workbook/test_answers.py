"""Every workbook exercise, checked with a right answer and with the wrong answers learners give.

Each wrong answer must get a verdict that names the mistake (the substring), not just "no".
"""

from __future__ import annotations

import pytest

import autograd_kit as ak
from autograd_kit.workbook import exercises


# --- answers (functions the checkers call) -------------------------------------------------
def leaf_of(t):
    node = t.grad_fn
    while not hasattr(node, "variable"):
        node = node.next_functions[0][0]
    return node.variable


def count_nodes(t):
    seen, todo = set(), [t.grad_fn]
    while todo:
        node = todo.pop()
        if node is not None and node not in seen:
            seen.add(node)
            todo.extend(child for child, _ in node.next_functions)
    return len(seen)


def count_paths(t):  # a tree walk: counts a shared node once per path
    def rec(node):
        return 0 if node is None else 1 + sum(rec(child) for child, _ in node.next_functions)

    return rec(t.grad_fn)


def count_with_constants(t):
    def rec(node, seen):
        if node is None:
            return 1
        if node in seen:
            return 0
        seen.add(node)
        return 1 + sum(rec(child, seen) for child, _ in node.next_functions)

    return rec(t.grad_fn, set())


def cube_grad(x):
    x.grad = None
    (x**3).sum().backward()
    return x.grad


def cube_grad_accumulating(x):
    (x**3).sum().backward()
    return x.grad


def train(model, optimizer, x, y, *, zero=True, step=True, late_zero=False, loss="sum"):
    if zero and not late_zero:
        optimizer.zero_grad()
    out = (model(x) - y) ** 2
    (out.sum() if loss == "sum" else out.mean()).backward()
    if late_zero:
        optimizer.zero_grad()
    if step:
        optimizer.step()


def sgd_step_(w, lr):
    with ak.no_grad():
        w -= lr * w.grad


def sgd_step_recorded(w, lr):
    w -= lr * w.grad


def sgd_step_rebinding(w, lr):
    w = w - lr * w.grad  # noqa: F841 (the mistake under test)


def calls_of(prof, name):
    return next(row.count for row in prof.key_averages() if row.key == name)


def labelled_step(x):
    with ak.autograd.profiler.record_function("my_block"):
        return (x * 2).sum()


def derivative(f, x):
    (g,) = ak.autograd.grad(f(x), x)
    return g


def derivative_by_backward(f, x):
    f(x).backward()
    return x.grad


V = ak.tensor([0.1, 1.0, 0.0001])

RIGHT = [
    ("01", "grad_fn_name", "MulBackward0"),
    ("01", "first_leaf", leaf_of),
    ("01", "count_nodes", count_nodes),
    ("02", "chain_rule", lambda a: 2 * ak.cos(a)),
    ("02", "grad_into_sin", ak.full((25,), 2.0)),
    ("02", "grad_of_cube", cube_grad),
    ("02", "vjp", 8 * V),
    ("03", "accumulated", 3),
    ("03", "sgd", lambda w, g, lr: w - lr * g),
    ("03", "train_step", train),
    ("04", "requires_grad", {"y1": True, "y2": False, "y3": False, "y4": True}),
    ("04", "frozen_copy", lambda x: x.detach().clone()),
    ("04", "sgd_step_", sgd_step_),
    ("05", "backward_name", "TanhBackward0"),
    ("05", "calls_of", calls_of),
    ("05", "labelled", labelled_step),
    ("06", "second_derivative", ak.tensor(18.0)),
    ("06", "derivative", derivative),
    ("06", "jacobian_shape", ak.Size([2, 3])),
]

WRONG = [
    ("01", "grad_fn_name", "ExpBackward0", "one node further down"),
    ("01", "grad_fn_name", "MulBackward", "end with a number"),
    ("01", "grad_fn_name", ak.ones(1, requires_grad=True).mul(3).grad_fn, "the node itself"),
    ("01", "first_leaf", lambda t: leaf_of(t).grad_fn or t.grad_fn.next_functions[0][0], "not the leaf"),
    ("01", "first_leaf", lambda t: leaf_of(t).clone(), "not the leaf itself (a copy?)"),
    ("01", "first_leaf", lambda t: None, "returned None"),
    ("01", "count_nodes", count_paths, "counted a node twice"),
    ("01", "count_nodes", count_with_constants, "counted the constants"),
    ("02", "chain_rule", lambda a: ak.cos(a), "multiplies the gradient by 2"),
    ("02", "chain_rule", lambda a: -2 * ak.cos(a), "sign flipped"),
    ("02", "chain_rule", lambda a: 2 * ak.sin(a), "derivative of sin is cos"),
    ("02", "chain_rule", lambda a: (2 * ak.cos(a)).sum(), "One number is not enough"),
    ("02", "chain_rule", 2 * ak.cos(ak.ones(3)), "a function"),
    ("02", "grad_into_sin", ak.ones(25), "arrives at MulBackward0"),
    ("02", "grad_into_sin", ak.full((5,), 2.0), "shapes differ"),
    ("02", "grad_of_cube", cube_grad_accumulating, ".grad accumulates"),
    ("02", "grad_of_cube", lambda x: None, "returned None"),
    ("02", "vjp", V, "that is v itself"),
    ("02", "vjp", 2 * V, "only one doubling"),
    ("03", "accumulated", 1, "adds to it"),
    ("03", "sgd", lambda w, g, lr: w + lr * g, "goes up the gradient"),
    ("03", "sgd", lambda w, g, lr: w - g, "learning rate is missing"),
    ("03", "train_step", lambda *a: train(*a, zero=False), "forgot zero_grad()"),
    ("03", "train_step", lambda *a: train(*a, step=False), "call optimizer.step()"),
    ("03", "train_step", lambda *a: train(*a, late_zero=True), "it belongs before backward()"),
    ("03", "train_step", lambda *a: train(*a, loss="mean"), "values differ"),
    ("04", "requires_grad", {"y1": True, "y2": True, "y3": False, "y4": True}, "inside no_grad()"),
    ("04", "requires_grad", {"y1": True}, "no entry for y2, y3, y4"),
    ("04", "frozen_copy", lambda x: x.detach(), "shares memory"),
    ("04", "frozen_copy", lambda x: x.clone(), "still requires grad"),
    ("04", "frozen_copy", lambda x: x, "x itself"),
    ("04", "sgd_step_", sgd_step_recorded, "torch.no_grad()"),
    ("04", "sgd_step_", sgd_step_rebinding, "did not change"),
    ("05", "backward_name", "aten::tanh", "forward op"),
    ("05", "calls_of", lambda p, n: next(r for r in p.key_averages() if r.key == n), "row.count"),
    ("05", "calls_of", lambda p, n: 7, "expected 3"),
    ("05", "labelled", lambda x: (x * 2).sum(), "no row 'my_block'"),
    ("06", "second_derivative", 27.0, "first derivative"),
    ("06", "derivative", derivative_by_backward, "x.grad was filled"),
    ("06", "derivative", lambda f, x: ak.autograd.grad(f(x), x), "a tuple"),
    ("06", "jacobian_shape", (3, 2), "transposed"),
]


@pytest.mark.parametrize(("nb", "name", "answer"), RIGHT, ids=[f"{n}-{e}" for n, e, _ in RIGHT])
def test_right_answers_pass(nb, name, answer):
    verdict = exercises(nb).check(name, answer)
    assert verdict.ok, repr(verdict)


@pytest.mark.parametrize(
    ("nb", "name", "answer", "says"), WRONG, ids=[f"{n}-{e}-{i}" for i, (n, e, _, _) in enumerate(WRONG)]
)
def test_wrong_answers_say_what_is_wrong(nb, name, answer, says):
    verdict = exercises(nb).check(name, answer)
    assert not verdict.ok
    assert says in verdict.message, verdict.message


def test_every_exercise_is_tested_right_and_wrong():
    for nb in ("01", "02", "03", "04", "05", "06"):
        for name in exercises(nb).names:
            assert (nb, name) in {(n, e) for n, e, _ in RIGHT}, (nb, name)
            assert (nb, name) in {(n, e) for n, e, _, _ in WRONG}, (nb, name)


def test_the_printed_solutions_are_right_answers():
    """Each exercise's solution text is itself a right answer (run here, in the test, not by the checker)."""
    for nb in ("01", "02", "03", "04", "05", "06"):
        check = exercises(nb)
        for name in check.names:
            scope = {"torch": ak}
            exec(check.exercise(name).solution, scope)  # trusted text from the package itself
            answer = list(scope.values())[-1]  # the last name the solution defines
            assert check.check(name, answer).ok, (nb, name)
